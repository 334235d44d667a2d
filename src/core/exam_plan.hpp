#pragma once
// Planning towards an exam date: exam-day recall horizon, intervals that never pass the exam day,
// retention that rises as the day nears, new cards sized to cover the deck in time, and the
// forecast daily workload. Pure: the caller passes the clock's time and the day counter. The
// rules are documented in docs/scheduling.md.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/fsrs.hpp"
#include "core/mastery.hpp"
#include "core/model.hpp"

namespace certdrill {

// A study day: days since 1970-01-01 in the learner's calendar, as DayCounter::day_of counts them.
using StudyDay = std::int64_t;

// "2027-01-20" -> its day number; nothing unless the text is exactly a real YYYY-MM-DD date.
std::optional<StudyDay> parse_exam_date(std::string_view text);
// The day number as "2027-01-20".
std::string format_study_day(StudyDay day);

// The moment exam-day recall is predicted for: 9:00 local time on the exam day.
UnixMs exam_day_moment(StudyDay exam_day, const DayCounter& days);

// Days from today to the exam day: 0 on the day itself, negative once it has passed.
std::int64_t days_left(StudyDay exam_day, UnixMs now, const DayCounter& days);

// The state a review leaves, with its next review moved no later than the exam day: the interval
// is capped at the days left, while stability and difficulty stay as FSRS computed them. On and
// after the exam day nothing is capped (those answers are the last before the exam).
fsrs::MemoryState cap_at_exam_day(fsrs::MemoryState after, UnixMs now, StudyDay exam_day, const DayCounter& days);

// The day a seen card falls due for review, never after the exam day: a card scheduled further
// out before the date was set comes back on the exam day at the latest.
StudyDay effective_due_day(const fsrs::MemoryState& m, const DayCounter& days, std::optional<StudyDay> exam_day);

// Desired retention for a card whose domain or weakest topic has `mastery`, `days_to_exam` days
// before the exam (none: no date). The weakness rule (retention_for_mastery) is raised by a date
// rule: from the default at ramp_start(mastery) days left up to kExamRetention at kFinalWeek
// days left, where weak material starts the rise earlier (60 days at mastery <= 0.50, 30 days
// at >= 0.80). Always within [0.85, 0.97].
inline constexpr double kExamRetention = 0.95;
inline constexpr int kFinalWeek = 7;
double exam_retention(double mastery, std::optional<std::int64_t> days_to_exam, double default_retention = 0.90);

// New cards to start per day so that every unseen card is started at least two days before the
// exam (by exam day - 2), so each is seen once and reviewed at least once more by the exam day:
// ceil(unseen / max(1, days_left - 1)). 0 when nothing is unseen or the exam day has passed.
std::size_t new_cards_needed_per_day(std::size_t unseen, std::int64_t days_to_exam);

// Forecast of the answers due each day from today through the exam day, assuming the planned
// new cards are started each day (`new_per_day`, in blueprint order of the unseen cards) and
// every answer is right (a wrong answer only adds reviews). Each entry is (day, answers).
struct WorkloadForecastInput {
    const std::vector<CardProgress>* cards = nullptr;  // the exam's cards (suspended ones skipped)
    const ExamMastery* mastery = nullptr;              // for the retention of each card
    StudyDay exam_day = 0;
    std::size_t new_per_day = 0;
    double default_retention = 0.90;
};
std::vector<std::pair<StudyDay, int>> forecast_workload(const WorkloadForecastInput& input,
                                                        const fsrs::Scheduler& scheduler, UnixMs now,
                                                        const DayCounter& days);

}  // namespace certdrill
