#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/errors.hpp"
#include "app/progress_sync.hpp"
#include "app/stats.hpp"
#include "cli/check_command.hpp"
#include "cli/class_report.hpp"
#include "cli/import_commands.hpp"
#include "cli/new_deck_command.hpp"
#include "cli/optimize_command.hpp"
#include "cli/plain_mode.hpp"
#include "cli/plan_command.hpp"
#include "cli/replay.hpp"
#include "cli/results_command.hpp"
#include "cli/runtime.hpp"
#include "cli/simulate_command.hpp"
#include "cli/stats_command.hpp"
#include "cli/validate_command.hpp"
#include "decks/config_reader.hpp"
#include "core/text.hpp"
#include "decks/loader.hpp"
#include "store/paths.hpp"
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
    std::optional<int> new_per_day;
    bool plain = false;
    bool json = false;
    bool simulate_fit = false;
    bool linear = false;
    std::optional<std::string> calibration;
    std::optional<std::string> exam_date;
    bool clear_date = false;

    std::optional<std::string> optimize_from;
    bool reset = false;

    int days = 30;
    int learners = 20;
    std::optional<std::string> export_out;
    std::string import_file;
};

struct Commands {
    CLI::App* validate = nullptr;
    CLI::App* replay = nullptr;
    CLI::App* study = nullptr;
    CLI::App* exam = nullptr;
    CLI::App* stats = nullptr;
    CLI::App* help = nullptr;
    CLI::App* optimize = nullptr;
    CLI::App* simulate = nullptr;
    CLI::App* plan = nullptr;
    CLI::App* check = nullptr;
    CLI::App* progress = nullptr;
    CLI::App* progress_export = nullptr;
    CLI::App* progress_import = nullptr;
    CLI::App* new_deck = nullptr;
    CLI::App* import_csv = nullptr;
    CLI::App* import_apkg = nullptr;
    CLI::App* export_apkg = nullptr;
    CLI::App* results_export = nullptr;
    CLI::App* class_report = nullptr;
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

Commands define_commands(CLI::App& cli, Options& o) {
    Commands c;
    cli.add_option("--db", o.db,
                   "progress database (default $CERTDRILL_DB, else $XDG_DATA_HOME/certdrill/progress.db)");
    cli.add_option("--decks", o.decks, "extra deck directory (repeatable; also $CERTDRILL_DECKS, colon-separated)");
    cli.add_option("--seed", o.seed, "random seed for shuffling (random by default)");

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
    c.exam->add_option("exam", o.exam, "exam id (cissp, cism, issmp, gslc)")->required();
    c.exam->add_option("--items", o.items, "number of items (default: the real exam's)")->check(CLI::Range(1, 1000));
    c.exam->add_option("--minutes", o.minutes, "time allowed (default: the real exam's)")->check(CLI::Range(1, 1440));
    c.exam->add_option("--domain", o.domain, "a domain quiz under the exam's rules, e.g. d3");
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

// `optimize --from FILE`: histories from a file, days in UTC rolling over at CERTDRILL_DAY_START.
int run_optimize_from(const Options& o, const app::EnvLookup& env, Io io) {
    DayCounter days = app::make_day_counter(env);
    days.utc_offset_minutes = [](UnixMs) { return 0; };
    const OptimizeOutput output{io.out, io.err, o.json, io.err_is_terminal};
    if (*o.optimize_from == "-") return optimize_from(io.in, days, output);
    std::ifstream in(*o.optimize_from);
    if (!in) throw app::data_error("cannot open '" + *o.optimize_from + "'", "check the path");
    return optimize_from(in, days, output);
}

int run_optimize(Runtime& runtime, const Options& o, Io io) {
    std::string error;
    const Exam* chosen = app::resolve_exam(runtime.library(), runtime.store(), o.exam, error);
    if (!chosen) throw app::usage_error(error, "pass --exam with one of the ids above");
    return optimize_exam_command(runtime.services(), chosen->id, o.reset, {io.out, io.err, o.json, io.err_is_terminal});
}

// `simulate` needs the decks only, not the progress database.
int run_simulate(const Options& o, const std::vector<fs::path>& dirs, Io io) {
    decks::Diagnostics found;
    const auto loaded = decks::load_files(decks::collect_deck_files(dirs, found));
    const Exam* chosen = loaded.library.exam(*o.exam);
    if (!chosen) {
        std::string ids;
        for (const auto& e : loaded.library.exams) ids += " " + e.id;
        throw app::usage_error("unknown exam '" + *o.exam + "'", "use one of:" + ids);
    }
    SimulationConfig config;
    config.days = o.days;
    config.minutes_per_day = o.minutes.value_or(30);
    config.learners = o.learners;
    config.seed = o.seed.value_or(1);
    config.new_per_day = static_cast<std::size_t>(o.new_per_day.value_or(20));
    config.fit_learner_parameters = o.simulate_fit;
    return simulate_command(*chosen, loaded.library.cards_of(chosen->id), config, o.json, io.out, io.err,
                            io.err_is_terminal);
}

int run_replay_command(const Options& o, Io io) {
    if (o.replay_file == "-") return run_replay(io.in, io.out, io.err);
    std::ifstream in(o.replay_file);
    if (!in) throw app::data_error("cannot open '" + o.replay_file + "'", "check the path");
    return run_replay(in, io.out, io.err);
}

int run_stats(Runtime& runtime, const Options& o, Io io) {
    if (o.exam && !runtime.library().exam(*o.exam)) {
        std::string error;
        app::resolve_exam(runtime.library(), runtime.store(), o.exam, error);
        throw app::usage_error(error, "run 'certdrill stats' to see all exams");
    }
    auto figures = app::compute_stats(runtime.services(), o.exam);
    if (o.json)
        print_stats_json(figures, io.out);
    else
        print_stats_text(figures, io.out);
    return app::exit_code(app::ExitStatus::Ok);
}

int run_progress_export(Runtime& runtime, const Options& o, Io io) {
    if (!o.export_out) {
        app::export_progress(runtime.store(), io.out);
        io.out.flush();
        if (!io.out) throw app::data_error("cannot write the export to standard output");
        return app::exit_code(app::ExitStatus::Ok);
    }
    // Written beside the target and renamed over it, so a failed export never leaves half a file.
    const fs::path target = *o.export_out;
    const fs::path partial = target.string() + ".partial";
    std::size_t count = 0;
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw app::data_error("cannot write '" + partial.string() + "'", "check the path and permissions");
        count = app::export_progress(runtime.store(), out);
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(partial, ec);
            throw app::data_error("cannot write '" + partial.string() + "' (disk full?)",
                                  "free space or choose --out elsewhere");
        }
    }
    std::error_code ec;
    fs::rename(partial, target, ec);
    if (ec)
        throw app::data_error("cannot rename '" + partial.string() + "' to '" + target.string() + "': " + ec.message());
    io.err << "certdrill: exported " << count << (count == 1 ? " answer" : " answers") << " to "
           << text::sanitize(target.string()) << '\n';
    return app::exit_code(app::ExitStatus::Ok);
}

void print_import_report(const app::ImportReport& report, std::ostream& out) {
    out << "imported " << report.added << (report.added == 1 ? " answer" : " answers") << " (" << report.already_present
        << " already present) into " << report.cards_rebuilt << (report.cards_rebuilt == 1 ? " card" : " cards")
        << '\n';
    if (report.unknown_cards.empty()) return;
    out << report.unknown_cards.size() << (report.unknown_cards.size() == 1 ? " card is" : " cards are")
        << " in no loaded deck; their answers were kept and count once the deck is added:";
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < report.unknown_cards.size() && i < kShown; ++i)
        out << ' ' << text::sanitize(report.unknown_cards[i]);
    if (report.unknown_cards.size() > kShown) out << " ...";
    out << '\n';
}

int run_progress_import(Runtime& runtime, const Options& o, Io io) {
    std::ifstream file;
    if (o.import_file != "-") {
        file.open(o.import_file, std::ios::binary);
        if (!file) throw app::data_error("cannot open '" + o.import_file + "'", "check the path");
    }
    const app::ImportReport report = app::import_progress(runtime.services(), o.import_file == "-" ? io.in : file);
    if (report.bad_lines > 0) {
        for (const auto& e : report.errors)
            io.err << "certdrill: " << text::sanitize(o.import_file) << ": " << e << '\n';
        throw app::data_error("nothing was imported: the file has " + std::to_string(report.bad_lines) +
                                  (report.bad_lines == 1 ? " bad line" : " bad lines"),
                              "fix or remove those lines (see docs/schema/progress.schema.json), then import again");
    }
    print_import_report(report, io.out);
    return app::exit_code(app::ExitStatus::Ok);
}

const Exam& chosen_exam(Runtime& runtime, const Options& o) {
    std::string error;
    const Exam* chosen = app::resolve_exam(runtime.library(), runtime.store(), o.exam, error);
    if (!chosen) throw app::usage_error(error, "pass --exam with one of the ids above");
    if (o.domain && !chosen->domain(*o.domain)) {
        std::string ids;
        for (const auto& d : chosen->domains) ids += " " + d.id;
        throw app::usage_error("exam " + chosen->id + " has no domain '" + *o.domain + "'", "use one of:" + ids);
    }
    return *chosen;
}

// A class report's item statistics (`class report --json`: {"items": [{"id", "n", "p", ...}]}).
app::Calibration load_calibration(const std::string& path) {
    const std::string fix = "give the JSON written by 'certdrill class report --json'";
    std::ifstream in(path);
    if (!in) throw app::data_error("cannot open calibration file '" + path + "'", "check the path");
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw app::data_error("calibration file '" + path + "' is not valid JSON: " + e.what(), fix);
    }
    if (!root.is_object() || !root.contains("items") || !root["items"].is_array())
        throw app::data_error("calibration file '" + path + "' has no \"items\" list", fix);
    app::Calibration out;
    for (const auto& item : root["items"]) {
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("n") ||
            !item["n"].is_number_integer() || !item.contains("p") || !item["p"].is_number())
            throw app::data_error("calibration file '" + path + "': each item needs \"id\", \"n\" and \"p\"", fix);
        const double p = item["p"].get<double>();
        const long long n = item["n"].get<long long>();
        const std::string id = item["id"].get<std::string>();
        if (!(p >= 0 && p <= 1) || n < 0)
            throw app::data_error("calibration file '" + path + "': item '" + text::sanitize(id) +
                                      "' has p outside 0-1 or a negative n", fix);
        out[id] = cat::ClassItemStat{static_cast<int>(std::min<long long>(n, 1000000)), p};
    }
    return out;
}

// The full-screen trainer, or a plain study session or mock exam.
int run_trainer(Runtime& runtime, const Commands& c, const Options& o, std::uint64_t seed, const app::EnvLookup& env,
                Io io) {
    app::Services services = runtime.services();
    tui::TuiOptions tui_options;
    tui_options.color = !env("NO_COLOR");
    if (!runtime.notices().empty()) tui_options.notice = runtime.notices().front();
    if (*c.study) {
        const Exam& exam = chosen_exam(runtime, o);
        app::StudyOptions so{exam.id, o.domain, o.limit, o.minutes, static_cast<std::size_t>(*o.new_per_day), seed};
        if (o.plain) return run_plain_study(services, so, io.in, io.out);
        tui_options.start = tui::StartScreen::Study;
        tui_options.study = so;
    } else if (*c.exam) {
        const Exam& exam = chosen_exam(runtime, o);
        app::MockOptions mo{exam.id, o.items, o.minutes, seed, o.domain, o.linear, {}};
        if (o.calibration) mo.calibration = load_calibration(*o.calibration);
        if (o.plain) return run_plain_exam(services, mo, io.in, io.out);
        tui_options.start = tui::StartScreen::Exam;
        tui_options.mock = mo;
    } else {
        // The home screen opens on the configured exam, else on the exam studied last.
        std::string ignored;
        const Exam* start = app::resolve_exam(runtime.library(), runtime.store(), o.exam, ignored);
        if (!start) start = app::resolve_exam(runtime.library(), runtime.store(), std::nullopt, ignored);
        if (start) tui_options.study.exam_id = start->id;
    }
    if (!io.interactive)
        throw app::usage_error("the full-screen trainer needs a terminal on standard input and output",
                               "run it in a terminal, or use 'certdrill study --plain' / 'certdrill exam ID --plain'");
    tui_options.study.seed = tui_options.mock.seed = seed;
    return tui::run_tui(services, tui_options, io.err);
}

// `certdrill help [SUBCOMMAND...]`, read before parsing: the topic words are subcommand names,
// which the parser would otherwise take as commands to run.
int run_help(const CLI::App& cli, const std::vector<std::string>& topic_words, Io io) {
    const CLI::App* topic = &cli;
    std::string usage_name = cli.get_name();
    for (const auto& name : topic_words) {
        try {
            topic = topic->get_subcommand(name);
            usage_name += " " + name;
        } catch (const CLI::OptionNotFound&) {
            throw app::usage_error("no subcommand '" + name + "'", "run 'certdrill help' to list them");
        }
    }
    // The formatter directly: App::help() would describe a parsed subcommand instead.
    io.out << topic->get_formatter()->make_help(topic, usage_name, CLI::AppFormatMode::Normal);
    return app::exit_code(app::ExitStatus::Ok);
}

// The settings file, or a usage error listing each problem as file:line:column.
decks::UserConfig load_settings(const app::EnvLookup& env, std::ostream& err) {
    const auto file = app::config_path(env);
    if (!file) return {};
    const auto home = env("HOME");
    auto result = decks::read_config(*file, home ? fs::path(*home) : fs::path());
    if (result.errors.empty()) return result.config;
    for (const auto& e : result.errors) err << e << '\n';
    throw app::usage_error("the settings file " + file->string() + " has " + std::to_string(result.errors.size()) +
                               (result.errors.size() == 1 ? " problem" : " problems"),
                           "fix it (see docs/schema/config.schema.json), or move it aside to use the defaults");
}

int run_command(const CLI::App& cli, const Commands& c, Options o, const char* argv0, const app::EnvLookup& process_env,
                Io io) {
    if (*c.help) return run_help(cli, c.help->remaining(), io);  // after global options
    const decks::UserConfig settings = load_settings(process_env, io.err);
    const app::EnvLookup env = app::with_settings(process_env, settings);
    if (!o.new_per_day) o.new_per_day = settings.new_cards_per_day.value_or(20);
    if (!o.exam && (*c.study || !*c.stats)) o.exam = settings.default_exam;
    std::vector<fs::path> extra_decks;
    if (!process_env("CERTDRILL_DECKS")) extra_decks = settings.deck_dirs;
    extra_decks.insert(extra_decks.end(), o.decks.begin(), o.decks.end());
    const auto dirs = app::deck_dirs(executable_path(argv0), env, extra_decks);
    if (*c.validate)
        return validate_command({o.validate_paths.begin(), o.validate_paths.end()}, dirs, io.out, io.err, o.lint);
    if (*c.replay) return run_replay_command(o, io);
    if (*c.optimize && o.optimize_from) return run_optimize_from(o, env, io);
    if (*c.simulate) return run_simulate(o, dirs, io);
    if (*c.new_deck) return new_deck_command(o.new_exam, o.new_id, o.out_dir, dirs, io.out, io.err);
    if (*c.class_report) return class_report_command(o.report, io.out, io.err);
    if (*c.import_csv) return import_csv_command(o.import, dirs, io.out, io.err);
    if (*c.import_apkg) return import_apkg_command(o.import, dirs, io.out, io.err);
    if (*c.export_apkg) return export_apkg_command(o.export_apkg, dirs, app::make_clock(env)(), io.out, io.err);

    if (*c.check) return check_command(o.db ? fs::path(*o.db) : store::default_db_path(env), io.out, io.err);

    auto runtime = Runtime::open({o.db, dirs, settings.desired_retention}, env, io.err);
    if (!o.deck_ids.empty()) runtime->restrict_to_decks(o.deck_ids);
    if (*c.results_export)
        return results_export_command(runtime->services(),
                                      {o.out_file, o.exam, o.deck_ids, o.name, o.seed.value_or(app::random_seed())},
                                      io.out, io.err);
    if (*c.stats) return run_stats(*runtime, o, io);
    if (*c.optimize) return run_optimize(*runtime, o, io);
    if (*c.plan) return plan_command(runtime->services(), chosen_exam(*runtime, o), o.exam_date, o.clear_date, io.out);
    if (*c.progress_export) return run_progress_export(*runtime, o, io);
    if (*c.progress_import) return run_progress_import(*runtime, o, io);
    return run_trainer(*runtime, c, o, o.seed.value_or(app::random_seed()), env, io);
}

}  // namespace

int run(int argc, char** argv, const app::EnvLookup& env, Io io) {
    CLI::App cli{"certdrill: a terminal trainer for security certification exams (CISSP, CISM, GSLC, CISSP-ISSMP)",
                 "certdrill"};
    cli.set_version_flag("--version", std::string("certdrill ") + CERTDRILL_VERSION);
    cli.fallthrough();
    Options o;
    const Commands commands = define_commands(cli, o);

    if (argc >= 2 && std::string_view(argv[1]) == "help") {
        try {
            return run_help(cli, std::vector<std::string>(argv + 2, argv + argc), io);
        } catch (const app::AppError& e) {
            print_error(io.err, e.what(), e.fix());
            return app::exit_code(e.status());
        }
    }

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; every usage error exits 2, as command-line tools do.
        return cli.exit(e, io.out, io.err) == 0 ? app::exit_code(app::ExitStatus::Ok)
                                                : app::exit_code(app::ExitStatus::Usage);
    }

    try {
        return run_command(cli, commands, o, argc > 0 ? argv[0] : "certdrill", env, io);
    } catch (const app::AppError& e) {
        print_error(io.err, e.what(), e.fix());
        return app::exit_code(e.status());
    } catch (const store::StoreError& e) {
        print_error(io.err, e.what(), e.fix());
        return app::exit_code(app::ExitStatus::DataError);
    } catch (const std::invalid_argument& e) {
        // What the use cases refuse here is decided by the decks and the stored progress.
        print_error(io.err, e.what());
        return app::exit_code(app::ExitStatus::DataError);
    }
}

}  // namespace certdrill::cli
