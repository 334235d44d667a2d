#pragma once
// Command-line entry: parses arguments and dispatches to subcommands.
#include <iosfwd>

#include "app/environment.hpp"

namespace certdrill::cli {

struct Io {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    bool interactive = false;  // stdin and stdout are terminals
    bool err_is_terminal = false;
};

int run(int argc, char** argv, const app::EnvLookup& env, Io io);

}  // namespace certdrill::cli
