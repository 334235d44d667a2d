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

// The fixture exam under CISSP-like adaptive rules, scaled down to its 14 questions.
inline const Library& adaptive_fixture_library() {
    static const Library lib = [] {
        Library copy = fixture_library();
        ExamFormat& f = copy.exams.at(0).format;
        f.adaptive = true;
        f.revisit = false;
        f.items_min = 8;
        f.items_max = 12;
        f.cat.pretest_items = 2;
        f.cat.time_rule_items = 6;
        f.scoring.report = "adaptive";
        return copy;
    }();
    return lib;
}

}  // namespace certdrill::testing
