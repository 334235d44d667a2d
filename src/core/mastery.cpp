#include "core/mastery.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

namespace certdrill {

double predicted_recall(const fsrs::Scheduler& scheduler, const CardProgress& card, UnixMs at,
                        const MasteryModel& model) {
    if (!card.memory || card.memory->state == fsrs::State::New || card.memory->last_review == 0)
        return model.default_prior;
    double elapsed =
        std::max(0.0, static_cast<double>(at - card.memory->last_review) / static_cast<double>(kMsPerDay));
    return scheduler.retrievability_fractional(*card.memory, elapsed);
}

UnixMs default_horizon(UnixMs now, const MasteryModel& model) {
    return now + static_cast<UnixMs>(model.horizon_days) * kMsPerDay;
}

namespace {

struct Accumulator {
    Mastery m;
    double value_sum = 0.0;       // mastery of every card (unseen at the prior)
    double seen_value_sum = 0.0;  // over seen cards only
    double recall_sum = 0.0;      // recall now (unseen at the prior)
    double prior_sum = 0.0;       // the prior of every card's domain
    std::size_t recent = 0;
    std::size_t recent_correct = 0;
};

void finish(Accumulator& a, double fallback_prior) {
    Mastery& m = a.m;
    const double cards = static_cast<double>(m.cards);
    m.prior = m.cards ? a.prior_sum / cards : fallback_prior;
    m.recall_now = m.cards ? a.recall_sum / cards : m.prior;
    m.mastery = m.cards ? a.value_sum / cards : m.prior;
    m.seen_mastery = m.seen ? a.seen_value_sum / static_cast<double>(m.seen) : m.prior;
    m.recent_accuracy = a.recent ? static_cast<double>(a.recent_correct) / static_cast<double>(a.recent) : 0.0;
}

// Beta-binomial shrinkage: `right` of `n` observed, plus `strength` pseudo-answers at `toward`.
double shrunk_rate(std::size_t right, std::size_t n, double strength, double toward) {
    return (static_cast<double>(right) + strength * toward) / (static_cast<double>(n) + strength);
}

// One answer of a card, in the card's own time order.
struct CardAnswer {
    const Answer* answer;
    bool counted;  // the first answer, or given at least retry_gap after the previous one
};

// A card's mastery at the horizon. Starting from the prior, each answer moves the figure towards
// the FSRS recall at the horizon of the state it left, but only in its own direction: a wrong
// answer can only lower it, a right one only raise it. FSRS-6's forgetting curve has a long tail,
// so a card failed today can have a higher recall in 30 days than one failed weeks ago and not
// seen since; without this rule a failure could count as progress. A right retry within the
// retry gap follows the explanation and is not evidence, so it moves nothing.
double card_mastery(const std::vector<CardAnswer>& history, const fsrs::MemoryState& current, double prior,
                    const std::function<double(const fsrs::MemoryState&)>& recall_at_horizon) {
    if (history.empty()) return recall_at_horizon(current);
    double value = prior;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const Answer& a = *history[i].answer;
        const bool last = i + 1 == history.size();
        const fsrs::MemoryState* state = last ? &current : (a.after ? &*a.after : nullptr);
        if (!state) continue;
        const double recall = recall_at_horizon(*state);
        if (!a.correct)
            value = std::min(value, recall);
        else if (history[i].counted)
            value = std::max(value, recall);
    }
    return value;
}

}  // namespace

ExamMastery compute_mastery(const Exam& exam, const std::vector<CardProgress>& cards,
                            const std::vector<Answer>& answers, const fsrs::Scheduler& scheduler, UnixMs now,
                            const MasteryModel& model, const DayCounter& days, std::optional<UnixMs> horizon) {
    ExamMastery out;
    out.horizon = horizon.value_or(default_horizon(now, model));

    std::map<std::string, Accumulator> domains, topics;
    for (const auto& d : exam.domains) domains[d.id];
    for (const auto* o : exam.all_objectives()) topics[o->id];

    std::unordered_map<std::string, const Card*> by_id;
    for (const auto& cp : cards)
        if (cp.card && cp.card->exam_id == exam.id) by_id.emplace(cp.card->id, cp.card);

    // Each card's answers in time order, marked as counted or not.
    std::vector<const Answer*> ordered;
    for (const auto& a : answers)
        if (by_id.count(a.card_id)) ordered.push_back(&a);
    std::stable_sort(ordered.begin(), ordered.end(), [](const Answer* x, const Answer* y) {
        return x->card_id != y->card_id ? x->card_id < y->card_id : x->at < y->at;
    });
    std::unordered_map<std::string, std::vector<CardAnswer>> history;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        const bool first = i == 0 || ordered[i - 1]->card_id != ordered[i]->card_id;
        const bool counted = first || ordered[i]->at - ordered[i - 1]->at >= model.retry_gap;
        history[ordered[i]->card_id].push_back(CardAnswer{ordered[i], counted});
    }

    // Applies `fn` to the domain and the objective groups of a card.
    auto for_groups = [&](const Card& card, const auto& fn) {
        fn(domains[card.domain_id]);
        for (const auto& t : card.topics)
            if (auto it = topics.find(t); it != topics.end()) fn(it->second);
    };

    // The unseen prior from first answers: the exam-wide rate shrunk towards the default, then
    // each domain's own rate shrunk towards the exam-wide one.
    std::size_t first_total = 0, first_right = 0;
    for (const auto& [card_id, list] : history) {
        const bool right = list.front().answer->correct;
        ++first_total;
        if (right) ++first_right;
        Accumulator& d = domains[by_id[card_id]->domain_id];
        ++d.m.first_answers;
        if (right) ++d.m.first_correct;
    }
    out.prior = shrunk_rate(first_right, first_total, model.exam_prior_strength, model.default_prior);
    std::map<std::string, double> domain_prior;
    for (auto& [id, acc] : domains)
        domain_prior[id] =
            shrunk_rate(acc.m.first_correct, acc.m.first_answers, model.domain_prior_strength, out.prior);

    auto recall_at_horizon = [&](const fsrs::MemoryState& m) {
        if (m.state == fsrs::State::New || m.last_review == 0) return model.default_prior;
        const double elapsed = static_cast<double>(out.horizon - m.last_review) / static_cast<double>(kMsPerDay);
        return scheduler.retrievability_fractional(m, std::max(0.0, elapsed));
    };

    for (const auto& cp : cards) {
        if (!cp.card || cp.card->exam_id != exam.id) continue;
        const double prior = domain_prior.count(cp.card->domain_id) ? domain_prior[cp.card->domain_id] : out.prior;
        const bool seen = cp.memory && cp.memory->state != fsrs::State::New;
        const auto it = history.find(cp.card->id);
        const double value =
            seen ? card_mastery(it == history.end() ? std::vector<CardAnswer>{} : it->second, *cp.memory, prior,
                                recall_at_horizon)
                 : prior;
        const double recall = seen ? predicted_recall(scheduler, cp, now, model) : prior;
        // As the planner counts them: reviews fall due for the whole of their day.
        const bool due = seen && !cp.suspended &&
                         (cp.memory->state == fsrs::State::Review ? days.day_of(cp.memory->due) <= days.day_of(now)
                                                                  : cp.memory->due <= now);
        for_groups(*cp.card, [&](Accumulator& a) {
            ++a.m.cards;
            a.value_sum += value;
            a.recall_sum += recall;
            a.prior_sum += prior;
            if (seen) {
                ++a.m.seen;
                a.seen_value_sum += value;
                a.m.lapses += static_cast<std::size_t>(std::max(0, cp.memory->lapses));
            }
            if (due) ++a.m.due_now;
        });
    }

    std::vector<const CardAnswer*> counted;
    for (const auto& [card_id, list] : history) {
        const Card& card = *by_id[card_id];
        for (const auto& ca : list) {
            for_groups(card, [&](Accumulator& acc) {
                ++acc.m.reviews;
                if (ca.answer->correct) ++acc.m.correct;
                if (ca.counted) ++acc.m.counted;
            });
            if (ca.counted) counted.push_back(&ca);
        }
        for (const auto& t : card.topics)
            if (auto it = topics.find(t); it != topics.end()) {
                ++it->second.m.first_answers;
                if (list.front().answer->correct) ++it->second.m.first_correct;
            }
    }
    // Newest first, so each group's window holds its most recent answers.
    std::stable_sort(counted.begin(), counted.end(),
                     [](const CardAnswer* x, const CardAnswer* y) { return x->answer->at > y->answer->at; });
    for (const CardAnswer* ca : counted)
        for_groups(*by_id[ca->answer->card_id], [&](Accumulator& acc) {
            if (acc.recent >= model.recent_window) return;
            ++acc.recent;
            if (ca->answer->correct) ++acc.recent_correct;
        });

    double weighted = 0.0, weighted_recall = 0.0, weights = 0.0;
    for (auto& [id, acc] : domains) {
        finish(acc, domain_prior[id]);
        out.domains[id] = acc.m;
        if (const Domain* d = exam.domain(id)) {
            weighted += exam.effective_weight(*d) * acc.m.mastery;
            weighted_recall += exam.effective_weight(*d) * acc.m.recall_now;
            weights += exam.effective_weight(*d);
        }
    }
    for (auto& [id, acc] : topics) {
        finish(acc, out.prior);
        out.topics[id] = acc.m;
    }
    out.readiness = weights > 0 ? weighted / weights : out.prior;
    out.recall_now = weights > 0 ? weighted_recall / weights : out.prior;
    return out;
}

double credible_mastery(const Mastery& topic, double toward, double strength) {
    const double n = static_cast<double>(topic.counted);
    return (n * topic.seen_mastery + strength * toward) / (n + strength);
}

double retention_for_mastery(double mastery, double default_retention) {
    constexpr double kWeakAt = 0.50;    // at or below: the highest retention
    constexpr double kStrongAt = 0.80;  // at or above: the default
    constexpr double kMaxRetention = 0.97;
    if (mastery >= kStrongAt) return default_retention;
    double t = std::clamp((kStrongAt - mastery) / (kStrongAt - kWeakAt), 0.0, 1.0);
    return std::clamp(default_retention + t * (kMaxRetention - default_retention), 0.85, 0.97);
}

std::optional<int> scaled_score(const ExamFormat& f, double percent) {
    if (!f.scale_min || !f.scale_max || !f.passing_score) return std::nullopt;
    double p = std::clamp(percent, 0.0, 100.0);
    double lo = *f.scale_min, pass = *f.passing_score, hi = *f.scale_max;
    double value = p <= f.passing_percent
                       ? lo + (pass - lo) * (p / f.passing_percent)
                       : pass + (hi - pass) * ((p - f.passing_percent) / (100.0 - f.passing_percent));
    return static_cast<int>(std::lround(value));
}

}  // namespace certdrill
