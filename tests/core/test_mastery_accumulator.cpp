// MasteryAccumulator, fed one card at a time, against a step-by-step reference: the way
// compute_mastery worked when it held every answer in one list, walked each card's answers in
// turn from its prior, and numbered the counted answers in one walk over all cards.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <span>
#include <map>
#include <stdexcept>

#include "core/mastery.hpp"

namespace test_mastery_accumulator {

using namespace certdrill;

namespace {

const UnixMs kNow = *parse_iso8601("2026-05-04T09:00:00Z");

// ---- The reference: every answer held at once, each card's mastery walked step by step. ----

struct RefGroup {
    Mastery m;
    double value_sum = 0, seen_value_sum = 0, recall_sum = 0, prior_sum = 0;
    struct Entry {
        UnixMs at;
        std::size_t order;
        bool correct;
    };
    std::vector<Entry> all_counted;  // every counted answer; the newest are picked at the end
};

double ref_shrunk(std::size_t right, std::size_t n, double strength, double toward) {
    return (static_cast<double>(right) + strength * toward) / (static_cast<double>(n) + strength);
}

ExamMastery reference_mastery(const Exam& exam, const std::vector<CardProgress>& cards,
                              const std::vector<Answer>& answers, const fsrs::Scheduler& scheduler, UnixMs now,
                              const MasteryModel& model) {
    ExamMastery out;
    out.horizon = default_horizon(now, model);
    std::map<std::string, RefGroup> domains, topics;
    for (const auto& d : exam.domains) domains[d.id];
    for (const auto* o : exam.all_objectives()) topics[o->id];
    std::map<std::string, std::size_t> number_of;
    std::vector<std::vector<RefGroup*>> groups;
    for (const auto& cp : cards) {
        if (!cp.card || cp.card->exam_id != exam.id) continue;
        if (!number_of.emplace(cp.card->id, groups.size()).second) continue;
        std::vector<RefGroup*> g{&domains[cp.card->domain_id]};
        for (const auto& t : cp.card->topics)
            if (auto it = topics.find(t); it != topics.end()) g.push_back(&it->second);
        groups.push_back(g);
    }
    // Each card's answers in log order, then sorted by time (ties stay in log order).
    std::vector<std::vector<const Answer*>> history(groups.size());
    for (const auto& a : answers)
        if (auto it = number_of.find(std::string(a.card_id)); it != number_of.end()) history[it->second].push_back(&a);
    for (auto& h : history)
        std::stable_sort(h.begin(), h.end(), [](const Answer* x, const Answer* y) { return x->at < y->at; });
    const auto counted = [&](const std::vector<const Answer*>& h, std::size_t i) {
        return i == 0 || h[i]->at - h[i - 1]->at >= model.retry_gap;
    };

    std::size_t first_total = 0, first_right = 0;
    for (std::size_t n = 0; n < groups.size(); ++n) {
        if (history[n].empty()) continue;
        const bool right = history[n].front()->correct;
        ++first_total;
        first_right += right;
        for (RefGroup* g : groups[n]) {
            ++g->m.first_answers;
            g->m.first_correct += right;
        }
    }
    out.prior = ref_shrunk(first_right, first_total, model.exam_prior_strength, model.default_prior);
    std::map<std::string, double> domain_prior;
    for (auto& [id, g] : domains)
        domain_prior[id] = ref_shrunk(g.m.first_correct, g.m.first_answers, model.domain_prior_strength, out.prior);
    const auto at_horizon = [&](const fsrs::RecallState& m) {
        if (m.state == fsrs::State::New || m.last_review == 0) return model.default_prior;
        const double elapsed = static_cast<double>(out.horizon - m.last_review) / static_cast<double>(kMsPerDay);
        return scheduler.retrievability_fractional(m, std::max(0.0, elapsed));
    };
    for (const auto& cp : cards) {
        if (!cp.card || cp.card->exam_id != exam.id) continue;
        const std::size_t n = number_of.at(cp.card->id);
        const auto p = domain_prior.find(cp.card->domain_id);
        const double prior = p != domain_prior.end() ? p->second : out.prior;
        const bool seen = cp.memory && cp.memory->state != fsrs::State::New;
        double value = prior;
        if (seen && history[n].empty()) value = at_horizon(*cp.memory);
        if (seen)
            for (std::size_t i = 0; i < history[n].size(); ++i) {
                const Answer& a = *history[n][i];
                const bool last = i + 1 == history[n].size();
                if (!last && !a.after) continue;
                const double recall = at_horizon(last ? fsrs::RecallState(*cp.memory) : *a.after);
                if (!a.correct)
                    value = std::min(value, recall);
                else if (counted(history[n], i))
                    value = std::max(value, recall);
            }
        const double recall = seen ? predicted_recall(scheduler, cp, now, model) : prior;
        const bool due = seen && !cp.suspended &&
                         (cp.memory->state == fsrs::State::Review
                              ? utc_day_counter().day_of(cp.memory->due) <= utc_day_counter().day_of(now)
                              : cp.memory->due <= now);
        for (RefGroup* g : groups[n]) {
            ++g->m.cards;
            g->value_sum += value;
            g->recall_sum += recall;
            g->prior_sum += prior;
            if (seen) {
                ++g->m.seen;
                g->seen_value_sum += value;
                g->m.lapses += static_cast<std::size_t>(std::max(0, cp.memory->lapses));
            }
            if (due) ++g->m.due_now;
        }
    }
    std::size_t order = 0;
    for (std::size_t n = 0; n < groups.size(); ++n)
        for (std::size_t i = 0; i < history[n].size(); ++i) {
            const Answer& a = *history[n][i];
            const bool c = counted(history[n], i);
            for (RefGroup* g : groups[n]) {
                ++g->m.reviews;
                g->m.correct += a.correct;
                g->m.counted += c;
                if (c) g->all_counted.push_back(RefGroup::Entry{a.at, order, a.correct});
            }
            if (c) ++order;
        }
    const auto finish = [&](RefGroup& g, double fallback) {
        Mastery& m = g.m;
        const double n = static_cast<double>(m.cards);
        m.prior = m.cards ? g.prior_sum / n : fallback;
        m.recall_now = m.cards ? g.recall_sum / n : m.prior;
        m.mastery = m.cards ? g.value_sum / n : m.prior;
        m.seen_mastery = m.seen ? g.seen_value_sum / static_cast<double>(m.seen) : m.prior;
        // The newest counted answers: by time, then the one met first in the walk.
        std::sort(g.all_counted.begin(), g.all_counted.end(), [](const RefGroup::Entry& x, const RefGroup::Entry& y) {
            return x.at != y.at ? x.at > y.at : x.order < y.order;
        });
        const std::size_t kept = std::min(g.all_counted.size(), model.recent_window);
        const auto right = std::count_if(g.all_counted.begin(), g.all_counted.begin() + static_cast<std::ptrdiff_t>(kept),
                                         [](const RefGroup::Entry& e) { return e.correct; });
        m.recent_accuracy = kept ? static_cast<double>(right) / static_cast<double>(kept) : 0.0;
    };
    double weighted = 0, weighted_recall = 0, weights = 0;
    for (auto& [id, g] : domains) {
        finish(g, domain_prior[id]);
        out.domains[id] = g.m;
        if (const Domain* d = exam.domain(id)) {
            weighted += exam.effective_weight(*d) * g.m.mastery;
            weighted_recall += exam.effective_weight(*d) * g.m.recall_now;
            weights += exam.effective_weight(*d);
        }
    }
    for (auto& [id, g] : topics) {
        finish(g, out.prior);
        out.topics[id] = g.m;
    }
    out.readiness = weights > 0 ? weighted / weights : out.prior;
    out.recall_now = weights > 0 ? weighted_recall / weights : out.prior;
    return out;
}

// ---- Random worlds ----

struct RandomWorld {
    Exam exam;
    std::vector<Card> cards;  // of the exam, and a few of another exam
    std::vector<CardProgress> progress;
    std::vector<Answer> answers;  // log order: cards interleaved
    fsrs::Scheduler scheduler;

    explicit RandomWorld(std::mt19937_64& rng) {
        exam.id = "mx";
        exam.domains.push_back(
            Domain{"d1", 1, "One", 50, {Objective{"1.1", "a", {}}, Objective{"1.2", "b", {}}}});
        exam.domains.push_back(Domain{"d2", 2, "Two", 30, {Objective{"2.1", "c", {}}}});
        exam.domains.push_back(Domain{"d3", 3, "Three", 20, {}});
        const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
        const int count = 5 + pick(40);
        cards.reserve(static_cast<std::size_t>(count) + 4);
        const std::vector<std::string> topic_choices{"1.1", "1.2", "2.1", "9.9"};  // 9.9: no such objective
        for (int i = 0; i < count + 3; ++i) {
            Card c;
            c.id = "c" + std::to_string(i);
            c.exam_id = i < count ? "mx" : "other";
            c.domain_id = "d" + std::to_string(1 + pick(3));
            for (int t = pick(3); t > 0; --t) c.topics.push_back(topic_choices[static_cast<std::size_t>(pick(4))]);
            cards.push_back(c);
        }
        // Another card with the first card's id, in another (or no known) domain.
        Card twin = cards[0];
        twin.domain_id = pick(2) ? "d9" : "d2";
        cards.push_back(twin);
        for (const auto& c : cards) {
            CardProgress cp{&c, std::nullopt, pick(8) == 0, false};
            if (pick(5) != 0) cp.memory = random_state(rng);
            progress.push_back(cp);
        }
        progress.push_back(progress[static_cast<std::size_t>(pick(count))]);  // a card listed twice
        for (std::size_t i = 0; i < cards.size(); ++i) {
            const int n = pick(6) == 0 ? 0 : pick(4) == 0 ? 40 + pick(80) : 1 + pick(12);
            UnixMs at = kNow - static_cast<UnixMs>(pick(400)) * kMsPerDay;
            for (int k = 0; k < n; ++k) {
                std::optional<fsrs::RecallState> after;
                if (pick(6) != 0) after = fsrs::RecallState(random_state(rng));
                // A damaged packed row can hold any bytes, a stability that is not a number too.
                if (after && pick(40) == 0) after->stability = std::numeric_limits<double>::quiet_NaN();
                answers.push_back(Answer{cards[i].id, at, pick(3) != 0, after});
                // Same moment, a retry within minutes, or days later; now and then back in time.
                switch (pick(5)) {
                    case 0: break;
                    case 1: at += static_cast<UnixMs>(1 + pick(20)) * kMsPerMinute; break;
                    case 2: at -= static_cast<UnixMs>(pick(3)) * kMsPerDay; break;
                    default: at += static_cast<UnixMs>(1 + pick(30)) * kMsPerDay;
                }
            }
        }
        // Cards interleave in the log; answers given at the same moment keep whatever order the
        // shuffle left them in, which both sides must respect.
        std::shuffle(answers.begin(), answers.end(), rng);
    }

    static fsrs::MemoryState random_state(std::mt19937_64& rng) {
        const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
        fsrs::MemoryState m;
        m.state = static_cast<fsrs::State>(pick(4));
        m.stability = pick(10) == 0 ? 0.0 : std::uniform_real_distribution<double>(0.1, 300.0)(rng);
        m.difficulty = std::uniform_real_distribution<double>(1.0, 10.0)(rng);
        m.lapses = pick(4);
        m.last_review = pick(10) == 0 ? 0 : kNow - static_cast<UnixMs>(pick(100 * 24)) * kMsPerDay / 24;
        m.due = m.last_review + static_cast<UnixMs>(pick(60)) * kMsPerDay;
        return m;
    }
};

void check_same(const ExamMastery& got, const ExamMastery& want) {
    CHECK(got.horizon == want.horizon);
    CHECK(got.prior == want.prior);
    CHECK(got.readiness == want.readiness);
    CHECK(got.recall_now == want.recall_now);
    const auto same_groups = [](const std::map<std::string, Mastery>& a, const std::map<std::string, Mastery>& b) {
        REQUIRE(a.size() == b.size());
        // No structured binding here: clang cannot capture one in CAPTURE's lambda.
        for (const auto& entry : b) {
            const std::string& id = entry.first;
            const Mastery& m = entry.second;
            CAPTURE(id);
            const Mastery& g = a.at(id);
            CHECK(g.cards == m.cards);
            CHECK(g.seen == m.seen);
            CHECK(g.reviews == m.reviews);
            CHECK(g.correct == m.correct);
            CHECK(g.counted == m.counted);
            CHECK(g.first_answers == m.first_answers);
            CHECK(g.first_correct == m.first_correct);
            CHECK(g.lapses == m.lapses);
            CHECK(g.due_now == m.due_now);
            CHECK(g.prior == m.prior);
            CHECK(g.recall_now == m.recall_now);
            CHECK(g.recent_accuracy == m.recent_accuracy);
            CHECK(g.mastery == m.mastery);
            CHECK(g.seen_mastery == m.seen_mastery);
        }
    };
    same_groups(got.domains, want.domains);
    same_groups(got.topics, want.topics);
}

std::vector<MasteryModel> models() {
    MasteryModel standard;
    MasteryModel no_gap;  // every answer counts, so answers at the same moment all reach the window
    no_gap.retry_gap = 0;
    no_gap.recent_window = 4;
    MasteryModel small_window;
    small_window.recent_window = 2;
    return {standard, no_gap, small_window};
}

}  // namespace

TEST_CASE("mastery from cards fed one at a time equals the step-by-step walk over every answer") {
    std::mt19937_64 rng(20261204);
    for (int round = 0; round < 150; ++round) {
        const RandomWorld w(rng);
        for (const MasteryModel& model : models()) {
            CAPTURE(round);
            CAPTURE(model.retry_gap);
            CAPTURE(model.recent_window);
            const ExamMastery want = reference_mastery(w.exam, w.progress, w.answers, w.scheduler, kNow, model);
            check_same(compute_mastery(w.exam, w.progress, w.answers, w.scheduler, kNow, model), want);

            // Card by card in a random order of cards, as the store hands them over.
            std::map<std::string, std::vector<CardAnswer>> by_card;
            for (const auto& a : w.answers) by_card[std::string(a.card_id)].push_back(CardAnswer{a.at, a.correct, a.after});
            std::vector<std::pair<std::string, std::vector<CardAnswer>>> shuffled(by_card.begin(), by_card.end());
            std::shuffle(shuffled.begin(), shuffled.end(), rng);
            MasteryAccumulator accumulator(w.exam, w.progress, w.scheduler, kNow, model);
            for (const auto& [id, list] : shuffled) accumulator.add_card(id, list);
            check_same(accumulator.finish(), want);
        }
    }
}

TEST_CASE("mastery accumulator: a card's answers come once, the figures are finished once") {
    std::mt19937_64 rng(7);
    const RandomWorld w(rng);
    MasteryAccumulator accumulator(w.exam, w.progress, w.scheduler, kNow);
    const std::vector<CardAnswer> one{CardAnswer{kNow - kMsPerDay, true, std::nullopt}};
    accumulator.add_card("c0", one);
    CHECK_THROWS_AS(accumulator.add_card("c0", one), std::logic_error);
    accumulator.add_card("no-such-card", one);  // not of the exam: ignored
    accumulator.add_card("c1", {});             // no answers: nothing to add
    accumulator.add_card("c1", one);
    (void)accumulator.finish();
    CHECK_THROWS_AS(accumulator.finish(), std::logic_error);
    CHECK_THROWS_AS(accumulator.add_card("c2", one), std::logic_error);
}

TEST_CASE("mastery accumulator: a wrong answer after a right one brings the card down to its current recall") {
    // One card: right (counted), then wrong. The wrong answer's recall is the card's current state.
    Exam exam;
    exam.id = "mx";
    exam.domains.push_back(Domain{"d1", 1, "One", 100, {}});
    Card card;
    card.id = "q";
    card.exam_id = "mx";
    card.domain_id = "d1";
    fsrs::Scheduler scheduler;
    fsrs::MemoryState weak;
    weak.state = fsrs::State::Relearning;
    weak.stability = 0.5;
    weak.last_review = kNow - kMsPerDay;
    weak.due = kNow;
    fsrs::MemoryState strong = weak;
    strong.state = fsrs::State::Review;
    strong.stability = 200;
    strong.last_review = kNow - 3 * kMsPerDay;
    const std::vector<CardProgress> progress{CardProgress{&card, weak, false, false}};
    const std::vector<CardAnswer> answers{CardAnswer{kNow - 3 * kMsPerDay, true, fsrs::RecallState(strong)},
                                          CardAnswer{kNow - kMsPerDay, false, std::nullopt}};
    MasteryAccumulator accumulator(exam, progress, scheduler, kNow);
    accumulator.add_card("q", answers);
    const ExamMastery m = accumulator.finish();
    const double weak_recall =
        scheduler.retrievability_fractional(fsrs::RecallState(weak), (default_horizon(kNow) - weak.last_review) /
                                                                          static_cast<double>(kMsPerDay));
    const double strong_recall =
        scheduler.retrievability_fractional(fsrs::RecallState(strong), (default_horizon(kNow) - strong.last_review) /
                                                                              static_cast<double>(kMsPerDay));
    CHECK(weak_recall < strong_recall);
    CHECK(m.domains.at("d1").mastery == weak_recall);
}

}  // namespace test_mastery_accumulator
