#include "decks/card_rules.hpp"

#include <algorithm>
#include <vector>

#include "core/text.hpp"
#include "decks/deck_writer.hpp"  // kMaxIdLength

namespace certdrill::decks {

bool is_identifier(std::string_view s) {
    if (s.empty() || s.size() > kMaxIdLength) return false;
    auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!ok_first(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return ok_first(c) || c == '.' || c == '_' || c == '-'; });
}

bool is_blank_text(std::string_view s) { return s.find_first_not_of(" \n\r\t") == std::string_view::npos; }

bool is_clean_text(std::string_view s) { return !is_blank_text(s) && !text::find_control_character(s); }

bool is_clean_list_entry(std::string_view s) {
    return s.find_first_not_of(' ') != std::string_view::npos && !text::find_control_character(s);
}

bool looks_like_objective(std::string_view tag) {
    return std::any_of(tag.begin(), tag.end(), [](char c) { return c >= '0' && c <= '9'; }) && tag.size() <= 8;
}

const Domain* domain_of_objective(const Exam& exam, std::string_view objective_id) {
    for (const auto& d : exam.domains) {
        std::vector<const Objective*> stack;
        for (const auto& o : d.objectives) stack.push_back(&o);
        while (!stack.empty()) {
            const Objective* o = stack.back();
            stack.pop_back();
            if (o->id == objective_id) return &d;
            for (const auto& c : o->children) stack.push_back(&c);
        }
    }
    return nullptr;
}

std::pair<std::size_t, std::size_t> option_count_range(CardType type) {
    return type == CardType::Single ? std::pair<std::size_t, std::size_t>{3, 6} : std::pair<std::size_t, std::size_t>{4, 8};
}

bool same_option_text(std::string_view a, std::string_view b) {
    const auto ignored = [](char c) { return c == ' ' || c == '.'; };
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    std::size_t i = 0, j = 0;
    while (true) {
        while (i < a.size() && ignored(a[i])) ++i;
        while (j < b.size() && ignored(b[j])) ++j;
        if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
        if (lower(a[i++]) != lower(b[j++])) return false;
    }
}

std::optional<std::size_t> answer_index(std::string_view letter, std::size_t options) {
    const std::size_t index = letter.size() == 1 ? kAnswerLetters.find(letter[0]) : std::string_view::npos;
    if (index == std::string_view::npos || index >= options) return std::nullopt;
    return index;
}

}  // namespace certdrill::decks
