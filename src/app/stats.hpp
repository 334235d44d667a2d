#pragma once
// Figures for `certdrill stats` and the dashboard, computed from the decks and the log.
#include <optional>
#include <string>
#include <vector>

#include "app/exam_report.hpp"
#include "app/optimize.hpp"
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
    double rank = 0.0;  // credible_mastery: what the weakest topics are ordered by
};

struct AttemptSummary {
    UnixMs at = 0;
    std::string date;  // the study day it started on, "2026-03-02"
    int items = 0;
    double percent = 0.0;
    std::optional<int> scaled;
    bool passed = false;
    UnixMs duration = 0;
    bool adaptive = false;
    std::optional<std::string> domain_id;  // a domain quiz
};

// The plan towards an exam date (`certdrill plan --date`), for stats and the dashboard.
struct ExamPlanStats {
    std::string exam_date;         // "2027-01-20"
    std::int64_t days_left = 0;    // 0 on the exam day, negative once it has passed
    double readiness_exam_day = 0; // predicted fraction right on the exam day, with no more study
    bool on_track = false;         // readiness_exam_day at or above the pass mark
    double margin = 0.0;           // readiness_exam_day - pass mark (fraction; negative: short)
    std::size_t new_per_day = 0;   // new cards a day that start every card in time
    std::size_t unseen = 0;        // cards not started yet
    // Forecast answers per day, today through the exam day ("2027-01-20", count).
    std::vector<std::pair<std::string, int>> due_per_day;
};

struct ExamStats {
    std::string id;
    std::string name;
    std::string short_name;
    // Predicted fraction right at the horizon: on the exam date when one is set, else 30 days
    // from now (recall that lasts, not recall just after an answer).
    double readiness = 0.0;
    double recall_now = 0.0;      // the same from each card's recall at this moment
    UnixMs horizon = 0;           // the moment readiness is predicted for
    std::string horizon_label;    // "2027-01-20" (the exam date) or "30d"
    double passing = 0.0;    // pass mark as a fraction
    std::optional<int> readiness_scaled;
    std::size_t cards = 0, seen = 0, reviews = 0, correct = 0, due_now = 0, new_cards = 0;
    std::vector<DomainStats> domains;
    // Topics with evidence (3 counted answers or a lapse), weakest first by credible_mastery
    // (at most 5).
    std::vector<TopicStats> weakest_topics;
    std::vector<AttemptSummary> attempts;    // oldest first
    std::vector<TrendPoint> mock_trend;      // finished full mock exams against the pass mark
    std::optional<ExamPlanStats> plan;       // set when the exam has a date
    // Whether to suggest `certdrill optimize --exam ID`, from every answer to the exam's cards.
    OptimizeOffer optimize;
    // This exam's activity: answers to its cards, and its cards falling due.
    int reviews_today = 0;
    std::vector<int> reviews_per_day;  // last 30 study days, oldest first, today last
    std::vector<int> due_per_day;      // next 30 days, today first (overdue counts today)
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
