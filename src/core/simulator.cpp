#include "core/simulator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "core/mastery.hpp"
#include "core/planner.hpp"

namespace certdrill {

namespace {

using fsrs::MemoryState;
using fsrs::Rating;
using fsrs::Scheduler;

// How far each learner's true weights stray from the defaults: a multiplicative spread for the
// initial stabilities, a share of the across-learner spread for the rest.
constexpr double kInitialStabilitySpread = 0.35;
constexpr double kWeightSpreadShare = 0.35;
constexpr std::array<double, 21> kLearnerSpread = {0,   0,    0,    0,    0.57, 0.28, 0.6,  0.12, 0.39, 0.18, 0.33,
                                                   0.3, 0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27};
// Prior knowledge: the chance of answering a card right before studying it.
constexpr double kPriorLow = 0.35, kPriorHigh = 0.6, kWeakPrior = 0.12;

struct Learner {
    fsrs::Weights w;
    std::map<std::string, double> prior;  // by domain id
    std::uint64_t seed;
};

Learner draw_learner(const Exam& exam, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    Learner l;
    l.seed = seed;
    l.w = fsrs::kDefaultWeights;
    for (std::size_t i = 0; i < 4; ++i) l.w[i] *= std::exp(kInitialStabilitySpread * normal(random));
    std::sort(l.w.begin(), l.w.begin() + 4);  // Again < Hard < Good < Easy
    for (std::size_t i = 4; i < l.w.size(); ++i) l.w[i] += kWeightSpreadShare * kLearnerSpread[i] * normal(random);
    l.w = fsrs::clip_parameters(l.w);
    l.w[19] = std::max(l.w[19], 0.01);
    std::uniform_real_distribution<double> prior(kPriorLow, kPriorHigh);
    for (const auto& d : exam.domains) l.prior[d.id] = prior(random);
    const std::size_t weak = static_cast<std::size_t>(random() % exam.domains.size());
    l.prior[exam.domains[weak].id] = kWeakPrior;
    return l;
}

// One card as the simulation tracks it: the learner's true memory and certdrill's model of it.
struct SimCard {
    const Card* card;
    MemoryState truth;
    MemoryState model;
    bool seen = false;
};

struct LoggedAnswer {
    std::size_t card;
    UnixMs at;
    Rating rating;
};

class Run {
public:
    Run(const Exam& exam, const std::vector<const Card*>& cards, const SimulationConfig& config, const Learner& learner)
        : exam_(exam),
          config_(config),
          learner_(learner),
          truth_(true_parameters(learner)),
          random_(learner.seed * 7 + 1) {
        for (const Card* c : cards) cards_.push_back({c, {}, {}, false});
        for (std::size_t i = 0; i < cards_.size(); ++i) index_[cards_[i].card->id] = i;
    }

    void study(SimulationPolicy policy) {
        for (int day = 0; day < config_.days; ++day) {
            const UnixMs start = config_.start + static_cast<UnixMs>(day) * kMsPerDay;
            if (policy == SimulationPolicy::Planner)
                planner_day(start, static_cast<std::uint64_t>(day));
            else
                fsrs_day(start);
        }
    }

    UnixMs exam_time() const { return config_.start + static_cast<UnixMs>(config_.days) * kMsPerDay; }
    StudyDay exam_day() const { return days_.day_of(exam_time()); }

    // The learner's true chance on each card on exam day, blueprint-weighted, in percent.
    double true_score() const {
        return weighted([&](const SimCard& c) {
            if (!c.seen) return learner_.prior.at(c.card->domain_id);
            return truth_.retrievability_fractional(c.truth, days_since(c.truth, exam_time()));
        });
    }

    // certdrill's expectation on exam day from what it saw, with `scheduler`'s weights: the
    // readiness the trainer itself reports, computed by the same function.
    double predicted_score(const Scheduler& scheduler, const std::vector<MemoryState>& model) const {
        std::vector<CardProgress> progress;
        for (std::size_t i = 0; i < cards_.size(); ++i)
            progress.push_back({cards_[i].card, cards_[i].seen ? std::optional<MemoryState>(model[i]) : std::nullopt,
                                false, false});
        const UnixMs exam = exam_time();
        return 100.0 * compute_mastery(exam_, progress, logged_answers(), scheduler, exam, {}, days_, exam).readiness;
    }

    std::vector<MemoryState> model_states() const {
        std::vector<MemoryState> out;
        for (const SimCard& c : cards_) out.push_back(c.model);
        return out;
    }

    // The model's states replayed from the log with other weights (stability does not depend on
    // the retention the intervals were chosen for).
    std::vector<MemoryState> replay(const Scheduler& scheduler) const {
        std::vector<MemoryState> out(cards_.size());
        for (const LoggedAnswer& a : log_) {
            MemoryState& m = out[a.card];
            const auto elapsed = m.state == fsrs::State::New ? 0 : days_.days_between(m.last_review, a.at);
            m = scheduler.next(m, a.rating, a.at, elapsed);
        }
        return out;
    }

    fsrs::ReviewLog review_log() const {
        std::vector<std::vector<fsrs::TimedReview>> by_card(cards_.size());
        for (const LoggedAnswer& a : log_) by_card[a.card].push_back({a.at, a.rating});
        by_card.erase(std::remove_if(by_card.begin(), by_card.end(), [](const auto& v) { return v.empty(); }),
                      by_card.end());
        return fsrs::make_review_log(by_card, days_);
    }

    std::size_t answers() const { return log_.size(); }
    double seen_fraction() const {
        const auto seen = std::count_if(cards_.begin(), cards_.end(), [](const SimCard& c) { return c.seen; });
        return static_cast<double>(seen) / static_cast<double>(cards_.size());
    }
    const Scheduler& model_scheduler() const { return model_; }

private:
    static Scheduler true_parameters(const Learner& l) {
        fsrs::Parameters p;
        p.w = l.w;
        return Scheduler(p);
    }

    static double days_since(const MemoryState& m, UnixMs now) {
        return static_cast<double>(now - m.last_review) / static_cast<double>(kMsPerDay);
    }

    template <class Fn>
    double weighted(Fn&& chance) const {
        std::map<std::string, std::pair<double, double>> by_domain;
        for (const SimCard& c : cards_) {
            auto& d = by_domain[c.card->domain_id];
            d.first += chance(c);
            d.second += 1.0;
        }
        double score = 0.0, weight = 0.0;
        for (const auto& d : exam_.domains) {
            const auto it = by_domain.find(d.id);
            if (it == by_domain.end()) continue;
            const double w = exam_.effective_weight(d);
            score += w * it->second.first / it->second.second;
            weight += w;
        }
        return weight > 0.0 ? 100.0 * score / weight : 0.0;
    }

    UnixMs cost(const Card& card) const {
        return 1000LL * (card.is_question() ? config_.seconds_per_question : config_.seconds_per_flashcard);
    }

    // The learner answers: right with their true recall (prior knowledge for a first answer).
    // Right is Good and wrong is Again, as a question is graded.
    Rating answer(std::size_t i, UnixMs now) {
        SimCard& c = cards_[i];
        const double chance = c.seen ? truth_.retrievability_fractional(c.truth, days_since(c.truth, now))
                                     : learner_.prior.at(c.card->domain_id);
        const bool right = std::uniform_real_distribution<double>(0.0, 1.0)(random_) < chance;
        const Rating rating = right ? Rating::Good : Rating::Again;
        const auto elapsed = c.truth.state == fsrs::State::New ? 0 : days_.days_between(c.truth.last_review, now);
        c.truth = truth_.next(c.truth, rating, now, elapsed);
        c.seen = true;
        log_.push_back({i, now, rating});
        return rating;
    }

    std::vector<Answer> logged_answers() const {
        std::vector<Answer> answers;
        answers.reserve(log_.size());
        for (const LoggedAnswer& a : log_) answers.push_back({cards_[a.card].card->id, a.at, a.rating != Rating::Again});
        return answers;
    }

    std::int64_t model_elapsed(const SimCard& c, UnixMs now) const {
        return c.model.state == fsrs::State::New ? 0 : days_.days_between(c.model.last_review, now);
    }

    void planner_day(UnixMs start, std::uint64_t day) {
        std::vector<CardProgress> progress;
        for (const SimCard& c : cards_)
            progress.push_back({c.card, c.seen ? std::optional<MemoryState>(c.model) : std::nullopt, false, false});
        const ExamMastery mastery =
            compute_mastery(exam_, progress, logged_answers(), model_, start, {}, days_, exam_time());
        // The learner has set the exam date, as the trainer asks: intervals end on the exam day
        // and retention rises as it nears.
        PlannerConfig config;
        config.new_per_day = config_.new_per_day;
        config.default_retention = model_.parameters().desired_retention;
        config.exam_date = PlannerConfig::ExamDate{exam_day(), exam_day() - days_.day_of(start)};
        SessionPlanner planner(exam_, progress, mastery, model_, days_, config, learner_.seed ^ (day * 0x9e3779b9ULL));
        const UnixMs end = start + static_cast<UnixMs>(config_.minutes_per_day) * kMsPerMinute;
        for (UnixMs now = start; now < end;) {
            const auto pick = planner.next(now);
            if (!pick) break;
            const std::size_t i = index_.at(pick->card->id);
            const Rating rating = answer(i, now);
            SimCard& c = cards_[i];
            c.model = planner.schedule(*c.card, c.model, rating, now, model_elapsed(c, now));
            planner.record(*c.card, c.model, rating != Rating::Again);
            now += cost(*c.card);
        }
    }

    // A plain FSRS due queue.
    std::optional<std::size_t> fsrs_pick(UnixMs now, std::size_t new_today, const std::vector<std::size_t>& new_order,
                                         std::size_t& next_new) const {
        std::optional<std::size_t> best;
        const auto earlier = [&](std::size_t i) { return !best || cards_[i].model.due < cards_[*best].model.due; };
        for (std::size_t i = 0; i < cards_.size(); ++i) {
            const MemoryState& m = cards_[i].model;
            if ((m.state == fsrs::State::Learning || m.state == fsrs::State::Relearning) && m.due <= now && earlier(i))
                best = i;
        }
        if (best) return best;
        for (std::size_t i = 0; i < cards_.size(); ++i) {
            const MemoryState& m = cards_[i].model;
            if (m.state == fsrs::State::Review && days_.day_of(m.due) <= days_.day_of(now) && earlier(i)) best = i;
        }
        if (best) return best;
        while (next_new < new_order.size() && cards_[new_order[next_new]].seen) ++next_new;
        if (new_today < config_.new_per_day && next_new < new_order.size()) return new_order[next_new];
        // Nothing else: learning cards due within 20 minutes are shown early, as Anki does.
        for (std::size_t i = 0; i < cards_.size(); ++i) {
            const MemoryState& m = cards_[i].model;
            if ((m.state == fsrs::State::Learning || m.state == fsrs::State::Relearning) &&
                m.due <= now + 20 * kMsPerMinute && earlier(i))
                best = i;
        }
        return best;
    }

    void fsrs_day(UnixMs start) {
        if (new_order_.empty()) {
            for (std::size_t i = 0; i < cards_.size(); ++i) new_order_.push_back(i);
            std::shuffle(new_order_.begin(), new_order_.end(), random_);
        }
        const UnixMs end = start + static_cast<UnixMs>(config_.minutes_per_day) * kMsPerMinute;
        std::size_t new_today = 0;
        for (UnixMs now = start; now < end;) {
            const auto pick = fsrs_pick(now, new_today, new_order_, next_new_);
            if (!pick) break;
            SimCard& c = cards_[*pick];
            if (!c.seen) ++new_today;
            const Rating rating = answer(*pick, now);
            c.model = model_.next(c.model, rating, now, model_elapsed(c, now));
            now += cost(*c.card);
        }
    }

    const Exam& exam_;
    const SimulationConfig& config_;
    const Learner& learner_;
    Scheduler truth_;
    Scheduler model_;
    DayCounter days_ = utc_day_counter();
    std::mt19937_64 random_;
    std::vector<SimCard> cards_;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<LoggedAnswer> log_;
    std::vector<std::size_t> new_order_;
    std::size_t next_new_ = 0;
};

void add(PolicyOutcome& out, const Run& run, double n, bool fit) {
    const double score = run.true_score();
    out.scores.push_back(score);
    out.exam_day_score += score / n;
    out.predicted += run.predicted_score(run.model_scheduler(), run.model_states()) / n;
    out.answers_per_learner += static_cast<double>(run.answers()) / n;
    out.cards_seen += run.seen_fraction() / n;
    if (!fit) return;
    fsrs::Parameters p = run.model_scheduler().parameters();
    p.w = fsrs::fit_parameters(run.review_log()).w;
    const Scheduler fitted(p);
    out.predicted_fitted = out.predicted_fitted.value_or(0.0) + run.predicted_score(fitted, run.replay(fitted)) / n;
}

}  // namespace

SimulationResult simulate(const Exam& exam, const std::vector<const Card*>& cards, const SimulationConfig& config) {
    if (cards.empty()) throw std::invalid_argument("exam " + exam.id + " has no cards to study");
    if (config.days < 1 || config.minutes_per_day < 1 || config.learners < 1)
        throw std::invalid_argument("days, minutes and learners must be at least 1");
    SimulationResult result;
    const double n = static_cast<double>(config.learners);
    std::mt19937_64 seeds(config.seed);
    int done = 0;
    for (int k = 0; k < config.learners; ++k) {
        const Learner learner = draw_learner(exam, seeds());
        Run planner(exam, cards, config, learner);
        planner.study(SimulationPolicy::Planner);
        add(result.planner, planner, n, config.fit_learner_parameters);
        if (config.progress) config.progress(++done, 2 * config.learners);
        Run plain(exam, cards, config, learner);
        plain.study(SimulationPolicy::PlainFsrs);
        add(result.fsrs, plain, n, config.fit_learner_parameters);
        if (config.progress) config.progress(++done, 2 * config.learners);
    }
    return result;
}

}  // namespace certdrill
