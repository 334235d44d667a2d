#include <doctest/doctest.h>

#include "../tui/tui_fixture.hpp"
#include "app/services.hpp"

using namespace certdrill;
using namespace certdrill::testing;

TEST_SUITE("services") {
    TEST_CASE("the exam to study: the one asked for, else the one studied last, else the first with cards") {
        TuiFixture f;  // two exams: testexam and catexam
        std::string error;
        CHECK(app::resolve_exam(f.decks.library, *f.store, std::string("nope"), error) == nullptr);
        CHECK(error == "unknown exam 'nope'; available: catexam testexam");
        const Exam* first = app::resolve_exam(f.decks.library, *f.store, std::nullopt, error);
        REQUIRE(first);
        CHECK(first->id == "catexam");  // first in load order with cards
        store::ReviewRecord r;
        r.card_id = "t.d1.q01";
        r.at = f.now;
        r.rating = 3;
        r.correct = true;
        r.after = f.scheduler.next(fsrs::MemoryState{}, fsrs::Rating::Good, f.now, 0);
        f.store->record_review(r);
        const Exam* last = app::resolve_exam(f.decks.library, *f.store, std::nullopt, error);
        REQUIRE(last);
        CHECK(last->id == "testexam");
        CHECK(app::resolve_exam(f.decks.library, *f.store, std::string("catexam"), error)->id == "catexam");
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
