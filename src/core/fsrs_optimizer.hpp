#pragma once
// Fitting the 21 FSRS-6 weights to one learner's review log, the way fsrs-rs (the reference
// optimizer) does it, and evaluating a weight set on a log the way fsrs-rs's `evaluate` does.
// Pure and deterministic: the same log, options and seed always give the same weights.
//
// Outline (docs/scheduling.md has the long version):
//  - Every review after a card's first that falls on a later day than the review before it is a
//    training item: predict recall (rating > 1) from the card's earlier reviews. Same-day reviews
//    shape the memory state through FSRS-6's short-term terms (w17-w19) but are not predicted.
//  - Items whose first long-term review is a rare (first rating, delay) pair are dropped as
//    outliers; the rest get recency weights 0.25 + 0.75 x (position / (n - 1))^3.
//  - Pretraining fits the initial stabilities w0-w3 to the recall seen at each card's first
//    long-term review, per first rating, and fills in ratings with too little data.
//  - Training: Adam on mini-batches of 512 items for 5 epochs, learning rate 0.04 with cosine
//    annealing, minimising the weighted log loss plus an L2 penalty pulling every weight toward
//    its starting value (scaled by its spread across learners); after each step every weight is
//    clipped into its allowed range. Gradients are exact (forward-mode dual numbers).
//  - The epoch with the lowest loss wins; the initial stabilities are then put in order again.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/fsrs.hpp"
#include "core/time.hpp"

namespace certdrill::fsrs {

using Weights = std::array<double, 21>;

// One review of a card as the model sees it: the rating and the number of days since the card's
// previous review (0 for the first review and for a review on the same day as the one before).
struct ReviewStep {
    Rating rating = Rating::Good;
    std::int32_t delta_days = 0;
};

// A training item: the first `length` reviews of card `card`; the last of them is predicted.
struct TrainingItem {
    std::uint32_t card = 0;
    std::uint32_t length = 0;
};

// A learner's review log in training form.
struct ReviewLog {
    std::vector<std::vector<ReviewStep>> cards;
    // Chronological order (the recency weights depend on it).
    std::vector<TrainingItem> items;

    std::size_t review_count() const;
};

struct TimedReview {
    UnixMs at = 0;
    Rating rating = Rating::Good;
};

// Builds the training form of cards' review histories, each in chronological order. Days are
// counted by `days`. Items are ordered by the moment of the predicted review (ties: card order).
ReviewLog make_review_log(std::span<const std::vector<TimedReview>> cards, const DayCounter& days);

// How well a weight set predicts a log, as fsrs-rs's `evaluate` measures it: after the outlier
// filter and with the recency weights, the weighted mean log loss, and RMSE(bins): items are
// binned by delay, number of long-term reviews and lapses; each bin contributes the squared
// difference of its mean predicted and mean actual recall, weighted by the bin's total weight.
struct Evaluation {
    double log_loss = 0.0;
    double rmse_bins = 0.0;
    std::size_t items = 0;  // items evaluated (after the outlier filter)
};
// An empty evaluation (items == 0) when the log has no item.
Evaluation evaluate(const ReviewLog& log, const Weights& w);

struct FitOptions {
    std::uint64_t seed = 2023;
    int epochs = 5;
    std::size_t batch_size = 512;
    double learning_rate = 0.04;
    double gamma = 1.0;  // strength of the pull toward the starting weights
    std::size_t max_sequence_length = 64;
    // Called after each training step with the number of steps done and the total.
    std::function<void(std::size_t done, std::size_t total)> progress;
};

enum class FitOutcome {
    Defaults,    // too little data: the default weights
    Pretrained,  // enough for the initial stabilities only
    Trained,     // every weight fitted
};

struct FitResult {
    Weights w = kDefaultWeights;
    FitOutcome outcome = FitOutcome::Defaults;
};

FitResult fit_parameters(const ReviewLog& log, const FitOptions& options = {});

// ---- pieces exposed for tests ------------------------------------------------------------------

// Predicted recall of the last review of `history` from the ones before it (at least two reviews).
double predicted_recall(std::span<const ReviewStep> history, const Weights& w);
// The same with the gradient with respect to every weight (exact, forward mode).
double predicted_recall_gradient(std::span<const ReviewStep> history, const Weights& w, Weights& gradient);
// Every weight clipped into the range fsrs-rs allows (one relearning step).
Weights clip_parameters(Weights w);

}  // namespace certdrill::fsrs
