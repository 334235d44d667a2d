#pragma once
// FSRS-6 spaced-repetition scheduler: pure, deterministic, no I/O.
// Formulas follow the published FSRS-6 model as implemented by ts-fsrs (5.4.2 is the reference
// for tests/data/fsrs_vectors.json; see docs/scheduling.md); intermediate values are rounded the
// way ts-fsrs rounds them so that results match it to ~1e-6.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace certdrill::fsrs {

enum class Rating { Again = 1, Hard = 2, Good = 3, Easy = 4 };
enum class State { New = 0, Learning = 1, Review = 2, Relearning = 3 };

const char* to_string(State s);                                 // "new", "learning", "review", "relearning"
const char* to_string(Rating r);                                // "Again", "Hard", "Good", "Easy"
std::optional<State> state_from_string(std::string_view text);  // inverse of to_string(State)

// The grade of an answered question: wrong is Again, right is Good, and right but marked by the
// learner as a guess is Hard (the answer was not really known, so the interval grows less).
Rating grade_answer(bool correct, bool guessed);

constexpr std::array<double, 21> kDefaultWeights = {0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
                                                    0.001,  1.8722, 0.1666, 0.796,  1.4835, 0.0614, 0.2629,
                                                    1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542};

constexpr double kMinStability = 0.001;
constexpr double kMaxStability = 36500.0;

// Accepts an FSRS-6 (21) or FSRS-5 (19) weight set; FSRS-5 sets get w19 = 0.0 and w20 = 0.5
// appended, which reproduces FSRS-5 behaviour. Throws std::invalid_argument for other sizes.
std::array<double, 21> upgrade_weights(std::span<const double> w);

// The longest (re)learning step accepted: 100 years. Anything longer is surely a mistake, and the
// cap keeps every step computation (1.5x a step, minutes to milliseconds) far from overflow.
inline constexpr int kMaxStepMinutes = 36'500 * 1440;

// A (re)learning step such as "1m", "10m", "2h" or "1d", in minutes; nullopt if malformed or
// longer than kMaxStepMinutes.
std::optional<int> parse_step(std::string_view text);

struct Parameters {
    std::array<double, 21> w = kDefaultWeights;
    double desired_retention = 0.9;
    std::vector<int> learning_steps_minutes = {1, 10};
    std::vector<int> relearning_steps_minutes = {10};
    int maximum_interval = 36500;
    bool enable_short_term = true;
    bool enable_fuzz = false;

    friend bool operator==(const Parameters&, const Parameters&) = default;
};

// The memory state of one card, as stored in the progress database.
struct MemoryState {
    State state = State::New;
    double stability = 0.0;
    double difficulty = 0.0;
    int step = 0;  // index into the (re)learning steps
    int reps = 0;
    int lapses = 0;
    int scheduled_days = 0;
    UnixMs due = 0;
    UnixMs last_review = 0;  // 0 when never reviewed

    friend bool operator==(const MemoryState&, const MemoryState&) = default;
};

// What the forgetting curve reads of a memory state: enough for the predicted recall at any
// moment. A third of MemoryState's size, for the answers of a long log kept in memory.
struct RecallState {
    State state = State::New;
    double stability = 0.0;
    UnixMs last_review = 0;

    RecallState() = default;
    // Implicit: a full memory state serves wherever its recall is all that is read.
    RecallState(const MemoryState& m)  // NOLINT(google-explicit-constructor)
        : state(m.state), stability(m.stability), last_review(m.last_review) {}
    RecallState(State s, double stab, UnixMs last) : state(s), stability(stab), last_review(last) {}
};

class Scheduler {
public:
    // Validates the parameters and throws std::invalid_argument naming the first bad one. Two
    // adjustments are made silently, as ts-fsrs makes them: with short-term scheduling on, w19 is
    // raised to at least 0.01 (an upgraded FSRS-5 set has 0); with more than one relearning step,
    // w17 and w18 are capped so that relearning cannot raise stability above its pre-lapse level.
    explicit Scheduler(Parameters params = {});

    // The parameters in effect (weights after the adjustments above).
    const Parameters& parameters() const { return params_; }

    // The card after rating it at `now`. `elapsed_days` is the number of study days since the
    // card's last review (ignored for New cards), counted by the caller's DayCounter.
    // `desired_retention_override` replaces Parameters::desired_retention for this review, e.g. to
    // schedule a weak domain at 0.95. `fuzz_seed` only matters when fuzz is enabled; the same seed
    // always gives the same interval. Throws std::invalid_argument on a negative elapsed_days, an
    // out-of-range retention or a corrupt memory state.
    MemoryState next(const MemoryState& card, Rating r, UnixMs now, std::int64_t elapsed_days,
                     std::optional<double> desired_retention_override = {}, std::uint64_t fuzz_seed = 0) const;

    // The outcome of each rating, Again first (what Anki shows as the next interval per button).
    std::array<MemoryState, 4> preview(const MemoryState& card, UnixMs now, std::int64_t elapsed_days,
                                       std::optional<double> desired_retention_override = {},
                                       std::uint64_t fuzz_seed = 0) const;

    // Probability of recall after `elapsed_days` whole days (0 for a card never reviewed).
    double retrievability(const MemoryState& card, std::int64_t elapsed_days) const;
    // The same for a fractional number of days, e.g. (now - last_review) / kMsPerDay for a
    // "predicted recall now" figure that falls smoothly during the day.
    double retrievability_fractional(const RecallState& card, double elapsed_days) const;

    // Model pieces, exposed for tests and for planning code.
    double forgetting_curve(double elapsed_days, double stability) const;
    // The forgetting curve's inverse, unrounded: the elapsed days per day of stability at which
    // the recall falls to `recall` (0 < recall < 1). Any smaller ratio has a higher recall.
    double elapsed_ratio_at(double recall) const;
    double interval_modifier(double desired_retention) const;
    // Interval in days for a stability, before fuzz: round(S * modifier) within [1, maximum].
    int next_interval(double stability, std::optional<double> desired_retention = {}) const;
    double initial_stability(Rating r) const;
    double initial_difficulty(Rating r) const;  // clamped to [1, 10]
    double next_difficulty(double difficulty, Rating r) const;

private:
    struct Memory {
        double stability;
        double difficulty;
    };
    // What one review needs besides the card: the moment, the day gap and the interval settings.
    struct ReviewContext {
        UnixMs now;
        std::int64_t elapsed_days;
        double modifier;
        std::uint64_t fuzz_seed;
    };
    // Terms the four grades of one review share, computed once on first use: the card's
    // retrievability and the growth factor of the recall formula (Hard, Good and Easy differ
    // only by a final multiplier).
    struct SharedTerms {
        std::int64_t elapsed_days;
        std::optional<double> recall;
        std::optional<double> growth;
    };
    struct StepPlan {
        int minutes;  // 0: no step applies, the card graduates
        int next_step;
    };

    double raw_initial_difficulty(Rating r) const;
    double short_term_stability(double s, Rating r) const;
    double lapse_stability(double d, double s, double retrievability) const;
    double recall_growth(double d, double s, double retrievability) const;
    double recall_stability(double s, double growth, Rating r) const;
    double stability_after(const Memory& m, Rating r, SharedTerms& shared) const;
    Memory next_memory(const Memory& m, Rating r, SharedTerms& shared) const;

    int unfuzzed_interval(double stability, double modifier) const;
    int interval_for(double stability, const ReviewContext& ctx) const;
    int apply_fuzz(int interval, const ReviewContext& ctx) const;
    StepPlan step_plan(State state, int step, Rating r) const;
    void apply_steps(MemoryState& next, const MemoryState& card, Rating r, State step_state,
                     const ReviewContext& ctx) const;

    MemoryState learning_review(const MemoryState& card, Rating r, const ReviewContext& ctx) const;
    MemoryState short_term_review(const MemoryState& card, Rating r, const ReviewContext& ctx) const;
    MemoryState long_term_review(const MemoryState& card, Rating r, const ReviewContext& ctx) const;

    Parameters params_;
    double decay_ = 0.0;
    double factor_ = 0.0;
    double default_modifier_ = 0.0;
    double easy_initial_difficulty_ = 0.0;  // D0(Easy) before clamping, the mean-reversion target
    double exp_w8_ = 0.0;
    double lapse_divisor_ = 1.0;                 // exp(w17 * w18), or 1 without short-term scheduling
    std::array<double, 4> short_term_growth_{};  // exp(w17 * (G - 3 + w18)) per grade
};

}  // namespace certdrill::fsrs
