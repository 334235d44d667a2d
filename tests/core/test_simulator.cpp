#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support/simulated_exam.hpp"
#include "core/simulator.hpp"

namespace test_simulator {

using namespace certdrill;

namespace {

// A small exam: four domains weighted 35/25/25/15, 18 questions each.
Library small_library() { return testing::simulated_exam_library({35, 25, 25, 15}, 18); }

SimulationConfig small_config() {
    SimulationConfig config;
    config.days = 21;
    config.minutes_per_day = 12;
    config.learners = 6;
    config.seed = 42;
    config.new_per_day = 8;
    return config;
}

}  // namespace

TEST_CASE("simulator: deterministic for a seed, and both policies use the same study time") {
    const Library lib = small_library();
    const auto cards = lib.cards_of("sim");
    SimulationConfig config = small_config();
    config.learners = 2;
    const SimulationResult a = simulate(lib.exams.front(), cards, config);
    const SimulationResult b = simulate(lib.exams.front(), cards, config);
    CHECK(a.planner.scores == b.planner.scores);
    CHECK(a.fsrs.scores == b.fsrs.scores);
    // 12 minutes of one-minute questions a day, unless a policy runs out of cards to show.
    CHECK(a.planner.answers_per_learner <= 12.0 * config.days);
    CHECK(a.fsrs.answers_per_learner <= 12.0 * config.days);
    CHECK(a.planner.answers_per_learner > 8.0 * config.days);
    CHECK(a.fsrs.answers_per_learner > 8.0 * config.days);
    for (double s : a.planner.scores) CHECK((s > 0.0 && s < 100.0));

    config.seed = 43;
    const SimulationResult c = simulate(lib.exams.front(), cards, config);
    CHECK(c.planner.scores != a.planner.scores);
    CHECK_THROWS_AS(simulate(lib.exams.front(), {}, config), std::invalid_argument);
}

TEST_CASE("simulator: studying beats not studying, and the planner is no worse than a plain FSRS queue") {
    const Library lib = small_library();
    const SimulationResult r = simulate(lib.exams.front(), lib.cards_of("sim"), small_config());
    MESSAGE("planner " << r.planner.exam_day_score << " (predicted " << r.planner.predicted << "), fsrs "
                       << r.fsrs.exam_day_score << " (predicted " << r.fsrs.predicted << ")");
    CHECK(r.planner.exam_day_score > 60.0);  // priors are 12-60%: study must lift the score well above them
    CHECK(r.planner.exam_day_score >= r.fsrs.exam_day_score - 0.5);
    CHECK(r.planner.cards_seen > 0.9);
}

TEST_CASE("simulator: with the learner's fitted weights the exam-day prediction is within 3 points on average") {
    const Library lib = small_library();
    SimulationConfig config = small_config();
    config.fit_learner_parameters = true;
    const SimulationResult r = simulate(lib.exams.front(), lib.cards_of("sim"), config);
    REQUIRE(r.planner.predicted_fitted);
    MESSAGE("true " << r.planner.exam_day_score << ", predicted with fitted weights " << *r.planner.predicted_fitted
                    << ", with defaults " << r.planner.predicted);
    CHECK(std::fabs(*r.planner.predicted_fitted - r.planner.exam_day_score) <= 3.0);
}

}  // namespace test_simulator
