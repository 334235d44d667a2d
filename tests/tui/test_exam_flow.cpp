// Mock exams in the trainer, driven by keys: the confirmation with adjustable sizes, the
// adaptive exam end to end, the q/Esc menu (submit, abandon, keep going), resuming an
// interrupted exam, skip-limited navigation, the review of every item and the dashboard trend.
#include "app/mock_exam_session.hpp"
#include "core/text.hpp"
#include "tui/key_table.hpp"
#include "tui_fixture.hpp"

namespace test_exam_flow {

using namespace certdrill;
using namespace certdrill::testing;
using tui::Router;
using tui::Screen;

namespace {

bool has(const std::string& screen, const std::string& text) { return screen.find(text) != std::string::npos; }

// The question on screen, found by the start of its stem.
const Card* card_on_screen(TuiFixture& f, const std::string& exam, const std::string& screen) {
    for (const Card* c : f.decks.library.cards_of(exam))
        if (c->is_question() && has(screen, text::strip_marks(c->stem).substr(0, 25))) return c;
    return nullptr;
}

// The letter an option is shown under, found by the start of its text.
char letter_on_screen(const std::string& screen, const Option& option) {
    const auto pos = screen.find(") " + text::strip_marks(option.text).substr(0, 12));
    REQUIRE(pos != std::string::npos);
    return static_cast<char>(std::tolower(static_cast<unsigned char>(screen[pos - 1])));
}

// Answers the item on screen right or wrong (the choose-N count is kept either way).
void answer(Router& c, TuiFixture& f, const std::string& exam, bool right) {
    const std::string screen = screen_text(c, 120, 40);
    const Card* card = card_on_screen(f, exam, screen);
    REQUIRE(card);
    std::string keys;
    for (const auto& o : card->options)
        if (o.correct == right && static_cast<int>(keys.size()) < card->choose) keys += letter_on_screen(screen, o);
    for (const auto& o : card->options)  // a wrong choose-two answer: one wrong option and one right
        if (static_cast<int>(keys.size()) < card->choose && o.correct) keys += letter_on_screen(screen, o);
    send(c, keys + "\r");
}

// Starts the exam from its confirmation with the sizes as they are.
void start(Router& c) {
    REQUIRE(c.screen() == Screen::ExamStart);
    c.handle(tui::kEnter);
    REQUIRE(c.screen() == Screen::ExamItem);
}

}  // namespace

TEST_SUITE("tui mock exams") {
    TEST_CASE("the adaptive exam: one item at a time, no total, no domain, no going back, its own end") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Exam, "catexam"));
        REQUIRE(c.screen() == Screen::ExamStart);
        CHECK(has(screen_text(c), "Adaptive: 4 to 4 items"));
        start(c);
        for (int i = 1; i <= 4; ++i) {
            const std::string screen = screen_text(c, 120, 40);
            CHECK(has(screen, "CAT \u00b7 mock exam \u00b7 Item " + std::to_string(i) + " "));
            CHECK_FALSE(has(screen, " of 4"));
            CHECK_FALSE(has(screen, "First Domain"));
            CHECK_FALSE(has(screen, "Second Domain"));
            CHECK_FALSE(has(screen, "1.1"));
            c.handle(tui::kLeft);
            c.handle(tui::kRight);
            send(c, "s");
            CHECK(c.status() == "This exam does not allow skipping items");
            CHECK(has(screen_text(c, 120, 40), "Item " + std::to_string(i) + " "));
            answer(c, f, "catexam", true);
        }
        // The test decided after its fourth item: the result comes without a submit prompt.
        REQUIRE(c.screen() == Screen::ExamResult);
        CHECK(c.status() == "The exam has ended");
        const std::string result = screen_text(c, 120, 40);
        CHECK(has(result, "PASS"));
        CHECK(has(result, "Items answered: 4"));
        CHECK(has(result, "Time used: 0m 00s of 10m 00s"));
        CHECK(has(result, "unscored pretest items"));
        CHECK(has(result, "95% interval"));
        CHECK_FALSE(has(result, "Domain proficiency"));  // ISC2 shows it only when failing
        const auto attempts = f.store->attempts();
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].kind == "adaptive");
        CHECK(attempts[0].passed == std::optional<bool>(true));
    }

    TEST_CASE("a failed adaptive exam reports each domain above, near or below the proficiency level") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Exam, "catexam"));
        start(c);
        for (int i = 0; i < 4 && c.screen() == Screen::ExamItem; ++i) answer(c, f, "catexam", false);
        REQUIRE(c.screen() == Screen::ExamResult);
        const std::string result = screen_text(c, 120, 40);
        CHECK(has(result, "FAIL"));
        CHECK(has(result, "Domain proficiency"));
        CHECK(has(result, "d1 First Domain"));
        CHECK(has(result, " proficiency level"));
    }

    TEST_CASE("the confirmation sizes the exam: fewer items get the time pro rata unless minutes were changed") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Exam));
        REQUIRE(c.screen() == Screen::ExamStart);
        CHECK(has(screen_text(c), "Items    \u2190 10 \u2192"));
        CHECK(has(screen_text(c), "Minutes    20"));
        c.handle(tui::kLeft);
        c.handle(tui::kLeft);
        // The time is the one plain mode would give: the rule lives in app::plan_mock.
        app::MockOptions eight;
        eight.exam_id = "testexam";
        eight.items = 8;
        const app::MockPlan plan = app::plan_mock(f.decks.library, eight);
        REQUIRE(plan.minutes_pro_rata);
        CHECK(has(screen_text(c), "Items    \u2190 8 \u2192"));
        CHECK(has(screen_text(c), "Minutes    " + std::to_string(plan.minutes) + "    (the exam's time, pro rata)"));
        send(c, "j");  // to the minutes
        c.handle(tui::kRight);
        CHECK(has(screen_text(c), "Minutes  \u2190 20 \u2192  (set by you)"));
        send(c, "k");
        c.handle(tui::kLeft);  // fewer items again: the minutes the user chose stay
        CHECK(has(screen_text(c), "Items    \u2190 7 \u2192"));
        CHECK(has(screen_text(c), "Minutes    20    (set by you)"));
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::ExamItem);
        CHECK(has(screen_text(c), "Item 1 of 5"));  // the test bank holds five questions
        CHECK(has(screen_text(c), "20:00"));
    }

    TEST_CASE("Esc on the confirmation starts nothing") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Exam));
        c.handle(tui::kEscape);
        CHECK(c.screen() == Screen::Home);
        CHECK(f.store->attempts().empty());
    }

    TEST_CASE("q opens the menu: Esc keeps going, a abandons with nothing recorded") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 4;
        Router c(f.services(), o);
        start(c);
        send(c, "a\r");
        CHECK(has(screen_text(c), "Item 2 of 4"));
        send(c, "q");
        REQUIRE(c.screen() == Screen::ExamConfirm);
        const std::string menu = screen_text(c);
        CHECK(has(menu, "1 of 4 answered"));
        CHECK(has(menu, "s submit  a abandon  n/Esc keep going"));  // the footer, from the key table
        c.handle(tui::kEscape);
        CHECK(c.screen() == Screen::ExamItem);
        CHECK(has(screen_text(c), "Item 2 of 4"));
        c.handle(tui::kEscape);
        REQUIRE(c.screen() == Screen::ExamConfirm);
        send(c, "a");
        CHECK(c.screen() == Screen::Home);
        CHECK(c.status() == "Abandoned: nothing of this exam was recorded");
        CHECK(f.store->attempts().empty());
        CHECK(f.store->reviews().empty());
        CHECK(app::unfinished_exams(f.services()).empty());
    }

    TEST_CASE("s in the menu submits and scores the exam") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 4;
        Router c(f.services(), o);
        start(c);
        send(c, "a\rq");
        send(c, "s");
        REQUIRE(c.screen() == Screen::ExamResult);
        const auto attempts = f.store->attempts();
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].finished_at.has_value());
    }

    TEST_CASE("the menu's keys come from the key table, so help lists them") {
        bool abandon = false, keep_going = false;
        for (const auto& section : tui::help_sections())
            if (section.title == "Exam menu")
                for (const auto& [label, what] : section.rows) {
                    abandon |= label == "a" && has(what, "nothing is recorded");
                    keep_going |= label == "n/Esc";
                }
        CHECK(abandon);
        CHECK(keep_going);
        CHECK(tui::action_for(tui::KeyContext::ExamItem, 'q') == tui::Action::SubmitExam);
        CHECK(tui::action_for(tui::KeyContext::ExamItem, tui::kEscape) == tui::Action::SubmitExam);
    }

    TEST_CASE("an interrupted exam is offered with its time left: later, resume, abandon") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 4;
        o.mock.minutes = 10;
        {
            Router c(f.services(), o);
            start(c);
            send(c, "a\r");
            f.now += 2 * 60'000;
            c.handle(tui::kTick);  // the exam time used is stored now and then
        }  // the session drops
        {
            Router c(f.services(), f.options());
            REQUIRE(c.screen() == Screen::ExamResume);
            const std::string offer = screen_text(c);
            CHECK(has(offer, "TEST mock exam"));
            CHECK(has(offer, "1 answered, 8m 00s left"));
            send(c, "l");
            CHECK(c.screen() == Screen::Home);
        }
        f.now += 60 * 60'000;  // the clock stops while the exam is not running
        {
            Router c(f.services(), f.options());
            REQUIRE(c.screen() == Screen::ExamResume);
            send(c, "r");
            REQUIRE(c.screen() == Screen::ExamItem);
            CHECK(c.status() == "Resumed: 1 answered, 8 minutes left");
            const std::string item = screen_text(c);
            CHECK(has(item, "Item 2 of 4"));
            CHECK(has(item, "8:00"));
        }
        {
            // `certdrill exam testexam`: the offer comes first; abandoning it leads to the confirmation.
            Router c(f.services(), f.options(tui::StartScreen::Exam));
            REQUIRE(c.screen() == Screen::ExamResume);
            send(c, "a");
            CHECK(c.screen() == Screen::ExamStart);
            CHECK(f.store->attempts().empty());
        }
    }

    TEST_CASE("skip-limited navigation: s skips, skips left in the header, skipped items at the end") {
        TuiFixture f;
        for (auto& exam : f.decks.library.exams)
            if (exam.id == "testexam") {  // GSLC's rule on the test exam
                exam.format.revisit = false;
                exam.format.navigation.skip_limit = 2;
            }
        Router c(f.services(), f.options(tui::StartScreen::Exam));
        start(c);
        CHECK_FALSE(c.status().empty());  // the bank holds fewer questions than the exam's ten
        c.handle(tui::kLeft);             // no going back; the note gives way to the key hints
        CHECK(has(screen_text(c), "Item 1 of 5 \u00b7 2 skips left"));
        CHECK(has(screen_text(c), "s skip (2 left)"));
        const Card* first = card_on_screen(f, "testexam", screen_text(c, 120, 40));
        send(c, "s");
        CHECK(c.status() == "Skipped: it comes back after the other items");
        CHECK(has(screen_text(c), "Item 2 of 5 \u00b7 1 skip left"));
        c.handle(tui::kLeft);  // no going back to it yet
        CHECK(has(screen_text(c), "Item 2 of 5"));
        send(c, "s");
        CHECK(has(screen_text(c), "Item 3 of 5 \u00b7 0 skips left"));
        send(c, "s");
        CHECK(c.status() == "No skips left");
        for (int i = 0; i < 3; ++i) answer(c, f, "testexam", true);
        // Back to the skipped ones, in order.
        const std::string again = screen_text(c, 120, 40);
        CHECK(has(again, "Item 1 of 5"));
        CHECK(has(again, "skipped earlier: answer it now"));
        CHECK(card_on_screen(f, "testexam", again) == first);
        answer(c, f, "testexam", true);
        CHECK(has(screen_text(c), "Item 2 of 5"));
        answer(c, f, "testexam", true);
        REQUIRE(c.screen() == Screen::ExamConfirm);
        CHECK(has(screen_text(c), "All items answered"));
        send(c, "s");
        REQUIRE(c.screen() == Screen::ExamResult);
        CHECK(has(screen_text(c, 120, 40), "5 of 5 correct"));
    }

    TEST_CASE("the review shows every item, right ones too, with the chosen and right options") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 4;
        Router c(f.services(), o);
        start(c);
        answer(c, f, "testexam", true);
        answer(c, f, "testexam", false);
        send(c, "q");
        send(c, "s");
        REQUIRE(c.screen() == Screen::ExamResult);
        std::string seen;
        for (int i = 0; i < 8; ++i) {
            seen += screen_text(c);
            send(c, "n");  // to the next item of the review
        }
        CHECK(has(seen, "Review of every item"));
        CHECK(has(seen, "1. right"));
        CHECK(has(seen, "2. wrong"));
        CHECK(has(seen, "3. not answered"));
        CHECK(has(seen, "4. not answered"));
        CHECK(has(seen, "\u25b8\u2714 "));  // chosen and right
        CHECK(has(seen, "\u25b8  "));       // chosen, not right
        CHECK(has(seen, "Why: "));
    }

    TEST_CASE("the dashboard shows the mock scores against the pass mark") {
        TuiFixture f;
        for (bool right : {false, true}) {
            auto o = f.options(tui::StartScreen::Exam);
            o.mock.items = 2;
            Router c(f.services(), o);
            start(c);
            answer(c, f, "testexam", right);
            answer(c, f, "testexam", right);
            if (c.screen() != Screen::ExamResult) send(c, "qs");
            REQUIRE(c.screen() == Screen::ExamResult);
            f.now += 86'400'000;
        }
        Router c(f.services(), f.options());
        send(c, "d");
        REQUIRE(c.screen() == tui::Screen::Dashboard);
        std::string dash;
        for (int i = 0; i < 6; ++i) {
            dash += screen_text(c);
            c.handle(tui::kPageDown);
        }
        CHECK(has(dash, "Mock exams against the pass mark"));
        CHECK(has(dash, "2026-01-15"));
        CHECK(has(dash, "  0.0%  fail"));
        CHECK(has(dash, "100.0%  pass"));
        CHECK(has(dash, "\u2502 the pass mark"));
    }
}

}  // namespace test_exam_flow
