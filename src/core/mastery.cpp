#include "core/mastery.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace certdrill {

double predicted_recall(const fsrs::Scheduler& scheduler, const CardProgress& card, UnixMs now,
                        const MasteryModel& model) {
    if (!card.memory || card.memory->state == fsrs::State::New || card.memory->last_review == 0)
        return model.unseen_prior;
    double elapsed =
        std::max(0.0, static_cast<double>(now - card.memory->last_review) / static_cast<double>(kMsPerDay));
    return scheduler.retrievability_fractional(*card.memory, elapsed);
}

namespace {

struct Accumulator {
    Mastery m;
    double recall_sum = 0.0;       // over all cards (unseen at the prior)
    double seen_recall_sum = 0.0;  // over seen cards only
    std::size_t recent = 0;
    std::size_t recent_correct = 0;
};

void finish(Accumulator& a, const MasteryModel& model) {
    Mastery& m = a.m;
    m.recall_now = m.cards ? a.recall_sum / static_cast<double>(m.cards) : model.unseen_prior;
    m.recent_accuracy = a.recent ? static_cast<double>(a.recent_correct) / static_cast<double>(a.recent) : 0.0;
    const double seen = static_cast<double>(m.seen);
    const double seen_recall = m.seen ? a.seen_recall_sum / static_cast<double>(m.seen) : model.unseen_prior;
    const double seen_skill = (static_cast<double>(a.recent_correct) + model.smoothing_answers * seen_recall) /
                              (static_cast<double>(a.recent) + model.smoothing_answers);
    const double cards = std::max(static_cast<double>(m.cards), seen);
    m.mastery = cards > 0 ? (seen * seen_skill + (cards - seen) * model.unseen_prior) / cards : model.unseen_prior;
}

}  // namespace

ExamMastery compute_mastery(const Exam& exam, const std::vector<CardProgress>& cards,
                            const std::vector<Answer>& answers, const fsrs::Scheduler& scheduler, UnixMs now,
                            const MasteryModel& model, const DayCounter& days) {
    std::map<std::string, Accumulator> domains, topics;
    for (const auto& d : exam.domains) domains[d.id];
    for (const auto* o : exam.all_objectives()) topics[o->id];

    std::unordered_map<std::string, const Card*> by_id;
    for (const auto& cp : cards) {
        if (!cp.card || cp.card->exam_id != exam.id) continue;
        by_id.emplace(cp.card->id, cp.card);
        double recall = predicted_recall(scheduler, cp, now, model);
        bool seen = cp.memory && cp.memory->state != fsrs::State::New;
        // As the planner counts them: reviews fall due for the whole of their day.
        bool due = seen && !cp.suspended &&
                   (cp.memory->state == fsrs::State::Review ? days.day_of(cp.memory->due) <= days.day_of(now)
                                                            : cp.memory->due <= now);
        auto add = [&](Accumulator& a) {
            ++a.m.cards;
            a.recall_sum += recall;
            if (seen) {
                ++a.m.seen;
                a.seen_recall_sum += recall;
            }
            if (due) ++a.m.due_now;
        };
        add(domains[cp.card->domain_id]);
        for (const auto& t : cp.card->topics)
            if (auto it = topics.find(t); it != topics.end()) add(it->second);
    }

    // Only an answer given at least kRetryGap after the card's previous one is evidence of
    // knowledge: a retry minutes after reading the explanation says little about exam day.
    std::vector<const Answer*> ordered;
    for (const auto& a : answers)
        if (by_id.count(a.card_id)) ordered.push_back(&a);
    std::sort(ordered.begin(), ordered.end(), [](const Answer* x, const Answer* y) {
        return x->card_id != y->card_id ? x->card_id < y->card_id : x->at < y->at;
    });
    std::vector<const Answer*> counted;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        const bool first = i == 0 || ordered[i - 1]->card_id != ordered[i]->card_id;
        if (first || ordered[i]->at - ordered[i - 1]->at >= model.retry_gap) counted.push_back(ordered[i]);
    }
    // Newest first, so each group's window holds its most recent answers.
    std::stable_sort(counted.begin(), counted.end(), [](const Answer* x, const Answer* y) { return x->at > y->at; });
    // Applies `fn` to the domain and the objective groups of an answer's card.
    auto for_groups = [&](const Answer& a, const auto& fn) {
        const Card* card = by_id[a.card_id];
        fn(domains[card->domain_id]);
        for (const auto& t : card->topics)
            if (auto it = topics.find(t); it != topics.end()) fn(it->second);
    };
    for (const Answer* a : ordered)
        for_groups(*a, [&](Accumulator& acc) {
            ++acc.m.reviews;
            if (a->correct) ++acc.m.correct;
        });
    for (const Answer* a : counted)
        for_groups(*a, [&](Accumulator& acc) {
            if (acc.recent >= model.recent_window) return;
            ++acc.recent;
            if (a->correct) ++acc.recent_correct;
        });

    ExamMastery out;
    double weighted = 0.0, weights = 0.0;
    for (auto& [id, acc] : domains) {
        finish(acc, model);
        out.domains[id] = acc.m;
        if (const Domain* d = exam.domain(id)) {
            weighted += exam.effective_weight(*d) * acc.m.mastery;
            weights += exam.effective_weight(*d);
        }
    }
    for (auto& [id, acc] : topics) {
        finish(acc, model);
        out.topics[id] = acc.m;
    }
    out.readiness = weights > 0 ? weighted / weights : 0.0;
    return out;
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
