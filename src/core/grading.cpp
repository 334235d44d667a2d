#include "core/grading.hpp"

#include <algorithm>
#include <numeric>

namespace certdrill {

char OptionOrder::letter_of(int file_index) const {
    auto it = std::find(order.begin(), order.end(), file_index);
    return it == order.end() ? '?' : static_cast<char>('A' + (it - order.begin()));
}

OptionOrder identity_order(const Card& card) {
    OptionOrder o;
    o.order.resize(card.options.size());
    std::iota(o.order.begin(), o.order.end(), 0);
    return o;
}

OptionOrder shuffled_options(const Card& card, std::mt19937_64& rng) {
    OptionOrder o = identity_order(card);
    // Fisher-Yates with our own index draw, so the order for a seed does not depend on the
    // standard library's shuffle algorithm.
    for (std::size_t i = o.order.size(); i > 1; --i) {
        std::size_t j = static_cast<std::size_t>(rng() % i);
        std::swap(o.order[i - 1], o.order[j]);
    }
    return o;
}

std::vector<int> correct_indices(const Card& card) {
    std::vector<int> out;
    for (std::size_t i = 0; i < card.options.size(); ++i)
        if (card.options[i].correct) out.push_back(static_cast<int>(i));
    return out;
}

bool is_correct(const Card& card, const std::vector<int>& chosen) {
    std::vector<int> sorted = chosen;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    return sorted == correct_indices(card);
}

std::string file_letters(const std::vector<int>& indices) {
    std::vector<int> sorted = indices;
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (int i : sorted) out += static_cast<char>('A' + i);
    return out;
}

std::vector<int> parse_letters(const std::string& text, int option_count) {
    std::vector<int> out;
    for (char c : text) {
        if (c == ' ' || c == ',' || c == '\t' || c == '\r') continue;
        char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
        int index = upper - 'A';
        if (index < 0 || index >= option_count) return {};
        if (std::find(out.begin(), out.end(), index) != out.end()) return {};
        out.push_back(index);
    }
    return out;
}

}  // namespace certdrill
