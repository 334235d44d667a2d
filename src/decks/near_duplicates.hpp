#pragma once
// Finds question stems that are nearly the same, which usually means a card was pasted twice
// or two authors wrote the same item. Internal to the decks layer.
#include <string>
#include <utility>
#include <vector>

namespace certdrill::decks {

// Returns pairs (earlier index, later index) of texts whose word shingles overlap by at least
// `threshold` (Jaccard). Scales to large decks: only texts sharing an uncommon shingle are compared.
std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string>& texts,
                                                                 double threshold = 0.8);

}  // namespace certdrill::decks
