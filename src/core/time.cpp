#include "core/time.hpp"

#include <array>

namespace certdrill {

namespace {

constexpr UnixMs kMsPerSecond = 1'000;
constexpr UnixMs kMsPerHour = 3'600'000;

// Division rounding toward negative infinity (C++ '/' truncates toward zero, which would put
// moments before 1970 on the wrong day).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

// The civil calendar repeats every 400 years (146097 days). Counting years from March 1st puts
// the leap day at the end of the year, so the day-of-year formula needs no leap-year branch.
constexpr std::int64_t kDaysPerEra = 146'097;
constexpr std::int64_t kEpochShift = 719'468;  // days from 0000-03-01 to 1970-01-01

// A forward-only reader over the text being parsed.
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ == text_.size(); }
    bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

    bool consume(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }

    // Exactly `count` decimal digits.
    std::optional<int> digits(int count) {
        if (text_.size() - pos_ < static_cast<std::size_t>(count)) return std::nullopt;
        int value = 0;
        for (int i = 0; i < count; ++i) {
            const char c = text_[pos_ + static_cast<std::size_t>(i)];
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        pos_ += static_cast<std::size_t>(count);
        return value;
    }

    // One or more digits of a fraction of a second, as milliseconds (extra digits are truncated).
    std::optional<int> fraction_ms() {
        int ms = 0;
        int count = 0;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
            if (count < 3) ms = ms * 10 + (text_[pos_] - '0');
            ++count;
            ++pos_;
        }
        if (count == 0 || count > 9) return std::nullopt;
        for (int i = count; i < 3; ++i) ms *= 10;
        return ms;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

struct TimeOfDay {
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millisecond = 0;
};

std::optional<TimeOfDay> parse_time_of_day(Cursor& in) {
    TimeOfDay t;
    const auto hour = in.digits(2);
    if (!hour || !in.consume(':')) return std::nullopt;
    const auto minute = in.digits(2);
    if (!minute) return std::nullopt;
    t.hour = *hour;
    t.minute = *minute;
    if (in.consume(':')) {
        const auto second = in.digits(2);
        if (!second) return std::nullopt;
        t.second = *second;
        if (in.consume('.')) {
            const auto ms = in.fraction_ms();
            if (!ms) return std::nullopt;
            t.millisecond = *ms;
        }
    }
    // Leap seconds and "24:00" are valid ISO 8601 but have no place in review logs.
    if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
    return t;
}

// 'Z' or +HH:MM / -HH:MM; returns the offset of local time from UTC in minutes.
std::optional<int> parse_zone(Cursor& in) {
    if (in.consume('Z')) return 0;
    int sign = 0;
    if (in.consume('+'))
        sign = 1;
    else if (in.consume('-'))
        sign = -1;
    else
        return std::nullopt;
    const auto hours = in.digits(2);
    if (!hours || !in.consume(':')) return std::nullopt;
    const auto minutes = in.digits(2);
    if (!minutes || *hours > 23 || *minutes > 59) return std::nullopt;
    return sign * (*hours * 60 + *minutes);
}

char* write_digits(char* out, std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out + width;
}

// Years outside 0..9999 get a sign and as many digits as they need (ISO 8601 expanded years).
char* write_year(char* out, std::int64_t year) {
    if (year >= 0 && year <= 9999) return write_digits(out, year, 4);
    *out++ = year < 0 ? '-' : '+';
    std::uint64_t magnitude = year < 0 ? 0 - static_cast<std::uint64_t>(year) : static_cast<std::uint64_t>(year);
    std::array<char, 24> reversed{};
    int n = 0;
    do {
        reversed[static_cast<std::size_t>(n++)] = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    while (n < 4) reversed[static_cast<std::size_t>(n++)] = '0';
    while (n > 0) *out++ = reversed[static_cast<std::size_t>(--n)];
    return out;
}

}  // namespace

std::int64_t DayCounter::day_of(UnixMs t) const {
    const std::int64_t offset_ms = static_cast<std::int64_t>(utc_offset_minutes(t)) * kMsPerMinute;
    return floor_div(t + offset_ms - static_cast<std::int64_t>(rollover_hour) * kMsPerHour, kMsPerDay);
}

std::int64_t StudyDayMemo::operator()(UnixMs t) {
    constexpr UnixMs kQuarter = 15 * kMsPerMinute;
    const UnixMs start = t - floor_mod(t, kQuarter);
    if (auto it = known_.find(start); it != known_.end()) return it->second;
    const std::int64_t day = days_.day_of(start);
    if (days_.day_of(start + kQuarter - 1) != day) return days_.day_of(t);
    known_.emplace(start, day);
    return day;
}

DayCounter utc_day_counter() {
    DayCounter counter;
    counter.rollover_hour = 0;
    return counter;
}

bool is_leap_year(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
    static constexpr std::array<unsigned, 12> kLengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && is_leap_year(year)) return 29;
    return kLengths[month - 1];
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t year_of_era = y - era * 400;          // 0..399
    const std::int64_t month_from_march = (month + 9) % 12;  // March = 0
    const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * kDaysPerEra + day_of_era - kEpochShift;
}

CivilDate civil_from_days(std::int64_t days) {
    const std::int64_t shifted = days + kEpochShift;
    const std::int64_t era = floor_div(shifted, kDaysPerEra);
    const std::int64_t day_of_era = shifted - era * kDaysPerEra;  // 0..146096
    // Remove the extra day of each 4-, 100- and 400-year cycle to find the year within the era.
    const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
    const auto day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    const auto month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

std::optional<UnixMs> parse_iso8601(std::string_view text) {
    Cursor in(text);
    const auto year = in.digits(4);
    if (!year || !in.consume('-')) return std::nullopt;
    const auto month = in.digits(2);
    if (!month || !in.consume('-')) return std::nullopt;
    const auto day = in.digits(2);
    if (!day) return std::nullopt;
    if (*month < 1 || *month > 12) return std::nullopt;
    const auto m = static_cast<unsigned>(*month);
    if (*day < 1 || static_cast<unsigned>(*day) > days_in_month(*year, m)) return std::nullopt;

    const UnixMs midnight = days_from_civil(*year, m, static_cast<unsigned>(*day)) * kMsPerDay;
    if (in.at_end()) return midnight;  // plain date: midnight UTC

    if (!in.consume('T')) return std::nullopt;
    const auto time = parse_time_of_day(in);
    if (!time) return std::nullopt;
    const auto zone = parse_zone(in);
    if (!zone || !in.at_end()) return std::nullopt;

    return midnight + time->hour * kMsPerHour + time->minute * kMsPerMinute + time->second * kMsPerSecond +
           time->millisecond - static_cast<UnixMs>(*zone) * kMsPerMinute;
}

char* write_iso8601(UnixMs t, char* out) {
    const std::int64_t days = floor_div(t, kMsPerDay);
    std::int64_t ms_of_day = floor_mod(t, kMsPerDay);
    const CivilDate date = civil_from_days(days);

    out = write_year(out, date.year);
    *out++ = '-';
    out = write_digits(out, date.month, 2);
    *out++ = '-';
    out = write_digits(out, date.day, 2);
    *out++ = 'T';
    out = write_digits(out, ms_of_day / kMsPerHour, 2);
    ms_of_day %= kMsPerHour;
    *out++ = ':';
    out = write_digits(out, ms_of_day / kMsPerMinute, 2);
    ms_of_day %= kMsPerMinute;
    *out++ = ':';
    out = write_digits(out, ms_of_day / kMsPerSecond, 2);
    *out++ = '.';
    out = write_digits(out, ms_of_day % kMsPerSecond, 3);
    *out++ = 'Z';
    return out;
}

std::string format_iso8601(UnixMs t) {
    std::array<char, kIso8601MaxLength> buffer{};
    char* end = write_iso8601(t, buffer.data());
    return std::string(buffer.data(), end);
}

}  // namespace certdrill
