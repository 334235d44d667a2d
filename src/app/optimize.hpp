#pragma once
// Fitting FSRS-6 to the learner (`certdrill optimize`): the review log of one exam, the fit, the
// weights stored per exam, and the scheduler that uses them.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/services.hpp"
#include "core/fsrs_optimizer.hpp"

namespace certdrill::app {

// Fewer answers than this say too little about a learner's memory to beat the defaults.
inline constexpr std::size_t kMinimumReviewsToOptimize = 400;

// The exam's answers (study and mock exam) in training form, days counted by services.days.
fsrs::ReviewLog review_log_for(const Services& services, std::string_view exam_id);

// The scheduler for an exam: the configured one with the exam's fitted weights, if any.
fsrs::Scheduler scheduler_for(const Services& services, std::string_view exam_id);

struct OptimizeReport {
    enum class Status {
        Saved,             // fitted weights stored; they predict the log better
        NotEnoughReviews,  // below the minimum: nothing fitted, the weights in use stay
        NoImprovement,     // the fit did not predict the log better than the weights in use
    };
    Status status = Status::NotEnoughReviews;
    std::size_t reviews = 0;
    std::size_t needed = kMinimumReviewsToOptimize;  // reviews required in all
    std::size_t items = 0;                           // predictions evaluated
    bool was_fitted = false;                         // the weights in use before were fitted ones
    fsrs::Evaluation before;                         // the weights in use before, on this log
    fsrs::Evaluation after;                          // the fitted weights, on this log
    fsrs::Weights weights = fsrs::kDefaultWeights;   // the fitted weights (Saved, NoImprovement)
};

// Fits the exam's weights to its log and stores them when they predict it better than the
// weights in use. `progress` is called after each training step (done, total).
OptimizeReport optimize_exam(const Services& services, std::string_view exam_id,
                             const std::function<void(std::size_t, std::size_t)>& progress = {});

// Returns the exam to the default weights; false when it had none fitted.
bool reset_exam_parameters(const Services& services, std::string_view exam_id);

// Whether the dashboard should suggest `certdrill optimize`: with no fit yet, once the exam's log
// holds the optimizer's own minimum (kMinimumReviewsToOptimize); after a fit, once many answers
// came since (at least kMinimumReviewsToOptimize / 2, and a quarter more than the fit saw).
struct OptimizeOffer {
    bool offer = false;
    std::size_t reviews = 0;          // answers in the exam's log now
    std::size_t new_since_fit = 0;    // answers since the last fit (all of them if none)
    std::optional<UnixMs> fitted_at;  // when the weights in use were fitted
};
// The decision from the exam's answer count and the fit in use: the answers it was fitted on
// and when (nothing when the exam has no fitted weights).
OptimizeOffer decide_optimize_offer(std::size_t reviews, std::optional<std::size_t> fitted_reviews,
                                    std::optional<UnixMs> fitted_at);
// The decision for the fit stored for `exam_id`, given the exam's answer count when the caller
// has already read the answers, or counting them itself.
OptimizeOffer optimize_offer(const Services& services, std::string_view exam_id, std::size_t reviews);
OptimizeOffer optimize_offer(const Services& services, std::string_view exam_id);

}  // namespace certdrill::app
