#pragma once
// Loads exam blueprints and decks from JSON files and validates them. Every problem becomes a
// Diagnostic; loading never throws on bad input. Cards and files with errors are left out of
// the resulting Library, so the trainer can still run on the rest.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "decks/diagnostic.hpp"

namespace certdrill::decks {

struct FileSummary {
    std::string file;
    std::string kind;  // "exam" or "deck"; empty when the file could not be read as either
    std::string id;
    std::string exam_id;
    std::size_t cards = 0;
    std::map<std::string, std::size_t> by_type;    // "single" -> 40
    std::map<std::string, std::size_t> by_domain;  // "d1" -> 12, in domain order when printed
    std::size_t domains = 0;
    std::size_t objectives = 0;
    double weight_sum = 0.0;
    bool weighted = true;
    bool operator==(const FileSummary&) const = default;
};

struct LoadResult {
    Library library;
    Diagnostics diagnostics;
    std::vector<FileSummary> summaries;  // one per file read, in the order given
    bool operator==(const LoadResult&) const = default;
};

// Files larger than this are refused rather than read: a real deck is far smaller.
constexpr std::uintmax_t kMaxDeckFileBytes = 64ull * 1024 * 1024;

// Expands paths: a directory yields its *.json files (recursively, sorted, hidden entries
// skipped); a file is taken as it is. A missing path is reported as an error.
std::vector<std::filesystem::path> collect_deck_files(const std::vector<std::filesystem::path>& paths,
                                                      Diagnostics& diagnostics);

struct LoadOptions {
    // Files read for their blueprints and card ids only (e.g. the built-in decks when checking a
    // user's deck): their own problems are not reported, but an id clash with them is.
    std::vector<std::filesystem::path> context_files;
    bool near_duplicate_warnings = true;
    bool lint = false;  // item-writing warnings (`validate --lint`)
    // Deck files with nothing to report are read without building a JSON document (much faster);
    // the rest through the checking parser. Off: every file through the checking parser (tests
    // compare the two).
    bool fast_read = true;
    // False: the library's cards come without their texts, as CardTexts::LeftOut leaves them (see
    // library_codec.hpp), for a command that uses only the diagnostics and summaries (`validate`).
    // The checks are the same; the texts of cleanly read cards are let go as soon as they are
    // checked, so the memory serves the next card.
    bool keep_card_texts = true;
};

// How the files of one load were read (not part of the result: a cached result is the same).
struct LoadCounts {
    std::size_t decks_read_fast = 0;  // deck files read without a JSON document (LoadOptions::fast_read)
};

LoadResult load_files(const std::vector<std::filesystem::path>& files, const LoadOptions& options = {},
                      LoadCounts* counts = nullptr);

// One line per file for `certdrill validate`, e.g.
// "decks/cissp/d1.json: ok: deck cissp-d1 (cissp): 68 cards: 63 single, 5 multi; d1 68"
std::string summary_line(const FileSummary& s, std::size_t errors, std::size_t warnings);

}  // namespace certdrill::decks
