#include "core/mock_exam.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/mastery.hpp"

namespace certdrill {

namespace {

// Largest remainder over the given domains and weights.
std::map<std::string, int> largest_remainder(const std::vector<std::pair<std::string, double>>& weights, int total) {
    std::map<std::string, int> out;
    double sum = 0.0;
    for (const auto& [_, w] : weights) sum += w;
    if (sum <= 0.0 || total <= 0) {
        for (const auto& [id, _] : weights) out[id] = 0;
        return out;
    }
    struct Share {
        std::string id;
        int whole;
        double remainder;
        std::size_t order;
    };
    std::vector<Share> shares;
    int assigned = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        double exact = total * weights[i].second / sum;
        int whole = static_cast<int>(std::floor(exact + 1e-9));
        shares.push_back({weights[i].first, whole, exact - whole, i});
        assigned += whole;
    }
    std::vector<Share*> order;
    for (auto& s : shares) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const Share* a, const Share* b) {
        return a->remainder != b->remainder ? a->remainder > b->remainder : a->order < b->order;
    });
    for (std::size_t i = 0; assigned < total; i = (i + 1) % order.size(), ++assigned) ++order[i]->whole;
    for (const auto& s : shares) out[s.id] = s.whole;
    return out;
}

}  // namespace

std::map<std::string, int> allocate_items(const Exam& exam, int total) {
    std::vector<std::pair<std::string, double>> weights;
    for (const auto& d : exam.domains) weights.emplace_back(d.id, exam.effective_weight(d));
    return largest_remainder(weights, total);
}

MockDraw draw_mock_exam(const Exam& exam, const std::vector<const Card*>& cards, int total, std::uint64_t seed) {
    MockDraw draw;
    std::mt19937_64 rng(seed);
    std::map<std::string, std::vector<const Card*>> pool;
    for (const Card* c : cards)
        if (c->exam_id == exam.id && c->is_question()) pool[c->domain_id].push_back(c);
    int available = 0;
    for (auto& [_, list] : pool) {
        std::sort(list.begin(), list.end(), [](const Card* a, const Card* b) { return a->id < b->id; });
        for (std::size_t i = list.size(); i > 1; --i) std::swap(list[i - 1], list[rng() % i]);
        available += static_cast<int>(list.size());
    }
    if (total > available) {
        draw.notes.push_back("only " + std::to_string(available) + " questions are available; the exam has " +
                             std::to_string(available) + " items instead of " + std::to_string(total));
        total = available;
    }
    // Allocate; domains that cannot fill their share give the rest to the others.
    std::vector<std::pair<std::string, double>> weights;
    for (const auto& d : exam.domains) weights.emplace_back(d.id, exam.effective_weight(d));
    std::map<std::string, int> plan;
    int remaining = total;
    while (remaining > 0 && !weights.empty()) {
        auto share = largest_remainder(weights, remaining);
        std::vector<std::pair<std::string, double>> open;
        int placed = 0;
        for (const auto& [id, w] : weights) {
            int room = static_cast<int>(pool[id].size()) - plan[id];
            int take = std::min(share[id], room);
            plan[id] += take;
            placed += take;
            if (share[id] < room)
                open.emplace_back(id, w);
            else if (share[id] > room)
                draw.notes.push_back("domain " + id + " has only " + std::to_string(pool[id].size()) + " questions");
        }
        remaining -= placed;
        if (placed == 0) break;
        weights = open;
    }
    draw.plan = plan;
    // Interleave: take items domain by domain in proportion, then shuffle the whole order.
    for (const auto& [id, n] : plan)
        for (int i = 0; i < n; ++i) draw.items.push_back(pool[id][static_cast<std::size_t>(i)]);
    for (std::size_t i = draw.items.size(); i > 1; --i) std::swap(draw.items[i - 1], draw.items[rng() % i]);
    return draw;
}

MockScore score_mock_exam(const Exam& exam, const std::vector<const Card*>& items, const std::vector<bool>& answered,
                          const std::vector<bool>& correct) {
    MockScore s;
    for (const auto& d : exam.domains) s.domains[d.id];
    s.items = static_cast<int>(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto& d = s.domains[items[i]->domain_id];
        ++d.items;
        if (i < answered.size() && answered[i]) ++s.answered;
        if (i < correct.size() && correct[i]) {
            ++s.correct;
            ++d.correct;
        }
    }
    s.percent = s.items ? 100.0 * s.correct / s.items : 0.0;
    s.scaled = scaled_score(exam.format, s.percent);
    s.passed = s.percent + 1e-9 >= exam.format.passing_percent;
    return s;
}

}  // namespace certdrill
