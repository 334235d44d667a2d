#pragma once
// Working with a chosen set of decks: an instructor's own deck studied alone (`--deck`), and the
// starter deck of `certdrill new deck`.
#include <optional>
#include <string>
#include <vector>

#include "app/exam_ids.hpp"
#include "core/model.hpp"

namespace certdrill::app {

// The library cut down to the cards of `deck_ids` (--deck) and the exams those decks belong to.
// Throws a usage error naming the unknown ids and the known ones when an id names no deck, and
// when `exam` (named too, from `exam_source`) is not an exam of those decks: what is left would
// not hold it, and it would be reported as unknown.
Library restrict_to_decks(const Library& library, const std::vector<std::string>& deck_ids,
                          const std::optional<std::string>& exam = std::nullopt, IdSource exam_source = kExamOption);

struct StarterDeck {
    DeckInfo info;
    std::vector<Card> cards;
};

// A small valid deck for `exam`: one single-answer question, one multiple-response question
// and one flashcard, whose texts explain the fields they sit in.
StarterDeck starter_deck(const Exam& exam, const std::string& deck_id);

}  // namespace certdrill::app
