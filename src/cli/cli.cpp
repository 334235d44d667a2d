#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/stats.hpp"
#include "cli/class_report.hpp"
#include "cli/import_commands.hpp"
#include "cli/new_deck_command.hpp"
#include "cli/plain_mode.hpp"
#include "cli/replay.hpp"
#include "cli/results_command.hpp"
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
    bool lint = false;
    std::vector<std::string> deck_ids;  // --deck on study, exam, stats
    std::string new_exam;
    std::string new_id;
    std::string out_dir = ".";
    std::string out_file;
    std::optional<std::string> name;
    ClassReportOptions report;
    ImportOptions import;
    ExportApkgOptions export_apkg;
    std::string replay_file = "-";

    std::optional<std::string> exam;
    std::optional<std::string> domain;
    std::optional<int> limit;
    std::optional<int> minutes;
    std::optional<int> items;
    int new_per_day = 20;
    bool plain = false;
    bool json = false;
};

void add_deck_option(CLI::App& cmd, Options& o) {
    cmd.add_option("--deck", o.deck_ids, "only these decks (repeatable), e.g. your own deck alone");
}

void add_study_options(CLI::App& cmd, Options& o) {
    cmd.add_option("--exam", o.exam, "exam id (cissp, cism, issmp, gslc)");
    add_deck_option(cmd, o);
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
    validate->add_flag("--lint", o.lint, "also warn about item-writing problems (cues, negative stems, ...)");

    auto* create = cli.add_subcommand("new", "create files for instructors");
    create->require_subcommand(1);
    auto* new_deck = create->add_subcommand("deck", "write a starter deck that passes validate");
    new_deck->add_option("--exam", o.new_exam, "exam id the deck belongs to")->required();
    new_deck->add_option("--id", o.new_id, "deck id, e.g. acme-cism")->required();
    new_deck->add_option("--out", o.out_dir, "directory to write DECK.json in (default: current directory)");

    auto* replay =
        cli.add_subcommand("replay", "replay FSRS review histories given as JSON Lines (see docs/scheduling.md)");
    replay->add_option("file", o.replay_file, "input file, or - for standard input");

    auto* study = cli.add_subcommand("study", "study due, learning and new cards");
    add_study_options(*study, o);

    auto* exam = cli.add_subcommand("exam", "take a timed mock exam that follows the exam's blueprint and rules");
    exam->add_option("exam", o.exam, "exam id (cissp, cism, issmp, gslc)")->required();
    exam->add_option("--items", o.items, "number of items (default: the real exam's)")->check(CLI::Range(1, 1000));
    exam->add_option("--minutes", o.minutes, "time allowed (default: the real exam's)")->check(CLI::Range(1, 1440));
    exam->add_flag("--plain", o.plain, "plain text on stdin/stdout instead of the full-screen interface");
    add_deck_option(*exam, o);

    auto* stats = cli.add_subcommand("stats", "readiness, mastery per domain, due cards");
    stats->add_option("--exam", o.exam, "one exam only");
    stats->add_flag("--json", o.json, "machine-readable output");
    add_deck_option(*stats, o);

    auto* import = cli.add_subcommand("import", "make a deck from a spreadsheet (CSV) or an Anki package");
    import->require_subcommand(1);
    auto* import_csv = import->add_subcommand("csv", "import a CSV file (see docs/import.md for the columns)");
    import_csv->add_option("file", o.import.file, "the CSV file")->required();
    import_csv->add_option("--exam", o.import.exam_id, "exam id the cards belong to")->required();
    import_csv->add_option("--deck", o.import.deck_id, "id of the new deck")->required();
    import_csv->add_option("--out", o.import.out_dir, "directory to write DECK.json in (default: current directory)");
    import_csv->add_flag("--skip-bad", o.import.skip_bad, "import the valid rows and list the skipped ones");

    auto* import_apkg = import->add_subcommand("apkg", "import an Anki package: Basic notes become flashcards");
    import_apkg->add_option("file", o.import.file, "the .apkg file")->required();
    import_apkg->add_option("--exam", o.import.exam_id, "exam id the cards belong to")->required();
    import_apkg->add_option("--deck", o.import.deck_id, "id of the new deck")->required();
    import_apkg->add_option("--out", o.import.out_dir, "directory to write DECK.json in (default: current directory)");
    import_apkg->add_option("--domain", o.import.domain, "domain for notes without a domain tag (default: the first)");

    auto* exporting = cli.add_subcommand("export", "carry decks to other tools");
    exporting->require_subcommand(1);
    auto* export_apkg = exporting->add_subcommand("apkg", "write an exam's flashcards as an Anki package");
    export_apkg->add_option("--exam", o.export_apkg.exam_id, "exam id")->required();
    export_apkg->add_option("--deck", o.export_apkg.decks, "only these decks (repeatable)");
    export_apkg->add_option("--out", o.export_apkg.out_file, "the .apkg file to write")->required();

    auto* results = cli.add_subcommand("results", "a learner's results, for an instructor");
    results->require_subcommand(1);
    auto* results_export = results->add_subcommand("export", "write your answers, mock exams and mastery as JSON");
    results_export->add_option("--out", o.out_file, "file to write, e.g. results.json")->required();
    results_export->add_option("--exam", o.exam, "one exam only");
    add_deck_option(*results_export, o);
    results_export->add_option("--name", o.name, "the name to show your instructor (default: anonymous)");

    auto* klass = cli.add_subcommand("class", "instructor tools over many learners' results");
    klass->require_subcommand(1);
    auto* class_report = klass->add_subcommand("report", "item statistics and learner summaries from results files");
    class_report->add_option("files", o.report.files, "results files from 'certdrill results export'")->required();
    class_report->add_option("--html", o.report.html, "also write a self-contained HTML report");
    class_report->add_option("--csv", o.report.csv, "also write the item statistics as CSV");
    class_report->add_flag("--json", o.report.json, "print the whole report as JSON instead of the summary");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; every usage error exits 2, as command-line tools do.
        return cli.exit(e, io.out, io.err) == 0 ? 0 : 2;
    }

    const fs::path exe = executable_path(argc > 0 ? argv[0] : "certdrill");
    const auto dirs = app::deck_dirs(exe, env, std::vector<fs::path>(o.decks.begin(), o.decks.end()));

    if (*validate)
        return validate_command({o.validate_paths.begin(), o.validate_paths.end()}, dirs, io.out, io.err, o.lint);
    if (*new_deck) return new_deck_command(o.new_exam, o.new_id, o.out_dir, dirs, io.out, io.err);
    if (*class_report) return class_report_command(o.report, io.out, io.err);
    if (*import_csv) return import_csv_command(o.import, dirs, io.out, io.err);
    if (*import_apkg) return import_apkg_command(o.import, dirs, io.out, io.err);
    if (*export_apkg) {
        Clock clock;
        try {
            clock = app::make_clock(env);
        } catch (const std::invalid_argument& e) {
            print_error(io.err, e.what());
            return 2;
        }
        return export_apkg_command(o.export_apkg, dirs, clock(), io.out, io.err);
    }
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
    if (!o.deck_ids.empty() && !runtime->restrict_to_decks(o.deck_ids, io.err)) return 1;
    const std::uint64_t seed = o.seed.value_or(app::random_seed());
    app::Services services = runtime->services();

    try {
        if (*results_export)
            return results_export_command(services, {o.out_file, o.exam, o.deck_ids, o.name, seed}, io.out, io.err);
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
                app::MockOptions mo{chosen->id, o.items, o.minutes, seed};
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
