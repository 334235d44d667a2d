#include "core/fsrs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace certdrill::fsrs {

namespace {

constexpr int kMinutesPerDay = 1440;

// JavaScript's Math.round: nearest integer, halves toward +infinity. std::round sends halves
// away from zero and floor(x + 0.5) misrounds 0.49999999999999994, so neither matches exactly.
double js_round(double x) {
    double r = std::ceil(x);
    if (r - 0.5 > x) r -= 1.0;
    return r;
}

// ts-fsrs rounds intermediate results to 8 decimals with Math.round(x * 1e8) / 1e8. Matching it
// keeps interval boundaries (round(S * modifier)) on the same side as the reference.
double round8(double x) { return js_round(x * 1e8) / 1e8; }

double clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }

// A card that has never been answered has neither stability nor difficulty yet.
bool is_first_review(double stability, double difficulty) { return difficulty == 0.0 && stability == 0.0; }

int grade(Rating r) { return static_cast<int>(r); }

bool valid_rating(Rating r) { return grade(r) >= 1 && grade(r) <= 4; }

struct Range {
    double lo;
    double hi;
};

// Accepted range of each weight (the bounds the FSRS optimizer keeps them in).
constexpr std::array<Range, 21> kWeightRanges = {{
    {0.001, 100}, {0.001, 100},  {0.001, 100},  {0.001, 100},  // w0..w3: initial stability per grade
    {1, 10},                                                   // w4: initial difficulty for Again
    {0.001, 4},   {0.001, 4},    {0.001, 0.75},                // w5..w7: difficulty
    {0, 4.5},     {0, 0.8},      {0.001, 3.5},                 // w8..w10: recall stability growth
    {0.001, 5},   {0.001, 0.25}, {0.001, 0.9},  {0, 4},        // w11..w14: post-lapse stability
    {0, 1},       {1, 6},                                      // w15: Hard penalty, w16: Easy bonus
    {0, 2},       {0, 2},        {0, 0.8},                     // w17..w19: same-day reviews
    {0.1, 0.8},                                                // w20: decay
}};

// Shortest text that reads back as the same double, for error messages.
std::string describe(double value) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

void validate_weights(const std::array<double, 21>& w) {
    for (std::size_t i = 0; i < w.size(); ++i) {
        const auto [lo, hi] = kWeightRanges[i];
        if (!std::isfinite(w[i]))
            throw std::invalid_argument("FSRS parameter w[" + std::to_string(i) + "] is not a finite number");
        if (w[i] < lo || w[i] > hi)
            throw std::invalid_argument("FSRS parameter w[" + std::to_string(i) + "] = " + describe(w[i]) +
                                        " is outside its range [" + describe(lo) + ", " + describe(hi) + "]");
    }
}

void validate_retention(double r) {
    if (!(r > 0.0 && r <= 1.0)) throw std::invalid_argument("desired retention " + describe(r) + " is outside (0, 1]");
}

void validate_steps(const std::vector<int>& steps, const char* what) {
    for (const int minutes : steps) {
        if (minutes < 0) throw std::invalid_argument(std::string(what) + " must not be negative");
        if (minutes > kMaxStepMinutes)
            throw std::invalid_argument(std::string(what) + " must be at most " +
                                        std::to_string(kMaxStepMinutes / kMinutesPerDay) + " days");
    }
}

// Same-day reviews multiply stability by exp(w17 * w18) at most per step; with several
// relearning steps that could lift stability above its level before the lapse. ts-fsrs caps w17
// and w18 so that a lapse followed by Good on every step stays below it; this is that cap.
double relearning_cap(const std::array<double, 21>& w, std::size_t relearning_steps) {
    const double value =
        -(std::log(w[11]) + std::log(std::pow(2.0, w[13]) - 1.0) + w[14] * 0.3) / static_cast<double>(relearning_steps);
    return clamp(round8(std::sqrt(std::max(value, 0.0))), 0.01, 2.0);
}

// splitmix64: a tiny, well-mixed generator, enough to spread a seed over [0, 1).
double unit_interval(std::uint64_t seed) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace

const char* to_string(State s) {
    switch (s) {
        case State::New:
            return "new";
        case State::Learning:
            return "learning";
        case State::Review:
            return "review";
        case State::Relearning:
            return "relearning";
    }
    return "?";
}

const char* to_string(Rating r) {
    switch (r) {
        case Rating::Again:
            return "Again";
        case Rating::Hard:
            return "Hard";
        case Rating::Good:
            return "Good";
        case Rating::Easy:
            return "Easy";
    }
    return "?";
}

std::optional<State> state_from_string(std::string_view text) {
    for (const State s : {State::New, State::Learning, State::Review, State::Relearning})
        if (text == to_string(s)) return s;
    return std::nullopt;
}

Rating grade_answer(bool correct, bool guessed) {
    if (!correct) return Rating::Again;
    return guessed ? Rating::Hard : Rating::Good;
}

std::array<double, 21> upgrade_weights(std::span<const double> w) {
    std::array<double, 21> out{};
    if (w.size() == 21) {
        std::copy(w.begin(), w.end(), out.begin());
    } else if (w.size() == 19) {
        std::copy(w.begin(), w.end(), out.begin());
        out[19] = 0.0;  // no stability-dependent damping of same-day reviews
        out[20] = 0.5;  // the FSRS-5 forgetting-curve decay
    } else {
        throw std::invalid_argument("FSRS needs 19 or 21 parameters, got " + std::to_string(w.size()));
    }
    return out;
}

std::optional<int> parse_step(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    int per_unit = 0;
    switch (text.back()) {
        case 'm':
            per_unit = 1;
            break;
        case 'h':
            per_unit = 60;
            break;
        case 'd':
            per_unit = kMinutesPerDay;
            break;
        default:
            return std::nullopt;
    }
    std::int64_t value = 0;
    for (const char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
        if (value * per_unit > kMaxStepMinutes) return std::nullopt;
    }
    return static_cast<int>(value * per_unit);
}

Scheduler::Scheduler(Parameters params) : params_(std::move(params)) {
    auto& w = params_.w;
    validate_weights(w);
    validate_retention(params_.desired_retention);
    if (params_.maximum_interval < 1) throw std::invalid_argument("maximum interval must be at least 1 day");
    validate_steps(params_.learning_steps_minutes, "learning steps");
    validate_steps(params_.relearning_steps_minutes, "relearning steps");

    if (params_.enable_short_term) w[19] = std::max(w[19], 0.01);
    if (params_.relearning_steps_minutes.size() > 1) {
        const double cap = relearning_cap(w, params_.relearning_steps_minutes.size());
        w[17] = std::min(w[17], cap);
        w[18] = std::min(w[18], cap);
    }

    decay_ = -w[20];
    // factor is chosen so that R(S, S) = 0.9: stability is the 90%-recall interval.
    factor_ = round8(std::exp((1.0 / decay_) * std::log(0.9)) - 1.0);
    default_modifier_ = interval_modifier(params_.desired_retention);
    easy_initial_difficulty_ = raw_initial_difficulty(Rating::Easy);
    exp_w8_ = std::exp(w[8]);
    lapse_divisor_ = params_.enable_short_term ? std::exp(w[17] * w[18]) : 1.0;
    for (int g = 1; g <= 4; ++g)
        short_term_growth_[static_cast<std::size_t>(g - 1)] = std::exp(w[17] * (g - 3 + w[18]));
}

// ---- model ------------------------------------------------------------------------------------

double Scheduler::forgetting_curve(double elapsed_days, double stability) const {
    return round8(std::pow(1.0 + factor_ * elapsed_days / stability, decay_));
}

double Scheduler::elapsed_ratio_at(double recall) const { return (std::pow(recall, 1.0 / decay_) - 1.0) / factor_; }

double Scheduler::interval_modifier(double desired_retention) const {
    validate_retention(desired_retention);
    return round8((std::pow(desired_retention, 1.0 / decay_) - 1.0) / factor_);
}

int Scheduler::next_interval(double stability, std::optional<double> desired_retention) const {
    return unfuzzed_interval(stability, desired_retention ? interval_modifier(*desired_retention) : default_modifier_);
}

int Scheduler::unfuzzed_interval(double stability, double modifier) const {
    const double days = std::max(1.0, js_round(stability * modifier));
    return static_cast<int>(std::min(days, static_cast<double>(params_.maximum_interval)));
}

double Scheduler::initial_stability(Rating r) const {
    return std::max(params_.w[static_cast<std::size_t>(grade(r) - 1)], 0.1);
}

double Scheduler::raw_initial_difficulty(Rating r) const {
    const auto& w = params_.w;
    return round8(w[4] - std::exp((grade(r) - 1) * w[5]) + 1.0);
}

double Scheduler::initial_difficulty(Rating r) const { return clamp(raw_initial_difficulty(r), 1.0, 10.0); }

double Scheduler::next_difficulty(double difficulty, Rating r) const {
    const auto& w = params_.w;
    const double delta = -w[6] * (grade(r) - 3);
    // Linear damping: the closer D is to 10, the smaller the step, so D approaches 10 gently.
    const double damped = difficulty + round8(delta * (10.0 - difficulty) / 9.0);
    // Mean reversion toward the (unclamped) initial difficulty of an Easy first answer.
    const double reverted = round8(w[7] * easy_initial_difficulty_ + (1.0 - w[7]) * damped);
    return clamp(reverted, 1.0, 10.0);
}

double Scheduler::short_term_stability(double s, Rating r) const {
    const double growth = std::pow(s, -params_.w[19]) * short_term_growth_[static_cast<std::size_t>(grade(r) - 1)];
    // A passing same-day review never lowers stability.
    const double masked = r >= Rating::Hard ? std::max(growth, 1.0) : growth;
    return round8(clamp(s * masked, kMinStability, kMaxStability));
}

double Scheduler::lapse_stability(double d, double s, double retrievability) const {
    const auto& w = params_.w;
    const double forgotten = round8(
        clamp(w[11] * std::pow(d, -w[12]) * (std::pow(s + 1.0, w[13]) - 1.0) * std::exp((1.0 - retrievability) * w[14]),
              kMinStability, kMaxStability));
    // A lapse never leaves the card more stable than it was (allowing for the same-day growth
    // that relearning steps will add back).
    const double ceiling = round8(s / lapse_divisor_);
    return std::min(std::max(ceiling, kMinStability), forgotten);
}

// exp(w8) * (11 - D) * S^-w9 * (exp(w10 * (1 - R)) - 1): the relative stability gain of a
// successful review before the Hard penalty and the Easy bonus. The factors are multiplied in
// the reference's order so that the final product rounds identically.
double Scheduler::recall_growth(double d, double s, double retrievability) const {
    const auto& w = params_.w;
    return exp_w8_ * (11.0 - d) * std::pow(s, -w[9]) * (std::exp((1.0 - retrievability) * w[10]) - 1.0);
}

double Scheduler::recall_stability(double s, double growth, Rating r) const {
    const auto& w = params_.w;
    const double hard_penalty = r == Rating::Hard ? w[15] : 1.0;
    const double easy_bonus = r == Rating::Easy ? w[16] : 1.0;
    return round8(clamp(s * (1.0 + growth * hard_penalty * easy_bonus), kMinStability, kMaxStability));
}

double Scheduler::stability_after(const Memory& m, Rating r, SharedTerms& shared) const {
    if (is_first_review(m.stability, m.difficulty)) return initial_stability(r);
    if (shared.elapsed_days == 0 && params_.enable_short_term) return short_term_stability(m.stability, r);
    if (!shared.recall) shared.recall = forgetting_curve(static_cast<double>(shared.elapsed_days), m.stability);
    if (r == Rating::Again) return lapse_stability(m.difficulty, m.stability, *shared.recall);
    if (!shared.growth) shared.growth = recall_growth(m.difficulty, m.stability, *shared.recall);
    return recall_stability(m.stability, *shared.growth, r);
}

Scheduler::Memory Scheduler::next_memory(const Memory& m, Rating r, SharedTerms& shared) const {
    if (is_first_review(m.stability, m.difficulty)) return {initial_stability(r), initial_difficulty(r)};
    if (!(m.difficulty >= 1.0) || !(m.stability >= kMinStability))
        throw std::invalid_argument("corrupt memory state: stability " + describe(m.stability) + ", difficulty " +
                                    describe(m.difficulty));
    return {stability_after(m, r, shared), next_difficulty(m.difficulty, r)};
}

// ---- intervals and steps ----------------------------------------------------------------------

int Scheduler::apply_fuzz(int interval, const ReviewContext& ctx) const {
    if (!params_.enable_fuzz || interval < 2.5) return interval;
    // The spread grows with the interval: 15% of the part between 2.5 and 7 days, 10% of the part
    // up to 20 days and 5% beyond.
    struct Band {
        double start, end, share;
    };
    constexpr std::array<Band, 3> kBands = {{{2.5, 7.0, 0.15}, {7.0, 20.0, 0.10}, {20.0, 1e300, 0.05}}};
    const double ivl = std::min(static_cast<double>(interval), static_cast<double>(params_.maximum_interval));
    double delta = 1.0;
    for (const Band& b : kBands)
        delta += b.share * std::max(std::min(static_cast<double>(interval), b.end) - b.start, 0.0);

    double lo = std::max(2.0, js_round(ivl - delta));
    const double hi = std::min(js_round(ivl + delta), static_cast<double>(params_.maximum_interval));
    if (ivl > static_cast<double>(ctx.elapsed_days)) lo = std::max(lo, static_cast<double>(ctx.elapsed_days + 1));
    lo = std::min(lo, hi);
    return static_cast<int>(std::floor(unit_interval(ctx.fuzz_seed) * (hi - lo + 1.0) + lo));
}

int Scheduler::interval_for(double stability, const ReviewContext& ctx) const {
    return apply_fuzz(unfuzzed_interval(stability, ctx.modifier), ctx);
}

// The (re)learning step a rating leads to, from the card's state before the review.
Scheduler::StepPlan Scheduler::step_plan(State state, int step, Rating r) const {
    const bool relearning = state == State::Relearning || state == State::Review;
    const auto& steps = relearning ? params_.relearning_steps_minutes : params_.learning_steps_minutes;
    const auto size = static_cast<int>(steps.size());
    step = std::max(step, 0);
    if (size == 0 || step >= size) return {0, 0};
    if (state == State::Review) {
        // A lapse enters relearning at the card's step (0 unless it graduated through a long step).
        return r == Rating::Again ? StepPlan{steps[static_cast<std::size_t>(step)], 0} : StepPlan{0, 0};
    }
    switch (r) {
        case Rating::Again:
            return {steps[0], 0};
        case Rating::Hard: {
            // Between Again and Good: halfway to the second step, or 1.5x a single step.
            const double minutes = size == 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2.0;
            return {static_cast<int>(js_round(minutes)), step};
        }
        case Rating::Good:
            if (step + 1 < size && steps[static_cast<std::size_t>(step + 1)] != 0)
                return {steps[static_cast<std::size_t>(step + 1)], step + 1};
            return {0, 0};
        case Rating::Easy:
            return {0, 0};
    }
    return {0, 0};
}

void Scheduler::apply_steps(MemoryState& next, const MemoryState& card, Rating r, State step_state,
                            const ReviewContext& ctx) const {
    const StepPlan plan = step_plan(card.state, card.step, r);
    if (plan.minutes > 0 && plan.minutes < kMinutesPerDay) {
        next.state = step_state;
        next.step = plan.next_step;
        next.scheduled_days = 0;
        next.due = ctx.now + plan.minutes * kMsPerMinute;
        return;
    }
    next.state = State::Review;
    if (plan.minutes >= kMinutesPerDay) {
        // A step of a day or more already is a review interval; it keeps its exact length.
        next.step = plan.next_step;
        next.scheduled_days = plan.minutes / kMinutesPerDay;
        next.due = ctx.now + plan.minutes * kMsPerMinute;
        return;
    }
    next.step = 0;
    next.scheduled_days = interval_for(next.stability, ctx);
    next.due = ctx.now + next.scheduled_days * kMsPerDay;
}

// ---- reviews ----------------------------------------------------------------------------------

// New, Learning and Relearning cards with short-term scheduling: memory update, then the steps.
MemoryState Scheduler::learning_review(const MemoryState& card, Rating r, const ReviewContext& ctx) const {
    SharedTerms shared{ctx.elapsed_days, std::nullopt, std::nullopt};
    const Memory m = next_memory({card.stability, card.difficulty}, r, shared);
    MemoryState next = card;
    next.stability = m.stability;
    next.difficulty = m.difficulty;
    const State step_state = card.state == State::New ? State::Learning : card.state;
    apply_steps(next, card, r, step_state, ctx);
    return next;
}

// Review cards with short-term scheduling. Passing grades get intervals forced into the order
// Hard < Good < Easy (Hard at most Good), so a better answer never yields a shorter interval.
MemoryState Scheduler::short_term_review(const MemoryState& card, Rating r, const ReviewContext& ctx) const {
    const Memory before{card.stability, card.difficulty};
    SharedTerms shared{ctx.elapsed_days, std::nullopt, std::nullopt};
    const Memory m = next_memory(before, r, shared);
    MemoryState next = card;
    next.stability = m.stability;
    next.difficulty = m.difficulty;

    if (r == Rating::Again) {
        apply_steps(next, card, r, State::Relearning, ctx);
        next.lapses += 1;
        return next;
    }
    const auto interval_of = [&](Rating g) {
        return interval_for(g == r ? m.stability : stability_after(before, g, shared), ctx);
    };
    const int good_raw = interval_of(Rating::Good);
    const int hard = std::min(interval_of(Rating::Hard), good_raw);
    const int good = std::max(good_raw, hard + 1);
    int days = r == Rating::Hard ? hard : good;
    if (r == Rating::Easy) days = std::max(interval_of(Rating::Easy), good + 1);

    next.state = State::Review;
    next.step = 0;
    next.scheduled_days = days;
    next.due = ctx.now + days * kMsPerDay;
    return next;
}

// Without short-term scheduling every review leads straight to an interval of at least a day,
// and the four intervals are strictly increasing: Again < Hard < Good < Easy.
MemoryState Scheduler::long_term_review(const MemoryState& card, Rating r, const ReviewContext& ctx) const {
    const Memory before{card.stability, card.difficulty};
    const bool first = card.state == State::New;
    SharedTerms shared{first ? 0 : ctx.elapsed_days, std::nullopt, std::nullopt};
    const Memory m = next_memory(before, r, shared);
    MemoryState next = card;
    next.stability = m.stability;
    next.difficulty = m.difficulty;

    const auto interval_of = [&](Rating g) {
        return interval_for(g == r ? m.stability : stability_after(before, g, shared), ctx);
    };
    const int hard_raw = interval_of(Rating::Hard);
    const int again = std::min(interval_of(Rating::Again), hard_raw);
    int days = again;
    if (r != Rating::Again) {
        days = std::max(hard_raw, again + 1);
        if (r != Rating::Hard) days = std::max(interval_of(Rating::Good), days + 1);
        if (r == Rating::Easy) days = std::max(interval_of(Rating::Easy), days + 1);
    }
    if (r == Rating::Again && !first) next.lapses += 1;

    next.state = State::Review;
    next.step = 0;
    next.scheduled_days = days;
    next.due = ctx.now + days * kMsPerDay;
    return next;
}

MemoryState Scheduler::next(const MemoryState& card, Rating r, UnixMs now, std::int64_t elapsed_days,
                            std::optional<double> desired_retention_override, std::uint64_t fuzz_seed) const {
    if (!valid_rating(r)) throw std::invalid_argument("rating must be 1 (Again) to 4 (Easy)");
    const std::int64_t t = card.state == State::New ? 0 : elapsed_days;
    if (t < 0) throw std::invalid_argument("elapsed days must not be negative");
    const double modifier =
        desired_retention_override ? interval_modifier(*desired_retention_override) : default_modifier_;
    const ReviewContext ctx{now, t, modifier, fuzz_seed};

    MemoryState card_now = card;
    card_now.reps += 1;
    card_now.last_review = now;
    if (!params_.enable_short_term) return long_term_review(card_now, r, ctx);
    if (card.state == State::Review) return short_term_review(card_now, r, ctx);
    return learning_review(card_now, r, ctx);
}

std::array<MemoryState, 4> Scheduler::preview(const MemoryState& card, UnixMs now, std::int64_t elapsed_days,
                                              std::optional<double> desired_retention_override,
                                              std::uint64_t fuzz_seed) const {
    std::array<MemoryState, 4> out;
    for (int g = 1; g <= 4; ++g)
        out[static_cast<std::size_t>(g - 1)] =
            next(card, static_cast<Rating>(g), now, elapsed_days, desired_retention_override, fuzz_seed);
    return out;
}

double Scheduler::retrievability(const MemoryState& card, std::int64_t elapsed_days) const {
    return retrievability_fractional(card, static_cast<double>(elapsed_days));
}

double Scheduler::retrievability_fractional(const RecallState& card, double elapsed_days) const {
    if (card.state == State::New || card.stability <= 0.0) return 0.0;
    return forgetting_curve(std::max(elapsed_days, 0.0), card.stability);
}

}  // namespace certdrill::fsrs
