#include "core/fsrs_optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

#include "core/fsrs_optimizer_parts.hpp"

// The FSRS-6 model the optimizer fits: the weights' ranges, exact gradients by dual numbers, the
// loss the training minimises, predictions and the evaluation of a weight set. The training set
// and the fitting are in fsrs_optimizer.cpp.

namespace certdrill::fsrs {

using detail::kMaxInitialStability;
using detail::kWeightCount;
using detail::long_term_reviews;
using detail::PreparedLog;
using detail::prepare;
using detail::recalled;
using detail::steps_of;
using detail::WeightedItem;

namespace {

constexpr double kMinStability = 0.001;
// Spread of each weight across many learners' fitted sets (fsrs-rs): the L2 penalty divides by
// its square, so weights that vary little between people are held closer to their start.
constexpr Weights kWeightSpread = {6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6,  0.12, 0.39, 0.18, 0.33,
                                   0.3,  0.09, 0.16,  0.57,  0.25, 1.03, 0.31, 0.32, 0.14, 0.27};
constexpr std::array<std::pair<double, double>, kWeightCount> kWeightRange = {{
    {kMinStability, kMaxInitialStability},
    {kMinStability, kMaxInitialStability},
    {kMinStability, kMaxInitialStability},
    {kMinStability, kMaxInitialStability},
    {1.0, 10.0},
    {0.001, 4.0},
    {0.001, 4.0},
    {0.001, 0.75},
    {0.0, 4.5},
    {0.0, 0.8},
    {0.001, 3.5},
    {0.001, 5.0},
    {0.001, 0.25},
    {0.001, 0.9},
    {0.0, 4.0},
    {0.0, 1.0},
    {1.0, 6.0},
    {0.0, 2.0},  // w17 and w18: with one relearning step fsrs-rs caps them at 2
    {0.0, 2.0},
    {0.0, 0.8},
    {0.1, 0.8},
}};

// ---- dual numbers ------------------------------------------------------------------------------

// A value with its derivative with respect to each of the 21 weights: forward-mode automatic
// differentiation, exact to rounding. Only the operations the model uses are defined.
struct Dual {
    double v = 0.0;
    std::array<double, kWeightCount> d{};

    Dual() = default;
    explicit Dual(double value) : v(value) {}
    static Dual variable(double value, std::size_t index) {
        Dual x(value);
        x.d[index] = 1.0;
        return x;
    }
};

Dual scaled(const Dual& a, double value, double slope) {
    Dual r(value);
    for (std::size_t i = 0; i < kWeightCount; ++i) r.d[i] = a.d[i] * slope;
    return r;
}
Dual operator+(const Dual& a, const Dual& b) {
    Dual r(a.v + b.v);
    for (std::size_t i = 0; i < kWeightCount; ++i) r.d[i] = a.d[i] + b.d[i];
    return r;
}
Dual operator-(const Dual& a, const Dual& b) {
    Dual r(a.v - b.v);
    for (std::size_t i = 0; i < kWeightCount; ++i) r.d[i] = a.d[i] - b.d[i];
    return r;
}
Dual operator-(const Dual& a) { return scaled(a, -a.v, -1.0); }
Dual operator*(const Dual& a, const Dual& b) {
    Dual r(a.v * b.v);
    for (std::size_t i = 0; i < kWeightCount; ++i) r.d[i] = a.d[i] * b.v + b.d[i] * a.v;
    return r;
}
Dual operator/(const Dual& a, const Dual& b) {
    Dual r(a.v / b.v);
    const double inv = 1.0 / b.v;
    for (std::size_t i = 0; i < kWeightCount; ++i) r.d[i] = (a.d[i] - r.v * b.d[i]) * inv;
    return r;
}
Dual exp(const Dual& a) {
    const double e = std::exp(a.v);
    return scaled(a, e, e);
}
// a^b for a > 0.
Dual pow(const Dual& a, const Dual& b) {
    const double value = std::pow(a.v, b.v);
    const double log_a = std::log(a.v);
    Dual r(value);
    for (std::size_t i = 0; i < kWeightCount; ++i) r.d[i] = value * (b.d[i] * log_a + b.v * a.d[i] / a.v);
    return r;
}

double value_of(double x) { return x; }
double value_of(const Dual& x) { return x.v; }

// Clamping and min/max pass the derivative of the chosen side (a clamped value is constant).
template <class T>
T clamped(const T& x, double lo, double hi) {
    if (value_of(x) < lo) return T(lo);
    if (value_of(x) > hi) return T(hi);
    return x;
}
template <class T>
T smaller(const T& a, const T& b) {
    return value_of(b) < value_of(a) ? b : a;
}
template <class T>
T larger(const T& a, const T& b) {
    return value_of(b) > value_of(a) ? b : a;
}

// ---- the FSRS-6 model as fsrs-rs trains it (no rounding, no 0.1 floor on S0) -------------------

template <class T>
class Model {
public:
    explicit Model(const std::array<T, kWeightCount>& w)
        : w_(w), decay_(-w[20]), factor_(factor_for(decay_)), easy_difficulty_(raw_initial_difficulty(4)) {}

    T recall(double elapsed_days, const T& stability) const {
        using std::pow;
        return pow(T(1.0) + factor_ * T(elapsed_days) / stability, decay_);
    }

    // Stability and difficulty after the reviews in `steps` (at least one).
    std::pair<T, T> memory_after(std::span<const ReviewStep> steps) const {
        const int first = static_cast<int>(steps.front().rating);
        T s = clamped(w_[static_cast<std::size_t>(first - 1)], kMinStability, kMaxStability);
        T d = clamped(raw_initial_difficulty(first), 1.0, 10.0);
        for (std::size_t i = 1; i < steps.size(); ++i) {
            const int g = static_cast<int>(steps[i].rating);
            const T next_s = next_stability(s, d, g, steps[i].delta_days);
            d = next_difficulty(d, g);
            s = clamped(next_s, kMinStability, kMaxStability);
        }
        return {s, d};
    }

private:
    // Chosen so that recall(S, S) = 0.9: stability is the 90%-recall interval.
    static T factor_for(const T& decay) {
        using std::exp;
        return exp(T(std::log(0.9)) / decay) - T(1.0);
    }

    T raw_initial_difficulty(int g) const {
        using std::exp;
        return w_[4] - exp(w_[5] * T(g - 1.0)) + T(1.0);
    }

    T next_difficulty(const T& d, int g) const {
        const T delta = -w_[6] * T(g - 3.0);
        const T damped = d + delta * (T(10.0) - d) / T(9.0);
        return clamped(w_[7] * easy_difficulty_ + (T(1.0) - w_[7]) * damped, 1.0, 10.0);
    }

    T next_stability(const T& s, const T& d, int g, std::int32_t delta_days) const {
        using std::exp;
        using std::pow;
        if (delta_days == 0) {
            T growth = exp(w_[17] * (T(g - 3.0) + w_[18])) * pow(s, -w_[19]);
            if (g >= 2) growth = larger(growth, T(1.0));
            return s * growth;
        }
        const T r = recall(static_cast<double>(delta_days), s);
        if (g == 1) {
            const T forgotten =
                w_[11] * pow(d, -w_[12]) * (pow(s + T(1.0), w_[13]) - T(1.0)) * exp((T(1.0) - r) * w_[14]);
            return smaller(forgotten, s / exp(w_[17] * w_[18]));
        }
        T growth = exp(w_[8]) * (T(11.0) - d) * pow(s, -w_[9]) * (exp((T(1.0) - r) * w_[10]) - T(1.0));
        if (g == 2) growth = growth * w_[15];
        if (g == 4) growth = growth * w_[16];
        return s * (T(1.0) + growth);
    }

    const std::array<T, kWeightCount>& w_;
    T decay_;
    T factor_;
    T easy_difficulty_;
};

template <class T>
T recall_of_item(const Model<T>& model, std::span<const ReviewStep> history) {
    const auto [s, d] = model.memory_after(history.first(history.size() - 1));
    return model.recall(static_cast<double>(history.back().delta_days), s);
}

std::array<Dual, kWeightCount> dual_weights(const Weights& w) {
    std::array<Dual, kWeightCount> out;
    for (std::size_t i = 0; i < kWeightCount; ++i) out[i] = Dual::variable(w[i], i);
    return out;
}

// ---- the loss ----------------------------------------------------------------------------------

constexpr double kMinRecall = 1e-7;  // keeps log(R) and log(1 - R) finite

double bce(double r, bool y) {
    const double p = std::clamp(r, kMinRecall, 1.0 - kMinRecall);
    return -(y ? std::log(p) : std::log(1.0 - p));
}

double penalty(const Weights& w, const Weights& start, double scale) {
    double sum = 0.0;
    for (std::size_t i = 0; i < kWeightCount; ++i) {
        const double z = (w[i] - start[i]) / kWeightSpread[i];
        sum += z * z;
    }
    return sum * scale;
}

}  // namespace

namespace detail {

// Weighted log-loss sum of a batch plus its share of the penalty; with `gradient`, also its
// gradient.
double batch_loss(const ReviewLog& log, std::span<const WeightedItem> batch, const Weights& w, const Weights& start,
                  double penalty_scale, Weights* gradient) {
    double loss = penalty(w, start, penalty_scale);
    if (!gradient) {
        const Model<double> model(w);
        for (const WeightedItem& wi : batch) {
            const auto steps = steps_of(log, wi.item);
            loss += wi.weight * bce(recall_of_item(model, steps), recalled(steps.back()));
        }
        return loss;
    }
    for (std::size_t i = 0; i < kWeightCount; ++i)
        (*gradient)[i] = 2.0 * penalty_scale * (w[i] - start[i]) / (kWeightSpread[i] * kWeightSpread[i]);
    const auto dual = dual_weights(w);
    const Model<Dual> model(dual);
    for (const WeightedItem& wi : batch) {
        const auto steps = steps_of(log, wi.item);
        const bool y = recalled(steps.back());
        const Dual r = recall_of_item(model, steps);
        loss += wi.weight * bce(r.v, y);
        if (r.v <= kMinRecall || r.v >= 1.0 - kMinRecall) continue;  // clamped: no slope
        const double slope = wi.weight * (y ? -1.0 / r.v : 1.0 / (1.0 - r.v));
        for (std::size_t i = 0; i < kWeightCount; ++i) (*gradient)[i] += slope * r.d[i];
    }
    return loss;
}

}  // namespace detail

namespace {

// fsrs-rs's RMSE(bins) cell of an item: delay, number of long-term reviews and lapses, each on
// a geometric scale.
std::array<std::int64_t, 3> rmse_bin(std::span<const ReviewStep> steps) {
    const auto geometric = [](double x, double base, double scale) {
        return static_cast<std::int64_t>(std::round(scale * std::pow(base, std::floor(std::log(x) / std::log(base)))));
    };
    const double delay = steps.back().delta_days;
    const std::int64_t delay_bin = static_cast<std::int64_t>(
        std::round(2.48 * std::pow(3.62, std::floor(std::log(delay) / std::log(3.62))) * 100.0));
    const double length = static_cast<double>(long_term_reviews(steps)) + 1.0;
    const auto history = steps.first(steps.size() - 1);
    const auto lapses = std::count_if(history.begin(), history.end(), [](const ReviewStep& s) {
        return s.rating == Rating::Again && s.delta_days > 0;
    });
    const std::int64_t lapse_bin = lapses == 0 ? 0 : geometric(static_cast<double>(lapses), 1.73, 1.65);
    return {delay_bin, geometric(length, 1.89, 1.99), lapse_bin};
}

}  // namespace

Weights clip_parameters(Weights w) {
    for (std::size_t i = 0; i < kWeightCount; ++i)
        w[i] = std::clamp(w[i], kWeightRange[i].first, kWeightRange[i].second);
    return w;
}

double predicted_recall(std::span<const ReviewStep> history, const Weights& w) {
    if (history.size() < 2) throw std::invalid_argument("a prediction needs at least two reviews");
    return recall_of_item(Model<double>(w), history);
}

double predicted_recall_gradient(std::span<const ReviewStep> history, const Weights& w, Weights& gradient) {
    if (history.size() < 2) throw std::invalid_argument("a prediction needs at least two reviews");
    const auto dual = dual_weights(w);
    const Dual r = recall_of_item(Model<Dual>(dual), history);
    std::copy(r.d.begin(), r.d.end(), gradient.begin());
    return r.v;
}

Evaluation evaluate(const ReviewLog& log, const Weights& w) {
    const PreparedLog prepared = prepare(log);
    Evaluation out;
    out.items = prepared.training.size();
    if (prepared.training.empty()) return out;
    const Model<double> model(w);
    struct Cell {
        double predicted = 0.0;
        double actual = 0.0;
        double count = 0.0;
        double weight = 0.0;
    };
    std::map<std::array<std::int64_t, 3>, Cell> cells;
    double loss = 0.0, weight = 0.0;
    for (const WeightedItem& wi : prepared.training) {
        const auto steps = steps_of(log, wi.item);
        const double r = recall_of_item(model, steps);
        const bool y = recalled(steps.back());
        loss += wi.weight * bce(r, y);
        weight += wi.weight;
        Cell& cell = cells[rmse_bin(steps)];
        cell.predicted += r;
        cell.actual += y ? 1.0 : 0.0;
        cell.count += 1.0;
        cell.weight += wi.weight;
    }
    double squares = 0.0, total = 0.0;
    for (const auto& [bin, cell] : cells) {
        const double gap = (cell.predicted - cell.actual) / cell.count;
        squares += gap * gap * cell.weight;
        total += cell.weight;
    }
    out.log_loss = loss / weight;
    out.rmse_bins = std::sqrt(squares / total);
    return out;
}

}  // namespace certdrill::fsrs
