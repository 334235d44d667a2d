#include <doctest/doctest.h>

#include "../tui/tui_fixture.hpp"
#include "app/errors.hpp"
#include "app/services.hpp"

namespace test_services {

using namespace certdrill;
using namespace certdrill::testing;

TEST_SUITE("services") {
    TEST_CASE("the exam to work on: the one asked for, else the one studied last, else the candidate chooses") {
        TuiFixture f;  // two exams: testexam and catexam
        CHECK_THROWS_AS(app::choose_exam(f.decks.library, *f.store, std::string("nope"), app::kExamOption),
                        app::AppError);
        CHECK(app::implied_exam(f.decks.library, *f.store) == nullptr);  // two exams with cards, no answers
        CHECK_THROWS_AS(app::choose_exam(f.decks.library, *f.store, std::nullopt, app::kExamOption), app::AppError);
        store::ReviewRecord r;
        r.card_id = "t.d1.q01";
        r.at = f.now;
        r.rating = 3;
        r.correct = true;
        r.after = f.scheduler.next(fsrs::MemoryState{}, fsrs::Rating::Good, f.now, 0);
        f.store->record_review(r);
        CHECK(app::choose_exam(f.decks.library, *f.store, std::nullopt, app::kExamOption).id == "testexam");
        CHECK(app::choose_exam(f.decks.library, *f.store, std::string("CatExam"), app::kExamOption).id == "catexam");
    }

    TEST_CASE("intervals read like Anki's") {
        CHECK(app::format_interval(30'000) == "<1m");
        CHECK(app::format_interval(10 * kMsPerMinute) == "10m");
        CHECK(app::format_interval(3 * 60 * kMsPerMinute) == "3h");
        CHECK(app::format_interval(4 * kMsPerDay) == "4d");
        CHECK(app::format_interval(61 * kMsPerDay) == "2.0mo");
        CHECK(app::format_interval(400 * kMsPerDay) == "1.1y");
    }
}

}  // namespace test_services
