#include "cli/plain_text.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "core/text.hpp"

namespace certdrill::cli {

// Deck text is untrusted: strip terminal controls, then the inline marks.
std::string clean(const std::string& s) { return text::strip_marks(text::sanitize(s)); }

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string letters(const std::vector<int>& screen) {
    std::string out;
    for (int i : screen) out += static_cast<char>('A' + i);
    return out;
}

std::string percent(double value) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", value);
    return buf;
}

const char* choose_word(int n) {
    static const char* const kWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight"};
    return kWords[std::clamp(n, 0, 8)];
}

void print_question(std::ostream& out, const Card& card, const OptionOrder& order) {
    out << clean(card.stem) << '\n';
    for (std::size_t i = 0; i < order.order.size(); ++i)
        out << static_cast<char>('A' + i) << ") " << clean(card.options[static_cast<std::size_t>(order.order[i])].text)
            << '\n';
}

// A question's answer: letters, optionally followed by '?' to mark a guess.
std::optional<std::pair<std::vector<int>, bool>> parse_answer(const std::string& t, const Card& card) {
    if (t.empty()) return std::nullopt;
    std::string body = t;
    bool guess = false;
    if (body.back() == '?') {
        guess = true;
        body.pop_back();
    }
    auto chosen = parse_letters(body, static_cast<int>(card.options.size()));
    if (chosen.empty() || static_cast<int>(chosen.size()) != card.choose) return std::nullopt;
    return std::pair{chosen, guess};
}

}  // namespace certdrill::cli
