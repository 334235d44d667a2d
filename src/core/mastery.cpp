#include "core/mastery.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
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

// Where an answer stands in the walk over the exam's cards: the card's number, then the answer's
// place in the card's time order. Breaks ties between answers given at the same moment.
struct WalkOrder {
    std::size_t card;
    std::size_t answer;
    friend bool operator<(const WalkOrder& a, const WalkOrder& b) {
        return a.card != b.card ? a.card < b.card : a.answer < b.answer;
    }
};

// The newest answers of one group, at most `capacity`: newest by time, and among answers given
// at the same moment, the one met first in the walk over the cards. A heap whose top is the
// oldest answer kept. Which answers it keeps does not depend on the order they are offered in.
class RecentWindow {
public:
    struct Entry {
        UnixMs at;
        WalkOrder order;
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
    double domain_prior = 0.0;    // of a domain: the prior of its unseen cards
};

void finish_group(Accumulator& a, double fallback_prior) {
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

// A card's mastery at the horizon. Starting from the prior, each answer moves the figure towards
// the FSRS recall at the horizon of the state it left, but only in its own direction: a wrong
// answer can only lower it (value = min(value, recall)), a right one only raise it (value =
// max(value, recall)). FSRS-6's forgetting curve has a long tail, so a card failed today can
// have a higher recall in 30 days than one failed weeks ago and not seen since; without this
// rule a failure could count as progress. A right retry within the retry gap follows the
// explanation and is not evidence, so it moves nothing.
//
// The prior (its domain's) is known only once every card's first answer is in, so the steps are
// kept as the one function they compose to: any chain of min(x, r) and max(x, r) equals
// min(max(x, low), high). The steps are put together newest first: a step taken before the
// function g(x) = min(max(x, low), high) makes
//     g(min(x, r)) = min(max(x, low), min(max(r, low), high))   (high becomes min(max(r, low), high))
//     g(max(x, r)) = min(max(x, max(r, low)), high)             (low becomes max(r, low)).
// Once low >= high the function is the constant `high`, and no older step can change it, so the
// walk stops there: most cards need the recall of only their newest few answers. min and max
// only pick one of their operands, so the result is the same double as the step-by-step walk
// from the prior. A recall that is not a number is a step that moves nothing, as min and max
// leave the value alone in the walk from the prior.
struct MasteryFold {
    double low = -std::numeric_limits<double>::infinity();
    double high = std::numeric_limits<double>::infinity();

    void lower_before(double recall) { high = std::min(std::max(recall, low), high); }
    void raise_before(double recall) { low = std::max(recall, low); }
    bool settled() const { return low >= high; }
    double apply(double prior) const { return std::min(std::max(prior, low), high); }
};

}  // namespace

struct MasteryAccumulator::State {
    const Exam& exam;
    const std::vector<CardProgress>& cards;
    const fsrs::Scheduler& scheduler;
    UnixMs now;
    MasteryModel model;
    DayCounter days;
    UnixMs horizon;
    bool finished = false;

    std::map<std::string, Accumulator> domains, topics;
    // The exam's cards, numbered in the order given; each with the groups it counts in (its
    // domain, then its objectives), looked up once here rather than for every answer.
    std::unordered_map<std::string_view, std::size_t> number_of;
    static constexpr std::size_t kNotOfExam = static_cast<std::size_t>(-1);
    std::vector<std::size_t> number_at;  // each entry of `cards`: its card's number, or kNotOfExam
    std::vector<const CardProgress*> numbered;
    std::vector<std::size_t> groups_from;  // card n's groups: group_list[groups_from[n] .. groups_from[n + 1])
    std::vector<Accumulator*> group_list;
    // Per card: whether its answers are in, its first answer, and its mastery steps.
    struct CardFigures {
        bool answered = false;
        bool first_correct = false;
        // The last answer left the card in the state the store holds now, which each listing of
        // the card brings along: its step is taken at the end, from that listing's state.
        bool last_correct = false;
        bool last_counted = false;
        MasteryFold earlier;  // the steps of the answers before the last
    };
    std::vector<CardFigures> figures;
    std::vector<CardAnswer> sorted;  // a card's answers put in time order, when they came out of it

    State(const Exam& e, const std::vector<CardProgress>& c, const fsrs::Scheduler& s, UnixMs n,
          const MasteryModel& m, const DayCounter& d, UnixMs h)
        : exam(e), cards(c), scheduler(s), now(n), model(m), days(d), horizon(h) {
        for (const auto& dom : exam.domains) domains[dom.id];
        for (const auto* o : exam.all_objectives()) topics[o->id];
        number_of.reserve(cards.size());
        number_at.assign(cards.size(), kNotOfExam);
        groups_from.push_back(0);
        for (std::size_t position = 0; position < cards.size(); ++position) {
            const CardProgress& cp = cards[position];
            if (!cp.card || cp.card->exam_id != exam.id) continue;
            const auto [it, added] = number_of.emplace(cp.card->id, numbered.size());
            number_at[position] = it->second;
            if (!added) continue;
            numbered.push_back(&cp);
            group_list.push_back(&domains[cp.card->domain_id]);
            for (const auto& t : cp.card->topics)
                if (auto it = topics.find(t); it != topics.end()) group_list.push_back(&it->second);
            groups_from.push_back(group_list.size());
        }
        figures.resize(numbered.size());
    }

    std::span<Accumulator* const> groups(std::size_t n) const {
        return {group_list.data() + groups_from[n], groups_from[n + 1] - groups_from[n]};
    }

    double recall_at_horizon(const fsrs::RecallState& m) const {
        if (m.state == fsrs::State::New || m.last_review == 0) return model.default_prior;
        const double elapsed = static_cast<double>(horizon - m.last_review) / static_cast<double>(kMsPerDay);
        return scheduler.retrievability_fractional(m, std::max(0.0, elapsed));
    }

    // A seen card's mastery: its earlier steps from the prior, then its last answer's step from
    // the state the store holds now.
    double card_mastery(const CardFigures& f, double prior, const fsrs::MemoryState& current) const {
        const double value = f.earlier.apply(prior);
        if (f.last_correct && !f.last_counted) return value;
        const double recall = recall_at_horizon(current);
        if (std::isnan(recall)) return value;
        return f.last_correct ? std::max(value, recall) : std::min(value, recall);
    }

    void add(std::size_t n, std::span<const CardAnswer> list) {
        const auto of_card = groups(n);
        CardFigures& f = figures[n];
        f.answered = true;
        f.first_correct = list.front().correct;
        // The first answer counts as evidence, and any answer given at least retry_gap after the
        // previous one.
        const auto counts = [&](std::size_t i) { return i == 0 || list[i].at - list[i - 1].at >= model.retry_gap; };
        std::size_t correct = 0, counted = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].correct) ++correct;
            if (counts(i)) ++counted;
        }
        f.last_correct = list.back().correct;
        f.last_counted = counts(list.size() - 1);
        // The earlier answers' steps, newest first, until the older ones can no longer change the
        // result. An answer without a known state moves nothing.
        for (std::size_t i = list.size() - 1; i-- > 0 && !f.earlier.settled();) {
            const CardAnswer& a = list[i];
            if ((a.correct && !counts(i)) || !a.after) continue;
            const double recall = recall_at_horizon(*a.after);
            if (std::isnan(recall)) continue;
            if (a.correct)
                f.earlier.raise_before(recall);
            else
                f.earlier.lower_before(recall);
        }
        for (Accumulator* acc : of_card) {
            acc->m.reviews += list.size();
            acc->m.correct += correct;
            acc->m.counted += counted;
        }
        // A card's counted answers come at least retry_gap apart, so with a positive gap only its
        // newest `recent_window` counted answers can be among its groups' newest.
        const bool all_recent = model.retry_gap <= 0;
        std::size_t offered = 0;
        for (std::size_t i = list.size(); i-- > 0 && (all_recent || offered < model.recent_window);) {
            if (!counts(i)) continue;
            ++offered;
            const RecentWindow::Entry entry{list[i].at, WalkOrder{n, i}, list[i].correct};
            for (Accumulator* acc : of_card) acc->recent.offer(entry, model.recent_window);
        }
    }

    ExamMastery result() {
        ExamMastery out;
        out.horizon = horizon;
        // The unseen prior from first answers: the exam-wide rate shrunk towards the default, then
        // each domain's own rate shrunk towards the exam-wide one.
        std::size_t first_total = 0, first_right = 0;
        for (std::size_t n = 0; n < numbered.size(); ++n) {
            if (!figures[n].answered) continue;
            const bool right = figures[n].first_correct;
            ++first_total;
            if (right) ++first_right;
            for (Accumulator* acc : groups(n)) {
                ++acc->m.first_answers;
                if (right) ++acc->m.first_correct;
            }
        }
        out.prior = shrunk_rate(first_right, first_total, model.exam_prior_strength, model.default_prior);
        std::map<std::string, double> domain_prior;
        for (auto& [id, acc] : domains)
            domain_prior[id] =
                shrunk_rate(acc.m.first_correct, acc.m.first_answers, model.domain_prior_strength, out.prior);

        for (auto& [id, acc] : domains) acc.domain_prior = domain_prior[id];
        const std::int64_t today = days.day_of(now);
        // In the order of `cards`, so that the sums add up in the same order every time.
        for (std::size_t position = 0; position < cards.size(); ++position) {
            const std::size_t n = number_at[position];
            if (n == kNotOfExam) continue;
            const CardProgress& cp = cards[position];
            // The prior of the card's domain: the first of its groups, unless another card of the
            // same id was listed first.
            double prior = out.prior;
            if (cp.card == numbered[n]->card) {
                prior = groups(n).front()->domain_prior;
            } else if (const auto d = domains.find(cp.card->domain_id); d != domains.end()) {
                prior = d->second.domain_prior;
            }
            const bool seen = cp.memory && cp.memory->state != fsrs::State::New;
            // A seen card without answers: the recall of its state.
            const double value = !seen                 ? prior
                                 : figures[n].answered ? card_mastery(figures[n], prior, *cp.memory)
                                                       : recall_at_horizon(*cp.memory);
            const double recall = seen ? predicted_recall(scheduler, cp, now, model) : prior;
            // As the planner counts them: reviews fall due for the whole of their day.
            const bool due = seen && !cp.suspended &&
                             (cp.memory->state == fsrs::State::Review ? days.day_of(cp.memory->due) <= today
                                                                      : cp.memory->due <= now);
            for (Accumulator* a : groups(n)) {
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

        double weighted = 0.0, weighted_recall = 0.0, weights = 0.0;
        for (auto& [id, acc] : domains) {
            finish_group(acc, domain_prior[id]);
            out.domains[id] = acc.m;
            if (const Domain* d = exam.domain(id)) {
                weighted += exam.effective_weight(*d) * acc.m.mastery;
                weighted_recall += exam.effective_weight(*d) * acc.m.recall_now;
                weights += exam.effective_weight(*d);
            }
        }
        for (auto& [id, acc] : topics) {
            finish_group(acc, out.prior);
            out.topics[id] = acc.m;
        }
        out.readiness = weights > 0 ? weighted / weights : out.prior;
        out.recall_now = weights > 0 ? weighted_recall / weights : out.prior;
        return out;
    }
};

MasteryAccumulator::MasteryAccumulator(const Exam& exam, const std::vector<CardProgress>& cards,
                                       const fsrs::Scheduler& scheduler, UnixMs now, const MasteryModel& model,
                                       const DayCounter& days, std::optional<UnixMs> horizon)
    : state_(std::make_unique<State>(exam, cards, scheduler, now, model, days,
                                     horizon.value_or(default_horizon(now, model)))) {}

MasteryAccumulator::~MasteryAccumulator() = default;
MasteryAccumulator::MasteryAccumulator(MasteryAccumulator&&) noexcept = default;
MasteryAccumulator& MasteryAccumulator::operator=(MasteryAccumulator&&) noexcept = default;

void MasteryAccumulator::add_card(std::string_view card_id, std::span<const CardAnswer> answers) {
    if (state_->finished) throw std::logic_error("answers added to mastery figures already finished");
    const auto it = state_->number_of.find(card_id);
    if (it != state_->number_of.end()) add_numbered(it->second, answers);
}

void MasteryAccumulator::add_card_at(std::size_t position, std::span<const CardAnswer> answers) {
    if (state_->finished) throw std::logic_error("answers added to mastery figures already finished");
    if (position >= state_->number_at.size()) throw std::out_of_range("no card at this position");
    const std::size_t n = state_->number_at[position];
    if (n != State::kNotOfExam) add_numbered(n, answers);
}

void MasteryAccumulator::add_numbered(std::size_t n, std::span<const CardAnswer> answers) {
    State& s = *state_;
    if (answers.empty()) return;
    if (s.figures[n].answered)
        throw std::logic_error("the answers of card '" + s.numbered[n]->card->id + "' came twice");
    const auto earlier = [](const CardAnswer& x, const CardAnswer& y) { return x.at < y.at; };
    if (std::is_sorted(answers.begin(), answers.end(), earlier)) {
        s.add(n, answers);
        return;
    }
    s.sorted.assign(answers.begin(), answers.end());
    std::stable_sort(s.sorted.begin(), s.sorted.end(), earlier);
    s.add(n, s.sorted);
}

ExamMastery MasteryAccumulator::finish() {
    State& s = *state_;
    if (s.finished) throw std::logic_error("mastery figures finished twice");
    s.finished = true;
    return s.result();
}

ExamMastery compute_mastery(const Exam& exam, const std::vector<CardProgress>& cards,
                            const std::vector<Answer>& answers, const fsrs::Scheduler& scheduler, UnixMs now,
                            const MasteryModel& model, const DayCounter& days, std::optional<UnixMs> horizon) {
    MasteryAccumulator accumulator(exam, cards, scheduler, now, model, days, horizon);
    // Each card's answers gathered in log order (a card's answers need not be adjacent in the
    // log), then handed over card by card.
    std::unordered_map<std::string_view, std::vector<CardAnswer>> by_card;
    for (const Answer& a : answers) by_card[a.card_id].push_back(CardAnswer{a.at, a.correct, a.after});
    for (const auto& [card_id, list] : by_card) accumulator.add_card(card_id, list);
    return accumulator.finish();
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
