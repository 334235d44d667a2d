// The planner's indexed picks against its full pass over every card (the plain statement of the
// rules), on many random planner states followed through many picks, answers, undos, exclusions
// and clock moves: every pick and every count must be the same.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/fsrs.hpp"
#include "core/mastery.hpp"
#include "core/planner.hpp"

namespace test_planner_index {

using namespace certdrill;

namespace {

const UnixMs kStart = *parse_iso8601("2026-03-10T09:00:00Z");

const fsrs::Scheduler& scheduler() {
    static const fsrs::Scheduler s;
    return s;
}

class Random {
public:
    explicit Random(std::uint64_t seed) : rng_(seed) {}
    double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
    std::int64_t integer(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
    }
    bool chance(double p) { return real(0.0, 1.0) < p; }
    template <class T>
    const T& among(const std::vector<T>& v) {
        return v[static_cast<std::size_t>(integer(0, static_cast<std::int64_t>(v.size()) - 1))];
    }

private:
    std::mt19937_64 rng_;
};

// A few shared values, so that equal stabilities, review times and recalls (ties) are common.
double stability(Random& r) {
    static const std::vector<double> shared = {0.0, 0.004, 0.3, 1.0, 2.5, 7.0, 40.0};
    return r.chance(0.5) ? r.among(shared) : r.real(0.01, 120.0);
}

UnixMs minutes(std::int64_t n) { return n * kMsPerMinute; }

fsrs::MemoryState review_state(Random& r, UnixMs now) {
    fsrs::MemoryState m;
    m.state = fsrs::State::Review;
    m.stability = stability(r);
    m.difficulty = 5.0;
    m.reps = 3;
    static const std::vector<std::int64_t> shared_days = {1, 3, 10};
    const std::int64_t days_ago = r.chance(0.4) ? r.among(shared_days) : r.integer(0, 90);
    m.last_review = r.chance(0.05) ? 0 : now - days_ago * kMsPerDay - (r.chance(0.5) ? 0 : minutes(r.integer(0, 600)));
    m.due = now + r.integer(-30, 4) * kMsPerDay + minutes(r.integer(-600, 600));
    return m;
}

fsrs::MemoryState learning_state(Random& r, UnixMs now) {
    fsrs::MemoryState m;
    m.state = r.chance(0.5) ? fsrs::State::Learning : fsrs::State::Relearning;
    m.stability = r.chance(0.1) ? 0.0 : r.real(0.05, 5.0);
    m.difficulty = 6.0;
    m.reps = 1;
    m.last_review = now - minutes(r.integer(0, 4 * 24 * 60));
    // Due earlier today, on an earlier day (a break), soon, or later than the look-ahead.
    m.due = now + minutes(r.chance(0.3) ? r.integer(-4 * 24 * 60, -60) : r.integer(-60, 40));
    return m;
}

std::optional<fsrs::MemoryState> starting_memory(Random& r, UnixMs now) {
    const double roll = r.real(0.0, 1.0);
    if (roll < 0.25) return std::nullopt;
    if (roll < 0.30) return fsrs::MemoryState{};
    if (roll < 0.75) return review_state(r, now);
    return learning_state(r, now);
}

// The state an answer at `now` leaves: a step due soon, or a review due some days on.
fsrs::MemoryState after_answer(Random& r, UnixMs now) {
    fsrs::MemoryState m;
    if (r.chance(0.4)) {
        m.state = r.chance(0.5) ? fsrs::State::Learning : fsrs::State::Relearning;
        m.stability = r.real(0.1, 3.0);
        m.due = now + minutes(r.chance(0.3) ? 0 : r.integer(1, 30));
    } else {
        m.state = fsrs::State::Review;
        m.stability = stability(r);
        m.due = now + r.integer(0, 5) * kMsPerDay;
    }
    m.difficulty = 5.0;
    m.reps = 2;
    m.last_review = now;
    return m;
}

struct World {
    Exam exam;
    std::vector<Card> cards;
    std::vector<CardProgress> progress;
    ExamMastery mastery;
    PlannerConfig config;
    DayCounter days = utc_day_counter();
};

World make_world(Random& r) {
    World w;
    w.exam.id = "px";
    w.exam.name = "Planner Exam";
    w.exam.short_name = "PX";
    const auto domains = r.integer(1, 4);
    std::vector<std::string> objectives;
    for (std::int64_t d = 1; d <= domains; ++d) {
        Domain domain{"d" + std::to_string(d), static_cast<int>(d), "Domain", r.real(5.0, 40.0), {}};
        for (std::int64_t o = 1, n = r.integer(1, 3); o <= n; ++o) {
            domain.objectives.push_back(Objective{std::to_string(d) + "." + std::to_string(o), "Objective", {}});
            objectives.push_back(domain.objectives.back().id);
        }
        w.exam.domains.push_back(domain);
    }
    static const std::vector<double> masteries = {0.2, 0.5, 0.9};
    for (const auto& d : w.exam.domains) {
        w.mastery.domains[d.id].mastery = r.among(masteries);
        for (const auto& o : d.objectives)
            if (r.chance(0.6)) w.mastery.topics[o.id].mastery = r.among(masteries);
    }
    const auto count = r.integer(1, r.chance(0.2) ? 400 : 60);
    w.cards.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
        Card c;
        c.id = "c" + std::to_string(r.integer(0, 9)) + "-" + std::to_string(i);
        c.type = CardType::Single;
        c.exam_id = r.chance(0.03) ? "other" : "px";
        const Domain& d = r.among(w.exam.domains);
        c.domain_id = d.id;
        // Mostly an objective of the card's domain; sometimes two, one of another domain, a
        // free-form tag, or none.
        if (!r.chance(0.05)) c.topics.push_back(r.among(d.objectives).id);
        if (r.chance(0.25)) c.topics.push_back(r.among(objectives));
        if (r.chance(0.1)) c.topics.push_back("tag");
        c.stem = "Question " + c.id;
        c.options = {Option{"right", "", true}, Option{"wrong", "no", false}};
        w.cards.push_back(std::move(c));
    }
    for (const auto& c : w.cards) w.progress.push_back(CardProgress{&c, starting_memory(r, kStart), r.chance(0.05), false});
    w.config.new_per_day = static_cast<std::size_t>(r.integer(0, 15));
    w.config.new_introduced_today = static_cast<std::size_t>(r.integer(0, 3));
    if (r.chance(0.15)) w.config.domain = r.among(w.exam.domains).id;
    if (r.chance(0.15)) {
        const auto left = r.integer(0, 10);
        w.config.exam_date = PlannerConfig::ExamDate{w.days.day_of(kStart) + left, left};
    }
    if (r.chance(0.3)) {
        // A local day that starts at 04:00, five hours behind UTC.
        w.days.rollover_hour = 4;
        w.days.utc_offset_minutes = [](UnixMs) { return -300; };
    }
    return w;
}

std::string describe(const std::optional<Pick>& p) {
    if (!p) return "(none)";
    return p->card->id + " " + to_string(p->kind) + " " + std::to_string(p->recall);
}

bool same(const std::optional<Pick>& a, const std::optional<Pick>& b) {
    if (!a || !b) return !a && !b;
    return a->card == b->card && a->kind == b->kind && a->recall == b->recall;
}

struct Answered {
    const Card* card;
    std::optional<fsrs::MemoryState> before;
};

// Follows one random world through `steps` picks and changes; false at the first disagreement.
bool agree_throughout(std::uint64_t seed, int steps) {
    Random r(seed);
    World w = make_world(r);
    SessionPlanner planner(w.exam, w.progress, w.mastery, scheduler(), w.days, w.config, seed);
    std::map<const Card*, std::optional<fsrs::MemoryState>> memory;
    for (const auto& cp : w.progress) memory[cp.card] = cp.memory;
    std::vector<Answered> answered;
    std::vector<const Card*> excluded;
    UnixMs now = kStart;
    for (int step = 0; step < steps; ++step) {
        CAPTURE(seed);
        CAPTURE(step);
        const double move = r.real(0.0, 1.0);
        if (move < 0.6)
            now += minutes(r.integer(0, 3));
        else if (move < 0.7)
            now += minutes(r.integer(10, 90));
        else if (move < 0.75)
            now += minutes(r.integer(18 * 60, 26 * 60));
        else if (move < 0.78)
            now -= minutes(r.integer(0, 30));
        const auto indexed = planner.next(now);
        const auto scanned = planner.next_by_full_scan(now);
        CAPTURE(describe(indexed));
        CAPTURE(describe(scanned));
        CHECK(same(indexed, scanned));
        CHECK(planner.due_reviews(now) == planner.due_reviews_by_full_scan(now));
        CHECK(planner.learning(now) == planner.learning_by_full_scan(now));
        CHECK(planner.new_available() == planner.new_available_by_full_scan());
        if (!same(indexed, scanned) || planner.due_reviews(now) != planner.due_reviews_by_full_scan(now) ||
            planner.learning(now) != planner.learning_by_full_scan(now) ||
            planner.new_available() != planner.new_available_by_full_scan())
            return false;

        const double act = r.real(0.0, 1.0);
        const auto answer = [&](const Card& card) {
            const auto after = after_answer(r, now);
            answered.push_back(Answered{&card, memory[&card]});
            memory[&card] = after;
            planner.record(card, after, r.chance(0.65));
        };
        if (act < 0.7 && scanned) {
            answer(*scanned->card);
        } else if (act < 0.8 && !answered.empty()) {
            // Undo of the latest answer.
            const Answered last = answered.back();
            answered.pop_back();
            const bool was_new = !last.before || last.before->state == fsrs::State::New;
            memory[last.card] = last.before;
            planner.restore(*last.card, was_new ? std::nullopt : last.before, was_new);
            // A guess regraded: the same answer recorded again.
            if (r.chance(0.3)) answer(*last.card);
        } else if (act < 0.86) {
            const Card& card = r.among(w.cards);
            planner.exclude(card);
            excluded.push_back(&card);
        } else if (act < 0.9 && !excluded.empty()) {
            planner.include(*excluded.back());
            excluded.pop_back();
        } else if (act < 0.95) {
            answer(r.among(w.cards));  // answered elsewhere than from a pick
        }
    }
    return true;
}

}  // namespace

TEST_SUITE("planner") {
    TEST_CASE("the indexed picks and counts are those of the full pass over every card, on random sessions") {
        for (std::uint64_t seed = 1; seed <= 300; ++seed)
            if (!agree_throughout(seed, 160)) break;
    }

    TEST_CASE("the indexed review pick follows the clock: how overdue each review is keeps changing") {
        // Reviews with the same recall order at the start but different stabilities: as time
        // passes the low-stability ones fall faster, and the order between them changes.
        Exam exam;
        exam.id = "px";
        exam.domains.push_back(Domain{"d1", 1, "One", 100, {Objective{"1.1", "One one", {}}}});
        std::vector<Card> cards;
        for (int i = 0; i < 40; ++i) {
            Card c;
            c.id = "r" + std::to_string(i);
            c.type = CardType::Single;
            c.exam_id = "px";
            c.domain_id = "d1";
            c.topics = {"1.1"};
            c.options = {Option{"right", "", true}, Option{"wrong", "no", false}};
            cards.push_back(c);
        }
        std::vector<CardProgress> progress;
        for (int i = 0; i < 40; ++i) {
            fsrs::MemoryState m;
            m.state = fsrs::State::Review;
            // Elapsed / stability about 1.2 for every card at the start.
            m.stability = 0.05 * (i + 1);
            m.last_review = kStart - static_cast<UnixMs>(1.2 * m.stability * static_cast<double>(kMsPerDay)) - i;
            m.due = kStart - kMsPerMinute;
            progress.push_back(CardProgress{&cards[static_cast<std::size_t>(i)], m, false, false});
        }
        PlannerConfig config;
        config.new_per_day = 0;
        SessionPlanner planner(exam, progress, ExamMastery{}, scheduler(), utc_day_counter(), config, 1);
        std::vector<std::string> indexed, scanned;
        for (int k = 0; k < 12; ++k) {
            // Within the hour after the index was built, then past it.
            const UnixMs now = kStart + minutes(k * 7);
            CAPTURE(k);
            const auto a = planner.next(now);
            const auto b = planner.next_by_full_scan(now);
            REQUIRE(a);
            REQUIRE(b);
            CHECK(a->card == b->card);
            CHECK(a->recall == b->recall);
            fsrs::MemoryState done;
            done.state = fsrs::State::Review;
            done.stability = 10.0;
            done.last_review = now;
            done.due = now + 10 * kMsPerDay;
            planner.record(*a->card, done, true);
        }
    }
}

}  // namespace test_planner_index
