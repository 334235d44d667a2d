#pragma once
// Time in certdrill is an integer count of milliseconds since the Unix epoch (UTC). Everything
// that needs "now" receives a Clock; nothing reads the system clock on its own.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace certdrill {

using UnixMs = std::int64_t;

constexpr UnixMs kMsPerMinute = 60'000;
constexpr UnixMs kMsPerDay = 86'400'000;

// A source of the current time, injected everywhere "now" is needed.
using Clock = std::function<UnixMs()>;

// Maps a moment to a study-day number. Days are counted in the user's local calendar and roll
// over at a configurable hour (default 4:00), so a late-night session counts as the same day.
struct DayCounter {
    // Offset of local time from UTC at the given moment, in minutes (handles DST changes).
    std::function<int(UnixMs)> utc_offset_minutes = [](UnixMs) { return 0; };
    int rollover_hour = 4;

    std::int64_t day_of(UnixMs t) const;
    std::int64_t days_between(UnixMs earlier, UnixMs later) const { return day_of(later) - day_of(earlier); }
};

// The study day of each of many moments, as DayCounter::day_of gives it. day_of asks the time
// zone for every moment, too slow for a whole log; time zone offsets and their changes fall on
// quarter hours, so the day is worked out once per quarter hour and kept. A quarter whose two
// ends fall on different days (one holding a rollover, or an odd historical offset) is never
// kept: its moments are asked one by one.
class StudyDayMemo {
public:
    explicit StudyDayMemo(const DayCounter& days) : days_(days) {}
    std::int64_t operator()(UnixMs t);

private:
    const DayCounter& days_;
    std::unordered_map<UnixMs, std::int64_t> known_;  // by the quarter hour's first moment
};

// UTC calendar days, rollover at midnight: the convention of the replay command and ts-fsrs.
DayCounter utc_day_counter();

// ISO 8601 with 'Z' or a numeric offset, e.g. "2022-12-29T12:30:00Z", "2022-12-29T12:30:00.250+02:00",
// or a plain date "2022-12-29" (midnight UTC). Returns nullopt when the text is not such a time.
std::optional<UnixMs> parse_iso8601(std::string_view text);
// "2022-12-29T12:30:00.000Z"
std::string format_iso8601(UnixMs t);
// Allocation-free variant for hot loops: writes the same text to `out`, which must have room for
// kIso8601MaxLength characters (years 0..9999 take exactly 24), and returns the end of the text.
constexpr std::size_t kIso8601MaxLength = 32;
char* write_iso8601(UnixMs t, char* out);

// Civil date helpers (proleptic Gregorian), days since 1970-01-01.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
struct CivilDate {
    std::int64_t year;
    unsigned month;  // 1..12
    unsigned day;    // 1..31
};
CivilDate civil_from_days(std::int64_t days);
bool is_leap_year(std::int64_t year);
unsigned days_in_month(std::int64_t year, unsigned month);

}  // namespace certdrill
