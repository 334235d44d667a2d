#pragma once
// Grading answers and presenting options: pure functions over cards.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/fsrs.hpp"
#include "core/model.hpp"

namespace certdrill {

// A showing of a question: options in the order they appear on screen. order[k] is the index in
// the deck file of the option shown with letter 'A' + k.
struct OptionOrder {
    std::vector<int> order;

    char letter_of(int file_index) const;  // screen letter of a file option
    int file_index(int screen_index) const { return order.at(static_cast<std::size_t>(screen_index)); }
};

OptionOrder shuffled_options(const Card& card, std::mt19937_64& rng);
OptionOrder identity_order(const Card& card);

// True when the chosen file indices are exactly the correct options (all-or-nothing for multi).
bool is_correct(const Card& card, const std::vector<int>& chosen_file_indices);

// Letters in file order, e.g. {0, 2} -> "AC"; used to store what was chosen.
std::string file_letters(const std::vector<int>& file_indices);
// The correct options' indices in file order.
std::vector<int> correct_indices(const Card& card);

// Parses an answer such as "b", "AC" or "a, c" into screen indices; empty when not an answer
// (unknown letters, repeats or letters beyond the option count).
std::vector<int> parse_letters(const std::string& text, int option_count);

}  // namespace certdrill
