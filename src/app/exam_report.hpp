#pragma once
// View models for the end of a mock exam, shared by the terminal UI and plain mode: the score
// report in the vendor's own terms, the review of every item, and the trend of mock results
// against the pass mark. Deck text in them is raw: sanitize before drawing.
#include <optional>
#include <string>
#include <vector>

#include "app/mock_exam_session.hpp"

namespace certdrill::app {

struct ReportDomain {
    std::string id;
    std::string name;
    std::string value;  // "above", "near", "below", or "72% (13 of 18)"
};

struct ExamReport {
    bool passed = false;
    std::string verdict;                  // "PASS" or "FAIL"
    std::vector<std::string> lines;       // score, items, time, how it ended
    std::string domains_heading;          // empty when no per-domain lines are shown
    std::vector<ReportDomain> domains;
    std::vector<std::string> notes;       // what certdrill adds or cannot confirm
};

ExamReport build_report(const MockExamSession& session);

struct ReviewOption {
    char letter = 'A';  // as shown in the exam
    std::string text;
    std::string reason;
    bool chosen = false;
    bool right = false;
};

struct ReviewEntry {
    int number = 0;  // 1-based position in the exam
    std::string stem;
    int choose = 1;
    std::vector<ReviewOption> options;
    bool answered = false;
    bool correct = false;
    bool pretest = false;
    std::string explanation;
    std::vector<std::string> references;
};

// Every item presented, in order, with the chosen and right options.
std::vector<ReviewEntry> review_items(const MockExamSession& session);

struct TrendPoint {
    UnixMs at = 0;
    bool adaptive = false;
    double value = 0.0;      // percent correct, or (adaptive) ability minus the standard in logits
    double pass_mark = 0.0;  // on the same scale
    bool passed = false;
    int items = 0;
    std::optional<int> scaled;
};

// Finished full mock exams of one exam (domain quizzes left out), oldest first.
std::vector<TrendPoint> mock_trend(const Services& services, const Exam& exam);

// "1h 42m", "12m 05s"
std::string exam_duration(UnixMs ms);

}  // namespace certdrill::app
