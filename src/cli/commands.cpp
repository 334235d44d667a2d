// Every option and subcommand of the command line, with its help text.
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

#include "core/text.hpp"

namespace certdrill::cli {

namespace {

// A seed is a decimal number from 0 to 2^64-1. On its own the parser would take "-1" and numbers
// too large as 2^64-1, "0x10" as hexadecimal and "010" as octal: only decimal digits are taken
// (leading zeros and all), anything else is a usage error that names the range.
CLI::Validator seed_value() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            std::uint64_t seed = 0;
            const char* end = value.data() + value.size();
            const std::from_chars_result read = std::from_chars(value.data(), end, seed);
            if (value.empty() || value.front() < '0' || value.front() > '9' || read.ec != std::errc() || read.ptr != end)
                return "'" + text::sanitize(value) + "' is not a seed: give a whole number from 0 to " +
                       std::to_string(std::numeric_limits<std::uint64_t>::max());
            value = std::to_string(seed);
            return {};
        },
        "", "seed");
}

void add_deck_option(CLI::App& cmd, Options& o) {
    cmd.add_option("--deck", o.deck_ids, "only these decks (repeatable), e.g. your own deck alone");
}

void add_study_options(CLI::App& cmd, Options& o) {
    cmd.add_option("--exam", o.exam, "exam id (cissp, cism, issmp, gslc; any case)");
    add_deck_option(cmd, o);
    cmd.add_option("--domain", o.domain, "study one domain: its id or number, e.g. d3 or 3");
    auto* limit = cmd.add_option("--limit", o.limit, "number of answers in the session")->check(CLI::Range(1, 10000));
    cmd.add_option("--minutes", o.minutes, "length of the session in minutes")
        ->check(CLI::Range(1, 1440))
        ->excludes(limit);
    cmd.add_option("--new", o.new_per_day, "new cards per day (default 20, or the settings file's)")
        ->check(CLI::Range(0, 1000));
    cmd.add_flag("--plain", o.plain, "plain text on stdin/stdout instead of the full-screen interface");
}

// Authoring, import and export of decks, results and the class report.
void define_instructor_commands(CLI::App& cli, Options& o, Commands& c) {
    auto* create = cli.add_subcommand("new", "create files for instructors");
    create->require_subcommand(1);
    c.new_deck = create->add_subcommand("deck", "write a starter deck that passes validate");
    c.new_deck->add_option("--exam", o.new_exam, "exam id the deck belongs to")->required();
    c.new_deck->add_option("--id", o.new_id, "deck id, e.g. acme-cism")->required();
    c.new_deck->add_option("--out", o.out_dir, "directory to write DECK.json in (default: current directory)");

    auto* import = cli.add_subcommand("import", "make a deck from a spreadsheet (CSV) or an Anki package");
    import->require_subcommand(1);
    c.import_csv = import->add_subcommand("csv", "import a CSV file (see docs/instructors.md for the columns)");
    c.import_csv->add_option("file", o.import.file, "the CSV file")->required();
    c.import_csv->add_option("--exam", o.import.exam_id, "exam id the cards belong to")->required();
    c.import_csv->add_option("--deck", o.import.deck_id, "id of the new deck")->required();
    c.import_csv->add_option("--out", o.import.out_dir, "directory to write DECK.json in (default: current directory)");
    c.import_csv->add_flag("--skip-bad", o.import.skip_bad, "import the valid rows and list the skipped ones");
    c.import_apkg = import->add_subcommand("apkg", "import an Anki package: Basic notes become flashcards");
    c.import_apkg->add_option("file", o.import.file, "the .apkg file")->required();
    c.import_apkg->add_option("--exam", o.import.exam_id, "exam id the cards belong to")->required();
    c.import_apkg->add_option("--deck", o.import.deck_id, "id of the new deck")->required();
    c.import_apkg->add_option("--out", o.import.out_dir, "directory to write DECK.json in (default: current directory)");
    c.import_apkg->add_option("--domain", o.import.domain, "domain for notes without a domain tag (default: the first)");

    auto* exporting = cli.add_subcommand("export", "carry decks to other tools");
    exporting->require_subcommand(1);
    c.export_apkg = exporting->add_subcommand("apkg", "write an exam's flashcards as an Anki package");
    c.export_apkg->add_option("--exam", o.export_apkg.exam_id, "exam id")->required();
    c.export_apkg->add_option("--deck", o.export_apkg.decks, "only these decks (repeatable)");
    c.export_apkg->add_option("--out", o.export_apkg.out_file, "the .apkg file to write")->required();

    auto* results = cli.add_subcommand("results", "a learner's results, for an instructor");
    results->require_subcommand(1);
    c.results_export = results->add_subcommand("export", "write your answers, mock exams and mastery as JSON");
    c.results_export->add_option("--out", o.out_file, "file to write, e.g. results.json")->required();
    c.results_export->add_option("--exam", o.exam, "one exam only");
    add_deck_option(*c.results_export, o);
    c.results_export->add_option("--name", o.name, "the name to show your instructor (default: anonymous)");

    auto* klass = cli.add_subcommand("class", "instructor tools over many learners' results");
    klass->require_subcommand(1);
    c.class_report = klass->add_subcommand("report", "item statistics and learner summaries from results files");
    c.class_report->add_option("files", o.report.files, "results files from 'certdrill results export'")->required();
    c.class_report->add_option("--html", o.report.html, "also write a self-contained HTML report");
    c.class_report->add_option("--csv", o.report.csv, "also write the item statistics as CSV");
    c.class_report->add_flag("--json", o.report.json, "print the whole report as JSON instead of the summary");
}

}  // namespace

Commands define_commands(CLI::App& cli, Options& o) {
    Commands c;
    cli.add_option("--db", o.db,
                   "progress database (default $CERTDRILL_DB, else $XDG_DATA_HOME/certdrill/progress.db)");
    cli.add_option("--decks", o.decks, "extra deck directory (repeatable; also $CERTDRILL_DECKS, colon-separated)");
    cli.add_option("--seed", o.seed, "random seed for shuffling (random by default)")->transform(seed_value());
    cli.add_flag("--no-cache", o.no_cache,
                 "read every deck file instead of the cache of loaded decks ($XDG_CACHE_HOME/certdrill)");

    c.validate =
        cli.add_subcommand("validate", "check decks and blueprints (the built-in decks when no path is given)");
    c.validate->add_option("paths", o.validate_paths, "deck files, blueprints or directories");
    c.validate->add_flag("--lint", o.lint, "also warn about item-writing problems (cues, negative stems, ...)");

    c.replay =
        cli.add_subcommand("replay", "replay FSRS review histories given as JSON Lines (see docs/scheduling.md)");
    c.replay->add_option("file", o.replay_file, "input file, or - for standard input");

    c.study = cli.add_subcommand("study", "study due, learning and new cards");
    add_study_options(*c.study, o);

    c.exam = cli.add_subcommand("exam", "take a timed mock exam that follows the exam's blueprint and rules");
    c.exam->add_option("exam", o.exam, "exam id (cissp, cism, issmp, gslc; any case)")->required();
    c.exam->add_option("--items", o.items, "number of items (default: the real exam's)")->check(CLI::Range(1, 1000));
    c.exam->add_option("--minutes", o.minutes, "time allowed (default: the real exam's)")->check(CLI::Range(1, 1440));
    c.exam->add_option("--domain", o.domain, "a domain quiz under the exam's rules: domain id or number, e.g. d3 or 3");
    c.exam->add_flag("--linear", o.linear, "a fixed-form practice exam where the real one is adaptive (CISSP)");
    c.exam->add_option("--calibration", o.calibration,
                       "item statistics from 'certdrill class report --json' to refine adaptive item difficulties");
    c.exam->add_flag("--plain", o.plain, "plain text on stdin/stdout instead of the full-screen interface");
    add_deck_option(*c.exam, o);

    c.stats = cli.add_subcommand("stats", "readiness, mastery per domain, due cards");
    c.stats->add_option("--exam", o.exam, "one exam only");
    c.stats->add_flag("--json", o.json, "machine-readable output");
    add_deck_option(*c.stats, o);

    c.help = cli.add_subcommand("help", "show the options of a subcommand, e.g. 'certdrill help study'");
    c.help->allow_extras();  // the topic is read by run_help, before parsing

    c.optimize = cli.add_subcommand("optimize",
                                    "fit the FSRS-6 parameters to your own answers (per exam) and schedule with them");
    c.optimize->add_option("--exam", o.exam, "exam id (default: the exam studied last)");
    auto* from = c.optimize->add_option("--from", o.optimize_from,
                                        "fit histories in this file (replay input format; - for stdin) and print them");
    c.optimize->add_flag("--reset", o.reset, "return the exam to the default parameters")->excludes(from);
    c.optimize->add_flag("--json", o.json, "machine-readable output");

    c.simulate = cli.add_subcommand(
        "simulate", "simulated learners study for an exam with certdrill's planner and with plain FSRS");
    c.simulate->add_option("--exam", o.exam, "exam id")->required();
    c.simulate->add_option("--days", o.days, "study days up to the exam (default 30)")->check(CLI::Range(1, 365));
    c.simulate->add_option("--minutes", o.minutes, "study minutes a day (default 30)")->check(CLI::Range(1, 600));
    c.simulate->add_option("--learners", o.learners, "simulated learners (default 20)")->check(CLI::Range(1, 1000));
    c.simulate->add_option("--new", o.new_per_day, "new cards per day under both policies (default 20)")
        ->check(CLI::Range(0, 1000));
    c.simulate->add_flag("--json", o.json, "machine-readable output");
    c.simulate->add_flag("--fit", o.simulate_fit,
                         "also predict with each learner's own fitted weights, as after 'certdrill optimize'");
    c.plan = cli.add_subcommand("plan", "set or clear the exam date and show the plan towards it");
    c.plan->add_option("--exam", o.exam, "exam id (default: the exam studied last)");
    auto* date = c.plan->add_option("--date", o.exam_date, "exam date, YYYY-MM-DD");
    c.plan->add_flag("--clear", o.clear_date, "remove the exam date")->excludes(date);
    c.check = cli.add_subcommand(
        "check", "check the progress database for damage (done by itself only after an unclean shutdown)");

    c.progress = cli.add_subcommand("progress", "move progress between machines (JSON Lines)");
    c.progress->require_subcommand(1);
    c.progress_export =
        c.progress->add_subcommand("export", "write every answer, oldest first, one JSON object a line");
    c.progress_export->add_option("--out", o.export_out, "output file (default: standard output)");
    c.progress_import =
        c.progress->add_subcommand("import", "merge an export from another machine; importing twice adds nothing");
    c.progress_import->add_option("file", o.import_file, "export file, or - for standard input")->required();
    define_instructor_commands(cli, o, c);
    return c;
}

}  // namespace certdrill::cli
