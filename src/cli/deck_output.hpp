#pragma once
// What the commands that write decks share (new deck, import csv, import apkg): loading the
// decks for their blueprints, checking a new deck id, and writing a deck that must validate.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "app/errors.hpp"
#include "cli/runtime.hpp"
#include "core/model.hpp"

namespace certdrill::cli {

// Runs a command body, turning an app::AppError into its message and exit status, so the
// command functions can be called (and tested) on their own.
template <class Fn>
int report_errors(std::ostream& err, Fn&& body) {
    try {
        return body();
    } catch (const app::AppError& e) {
        print_error(err, e.what(), e.fix());
        return app::exit_code(e.status());
    }
}

// The decks in `deck_dirs`, problems ignored (validate reports them).
Library load_library_quietly(const std::vector<std::filesystem::path>& deck_dirs);
// Throws a usage error unless the id is well formed and no loaded deck uses it.
void check_new_deck_id(const Library& library, const std::string& deck_id);
// Writes a new output file (decks::create_new_file): an existing file is a usage error (with
// `exists_fix`), a file that cannot be written (full disk, read-only directory) a data error.
void write_new_output(const std::filesystem::path& file, const std::string& text, const std::string& exists_fix);
// The same, with the contents streamed by `write`.
void write_new_output(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write,
                      const std::string& exists_fix);
// Writes a new deck file (never over an existing file: a usage error) and validates it against
// the decks in `deck_dirs`; a deck that fails is removed again, its problems printed to `err`,
// and a data error thrown (what was read made an invalid deck).
void write_deck(const std::filesystem::path& file, const DeckInfo& info, const std::vector<Card>& cards,
                const std::vector<std::filesystem::path>& deck_dirs, std::ostream& err);

}  // namespace certdrill::cli
