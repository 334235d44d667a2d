#pragma once
// Item-writing checks for `certdrill validate --lint`: warnings about questions that are valid
// but give the candidate a cue or read badly (too few options, a key longer than the rest,
// "all of the above", unemphasised negatives, a key echoing the stem, absolute words only in
// distractors, near-identical options, qualifier style). Internal to the decks layer.
#include <string>
#include <vector>

#include "core/model.hpp"
#include "decks/field_checks.hpp"

namespace certdrill::decks {

// How a deck writes qualifiers such as BEST and FIRST, collected card by card and checked once
// for the whole deck: capitals alone and `*BEST*` are both fine, but not both in one deck.
struct QualifierStyles {
    struct Use {
        std::string card_id;
        std::string pointer;  // the stem
        std::string word;     // as written, e.g. "*MOST*"
        bool emphasised = false;
    };
    std::vector<Use> uses;
};

// Warnings for one valid question; `pointer` is the card's JSON pointer.
void lint_card(const Card& card, const std::string& pointer, FileReporter& r, QualifierStyles& styles);
// Warns on the cards that use a deck's less common qualifier style.
void lint_qualifier_styles(const QualifierStyles& styles, FileReporter& r);

}  // namespace certdrill::decks
