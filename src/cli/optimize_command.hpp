#pragma once
// `certdrill optimize`: fits the FSRS-6 weights to the learner's answers (one exam, stored and
// used from then on) or to histories in a file (printed only). See docs/scheduling.md.
#include <iosfwd>
#include <string>

#include "app/services.hpp"

namespace certdrill::cli {

struct OptimizeOutput {
    std::ostream& out;
    std::ostream& err;
    bool json = false;
    bool progress = false;  // draw a progress line on `err` (a terminal)
};

// Fits the histories in `in` (the `certdrill replay` input format, one card per line), days
// counted by `days`. Prints the weights, log loss and RMSE(bins) (before: the defaults). Bad
// lines: each number and reason on `err`, nothing on `out`, then app::AppError (data error).
int optimize_from(std::istream& in, const DayCounter& days, const OptimizeOutput& output);

// Fits (or with `reset` clears) the weights of one exam in the progress database.
int optimize_exam_command(const app::Services& services, const std::string& exam_id, bool reset,
                          const OptimizeOutput& output);

}  // namespace certdrill::cli
