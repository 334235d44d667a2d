#include "core/item_analysis.hpp"

#include <algorithm>
#include <cmath>

namespace certdrill {

namespace {

struct Totals {
    int answered = 0;
    int right = 0;
};

// The learner's share right on every item but `item_id`; nothing when they answered no other.
std::optional<double> rest_score(const Totals& totals, const FirstResponse& response) {
    const int answered = totals.answered - 1;
    if (answered <= 0) return std::nullopt;
    return static_cast<double>(totals.right - (response.correct ? 1 : 0)) / answered;
}

// r_pb = (M1 - M0) / s * sqrt(p q), with s the population standard deviation of the rest scores.
std::optional<double> point_biserial(const std::vector<std::pair<bool, double>>& scored) {
    if (scored.size() < 2) return std::nullopt;
    double sum = 0, sum_right = 0;
    int right = 0;
    for (const auto& [correct, rest] : scored) {
        sum += rest;
        if (correct) {
            sum_right += rest;
            ++right;
        }
    }
    const int n = static_cast<int>(scored.size());
    const int wrong = n - right;
    if (right == 0 || wrong == 0) return std::nullopt;
    const double mean = sum / n;
    double variance = 0;
    for (const auto& [correct, rest] : scored) variance += (rest - mean) * (rest - mean);
    variance /= n;
    if (variance <= 1e-12) return std::nullopt;
    const double m1 = sum_right / right;
    const double m0 = (sum - sum_right) / wrong;
    const double p = static_cast<double>(right) / n;
    return (m1 - m0) / std::sqrt(variance) * std::sqrt(p * (1 - p));
}

std::int64_t median(std::vector<std::int64_t> values) {
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

std::vector<std::string> flags_for(const ItemStatistics& s, const ItemThresholds& t) {
    std::vector<std::string> flags;
    if (s.discrimination && *s.discrimination < 0) flags.push_back("negative-discrimination");
    if (s.p > t.too_easy) flags.push_back("too-easy");
    if (s.p < t.too_hard) flags.push_back("too-hard");
    if (s.n >= t.dead_distractor_min_n) {
        for (const auto& [letter, share] : s.option_shares)
            if (s.key.answer.find(letter) == std::string::npos && share < t.dead_distractor) {
                flags.push_back("dead-distractor");
                break;
            }
    }
    return flags;
}

}  // namespace

std::vector<ItemStatistics> analyse_items(const std::vector<ItemKey>& items,
                                          const std::vector<LearnerResponses>& learners,
                                          const ItemThresholds& thresholds) {
    std::vector<Totals> totals(learners.size());
    for (std::size_t l = 0; l < learners.size(); ++l)
        for (const auto& r : learners[l].responses) {
            ++totals[l].answered;
            totals[l].right += r.correct ? 1 : 0;
        }

    std::vector<ItemStatistics> out;
    for (const auto& key : items) {
        ItemStatistics s;
        s.key = key;
        for (int i = 0; i < key.options; ++i) s.option_shares[std::string(1, static_cast<char>('A' + i))] = 0.0;
        std::vector<std::pair<bool, double>> scored;
        std::vector<std::int64_t> times;
        int right = 0;
        for (std::size_t l = 0; l < learners.size(); ++l) {
            for (const auto& r : learners[l].responses) {
                if (r.item_id != key.id) continue;
                ++s.n;
                right += r.correct ? 1 : 0;
                for (char c : r.chosen) s.option_shares[std::string(1, c)] += 1.0;
                if (r.response_ms > 0) times.push_back(r.response_ms);
                if (auto rest = rest_score(totals[l], r)) scored.emplace_back(r.correct, *rest);
                break;  // one (first) response per learner and item
            }
        }
        if (s.n == 0) continue;
        s.p = static_cast<double>(right) / s.n;
        for (auto& [letter, share] : s.option_shares) share /= s.n;
        s.discrimination = point_biserial(scored);
        if (!times.empty()) s.median_ms = median(times);
        s.flags = flags_for(s, thresholds);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace certdrill
