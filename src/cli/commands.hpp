#pragma once
// Internal to the cli layer: the command line's options and subcommands, as `run` (cli.cpp)
// parses and dispatches them. Registration is in commands.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/exam_ids.hpp"
#include "cli/class_report.hpp"
#include "cli/import_commands.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace certdrill::cli {

struct Options {
    std::optional<std::string> db;
    std::vector<std::string> decks;
    std::optional<std::uint64_t> seed;
    bool no_cache = false;

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
    app::IdSource exam_source = app::kExamOption;  // where `exam` came from, for messages
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

// Registers every option and subcommand of `cli`, bound to `o`.
Commands define_commands(CLI::App& cli, Options& o);

}  // namespace certdrill::cli
