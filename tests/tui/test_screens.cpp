#include "core/text.hpp"
#include "tui/doc.hpp"
#include "tui/screens.hpp"
#include "tui_fixture.hpp"

namespace test_screens {

using namespace certdrill;
using namespace certdrill::testing;
using tui::Router;
using tui::Screen;

namespace {

// The dashboard for `stats`, drawn at 80x24 the way the trainer draws it.
tui::ScreenBuffer render_dashboard_80x24(const app::Stats& stats, const Exam* exam, UnixMs now) {
    auto view = tui::make_dashboard(stats, exam);
    tui::ScreenBuffer buf(80, 24);
    const std::string status;
    view->render(buf, tui::Frame{status, now});
    return buf;
}

// A dashboard exam's figures with 30 empty days of history; domains and offers are each test's own.
app::ExamStats dashboard_exam(const Exam& exam, double readiness) {
    app::ExamStats e;
    e.id = exam.id;
    e.short_name = exam.short_name;
    e.passing = 0.7;
    e.readiness = readiness;
    e.reviews_per_day.assign(30, 0);
    e.due_per_day.assign(30, 0);
    return e;
}

}  // namespace

TEST_SUITE("tui screens") {
    TEST_CASE("golden: home, study, feedback, flashcard, summary") {
        TuiFixture f;
        Router c(f.services(), f.options());
        check_golden("home-80x24", screen_text(c));
        check_golden("home-120x40", screen_text(c, 120, 40));
        send(c, "s");
        REQUIRE(c.screen() == Screen::StudyQuestion);
        check_golden("question-80x24", screen_text(c));
        check_golden("question-120x40", screen_text(c, 120, 40));
        // Answer whatever option is first, then look at the feedback.
        send(c, "a\r");
        REQUIRE(c.screen() == Screen::StudyFeedback);
        check_golden("feedback-80x24", screen_text(c));
        check_golden("feedback-120x40", screen_text(c, 120, 40));
        // Go through the session until the flashcard shows.
        for (int i = 0; i < 12 && c.screen() != Screen::FlashFront && c.screen() != Screen::StudySummary; ++i) {
            if (c.screen() == Screen::StudyFeedback)
                send(c, "\r");
            else if (c.screen() == Screen::StudyQuestion)
                send(c, "ab\r");
        }
        REQUIRE(c.screen() == Screen::FlashFront);
        send(c, " ");
        check_golden("flashcard-back-80x24", screen_text(c));
        check_golden("flashcard-back-120x40", screen_text(c, 120, 40));
        send(c, "3q");
        REQUIRE(c.screen() == Screen::StudySummary);
        check_golden("summary-80x24", screen_text(c));
        check_golden("summary-120x40", screen_text(c, 120, 40));
    }

    TEST_CASE("golden: mock exam item, grid, result") {
        TuiFixture f;
        auto o = f.options(tui::StartScreen::Exam);
        o.mock.items = 4;
        o.mock.minutes = 20;  // the whole exam's time, as when these screens were recorded
        Router c(f.services(), o);
        REQUIRE(c.screen() == Screen::ExamStart);
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::ExamItem);
        check_golden("exam-item-80x24", screen_text(c));
        check_golden("exam-item-120x40", screen_text(c, 120, 40));
        send(c, "a\rf");
        send(c, "g");
        REQUIRE(c.screen() == Screen::ExamGrid);
        check_golden("exam-grid-80x24", screen_text(c));
        send(c, "S");
        REQUIRE(c.screen() == Screen::ExamConfirm);
        check_golden("exam-confirm-80x24", screen_text(c));
        check_golden("exam-confirm-120x40", screen_text(c, 120, 40));
        send(c, "y");
        REQUIRE(c.screen() == Screen::ExamResult);
        check_golden("exam-result-80x24", screen_text(c));
        check_golden("exam-result-120x40", screen_text(c, 120, 40));
    }

    TEST_CASE("golden: dashboard, browse, card detail, help, too small") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));  // grades the flashcard if it comes first
        send(c, "a\r\r");              // and one question, so the dashboard has figures
        send(c, "q\r");                // end the session, back home
        REQUIRE(c.screen() == Screen::Home);
        send(c, "d");
        check_golden("dashboard-80x24", screen_text(c));
        check_golden("dashboard-120x40", screen_text(c, 120, 40));
        c.handle(tui::kEscape);
        send(c, "bdomain:d2");
        check_golden("browse-80x24", screen_text(c));
        check_golden("browse-120x40", screen_text(c, 120, 40));
        c.handle(tui::kEnter);
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::CardDetail);
        check_golden("card-detail-80x24", screen_text(c));
        send(c, "?");
        check_golden("help-80x24", screen_text(c));
        check_golden("help-120x40", screen_text(c, 120, 40));
        check_golden("too-small-60x20", screen_text(c, 60, 20));
    }

    TEST_CASE("at 80 columns the dashboard cuts names, never numbers, and domain rows add up to due now") {
        TuiFixture f;
        const Exam* exam = f.decks.library.exam("testexam");
        REQUIRE(exam);
        app::Stats stats;
        app::ExamStats e = dashboard_exam(*exam, 0.42);
        const std::size_t due[] = {123, 45};
        for (std::size_t i = 0; i < exam->domains.size(); ++i) {
            app::DomainStats d;
            d.id = exam->domains[i].id;
            d.name = "A domain name long enough to crowd the figures out of the row";
            d.weight = 50;
            d.figures.mastery = 1.0;
            d.figures.due_now = due[i];
            e.due_now += due[i];
            e.domains.push_back(d);
        }
        stats.exams.push_back(e);
        const tui::ScreenBuffer buf = render_dashboard_80x24(stats, exam, f.now);
        const std::string screen = buf.to_text();
        CHECK_MESSAGE(screen.find("due now 168") != std::string::npos, screen);
        std::size_t sum = 0;
        for (int row = 0; row < buf.height(); ++row) {
            const std::string line = buf.row_text(row);
            const auto at = line.find("  due ");
            if (line.find("d1 ") == std::string::npos && line.find("d2 ") == std::string::npos) continue;
            REQUIRE_MESSAGE(at != std::string::npos, line);
            sum += std::stoul(line.substr(at + 6));
            CHECK(line.find("100%") != std::string::npos);
        }
        CHECK(sum == 168);
    }

    TEST_CASE("the dashboard offers certdrill optimize when its figures say so, within 80 columns") {
        TuiFixture f;
        const Exam* exam = f.decks.library.exam("testexam");
        REQUIRE(exam);
        auto screen_with = [&](const app::OptimizeOffer& offer) {
            app::Stats stats;
            app::ExamStats e = dashboard_exam(*exam, 0.55);
            e.optimize = offer;
            e.reviews = offer.reviews;
            stats.exams.push_back(e);
            return render_dashboard_80x24(stats, exam, f.now).to_text();
        };
        const std::string first = screen_with(app::decide_optimize_offer(12345, std::nullopt, std::nullopt));
        check_golden("dashboard-optimize-80x24", first);
        CHECK(first.find("Fit FSRS to your 12345 answers: certdrill optimize --exam testexam") != std::string::npos);
        const std::string again = screen_with(app::decide_optimize_offer(15000, 12000, f.now));
        CHECK(again.find("3000 answers since the last fit: certdrill optimize --exam testexam") != std::string::npos);
        CHECK(screen_with(app::decide_optimize_offer(14000, 12000, f.now)).find("optimize") == std::string::npos);
    }

    TEST_CASE("golden: card detail with its answer history") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Study));
        REQUIRE(skip_to_question(c));
        send(c, "b\r");  // one answer; the card is opened a day later
        const std::string id = f.store->reviews().back().card_id;
        send(c, "q\r");
        f.now += 86'400'000;
        Router later(f.services(), f.options());
        send(later, "b" + id);
        later.handle(tui::kEnter);
        later.handle(tui::kEnter);
        REQUIRE(later.screen() == Screen::CardDetail);
        check_golden("card-detail-history-80x24", screen_text(later));
        check_golden("card-detail-history-120x40", screen_text(later, 120, 40));
    }

    TEST_CASE("golden: a long stem, scrolled") {
        TuiFixture f({kLongDecks});
        auto o = f.options(tui::StartScreen::Study, "longexam");
        o.study.domain = "d1";
        for (const auto& [w, h] : {std::pair{80, 24}, std::pair{120, 40}}) {
            Router c(f.services(), o);
            c.resize(w, h);
            REQUIRE(c.screen() == Screen::StudyQuestion);
            c.handle(tui::kPageDown);
            check_golden("long-stem-scrolled-" + std::to_string(w) + "x" + std::to_string(h), screen_text(c, w, h));
        }
    }

    TEST_CASE("deck text cannot reach the terminal with control sequences") {
        tui::Doc doc(60);
        doc.paragraph(
            "Clear \x1b[2J screen \x1b]0;title\x07 and \xc2\x9b"
            "31m red\x1b[0m *bold* `code`");
        tui::ScreenBuffer buf(60, 3);
        tui::blit(buf, doc, 0, 3, 0);
        const std::string shown = buf.to_text();
        CHECK(shown.find('\x1b') == std::string::npos);
        CHECK(shown.find('\x07') == std::string::npos);
        CHECK(shown.find("\xc2\x9b") == std::string::npos);
        CHECK(shown.rfind("Clear screen and red bold code", 0) == 0);
        // The marks become styles, not characters.
        int bold_cells = 0;
        for (int col = 0; col < 60; ++col) bold_cells += buf.at(0, col).style == tui::Style::Bold ? 1 : 0;
        CHECK(bold_cells == 4);
    }
}

}  // namespace test_screens
