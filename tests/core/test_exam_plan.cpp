#include <doctest/doctest.h>

#include <random>

#include "core/exam_plan.hpp"

namespace test_exam_plan {

using namespace certdrill;

namespace {

const DayCounter kUtc = utc_day_counter();
const UnixMs kNow = *parse_iso8601("2026-12-04T09:00:00Z");

}  // namespace

TEST_SUITE("exam plan") {
    TEST_CASE("exam dates are strict YYYY-MM-DD calendar dates") {
        CHECK(parse_exam_date("2027-01-20") == days_from_civil(2027, 1, 20));
        CHECK(parse_exam_date("2028-02-29"));
        CHECK_FALSE(parse_exam_date("2027-02-29"));
        CHECK_FALSE(parse_exam_date("2027-13-01"));
        CHECK_FALSE(parse_exam_date("2027-1-20"));
        CHECK_FALSE(parse_exam_date("2027-01-20T00:00"));
        CHECK_FALSE(parse_exam_date("20270120xx"));
        CHECK(format_study_day(*parse_exam_date("2027-01-20")) == "2027-01-20");
    }

    TEST_CASE("days left count study days, and the exam-day moment falls on the exam day") {
        const StudyDay exam = *parse_exam_date("2026-12-10");
        CHECK(days_left(exam, kNow, kUtc) == 6);
        CHECK(days_left(exam, *parse_iso8601("2026-12-10T23:00:00Z"), kUtc) == 0);
        CHECK(days_left(exam, *parse_iso8601("2026-12-11T01:00:00Z"), kUtc) == -1);
        DayCounter tokyo;  // UTC+9, day rolls over at 4:00
        tokyo.utc_offset_minutes = [](UnixMs) { return 9 * 60; };
        CHECK(tokyo.day_of(exam_day_moment(exam, tokyo)) == exam);
        CHECK(kUtc.day_of(exam_day_moment(exam, kUtc)) == exam);
    }

    TEST_CASE("a review is never scheduled after the exam day, stability is FSRS's own") {
        const fsrs::Scheduler scheduler;
        const StudyDay exam = *parse_exam_date("2026-12-20");
        std::mt19937_64 rng(3);
        for (int i = 0; i < 2000; ++i) {
            fsrs::MemoryState card;
            UnixMs at = kNow;
            // A random history, then one more answer before the exam day.
            const int n = std::uniform_int_distribution<int>(0, 6)(rng);
            for (int k = 0; k <= n; ++k) {
                const auto rating = static_cast<fsrs::Rating>(std::uniform_int_distribution<int>(1, 4)(rng));
                const std::int64_t elapsed = card.last_review ? kUtc.days_between(card.last_review, at) : 0;
                const auto free = scheduler.next(card, rating, at, elapsed);
                const auto capped = cap_at_exam_day(free, at, exam, kUtc);
                CAPTURE(i);
                CHECK(capped.stability == free.stability);
                CHECK(capped.difficulty == free.difficulty);
                CHECK(capped.due >= at);
                if (kUtc.day_of(at) < exam) {
                    CHECK(kUtc.day_of(capped.due) <= exam);
                    CHECK(capped.scheduled_days <= exam - kUtc.day_of(at));
                }
                if (kUtc.day_of(free.due) <= exam) CHECK(capped == free);
                card = capped;
                at += std::uniform_int_distribution<UnixMs>(kMsPerMinute, 4 * kMsPerDay)(rng);
                if (kUtc.day_of(at) >= exam) break;
            }
        }
        // On the exam day itself nothing is capped.
        const UnixMs on_the_day = *parse_iso8601("2026-12-20T08:00:00Z");
        fsrs::MemoryState review = scheduler.next({}, fsrs::Rating::Easy, on_the_day, 0);
        CHECK(cap_at_exam_day(review, on_the_day, exam, kUtc) == review);
    }

    TEST_CASE("a card scheduled past the exam day falls due on it") {
        fsrs::MemoryState m;
        m.state = fsrs::State::Review;
        m.due = *parse_iso8601("2027-03-01T09:00:00Z");
        const StudyDay exam = *parse_exam_date("2027-01-20");
        CHECK(effective_due_day(m, kUtc, exam) == exam);
        CHECK(effective_due_day(m, kUtc, std::nullopt) == kUtc.day_of(m.due));
        CHECK(effective_due_day(m, kUtc, *parse_exam_date("2027-06-01")) == kUtc.day_of(m.due));
    }

    TEST_CASE("retention rises as the date nears, weak material first") {
        // No date: the weakness rule alone.
        CHECK(exam_retention(0.9, std::nullopt) == doctest::Approx(0.90));
        CHECK(exam_retention(0.4, std::nullopt) == doctest::Approx(0.97));
        // Far out, nothing changes; in the last week everything is at least 0.95.
        CHECK(exam_retention(0.9, 90) == doctest::Approx(0.90));
        CHECK(exam_retention(0.9, 7) == doctest::Approx(0.95));
        CHECK(exam_retention(0.9, 0) == doctest::Approx(0.95));
        CHECK(exam_retention(0.4, 3) == doctest::Approx(0.97));
        // The documented table.
        CHECK(exam_retention(0.65, 90) == doctest::Approx(0.935));
        CHECK(exam_retention(0.65, 20) == doctest::Approx(0.935));
        CHECK(exam_retention(0.90, 20) == doctest::Approx(0.90 + 10.0 / 23.0 * 0.05));
        // Weak material starts rising earlier: 40 days out a 0.55 domain has risen, a 0.85 one not.
        CHECK(exam_retention(0.85, 40) == doctest::Approx(0.90));
        CHECK(exam_retention(0.85, 25) > 0.90);
        // Never decreasing as the day nears, never outside [0.85, 0.97].
        for (double m = 0.0; m <= 1.0; m += 0.05) {
            double last = 0.0;
            for (int left = 120; left >= 0; --left) {
                const double r = exam_retention(m, left);
                CHECK(r >= last - 1e-12);
                CHECK(r >= 0.85);
                CHECK(r <= 0.97);
                CHECK(r >= exam_retention(std::min(1.0, m + 0.1), left) - 1e-12);  // weaker: at least as high
                last = r;
            }
        }
        // After the exam day the date rule no longer applies.
        CHECK(exam_retention(0.9, -1) == doctest::Approx(0.90));
    }

    TEST_CASE("new cards a day start every card two days before the exam") {
        CHECK(new_cards_needed_per_day(100, 51) == 2);
        CHECK(new_cards_needed_per_day(101, 51) == 3);
        CHECK(new_cards_needed_per_day(10, 1) == 10);
        CHECK(new_cards_needed_per_day(10, 0) == 10);
        CHECK(new_cards_needed_per_day(0, 30) == 0);
        CHECK(new_cards_needed_per_day(10, -1) == 0);
        for (std::size_t unseen : {1u, 7u, 50u, 333u, 1400u})
            for (int left = 2; left < 200; left += 7) {
                const std::size_t per_day = new_cards_needed_per_day(unseen, left);
                CHECK(per_day * static_cast<std::size_t>(left - 1) >= unseen);  // all started by exam day - 2
                CHECK((per_day - 1) * static_cast<std::size_t>(left - 1) < unseen);  // and no more than needed
            }
    }

    TEST_CASE("the workload forecast runs from today through the exam day and counts every card twice") {
        Exam exam;
        exam.id = "fx";
        exam.domains.push_back(Domain{"d1", 1, "One", 100, {Objective{"1.1", "one", {}}}});
        std::vector<Card> cards(40);
        for (std::size_t i = 0; i < cards.size(); ++i) {
            cards[i].id = "c" + std::to_string(i);
            cards[i].exam_id = "fx";
            cards[i].domain_id = "d1";
            cards[i].topics = {"1.1"};
        }
        std::vector<CardProgress> progress;
        for (const auto& c : cards) progress.push_back(CardProgress{&c, std::nullopt, false, false});
        // One card already known, due long after the exam: it comes back on the exam day.
        fsrs::MemoryState known;
        known.state = fsrs::State::Review;
        known.stability = 200;
        known.difficulty = 3;
        known.last_review = kNow - 5 * kMsPerDay;
        known.due = kNow + 195 * kMsPerDay;
        progress[0].memory = known;
        const fsrs::Scheduler scheduler;
        const auto mastery = compute_mastery(exam, progress, {}, scheduler, kNow);
        const StudyDay exam_day = kUtc.day_of(kNow) + 20;
        WorkloadForecastInput input{&progress, &mastery, exam_day, new_cards_needed_per_day(39, 20)};
        const auto forecast = forecast_workload(input, scheduler, kNow, kUtc);
        REQUIRE(forecast.size() == 21);
        CHECK(forecast.front().first == kUtc.day_of(kNow));
        CHECK(forecast.back().first == exam_day);
        int total = 0;
        for (const auto& [day, n] : forecast) total += n;
        CHECK(total >= 1 + 2 * 39);
        CHECK(forecast.back().second >= 1);  // the known card at least
        // Without new cards only the known card is left, once, on the exam day.
        input.new_per_day = 0;
        const auto only_known = forecast_workload(input, scheduler, kNow, kUtc);
        for (const auto& [day, n] : only_known) CHECK(n == (day == exam_day ? 1 : 0));
        // An exam day already past gives no forecast.
        input.exam_day = kUtc.day_of(kNow) - 1;
        CHECK(forecast_workload(input, scheduler, kNow, kUtc).empty());
    }
}

}  // namespace test_exam_plan
