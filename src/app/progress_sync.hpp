#pragma once
// Moving progress between machines: `certdrill progress export` writes the review log as JSON
// Lines, and `certdrill progress import` merges such a file into this machine's log. The format
// is documented in docs/schema/progress.schema.json and docs/progress-sync.md.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "app/services.hpp"

namespace certdrill::app {

// Writes every answer in the log, oldest first, one JSON object a line. Returns how many.
std::size_t export_progress(const store::ProgressStore& store, std::ostream& out);

struct ImportReport {
    std::size_t lines = 0;             // non-blank lines read
    std::size_t added = 0;             // answers new to this machine
    std::size_t already_present = 0;  // answers whose id was already in the log (or twice in the file)
    std::size_t cards_rebuilt = 0;    // cards whose memory state was replayed
    std::vector<std::string> unknown_cards;  // ids no loaded deck has; their answers are kept all the same
    std::size_t bad_lines = 0;               // nothing is imported when there is any
    std::size_t from_the_future = 0;         // new answers dated after now; nothing is imported either
    std::vector<std::string> errors;         // "line N: reason", for the first 100 bad lines (or future answers)
};

// Reads an export without touching any store: the answers of the good lines, in file order;
// `report` gets the line count, repeats within the file and one error per bad line.
std::vector<store::ReviewRecord> read_export(std::istream& in, ImportReport& report);

// Reads a whole export, then merges it in one transaction: answers already present (same id)
// are skipped, and every card that gains answers has its memory state replayed through FSRS
// over its whole log in time order, so it ends as if every answer had been given on one
// machine. A file with any bad line changes nothing.
ImportReport import_progress(const Services& services, std::istream& in);

}  // namespace certdrill::app
