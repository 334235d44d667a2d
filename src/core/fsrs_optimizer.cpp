#include "core/fsrs_optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace certdrill::fsrs {

namespace {

constexpr std::size_t kWeightCount = 21;
constexpr double kMinStability = 0.001;
constexpr double kMaxInitialStability = 100.0;
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

// ---- the training set --------------------------------------------------------------------------

std::span<const ReviewStep> steps_of(const ReviewLog& log, const TrainingItem& item) {
    return std::span<const ReviewStep>(log.cards[item.card]).first(item.length);
}

bool recalled(const ReviewStep& step) { return step.rating != Rating::Again; }

std::size_t long_term_reviews(std::span<const ReviewStep> steps) {
    return static_cast<std::size_t>(
        std::count_if(steps.begin() + 1, steps.end(), [](const ReviewStep& s) { return s.delta_days > 0; }));
}

const ReviewStep& first_long_term_review(std::span<const ReviewStep> steps) {
    return *std::find_if(steps.begin() + 1, steps.end(), [](const ReviewStep& s) { return s.delta_days > 0; });
}

struct WeightedItem {
    TrainingItem item;
    double weight;
};

// What fsrs-rs trains and evaluates on: the items whose first long-term review is their only
// one (the pretraining set) with rare (first rating, delay) pairs removed, then all other items
// except those whose first long-term review fell in a removed pair; recency weights by position.
struct PreparedLog {
    std::vector<TrainingItem> pretraining;
    std::vector<WeightedItem> training;
};

// The (first rating, delay) pairs to drop: per first rating, the smallest groups (ties: the
// shorter delays) until at least max(20, 5%) items are gone, and any group of fewer than 6
// items or with a delay beyond 100 days (365 after Easy).
std::array<std::set<std::int32_t>, 5> outlier_delays(
    const ReviewLog& log, const std::vector<TrainingItem>& pretrain,
    std::array<std::map<std::int32_t, std::vector<TrainingItem>>, 5>& groups) {
    for (const TrainingItem& item : pretrain) {
        const auto steps = steps_of(log, item);
        groups[static_cast<std::size_t>(steps.front().rating)][steps.back().delta_days].push_back(item);
    }
    std::array<std::set<std::int32_t>, 5> removed;
    for (int rating = 1; rating <= 4; ++rating) {
        auto& by_delay = groups[static_cast<std::size_t>(rating)];
        std::vector<std::pair<std::int32_t, std::size_t>> sizes;
        std::size_t total = 0;
        for (const auto& [delay, group] : by_delay) {
            sizes.emplace_back(delay, group.size());
            total += group.size();
        }
        std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second < b.second : a.first < b.first;
        });
        const std::size_t quota = std::max<std::size_t>(20, total / 20);
        const std::int32_t longest = rating == 4 ? 365 : 100;
        std::size_t dropped = 0;
        for (const auto& [delay, size] : sizes) {
            if (dropped + size >= quota) {
                if (size < 6 || delay > longest) removed[static_cast<std::size_t>(rating)].insert(delay);
            } else {
                dropped += size;
                removed[static_cast<std::size_t>(rating)].insert(delay);
            }
        }
    }
    return removed;
}

PreparedLog prepare(const ReviewLog& log) {
    std::vector<TrainingItem> pretrain, rest;
    for (const TrainingItem& item : log.items)
        (long_term_reviews(steps_of(log, item)) == 1 ? pretrain : rest).push_back(item);

    std::array<std::map<std::int32_t, std::vector<TrainingItem>>, 5> groups;
    const auto removed = outlier_delays(log, pretrain, groups);

    PreparedLog out;
    // The kept pretraining items come first, by first rating, then smallest groups first (ties:
    // shorter delay), each group in log order: the order fsrs-rs's filter leaves them in.
    for (int rating = 1; rating <= 4; ++rating) {
        std::vector<std::pair<std::int32_t, const std::vector<TrainingItem>*>> kept;
        for (const auto& [delay, group] : groups[static_cast<std::size_t>(rating)])
            if (!removed[static_cast<std::size_t>(rating)].contains(delay)) kept.emplace_back(delay, &group);
        std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
            return a.second->size() != b.second->size() ? a.second->size() < b.second->size() : a.first < b.first;
        });
        for (const auto& [delay, group] : kept)
            out.pretraining.insert(out.pretraining.end(), group->begin(), group->end());
    }
    std::vector<TrainingItem> all = out.pretraining;
    for (const TrainingItem& item : rest) {
        const auto steps = steps_of(log, item);
        if (!removed[static_cast<std::size_t>(steps.front().rating)].contains(first_long_term_review(steps).delta_days))
            all.push_back(item);
    }
    const double last = std::max(1.0, static_cast<double>(all.size()) - 1.0);
    out.training.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        out.training.push_back({all[i], 0.25 + 0.75 * std::pow(static_cast<double>(i) / last, 3.0)});
    return out;
}

// ---- pretraining: the initial stabilities -------------------------------------------------------

struct DelayRecall {
    double delay;
    double recall;
    double count;
};

double default_recall(double elapsed_days, double stability) {
    const double decay = -kDefaultWeights[20];
    const double factor = std::pow(0.9, 1.0 / decay) - 1.0;
    return std::pow(1.0 + factor * elapsed_days / stability, decay);
}

// Log loss of a first-review stability against the recall seen at each delay (each delay
// weighted by the square root of its count), plus a mild pull toward the default.
double pretraining_loss(const std::vector<DelayRecall>& data, double stability, double default_stability) {
    double loss = 0.0;
    for (const DelayRecall& p : data) {
        const double r = default_recall(p.delay, stability);
        loss -= (p.recall * std::log(r) + (1.0 - p.recall) * std::log(1.0 - r)) * std::sqrt(p.count);
    }
    return loss + std::abs(stability - default_stability) / 16.0;
}

// Ternary search for the stability that minimises the loss, in [0.1, 100].
double search_stability(const std::vector<DelayRecall>& data, double default_stability) {
    double low = 0.1, high = kMaxInitialStability;
    double best = 1.0;
    for (int iteration = 0; high - low > 1.1920929e-7 && iteration < 1000; ++iteration) {
        const double mid1 = low + (high - low) / 3.0;
        const double mid2 = high - (high - low) / 3.0;
        if (pretraining_loss(data, mid1, default_stability) < pretraining_loss(data, mid2, default_stability))
            high = mid2;
        else
            low = mid1;
        best = (high + low) / 2.0;
    }
    return best;
}

using RatingValues = std::array<std::optional<double>, 5>;  // index 1..4
using RatingCounts = std::array<std::size_t, 5>;

// Puts the four initial stabilities in rating order (a disagreeing pair takes the value of the
// rating with more data) and fills missing ratings from the others by fsrs-rs's interpolation.
std::optional<std::array<double, 4>> smooth_and_fill(RatingValues s, const RatingCounts& count) {
    constexpr std::array<std::pair<int, int>, 6> kPairs = {{{1, 2}, {2, 3}, {3, 4}, {1, 3}, {2, 4}, {1, 4}}};
    for (const auto& [small, big] : kPairs) {
        auto& a = s[static_cast<std::size_t>(small)];
        auto& b = s[static_cast<std::size_t>(big)];
        if (a && b && *a > *b) {
            if (count[static_cast<std::size_t>(small)] > count[static_cast<std::size_t>(big)])
                b = *a;
            else
                a = *b;
        }
    }
    const double w1 = 3.0 / 5.0, w2 = 3.0 / 5.0;
    const auto present =
        static_cast<int>(std::count_if(s.begin() + 1, s.end(), [](const auto& v) { return v.has_value(); }));
    if (present == 0) return std::nullopt;
    if (present == 1) {
        const int r = static_cast<int>(
            std::find_if(s.begin() + 1, s.end(), [](const auto& v) { return v.has_value(); }) - s.begin());
        const double factor = *s[static_cast<std::size_t>(r)] / kDefaultWeights[static_cast<std::size_t>(r - 1)];
        for (int g = 1; g <= 4; ++g)
            s[static_cast<std::size_t>(g)] = kDefaultWeights[static_cast<std::size_t>(g - 1)] * factor;
    } else {
        auto& r1 = s[1];
        auto& r2 = s[2];
        auto& r3 = s[3];
        auto& r4 = s[4];
        using std::pow;
        if (present == 2) {
            if (!r1 && !r2) {
                r2 = pow(*r3, 1.0 / (1.0 - w2)) * pow(*r4, 1.0 - 1.0 / (1.0 - w2));
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            } else if (!r1 && !r3) {
                r3 = pow(*r2, 1.0 - w2) * pow(*r4, w2);
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            } else if (!r1 && !r4) {
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            } else if (!r2 && !r3) {
                const double k = w1 / (w1 + w2 - w1 * w2);
                const double m = w2 / (w1 + w2 - w1 * w2);
                r2 = pow(*r1, k) * pow(*r4, 1.0 - k);
                r3 = pow(*r1, 1.0 - m) * pow(*r4, m);
            } else if (!r2 && !r4) {
                r2 = pow(*r1, w1) * pow(*r3, 1.0 - w1);
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
            } else if (!r3 && !r4) {
                r3 = pow(*r1, 1.0 - 1.0 / (1.0 - w1)) * pow(*r2, 1.0 / (1.0 - w1));
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
            }
        } else if (present == 3) {
            if (!r1)
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            else if (!r2)
                r2 = pow(*r1, w1) * pow(*r3, 1.0 - w1);
            else if (!r3)
                r3 = pow(*r2, 1.0 - w2) * pow(*r4, w2);
            else if (!r4)
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
        }
    }
    std::array<double, 4> out{};
    for (std::size_t g = 1; g <= 4; ++g) out[g - 1] = std::clamp(*s[g], 0.1, kMaxInitialStability);
    return out;
}

struct Pretrained {
    std::array<double, 4> stability;
    RatingCounts counts;
};

std::optional<Pretrained> pretrain(const ReviewLog& log, const std::vector<TrainingItem>& items,
                                   double average_recall) {
    // first rating -> delay of the first long-term review -> (recalled, count)
    std::array<std::map<std::int32_t, std::pair<double, double>>, 5> groups;
    for (const TrainingItem& item : items) {
        const auto steps = steps_of(log, item);
        const ReviewStep& review = first_long_term_review(steps);
        auto& cell = groups[static_cast<std::size_t>(steps.front().rating)][review.delta_days];
        cell.first += recalled(review) ? 1.0 : 0.0;
        cell.second += 1.0;
    }
    RatingValues stability;
    RatingCounts counts{};
    for (std::size_t g = 1; g <= 4; ++g) {
        if (groups[g].empty()) continue;
        double n = 0.0;
        for (const auto& [delay, cell] : groups[g]) n += cell.second;
        std::vector<DelayRecall> data;
        for (const auto& [delay, cell] : groups[g]) {
            // Laplace smoothing toward the learner's average recall.
            const double recall = (cell.first / cell.second * n + average_recall) / (n + 1.0);
            data.push_back({static_cast<double>(delay), recall, cell.second});
        }
        counts[g] = static_cast<std::size_t>(n);
        stability[g] = search_stability(data, kDefaultWeights[g - 1]);
    }
    const auto filled = smooth_and_fill(stability, counts);
    if (!filled) return std::nullopt;
    return Pretrained{*filled, counts};
}

// ---- training ----------------------------------------------------------------------------------

// splitmix64: a small generator whose sequence is the same on every platform.
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

private:
    std::uint64_t state_;
};

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

class Adam {
public:
    void step(Weights& w, const Weights& g, double learning_rate) {
        ++t_;
        const double c1 = 1.0 - std::pow(kBeta1, t_);
        const double c2 = 1.0 - std::pow(kBeta2, t_);
        for (std::size_t i = 0; i < kWeightCount; ++i) {
            m_[i] = kBeta1 * m_[i] + (1.0 - kBeta1) * g[i];
            v_[i] = kBeta2 * v_[i] + (1.0 - kBeta2) * g[i] * g[i];
            w[i] -= learning_rate * (m_[i] / c1) / (std::sqrt(v_[i] / c2) + kEpsilon);
        }
    }

private:
    static constexpr double kBeta1 = 0.9;
    static constexpr double kBeta2 = 0.999;
    static constexpr double kEpsilon = 1e-8;
    Weights m_{};
    Weights v_{};
    int t_ = 0;
};

// Batches of similar length (fewer wasted steps in fsrs-rs's padded tensors), in log order within
// each length; their order is shuffled every epoch.
std::vector<std::vector<WeightedItem>> make_batches(std::vector<WeightedItem> items, std::size_t batch_size) {
    std::stable_sort(items.begin(), items.end(),
                     [](const WeightedItem& a, const WeightedItem& b) { return a.item.length < b.item.length; });
    std::vector<std::vector<WeightedItem>> batches;
    for (std::size_t i = 0; i < items.size(); i += batch_size)
        batches.emplace_back(items.begin() + static_cast<std::ptrdiff_t>(i),
                             items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), i + batch_size)));
    return batches;
}

Weights train(const ReviewLog& log, const std::vector<WeightedItem>& items, const Weights& start,
              const FitOptions& options) {
    const auto batches = make_batches(items, options.batch_size);
    const std::size_t total = items.size();
    const std::size_t steps_total = batches.size() * static_cast<std::size_t>(options.epochs);
    const double schedule_length =
        static_cast<double>((total / options.batch_size + 1) * static_cast<std::size_t>(options.epochs));
    std::vector<std::size_t> order(batches.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;

    Random random(options.seed);
    Adam adam;
    Weights w = start;
    Weights best = start;
    double best_loss = std::numeric_limits<double>::infinity();
    std::size_t step = 0;
    Weights gradient{};
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
        for (const std::size_t b : order) {
            const auto& batch = batches[b];
            const double scale = options.gamma * static_cast<double>(batch.size()) / static_cast<double>(total);
            batch_loss(log, batch, w, start, scale, &gradient);
            ++step;
            // Cosine annealing from the initial rate toward 0 over the whole run.
            const double rate = 0.5 * options.learning_rate *
                                (1.0 + std::cos(std::numbers::pi * static_cast<double>(step) / schedule_length));
            adam.step(w, gradient, rate);
            w = clip_parameters(w);
            if (options.progress) options.progress(step, steps_total);
        }
        double epoch_loss = 0.0;
        for (const auto& batch : batches)
            epoch_loss +=
                batch_loss(log, batch, w, start,
                           options.gamma * static_cast<double>(batch.size()) / static_cast<double>(total), nullptr);
        epoch_loss /= static_cast<double>(total);
        if (epoch_loss < best_loss) {
            best_loss = epoch_loss;
            best = w;
        }
    }
    return best;
}

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

std::size_t ReviewLog::review_count() const {
    std::size_t n = 0;
    for (const auto& card : cards) n += card.size();
    return n;
}

ReviewLog make_review_log(std::span<const std::vector<TimedReview>> cards, const DayCounter& days) {
    ReviewLog log;
    struct Dated {
        UnixMs at;
        TrainingItem item;
    };
    std::vector<Dated> dated;
    log.cards.reserve(cards.size());
    for (std::size_t c = 0; c < cards.size(); ++c) {
        std::vector<ReviewStep> steps;
        steps.reserve(cards[c].size());
        for (std::size_t i = 0; i < cards[c].size(); ++i) {
            const TimedReview& r = cards[c][i];
            const std::int64_t delta = i == 0 ? 0 : days.days_between(cards[c][i - 1].at, r.at);
            if (delta < 0) throw std::invalid_argument("reviews must be in chronological order");
            steps.push_back({r.rating, static_cast<std::int32_t>(std::min<std::int64_t>(delta, 1'000'000))});
            if (i > 0 && delta > 0)
                dated.push_back({r.at, {static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(i + 1)}});
        }
        log.cards.push_back(std::move(steps));
    }
    std::stable_sort(dated.begin(), dated.end(), [](const Dated& a, const Dated& b) { return a.at < b.at; });
    log.items.reserve(dated.size());
    for (const Dated& d : dated) log.items.push_back(d.item);
    return log;
}

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

FitResult fit_parameters(const ReviewLog& log, const FitOptions& options) {
    if (options.epochs < 1 || options.batch_size < 1)
        throw std::invalid_argument("epochs and batch size must be positive");
    FitResult result;
    if (log.items.empty()) return result;
    double recalled_count = 0.0;
    for (const TrainingItem& item : log.items) recalled_count += recalled(steps_of(log, item).back()) ? 1.0 : 0.0;
    const double average_recall = recalled_count / static_cast<double>(log.items.size());

    const PreparedLog prepared = prepare(log);
    if (prepared.training.size() < 8) return result;
    const auto pretrained = pretrain(log, prepared.pretraining, average_recall);
    if (!pretrained) return result;
    Weights start = kDefaultWeights;
    std::copy(pretrained->stability.begin(), pretrained->stability.end(), start.begin());
    result.w = start;
    result.outcome = FitOutcome::Pretrained;
    if (prepared.training.size() == prepared.pretraining.size() || prepared.training.size() < 64) return result;

    std::vector<WeightedItem> items;
    items.reserve(prepared.training.size());
    for (const WeightedItem& wi : prepared.training)
        if (wi.item.length <= options.max_sequence_length) items.push_back(wi);
    if (items.empty()) return result;

    Weights trained = train(log, items, start, options);
    RatingValues initial;
    for (std::size_t g = 1; g <= 4; ++g) initial[g] = trained[g - 1];
    const auto ordered = smooth_and_fill(initial, pretrained->counts);
    if (ordered) std::copy(ordered->begin(), ordered->end(), trained.begin());
    result.w = trained;
    result.outcome = FitOutcome::Trained;
    return result;
}

}  // namespace certdrill::fsrs
