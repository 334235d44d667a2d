#pragma once
#include <iosfwd>
#include <string>

#include "app/stats.hpp"

namespace certdrill::cli {

// `certdrill stats`: a text table, or with --json an object per exam (see docs/cli.md).
void print_stats_text(const app::Stats& stats, std::ostream& out);
void print_stats_json(const app::Stats& stats, std::ostream& out);
// "Exam 2027-01-20: 47 days left, not on track (-6 points vs the pass mark), at least 12 new a day"
std::string plan_line(const app::ExamPlanStats& plan);

}  // namespace certdrill::cli
