#pragma once
// `certdrill class report FILE... [--html OUT] [--csv OUT] [--json]`: pools learners' results
// files into item statistics (from first answers only) and per-learner summaries.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/results_json.hpp"
#include "core/item_analysis.hpp"

namespace certdrill::cli {

struct ClassReport {
    std::vector<ItemStatistics> items;   // questions answered by at least one learner
    std::vector<LearnerResults> learners;
    std::vector<LearnerResponses> first;  // per learner, in the same order
    std::vector<std::string> notes;       // e.g. an item keyed differently in two files
};

ClassReport build_class_report(std::vector<LearnerResults> learners);

void print_class_report_text(const ClassReport& report, std::ostream& out);
std::string class_report_json(const ClassReport& report);
std::string class_report_csv(const ClassReport& report);
// One self-contained page: inline CSS and SVG, nothing fetched.
std::string class_report_html(const ClassReport& report);

struct ClassReportOptions {
    std::vector<std::string> files;
    std::optional<std::string> html;
    std::optional<std::string> csv;
    bool json = false;
};

int class_report_command(const ClassReportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace certdrill::cli
