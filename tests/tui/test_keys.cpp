#include <nlohmann/json.hpp>
#include <sstream>

#include "app/exam_date.hpp"
#include "app/stats.hpp"
#include "cli/stats_command.hpp"
#include "core/text.hpp"
#include "tui_fixture.hpp"

namespace test_keys {

using namespace certdrill;
using namespace certdrill::testing;
using tui::Router;
using tui::Screen;

namespace {

// Answers items until a single-answer question is on screen.
bool skip_to_single_question(Router& c) {
    for (int i = 0; i < 6; ++i) {
        if (!skip_to_question(c)) return false;
        if (screen_text(c).find("Choose two.") == std::string::npos) return true;
        send(c, "ab\r\r");
    }
    return false;
}

// A screen without its footer row, where the status line shows.
std::string above_footer(const std::string& screen) { return screen.substr(0, screen.rfind('\n', screen.size() - 2)); }

}  // namespace

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

    TEST_CASE("undo brings the item back exactly as shown, and the retyped letter stores that option") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_single_question(c));
        REQUIRE(screen_text(c).find("D) ") != std::string::npos);
        const std::string before = screen_text(c);
        send(c, "d\r");
        REQUIRE(c.screen() == Screen::StudyFeedback);
        const std::string card_id = f.store->reviews().back().card_id;
        send(c, "u");
        REQUIRE(c.screen() == Screen::StudyQuestion);
        // Same stem, same option order, nothing selected: only the status line differs.
        CHECK(above_footer(screen_text(c)) == above_footer(before));
        send(c, "d\r");
        const auto stored = f.store->reviews().back();
        REQUIRE(stored.card_id == card_id);
        // What was stored is the option that was shown as D, named by its place in the deck file.
        const std::size_t at = before.find("D) ") + 3;
        const std::string shown_d = before.substr(at, before.find('\n', at) - at);
        const Card* card = f.decks.library.card(card_id);
        REQUIRE(card);
        std::string expected;
        for (std::size_t i = 0; i < card->options.size(); ++i)
            if (card->options[i].text.rfind(shown_d.substr(0, 20), 0) == 0) expected = std::string(1, static_cast<char>('A' + i));
        CHECK(stored.chosen == expected);
    }

    TEST_CASE("each dashboard tab charts its own exam's reviews and due cards, as stats --json does") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));
        send(c, "a\r\rq\r");  // one answer (after any flashcard graded), back home
        REQUIRE(c.screen() == Screen::Home);
        const auto answered = static_cast<int>(f.store->reviews().size());
        REQUIRE(answered >= 1);
        send(c, "d");
        REQUIRE(c.screen() == Screen::Dashboard);
        std::string screen = screen_text(c, 120, 40);
        REQUIRE(screen.find("Dashboard \u00b7 TEST") != std::string::npos);
        CHECK(screen.find("today " + std::to_string(answered)) != std::string::npos);
        for (int i = 0; i < 4 && screen_text(c).find("Dashboard \u00b7 CAT") == std::string::npos; ++i) c.handle(tui::kTab);
        screen = screen_text(c, 120, 40);
        REQUIRE(screen.find("Dashboard \u00b7 CAT") != std::string::npos);
        CHECK(screen.find("today 0") != std::string::npos);
        CHECK(screen.find("total 0") != std::string::npos);

        std::ostringstream json;
        cli::print_stats_json(app::compute_stats(f.services()), json);
        const auto root = nlohmann::json::parse(json.str());
        for (const auto& e : root["exams"]) {
            const int expected = e["id"] == "testexam" ? answered : 0;
            CHECK(e["activity"]["reviews_today"] == expected);
            CHECK(e["activity"]["reviews_per_day"].back() == expected);
            int due = 0;
            for (int d : e["activity"]["due_per_day"]) due += d;
            CHECK(due == (e["id"] == "testexam" ? answered : 0));
        }
    }

    TEST_CASE("help fits 80x24 on a cleared screen and scrolls to its last key") {
        TuiFixture f;
        Router c(f.services(), f.options());
        REQUIRE(screen_text(c).find("Exams") != std::string::npos);
        send(c, "?");
        REQUIRE(c.help_visible());
        std::string shown = screen_text(c);
        CHECK_MESSAGE(shown.find("Exams") == std::string::npos, shown);        // nothing of home shows through
        CHECK_MESSAGE(shown.find("\u2026") == std::string::npos, shown);      // no line is cut
        CHECK(shown.find("Home") != std::string::npos);
        CHECK(shown.find("more below") != std::string::npos);
        for (int i = 0; i < 30; ++i) c.handle(tui::kPageDown);
        REQUIRE(c.help_visible());  // scrolling keys scroll, they do not close
        shown = screen_text(c);
        CHECK_MESSAGE(shown.find("every answer is saved when given") != std::string::npos, shown);
        CHECK(shown.find("more above") != std::string::npos);
        CHECK(shown.find("more below") == std::string::npos);
        CHECK(shown.find("\u2026") == std::string::npos);
        send(c, "k");
        CHECK(c.help_visible());
        send(c, "x");
        CHECK_FALSE(c.help_visible());
        CHECK(c.screen() == Screen::Home);
    }

    TEST_CASE("a question longer than the screen keeps its beginning and scrolls with more marks, also on feedback") {
        TuiFixture f({kLongDecks});
        auto o = f.options(tui::StartScreen::Study, "longexam");
        o.study.domain = "d1";
        Router c(f.services(), o);
        REQUIRE(c.screen() == Screen::StudyQuestion);
        std::string shown = screen_text(c);
        CHECK_MESSAGE(shown.find("Start-of-stem") != std::string::npos, shown);
        CHECK(shown.find("more below") != std::string::npos);
        CHECK(shown.find("more above") == std::string::npos);
        for (int i = 0; i < 5 && screen_text(c).find("End-of-stem") == std::string::npos; ++i) c.handle(tui::kPageDown);
        shown = screen_text(c);
        CHECK_MESSAGE(shown.find("End-of-stem") != std::string::npos, shown);
        CHECK(shown.find("more above") != std::string::npos);
        c.handle(tui::kHome);
        CHECK(screen_text(c).find("Start-of-stem") != std::string::npos);
        // Moving the cursor brings its option into view.
        send(c, "jjj");
        CHECK(screen_text(c).find("\u25b8 ( ) D)") != std::string::npos);
        send(c, "a\r");
        REQUIRE(c.screen() == Screen::StudyFeedback);
        shown = screen_text(c);
        CHECK(shown.find("orrect") != std::string::npos);
        CHECK(shown.find("more below") != std::string::npos);
        for (int i = 0; i < 12; ++i) c.handle(tui::kPageDown);
        shown = screen_text(c);
        CHECK_MESSAGE(shown.find("Next review in") != std::string::npos, shown);
        CHECK(shown.find("more above") != std::string::npos);
        CHECK(shown.find("more below") == std::string::npos);
    }

    TEST_CASE("progress shows a length the session keeps, else counts answers") {
        TuiFixture f;
        const auto answer_item = [](Router& c) {
            if (c.screen() == Screen::FlashFront)
                send(c, " 3");
            else if (c.screen() == Screen::StudyQuestion)
                send(c, "ab\r\r");
        };
        const auto top_row = [](const Router& c) {
            const std::string s = screen_text(c);
            return s.substr(0, s.find('\n'));
        };
        {
            auto o = f.options(tui::StartScreen::Study);
            o.study.limit = 3;  // the test exam has more cards than that: a length it keeps
            Router c(f.services(), o);
            for (int k = 1; k <= 3; ++k) {
                CHECK_MESSAGE(top_row(c).find(std::to_string(k) + " of 3") != std::string::npos, top_row(c));
                answer_item(c);
            }
            CHECK(c.screen() == Screen::StudySummary);
        }
        // No limit the cards fill (learning steps keep bringing cards back): the count of answers,
        // never "n of n" growing with each item.
        Router c(f.services(), f.options(tui::StartScreen::Study));
        for (int answered = 0; answered < 12 && c.screen() != Screen::StudySummary; ++answered) {
            const std::string top = top_row(c);
            CHECK_MESSAGE(top.find(" of ") == std::string::npos, top);
            CHECK_MESSAGE(top.find(std::to_string(answered) + " answered") != std::string::npos, top);
            answer_item(c);
        }
    }

    TEST_CASE("with an exam date, home and dashboard show days left and whether the learner is on track") {
        TuiFixture f;
        app::set_exam_date(f.services(), *f.decks.library.exam("testexam"), "2026-02-01");
        const auto stats = app::compute_stats(f.services(), std::string("testexam"));
        REQUIRE(stats.exams.at(0).plan);
        const auto& plan = *stats.exams.at(0).plan;
        REQUIRE(plan.days_left == 17);
        REQUIRE_FALSE(plan.on_track);  // nothing studied: readiness is the prior, under the pass mark
        char margin[32];
        std::snprintf(margin, sizeof margin, "(%+.0f points vs pass mark)", 100 * plan.margin);
        const std::string expected = std::string("Exam 2026-02-01: 17 days left, not on track ") + margin;
        Router c(f.services(), f.options());
        CHECK_MESSAGE(screen_text(c).find(expected) != std::string::npos, screen_text(c));
        send(c, "d");
        REQUIRE(c.screen() == Screen::Dashboard);
        CHECK_MESSAGE(screen_text(c).find(expected) != std::string::npos, screen_text(c));
        // Another exam without a date shows none.
        c.handle(tui::kTab);
        CHECK(screen_text(c).find("days left") == std::string::npos);
    }

    TEST_CASE("u takes back a suspension, then the answer before it, in the order they happened") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));
        send(c, "a\r\r");  // answer the first item, move on to the next
        const auto answers = f.store->reviews().size();
        const std::string answered_id = f.store->reviews().back().card_id;
        const std::string next = screen_text(c);
        send(c, "s");  // suspend the item on screen
        std::string suspended_id;
        for (const auto& record : f.store->cards())
            if (record.suspended) suspended_id = record.card_id;
        REQUIRE_FALSE(suspended_id.empty());
        send(c, "u");  // the suspension goes first: that item is back, exactly as it was
        CHECK(c.status() == "Suspension undone");
        CHECK_FALSE(f.store->card(suspended_id)->suspended);
        CHECK(f.store->reviews().size() == answers);
        CHECK(above_footer(screen_text(c)) == above_footer(next));
        send(c, "u");  // then the answer
        CHECK(c.status() == "Last answer undone");
        CHECK(f.store->reviews().size() == answers - 1);
        CHECK(c.screen() == Screen::StudyQuestion);
        for (const auto& record : f.store->cards()) CHECK(record.card_id != answered_id);
    }

    TEST_CASE("Enter on a highlighted option of a single-answer item selects and submits it") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_single_question(c));
        send(c, "j");  // highlight B, select nothing
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::StudyFeedback);
        const auto stored = f.store->reviews().back();
        const Card* card = f.decks.library.card(stored.card_id);
        REQUIRE(card);
        REQUIRE(stored.chosen.size() == 1);
        // The option stored is the one that was shown as B.
        const std::string feedback = screen_text(c);
        const std::string& chosen_text = card->options[static_cast<std::size_t>(stored.chosen[0] - 'A')].text;
        CHECK_MESSAGE(feedback.find("B) " + chosen_text.substr(0, 15)) != std::string::npos, feedback);
    }

    TEST_CASE("a choose-two item whose stem says so prints the instruction once") {
        TuiFixture f({kLongDecks});
        auto o = f.options(tui::StartScreen::Study, "longexam");
        o.study.domain = "d2";
        Router c(f.services(), o);
        REQUIRE(c.screen() == Screen::StudyQuestion);
        const std::string shown = screen_text(c);
        std::size_t count = 0;
        for (auto at = shown.find("hoose two"); at != std::string::npos; at = shown.find("hoose two", at + 1)) ++count;
        CHECK_MESSAGE(count == 1, shown);
        send(c, "a\r");  // one of two: still asks for the second
        CHECK(c.status() == "Choose two options");
    }

    TEST_CASE("browse: 1 card, a hint that fits 80 columns, and deck:ID as a filter") {
        TuiFixture f;
        Router c(f.services(), f.options());
        send(c, "bt.d1.q01");
        std::string top = screen_text(c).substr(0, screen_text(c).find('\n'));
        CHECK_MESSAGE(top.find(" 1 card") != std::string::npos, top);
        CHECK(top.find("1 cards") == std::string::npos);
        tui::ScreenBuffer buf(80, 24);
        c.render(buf);
        const std::string hint = buf.row_text(2);
        CHECK_MESSAGE(text::display_width(hint) < 79, hint);  // ends before the edge: nothing cut
        CHECK(hint.find("\u2026") == std::string::npos);
        for (int i = 0; i < 8; ++i) c.handle(tui::kBackspace);
        send(c, "deck:tui-deck");
        top = screen_text(c).substr(0, screen_text(c).find('\n'));
        CHECK_MESSAGE(top.find(" 6 cards") != std::string::npos, top);
        for (int i = 0; i < 8; ++i) c.handle(tui::kBackspace);
        send(c, "other");
        CHECK(screen_text(c).find(" 0 cards") != std::string::npos);
    }

    TEST_CASE("Enter on a dashboard domain row starts a study session on that domain") {
        TuiFixture f;
        Router c(f.services(), f.options());
        send(c, "d");
        REQUIRE(c.screen() == Screen::Dashboard);
        send(c, "j");  // from d1 to d2
        CHECK(screen_text(c).find("\u25b8 d2 Second Domain") != std::string::npos);
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::StudyQuestion);
        for (int items = 0; items < 4 && c.screen() != Screen::StudySummary; ++items) {
            const std::string shown = screen_text(c);
            CHECK_MESSAGE(shown.substr(shown.find('\n') + 1, 3) == " d2", shown);  // every item from d2
            send(c, "a\r\r");
        }
    }

    TEST_CASE("a flashcard longer than the screen scrolls with more marks and keeps its grades reachable") {
        TuiFixture f({kLongDecks});
        auto o = f.options(tui::StartScreen::Study, "longexam");
        o.study.domain = "d3";
        Router c(f.services(), o);
        REQUIRE(c.screen() == Screen::FlashFront);
        send(c, " ");
        REQUIRE(c.screen() == Screen::FlashBack);
        std::string shown = screen_text(c);
        CHECK_MESSAGE(shown.find("Start-of-back") != std::string::npos, shown);
        CHECK(shown.find("more below") != std::string::npos);
        for (int i = 0; i < 5; ++i) c.handle(tui::kPageDown);
        shown = screen_text(c);
        CHECK_MESSAGE(shown.find("End-of-back") != std::string::npos, shown);
        CHECK(shown.find("1 Again") != std::string::npos);
        CHECK(shown.find("more above") != std::string::npos);
        CHECK(c.screen() == Screen::FlashBack);  // scrolling grades nothing
        send(c, "3");
        CHECK(f.store->reviews().size() == 1);
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

    TEST_CASE("help opens on ? and closes on any key, small terminals get a message") {
        TuiFixture f;
        Router c(f.services(), f.options());
        send(c, "?");
        CHECK(c.help_visible());
        CHECK(screen_text(c).find("other keys close") != std::string::npos);
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

}  // namespace test_keys
