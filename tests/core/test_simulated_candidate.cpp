// A simulated candidate studies for a month with the real planner, scheduler and mastery model,
// under an injected clock. The candidate misses every question of one domain: the planner must
// spend clearly more than that domain's blueprint share on it, and the mastery figures must
// single it out as the weakest.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../support/simulated_exam.hpp"
#include "core/fsrs.hpp"
#include "core/mastery.hpp"
#include "core/planner.hpp"

namespace test_simulated_candidate {

using namespace certdrill;

namespace {

constexpr int kQuestionsPerDomain = 30;
constexpr int kDays = 30;
constexpr int kPicksPerDay = 40;
const char* const kWeakDomain = "d3";

// An exam shaped like the CISSP blueprint: eight domains weighted 16/10/13/13/13/12/13/10,
// two objectives each, ~30 questions per domain.
Library make_library() {
    return testing::simulated_exam_library({16, 10, 13, 13, 13, 12, 13, 10}, kQuestionsPerDomain);
}

struct Outcome {
    std::map<std::string, int> shown;  // items shown per domain over the month
    int total_shown = 0;
    ExamMastery final;
};

// Whether the candidate answers a card right: `n` counts answers so far, `minutes_since` is the
// time since the card was last answered (empty for a card never answered).
using Candidate = std::function<bool(const Card&, int n, std::optional<double> minutes_since)>;

// Runs the month with the candidate answering each item.
Outcome simulate(const Library& lib, const Candidate& knows, int picks_per_day = kPicksPerDay) {
    const Exam& exam = lib.exams.front();
    const fsrs::Scheduler scheduler;
    const DayCounter days = utc_day_counter();
    std::map<std::string, fsrs::MemoryState> memory;
    std::vector<Answer> answers;
    Outcome out;
    const UnixMs start = *parse_iso8601("2026-01-05T08:00:00Z");
    auto progress = [&] {
        std::vector<CardProgress> cards;
        for (const auto& c : lib.cards) {
            CardProgress cp{&c, std::nullopt, false, false};
            if (auto it = memory.find(c.id); it != memory.end()) cp.memory = it->second;
            cards.push_back(cp);
        }
        return cards;
    };
    for (int day = 0; day < kDays; ++day) {
        UnixMs now = start + day * kMsPerDay;
        const auto cards = progress();
        const auto mastery = compute_mastery(exam, cards, answers, scheduler, now);
        PlannerConfig config;
        config.new_per_day = 20;
        SessionPlanner planner(exam, cards, mastery, scheduler, days, config, static_cast<std::uint64_t>(day) + 1);
        for (int i = 0; i < picks_per_day; ++i) {
            auto pick = planner.next(now);
            if (!pick) break;
            const Card& card = *pick->card;
            const fsrs::MemoryState before = memory.count(card.id) ? memory[card.id] : fsrs::MemoryState{};
            std::optional<double> since;
            if (before.last_review) since = static_cast<double>(now - before.last_review) / kMsPerMinute;
            const bool correct = knows(card, static_cast<int>(answers.size()), since);
            const std::int64_t elapsed = before.last_review ? days.days_between(before.last_review, now) : 0;
            const auto after =
                scheduler.next(before, fsrs::grade_answer(correct, false), now, elapsed, planner.retention_for(card));
            memory[card.id] = after;
            answers.push_back(Answer{card.id, now, correct, after});
            planner.record(card, after, correct);
            ++out.shown[card.domain_id];
            ++out.total_shown;
            now += 45'000;  // 45 seconds per item
        }
    }
    out.final = compute_mastery(exam, progress(), answers, scheduler, start + kDays * kMsPerDay);
    return out;
}

// Always misses the weak domain, always knows the others.
bool never_retains_weak_domain(const Card& c, int, std::optional<double>) { return c.domain_id != kWeakDomain; }

// The same gap in the weak domain, and one answer in three wrong everywhere else.
bool weaker_candidate(const Card& c, int n, std::optional<double> minutes_since) {
    if (c.domain_id != kWeakDomain) return n % 3 != 0;
    return minutes_since && *minutes_since < 20;
}

double share_of(const Outcome& run, const std::string& domain) {
    auto it = run.shown.find(domain);
    return it == run.shown.end() ? 0.0 : static_cast<double>(it->second) / run.total_shown;
}

}  // namespace

TEST_SUITE("simulation") {
    TEST_CASE("a candidate who keeps missing one domain is given more of it and sees it as the weakest") {
        const Library lib = make_library();
        const Exam& exam = lib.exams.front();
        const Outcome run = simulate(lib, never_retains_weak_domain);

        REQUIRE(run.total_shown == kDays * kPicksPerDay);
        const double blueprint_share = exam.domain(kWeakDomain)->weight / 100.0;
        const double weak_share = share_of(run, kWeakDomain);
        CAPTURE(weak_share);
        CHECK(weak_share > 1.5 * blueprint_share);
        for (const auto& d : exam.domains) {
            CAPTURE(d.id);
            CHECK(run.shown.count(d.id));  // no domain is left out entirely
        }

        const auto& weak = run.final.domains.at(kWeakDomain);
        CHECK(weak.reviews > weak.correct * 2);  // every fresh encounter was a miss
        for (const auto& d : exam.domains) {
            if (d.id == kWeakDomain) continue;
            CAPTURE(d.id);
            CHECK(run.final.domains.at(d.id).mastery > weak.mastery + 0.3);
        }

        // Readiness is the blueprint-weighted mean of domain mastery, pulled down by the gap.
        double weighted = 0.0, others = 0.0;
        for (const auto& d : exam.domains) {
            weighted += d.weight * run.final.domains.at(d.id).mastery;
            if (d.id != kWeakDomain) others += d.weight * run.final.domains.at(d.id).mastery;
        }
        CHECK(run.final.readiness == doctest::Approx(weighted / 100.0));
        CHECK(run.final.readiness < others / (100.0 - exam.domain(kWeakDomain)->weight) - 0.03);
    }

    TEST_CASE("with one answer in three wrong elsewhere as well, readiness is below the pass mark") {
        const Library lib = make_library();
        const Exam& exam = lib.exams.front();
        const Outcome run = simulate(lib, weaker_candidate, 80);

        REQUIRE(run.total_shown > kDays * 80 * 9 / 10);
        const double weak_share = share_of(run, kWeakDomain);
        CAPTURE(weak_share);
        CHECK(weak_share > 1.5 * exam.domain(kWeakDomain)->weight / 100.0);
        const double weak = run.final.domains.at(kWeakDomain).mastery;
        for (const auto& d : exam.domains) {
            if (d.id == kWeakDomain) continue;
            CAPTURE(d.id);
            CHECK(run.final.domains.at(d.id).mastery > weak);
        }
        CHECK(run.final.readiness < exam.format.passing_percent / 100.0);
    }
}

}  // namespace test_simulated_candidate
