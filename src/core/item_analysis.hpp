#pragma once
// Classical item analysis over a class's answers: for each question, how many answered it (n),
// the share right (p), discrimination (the point-biserial correlation of the item with each
// learner's score on the other items), the share choosing each option, the median response
// time and flags for items to review. Pure.
//
// Only each learner's FIRST answer to an item counts: later answers have been learnt from the
// feedback and measure memory of the key, not the item.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace certdrill {

struct ItemKey {
    std::string id;
    int options = 0;          // number of options, letters A.. in deck-file order
    std::string answer;       // right letters in deck-file order, e.g. "B" or "AC"
    std::string exam_id;
    std::string domain_id;
};

struct FirstResponse {
    std::string item_id;
    std::string chosen;  // letters in deck-file order, e.g. "B"; empty when none was chosen
    bool correct = false;
    std::int64_t response_ms = 0;
};

struct LearnerResponses {
    std::string learner;
    std::vector<FirstResponse> responses;  // one per item: the learner's first answer
};

struct ItemThresholds {
    double too_easy = 0.95;        // p above this
    double too_hard = 0.20;        // p below this
    double dead_distractor = 0.05; // a wrong option chosen by fewer than this share...
    int dead_distractor_min_n = 20;  // ...once at least this many answered
};

struct ItemStatistics {
    ItemKey key;
    int n = 0;
    double p = 0.0;
    // Point-biserial against the rest score; unset when it cannot be computed (fewer than two
    // learners, everyone right or everyone wrong, or no spread in the rest scores).
    std::optional<double> discrimination;
    std::map<std::string, double> option_shares;  // "A" -> share of the n who chose A
    std::optional<std::int64_t> median_ms;
    std::vector<std::string> flags;  // negative-discrimination, too-easy, too-hard, dead-distractor
};

// Statistics for each item in `items` that at least one learner answered, in the order of
// `items`. Responses to items not in `items` still count towards learners' rest scores.
std::vector<ItemStatistics> analyse_items(const std::vector<ItemKey>& items,
                                          const std::vector<LearnerResponses>& learners,
                                          const ItemThresholds& thresholds = {});

}  // namespace certdrill
