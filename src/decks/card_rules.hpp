#pragma once
// Rules for the values of a deck, stated once for both readers: the checking reader
// (deck_reader.cpp), which reports every break of them, and the clean-deck reader
// (clean_deck.cpp), which only tells whether a file keeps all of them. Internal to the decks layer.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/model.hpp"

namespace certdrill::decks {

// Answer letters, in option order.
constexpr std::string_view kAnswerLetters = "ABCDEFGH";

bool is_identifier(std::string_view s);  // [a-z0-9][a-z0-9._-]*, at most kMaxIdLength (128) characters

// A text field's value is blank when it holds only spaces, tabs and line breaks.
bool is_blank_text(std::string_view s);
// A text field's value is accepted when it is not blank and holds no control character.
bool is_clean_text(std::string_view s);
// An entry of a list of words ("topics", "references"): not only spaces, no control character.
bool is_clean_list_entry(std::string_view s);

// "1.13", "3B7", "a1.9": shaped like an objective id rather than a free tag such as "scenario".
bool looks_like_objective(std::string_view tag);
// The domain that holds the objective (a part or a topic) with this id; null when none does.
const Domain* domain_of_objective(const Exam& exam, std::string_view objective_id);

// The fewest and most options a question of this type may have.
std::pair<std::size_t, std::size_t> option_count_range(CardType type);
// Whether two options' texts are the same as options are compared for repeats: ignoring the case of
// ASCII letters, spaces and full stops.
bool same_option_text(std::string_view a, std::string_view b);

// The index of an answer letter ("B" -> 1) when it names one of `options` options.
std::optional<std::size_t> answer_index(std::string_view letter, std::size_t options);

}  // namespace certdrill::decks
