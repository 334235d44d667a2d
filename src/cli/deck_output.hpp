#pragma once
// What the commands that write decks share (new deck, import csv, import apkg): loading the
// decks for their blueprints, checking a new deck id, and writing a deck that must validate.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace certdrill::cli {

// The decks in `deck_dirs`, problems ignored (validate reports them).
Library load_library_quietly(const std::vector<std::filesystem::path>& deck_dirs);
// The exam, or nullptr after printing the known ids.
const Exam* find_exam(const Library& library, const std::string& exam_id, std::ostream& err);
// A well-formed id that no loaded deck uses; otherwise prints why and returns false.
bool check_new_deck_id(const Library& library, const std::string& deck_id, std::ostream& err);
// Writes a new deck file (never over an existing file) and validates it against the decks in
// `deck_dirs`; a deck that fails is removed again and its problems printed.
bool write_deck(const std::filesystem::path& file, const DeckInfo& info, const std::vector<Card>& cards,
                const std::vector<std::filesystem::path>& deck_dirs, std::ostream& err);

}  // namespace certdrill::cli
