#pragma once
// Turns validated JSON into exams and cards. Internal to the decks layer.
#include <optional>
#include <vector>

#include "core/model.hpp"
#include "decks/deck_content.hpp"
#include "decks/field_checks.hpp"
#include "decks/loader.hpp"

namespace certdrill::decks {

std::optional<Exam> read_exam(const Json& root, FileReporter& r, FileSummary& summary);

// `exams` are the loaded blueprints; the deck's `exam` must name one of them. `lint` adds the
// item-writing warnings of lint.hpp.
DeckContent read_deck(const Json& root, FileReporter& r, FileSummary& summary, const std::vector<const Exam*>& exams,
                      bool lint = false);

}  // namespace certdrill::decks
