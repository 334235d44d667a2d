#include <doctest/doctest.h>

#include <array>
#include <functional>
#include <vector>
#include <string>

#include "core/time.hpp"

namespace test_time {

using namespace certdrill;

namespace {

constexpr UnixMs kMsPerHour = 3'600'000;

UnixMs at(const char* text) {
    const auto t = parse_iso8601(text);
    REQUIRE_MESSAGE(t.has_value(), text);
    return *t;
}

}  // namespace

TEST_CASE("days_from_civil counts days from 1970-01-01") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2022, 12, 29) == 19355);
    CHECK(days_from_civil(1600, 1, 1) == -135140);
    CHECK(days_from_civil(0, 3, 1) == -719468);
}

TEST_CASE("civil_from_days inverts days_from_civil across eras") {
    for (std::int64_t d = -800'000; d <= 800'000; d += 97) {
        const CivilDate c = civil_from_days(d);
        REQUIRE(c.month >= 1);
        REQUIRE(c.month <= 12);
        REQUIRE(c.day >= 1);
        REQUIRE(c.day <= days_in_month(c.year, c.month));
        REQUIRE(days_from_civil(static_cast<int>(c.year), c.month, c.day) == d);
    }
    const CivilDate leap = civil_from_days(days_from_civil(2024, 2, 29));
    CHECK(leap.year == 2024);
    CHECK(leap.month == 2);
    CHECK(leap.day == 29);
}

TEST_CASE("leap years and month lengths") {
    CHECK(is_leap_year(2024));
    CHECK(is_leap_year(2000));
    CHECK_FALSE(is_leap_year(1900));
    CHECK_FALSE(is_leap_year(2023));
    CHECK(days_in_month(2023, 2) == 28);
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(2024, 4) == 30);
    CHECK(days_in_month(2024, 12) == 31);
    CHECK(days_in_month(2024, 13) == 0);
}

TEST_CASE("parse_iso8601 accepts UTC, offsets, fractions and plain dates") {
    CHECK(parse_iso8601("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_iso8601("2022-12-29T12:30:00Z") == 1672317000000);
    CHECK(parse_iso8601("2022-12-29T12:30Z") == 1672317000000);
    CHECK(parse_iso8601("2022-12-29T12:30:00.250Z") == 1672317000250);
    CHECK(parse_iso8601("2022-12-29T12:30:00.25Z") == 1672317000250);
    CHECK(parse_iso8601("2022-12-29T12:30:00.2Z") == 1672317000200);
    CHECK(parse_iso8601("2022-12-29T12:30:00.123456789Z") == 1672317000123);  // truncated to ms
    CHECK(parse_iso8601("2022-12-29T14:30:00.250+02:00") == 1672317000250);
    CHECK(parse_iso8601("2022-12-29T07:00:00-05:30") == 1672317000000);
    CHECK(parse_iso8601("2022-12-29") == 1672272000000);
    CHECK(parse_iso8601("2024-02-29") == days_from_civil(2024, 2, 29) * kMsPerDay);
    CHECK(parse_iso8601("1969-12-31T23:59:59.999Z") == -1);
    CHECK(parse_iso8601("2000-01-01T00:30:00+01:00") == parse_iso8601("1999-12-31T23:30:00Z"));
}

TEST_CASE("parse_iso8601 rejects anything that is not a valid time") {
    const char* bad[] = {
        "",
        "2022-13-45",
        "2022-13-01",
        "2022-00-10",
        "2022-12-00",
        "2022-12-32",
        "2022-02-29",  // 2022 is not a leap year
        "2022-04-31",
        "2022-1-01",
        "22-12-29",
        "2022/12/29",
        "2022-12-29T",
        "2022-12-29T12:30:00",  // no zone: ambiguous local time
        "2022-12-29 12:30:00Z",
        "2022-12-29t12:30:00Z",
        "2022-12-29T24:00:00Z",
        "2022-12-29T12:60:00Z",
        "2022-12-29T12:30:60Z",
        "2022-12-29T1:30:00Z",
        "2022-12-29T12:30:00.Z",
        "2022-12-29T12:30:00.1234567890Z",
        "2022-12-29T12:30:00+0200",
        "2022-12-29T12:30:00+24:00",
        "2022-12-29T12:30:00+02:60",
        "2022-12-29T12:30:00Zjunk",
        "2022-12-29junk",
        " 2022-12-29",
        "2022-12-29 ",
        "abcd-ef-gh",
        "-022-12-29",
    };
    for (const char* text : bad) {
        INFO(text);
        CHECK_FALSE(parse_iso8601(text).has_value());
    }
}

TEST_CASE("format_iso8601 writes UTC with milliseconds") {
    CHECK(format_iso8601(0) == "1970-01-01T00:00:00.000Z");
    CHECK(format_iso8601(1672317000000) == "2022-12-29T12:30:00.000Z");
    CHECK(format_iso8601(1672317000250) == "2022-12-29T12:30:00.250Z");
    CHECK(format_iso8601(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(format_iso8601(days_from_civil(2024, 2, 29) * kMsPerDay + 86'399'999) == "2024-02-29T23:59:59.999Z");
    CHECK(format_iso8601(days_from_civil(-1, 1, 1) * kMsPerDay) == "-0001-01-01T00:00:00.000Z");
    CHECK(format_iso8601(days_from_civil(10000, 1, 1) * kMsPerDay) == "+10000-01-01T00:00:00.000Z");

    std::array<char, kIso8601MaxLength> buffer{};
    char* end = write_iso8601(1672317000250, buffer.data());
    CHECK(std::string(buffer.data(), end) == "2022-12-29T12:30:00.250Z");
}

TEST_CASE("format and parse round-trip") {
    for (UnixMs t = -5'000'000'000'000; t <= 5'000'000'000'000; t += 86'399'999'937) {
        const auto back = parse_iso8601(format_iso8601(t));
        REQUIRE(back.has_value());
        REQUIRE(*back == t);
    }
}

TEST_CASE("utc_day_counter counts UTC calendar days") {
    const DayCounter utc = utc_day_counter();
    CHECK(utc.rollover_hour == 0);
    CHECK(utc.day_of(0) == 0);
    CHECK(utc.day_of(kMsPerDay - 1) == 0);
    CHECK(utc.day_of(kMsPerDay) == 1);
    CHECK(utc.day_of(-1) == -1);
    CHECK(utc.day_of(-kMsPerDay) == -1);
    CHECK(utc.day_of(-kMsPerDay - 1) == -2);
    CHECK(utc.days_between(at("2022-12-29T23:59:00Z"), at("2022-12-30T00:01:00Z")) == 1);
    CHECK(utc.days_between(at("2022-12-29T00:01:00Z"), at("2022-12-29T23:59:00Z")) == 0);
    CHECK(utc.days_between(at("2022-12-29T12:00:00Z"), at("2023-03-01T01:00:00Z")) == 62);
}

TEST_CASE("DayCounter rolls over at the configured local hour") {
    DayCounter local;                                       // default rollover 4:00
    local.utc_offset_minutes = [](UnixMs) { return 120; };  // UTC+2
    // 01:59 UTC = 03:59 local: still the previous study day.
    const std::int64_t day = days_from_civil(2022, 12, 29);
    CHECK(local.day_of(at("2022-12-30T01:59:00Z")) == day);
    CHECK(local.day_of(at("2022-12-30T02:00:00Z")) == day + 1);
    // A late session counts as the same day as the evening before it.
    CHECK(local.days_between(at("2022-12-29T20:00:00Z"), at("2022-12-30T01:30:00Z")) == 0);

    DayCounter west;
    west.rollover_hour = 4;
    west.utc_offset_minutes = [](UnixMs) { return -300; };      // UTC-5
    CHECK(west.day_of(at("2022-12-30T08:59:00Z")) == day);      // 03:59 local on the 30th
    CHECK(west.day_of(at("2022-12-30T09:00:00Z")) == day + 1);  // 04:00 local
    // Before 1970 the floor must not truncate toward zero.
    CHECK(west.day_of(at("1969-12-31T08:00:00Z")) == -2);
}

TEST_CASE("DayCounter follows offset changes (daylight saving)") {
    // Offset +60 before a switch moment, +120 after it.
    const UnixMs switch_at = at("2023-03-26T01:00:00Z");
    DayCounter dc;
    dc.rollover_hour = 0;
    dc.utc_offset_minutes = [switch_at](UnixMs t) { return t < switch_at ? 60 : 120; };
    CHECK(dc.day_of(at("2023-03-25T22:59:00Z")) == days_from_civil(2023, 3, 25));  // 23:59 local
    CHECK(dc.day_of(at("2023-03-25T23:00:00Z")) == days_from_civil(2023, 3, 26));  // 00:00 local
    CHECK(dc.day_of(at("2023-03-26T21:59:00Z")) == days_from_civil(2023, 3, 26));  // 23:59 local (+2)
    CHECK(dc.day_of(at("2023-03-26T22:00:00Z")) == days_from_civil(2023, 3, 27));
    CHECK(dc.day_of(switch_at + kMsPerHour) == days_from_civil(2023, 3, 26));
}

TEST_CASE("StudyDayMemo gives day_of's day for every minute, across offset changes and every rollover hour") {
    const UnixMs start = *parse_iso8601("2026-03-27T00:00:00Z");
    const UnixMs change = *parse_iso8601("2026-03-29T01:00:00Z");  // +1:00 -> +2:00, as in central Europe
    struct Zone {
        const char* name;
        std::function<int(UnixMs)> offset;
    };
    const std::vector<Zone> zones{
        {"+5:45", [](UnixMs) { return 5 * 60 + 45; }},
        {"-9:30", [](UnixMs) { return -(9 * 60 + 30); }},
        {"+1:00/+2:00", [change](UnixMs t) { return t < change ? 60 : 120; }},
        {"-10:40 (historical)", [](UnixMs) { return -(10 * 60 + 40); }},
    };
    for (const auto& zone : zones) {
        for (int rollover = 0; rollover < 24; rollover += 1) {
            DayCounter days;
            days.utc_offset_minutes = zone.offset;
            days.rollover_hour = rollover;
            StudyDayMemo memo(days);
            int wrong = 0;
            for (UnixMs t = start; t < start + 4 * kMsPerDay; t += kMsPerMinute + 7)  // off the quarter grid
                if (memo(t) != days.day_of(t)) ++wrong;
            CAPTURE(zone.name);
            CAPTURE(rollover);
            CHECK(wrong == 0);
        }
    }
}

}  // namespace test_time
