#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/replay.hpp"
#include "core/fsrs_optimizer.hpp"
#include "core/time.hpp"

namespace test_fsrs_optimizer {

using namespace certdrill;
using namespace certdrill::fsrs;
using nlohmann::json;

namespace {

const std::filesystem::path kVectors = std::filesystem::path(CERTDRILL_TEST_DATA) / "optimizer";

// Days as the vectors count them: UTC, rolling over at 04:00.
DayCounter utc_days_from_4am() {
    DayCounter days = utc_day_counter();
    days.rollover_hour = 4;
    return days;
}

ReviewLog read_log(const std::string& file) {
    std::ifstream in(kVectors / file);
    REQUIRE(in);
    std::vector<std::vector<TimedReview>> cards;
    std::string line;
    while (std::getline(in, line)) {
        if (app::is_blank_line(line)) continue;
        std::vector<TimedReview> reviews;
        const auto error = app::read_review_history(line, reviews);
        REQUIRE_MESSAGE(!error, *error);
        cards.push_back(std::move(reviews));
    }
    return make_review_log(cards, utc_days_from_4am());
}

json fits() {
    std::ifstream in(kVectors / "fsrs_rs_fits.json");
    REQUIRE(in);
    return json::parse(in);
}

Weights weights_of(const json& list) {
    Weights w{};
    REQUIRE(list.size() == w.size());
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = list[i].get<double>();
    return w;
}

std::vector<ReviewStep> steps(std::initializer_list<std::pair<int, int>> list) {
    std::vector<ReviewStep> out;
    for (const auto& [rating, delta] : list) out.push_back({static_cast<Rating>(rating), delta});
    return out;
}

}  // namespace

TEST_CASE("optimizer: the evaluator matches fsrs-rs's evaluate on the reference histories") {
    const json all = fits();  // kept alive: a range-for over a temporary's member would dangle
    for (const json& set : all["sets"]) {
        CAPTURE(set["name"].get<std::string>());
        const ReviewLog log = read_log(set["file"].get<std::string>());
        CHECK(log.review_count() == set["reviews"].get<std::size_t>());
        CHECK(log.items.size() == set["training_items"].get<std::size_t>());
        for (const char* which : {"defaults", "probe", "fsrs_rs"}) {
            CAPTURE(which);
            const json& expected = set[which];
            const Evaluation e = evaluate(log, weights_of(expected["parameters"]));
            // fsrs-rs computes in single precision: agreement to a few units in the 6th digit.
            CHECK(e.log_loss == doctest::Approx(expected["log_loss"].get<double>()).epsilon(2e-5));
            CHECK(e.rmse_bins == doctest::Approx(expected["rmse_bins"].get<double>()).epsilon(5e-4));
        }
    }
}

TEST_CASE("optimizer: the fitted weights predict within 1% of fsrs-rs's own fit") {
    const json all = fits();  // kept alive: a range-for over a temporary's member would dangle
    for (const json& set : all["sets"]) {
        CAPTURE(set["name"].get<std::string>());
        const ReviewLog log = read_log(set["file"].get<std::string>());
        const FitResult fit = fit_parameters(log);
        REQUIRE(fit.outcome == FitOutcome::Trained);
        const double ours = evaluate(log, fit.w).log_loss;
        const double reference = set["fsrs_rs"]["log_loss"].get<double>();
        const double defaults = evaluate(log, kDefaultWeights).log_loss;
        MESSAGE(set["name"].get<std::string>()
                << ": certdrill " << ours << ", fsrs-rs " << reference << ", defaults " << defaults);
        CHECK(ours <= reference * 1.01);
        CHECK(ours < defaults);
        for (std::size_t i = 0; i < fit.w.size(); ++i) CHECK(clip_parameters(fit.w)[i] == fit.w[i]);
    }
}

TEST_CASE("optimizer: the same log and seed give the same weights, another seed may differ only a little") {
    const ReviewLog log = read_log("slow_forgetter.jsonl");
    const FitResult a = fit_parameters(log);
    const FitResult b = fit_parameters(log);
    CHECK(a.w == b.w);
    FitOptions other;
    other.seed = 7;
    const FitResult c = fit_parameters(log, other);
    CHECK(evaluate(log, c.w).log_loss == doctest::Approx(evaluate(log, a.w).log_loss).epsilon(0.01));
}

TEST_CASE("optimizer: progress is reported for every training step") {
    const ReviewLog log = read_log("slow_forgetter.jsonl");
    FitOptions options;
    std::size_t calls = 0, last_done = 0, total = 0;
    options.progress = [&](std::size_t done, std::size_t of) {
        ++calls;
        CHECK(done == last_done + 1);
        last_done = done;
        total = of;
    };
    fit_parameters(log, options);
    CHECK(calls > 0);
    CHECK(last_done == total);
}

TEST_CASE("optimizer: gradients equal finite differences of the prediction") {
    const std::vector<std::vector<ReviewStep>> histories = {
        steps({{3, 0}, {3, 4}}),
        steps({{1, 0}, {3, 0}, {3, 2}, {2, 5}, {1, 9}, {3, 0}, {3, 3}}),
        steps({{2, 0}, {4, 3}, {3, 12}, {3, 30}}),
        steps({{4, 0}, {1, 20}, {1, 0}, {2, 0}, {3, 4}}),
    };
    Weights w = kDefaultWeights;
    w[7] = 0.05;  // away from the lower bound, so that both sides of the difference are inside it
    for (const auto& h : histories) {
        Weights gradient{};
        const double r = predicted_recall_gradient(h, w, gradient);
        CHECK(r == doctest::Approx(predicted_recall(h, w)).epsilon(1e-12));
        for (std::size_t i = 0; i < w.size(); ++i) {
            CAPTURE(i);
            const double step = 1e-6 * std::max(1.0, std::fabs(w[i]));
            Weights up = w, down = w;
            up[i] += step;
            down[i] -= step;
            const double numeric = (predicted_recall(h, up) - predicted_recall(h, down)) / (2.0 * step);
            CHECK(gradient[i] == doctest::Approx(numeric).epsilon(1e-5).scale(1e-8));
        }
    }
}

TEST_CASE("optimizer: the model's prediction follows FSRS-6") {
    // First review Good (S = w2), recall after 5 days: (1 + factor * 5 / S) ^ -w20.
    const double decay = -kDefaultWeights[20];
    const double factor = std::pow(0.9, 1.0 / decay) - 1.0;
    CHECK(predicted_recall(steps({{3, 0}, {3, 5}}), kDefaultWeights) ==
          doctest::Approx(std::pow(1.0 + factor * 5.0 / kDefaultWeights[2], decay)));
    // A same-day review changes stability by the short-term terms only.
    const double s = kDefaultWeights[0] * std::max(1.0, std::exp(kDefaultWeights[17] * kDefaultWeights[18]) *
                                                            std::pow(kDefaultWeights[0], -kDefaultWeights[19]));
    CHECK(predicted_recall(steps({{1, 0}, {3, 0}, {3, 2}}), kDefaultWeights) ==
          doctest::Approx(std::pow(1.0 + factor * 2.0 / s, decay)));
}

TEST_CASE("optimizer: too little data keeps the defaults") {
    std::vector<std::vector<TimedReview>> cards(3);
    const UnixMs day = kMsPerDay;
    for (std::size_t c = 0; c < cards.size(); ++c)
        cards[c] = {{10 * day, Rating::Good}, {12 * day, Rating::Good}, {20 * day, Rating::Again}};
    const ReviewLog log = make_review_log(cards, utc_day_counter());
    CHECK(log.items.size() == 6);
    const FitResult fit = fit_parameters(log);
    CHECK(fit.outcome == FitOutcome::Defaults);
    CHECK(fit.w == kDefaultWeights);
    CHECK(evaluate(ReviewLog{}, kDefaultWeights).items == 0);
}

TEST_CASE("optimizer: items are the reviews on a later day, in time order") {
    const UnixMs day = kMsPerDay;
    const std::vector<std::vector<TimedReview>> cards = {
        {{10 * day + 1000, Rating::Again}, {10 * day + 2000, Rating::Good}, {13 * day, Rating::Good}},
        {{11 * day, Rating::Good}, {12 * day, Rating::Hard}},
    };
    const ReviewLog log = make_review_log(cards, utc_day_counter());
    REQUIRE(log.items.size() == 2);
    CHECK(log.items[0].card == 1);
    CHECK(log.items[0].length == 2);
    CHECK(log.items[1].card == 0);
    CHECK(log.items[1].length == 3);
    CHECK(log.cards[0][1].delta_days == 0);
    CHECK(log.cards[0][2].delta_days == 3);
    const std::vector<std::vector<TimedReview>> backwards = {{{12 * day, Rating::Good}, {11 * day, Rating::Good}}};
    CHECK_THROWS_AS(make_review_log(backwards, utc_day_counter()), std::invalid_argument);
}

TEST_CASE("optimizer: weights are clipped into fsrs-rs's ranges") {
    Weights w{};
    w.fill(-5.0);
    const Weights low = clip_parameters(w);
    CHECK(low[0] == 0.001);
    CHECK(low[4] == 1.0);
    CHECK(low[16] == 1.0);
    CHECK(low[20] == 0.1);
    w.fill(50.0);
    const Weights high = clip_parameters(w);
    CHECK(high[0] == 50.0);
    CHECK(high[3] == 50.0);
    CHECK(high[4] == 10.0);
    CHECK(high[17] == 2.0);
    CHECK(high[20] == 0.8);
    CHECK(clip_parameters(kDefaultWeights) == kDefaultWeights);
}

}  // namespace test_fsrs_optimizer
