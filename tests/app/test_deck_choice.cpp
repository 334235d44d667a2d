#include <doctest/doctest.h>

#include <set>

#include "../tui/tui_fixture.hpp"
#include "app/deck_choice.hpp"

namespace test_deck_choice {

using namespace certdrill;
using certdrill::testing::kExtraDeck;
using certdrill::testing::kTuiDecks;
using certdrill::testing::TuiFixture;

namespace {

// Answers (first option) and grades (Good) until the session ends; the decks of the cards shown.
std::set<std::string> decks_studied(app::StudySession& session) {
    std::set<std::string> decks;
    for (int i = 0; i < 40 && session.current(); ++i) {
        const Card& card = *session.current()->card;
        decks.insert(card.deck_id);
        if (card.is_question()) {
            session.answer({0});
            session.advance();
        } else {
            session.grade_flashcard(fsrs::Rating::Good);
        }
    }
    return decks;
}

}  // namespace

TEST_SUITE("deck choice") {
    TEST_CASE("an exam's decks with their question and flashcard counts, all chosen at first") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        app::DeckChoice choice;
        const auto rows = choice.rows(f.decks.library, "testexam");
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].id == "tui-deck");
        CHECK(rows[0].title == "TUI test deck");
        CHECK(rows[0].questions == 5);
        CHECK(rows[0].flashcards == 1);
        CHECK(rows[1].id == "tui-extra");
        CHECK(rows[1].questions == 2);
        CHECK(rows[1].flashcards == 1);
        CHECK(rows[0].chosen);
        CHECK(rows[1].chosen);
        CHECK(choice.summary(f.decks.library, "testexam") == "all decks");
        CHECK(choice.subset(f.decks.library, "testexam").empty());
        CHECK(choice.rows(f.decks.library, "catexam").size() == 1);
    }

    TEST_CASE("toggling excludes and includes a deck, and other exams keep all their decks") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        app::DeckChoice choice;
        choice.toggle("tui-deck");
        CHECK_FALSE(choice.rows(f.decks.library, "testexam")[0].chosen);
        CHECK(choice.summary(f.decks.library, "testexam") == "1 of 2 decks");
        CHECK(choice.subset(f.decks.library, "testexam") == std::vector<std::string>{"tui-extra"});
        CHECK(choice.summary(f.decks.library, "catexam") == "all decks");
        choice.toggle("tui-extra");
        CHECK(choice.summary(f.decks.library, "testexam") == "no decks");
        choice.toggle("tui-deck");
        choice.toggle("tui-extra");
        CHECK(choice.summary(f.decks.library, "testexam") == "all decks");
    }

    TEST_CASE("a session on a chosen subset shows only that deck's cards") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        app::DeckChoice choice;
        choice.toggle("tui-deck");
        app::StudyOptions so;
        so.exam_id = "testexam";
        so.seed = 3;
        std::string error;
        auto session = app::start_study(f.services(), choice, so, error);
        REQUIRE(session);
        CHECK(error.empty());
        CHECK(decks_studied(*session) == std::set<std::string>{"tui-extra"});
        const auto log = f.store->reviews();
        REQUIRE_FALSE(log.empty());
        for (const auto& r : log) CHECK(r.card_id.rfind("x.", 0) == 0);
    }

    TEST_CASE("with every deck chosen the session covers the whole exam") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        app::StudyOptions so;
        so.exam_id = "testexam";
        std::string error;
        auto session = app::start_study(f.services(), app::DeckChoice{}, so, error);
        REQUIRE(session);
        CHECK(decks_studied(*session) == std::set<std::string>{"tui-deck", "tui-extra"});
    }

    TEST_CASE("no deck chosen is refused with a message rather than an empty session") {
        TuiFixture f({kTuiDecks, kExtraDeck});
        app::DeckChoice choice;
        choice.toggle("tui-deck");
        choice.toggle("tui-extra");
        app::StudyOptions so;
        so.exam_id = "testexam";
        std::string error;
        CHECK_FALSE(app::start_study(f.services(), choice, so, error));
        CHECK(error == "no deck is chosen: press Space on a deck to include it");
        CHECK(f.store->reviews().empty());
    }
}

}  // namespace test_deck_choice
