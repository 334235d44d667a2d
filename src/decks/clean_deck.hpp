#pragma once
// Reads a deck file that has nothing to report, without building a JSON document: simdjson's On
// Demand parser walks the text once and the cards are filled in as it goes. It only tells
// whether a file is clean; it never explains. Anything the checking reader (JsonDocument and
// read_deck) would report — a syntax error, a repeated key, an unknown field, a value of the
// wrong type or out of range, a warning — makes it give up on the file, and the loader reads that
// file again through the checking reader, which says where and why. A file it accepts yields
// exactly what the checking reader gives for it. Internal to the decks layer; simdjson stays in
// clean_deck.cpp.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "decks/deck_content.hpp"
#include "decks/loader.hpp"

namespace certdrill::decks {

// Bytes the text needs past its end (the parser reads ahead in blocks): reserve them.
constexpr std::size_t kCleanDeckPadding = 64;

class CleanDeckReader {
public:
    CleanDeckReader();
    ~CleanDeckReader();
    CleanDeckReader(const CleanDeckReader&) = delete;
    CleanDeckReader& operator=(const CleanDeckReader&) = delete;

    // The deck in `text` (the file `file`, read against the loaded blueprints `exams`), or nothing
    // when the file has anything to report. `text` is used as a buffer and left as it was given;
    // `summary` is filled in only for a deck read here. Without `keep_texts` each card keeps only
    // its stem of its texts (the others are checked, then let go).
    std::optional<DeckContent> read(std::string& text, const std::string& file, const std::vector<const Exam*>& exams,
                                    FileSummary& summary, bool keep_texts = true);

private:
    struct Parser;
    std::unique_ptr<Parser> parser_;  // kept between files: its buffers grow once
};

}  // namespace certdrill::decks
