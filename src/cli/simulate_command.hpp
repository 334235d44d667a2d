#pragma once
// `certdrill simulate`: simulated learners study for an exam under certdrill's planner and under
// a plain FSRS queue; prints the mean true exam-day score and certdrill's prediction per policy.
#include <iosfwd>

#include "core/model.hpp"
#include "core/simulator.hpp"

namespace certdrill::cli {

int simulate_command(const Exam& exam, const std::vector<const Card*>& cards, const SimulationConfig& config, bool json,
                     std::ostream& out, std::ostream& err, bool progress);

}  // namespace certdrill::cli
