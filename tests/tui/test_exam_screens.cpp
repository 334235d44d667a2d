// Golden screens of the mock exam's own screens: the confirmation, the adaptive item, the menu,
// the resumption offer, the adaptive result with its review, and the dashboard's trend.
#include "tui_fixture.hpp"

namespace test_exam_screens {

using namespace certdrill;
using namespace certdrill::testing;
using tui::Router;
using tui::Screen;

TEST_SUITE("tui screens") {
    TEST_CASE("golden: exam confirmation, adaptive item, menu, adaptive result") {
        TuiFixture f;
        Router c(f.services(), f.options(tui::StartScreen::Exam, "catexam"));
        REQUIRE(c.screen() == Screen::ExamStart);
        check_golden("exam-start-80x24", screen_text(c));
        check_golden("exam-start-120x40", screen_text(c, 120, 40));
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::ExamItem);
        check_golden("exam-adaptive-item-80x24", screen_text(c));
        send(c, "q");
        REQUIRE(c.screen() == Screen::ExamConfirm);
        check_golden("exam-menu-80x24", screen_text(c));
        send(c, "n");
        // Whatever the answers, four items end this test; "ab" fits single and choose-two items.
        for (int i = 0; i < 4 && c.screen() == Screen::ExamItem; ++i) send(c, "ab\r");
        REQUIRE(c.screen() == Screen::ExamResult);
        check_golden("exam-adaptive-result-80x24", screen_text(c));
        check_golden("exam-adaptive-result-120x40", screen_text(c, 120, 40));
        send(c, "n");  // the first item of the review
        check_golden("exam-review-80x24", screen_text(c));
    }

    TEST_CASE("golden: the resumption offer and the dashboard's trend") {
        TuiFixture f;
        {
            auto o = f.options(tui::StartScreen::Exam);
            o.mock.items = 2;
            Router c(f.services(), o);
            c.handle(tui::kEnter);
            send(c, "a\rb\rqs");  // both answered, submitted
            REQUIRE(c.screen() == Screen::ExamResult);
        }
        f.now += 86'400'000;
        {
            auto o = f.options(tui::StartScreen::Exam);
            o.mock.items = 4;
            Router c(f.services(), o);
            c.handle(tui::kEnter);
            send(c, "a\r");
            f.now += 90'000;
        }  // interrupted
        Router c(f.services(), f.options());
        REQUIRE(c.screen() == Screen::ExamResume);
        check_golden("exam-resume-80x24", screen_text(c));
        send(c, "l");
        send(c, "d");
        REQUIRE(c.screen() == Screen::Dashboard);
        c.handle(tui::kPageDown);
        check_golden("dashboard-trend-80x24", screen_text(c));
    }
}

}  // namespace test_exam_screens
