#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <nlohmann/json.hpp>

#include "app/errors.hpp"
#include "app/progress_sync.hpp"
#include "app/stats.hpp"
#include "cli/check_command.hpp"
#include "cli/class_report.hpp"
#include "cli/commands.hpp"
#include "cli/deck_output.hpp"
#include "cli/import_commands.hpp"
#include "cli/new_deck_command.hpp"
#include "cli/optimize_command.hpp"
#include "cli/output_check.hpp"
#include "cli/plain_mode.hpp"
#include "cli/plan_command.hpp"
#include "app/replay.hpp"
#include "cli/results_command.hpp"
#include "cli/runtime.hpp"
#include "cli/simulate_command.hpp"
#include "cli/stats_command.hpp"
#include "cli/validate_command.hpp"
#include "decks/config_reader.hpp"
#include "decks/json_message.hpp"
#include "core/text.hpp"
#include "decks/library_cache.hpp"
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

// The cache of loaded decks for this run: off with --no-cache or when no directory can be named
// for it. Entries belong to this build of the program (its version and the size and time of its
// executable), so a rebuilt or upgraded certdrill never reads what another build wrote.
decks::CacheSettings library_cache(const Options& o, const fs::path& executable, const app::EnvLookup& env) {
    const auto dir = app::cache_dir(env);
    if (o.no_cache || !dir) return {};
    std::error_code size_ec, time_ec;
    const auto size = fs::file_size(executable, size_ec);
    const auto built = fs::last_write_time(executable, time_ec);
    if (size_ec || time_ec) return {};
    return {*dir, std::string("certdrill ") + CERTDRILL_VERSION + " " + std::to_string(size) + " " +
                      std::to_string(built.time_since_epoch().count())};
}

// Opens a file named on the command line for reading. A directory (whose read would fail part
// way with the library's message) or a path that cannot be opened is a data error naming it.
std::ifstream open_input(const std::string& path, std::ios::openmode mode = std::ios::in) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status))
        throw app::data_error("'" + path + "' is a directory, not a file", "give the path of a file");
    std::ifstream in(path, mode);
    if (!in) {
        const std::string why = ec ? ec.message() : std::strerror(errno);
        throw app::data_error("cannot open '" + path + "': " + why, "check the path");
    }
    return in;
}

// `optimize --from FILE`: histories from a file, days in UTC rolling over at CERTDRILL_DAY_START.
int run_optimize_from(const Options& o, const app::EnvLookup& env, Io io) {
    DayCounter days = app::make_day_counter(env);
    days.utc_offset_minutes = [](UnixMs) { return 0; };
    const OptimizeOutput output{io.out, io.err, o.json, io.err_is_terminal};
    if (*o.optimize_from == "-") return optimize_from(io.in, days, output);
    std::ifstream in = open_input(*o.optimize_from);
    return optimize_from(in, days, output);
}

int run_optimize(Runtime& runtime, const Options& o, Io io) {
    const Exam& chosen = app::choose_exam(runtime.library(), runtime.store(), o.exam, o.exam_source);
    return optimize_exam_command(runtime.services(), chosen.id, o.reset, {io.out, io.err, o.json, io.err_is_terminal});
}

// `simulate` needs the decks only, not the progress database.
int run_simulate(const Options& o, const std::vector<fs::path>& dirs, const decks::CacheSettings& cache, Io io) {
    decks::Diagnostics found;
    const auto loaded = decks::load_files_cached(decks::collect_deck_files(dirs, found), {{}, false}, cache).result;
    const Exam& chosen = app::require_exam(loaded.library, *o.exam, o.exam_source);
    SimulationConfig config;
    config.days = o.days;
    config.minutes_per_day = o.minutes.value_or(30);
    config.learners = o.learners;
    config.seed = o.seed.value_or(1);
    config.new_per_day = static_cast<std::size_t>(o.new_per_day.value_or(20));
    config.fit_learner_parameters = o.simulate_fit;
    return simulate_command(chosen, loaded.library.cards_of(chosen.id), config, o.json, io.out, io.err,
                            io.err_is_terminal);
}

int run_replay_command(const Options& o, Io io) {
    if (o.replay_file == "-") return app::run_replay(io.in, io.out, io.err);
    std::ifstream in = open_input(o.replay_file);
    return app::run_replay(in, io.out, io.err);
}

// The exam named on the command line as its id, or nothing when none is named.
std::optional<std::string> named_exam_id(const Library& library, const Options& o) {
    if (!o.exam) return std::nullopt;
    return app::require_exam(library, *o.exam, o.exam_source).id;
}

int run_stats(Runtime& runtime, const Options& o, Io io) {
    auto figures = app::compute_stats(runtime.services(), named_exam_id(runtime.library(), o));
    if (o.json)
        print_stats_json(figures, io.out);
    else
        print_stats_text(figures, io.out);
    return app::exit_code(app::ExitStatus::Ok);
}

int run_progress_export(Runtime& runtime, const Options& o, Io io) {
    if (!o.export_out) {
        app::export_progress(runtime.store(), io.out);  // its writing is checked by run()
        return app::exit_code(app::ExitStatus::Ok);
    }
    // A new file only, like every file certdrill writes: an existing one (the progress database
    // itself, a device, a link) is never replaced, and a failed export leaves nothing behind.
    const fs::path target = *o.export_out;
    std::size_t count = 0;
    write_new_output(
        target, [&](std::ostream& out) { count = app::export_progress(runtime.store(), out); },
        "choose another --out file, or move the existing one away");
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
        file = open_input(o.import_file, std::ios::binary);
    }
    const app::ImportReport report = app::import_progress(runtime.services(), o.import_file == "-" ? io.in : file);
    if (report.from_the_future > 0) {
        for (const auto& e : report.errors)
            io.err << "certdrill: " << text::sanitize(o.import_file) << ": " << e << '\n';
        throw app::data_error("nothing was imported: " + std::to_string(report.from_the_future) +
                                  (report.from_the_future == 1 ? " answer is" : " answers are") +
                                  " dated more than a day after this machine's clock",
                              "check the clock of the machine that exported them (and this one's), then import again");
    }
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
    return app::choose_exam(runtime.library(), runtime.store(), o.exam, o.exam_source);
}

// The domain named by --domain as the exam's domain id, or nothing when none is named.
std::optional<std::string> chosen_domain(const Exam& exam, const Options& o) {
    if (!o.domain) return std::nullopt;
    return app::require_domain(exam, *o.domain, app::kDomainOption).id;
}

// A class report's item statistics (`class report --json`: {"items": [{"id", "n", "p", ...}]}).
app::Calibration load_calibration(const std::string& path) {
    const std::string fix = "give the JSON written by 'certdrill class report --json'";
    std::ifstream in = open_input(path);
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {  // the message's position is the byte's
        throw app::data_error("calibration file '" + path + "' is not valid JSON at byte " + std::to_string(e.byte) +
                                  ": " + decks::clean_parse_message(e.what()),
                              fix);
    } catch (const nlohmann::json::exception& e) {  // a number out of range
        throw app::data_error("calibration file '" + path + "' is not valid JSON: " + decks::without_library_tag(e.what()),
                              fix);
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

// A leak checker (AddressSanitizer's) would report the runtime left unfreed below as a leak and
// fail the program, so such builds free it as usual.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kLeaksReported = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kLeaksReported = true;
#else
constexpr bool kLeaksReported = false;
#endif
#else
constexpr bool kLeaksReported = false;
#endif

// See Io::exiting_after_run: closes the database, then drops the runtime without freeing it.
struct LeaveRuntimeAtExit {
    std::unique_ptr<Runtime>& runtime;
    bool exiting;
    ~LeaveRuntimeAtExit() {
        if (!exiting || !runtime) return;
        runtime->close_store();
        if (!kLeaksReported) static_cast<void>(runtime.release());
    }
};

// The full-screen trainer, or a plain study session or mock exam.
int run_trainer(Runtime& runtime, const Commands& c, const Options& o, std::uint64_t seed, const app::EnvLookup& env,
                Io io) {
    app::Services services = runtime.services();
    tui::TuiOptions tui_options;
    tui_options.color = !env("NO_COLOR");
    if (!runtime.notices().empty()) tui_options.notice = runtime.notices().front();
    if (*c.study) {
        // With no exam named and none to carry on from, the home screen asks which one.
        const Exam* exam = app::study_exam(runtime.library(), runtime.store(), o.exam, o.exam_source, !o.plain);
        tui_options.study = app::StudyOptions{exam ? exam->id : "", exam ? chosen_domain(*exam, o) : std::nullopt,
                                              o.limit, o.minutes, static_cast<std::size_t>(*o.new_per_day), seed};
        if (o.plain) return run_plain_study(services, tui_options.study, io.in, io.out);
        if (exam) tui_options.start = tui::StartScreen::Study;
    } else if (*c.exam) {
        const Exam& exam = chosen_exam(runtime, o);
        app::MockOptions mo{exam.id, o.items, o.minutes, seed, chosen_domain(exam, o), o.linear, {}};
        if (o.calibration) mo.calibration = load_calibration(*o.calibration);
        if (o.plain) return run_plain_exam(services, mo, io.in, io.out);
        tui_options.start = tui::StartScreen::Exam;
        tui_options.mock = mo;
    } else {
        // The home screen opens on the configured exam, else on the exam studied last.
        const Exam* start = o.exam ? app::match_exam(runtime.library(), *o.exam) : nullptr;
        if (!start) start = app::implied_exam(runtime.library(), runtime.store());
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
    if (*c.exam) o.exam_source = app::kExamArgument;
    // --deck names the decks and with them the exam: the settings' default exam does not apply.
    if (!o.exam && o.deck_ids.empty() && (*c.study || !*c.stats) && settings.default_exam) {
        o.exam = settings.default_exam;
        o.exam_source = app::kSettingsExam;
    }
    std::vector<fs::path> extra_decks;
    if (!process_env("CERTDRILL_DECKS")) extra_decks = settings.deck_dirs;
    extra_decks.insert(extra_decks.end(), o.decks.begin(), o.decks.end());
    const fs::path executable = executable_path(argv0);
    const auto dirs = app::deck_dirs(executable, env, extra_decks);
    const decks::CacheSettings cache = library_cache(o, executable, env);
    if (*c.validate)
        return validate_command({o.validate_paths.begin(), o.validate_paths.end()}, dirs, io.out, io.err, o.lint);
    if (*c.replay) return run_replay_command(o, io);
    if (*c.optimize && o.optimize_from) return run_optimize_from(o, env, io);
    if (*c.simulate) return run_simulate(o, dirs, cache, io);
    if (*c.new_deck) return new_deck_command(o.new_exam, o.new_id, o.out_dir, dirs, io.out, io.err);
    if (*c.class_report) return class_report_command(o.report, io.out, io.err);
    if (*c.import_csv) return import_csv_command(o.import, dirs, io.out, io.err);
    if (*c.import_apkg) return import_apkg_command(o.import, dirs, io.out, io.err);
    if (*c.export_apkg) return export_apkg_command(o.export_apkg, dirs, app::make_clock(env)(), io.out, io.err);

    if (*c.check) return check_command(o.db ? fs::path(*o.db) : store::default_db_path(env), io.out, io.err);

    // The statistics are figures about cards, never their texts: those are not read at all.
    const auto card_texts = *c.stats ? decks::CardTexts::LeftOut : decks::CardTexts::Kept;
    auto runtime = Runtime::open({o.db, dirs, settings.desired_retention, cache, card_texts}, env, io.err);
    // Declared after `runtime`, so it runs first when the command returns or throws.
    const LeaveRuntimeAtExit leave{runtime, io.exiting_after_run};
    if (!o.deck_ids.empty()) runtime->restrict_to_decks(o.deck_ids, o.exam, o.exam_source);
    if (*c.results_export)
        return results_export_command(runtime->services(),
                                      {o.out_file, named_exam_id(runtime->library(), o), o.deck_ids, o.name, o.seed.value_or(app::random_seed())},
                                      io.out, io.err);
    if (*c.stats) return run_stats(*runtime, o, io);
    if (*c.optimize) return run_optimize(*runtime, o, io);
    if (*c.plan) return plan_command(runtime->services(), chosen_exam(*runtime, o), o.exam_date, o.clear_date, io.out);
    if (*c.progress_export) return run_progress_export(*runtime, o, io);
    if (*c.progress_import) return run_progress_import(*runtime, o, io);
    return run_trainer(*runtime, c, o, o.seed.value_or(app::random_seed()), env, io);
}

// run() without the check of standard output.
int run_unchecked(int argc, char** argv, const app::EnvLookup& env, Io io) {
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
    } catch (const std::bad_alloc&) {
        print_error(io.err, "out of memory", "close other programs, or study fewer decks at once (--deck)");
        return app::exit_code(app::ExitStatus::DataError);
    } catch (const std::exception& e) {
        // Anything else (e.g. a file system error) is still caught here rather than left to
        // std::terminate, so the stack unwinds and the progress database is closed cleanly; every
        // answer was already committed when it was given.
        print_error(io.err, "unexpected error: " + text::sanitize(e.what()),
                    "your answers so far are saved; run 'certdrill check', and report this if it happens again");
        return app::exit_code(app::ExitStatus::DataError);
    }
}

}  // namespace

int run(int argc, char** argv, const app::EnvLookup& env, Io io) {
    // Every command's output is checked here, once it returns: a full disk or a closed
    // descriptor makes it a data error (ncurses writes the full-screen trainer itself). A reader
    // that goes away ends the program by SIGPIPE first, as with any command-line tool.
    OutputCheck output(io.out);
    return output.finish(run_unchecked(argc, argv, env, io), io.err);
}

}  // namespace certdrill::cli
