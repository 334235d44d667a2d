#pragma once
// The fixture blueprint (testexam: d1 60%, d2 40%; linear, revisits allowed, 10 items,
// 20 minutes, 70% to pass) with the fixture deck: 14 questions, 3 of them multi-select, and
// 4 flashcards. Loaded once and shared by the use-case tests.
#include <doctest/doctest.h>

#include <filesystem>

#include "core/model.hpp"
#include "decks/loader.hpp"

namespace certdrill::testing {

inline const Library& fixture_library() {
    static const Library lib = [] {
        const std::filesystem::path data = CERTDRILL_TEST_DATA;
        decks::Diagnostics found;
        auto files = decks::collect_deck_files({data / "fixture-exam", data / "fixture-decks"}, found);
        auto result = decks::load_files(files);
        REQUIRE(found.items.empty());
        REQUIRE(result.diagnostics.error_count() == 0);
        return result.library;
    }();
    return lib;
}

}  // namespace certdrill::testing
