#pragma once
// What reading one deck file yields, whichever reader read it. Internal to the decks layer.
#include <string>
#include <vector>

#include "core/model.hpp"

namespace certdrill::decks {

struct CardPlace {
    std::string id;
    std::string file;
    std::string pointer;
    int line = 0;
    int column = 0;
};

struct DeckContent {
    DeckInfo info;
    std::vector<Card> cards;        // only cards without errors
    std::vector<CardPlace> places;  // every card that has an id, valid or not
    bool header_ok = false;
};

}  // namespace certdrill::decks
