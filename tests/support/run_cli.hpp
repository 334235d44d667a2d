#pragma once
// Runs the certdrill command line in-process with a given environment and no terminal, and
// captures its exit status and output.
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace certdrill::testing {

struct CliResult {
    int code;
    std::string out;
    std::string err;
};

// `exiting_after_run` runs it as the program's main does (see Io::exiting_after_run).
inline CliResult run_cli(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                         bool exiting_after_run = false) {
    args.insert(args.begin(), "certdrill");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::istringstream in;
    std::ostringstream out, err;
    const auto lookup = [env](const char* name) -> std::optional<std::string> {
        if (auto it = env.find(name); it != env.end()) return it->second;
        return std::nullopt;
    };
    const int code = certdrill::cli::run(static_cast<int>(argv.size()), argv.data(), lookup, {in, out, err, false, false, exiting_after_run});
    return {code, out.str(), err.str()};
}

}  // namespace certdrill::testing
