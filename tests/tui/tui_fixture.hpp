#pragma once
// Shared set-up for screen and key tests: the test decks, a temporary progress store, a fixed
// clock and helpers for golden screens.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "app/services.hpp"
#include "decks/loader.hpp"
#include "store/progress_store.hpp"
#include "tui/keys.hpp"
#include "tui/router.hpp"

namespace certdrill::testing {

inline const std::filesystem::path kTuiDecks = std::filesystem::path(CERTDRILL_TEST_DATA) / "tui-decks";
// An exam whose d1 question is longer than an 80x24 screen and whose d2 item is a "choose two".
// A second deck of the test exam (2 questions, 1 flashcard), to pick decks on the home screen.
inline const std::filesystem::path kExtraDeck = std::filesystem::path(CERTDRILL_TEST_DATA) / "tui-extra-deck";
inline const std::filesystem::path kLongDecks = std::filesystem::path(CERTDRILL_TEST_DATA) / "tui-long";

struct TuiFixture {
    TempDir dir;  // declared first: removed after the store has closed
    decks::LoadResult decks;
    std::unique_ptr<store::ProgressStore> store;
    fsrs::Scheduler scheduler;
    UnixMs now = *parse_iso8601("2026-01-15T09:00:00Z");

    explicit TuiFixture(const std::vector<std::filesystem::path>& deck_dirs = {kTuiDecks}) {
        decks::Diagnostics ignored;
        decks = decks::load_files(decks::collect_deck_files(deck_dirs, ignored));
        REQUIRE(decks.diagnostics.error_count() == 0);
        store = std::make_unique<store::ProgressStore>(dir.path / "progress.db");
    }

    app::Services services() {
        return app::Services{decks.library, *store, scheduler, [this] { return now; }, utc_day_counter()};
    }

    tui::TuiOptions options(tui::StartScreen start = tui::StartScreen::Home, const std::string& exam = "testexam") {
        tui::TuiOptions o;
        o.start = start;
        o.study.exam_id = exam;
        o.study.seed = 7;
        o.mock.exam_id = exam;
        o.mock.seed = 7;
        o.color = false;
        return o;
    }
};

inline std::string screen_text(const tui::Router& c, int width = 80, int height = 24) {
    tui::ScreenBuffer buf(width, height);
    c.render(buf);
    return buf.to_text();
}

inline void send(tui::Router& c, const std::string& keys) {
    for (char k : keys)
        c.handle(k == '\r' ? static_cast<int>(tui::kEnter) : static_cast<int>(static_cast<unsigned char>(k)));
}

// Grades flashcards (Good) until a question is on screen; returns false if none comes.
inline bool skip_to_question(tui::Router& c) {
    for (int i = 0; i < 20; ++i) {
        if (c.screen() == tui::Screen::StudyQuestion) return true;
        if (c.screen() == tui::Screen::FlashFront)
            send(c, " 3");
        else if (c.screen() == tui::Screen::StudyFeedback)
            send(c, "\r");
        else
            return false;
    }
    return false;
}

// Compares with tests/data/golden/<name>.txt; CERTDRILL_UPDATE_GOLDEN=1 rewrites the file instead.
inline void check_golden(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::path(CERTDRILL_TEST_DATA) / "golden" / (name + ".txt");
    if (std::getenv("CERTDRILL_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << text;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing golden file " << path.string() << " (set CERTDRILL_UPDATE_GOLDEN=1 to create)");
    std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_MESSAGE(text == expected, "screen differs from " << path.string() << ":\n" << text);
}

}  // namespace certdrill::testing
