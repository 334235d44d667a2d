#include <filesystem>
#include <fstream>

#include "tui_fixture.hpp"

namespace test_home_decks {

using namespace certdrill;
using namespace certdrill::testing;
using tui::Router;
using tui::Screen;

namespace {

// Answers and grades whatever shows until the session's summary.
void study_to_summary(Router& c) {
    for (int i = 0; i < 60 && c.screen() != Screen::StudySummary; ++i) {
        switch (c.screen()) {
            case Screen::StudyQuestion: send(c, "a\r"); break;
            case Screen::StudyFeedback: send(c, "\r"); break;
            case Screen::FlashFront: send(c, " "); break;
            case Screen::FlashBack: send(c, "3"); break;
            default: return;
        }
    }
}

// The screen's line holding `needle` (empty when none does).
std::string line_with(const std::string& screen, const std::string& needle) {
    const auto at = screen.find(needle);
    if (at == std::string::npos) return {};
    const auto begin = screen.rfind('\n', at) + 1;
    return screen.substr(begin, screen.find('\n', at) - begin);
}

}  // namespace

TEST_SUITE("home decks") {
    TEST_CASE("golden: the highlighted exam's decks, one of them excluded") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        Router c(f.services(), f.options());
        send(c, "] ");
        check_golden("home-decks-80x24", screen_text(c));
        const std::string s = screen_text(c);
        CHECK(s.find("Decks: 1 of 2 decks") != std::string::npos);
        CHECK(line_with(s, "[x] tui-deck  TUI test deck").find("(5 q, 1 fc)") != std::string::npos);
        CHECK(line_with(s, "\u25b8 [ ] tui-extra  Extra test deck").find("(2 q, 1 fc)") != std::string::npos);
    }

    TEST_CASE("Space excludes the highlighted deck, and study then shows only the chosen deck's cards") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        Router c(f.services(), f.options());
        CHECK(screen_text(c).find("Decks: all decks") != std::string::npos);
        send(c, " ");  // the cursor starts on the first deck, tui-deck
        CHECK(screen_text(c).find("Decks: 1 of 2 decks") != std::string::npos);
        send(c, "s");
        REQUIRE(c.screen() != Screen::Home);
        study_to_summary(c);
        REQUIRE(c.screen() == Screen::StudySummary);
        const auto log = f.store->reviews();
        REQUIRE_FALSE(log.empty());
        for (const auto& r : log) CHECK(r.card_id.rfind("x.", 0) == 0);
        // The choice lasts for the run: home shows it again after the session.
        c.handle(tui::kEnter);
        REQUIRE(c.screen() == Screen::Home);
        CHECK(screen_text(c).find("Decks: 1 of 2 decks") != std::string::npos);
    }

    TEST_CASE("study with no deck chosen stays home and says why") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        Router c(f.services(), f.options());
        send(c, " ] s");
        CHECK(c.screen() == Screen::Home);
        CHECK(c.status() == "no deck is chosen: press Space on a deck to include it");
        CHECK(f.store->reviews().empty());
    }

    TEST_CASE("an exam with more decks than fit scrolls the list to keep the cursor in view at 80x24") {
        TempDir decks;
        std::filesystem::copy_file(kTuiDecks / "exam.json", decks.path / "exam.json");
        for (int i = 1; i <= 20; ++i) {
            const std::string id = (i < 10 ? "deck0" : "deck") + std::to_string(i);
            std::ofstream(decks.path / (id + ".json"))
                << R"({"format_version": 1, "kind": "deck", "id": ")" << id << R"(", "title": "Deck number )" << i
                << R"(", "exam": "testexam", "author": "tests", "version": "1", "license": "MIT", "cards": [)"
                << R"({"id": ")" << id << R"(.f1", "type": "flashcard", "domain": "d1", "topics": ["1.1"],)"
                << R"( "front": "Front", "back": "Back"}]})";
        }
        TuiFixture f({decks.path});
        Router c(f.services(), f.options());
        std::string s = screen_text(c);
        CHECK(line_with(s, "\u25b8 [x] deck01  Deck number 1 ").find("(0 q, 1 fc)") != std::string::npos);
        CHECK(s.find("deck20 ") == std::string::npos);
        CHECK(s.find("Actions") != std::string::npos);  // the rest of home still shows
        CHECK(s.find("Decks: all decks, 1-") != std::string::npos);
        for (int i = 0; i < 19; ++i) send(c, "]");
        send(c, " ");
        s = screen_text(c);
        CHECK(line_with(s, "\u25b8 [ ] deck20  Deck number 20 ").find("(0 q, 1 fc)") != std::string::npos);
        CHECK(s.find("deck01 ") == std::string::npos);
        CHECK(s.find("Decks: 19 of 20 decks") != std::string::npos);
        check_golden("home-decks-scrolled-80x24", s);
        CHECK(s.find("Actions") != std::string::npos);
    }
}

}  // namespace test_home_decks
