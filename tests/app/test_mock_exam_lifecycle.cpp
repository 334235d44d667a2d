// Mock exams sized, limited to a domain, interrupted and resumed, abandoned, run out of time;
// the adaptive exam through the use case; skip-limited navigation (GSLC's rule).
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "../support/answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "app/exam_report.hpp"
#include "app/mock_exam_session.hpp"
#include "store/progress_store.hpp"

namespace test_mock_exam_lifecycle {

using namespace certdrill;
using certdrill::testing::right_answer;
using certdrill::testing::wrong_answer;

namespace {

// GSLC's rule: answered items are final; up to 2 items may be skipped and answered at the end.
const Library& skip_library() {
    static const Library lib = [] {
        Library copy = certdrill::testing::fixture_library();
        copy.exams.at(0).format.revisit = false;
        copy.exams.at(0).format.navigation.skip_limit = 2;
        return copy;
    }();
    return lib;
}

struct World {
    certdrill::testing::TempDir dir;
    store::ProgressStore store{dir.path / "progress.db"};
    fsrs::Scheduler scheduler;
    UnixMs now = *parse_iso8601("2026-03-02T09:00:00Z");

    app::Services services(const Library& lib = certdrill::testing::fixture_library()) {
        return app::Services{lib, store, scheduler, [this] { return now; }, utc_day_counter()};
    }
};

app::MockOptions options(std::uint64_t seed = 21) {
    app::MockOptions o;
    o.exam_id = "testexam";
    o.seed = seed;
    return o;
}

}  // namespace

TEST_SUITE("mock exam lifecycle") {
    TEST_CASE("fewer items get the exam's time pro rata unless minutes are given") {
        const Library& lib = certdrill::testing::fixture_library();
        auto o = options();
        o.items = 5;
        const app::MockPlan plan = app::plan_mock(lib, o);
        CHECK(plan.items == 5);
        CHECK(plan.minutes == 10);  // 20 minutes for 10 items
        CHECK(plan.minutes_pro_rata);
        o.minutes = 7;
        CHECK(app::plan_mock(lib, o).minutes == 7);
        CHECK_FALSE(app::plan_mock(lib, o).minutes_pro_rata);
        o.domain = "d9";
        CHECK_THROWS_AS(app::plan_mock(lib, o), std::invalid_argument);
    }

    TEST_CASE("a domain quiz draws only from its domain, its share of the exam by default") {
        World w;
        auto o = options();
        o.domain = "d2";
        app::MockExamSession mock(w.services(), o);
        CHECK(mock.size() == 4);  // d2 weighs 40% of 10 items
        for (int i = 0; i < mock.size(); ++i) CHECK(mock.item(i).card->domain_id == "d2");
        CHECK(mock.deadline() == w.now + 8 * kMsPerMinute);
    }

    TEST_CASE("an interrupted exam resumes with its items, answers, option order and remaining time") {
        World w;
        std::int64_t id = 0;
        std::vector<std::string> cards, orders;
        {
            app::MockExamSession mock(w.services(), options());
            id = mock.attempt_id();
            for (int i = 0; i < mock.size(); ++i) {
                cards.push_back(mock.item(i).card->id);
                std::string o;
                for (int f : mock.item(i).order.order) o += static_cast<char>('A' + f);
                orders.push_back(o);
            }
            for (int i = 0; i < 3; ++i) {
                w.now += kMsPerMinute;
                mock.answer(i == 1 ? wrong_answer(mock.current()) : right_answer(mock.current()));
                mock.next();
            }
            // The process dies here: nothing is submitted.
        }
        w.now += 60 * kMsPerMinute;  // away for an hour: the exam clock does not run
        const auto unfinished = app::unfinished_exams(w.services(), std::string("testexam"));
        REQUIRE(unfinished.size() == 1);
        CHECK(unfinished[0].attempt_id == id);
        CHECK(unfinished[0].answered == 3);
        CHECK(unfinished[0].remaining == 17 * kMsPerMinute);

        app::MockExamSession resumed(w.services(), id);
        REQUIRE(resumed.size() == 10);
        for (int i = 0; i < 10; ++i) {
            CHECK(resumed.item(i).card->id == cards[static_cast<std::size_t>(i)]);
            std::string o;
            for (int f : resumed.item(i).order.order) o += static_cast<char>('A' + f);
            CHECK(o == orders[static_cast<std::size_t>(i)]);
        }
        CHECK(resumed.answered_count() == 3);
        CHECK_FALSE(resumed.item(1).correct);
        CHECK(resumed.item(2).correct);
        CHECK(resumed.position() == 3);
        CHECK(resumed.deadline() == w.now + 17 * kMsPerMinute);
        while (resumed.answered_count() < resumed.size()) {
            resumed.answer(right_answer(resumed.current()));
            resumed.next();
        }
        const auto& r = resumed.submit();
        CHECK(r.score.correct == 9);
        CHECK(app::unfinished_exams(w.services()).empty());
        CHECK(w.store.attempts("testexam").size() == 1);
    }

    TEST_CASE("abandoning leaves no attempt, no history entry and no answers") {
        World w;
        {
            app::MockExamSession mock(w.services(), options());
            mock.answer(right_answer(mock.current()));
            mock.next();
            mock.abandon();
            CHECK(mock.abandoned());
            CHECK_FALSE(mock.answer(right_answer(mock.current())));
            CHECK_THROWS_AS(mock.submit(), std::logic_error);
        }
        CHECK(w.store.attempts().empty());
        CHECK(w.store.reviews().empty());
        CHECK(w.store.cards().empty());
        // An interrupted one abandoned on the next start goes the same way.
        std::int64_t id = 0;
        {
            app::MockExamSession mock(w.services(), options(5));
            id = mock.attempt_id();
            mock.answer(right_answer(mock.current()));
        }
        app::abandon_exam(w.services(), id);
        CHECK(w.store.attempts().empty());
        CHECK(w.store.attempt_items(id).empty());
        CHECK_THROWS_AS(app::MockExamSession(w.services(), id), std::invalid_argument);
    }

    TEST_CASE("a submitted exam is no longer offered, and cannot be resumed or abandoned") {
        World w;
        app::MockExamSession mock(w.services(), options());
        mock.submit();
        CHECK(app::unfinished_exams(w.services()).empty());
        CHECK_THROWS_AS(app::MockExamSession(w.services(), mock.attempt_id()), std::invalid_argument);
        CHECK_THROWS_AS(app::abandon_exam(w.services(), mock.attempt_id()), std::invalid_argument);
        CHECK(w.store.attempts().size() == 1);
    }

    TEST_CASE("resumed with its time already used up, the exam is over and scores what was answered") {
        World w;
        std::int64_t id = 0;
        {
            app::MockExamSession mock(w.services(), options());
            id = mock.attempt_id();
            mock.answer(right_answer(mock.current()));
            w.now += 20 * kMsPerMinute;  // the last minutes pass on screen
            mock.checkpoint();
        }
        app::MockExamSession resumed(w.services(), id);
        CHECK(resumed.time_up());
        CHECK_FALSE(resumed.answer(right_answer(resumed.current())));
        const auto& r = resumed.submit();
        CHECK(r.timed_out);
        CHECK(r.duration == 20 * kMsPerMinute);
        CHECK(r.score.correct == 1);
    }

    TEST_CASE("the adaptive exam: forward only, pretest items marked, ends by its rules, resumes exactly") {
        World w;
        std::int64_t id = 0;
        std::string current_card;
        {
            app::MockExamSession mock(w.services(certdrill::testing::adaptive_fixture_library()), options(3));
            CHECK(mock.adaptive());
            CHECK(mock.size() == 1);  // items come one at a time
            CHECK_FALSE(mock.can_revisit());
            id = mock.attempt_id();
            for (int i = 0; i < 4; ++i) {
                const int before = mock.size();
                REQUIRE(mock.answer(right_answer(mock.current())));
                CHECK(mock.size() == before + 1);
                CHECK(mock.position() == before);
                CHECK_FALSE(mock.previous());
            }
            current_card = mock.current().card->id;
        }
        app::MockExamSession resumed(w.services(certdrill::testing::adaptive_fixture_library()), id);
        CHECK(resumed.size() == 5);
        CHECK(resumed.answered_count() == 4);
        CHECK(resumed.current().card->id == current_card);  // the same item, not a new draw
        std::set<std::string> seen;
        for (int i = 0; i < resumed.size(); ++i) seen.insert(resumed.item(i).card->id);
        while (!resumed.finished()) REQUIRE(resumed.answer(right_answer(resumed.current())));
        for (int i = 0; i < resumed.size(); ++i) CHECK(seen.insert(resumed.item(i).card->id).second == (i >= 5));
        int pretest = 0;
        for (int i = 0; i < resumed.size(); ++i) pretest += resumed.item(i).pretest ? 1 : 0;
        CHECK(pretest == 2);
        const auto& r = resumed.submit();
        CHECK(r.adaptive);
        CHECK(r.passed);
        CHECK(r.answered >= 8);
        CHECK(r.pretest == 2);
        CHECK(r.ability.theta > r.standard);
        const auto report = app::build_report(resumed);
        CHECK(report.verdict == "PASS");
        CHECK(report.domains.empty());  // proficiency only when failing, as ISC2 reports
        const auto attempts = w.store.attempts("testexam");
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].kind == "adaptive");
        CHECK(attempts[0].ability);
        CHECK(app::mock_trend(w.services(certdrill::testing::adaptive_fixture_library()), certdrill::testing::adaptive_fixture_library().exams[0]).size() == 1);
    }

    TEST_CASE("the adaptive exam: out of time before the minimum fails with domain proficiency shown") {
        World w;
        app::MockExamSession mock(w.services(certdrill::testing::adaptive_fixture_library()), options(4));
        for (int i = 0; i < 5; ++i) mock.answer(right_answer(mock.current()));
        w.now += 13 * kMsPerMinute;  // 12 items get 20 * 12 / 10 = 24 minutes; go past it
        w.now += 11 * kMsPerMinute;
        CHECK(mock.time_up());
        const auto& r = mock.submit();
        CHECK(r.timed_out);
        CHECK_FALSE(r.passed);
        CHECK(r.stop_reason == cat::to_string(cat::StopReason::TimeBeforeMinimum));
        const auto report = app::build_report(mock);
        CHECK(report.verdict == "FAIL");
        CHECK_FALSE(report.domains.empty());
    }

    TEST_CASE("skip-limited navigation: skipped items come back at the end, answered ones never") {
        World w;
        app::MockExamSession mock(w.services(skip_library()), options());
        CHECK(mock.navigation() == app::Navigation::SkipLimited);
        CHECK(mock.skips_left() == 2);
        const std::string first = mock.current().card->id;
        REQUIRE(mock.skip());
        CHECK(mock.position() == 1);
        mock.answer(right_answer(mock.current()));
        CHECK(mock.position() == 2);
        CHECK_FALSE(mock.go_to(1));  // answered: closed
        REQUIRE(mock.skip());
        CHECK_FALSE(mock.skip());  // the current item is fresh, but no skips are left
        CHECK(mock.skips_left() == 0);
        while (mock.answered_count() < 8) mock.answer(right_answer(mock.current()));
        // Only the two skipped items are left, in order.
        CHECK(mock.current().card->id == first);
        mock.answer(wrong_answer(mock.current()));
        CHECK(mock.position() == 2);
        mock.answer(right_answer(mock.current()));
        CHECK(mock.answered_count() == 10);
        CHECK(mock.submit().score.correct == 9);
    }

    TEST_CASE("the score report names the scale and never calls the pass mark a percent") {
        World w;
        Library lib = certdrill::testing::fixture_library();
        ExamFormat& f = lib.exams.at(0).format;
        f.scale_min = 0;
        f.scale_max = 1000;
        f.passing_score = 700;
        f.scoring.report = "scaled";
        app::MockExamSession mock(w.services(lib), options());
        for (int i = 0; i < mock.size(); ++i) {
            mock.answer(right_answer(mock.current()));
            mock.next();
        }
        mock.submit();
        const auto report = app::build_report(mock);
        CHECK(report.verdict == "PASS");
        REQUIRE(!report.lines.empty());
        CHECK(report.lines[0] == "Scaled score (estimate): 1000 on the 0-1000 scale; 700 to pass");
        bool caveat = false;
        for (const auto& n : report.notes) caveat |= n.find("is not 70% correct") != std::string::npos;
        CHECK(caveat);
        const auto review = app::review_items(mock);
        REQUIRE(review.size() == 10);
        for (const auto& e : review) {
            int chosen_right = 0;
            for (const auto& o : e.options) chosen_right += o.chosen && o.right ? 1 : 0;
            CHECK(chosen_right == e.choose);
        }
    }
}

}  // namespace test_mock_exam_lifecycle
