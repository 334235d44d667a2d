#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../support/answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "../support/use_case_world.hpp"
#include "app/mock_exam_session.hpp"
#include "core/grading.hpp"
#include "decks/loader.hpp"
#include "store/progress_store.hpp"

namespace test_mock_exam_session {

using namespace certdrill;
namespace fs = std::filesystem;

namespace {

using certdrill::testing::fixture_library;

// The same exam under CISSP-like rules: no going back.
const Library& no_revisit_library() {
    static const Library lib = [] {
        Library copy = fixture_library();
        copy.exams.at(0).format.revisit = false;
        return copy;
    }();
    return lib;
}

using certdrill::testing::TempDir;

using World = certdrill::testing::UseCaseWorld;

app::MockOptions options(std::uint64_t seed = 21) {
    app::MockOptions o;
    o.exam_id = "testexam";
    o.seed = seed;
    return o;
}

using certdrill::testing::right_answer;
using certdrill::testing::wrong_answer;

std::string file_letters_of(const app::MockItem& item) {
    std::vector<int> file;
    for (int s : item.chosen) file.push_back(item.order.file_index(s));
    return file_letters(file);
}

}  // namespace

TEST_SUITE("mock exam session") {
    TEST_CASE("the attempt follows the blueprint: 10 questions, 6 from d1 and 4 from d2, no flashcards") {
        World w;
        app::MockExamSession mock(w.services(), options());
        REQUIRE(mock.size() == 10);
        std::map<std::string, int> per_domain;
        for (int i = 0; i < mock.size(); ++i) {
            CHECK(mock.item(i).card->is_question());
            CHECK(mock.item(i).chosen.empty());
            ++per_domain[mock.item(i).card->domain_id];
        }
        CHECK(per_domain == std::map<std::string, int>{{"d1", 6}, {"d2", 4}});
        CHECK(mock.deadline() == w.now + 20 * kMsPerMinute);
        CHECK(mock.notes().empty());
        // The drawn items are on record from the start.
        const auto stored = w.store.attempt_items(mock.attempt_id());
        REQUIRE(stored.size() == 10);
        for (int i = 0; i < 10; ++i) CHECK(stored[static_cast<std::size_t>(i)].card_id == mock.item(i).card->id);

        // The same seed draws the same attempt, options in the same order.
        World v;
        app::MockExamSession twin(v.services(), options());
        for (int i = 0; i < 10; ++i) {
            CHECK(twin.item(i).card == mock.item(i).card);
            CHECK(twin.item(i).order.order == mock.item(i).order.order);
        }
        app::MockExamSession other(v.services(), options(22));
        bool differs = false;
        for (int i = 0; i < 10; ++i) differs = differs || other.item(i).card != mock.item(i).card;
        CHECK(differs);
    }

    TEST_CASE("a linear exam allows going back, changing answers and flagging") {
        World w;
        app::MockExamSession mock(w.services(), options());
        REQUIRE(mock.can_revisit());
        mock.answer(wrong_answer(mock.current()));
        CHECK(mock.position() == 0);  // no automatic move
        CHECK(mock.next());
        CHECK(mock.position() == 1);
        CHECK(mock.previous());
        CHECK(mock.position() == 0);
        CHECK_FALSE(mock.item(0).correct);
        mock.answer(right_answer(mock.current()));
        CHECK(mock.item(0).correct);
        mock.toggle_flag();
        CHECK(mock.go_to(9));  // forward past unanswered items
        CHECK(mock.go_to(2));
        CHECK_FALSE(mock.go_to(10));
        CHECK_FALSE(mock.go_to(-1));
        CHECK(mock.position() == 2);
        CHECK(mock.answered_count() == 1);

        const auto stored = w.store.attempt_items(mock.attempt_id());
        REQUIRE(stored.size() == 10);
        CHECK(stored[0].chosen == file_letters_of(mock.item(0)));
        CHECK(stored[0].correct);
        CHECK(stored[0].flagged);
        CHECK(stored[0].answered_at == w.now);
        CHECK(stored[1].chosen.empty());
        CHECK_FALSE(stored[1].answered_at.has_value());
        // Nothing feeds the scheduler before submission.
        CHECK(w.store.reviews().empty());
    }

    TEST_CASE("without revisits the exam moves on by itself and never goes back") {
        World w;
        app::MockExamSession mock(w.services(no_revisit_library()), options());
        REQUIRE_FALSE(mock.can_revisit());
        CHECK_FALSE(mock.next());  // an item may not be left unanswered
        CHECK_FALSE(mock.go_to(1));
        mock.answer(right_answer(mock.current()));
        CHECK(mock.position() == 1);  // advanced automatically
        CHECK_FALSE(mock.go_to(0));
        CHECK_FALSE(mock.previous());
        CHECK_FALSE(mock.go_to(3));  // no skipping ahead either
        CHECK_FALSE(mock.next());
        CHECK(mock.position() == 1);
        for (int i = 1; i < mock.size(); ++i) {
            CHECK(mock.position() == i);
            mock.answer(wrong_answer(mock.current()));
        }
        CHECK(mock.position() == 9);  // the last item stays on screen
        CHECK_FALSE(mock.next());
        CHECK(mock.answered_count() == 10);
        CHECK(mock.item(0).correct);
        const auto& r = mock.submit();
        CHECK(r.score.correct == 1);
        CHECK(r.score.answered == 10);
    }

    TEST_CASE("time runs out on the injected clock") {
        World w;
        auto o = options();
        o.minutes = 5;
        app::MockExamSession mock(w.services(), o);
        const UnixMs start = w.now;
        CHECK(mock.deadline() == start + 5 * kMsPerMinute);
        w.now += 3 * kMsPerMinute;
        CHECK_FALSE(mock.time_up());
        CHECK(mock.remaining(w.now) == 2 * kMsPerMinute);
        mock.answer(right_answer(mock.current()));
        w.now += 2 * kMsPerMinute;
        CHECK(mock.time_up());
        CHECK(mock.remaining(w.now) == 0);
        w.now += 10 * kMsPerMinute;  // submitted late
        const auto& r = mock.submit();
        CHECK(r.timed_out);
        CHECK(r.duration == 5 * kMsPerMinute);
        CHECK(r.score.answered == 1);
        CHECK(r.score.correct == 1);
        CHECK(r.missed.size() == 9);
        const auto attempts = w.store.attempts("testexam");
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].duration_ms == 5 * kMsPerMinute);
    }

    TEST_CASE("submitting scores the attempt, stores it and feeds the review log as mode exam") {
        World w;
        app::MockExamSession mock(w.services(), options(8));
        const std::string skipped_suspended = mock.item(5).card->id;
        w.store.set_suspended(skipped_suspended, true, w.now);
        // Items 0-5 right, 6-8 wrong, 9 unanswered: 6 of 10 = 60%, below the 70% mark.
        for (int i = 0; i < 9; ++i) {
            REQUIRE(mock.go_to(i));
            w.now += 30'000;
            mock.answer(i < 6 ? right_answer(mock.current()) : wrong_answer(mock.current()));
        }
        w.now += 30'000;
        const auto& r = mock.submit();
        CHECK(mock.submitted());
        CHECK_FALSE(r.timed_out);
        CHECK(r.duration == 10 * 30'000);
        CHECK(r.score.items == 10);
        CHECK(r.score.answered == 9);
        CHECK(r.score.correct == 6);
        CHECK(r.score.percent == doctest::Approx(60.0));
        CHECK_FALSE(r.score.passed);
        CHECK_FALSE(r.score.scaled.has_value());  // the fixture exam has no scale
        CHECK(r.missed == std::vector<int>{6, 7, 8, 9});
        int by_domain = 0;
        for (const auto& [_, d] : r.score.domains) by_domain += d.correct;
        CHECK(by_domain == 6);

        const auto attempts = w.store.attempts("testexam");
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].finished_at == w.now);
        CHECK(attempts[0].score_percent == doctest::Approx(60.0));
        CHECK(attempts[0].passed == false);
        CHECK(attempts[0].item_count == 10);
        CHECK(attempts[0].seed == 8);

        // Every answered item except the suspended one is now a review, graded like a study answer.
        const auto reviews = w.store.reviews();
        REQUIRE(reviews.size() == 8);
        for (const auto& rr : reviews) {
            CHECK(rr.mode == "exam");
            CHECK(rr.at == w.now);
            CHECK(rr.card_id != skipped_suspended);
            CHECK(rr.card_id != mock.item(9).card->id);
            int index = -1;
            for (int i = 0; i < mock.size(); ++i)
                if (mock.item(i).card->id == rr.card_id) index = i;
            REQUIRE(index >= 0);
            CAPTURE(index);
            CHECK(rr.correct == (index < 6));
            CHECK(rr.rating == (index < 6 ? 3 : 1));
            CHECK(rr.chosen == file_letters_of(mock.item(index)));
            const auto record = w.store.card(rr.card_id);
            REQUIRE(record);
            CHECK(record->memory.state == fsrs::State::Learning);
        }
        CHECK(w.store.card(mock.item(9).card->id) == std::nullopt);

        // Submitting again changes nothing; nor do late answers.
        mock.submit();
        mock.go_to(9);
        mock.answer(right_answer(mock.item(9)));
        CHECK(mock.item(9).chosen.empty());
        CHECK(w.store.reviews().size() == 8);
        CHECK(w.store.attempts("testexam").size() == 1);
    }
}

TEST_SUITE("mock exam session") {
    TEST_CASE("answers and flags after the deadline are refused") {
        World w;
        auto o = options();
        o.minutes = 1;
        app::MockExamSession mock(w.services(), o);
        CHECK(mock.answer(right_answer(mock.current())));
        mock.next();
        w.now += kMsPerMinute;
        CHECK_FALSE(mock.answer(right_answer(mock.current())));
        mock.toggle_flag();
        CHECK_FALSE(mock.current().flagged);
        CHECK(mock.current().chosen.empty());
        CHECK(mock.submit().score.answered == 1);
    }
}

}  // namespace test_mock_exam_session
