#pragma once
// Small text helpers shared by the plain-mode study session and mock exam.
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/grading.hpp"
#include "core/model.hpp"

namespace certdrill::cli {

// Deck text is untrusted: strip terminal controls, then the inline marks.
std::string clean(const std::string& s);
std::string trim(const std::string& s);
// Screen indices as letters: {0, 2} -> "AC".
std::string letters(const std::vector<int>& screen);
std::string percent(double value);
// "two" for 2: the words of "choose two".
const char* choose_word(int n);
void print_question(std::ostream& out, const Card& card, const OptionOrder& order);
// A question's answer: letters, optionally followed by '?' to mark a guess.
std::optional<std::pair<std::vector<int>, bool>> parse_answer(const std::string& t, const Card& card);

}  // namespace certdrill::cli
