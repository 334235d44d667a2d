#pragma once
#include <iosfwd>

#include "app/stats.hpp"

namespace certdrill::cli {

// `certdrill stats`: a text table, or with --json an object per exam (see docs/cli.md).
void print_stats_text(const app::Stats& stats, std::ostream& out);
void print_stats_json(const app::Stats& stats, std::ostream& out);

}  // namespace certdrill::cli
