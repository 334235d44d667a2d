// Exam-date planning through the use cases: a stored date caps every review at the exam day,
// sizes the new cards, and shows in the stats with a forecast that ends on the exam day.
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "../support/answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "../support/use_case_world.hpp"
#include "app/errors.hpp"
#include "app/exam_date.hpp"
#include "app/stats.hpp"
#include "app/study_session.hpp"
#include "store/progress_store.hpp"

namespace test_exam_date {

using namespace certdrill;

namespace {

using certdrill::testing::fixture_library;
using certdrill::testing::TempDir;

struct World : certdrill::testing::UseCaseWorld {
    const Exam& exam() const { return *fixture_library().exam("testexam"); }
    app::ExamStats stats() { return app::compute_stats(services(), std::string("testexam")).exams.front(); }

    // One study session a day, answering `per_day` items, right or wrong by `right`.
    template <class Right>
    void study_days(int days, int per_day, Right right) {
        for (int d = 0; d < days; ++d) {
            app::StudyOptions o;
            o.exam_id = "testexam";
            o.seed = static_cast<std::uint64_t>(d + 1);
            o.limit = per_day;
            app::StudySession session(services(), o);
            int n = 0;
            while (const app::ShownItem* item = session.current()) {
                const bool ok = right(*item->card, n++);
                if (item->card->is_question()) {
                    session.answer(ok ? testing::right_answer(*item) : testing::wrong_answer(*item));
                    session.advance();
                } else {
                    session.grade_flashcard(ok ? fsrs::Rating::Good : fsrs::Rating::Again);
                }
                now += 40'000;
            }
            now += kMsPerDay - static_cast<UnixMs>(n) * 40'000;
        }
    }
};

}  // namespace

TEST_SUITE("exam date") {
    TEST_CASE("a bad or past date is refused with the fix, and nothing is stored") {
        World w;
        for (const char* bad : {"2026-02-30", "tomorrow", "2026-3-9", "2026-03-01", "1969-12-31"}) {
            CAPTURE(bad);
            try {
                app::set_exam_date(w.services(), w.exam(), bad);
                FAIL("accepted");
            } catch (const app::AppError& e) {
                CHECK(e.status() == app::ExitStatus::Usage);
                CHECK_FALSE(e.fix().empty());
                const std::string what = e.what();
                CHECK((what.find("not a date") != std::string::npos || what.find("already passed") != std::string::npos));
            }
        }
        CHECK_FALSE(w.store.exam_date("testexam"));
        app::set_exam_date(w.services(), w.exam(), "2026-03-02");  // today is allowed
        CHECK(w.store.exam_date("testexam") == "2026-03-02");
        CHECK(app::clear_exam_date(w.services(), w.exam()));
        CHECK_FALSE(app::clear_exam_date(w.services(), w.exam()));
    }

    TEST_CASE("without a date the stats predict 30 days ahead and carry no plan") {
        World w;
        const auto e = w.stats();
        CHECK(e.horizon_label == "30d");
        CHECK(e.horizon == w.now + 30 * kMsPerDay);
        CHECK_FALSE(e.plan);
        CHECK(e.readiness == doctest::Approx(0.40));
    }

    TEST_CASE("with a date no review is scheduled after the exam day, and every card is seen twice") {
        World w;
        app::set_exam_date(w.services(), w.exam(), "2026-03-12");  // 10 days
        const StudyDay exam_day = *parse_exam_date("2026-03-12");
        // Good answers would give intervals far past the exam; the cap keeps every one on or before it.
        w.study_days(10, 30, [](const Card&, int n) { return n % 5 != 0; });
        const auto cards = w.store.cards();
        REQUIRE(cards.size() == fixture_library().cards_of("testexam").size());
        for (const auto& c : cards) {
            CAPTURE(c.card_id);
            CHECK(utc_day_counter().day_of(c.memory.due) <= exam_day);
        }
        // Every card answered at least twice on different days before the exam day.
        for (const Card* card : fixture_library().cards_of("testexam")) {
            std::set<std::int64_t> days;
            for (const auto& r : w.store.reviews(card->id))
                if (utc_day_counter().day_of(r.at) < exam_day) days.insert(utc_day_counter().day_of(r.at));
            CAPTURE(card->id);
            CHECK(days.size() >= 2);
        }
    }

    TEST_CASE("the plan in the stats: days left, exam-day readiness against the pass mark, forecast to the day") {
        World w;
        app::set_exam_date(w.services(), w.exam(), "2026-03-20");
        auto e = w.stats();
        REQUIRE(e.plan);
        CHECK(e.horizon_label == "2026-03-20");
        CHECK(e.plan->exam_date == "2026-03-20");
        CHECK(e.plan->days_left == 18);
        CHECK(e.plan->readiness_exam_day == doctest::Approx(0.40));  // before study: the prior
        CHECK_FALSE(e.plan->on_track);                                // pass mark 70%
        CHECK(e.plan->margin == doctest::Approx(0.40 - 0.70));
        const std::size_t cards = fixture_library().cards_of("testexam").size();
        CHECK(e.plan->unseen == cards);
        CHECK(e.plan->new_per_day == (cards + 16) / 17);
        REQUIRE(e.plan->due_per_day.size() == 19);  // today through the exam day
        CHECK(e.plan->due_per_day.front().first == "2026-03-02");
        CHECK(e.plan->due_per_day.back().first == "2026-03-20");
        int total = 0;
        for (const auto& [day, count] : e.plan->due_per_day) total += count;
        CHECK(total >= static_cast<int>(2 * cards));  // every card at least twice

        // A strong learner's readiness rises above the pass mark and shows on track.
        w.study_days(12, 40, [](const Card&, int) { return true; });
        e = w.stats();
        REQUIRE(e.plan);
        CHECK(e.plan->days_left == 6);
        CHECK(e.plan->readiness_exam_day == doctest::Approx(e.readiness));
        CHECK(e.plan->on_track == (e.readiness >= 0.70));
        CHECK(e.readiness > 0.70);
        for (const auto& [day, count] : e.plan->due_per_day) CHECK(day <= std::string("2026-03-20"));
    }

    TEST_CASE("once the exam day has passed the horizon returns to 30 days and nothing is capped") {
        World w;
        app::set_exam_date(w.services(), w.exam(), "2026-03-03");
        w.now += 3 * kMsPerDay;
        const auto e = w.stats();
        REQUIRE(e.plan);
        CHECK(e.plan->days_left == -2);
        CHECK(e.horizon_label == "30d");
        CHECK(e.plan->due_per_day.empty());
    }
}

}  // namespace test_exam_date
