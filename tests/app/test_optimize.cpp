#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <random>

#include "../support/answers.hpp"
#include "../support/temp_dir.hpp"
#include "app/optimize.hpp"
#include "app/stats.hpp"
#include "app/study_session.hpp"
#include "decks/loader.hpp"
#include "store/progress_store.hpp"

namespace test_optimize {

using namespace certdrill;
using namespace certdrill::testing;

namespace {

// The built-in CISM deck (enough cards for a log of several hundred answers), an empty store
// and a clock that the test moves.
struct OptimizeFixture {
    TempDir dir;
    decks::LoadResult decks;
    std::unique_ptr<store::ProgressStore> store;
    fsrs::Scheduler scheduler;
    UnixMs now = *parse_iso8601("2026-03-01T09:00:00Z");

    OptimizeFixture() {
        decks::Diagnostics ignored;
        decks = decks::load_files(
            decks::collect_deck_files({std::filesystem::path(CERTDRILL_SOURCE_DIR) / "decks" / "cism"}, ignored));
        REQUIRE(decks.diagnostics.error_count() == 0);
        store = std::make_unique<store::ProgressStore>(dir.path / "progress.db");
    }

    app::Services services() {
        return app::Services{decks.library, *store, scheduler, [this] { return now; }, utc_day_counter()};
    }

    // A learner who remembers far better than the defaults expect: each card answered on day d,
    // then 2, 8 and 30 days later, recalled 97% of the time. Returns the number of answers.
    std::size_t record_strong_learner(std::size_t cards, std::size_t reviews_per_card) {
        std::mt19937_64 random(5);
        std::bernoulli_distribution recalled(0.97), first_right(0.8);
        const auto exam_cards = decks.library.cards_of("cism");
        REQUIRE(exam_cards.size() >= cards);
        const UnixMs start = *parse_iso8601("2026-01-01T10:00:00Z");
        constexpr std::array<int, 4> kDays = {0, 2, 10, 40};
        std::size_t n = 0;
        for (std::size_t c = 0; c < cards; ++c) {
            fsrs::MemoryState m;
            for (std::size_t k = 0; k < reviews_per_card && k < kDays.size(); ++k) {
                const UnixMs at = start + static_cast<UnixMs>(c % 5) * kMsPerDay + kDays[k] * kMsPerDay;
                const bool right = k == 0 ? first_right(random) : recalled(random);
                store::ReviewRecord r;
                r.card_id = exam_cards[c]->id;
                r.at = at;
                r.rating = right ? 3 : 1;
                r.correct = right;
                r.before = m;
                const auto elapsed = m.last_review == 0 ? 0 : utc_day_counter().days_between(m.last_review, at);
                r.after = scheduler.next(m, static_cast<fsrs::Rating>(r.rating), at, elapsed);
                m = r.after;
                store->record_review(r);
                ++n;
            }
        }
        return n;
    }
};

}  // namespace

TEST_SUITE("optimize") {
    TEST_CASE("below the minimum nothing is fitted and the message data says how many more") {
        OptimizeFixture f;
        const std::size_t answers = f.record_strong_learner(30, 3);
        const auto report = app::optimize_exam(f.services(), "cism");
        CHECK(report.status == app::OptimizeReport::Status::NotEnoughReviews);
        CHECK(report.reviews == answers);
        CHECK(report.needed == app::kMinimumReviewsToOptimize);
        CHECK_FALSE(f.store->fitted_parameters("cism"));
        CHECK_FALSE(app::optimize_offer(f.services(), "cism").offer);
        CHECK(app::scheduler_for(f.services(), "cism").parameters().w == fsrs::kDefaultWeights);
    }

    TEST_CASE("enough answers: the fit is stored for the exam, predicts better and drives the scheduler") {
        OptimizeFixture f;
        const std::size_t answers = f.record_strong_learner(140, 3);
        REQUIRE(answers >= app::kMinimumReviewsToOptimize);
        auto offer = app::optimize_offer(f.services(), "cism");
        CHECK(offer.offer);
        CHECK(offer.new_since_fit == answers);

        std::size_t steps = 0;
        const auto report = app::optimize_exam(f.services(), "cism", [&](std::size_t, std::size_t) { ++steps; });
        REQUIRE(report.status == app::OptimizeReport::Status::Saved);
        CHECK(steps > 0);
        CHECK(report.after.log_loss < report.before.log_loss);
        CHECK_FALSE(report.was_fitted);
        const auto stored = f.store->fitted_parameters("cism");
        REQUIRE(stored);
        CHECK(stored->weights == report.weights);
        CHECK(stored->review_count == static_cast<std::int64_t>(answers));
        CHECK(stored->log_loss_after == report.after.log_loss);
        // A learner who remembers this well gets longer first intervals than the defaults give.
        CHECK(stored->weights[2] > fsrs::kDefaultWeights[2]);

        const fsrs::Scheduler fitted = app::scheduler_for(f.services(), "cism");
        CHECK(fitted.parameters().w == report.weights);
        CHECK(fitted.parameters().desired_retention == f.scheduler.parameters().desired_retention);
        CHECK(app::scheduler_for(f.services(), "cissp").parameters().w == fsrs::kDefaultWeights);
        CHECK_FALSE(app::optimize_offer(f.services(), "cism").offer);

        // A study session schedules with the fitted weights.
        f.now = *parse_iso8601("2026-04-01T09:00:00Z");
        app::StudySession session(f.services(), app::StudyOptions{"cism", std::nullopt, 1, std::nullopt, 20, 3});
        REQUIRE(session.current());
        const Card& card = *session.current()->card;
        const auto stored_before = f.store->card(card.id);
        const fsrs::MemoryState before = stored_before ? stored_before->memory : fsrs::MemoryState{};
        if (!card.is_question())
            session.grade_flashcard(fsrs::Rating::Good);
        else
            session.answer(right_answer(*session.current()));
        const auto elapsed = before.last_review == 0 ? 0 : utc_day_counter().days_between(before.last_review, f.now);
        const double expected = fitted.next(before, fsrs::Rating::Good, f.now, elapsed).stability;
        CHECK(f.store->card(card.id)->memory.stability == doctest::Approx(expected));
        CHECK(f.scheduler.next(before, fsrs::Rating::Good, f.now, elapsed).stability != doctest::Approx(expected));

        CHECK(app::reset_exam_parameters(f.services(), "cism"));
        CHECK_FALSE(f.store->fitted_parameters("cism"));
        CHECK(app::scheduler_for(f.services(), "cism").parameters().w == fsrs::kDefaultWeights);
        CHECK_FALSE(app::reset_exam_parameters(f.services(), "cism"));
    }

    TEST_CASE("the offer to optimize: at the optimizer's minimum with no fit, then after enough new answers") {
        const std::size_t minimum = app::kMinimumReviewsToOptimize;
        CHECK_FALSE(app::decide_optimize_offer(0, std::nullopt, std::nullopt).offer);
        CHECK_FALSE(app::decide_optimize_offer(minimum - 1, std::nullopt, std::nullopt).offer);
        const auto first = app::decide_optimize_offer(minimum, std::nullopt, std::nullopt);
        CHECK(first.offer);
        CHECK(first.new_since_fit == minimum);
        CHECK_FALSE(first.fitted_at);

        // After a fit on 800 answers: half the minimum more (more than a quarter of 800).
        const UnixMs at = *parse_iso8601("2026-02-01T09:00:00Z");
        const auto short_of = app::decide_optimize_offer(800 + minimum / 2 - 1, 800, at);
        CHECK_FALSE(short_of.offer);
        CHECK(short_of.new_since_fit == minimum / 2 - 1);
        const auto enough = app::decide_optimize_offer(800 + minimum / 2, 800, at);
        CHECK(enough.offer);
        CHECK(enough.fitted_at == at);
        // After a fit on 4,000 answers: a quarter more.
        CHECK_FALSE(app::decide_optimize_offer(4999, 4000, at).offer);
        CHECK(app::decide_optimize_offer(5000, 4000, at).offer);
        // A log that shrank (answers undone, decks removed) is no reason to fit again.
        CHECK_FALSE(app::decide_optimize_offer(700, 800, at).offer);
    }

    TEST_CASE("the dashboard's figures carry the offer to optimize, for each exam") {
        OptimizeFixture f;
        f.record_strong_learner(30, 3);
        auto stats = app::compute_stats(f.services(), std::string("cism"));
        REQUIRE(stats.exams.size() == 1);
        CHECK_FALSE(stats.exams[0].optimize.offer);
        CHECK(stats.exams[0].optimize.reviews == 90);

        OptimizeFixture g;
        const std::size_t answers = g.record_strong_learner(140, 3);
        REQUIRE(answers >= app::kMinimumReviewsToOptimize);
        stats = app::compute_stats(g.services());
        for (const auto& e : stats.exams) {
            CAPTURE(e.id);
            CHECK(e.optimize.offer == (e.id == "cism"));
        }
        // Fitted on these answers: no offer until enough new ones come.
        store::FittedParameters fitted;
        fitted.exam_id = "cism";
        fitted.weights = fsrs::kDefaultWeights;
        fitted.fitted_at = g.now;
        fitted.review_count = static_cast<std::int64_t>(answers);
        g.store->save_fitted_parameters(fitted);
        const auto after_fit = app::compute_stats(g.services(), std::string("cism")).exams.at(0).optimize;
        CHECK_FALSE(after_fit.offer);
        CHECK(after_fit.new_since_fit == 0);
        CHECK(after_fit.fitted_at == g.now);
        CHECK(app::optimize_offer(g.services(), "cism").offer == after_fit.offer);
    }
}

}  // namespace test_optimize
