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

#include "core/fsrs_optimizer_parts.hpp"

// Fitting the weights: the training set, pretraining and training. The model, the loss it is
// trained on and the evaluation are in fsrs_optimizer_model.cpp.

namespace certdrill::fsrs {

using detail::batch_loss;
using detail::kMaxInitialStability;
using detail::kWeightCount;
using detail::long_term_reviews;
using detail::PreparedLog;
using detail::prepare;
using detail::recalled;
using detail::steps_of;
using detail::WeightedItem;

namespace {

// ---- the training set --------------------------------------------------------------------------

const ReviewStep& first_long_term_review(std::span<const ReviewStep> steps) {
    return *std::find_if(steps.begin() + 1, steps.end(), [](const ReviewStep& s) { return s.delta_days > 0; });
}

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

}  // namespace

namespace detail {

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

}  // namespace detail

namespace {

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
