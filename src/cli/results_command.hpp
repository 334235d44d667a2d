#pragma once
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/services.hpp"

namespace certdrill::cli {

struct ResultsExportOptions {
    std::string out_file;
    std::optional<std::string> exam;
    std::vector<std::string> decks;
    std::optional<std::string> name;  // the only identity written; anonymous when unset
    std::uint64_t seed = 0;           // for the anonymous id
};

// `certdrill results export`: writes the learner's results file (never over an existing file).
int results_export_command(const app::Services& services, const ResultsExportOptions& options, std::ostream& out,
                           std::ostream& err);

}  // namespace certdrill::cli
