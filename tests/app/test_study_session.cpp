#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support/answers.hpp"
#include "../support/study_answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "../support/use_case_world.hpp"
#include "app/study_session.hpp"
#include "core/grading.hpp"
#include "decks/loader.hpp"
#include "store/progress_store.hpp"
#include "store/sqlite.hpp"

namespace test_study_session {

using namespace certdrill;
namespace fs = std::filesystem;

namespace {

using certdrill::testing::fixture_library;

using certdrill::testing::TempDir;

struct World : certdrill::testing::UseCaseWorld {
    app::StudyOptions options(std::uint64_t seed = 5) const {
        app::StudyOptions o;
        o.exam_id = "testexam";
        o.seed = seed;
        return o;
    }
};

using certdrill::testing::right_answer;
using certdrill::testing::wrong_answer;

std::string file_letters_of(const app::ShownItem& item, const std::vector<int>& screen) {
    std::vector<int> file;
    for (int s : screen) file.push_back(item.order.file_index(s));
    return file_letters(file);
}

// Moves on until a question is on screen, answering other items right.
const app::ShownItem& until_question(app::StudySession& session, World& w) {
    while (session.current() && !session.current()->card->is_question()) {
        w.now += 20'000;
        certdrill::testing::answer_shown(session, true);
    }
    REQUIRE(session.current());
    return *session.current();
}

}  // namespace

TEST_SUITE("study session") {
    TEST_CASE("each answer is stored before the next card is shown") {
        World w;
        app::StudySession session(w.services(), w.options());
        REQUIRE(session.current());
        CHECK(session.current()->number == 1);
        // 18 cards and no limit they fill: the length is not known, answers are counted instead.
        CHECK(session.current()->planned == 0);
        CHECK(app::progress_text(*session.current()) == "0 answered");
        const app::ShownItem& item = until_question(session, w);
        const Card& card = *item.card;
        const auto chosen = right_answer(item);
        w.now += 30'000;
        const app::Feedback f = session.answer(chosen);
        CHECK(f.correct);
        CHECK(f.rating == fsrs::Rating::Good);
        CHECK(f.correct_screen == chosen);
        CHECK(f.next_interval == "10m");  // the second learning step

        // Stored already, and visible to another connection to the same file.
        store::ProgressStore other(w.store.file());
        const auto reviews = other.reviews(card.id);
        REQUIRE(reviews.size() == 1);
        CHECK(reviews[0].correct);
        CHECK(reviews[0].rating == 3);
        CHECK(reviews[0].mode == "study");
        CHECK(reviews[0].session_id == session.session_id());
        CHECK(reviews[0].chosen == file_letters_of(item, chosen));
        CHECK(reviews[0].response_ms == 30'000);
        const auto record = other.card(card.id);
        REQUIRE(record);
        CHECK(record->memory.state == fsrs::State::Learning);
        CHECK(record->memory.due == w.now + 10 * kMsPerMinute);

        session.advance();
        REQUIRE(session.current());
        CHECK(session.current()->card != &card);

        SUBCASE("a wrong answer is Again and comes back after the first step") {
            const app::ShownItem& next = until_question(session, w);
            const Card& missed = *next.card;
            const app::Feedback g = session.answer(wrong_answer(next));
            CHECK_FALSE(g.correct);
            CHECK(g.rating == fsrs::Rating::Again);
            CHECK(g.next_interval == "1m");
            CHECK(g.correct_screen == right_answer(next));
            const auto r = w.store.reviews(missed.id);
            REQUIRE(r.size() == 1);
            CHECK_FALSE(r[0].correct);
            CHECK(r[0].rating == 1);
        }
    }

    TEST_CASE("undo restores the stored state and shows the card again, several levels deep") {
        World w;
        // A first session makes some cards known, so that an undo has real states to restore.
        {
            app::StudySession first(w.services(), w.options(1));
            for (int i = 0; i < 6 && first.current(); ++i) {
                certdrill::testing::answer_shown(first, true);
                w.now += 20'000;
            }
        }
        w.now += 2 * kMsPerDay;
        app::StudySession session(w.services(), w.options(2));
        std::vector<const Card*> shown;
        std::vector<std::optional<store::CardRecord>> before;
        for (int i = 0; i < 4; ++i) {
            REQUIRE(session.current());
            shown.push_back(session.current()->card);
            before.push_back(w.store.card(shown.back()->id));
            certdrill::testing::answer_shown(session, i % 2 == 0);
            w.now += 20'000;
        }
        const std::size_t logged = w.store.reviews().size();
        // At least one of the four had been answered before (a learning step due again).
        CHECK(std::any_of(before.begin(), before.end(), [](const auto& r) { return r.has_value(); }));

        for (int level = 3; level >= 0; --level) {
            CAPTURE(level);
            REQUIRE(session.undo());
            REQUIRE(session.current());
            CHECK(session.current()->card == shown[static_cast<std::size_t>(level)]);
            CHECK(w.store.reviews().size() == logged - static_cast<std::size_t>(4 - level));
            const auto now_stored = w.store.card(shown[static_cast<std::size_t>(level)]->id);
            const auto& was = before[static_cast<std::size_t>(level)];
            REQUIRE(now_stored.has_value() == was.has_value());
            if (was) CHECK(now_stored->memory == was->memory);
        }
        CHECK_FALSE(session.undo());  // the first session's answers are not this session's to undo
        CHECK(w.store.reviews().size() == logged - 4);
        CHECK(session.summary().answered == 0);

        // The card on screen can be answered again as usual.
        const Card* again = session.current()->card;
        certdrill::testing::answer_shown(session, true);
        CHECK(w.store.reviews(again->id).back().correct);
        CHECK(session.summary().answered == 1);
    }

    TEST_CASE("a right answer marked as a guess is regraded as Hard") {
        World w;
        app::StudySession session(w.services(), w.options());
        const app::ShownItem& item = until_question(session, w);
        const Card& card = *item.card;
        const fsrs::MemoryState before = w.store.card(card.id) ? w.store.card(card.id)->memory : fsrs::MemoryState{};
        const app::Feedback f = session.answer(right_answer(item));
        REQUIRE(f.correct);
        const auto guessed = session.mark_guess();
        REQUIRE(guessed);
        CHECK(guessed->guessed);
        CHECK(guessed->correct);
        CHECK(guessed->rating == fsrs::Rating::Hard);
        const auto reviews = w.store.reviews(card.id);
        REQUIRE(reviews.size() == 1);  // replaced, not added
        CHECK(reviews[0].rating == 2);
        CHECK(reviews[0].guessed);
        CHECK(reviews[0].correct);
        const auto expected = w.scheduler.next(before, fsrs::Rating::Hard, w.now, 0);
        CHECK(w.store.card(card.id)->memory == expected);
        CHECK(expected != w.scheduler.next(before, fsrs::Rating::Good, w.now, 0));
        CHECK_FALSE(session.mark_guess().has_value());  // only once
        CHECK(w.store.reviews(card.id).size() == 1);

        SUBCASE("a wrong answer cannot be marked as a guess") {
            session.advance();
            const app::ShownItem& next = until_question(session, w);
            const Card& missed = *next.card;
            session.answer(wrong_answer(next));
            CHECK_FALSE(session.mark_guess().has_value());
            const auto r = w.store.reviews(missed.id);
            REQUIRE(r.size() == 1);
            CHECK(r[0].rating == 1);
            CHECK_FALSE(r[0].guessed);
        }
    }

    TEST_CASE("flashcards are graded by the learner") {
        World w;
        app::StudySession session(w.services(), w.options());
        int graded = 0;
        std::vector<std::pair<std::string, fsrs::Rating>> given;
        while (session.current() && graded < 2) {
            const app::ShownItem& item = *session.current();
            if (item.card->is_question()) {
                CHECK_THROWS_AS(session.grade_flashcard(fsrs::Rating::Good), std::logic_error);
                certdrill::testing::answer_shown(session, true);
                continue;
            }
            CHECK_THROWS_AS(session.answer({0}), std::logic_error);
            // The interval each grade would give, as on the buttons.
            CHECK(item.grade_intervals[0] == "1m");
            CHECK(item.grade_intervals[2] == "10m");
            for (const auto& text : item.grade_intervals) CHECK_FALSE(text.empty());
            const fsrs::Rating r = graded == 0 ? fsrs::Rating::Easy : fsrs::Rating::Again;
            const Card* card = item.card;
            session.grade_flashcard(r);
            given.emplace_back(card->id, r);
            CHECK((!session.current() || session.current()->card != card));  // moved on
            ++graded;
        }
        REQUIRE(graded == 2);
        auto first = w.store.reviews(given[0].first);
        REQUIRE(first.size() == 1);
        CHECK(first[0].rating == 4);
        CHECK(first[0].correct);
        CHECK(first[0].chosen.empty());
        CHECK(w.store.card(given[0].first)->memory.state == fsrs::State::Review);  // Easy graduates at once
        auto second = w.store.reviews(given[1].first);
        REQUIRE(second.size() == 1);
        CHECK(second[0].rating == 1);
        CHECK_FALSE(second[0].correct);
    }

    TEST_CASE("a suspended card is not shown again, in this session or the next") {
        World w;
        std::string suspended;
        {
            auto options = w.options();
            options.limit = 40;
            app::StudySession session(w.services(), options);
            REQUIRE(session.current());
            certdrill::testing::answer_shown(session, true);
            suspended = session.current()->card->id;
            session.suspend();
            REQUIRE(w.store.card(suspended));
            CHECK(w.store.card(suspended)->suspended);
            while (session.current()) {
                CHECK(session.current()->card->id != suspended);
                certdrill::testing::answer_shown(session, true);
                w.now += 20'000;
            }
        }
        CHECK(w.store.reviews(suspended).empty());
        w.now += 3 * kMsPerDay;
        auto options = w.options(9);
        options.limit = 40;
        app::StudySession later(w.services(), options);
        int shown = 0;
        while (later.current()) {
            CHECK(later.current()->card->id != suspended);
            certdrill::testing::answer_shown(later, true);
            ++shown;
        }
        CHECK(shown > 0);
    }

    TEST_CASE("the summary counts answers per domain and lists each missed question once") {
        World w;
        auto options = w.options(3);
        options.limit = 30;
        app::StudySession session(w.services(), options);
        std::set<std::string> seen;
        std::vector<const Card*> expected_missed;
        int answered = 0, correct = 0;
        std::map<std::string, std::pair<int, int>> per_domain;
        // Wrong the first time a card is seen, right afterwards.
        while (session.current()) {
            const Card* card = session.current()->card;
            const bool right = seen.count(card->id) > 0;
            seen.insert(card->id);
            if (!right && card->is_question()) expected_missed.push_back(card);
            certdrill::testing::answer_shown(session, right);
            ++answered;
            correct += right;
            ++per_domain[card->domain_id].first;
            per_domain[card->domain_id].second += right;
            w.now += 40'000;
        }
        CHECK(answered == 30);  // the limit
        const app::StudySummary s = session.summary();
        CHECK(s.answered == 30);
        CHECK(s.correct == correct);
        CHECK(s.correct > 0);
        CHECK(s.missed == expected_missed);
        CHECK(s.by_domain.size() == per_domain.size());
        for (const auto& entry : per_domain) {
            const auto& [domain, tally] = entry;
            CAPTURE(entry.first);  // not the binding: clang 14 cannot capture one in a lambda
            CHECK(s.by_domain.at(domain).answered == tally.first);
            CHECK(s.by_domain.at(domain).correct == tally.second);
        }
        CHECK(s.elapsed == 30 * 40'000);
        CHECK(s.new_remaining_today == static_cast<int>(std::min<std::size_t>(20 - seen.size(), 18 - seen.size())));
        CHECK(session.notices().empty());
        session.quit();
        CHECK(session.finished());
        REQUIRE(session.session_id());
        const auto stored = w.store.session(*session.session_id());
        REQUIRE(stored);
        CHECK(stored->ended_at == w.now);
    }
}

TEST_SUITE("study session") {
    TEST_CASE("a session quit before its first answer writes nothing, and its first answer writes the session") {
        World w;
        // Another connection sees the file's data_version change with every commit but its own.
        store::Database watcher(w.store.file(), store::Database::Mode::ReadOnly);
        const auto data_version = [&] {
            auto query = watcher.prepare("PRAGMA data_version");
            REQUIRE(query.step());
            return query.int64(0);
        };
        const auto before = data_version();
        {
            app::StudySession session(w.services(), w.options());
            REQUIRE(session.current());
            CHECK_FALSE(session.session_id());
            session.quit();
        }
        CHECK(data_version() == before);

        const UnixMs began = w.now;
        app::StudySession session(w.services(), w.options());
        w.now += 30'000;
        certdrill::testing::answer_shown(session, true);
        REQUIRE(session.session_id());
        const auto stored = w.store.session(*session.session_id());
        REQUIRE(stored);
        CHECK(stored->started_at == began);
        CHECK_FALSE(stored->ended_at);
        const auto reviews = w.store.reviews();
        REQUIRE(reviews.size() == 1);
        CHECK(reviews[0].session_id == session.session_id());
        session.quit();
        CHECK(w.store.session(*session.session_id())->ended_at == w.now);
    }

    TEST_CASE("answers given in a mock exam do not use up the day's new cards") {
        World w;
        // A mock-exam answer on a new card is logged with mode "exam".
        store::ReviewRecord r;
        r.card_id = fixture_library().cards_of("testexam").front()->id;
        r.at = w.now - 60'000;
        r.rating = 3;
        r.correct = true;
        r.mode = "exam";
        r.after = w.scheduler.next(fsrs::MemoryState{}, fsrs::Rating::Good, r.at, 0);
        w.store.record_review(r);
        auto o = w.options();
        o.new_per_day = 1;
        app::StudySession session(w.services(), o);
        REQUIRE(session.current());
        CHECK(session.current()->kind == PickKind::New);  // the allowance of one is still there
    }
}

}  // namespace test_study_session
