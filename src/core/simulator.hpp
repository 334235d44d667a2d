#pragma once
// Simulated learners preparing for an exam, to measure whether certdrill's planner helps
// (`certdrill simulate`). Each learner's true memory follows FSRS-6 with their own weights drawn
// around the defaults, and they know part of each domain before they start (one domain much
// less). They study a fixed number of minutes a day until the exam date, under two policies:
//  - planner: certdrill's SessionPlanner and Scheduler (the code study sessions run), with the
//    mastery figures recomputed every morning;
//  - fsrs: a plain FSRS due queue: learning steps when due, due reviews oldest first, then new
//    cards in random order, retention 0.9, the same new-card limit and the same minutes.
// On the exam date the true score is the blueprint-weighted recall of every card (unstudied cards
// at the learner's prior knowledge); certdrill's prediction is what its model expects from the
// answers it saw. Pure and deterministic for a seed.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/fsrs.hpp"
#include "core/fsrs_optimizer.hpp"
#include "core/model.hpp"

namespace certdrill {

struct SimulationConfig {
    int days = 30;             // study days before the exam
    int minutes_per_day = 30;  // study time each day
    int learners = 20;         // simulated learners (the same ones under each policy)
    std::uint64_t seed = 1;
    std::size_t new_per_day = 20;  // new cards a day under both policies
    int seconds_per_question = 60;
    int seconds_per_flashcard = 20;
    UnixMs start = 1'767'258'000'000;  // 2026-01-01 09:00 UTC: each study day starts at 09:00
    // Also fit FSRS-6 to each learner's answers (planner policy) and predict with those weights.
    bool fit_learner_parameters = false;
    // Called after each learner and policy (done, total).
    std::function<void(int, int)> progress;
};

enum class SimulationPolicy { Planner, PlainFsrs };

struct PolicyOutcome {
    double exam_day_score = 0.0;             // mean true exam-day score, percent
    double predicted = 0.0;                  // mean predicted exam-day readiness (default weights), percent
    std::optional<double> predicted_fitted;  // the same with each learner's fitted weights
    double answers_per_learner = 0.0;
    double cards_seen = 0.0;     // mean fraction of the exam's cards studied at least once
    std::vector<double> scores;  // per learner, percent
};

struct SimulationResult {
    PolicyOutcome planner;
    PolicyOutcome fsrs;
};

// Runs both policies for the exam's cards. Throws std::invalid_argument for an exam without
// cards or a non-positive day, minute or learner count.
SimulationResult simulate(const Exam& exam, const std::vector<const Card*>& cards, const SimulationConfig& config);

}  // namespace certdrill
