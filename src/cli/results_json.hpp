#pragma once
// The results file of `certdrill results export` (docs/schema/results.schema.json), written
// here and read back by `certdrill class report`.
#include <optional>
#include <string>
#include <vector>

#include "app/results.hpp"
#include "core/item_analysis.hpp"

namespace certdrill::cli {

inline constexpr int kResultsFormatVersion = 1;

std::string results_json(const app::Results& results);

struct DomainFigure {
    std::string id;
    std::string name;
    double mastery = 0.0;
};

struct ExamFigure {
    std::string id;
    std::string short_name;
    double readiness = 0.0;
    double passing = 0.0;
    std::vector<DomainFigure> domains;
};

// What the class report takes from one results file.
struct LearnerResults {
    std::string file;
    std::string learner;
    std::vector<app::ResultCard> cards;
    std::vector<app::ResultAnswer> answers;  // oldest first
    std::vector<ExamFigure> exams;
};

// Reads a results file; nothing, with `error` naming the file and the problem, when it is not
// one (not JSON, another format, a newer version, a missing or mistyped field).
std::optional<LearnerResults> read_results(const std::string& file, std::string& error);

// Each question's first answer by this learner (flashcards are not items).
LearnerResponses first_responses(const LearnerResults& results);

}  // namespace certdrill::cli
