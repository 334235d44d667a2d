#pragma once
#include <filesystem>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace certdrill::cli {

struct ImportOptions {
    std::string file;
    std::string exam_id;
    std::string deck_id;
    std::filesystem::path out_dir = ".";
    bool skip_bad = false;  // csv: write the valid rows and say which were skipped
    std::string domain;     // apkg: domain for notes without a domain tag (default: the first)
};

// `certdrill import csv`: every bad row is reported as FILE:ROW: error: ...; nothing is written
// unless every row is valid, or --skip-bad is given.
int import_csv_command(const ImportOptions& options, const std::vector<std::filesystem::path>& deck_dirs,
                       std::ostream& out, std::ostream& err);

// `certdrill import apkg`: Basic and Basic-and-reversed notes become flashcards; the rest is
// reported and skipped. The package itself is only read.
int import_apkg_command(const ImportOptions& options, const std::vector<std::filesystem::path>& deck_dirs,
                        std::ostream& out, std::ostream& err);

struct ExportApkgOptions {
    std::string exam_id;
    std::vector<std::string> decks;
    std::string out_file;
};

// `certdrill export apkg`: the exam's flashcards (of the given decks) as an Anki package.
int export_apkg_command(const ExportApkgOptions& options, const std::vector<std::filesystem::path>& deck_dirs,
                        std::int64_t now_ms, std::ostream& out, std::ostream& err);

}  // namespace certdrill::cli
