#pragma once
// Answers for an item on screen (a study item or a mock-exam item: anything with a card and an
// option order), given as screen indices.
#include <algorithm>
#include <vector>

#include "core/grading.hpp"

namespace certdrill::testing {

template <class Item>
std::vector<int> right_answer(const Item& item) {
    std::vector<int> out;
    for (int file_index : correct_indices(*item.card)) out.push_back(item.order.letter_of(file_index) - 'A');
    std::sort(out.begin(), out.end());
    return out;
}

// As many wrong options as the item asks for.
template <class Item>
std::vector<int> wrong_answer(const Item& item) {
    std::vector<int> out;
    for (std::size_t screen = 0; screen < item.order.order.size(); ++screen)
        if (!item.card->options[static_cast<std::size_t>(item.order.file_index(static_cast<int>(screen)))].correct &&
            static_cast<int>(out.size()) < item.card->choose)
            out.push_back(static_cast<int>(screen));
    return out;
}

}  // namespace certdrill::testing
