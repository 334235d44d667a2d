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
    // The process exits once run() returns: the decks loaded for the command are then left to
    // the operating system instead of being freed block by block (at 50,000 cards, hundreds of
    // thousands of blocks, about 3% of a start). The progress database is closed first as
    // always, so every answer is durable and the instance lock released. Only the program's main
    // sets this; tests run many commands in one process.
    bool exiting_after_run = false;
};

int run(int argc, char** argv, const app::EnvLookup& env, Io io);

}  // namespace certdrill::cli
