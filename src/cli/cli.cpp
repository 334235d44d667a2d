#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/replay.hpp"
#include "cli/validate_command.hpp"

namespace certdrill::cli {

namespace fs = std::filesystem;

namespace {

fs::path executable_path(const char* argv0) {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) return self;
    return fs::absolute(argv0, ec);
}

struct GlobalOptions {
    std::string db;
    std::vector<std::string> decks;
    std::optional<std::uint64_t> seed;
};

}  // namespace

int run(int argc, char** argv, const app::EnvLookup& env, Io io) {
    CLI::App cli{"certdrill: a terminal trainer for security certification exams (CISSP, CISM, GSLC, CISSP-ISSMP)",
                 "certdrill"};
    cli.set_version_flag("--version", std::string("certdrill ") + CERTDRILL_VERSION);
    GlobalOptions global;
    cli.add_option("--db", global.db, "progress database (default $CERTDRILL_DB or $XDG_DATA_HOME/certdrill/progress.db)");
    cli.add_option("--decks", global.decks, "extra deck directory (repeatable; also $CERTDRILL_DECKS, colon-separated)");
    cli.add_option("--seed", global.seed, "random seed for shuffling (random by default)");

    std::vector<std::string> validate_paths;
    auto* validate = cli.add_subcommand("validate", "check decks and blueprints (the built-in decks when no path is given)");
    validate->add_option("paths", validate_paths, "deck files, blueprints or directories");

    std::string replay_file = "-";
    auto* replay = cli.add_subcommand("replay", "replay FSRS review histories given as JSON Lines");
    replay->add_option("file", replay_file, "input file, or - for standard input");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e, io.out, io.err);
    }

    const fs::path exe = executable_path(argc > 0 ? argv[0] : "certdrill");
    std::vector<fs::path> extra(global.decks.begin(), global.decks.end());
    const auto dirs = app::deck_dirs(exe, env, extra);

    if (*validate) {
        std::vector<fs::path> paths(validate_paths.begin(), validate_paths.end());
        return validate_command(paths, dirs, io.out, io.err);
    }
    if (*replay) {
        if (replay_file == "-") return run_replay(io.in, io.out, io.err);
        std::ifstream in(replay_file);
        if (!in) {
            io.err << "certdrill replay: cannot open '" << replay_file << "'\n";
            return 1;
        }
        return run_replay(in, io.out, io.err);
    }
    io.out << cli.help();
    return 0;
}

}  // namespace certdrill::cli
