#include "tui_fixture.hpp"

using namespace certdrill;
using namespace certdrill::testing;
using tui::Router;
using tui::Screen;

TEST_SUITE("tui keys") {
    TEST_CASE("an answer is stored before the feedback shows, and u undoes it") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));
        const auto baseline = f.store->reviews().size();
        const std::string first = screen_text(c);
        send(c, "a\r");
        CHECK(c.screen() == Screen::StudyFeedback);
        CHECK(f.store->reviews().size() == baseline + 1);
        send(c, "u");
        CHECK(c.screen() == Screen::StudyQuestion);
        CHECK(f.store->reviews().size() == baseline);
        CHECK(c.status() == "Last answer undone");
        // The same stem is back on screen (options may be shuffled anew).
        const std::string again = screen_text(c);
        CHECK(again.substr(again.find('\n', again.find('\n') + 1), 200)
                  .find(first.substr(first.find('\n', first.find('\n') + 1) + 1, 30)) != std::string::npos);
    }

    TEST_CASE("several answers can be undone in turn") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        for (int i = 0; i < 3; ++i) {
            if (c.screen() == Screen::StudyQuestion)
                send(c, "ab\r\r");
            else if (c.screen() == Screen::FlashFront)
                send(c, " 3");
        }
        const auto answered = f.store->reviews().size();
        REQUIRE(answered == 3);
        send(c, "u");
        send(c, "u");
        CHECK(f.store->reviews().size() == 1);
    }

    TEST_CASE("a multi question needs the stated number of choices") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        for (int i = 0; i < 10 && c.screen() != Screen::StudySummary; ++i) {
            if (c.screen() == Screen::FlashFront) {
                send(c, " 3");
                continue;
            }
            if (screen_text(c).find("Choose two.") != std::string::npos) {
                send(c, "a\r");
                CHECK(c.screen() == Screen::StudyQuestion);
                CHECK(c.status() == "Choose two options");
                send(c, "b");  // toggles a second option
                send(c, "\r");
                CHECK(c.screen() == Screen::StudyFeedback);
                return;
            }
            send(c, "a\r\r");
        }
        FAIL("no multi question came up");
    }

    TEST_CASE("a right answer can be marked as a guess") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        // Find the right letter from the feedback of a first attempt, undo, answer right.
        REQUIRE(skip_to_question(c));
        const auto baseline = f.store->reviews().size();
        send(c, "a\r");
        std::string fb = screen_text(c);
        if (fb.find("Correct") == std::string::npos) {
            // The right option is marked with a tick; the options are shuffled again after the
            // undo, so find it by its text.
            auto tick = fb.find("\u2714 ");
            REQUIRE(tick != std::string::npos);
            std::string text = fb.substr(tick + 7, 20);  // after "✔ X) "
            send(c, "u");
            std::string q = screen_text(c);
            auto at = q.find(text);
            REQUIRE(at != std::string::npos);
            char right = static_cast<char>(q[at - 3] - 'A' + 'a');
            send(c, std::string(1, right) + "\r");
        }
        REQUIRE(screen_text(c).find("Correct") != std::string::npos);
        send(c, "g");
        CHECK(screen_text(c).find("marked as a guess") != std::string::npos);
        auto log = f.store->reviews();
        REQUIRE(log.size() == baseline + 1);
        CHECK(log.back().rating == 2);
        CHECK(log.back().guessed);
    }

    TEST_CASE("flashcards reveal on space and take a grade from 1 to 4") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        for (int i = 0; i < 12 && c.screen() != Screen::FlashFront; ++i)
            send(c, c.screen() == Screen::StudyFeedback ? "\r" : "ab\r");
        REQUIRE(c.screen() == Screen::FlashFront);
        CHECK(screen_text(c).find("Space shows the answer") != std::string::npos);
        send(c, "9");  // not a grade before the answer is shown
        CHECK(c.screen() == Screen::FlashFront);
        send(c, " ");
        REQUIRE(c.screen() == Screen::FlashBack);
        const std::string back = screen_text(c);
        CHECK(back.find("1 Again 1m") != std::string::npos);
        CHECK(back.find("4 Easy") != std::string::npos);
        const auto before = f.store->reviews().size();
        send(c, "4");
        auto log = f.store->reviews();
        REQUIRE(log.size() == before + 1);
        CHECK(log.back().rating == 4);
        CHECK(log.back().card_id == "t.d1.f01");
    }

    TEST_CASE("q ends the session with a summary listing missed items") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));
        const auto answered = f.store->reviews().size() + 1;
        send(c, "a\r");
        const bool missed = screen_text(c).find("Incorrect") != std::string::npos;
        send(c, "\rq");
        REQUIRE(c.screen() == Screen::StudySummary);
        const std::string s = screen_text(c);
        CHECK(s.find("Answered " + std::to_string(answered)) != std::string::npos);
        CHECK((s.find("Missed items") != std::string::npos) == missed);
        send(c, "\r");
        CHECK(c.screen() == Screen::Home);
        send(c, "q");
        CHECK(c.done());
    }

    TEST_CASE("a forward-only exam moves on after each answer and never goes back") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam, "catexam");
        o.mock.linear = true;  // the fixed form: its four items are drawn at the start
        Router c(f.services(), o);
        REQUIRE(c.screen() == Screen::ExamStart);
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::ExamItem);
        CHECK(screen_text(c).find("Item 1 of 4") != std::string::npos);
        c.handle(tui::kRight);  // no skipping ahead either
        CHECK(screen_text(c).find("Item 1 of 4") != std::string::npos);
        send(c, "ab\r");
        CHECK(screen_text(c).find("Item 2 of 4") != std::string::npos);
        c.handle(tui::kLeft);
        CHECK(screen_text(c).find("Item 2 of 4") != std::string::npos);
        send(c, "f");
        CHECK(c.status() == "This exam does not allow returning to items");
        send(c, "g");
        CHECK(c.screen() == Screen::ExamItem);
        for (int i = 0; i < 3; ++i) send(c, "ab\r");
        REQUIRE(c.screen() == Screen::ExamConfirm);
        send(c, "y");
        REQUIRE(c.screen() == Screen::ExamResult);
        CHECK(screen_text(c).find("of 4 correct") != std::string::npos);
        auto attempts = f.store->attempts();
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].finished_at.has_value());
    }

    TEST_CASE("a linear exam allows flags, the review grid and going back") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 4;
        Router c(f.services(), o);
        c.handle(tui::kEnter);  // past the confirmation
        send(c, "a");  // a selection is kept at once on linear exams
        c.handle(tui::kRight);
        CHECK(screen_text(c).find("Item 2 of 4") != std::string::npos);
        send(c, "f");
        CHECK(c.status() == "Flagged for review");
        c.handle(tui::kLeft);
        CHECK(screen_text(c).find("Item 1 of 4") != std::string::npos);
        CHECK(screen_text(c).find("(\u2022) A)") != std::string::npos);
        send(c, "g");
        REQUIRE(c.screen() == Screen::ExamGrid);
        const std::string grid = screen_text(c);
        CHECK(grid.find("1 of 4 answered") != std::string::npos);
        CHECK(grid.find("2\u25a1\u2691") != std::string::npos);
        c.handle(tui::kRight);
        c.handle(tui::kRight);
        c.handle(tui::kEnter);
        CHECK(screen_text(c).find("Item 3 of 4") != std::string::npos);
    }

    TEST_CASE("the countdown ends the exam when time runs out") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 3;
        o.mock.minutes = 1;
        Router c(f.services(), o);
        c.handle(tui::kEnter);  // past the confirmation
        CHECK(screen_text(c).find("1:00") != std::string::npos);
        f.now += 30'000;
        c.handle(tui::kTick);
        CHECK(screen_text(c).find("0:30") != std::string::npos);
        f.now += 31'000;
        c.handle(tui::kTick);
        REQUIRE(c.screen() == Screen::ExamResult);
        CHECK(screen_text(c).find("time ran out") != std::string::npos);
    }

    TEST_CASE("browse finds cards and toggles flag and suspension") {
        TuiFixture f;
        Router c(f.services(), f.options());
        send(c, "bdata");
        CHECK(screen_text(c).find("2 cards") != std::string::npos);
        c.handle(tui::kEnter);
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::CardDetail);
        send(c, "f");
        auto record = f.store->card("t.d2.q04");
        if (!record) record = f.store->card("t.d2.q05");
        REQUIRE(record);
        CHECK(record->flagged);
        send(c, "s");
        CHECK(f.store->card(record->card_id)->suspended);
        send(c, "s");
        CHECK_FALSE(f.store->card(record->card_id)->suspended);
    }

    TEST_CASE("help opens on ? and closes on any key; small terminals get a message") {
        TuiFixture f;
        Router c(f.services(), f.options());
        send(c, "?");
        CHECK(c.help_visible());
        CHECK(screen_text(c).find("any key closes") != std::string::npos);
        send(c, "x");
        CHECK_FALSE(c.help_visible());
        CHECK(c.screen() == Screen::Home);
        CHECK(screen_text(c, 79, 24).find("Terminal too small") != std::string::npos);
        CHECK(screen_text(c, 80, 23).find("Terminal too small") != std::string::npos);
        CHECK(screen_text(c, 80, 24).find("Terminal too small") == std::string::npos);
    }
}

TEST_SUITE("tui keys") {
    TEST_CASE("browse survives moving through an empty result list") {
        TuiFixture f;
        Router c(f.services(), f.options());
        send(c, "bzzzz");
        c.handle(tui::kEnter);  // to the (empty) list
        send(c, "j");
        c.handle(tui::kPageDown);
        c.handle(tui::kEnter);  // nothing to open
        CHECK(c.screen() == Screen::Browse);
        send(c, "/");
        for (int i = 0; i < 4; ++i) c.handle(tui::kBackspace);
        c.handle(tui::kEnter);
        c.handle(tui::kEnter);
        CHECK(c.screen() == Screen::CardDetail);
        CHECK(screen_text(c).find("Card t.") != std::string::npos);
    }

    TEST_CASE("a key pressed after the deadline ends the exam instead of answering") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 3;
        o.mock.minutes = 1;
        Router c(f.services(), o);
        c.handle(tui::kEnter);  // past the confirmation
        f.now += 61'000;  // no tick has come yet: the user keeps typing
        send(c, "a");
        REQUIRE(c.screen() == Screen::ExamResult);
        CHECK(c.status() == "Time is up: the exam has been scored");
        auto attempts = f.store->attempts();
        REQUIRE(attempts.size() == 1);
        for (const auto& item : f.store->attempt_items(attempts[0].id)) CHECK(item.chosen.empty());
    }

    TEST_CASE("an adaptive exam's answers are final, even from the menu") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Exam, "catexam"));
        c.handle(tui::kEnter);  // past the confirmation
        for (int i = 0; i < 3; ++i) send(c, "ab\r");  // "ab" works for single and choose-two items
        REQUIRE(c.screen() == Screen::ExamItem);
        const auto before = f.store->attempt_items(f.store->attempts()[0].id);
        send(c, "q");
        REQUIRE(c.screen() == Screen::ExamConfirm);
        send(c, "n");  // back to the item on screen, not an earlier one
        c.handle(tui::kLeft);
        CHECK(c.screen() == Screen::ExamItem);
        CHECK(screen_text(c).find("Item 4") != std::string::npos);
        const auto after = f.store->attempt_items(f.store->attempts()[0].id);
        REQUIRE(after.size() == before.size());
        for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i].chosen == before[i].chosen);
    }

    TEST_CASE("undo also takes back a suspension given after the answer") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));
        send(c, "a\r");
        REQUIRE(c.screen() == Screen::StudyFeedback);
        const std::string card = f.store->reviews().back().card_id;
        send(c, "s");  // suspend it from its feedback screen
        CHECK(f.store->card(card)->suspended);
        send(c, "u");  // undo its answer from the next item
        const auto record = f.store->card(card);
        const bool still_suspended = record && record->suspended;
        CHECK_FALSE(still_suspended);
    }
}

TEST_SUITE("tui keys") {
    TEST_CASE("a session with nothing to study says so") {
        TuiFixture f;
        for (const auto* card : f.decks.library.cards_of("testexam")) f.store->set_suspended(card->id, true, f.now);
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(c.screen() == Screen::StudySummary);
        CHECK(screen_text(c).find("Nothing to study right now") != std::string::npos);
    }
}
