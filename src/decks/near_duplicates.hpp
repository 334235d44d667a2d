#pragma once
// Finds question stems that are nearly the same, which usually means a card was pasted twice
// or two authors wrote the same item. Internal to the decks layer.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certdrill::decks {

// Returns pairs (earlier index, later index) of texts whose word 3-shingles overlap by at least
// `threshold` (Jaccard) and that share a shingle held by no more than 40 of the texts (one held
// by more, such as "which of the following", says nothing). Pairs are ordered by the earlier
// index, then the later. Scales to large decks: prefix filtering compares only the few pairs
// that could reach the threshold.
std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string_view>& texts,
                                                                 double threshold = 0.8);
std::vector<std::pair<std::size_t, std::size_t>> near_duplicates(const std::vector<std::string>& texts,
                                                                 double threshold = 0.8);

}  // namespace certdrill::decks
