#include "core/exam_plan.hpp"

#include <algorithm>
#include <cstdio>

namespace certdrill {

namespace {

constexpr UnixMs kMsPerHour = 60 * kMsPerMinute;
// Exam-day recall is predicted for midday, after any rollover hour a learner would choose.
constexpr int kExamHour = 12;
// Safety bound on the reviews one card can have in the forecast (a card answered right every
// time has a few dozen at most, even over years).
constexpr int kMaxForecastReviews = 400;

// The moment `hour`:00 local time on `day`.
UnixMs local_moment(StudyDay day, int hour, const DayCounter& days) {
    const UnixMs local = day * kMsPerDay + hour * kMsPerHour;
    UnixMs t = local - static_cast<UnixMs>(days.utc_offset_minutes(local)) * kMsPerMinute;
    return local - static_cast<UnixMs>(days.utc_offset_minutes(t)) * kMsPerMinute;
}

// The retention rule of a card, as the session planner applies it: its domain mastery, lowered
// to its weakest objective that has answers.
double card_mastery_for_retention(const Card& card, const ExamMastery& mastery) {
    double m = 1.0;
    if (auto it = mastery.domains.find(card.domain_id); it != mastery.domains.end()) m = it->second.mastery;
    for (const auto& t : card.topics)
        if (auto it = mastery.topics.find(t); it != mastery.topics.end() && it->second.reviews > 0)
            m = std::min(m, it->second.mastery);
    return m;
}

}  // namespace

std::optional<StudyDay> parse_exam_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t len) {
        int v = 0;
        for (std::size_t i = from; i < from + len; ++i) v = v * 10 + (text[i] - '0');
        return v;
    };
    const int year = number(0, 4);
    const int month = number(5, 2);
    const int day = number(8, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 ||
        static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)))
        return std::nullopt;
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::string format_study_day(StudyDay day) {
    const CivilDate c = civil_from_days(day);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
    return buf;
}

UnixMs exam_day_moment(StudyDay exam_day, const DayCounter& days) { return local_moment(exam_day, kExamHour, days); }

std::int64_t days_left(StudyDay exam_day, UnixMs now, const DayCounter& days) { return exam_day - days.day_of(now); }

fsrs::MemoryState cap_at_exam_day(fsrs::MemoryState after, UnixMs now, StudyDay exam_day, const DayCounter& days) {
    const std::int64_t left = days_left(exam_day, now, days);
    // On the exam day itself the answers are the last before the exam: capping them would bring
    // each card straight back the same day.
    if (left < 1 || days.day_of(after.due) <= exam_day) return after;
    UnixMs due = std::min(after.due, now + left * kMsPerDay);
    // A daylight-saving change can put now + whole days an hour into the next study day.
    while (due > now && days.day_of(due) > exam_day) due -= kMsPerHour;
    after.due = std::max(due, now);
    after.scheduled_days = std::min<int>(after.scheduled_days, static_cast<int>(left));
    return after;
}

StudyDay effective_due_day(const fsrs::MemoryState& m, const DayCounter& days, std::optional<StudyDay> exam_day) {
    const StudyDay due = days.day_of(m.due);
    return exam_day ? std::min(due, *exam_day) : due;
}

double exam_retention(double mastery, std::optional<std::int64_t> days_to_exam, double default_retention) {
    const double by_weakness = retention_for_mastery(mastery, default_retention);
    if (!days_to_exam || *days_to_exam < 0) return by_weakness;
    // Weak material starts rising earlier: 60 days out at mastery 0.50 or less, 30 at 0.80 or more.
    const double weakness = std::clamp((0.80 - mastery) / 0.30, 0.0, 1.0);
    const double ramp_start = 30.0 + 30.0 * weakness;
    const double left = static_cast<double>(*days_to_exam);
    double by_date = default_retention;
    if (left <= kFinalWeek)
        by_date = kExamRetention;
    else if (left < ramp_start)
        by_date = default_retention +
                  (ramp_start - left) / (ramp_start - kFinalWeek) * (kExamRetention - default_retention);
    return std::clamp(std::max(by_weakness, by_date), 0.85, 0.97);
}

std::size_t new_cards_needed_per_day(std::size_t unseen, std::int64_t days_to_exam) {
    if (unseen == 0 || days_to_exam < 0) return 0;
    const auto window = static_cast<std::size_t>(std::max<std::int64_t>(1, days_to_exam - 1));
    return (unseen + window - 1) / window;
}

std::vector<std::pair<StudyDay, int>> forecast_workload(const WorkloadForecastInput& input,
                                                        const fsrs::Scheduler& scheduler, UnixMs now,
                                                        const DayCounter& days) {
    const StudyDay today = days.day_of(now);
    std::vector<std::pair<StudyDay, int>> out;
    if (!input.cards || input.exam_day < today) return out;
    for (StudyDay d = today; d <= input.exam_day; ++d) out.emplace_back(d, 0);

    // Follows one card from `state` (answered right every time) until its next review would
    // fall after the exam day, counting each answer on its day.
    auto follow = [&](const Card& card, fsrs::MemoryState state, UnixMs first_at) {
        const double mastery = input.mastery ? card_mastery_for_retention(card, *input.mastery) : 1.0;
        UnixMs at = first_at;
        for (int n = 0; n < kMaxForecastReviews; ++n) {
            const StudyDay day = days.day_of(at);
            if (day > input.exam_day) return;
            ++out[static_cast<std::size_t>(day - today)].second;
            const std::int64_t elapsed =
                state.last_review ? std::max<std::int64_t>(0, days.days_between(state.last_review, at)) : 0;
            const double retention = exam_retention(mastery, input.exam_day - day, input.default_retention);
            state = cap_at_exam_day(scheduler.next(state, fsrs::Rating::Good, at, elapsed, retention), at,
                                    input.exam_day, days);
            at = std::max(at, state.due);  // capped: never after the exam day but the last one
        }
    };

    std::size_t started = 0;
    for (const auto& cp : *input.cards) {
        if (!cp.card || cp.suspended) continue;
        if (cp.memory && cp.memory->state != fsrs::State::New) {
            const StudyDay due_day = std::max(today, effective_due_day(*cp.memory, days, input.exam_day));
            const UnixMs at = due_day == today                         ? now
                              : days.day_of(cp.memory->due) == due_day ? cp.memory->due
                                                                       : local_moment(due_day, kExamHour, days);
            follow(*cp.card, *cp.memory, at);
            continue;
        }
        if (input.new_per_day == 0) continue;
        const StudyDay start = today + static_cast<StudyDay>(started / input.new_per_day);
        ++started;
        if (start > input.exam_day) continue;
        follow(*cp.card, fsrs::MemoryState{}, start == today ? now : local_moment(start, kExamHour, days));
    }
    return out;
}

}  // namespace certdrill
