#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/stats.hpp"
#include "cli/plain_mode.hpp"
#include "cli/replay.hpp"
#include "cli/runtime.hpp"
#include "cli/stats_command.hpp"
#include "cli/validate_command.hpp"
#include "tui/tui.hpp"

namespace certdrill::cli {

namespace fs = std::filesystem;

namespace {

fs::path executable_path(const char* argv0) {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) return self;
    return fs::absolute(argv0, ec);
}

struct Options {
    std::optional<std::string> db;
    std::vector<std::string> decks;
    std::optional<std::uint64_t> seed;

    std::vector<std::string> validate_paths;
    std::string replay_file = "-";

    std::optional<std::string> exam;
    std::optional<std::string> domain;
    std::optional<int> limit;
    std::optional<int> minutes;
    std::optional<int> items;
    int new_per_day = 20;
    bool plain = false;
    bool json = false;
    bool linear = false;
    std::optional<std::string> calibration;
};

// A class report's item statistics (`class report --json`: {"items": [{"id", "n", "p", ...}]}).
app::Calibration load_calibration(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::invalid_argument("cannot open calibration file '" + path + "'");
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::invalid_argument("calibration file '" + path + "' is not valid JSON: " + e.what());
    }
    if (!root.is_object() || !root.contains("items") || !root["items"].is_array())
        throw std::invalid_argument("calibration file '" + path +
                                    "' has no \"items\" list; give the output of 'certdrill class report --json'");
    app::Calibration out;
    for (const auto& item : root["items"]) {
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("n") ||
            !item["n"].is_number_integer() || !item.contains("p") || !item["p"].is_number())
            throw std::invalid_argument("calibration file '" + path + "': each item needs \"id\", \"n\" and \"p\"");
        const double p = item["p"].get<double>();
        const long long n = item["n"].get<long long>();
        if (p < 0 || p > 1 || n < 0)
            throw std::invalid_argument("calibration file '" + path + "': item '" + item["id"].get<std::string>() +
                                        "' has p outside 0-1 or a negative n");
        out[item["id"].get<std::string>()] = cat::ClassItemStat{static_cast<int>(std::min<long long>(n, 1000000)), p};
    }
    return out;
}

void add_study_options(CLI::App& cmd, Options& o) {
    cmd.add_option("--exam", o.exam, "exam id (cissp, cism, issmp, gslc)");
    cmd.add_option("--domain", o.domain, "study one domain, e.g. d3");
    auto* limit = cmd.add_option("--limit", o.limit, "number of answers in the session")->check(CLI::Range(1, 10000));
    cmd.add_option("--minutes", o.minutes, "length of the session in minutes")
        ->check(CLI::Range(1, 1440))
        ->excludes(limit);
    cmd.add_option("--new", o.new_per_day, "new cards per day (default 20)")->check(CLI::Range(0, 1000));
    cmd.add_flag("--plain", o.plain, "plain text on stdin/stdout instead of the full-screen interface");
}

}  // namespace

int run(int argc, char** argv, const app::EnvLookup& env, Io io) {
    CLI::App cli{"certdrill: a terminal trainer for security certification exams (CISSP, CISM, GSLC, CISSP-ISSMP)",
                 "certdrill"};
    cli.set_version_flag("--version", std::string("certdrill ") + CERTDRILL_VERSION);
    cli.fallthrough();
    Options o;
    cli.add_option("--db", o.db,
                   "progress database (default $CERTDRILL_DB, else $XDG_DATA_HOME/certdrill/progress.db)");
    cli.add_option("--decks", o.decks, "extra deck directory (repeatable; also $CERTDRILL_DECKS, colon-separated)");
    cli.add_option("--seed", o.seed, "random seed for shuffling (random by default)");

    auto* validate =
        cli.add_subcommand("validate", "check decks and blueprints (the built-in decks when no path is given)");
    validate->add_option("paths", o.validate_paths, "deck files, blueprints or directories");

    auto* replay =
        cli.add_subcommand("replay", "replay FSRS review histories given as JSON Lines (see docs/scheduling.md)");
    replay->add_option("file", o.replay_file, "input file, or - for standard input");

    auto* study = cli.add_subcommand("study", "study due, learning and new cards");
    add_study_options(*study, o);

    auto* exam = cli.add_subcommand("exam", "take a timed mock exam that follows the exam's blueprint and rules");
    exam->add_option("exam", o.exam, "exam id (cissp, cism, issmp, gslc)")->required();
    exam->add_option("--items", o.items, "number of items (default: the real exam's)")->check(CLI::Range(1, 1000));
    exam->add_option("--minutes", o.minutes, "time allowed (default: the real exam's)")->check(CLI::Range(1, 1440));
    exam->add_option("--domain", o.domain, "a domain quiz under the exam's rules, e.g. d3");
    exam->add_flag("--linear", o.linear, "a fixed-form practice exam where the real one is adaptive (CISSP)");
    exam->add_option("--calibration", o.calibration,
                     "item statistics from 'certdrill class report --json' to refine adaptive item difficulties");
    exam->add_flag("--plain", o.plain, "plain text on stdin/stdout instead of the full-screen interface");

    auto* stats = cli.add_subcommand("stats", "readiness, mastery per domain, due cards");
    stats->add_option("--exam", o.exam, "one exam only");
    stats->add_flag("--json", o.json, "machine-readable output");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; every usage error exits 2, as command-line tools do.
        return cli.exit(e, io.out, io.err) == 0 ? 0 : 2;
    }

    const fs::path exe = executable_path(argc > 0 ? argv[0] : "certdrill");
    const auto dirs = app::deck_dirs(exe, env, std::vector<fs::path>(o.decks.begin(), o.decks.end()));

    if (*validate) return validate_command({o.validate_paths.begin(), o.validate_paths.end()}, dirs, io.out, io.err);
    if (*replay) {
        if (o.replay_file == "-") return run_replay(io.in, io.out, io.err);
        std::ifstream in(o.replay_file);
        if (!in) {
            print_error(io.err, "cannot open '" + o.replay_file + "'", "check the path");
            return 1;
        }
        return run_replay(in, io.out, io.err);
    }

    auto runtime = Runtime::open({o.db, dirs}, env, io.err);
    if (!runtime) return 2;
    const std::uint64_t seed = o.seed.value_or(app::random_seed());
    app::Services services = runtime->services();

    try {
        if (*stats) {
            if (o.exam && !runtime->library().exam(*o.exam)) {
                std::string error;
                app::resolve_exam(runtime->library(), runtime->store(), o.exam, error);
                print_error(io.err, error, "run 'certdrill stats' to see all exams");
                return 1;
            }
            auto figures = app::compute_stats(services, o.exam);
            if (o.json)
                print_stats_json(figures, io.out);
            else
                print_stats_text(figures, io.out);
            return 0;
        }

        tui::TuiOptions tui_options;
        tui_options.color = !env("NO_COLOR");
        if (!runtime->notices().empty()) tui_options.notice = runtime->notices().front();
        if (*study || *exam) {
            std::string error;
            const Exam* chosen = app::resolve_exam(runtime->library(), runtime->store(), o.exam, error);
            if (!chosen) {
                print_error(io.err, error, "pass --exam with one of the ids above");
                return 1;
            }
            if (*study) {
                app::StudyOptions so{chosen->id, o.domain, o.limit, o.minutes, static_cast<std::size_t>(o.new_per_day),
                                     seed};
                if (o.domain && !chosen->domain(*o.domain)) {
                    std::string ids;
                    for (const auto& d : chosen->domains) ids += " " + d.id;
                    print_error(io.err, "exam " + chosen->id + " has no domain '" + *o.domain + "'",
                                "use one of:" + ids);
                    return 1;
                }
                if (o.plain) return run_plain_study(services, so, io.in, io.out);
                tui_options.start = tui::StartScreen::Study;
                tui_options.study = so;
            } else {
                app::MockOptions mo{chosen->id, o.items, o.minutes, seed, o.domain, o.linear, {}};
                if (o.calibration) mo.calibration = load_calibration(*o.calibration);
                app::plan_mock(runtime->library(), mo);  // unknown domains and bad sizes fail here
                if (o.plain) return run_plain_exam(services, mo, io.in, io.out);
                tui_options.start = tui::StartScreen::Exam;
                tui_options.mock = mo;
            }
        }
        if (!*study && !*exam) {
            // The home screen opens on the exam studied last.
            std::string ignored;
            if (const Exam* last = app::resolve_exam(runtime->library(), runtime->store(), std::nullopt, ignored))
                tui_options.study.exam_id = last->id;
        }
        if (!io.interactive) {
            print_error(io.err, "the full-screen trainer needs a terminal on standard input and output",
                        "run it in a terminal, or use 'certdrill study --plain' / 'certdrill exam ID --plain'");
            return 1;
        }
        tui_options.study.seed = tui_options.mock.seed = seed;
        return tui::run_tui(services, tui_options, io.err);
    } catch (const store::StoreError& e) {
        print_error(io.err, e.what(), e.fix());
        return 2;
    } catch (const std::invalid_argument& e) {
        print_error(io.err, e.what());
        return 1;
    }
}

}  // namespace certdrill::cli
