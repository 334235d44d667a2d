#pragma once
// Figures for `certdrill stats` and the dashboard, computed from the decks and the log.
#include <optional>
#include <string>
#include <vector>

#include "app/exam_report.hpp"
#include "app/services.hpp"

namespace certdrill::app {

struct DomainStats {
    std::string id;
    std::string name;
    double weight = 0.0;  // percent (an equal share for unweighted exams)
    Mastery figures;
};

struct TopicStats {
    std::string id;
    std::string name;
    std::string domain_id;
    Mastery figures;
};

struct AttemptSummary {
    UnixMs at = 0;
    int items = 0;
    double percent = 0.0;
    std::optional<int> scaled;
    bool passed = false;
    UnixMs duration = 0;
};

struct ExamStats {
    std::string id;
    std::string name;
    std::string short_name;
    double readiness = 0.0;  // predicted fraction right if the exam were taken now
    double passing = 0.0;    // pass mark as a fraction
    std::optional<int> readiness_scaled;
    std::size_t cards = 0, seen = 0, reviews = 0, correct = 0, due_now = 0, new_cards = 0;
    std::vector<DomainStats> domains;
    std::vector<TopicStats> weakest_topics;  // seen topics, weakest first (at most 5)
    std::vector<AttemptSummary> attempts;    // oldest first
    std::vector<TrendPoint> mock_trend;      // finished full mock exams against the pass mark
};

struct Stats {
    std::vector<ExamStats> exams;
    std::size_t cards = 0, seen = 0, reviews = 0, correct = 0, due_now = 0;
    int streak_days = 0;  // study days in a row, ending today (or yesterday)
    int reviews_today = 0;
    std::vector<int> reviews_per_day;  // last 30 study days, oldest first, today last
    std::vector<int> due_per_day;      // next 30 days, today first (overdue counts today)
};

Stats compute_stats(const Services& services, const std::optional<std::string>& exam_id = {});

}  // namespace certdrill::app
