#pragma once
// Mock exams: drawing items to the blueprint, and scoring them. Pure.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace certdrill {

// Items per domain for an exam of `total` items: shares proportional to the blueprint weights,
// rounded by the largest-remainder method (ties broken by domain order) so they sum to `total`.
std::map<std::string, int> allocate_items(const Exam& exam, int total);

struct MockDraw {
    std::vector<const Card*> items;   // interleaved order of presentation
    std::map<std::string, int> plan;  // items per domain actually drawn
    std::vector<std::string> notes;   // e.g. a domain with too few questions
};

// Draws questions (not flashcards) of the exam at random for the allocation. When a domain has
// too few questions, the shortfall is shared out among the others by the same method.
MockDraw draw_mock_exam(const Exam& exam, const std::vector<const Card*>& cards, int total, std::uint64_t seed);

struct DomainScore {
    int items = 0;
    int correct = 0;
    double percent() const { return items ? 100.0 * correct / items : 0.0; }
};

struct MockScore {
    int items = 0;
    int answered = 0;
    int correct = 0;
    double percent = 0.0;
    std::optional<int> scaled;
    bool passed = false;
    std::map<std::string, DomainScore> domains;
};

// `correct[i]` tells whether item i was answered right (unanswered items count as wrong).
MockScore score_mock_exam(const Exam& exam, const std::vector<const Card*>& items, const std::vector<bool>& answered,
                          const std::vector<bool>& correct);

}  // namespace certdrill
