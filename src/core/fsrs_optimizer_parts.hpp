#pragma once
// Internal to the core layer: what the optimizer's files share. fsrs_optimizer.cpp prepares the
// training set and fits the weights; fsrs_optimizer_model.cpp holds the differentiable model, the
// loss the training minimises, the predictions and the evaluation.
#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "core/fsrs_optimizer.hpp"

namespace certdrill::fsrs::detail {

inline constexpr std::size_t kWeightCount = 21;
inline constexpr double kMaxInitialStability = 100.0;

// ---- the training set --------------------------------------------------------------------------

inline std::span<const ReviewStep> steps_of(const ReviewLog& log, const TrainingItem& item) {
    return std::span<const ReviewStep>(log.cards[item.card]).first(item.length);
}

inline bool recalled(const ReviewStep& step) { return step.rating != Rating::Again; }

inline std::size_t long_term_reviews(std::span<const ReviewStep> steps) {
    return static_cast<std::size_t>(
        std::count_if(steps.begin() + 1, steps.end(), [](const ReviewStep& s) { return s.delta_days > 0; }));
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

// The log as fsrs-rs trains and evaluates on it (fsrs_optimizer.cpp).
PreparedLog prepare(const ReviewLog& log);

// The training loss of a batch, and its gradient when asked (fsrs_optimizer_model.cpp).
double batch_loss(const ReviewLog& log, std::span<const WeightedItem> batch, const Weights& w, const Weights& start,
                  double penalty_scale, Weights* gradient);

}  // namespace certdrill::fsrs::detail
