#include "core/mastery.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <span>
#include <string_view>
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

// The newest answers of one group, at most `capacity`: newest by time, and among answers given
// at the same moment, the one met first in the walk over the cards. A heap whose top is the
// oldest answer kept.
class RecentWindow {
public:
    struct Entry {
        UnixMs at;
        std::size_t order;
        bool correct;
    };

    void offer(const Entry& e, std::size_t capacity) {
        if (capacity == 0) return;
        if (kept_.size() < capacity) {
            kept_.push_back(e);
            std::push_heap(kept_.begin(), kept_.end(), newer);
        } else if (newer(e, kept_.front())) {
            std::pop_heap(kept_.begin(), kept_.end(), newer);
            kept_.back() = e;
            std::push_heap(kept_.begin(), kept_.end(), newer);
        }
    }
    std::size_t size() const { return kept_.size(); }
    std::size_t correct() const {
        return static_cast<std::size_t>(std::count_if(kept_.begin(), kept_.end(), [](const Entry& e) { return e.correct; }));
    }

private:
    // Ordered so that the heap's top is the oldest entry.
    static bool newer(const Entry& a, const Entry& b) { return a.at != b.at ? a.at > b.at : a.order < b.order; }
    std::vector<Entry> kept_;
};

struct Accumulator {
    Mastery m;
    double value_sum = 0.0;       // mastery of every card (unseen at the prior)
    double seen_value_sum = 0.0;  // over seen cards only
    double recall_sum = 0.0;      // recall now (unseen at the prior)
    double prior_sum = 0.0;       // the prior of every card's domain
    RecentWindow recent;          // the newest counted answers
};

void finish(Accumulator& a, double fallback_prior) {
    Mastery& m = a.m;
    const double cards = static_cast<double>(m.cards);
    m.prior = m.cards ? a.prior_sum / cards : fallback_prior;
    m.recall_now = m.cards ? a.recall_sum / cards : m.prior;
    m.mastery = m.cards ? a.value_sum / cards : m.prior;
    m.seen_mastery = m.seen ? a.seen_value_sum / static_cast<double>(m.seen) : m.prior;
    m.recent_accuracy =
        a.recent.size() ? static_cast<double>(a.recent.correct()) / static_cast<double>(a.recent.size()) : 0.0;
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
double card_mastery(std::span<const CardAnswer> history, const fsrs::RecallState& current, double prior,
                    const std::function<double(const fsrs::RecallState&)>& recall_at_horizon) {
    if (history.empty()) return recall_at_horizon(current);
    double value = prior;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const Answer& a = *history[i].answer;
        const bool last = i + 1 == history.size();
        const fsrs::RecallState* state = last ? &current : (a.after ? &*a.after : nullptr);
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

    // The exam's cards, numbered in the order given; each with the groups it counts in (its
    // domain, then its objectives), looked up once here rather than for every answer.
    std::unordered_map<std::string_view, std::size_t> number_of;
    std::vector<const Card*> numbered;
    std::vector<std::vector<Accumulator*>> groups;
    for (const auto& cp : cards) {
        if (!cp.card || cp.card->exam_id != exam.id) continue;
        if (!number_of.emplace(cp.card->id, numbered.size()).second) continue;
        numbered.push_back(cp.card);
        std::vector<Accumulator*> of_card{&domains[cp.card->domain_id]};
        for (const auto& t : cp.card->topics)
            if (auto it = topics.find(t); it != topics.end()) of_card.push_back(&it->second);
        groups.push_back(std::move(of_card));
    }

    // Each card's answers in time order (answers at the same moment in log order), marked as
    // counted or not: one array, each card's answers a slice of it, placed by a counting sort.
    constexpr std::size_t kNotOfExam = static_cast<std::size_t>(-1);
    // Calls visit(answer index, card number) for each answer to one of the exam's cards. Answers
    // usually come card by card, so the previous answer's card is tried before the look-up.
    const auto for_each_exam_answer = [&](auto&& visit) {
        std::string_view previous_id;
        std::size_t previous = kNotOfExam;
        for (std::size_t i = 0; i < answers.size(); ++i) {
            if (i == 0 || answers[i].card_id != previous_id) {
                const auto it = number_of.find(answers[i].card_id);
                previous_id = answers[i].card_id;
                previous = it != number_of.end() ? it->second : kNotOfExam;
            }
            if (previous != kNotOfExam) visit(i, previous);
        }
    };
    std::vector<std::size_t> first(numbered.size() + 1, 0);
    for_each_exam_answer([&](std::size_t, std::size_t n) { ++first[n + 1]; });
    for (std::size_t n = 0; n < numbered.size(); ++n) first[n + 1] += first[n];
    std::vector<CardAnswer> placed(first.back());
    {
        std::vector<std::size_t> next(first.begin(), first.end() - 1);
        for_each_exam_answer([&](std::size_t i, std::size_t n) { placed[next[n]++] = CardAnswer{&answers[i], false}; });
    }
    const auto history = [&](std::size_t n) {
        return std::span<CardAnswer>(placed.data() + first[n], first[n + 1] - first[n]);
    };
    const auto earlier = [](const CardAnswer& x, const CardAnswer& y) { return x.answer->at < y.answer->at; };
    for (std::size_t n = 0; n < numbered.size(); ++n) {
        const auto list = history(n);
        if (!std::is_sorted(list.begin(), list.end(), earlier)) std::stable_sort(list.begin(), list.end(), earlier);
        for (std::size_t i = 0; i < list.size(); ++i)
            list[i].counted = i == 0 || list[i].answer->at - list[i - 1].answer->at >= model.retry_gap;
    }

    // The unseen prior from first answers: the exam-wide rate shrunk towards the default, then
    // each domain's own rate shrunk towards the exam-wide one.
    std::size_t first_total = 0, first_right = 0;
    for (std::size_t n = 0; n < numbered.size(); ++n) {
        if (history(n).empty()) continue;
        const bool right = history(n).front().answer->correct;
        ++first_total;
        if (right) ++first_right;
        Accumulator& d = *groups[n].front();
        ++d.m.first_answers;
        if (right) ++d.m.first_correct;
    }
    out.prior = shrunk_rate(first_right, first_total, model.exam_prior_strength, model.default_prior);
    std::map<std::string, double> domain_prior;
    for (auto& [id, acc] : domains)
        domain_prior[id] =
            shrunk_rate(acc.m.first_correct, acc.m.first_answers, model.domain_prior_strength, out.prior);

    auto recall_at_horizon = [&](const fsrs::RecallState& m) {
        if (m.state == fsrs::State::New || m.last_review == 0) return model.default_prior;
        const double elapsed = static_cast<double>(out.horizon - m.last_review) / static_cast<double>(kMsPerDay);
        return scheduler.retrievability_fractional(m, std::max(0.0, elapsed));
    };

    for (const auto& cp : cards) {
        if (!cp.card || cp.card->exam_id != exam.id) continue;
        const std::size_t n = number_of.at(cp.card->id);
        const auto prior_it = domain_prior.find(cp.card->domain_id);
        const double prior = prior_it != domain_prior.end() ? prior_it->second : out.prior;
        const bool seen = cp.memory && cp.memory->state != fsrs::State::New;
        const double value = seen ? card_mastery(history(n), *cp.memory, prior, recall_at_horizon) : prior;
        const double recall = seen ? predicted_recall(scheduler, cp, now, model) : prior;
        // As the planner counts them: reviews fall due for the whole of their day.
        const bool due = seen && !cp.suspended &&
                         (cp.memory->state == fsrs::State::Review ? days.day_of(cp.memory->due) <= days.day_of(now)
                                                                  : cp.memory->due <= now);
        for (Accumulator* a : groups[n]) {
            ++a->m.cards;
            a->value_sum += value;
            a->recall_sum += recall;
            a->prior_sum += prior;
            if (seen) {
                ++a->m.seen;
                a->seen_value_sum += value;
                a->m.lapses += static_cast<std::size_t>(std::max(0, cp.memory->lapses));
            }
            if (due) ++a->m.due_now;
        }
    }

    // Each group's newest counted answers, for its recent accuracy.
    std::size_t order = 0;
    for (std::size_t n = 0; n < numbered.size(); ++n) {
        const auto& list = history(n);
        if (list.empty()) continue;
        for (const auto& ca : list) {
            for (Accumulator* acc : groups[n]) {
                ++acc->m.reviews;
                if (ca.answer->correct) ++acc->m.correct;
                if (ca.counted) ++acc->m.counted;
            }
            if (!ca.counted) continue;
            const RecentWindow::Entry entry{ca.answer->at, order++, ca.answer->correct};
            for (Accumulator* acc : groups[n]) acc->recent.offer(entry, model.recent_window);
        }
        for (std::size_t g = 1; g < groups[n].size(); ++g) {
            ++groups[n][g]->m.first_answers;
            if (list.front().answer->correct) ++groups[n][g]->m.first_correct;
        }
    }
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
