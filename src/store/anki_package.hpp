#pragma once
// Anki packages (.apkg): a zip holding an Anki collection, an SQLite database in Anki's
// schema 11 ("collection.anki2", or "collection.anki21" from newer Anki), and a "media" map.
// Reading takes the notes with their note type; writing makes a package of Basic notes that
// Anki, AnkiDroid and AnkiMobile import. The zip is read and written with minizip.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace certdrill::store {

// A package that cannot be read or written; the message names the problem and the fix.
class AnkiPackageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Writing refused because the package file already exists (a name the user chose).
class AnkiPackageExists : public AnkiPackageError {
public:
    using AnkiPackageError::AnkiPackageError;
};

struct AnkiNote {
    std::int64_t id = 0;
    std::string guid;
    std::string note_type;  // the model's name, e.g. "Basic (and reversed card)"
    bool cloze = false;     // the model is a cloze type
    int templates = 0;      // cards each note makes
    int cards = 0;          // cards of the note in the collection
    std::vector<std::string> field_names;
    std::vector<std::string> fields;  // HTML, as Anki stores it
    std::vector<std::string> tags;
};

// Notes in the order stored. Throws AnkiPackageError.
std::vector<AnkiNote> read_anki_package(const std::filesystem::path& apkg);

struct AnkiExportNote {
    std::string guid;        // stable, so importing again updates the note instead of adding one
    std::string front_html;
    std::string back_html;
    std::vector<std::string> tags;
};

// Writes a new package with one deck of Basic notes. Never replaces an existing file: throws
// AnkiPackageExists when `apkg` exists, AnkiPackageError when it cannot be written.
void write_anki_package(const std::filesystem::path& apkg, const std::string& deck_name,
                        const std::vector<AnkiExportNote>& notes, UnixMs now);

}  // namespace certdrill::store
