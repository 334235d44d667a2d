#pragma once
// The built-in decks (decks/ in the source tree), loaded once and shared by the tests that need
// the real blueprints and content.
#include <filesystem>

#include "decks/loader.hpp"

namespace certdrill::testing {

inline const std::filesystem::path kBuiltinDecks = std::filesystem::path(CERTDRILL_SOURCE_DIR) / "decks";

inline const decks::LoadResult& builtin_decks() {
    static const decks::LoadResult result = [] {
        decks::Diagnostics discovery;
        return decks::load_files(decks::collect_deck_files({kBuiltinDecks}, discovery));
    }();
    return result;
}

}  // namespace certdrill::testing
