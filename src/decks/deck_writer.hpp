#pragma once
// Writes decks in the format `validate` reads (docs/deck-format.md): used by `new deck` and the
// importers, so every deck certdrill writes is one a person can go on editing by hand.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "decks/diagnostic.hpp"

namespace certdrill::decks {

// True for a valid deck or card id: [a-z0-9][a-z0-9._-]*.
bool is_valid_id(std::string_view id);
inline constexpr std::size_t kMaxIdLength = 128;  // bytes; the characters allowed are all ASCII

// The deck as JSON text, two-space indented, fields in the order the format documents.
std::string deck_json(const DeckInfo& info, const std::vector<Card>& cards);

// What `validate` would say of the deck, checked against the blueprints and card ids of
// `context` files, before anything is written where the user will see it. Diagnostics name a
// temporary file; their pointers (/cards/N/...) say which card each is about.
Diagnostics check_deck(const DeckInfo& info, const std::vector<Card>& cards,
                       const std::vector<std::filesystem::path>& context);

// The card index a diagnostic pointer such as /cards/12/options/0 names, or -1.
int card_index(const std::string& pointer);

// Writes a new file through a temporary file of its own beside it (never one that was there
// before), synced and then linked into place, so a failure never leaves half a file. Refuses when
// anything exists under `file`'s name, a dangling link included: certdrill never overwrites a file
// it did not just create. Creates missing parent directories. When nothing was written, `error`
// says why, and the result whether the file existed (a name the user chose) or could not be
// written (a full disk, a read-only or missing directory, no permission).
// The contents are streamed by `write`; the file is not kept if the stream fails.
enum class NewFile { Written, Exists, Failed };
NewFile create_new_file(const std::filesystem::path& file, const std::function<void(std::ostream&)>& write,
                        std::string& error);

}  // namespace certdrill::decks
