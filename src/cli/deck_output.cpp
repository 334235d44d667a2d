#include "cli/deck_output.hpp"

#include <algorithm>
#include <ostream>

#include "cli/runtime.hpp"
#include "core/text.hpp"
#include "decks/deck_writer.hpp"
#include "decks/json_message.hpp"
#include "decks/loader.hpp"

namespace certdrill::cli {

namespace fs = std::filesystem;

Library load_library_quietly(const std::vector<fs::path>& deck_dirs) {
    decks::Diagnostics ignored;
    return decks::load_files(decks::collect_deck_files(deck_dirs, ignored), {{}, false}).library;
}

namespace {

// The id as typed, shown so that what it holds can be seen: escaped as JSON when it has control
// or non-ASCII characters (which would otherwise be dropped or drawn as something else), cut
// short when long.
std::string shown_id(const std::string& id) {
    constexpr std::size_t kShown = 40;
    const std::string_view shown = std::string_view(id).substr(0, kShown);
    const bool plain = std::all_of(shown.begin(), shown.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (!plain) return decks::json_quoted(id, kShown);
    return "'" + std::string(shown) + "'" + (id.size() > kShown ? "..." : "");
}

// What is wrong with an id decks::is_valid_id refuses, as specifically as can be said.
std::string id_problem(const std::string& id) {
    if (id.empty()) return "is empty";
    if (id.size() > decks::kMaxIdLength)
        return "is " + std::to_string(id.size()) + " bytes long; the most is " + std::to_string(decks::kMaxIdLength);
    const char first = id.front();
    if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9')))
        return "must start with a lower-case letter or a digit";
    return "may use only lower-case letters, digits, '.', '_' and '-'";
}

}  // namespace

void check_new_deck_id(const Library& library, const std::string& deck_id) {
    if (!decks::is_valid_id(deck_id))
        throw app::usage_error("deck id " + shown_id(deck_id) + " " + id_problem(deck_id), "e.g. acme-cism-2027");
    for (const auto& d : library.decks)
        if (d.id == deck_id) throw app::usage_error("deck id '" + deck_id + "' is already used by " + d.file,
                                                    "choose another id");
}

void write_new_output(const fs::path& file, const std::string& text, const std::string& exists_fix) {
    write_new_output(
        file, [&text](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); },
        exists_fix);
}

void write_new_output(const fs::path& file, const std::function<void(std::ostream&)>& write,
                      const std::string& exists_fix) {
    std::string error;
    switch (decks::create_new_file(file, write, error)) {
        case decks::NewFile::Written:
            return;
        case decks::NewFile::Exists:
            throw app::usage_error(error, exists_fix);
        case decks::NewFile::Failed:
            break;
    }
    throw app::data_error(error, "free some space, or choose a directory you can write to");
}

void write_deck(const fs::path& file, const DeckInfo& info, const std::vector<Card>& cards,
                const std::vector<fs::path>& deck_dirs, std::ostream& err) {
    write_new_output(file, decks::deck_json(info, cards), "choose another --out directory or deck id, or move the file away");
    decks::Diagnostics ignored;
    decks::LoadOptions options;
    options.context_files = decks::collect_deck_files(deck_dirs, ignored);
    options.context_files.erase(std::remove(options.context_files.begin(), options.context_files.end(), file),
                                options.context_files.end());
    auto check = decks::load_files({file}, options);
    if (!check.diagnostics.has_errors()) return;
    for (const auto& d : check.diagnostics.items)
        if (d.severity == decks::Severity::Error) err << text::sanitize(decks::format(d)) << '\n';
    std::error_code ec;
    fs::remove(file, ec);  // written just now by this command, and not valid: take it back
    throw app::data_error("the deck would not pass 'certdrill validate', so nothing was written",
                          "fix the problems above in the source and run the command again");
}

}  // namespace certdrill::cli
