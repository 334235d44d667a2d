#include "app/optimize.hpp"

#include <algorithm>
#include <map>
#include <unordered_set>
#include <vector>

#include "store/progress_store.hpp"

namespace certdrill::app {

namespace {

std::unordered_set<std::string> card_ids_of(const Library& library, std::string_view exam_id) {
    std::unordered_set<std::string> ids;
    for (const Card* card : library.cards_of(exam_id)) ids.insert(card->id);
    return ids;
}

}  // namespace

fsrs::ReviewLog review_log_for(const Services& services, std::string_view exam_id) {
    const auto ids = card_ids_of(services.library, exam_id);
    // The store returns answers in log order, which is time order for each card.
    std::map<std::string, std::vector<fsrs::TimedReview>> by_card;
    for (const store::ReviewRecord& r : services.store.reviews())
        if (ids.contains(r.card_id)) by_card[r.card_id].push_back({r.at, static_cast<fsrs::Rating>(r.rating)});
    std::vector<std::vector<fsrs::TimedReview>> cards;
    cards.reserve(by_card.size());
    for (auto& [id, reviews] : by_card) {
        // Two instances on one database can log out of order by a moment; time decides.
        std::stable_sort(reviews.begin(), reviews.end(),
                         [](const fsrs::TimedReview& a, const fsrs::TimedReview& b) { return a.at < b.at; });
        cards.push_back(std::move(reviews));
    }
    return fsrs::make_review_log(cards, services.days);
}

fsrs::Scheduler scheduler_for(const Services& services, std::string_view exam_id) {
    const auto fitted = services.store.fitted_parameters(exam_id);
    if (!fitted) return services.scheduler;
    fsrs::Parameters p = services.scheduler.parameters();
    p.w = fitted->weights;
    return fsrs::Scheduler(p);
}

OptimizeReport optimize_exam(const Services& services, std::string_view exam_id,
                             const std::function<void(std::size_t, std::size_t)>& progress) {
    OptimizeReport report;
    const fsrs::ReviewLog log = review_log_for(services, exam_id);
    report.reviews = log.review_count();
    if (report.reviews < kMinimumReviewsToOptimize) return report;

    const auto current = services.store.fitted_parameters(exam_id);
    report.was_fitted = current.has_value();
    const fsrs::Weights in_use = current ? current->weights : services.scheduler.parameters().w;
    report.before = fsrs::evaluate(log, in_use);
    report.items = report.before.items;

    fsrs::FitOptions options;
    options.progress = progress;
    const fsrs::FitResult fit = fsrs::fit_parameters(log, options);
    report.weights = fit.w;
    report.after = fsrs::evaluate(log, fit.w);
    if (fit.outcome == fsrs::FitOutcome::Defaults || !(report.after.log_loss < report.before.log_loss)) {
        report.status = OptimizeReport::Status::NoImprovement;
        return report;
    }
    store::FittedParameters saved;
    saved.exam_id = std::string(exam_id);
    saved.weights = fit.w;
    saved.fitted_at = services.clock();
    saved.review_count = static_cast<std::int64_t>(report.reviews);
    saved.log_loss_before = report.before.log_loss;
    saved.rmse_before = report.before.rmse_bins;
    saved.log_loss_after = report.after.log_loss;
    saved.rmse_after = report.after.rmse_bins;
    services.store.save_fitted_parameters(saved);
    report.status = OptimizeReport::Status::Saved;
    return report;
}

bool reset_exam_parameters(const Services& services, std::string_view exam_id) {
    return services.store.clear_fitted_parameters(exam_id);
}

OptimizeOffer decide_optimize_offer(std::size_t reviews, std::optional<std::size_t> fitted_reviews,
                                    std::optional<UnixMs> fitted_at) {
    OptimizeOffer offer;
    offer.reviews = reviews;
    offer.fitted_at = fitted_at;
    const std::size_t fitted_count = fitted_reviews.value_or(0);
    offer.new_since_fit = reviews > fitted_count ? reviews - fitted_count : 0;
    if (!fitted_reviews)
        offer.offer = reviews >= kMinimumReviewsToOptimize;
    else
        offer.offer = offer.new_since_fit >= std::max(kMinimumReviewsToOptimize / 2, fitted_count / 4);
    return offer;
}

OptimizeOffer optimize_offer(const Services& services, std::string_view exam_id, std::size_t reviews) {
    const auto fitted = services.store.fitted_parameters(exam_id);
    return decide_optimize_offer(
        reviews,
        fitted ? std::optional<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(0, fitted->review_count)))
               : std::nullopt,
        fitted ? std::optional<UnixMs>(fitted->fitted_at) : std::nullopt);
}

OptimizeOffer optimize_offer(const Services& services, std::string_view exam_id) {
    std::size_t answers = 0;
    for_each_library_history(
        services.library, services.store,
        [&](const Card&, const std::vector<store::HistoryAnswer>& of_card) { answers += of_card.size(); },
        [&] { answers = 0; }, exam_id);
    return optimize_offer(services, exam_id, answers);
}

}  // namespace certdrill::app
