#pragma once
// One learner's results as an instructor collects them (`certdrill results export`): the
// answers with the option chosen and the time taken, mock-exam attempts and mastery per domain.
// `learner` is the only identity in it. The JSON form is documented in
// docs/schema/results.schema.json.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "app/stats.hpp"

namespace certdrill::app {

// What a class report needs to know of a question without its text.
struct ResultCard {
    std::string id;
    std::string exam_id;
    std::string deck_id;
    std::string domain_id;
    std::string type;  // single, multi, flashcard
    int options = 0;
    std::string answer;  // right letters in deck-file order
};

struct ResultAnswer {
    std::string card_id;
    std::string chosen;  // letters in deck-file order, stable however options were shuffled
    bool correct = false;
    std::int64_t response_ms = 0;
    std::string mode;  // study or exam
    UnixMs at = 0;
};

struct ResultAttemptItem {
    std::string card_id;
    std::string chosen;
    bool correct = false;
    std::int64_t response_ms = 0;
};

struct ResultAttempt {
    std::string exam_id;
    UnixMs started_at = 0;
    std::optional<UnixMs> finished_at;
    int minutes = 0;
    std::optional<double> score_percent;
    std::optional<bool> passed;
    std::vector<ResultAttemptItem> items;
};

struct Results {
    std::string learner;
    UnixMs exported_at = 0;
    std::optional<std::string> exam_filter;
    std::vector<std::string> deck_filter;
    std::vector<ResultCard> cards;      // every card answered, for item keys
    std::vector<ResultAnswer> answers;  // oldest first
    std::vector<ResultAttempt> attempts;
    std::vector<ExamStats> exams;  // mastery per domain and readiness
};

// "anonymous-" and 12 random hex digits, from `seed`.
std::string anonymous_learner(std::uint64_t seed);

// The learner's results for the cards in the library (already cut to `--deck`, if given),
// optionally of one exam.
Results collect_results(const Services& services, const std::optional<std::string>& exam_id,
                        const std::vector<std::string>& deck_filter, const std::string& learner);

}  // namespace certdrill::app
