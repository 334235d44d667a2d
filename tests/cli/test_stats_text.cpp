// `certdrill stats` as text: fits an 80-column terminal and says where the learner stands:
// domains, the weakest topics with the answers behind them, and the mock exams taken.
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../support/builtin_decks.hpp"
#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "core/text.hpp"
#include "store/progress_store.hpp"

namespace test_stats_text {

using namespace certdrill;

namespace {

const UnixMs kNow = *parse_iso8601("2026-03-02T09:00:00Z");

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Answers `card` with the given ratings, a week apart, ending a day before kNow.
void answer(store::ProgressStore& store, const fsrs::Scheduler& scheduler, const Card& card,
            const std::vector<fsrs::Rating>& ratings) {
    fsrs::MemoryState memory;
    UnixMs at = kNow - static_cast<UnixMs>(7 * ratings.size() + 1) * kMsPerDay;
    for (fsrs::Rating rating : ratings) {
        store::ReviewRecord r;
        r.card_id = card.id;
        r.at = at;
        r.rating = static_cast<int>(rating);
        r.correct = rating != fsrs::Rating::Again;
        r.mode = "study";
        r.before = memory;
        const std::int64_t elapsed = memory.last_review == 0 ? 0 : (at - memory.last_review) / kMsPerDay;
        r.after = memory = scheduler.next(memory, rating, at, elapsed);
        store.record_review(r);
        at += 7 * kMsPerDay;
    }
}

void mock_exam(store::ProgressStore& store, const std::string& exam, std::optional<std::string> domain,
               UnixMs started, double percent, bool passed) {
    store::NewAttempt attempt;
    attempt.exam_id = exam;
    attempt.started_at = started;
    attempt.item_count = domain ? 20 : 150;
    attempt.minutes = domain ? 30 : 240;
    attempt.domain_id = std::move(domain);
    const auto id = store.begin_attempt(attempt);
    store::AttemptOutcome outcome;
    outcome.finished_at = started + 2 * 60 * kMsPerMinute;
    outcome.score_percent = percent;
    outcome.passed = passed;
    outcome.duration_ms = 2 * 60 * kMsPerMinute;
    store.finish_attempt(id, outcome);
}

// Some weeks of answers in every built-in exam (a third of them missed once known), and mock exams.
void some_history(const std::filesystem::path& db) {
    store::ProgressStore store(db);
    const fsrs::Scheduler scheduler;
    for (const Exam& exam : testing::builtin_decks().library.exams) {
        const auto cards = testing::builtin_decks().library.cards_of(exam.id);
        for (std::size_t i = 0; i < cards.size() && i < 60; ++i) {
            if (i % 3 == 0)
                answer(store, scheduler, *cards[i], {fsrs::Rating::Good, fsrs::Rating::Good, fsrs::Rating::Again});
            else
                answer(store, scheduler, *cards[i], {fsrs::Rating::Good, fsrs::Rating::Good, fsrs::Rating::Good});
        }
    }
    for (int day = 1; day <= 7; ++day)
        mock_exam(store, "cism", day % 2 ? std::optional<std::string>("d3") : std::nullopt,
                  kNow - (10 - day) * kMsPerDay, 50.0 + 4 * day, day == 6);
}

std::map<std::string, std::string> env_for(const testing::TempDir& dir) {
    return {{"CERTDRILL_DB", (dir.path / "progress.db").string()},
            {"HOME", dir.path.string()},
            {"CERTDRILL_NOW", "2026-03-02T09:00:00Z"}};
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST_SUITE("stats text") {
    TEST_CASE("with history in the built-in decks, no line is wider than 80 columns") {
        testing::TempDir dir;
        some_history(dir.path / "progress.db");
        const auto r = testing::run_cli({"stats"}, env_for(dir));
        REQUIRE(r.code == 0);
        const auto lines = lines_of(r.out);
        CHECK(lines.size() > 40);
        for (const auto& line : lines) {
            CAPTURE(line);
            CHECK(text::display_width(line) <= 80);
        }
        CHECK(has(r.out, "ISSMP"));
        CHECK(has(r.out, "GSLC"));

        SUBCASE("with an exam date, the plan is wrapped to fit too") {
            REQUIRE(testing::run_cli({"plan", "--exam", "cism", "--date", "2026-04-01"}, env_for(dir)).code == 0);
            const auto planned = testing::run_cli({"stats", "--exam", "cism"}, env_for(dir));
            CHECK(has(planned.out, "Exam 2026-04-01: 30 days left"));
            for (const auto& line : lines_of(planned.out)) {
                CAPTURE(line);
                CHECK(text::display_width(line) <= 80);
            }
        }
    }

    TEST_CASE("the weakest topics are listed with the answers behind them, and the mock exams with date and result") {
        testing::TempDir dir;
        some_history(dir.path / "progress.db");
        const auto r = testing::run_cli({"stats", "--exam", "cism"}, env_for(dir));
        REQUIRE(r.code == 0);
        const auto lines = lines_of(r.out);
        std::size_t topics_at = lines.size(), mocks_at = lines.size();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (has(lines[i], "weakest topics (mastery, answers):")) topics_at = i;
            if (has(lines[i], "mock exams (latest 5 of 7):")) mocks_at = i;
        }
        REQUIRE(topics_at + 5 < lines.size());
        for (std::size_t i = topics_at + 1; i <= topics_at + 5; ++i) {
            CAPTURE(lines[i]);
            CHECK(has(lines[i], " right"));  // "2 of 3 right, 1 lapse"
            CHECK(has(lines[i], "%"));
        }
        REQUIRE(mocks_at + 5 < lines.size());
        // Newest first: the attempt of the seventh day (a domain quiz, 78%, failed), then the sixth's.
        CHECK(has(lines[mocks_at + 1], "2026-02-27  domain d3"));
        CHECK(has(lines[mocks_at + 1], "78% right"));
        CHECK(has(lines[mocks_at + 1], "failed"));
        CHECK(has(lines[mocks_at + 2], "2026-02-26  full"));
        CHECK(has(lines[mocks_at + 2], "150 items"));
        CHECK(has(lines[mocks_at + 2], "passed"));
    }

    TEST_CASE("without history the sections say what is missing") {
        testing::TempDir dir;
        const auto r = testing::run_cli({"stats", "--exam", "gslc"}, env_for(dir));
        REQUIRE(r.code == 0);
        CHECK(has(r.out, "weakest topics: none yet"));
        CHECK(has(r.out, "mock exams: none yet ('certdrill exam gslc')"));
    }
}

}  // namespace test_stats_text
