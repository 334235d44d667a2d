#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/fsrs.hpp"
#include "core/time.hpp"

#ifndef CERTDRILL_TEST_DATA
#define CERTDRILL_TEST_DATA "tests/data"
#endif

namespace test_fsrs {

using namespace certdrill;
using namespace certdrill::fsrs;
using nlohmann::json;

namespace {

UnixMs at(const char* text) {
    const auto t = parse_iso8601(text);
    REQUIRE(t.has_value());
    return *t;
}

bool close(double a, double b, double rel = 1e-6) {
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

// Reviews a card the way the reference does: UTC calendar days between reviews.
MemoryState review(const Scheduler& s, const MemoryState& card, Rating r, UnixMs now) {
    const std::int64_t elapsed = card.state == State::New ? 0 : utc_day_counter().days_between(card.last_review, now);
    return s.next(card, r, now, elapsed);
}

std::vector<int> steps_from(const json& list) {
    std::vector<int> minutes;
    for (const auto& item : list) {
        const auto m = parse_step(item.get<std::string>());
        REQUIRE(m.has_value());
        minutes.push_back(*m);
    }
    return minutes;
}

Parameters parameters_from(const json& config) {
    Parameters p;
    if (config.contains("parameters")) p.w = upgrade_weights(config["parameters"].get<std::vector<double>>());
    if (config.contains("desired_retention")) p.desired_retention = config["desired_retention"].get<double>();
    if (config.contains("learning_steps")) p.learning_steps_minutes = steps_from(config["learning_steps"]);
    if (config.contains("relearning_steps")) p.relearning_steps_minutes = steps_from(config["relearning_steps"]);
    if (config.contains("maximum_interval")) p.maximum_interval = config["maximum_interval"].get<int>();
    if (config.contains("enable_short_term")) p.enable_short_term = config["enable_short_term"].get<bool>();
    return p;
}

json load_vectors() {
    std::ifstream file(CERTDRILL_TEST_DATA "/fsrs_vectors.json");
    REQUIRE_MESSAGE(file.good(), "cannot open " CERTDRILL_TEST_DATA "/fsrs_vectors.json");
    return json::parse(file);
}

}  // namespace

TEST_CASE("check vector: Good x6, Again x2, Good x5, each at the due moment") {
    const Scheduler s;
    std::vector<Rating> sequence(6, Rating::Good);
    sequence.insert(sequence.end(), 2, Rating::Again);
    sequence.insert(sequence.end(), 5, Rating::Good);

    const std::vector<int> expected_days = {0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21};
    MemoryState card;
    UnixMs now = at("2022-12-29T12:30:00Z");
    std::vector<int> days;
    for (const Rating r : sequence) {
        card = review(s, card, r, now);
        days.push_back(card.scheduled_days);
        now = card.due;
    }
    CHECK(days == expected_days);
    CHECK(card.state == State::Review);
    CHECK(card.stability == doctest::Approx(20.77035737).epsilon(1e-9));
    CHECK(card.difficulty == doctest::Approx(9.0557599).epsilon(1e-9));
    CHECK(card.reps == 13);
    CHECK(card.lapses == 1);
}

TEST_CASE("check vector: first review of a new card") {
    const Scheduler s;
    const UnixMs now = at("2022-12-29T12:30:00Z");
    const auto outcomes = s.preview(MemoryState{}, now, 0);
    const double stability[] = {0.212, 1.2931, 2.3065, 8.2956};
    const double difficulty[] = {6.4133, 5.11217071, 2.11810397, 1};
    const int days[] = {0, 0, 0, 8};
    const State states[] = {State::Learning, State::Learning, State::Learning, State::Review};
    const UnixMs due[] = {now + kMsPerMinute, now + 6 * kMsPerMinute, now + 10 * kMsPerMinute, now + 8 * kMsPerDay};
    for (std::size_t i = 0; i < 4; ++i) {
        INFO("grade " << i + 1);
        CHECK(outcomes[i].stability == doctest::Approx(stability[i]).epsilon(1e-12));
        CHECK(outcomes[i].difficulty == doctest::Approx(difficulty[i]).epsilon(1e-12));
        CHECK(outcomes[i].scheduled_days == days[i]);
        CHECK(outcomes[i].state == states[i]);
        CHECK(outcomes[i].due == due[i]);
        CHECK(outcomes[i].reps == 1);
        CHECK(outcomes[i].lapses == 0);
        CHECK(outcomes[i].last_review == now);
    }
    CHECK(s.initial_stability(Rating::Good) == 2.3065);
    CHECK(s.initial_difficulty(Rating::Easy) == 1.0);
}

TEST_CASE("check vector: retrievability of S = 1") {
    const Scheduler s;
    const double expected[] = {1, 0.9, 0.84588465, 0.8093881};
    for (int t = 0; t <= 3; ++t) {
        INFO("t = " << t);
        CHECK(s.forgetting_curve(t, 1.0) == doctest::Approx(expected[t]).epsilon(1e-12));
    }
    MemoryState card;
    card.state = State::Review;
    card.stability = 1.0;
    card.difficulty = 5.0;
    CHECK(s.retrievability(card, 2) == doctest::Approx(0.84588465).epsilon(1e-12));
    CHECK(s.retrievability(MemoryState{}, 10) == 0.0);
    // Fractional days fall between the whole-day values.
    const double half = s.retrievability_fractional(card, 1.5);
    CHECK(half < 0.9);
    CHECK(half > 0.84588465);
}

TEST_CASE("check vector: next difficulty from D = 5") {
    const Scheduler s;
    const double expected[] = {8.34176237, 6.66599536, 4.99022837, 3.31446137};
    for (int g = 1; g <= 4; ++g) {
        INFO("grade " << g);
        CHECK(s.next_difficulty(5.0, static_cast<Rating>(g)) == doctest::Approx(expected[g - 1]).epsilon(1e-12));
    }
}

TEST_CASE("check vector: interval of S = 1 by desired retention") {
    // The reference figures are before the maximum-interval cap.
    Parameters uncapped;
    uncapped.maximum_interval = 10'000'000;
    const Scheduler wide(uncapped);
    const int expected[] = {3116769, 34793, 2508, 387, 90, 27, 9, 3, 1, 1};
    for (int i = 0; i < 10; ++i) {
        const double r = (i + 1) / 10.0;
        INFO("r = " << r);
        CHECK(wide.next_interval(1.0, r) == expected[i]);
    }
    const Scheduler s;
    CHECK(s.next_interval(1.0, 0.1) == 36500);
    CHECK(s.next_interval(1.0) == 1);
    CHECK(s.interval_modifier(0.9) == 1.0);
}

TEST_CASE("every generated ts-fsrs vector matches field by field") {
    const json vectors = load_vectors();
    const json& cases = vectors.at("cases");
    REQUIRE(cases.size() > 100);
    std::size_t compared = 0;
    std::set<std::string> variety;  // which kinds of configuration the file exercises
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const json& tc = cases[c];
        const json& config = tc.at("config");
        for (const auto& [key, value] : config.items()) variety.insert(key);
        const Scheduler s(parameters_from(config));
        MemoryState card;
        const json& reviews = tc.at("reviews");
        const json& expected = tc.at("expected");
        REQUIRE(reviews.size() == expected.size());
        for (std::size_t i = 0; i < reviews.size(); ++i) {
            const UnixMs now = reviews[i][0].get<UnixMs>();
            const auto rating = static_cast<Rating>(reviews[i][1].get<int>());
            card = review(s, card, rating, now);
            const json& e = expected[i];
            INFO("case " << c << " review " << i << " config " << config.dump());
            CHECK(static_cast<int>(card.state) == e[0].get<int>());
            CHECK_MESSAGE(close(card.stability, e[1].get<double>()), card.stability, " vs ", e[1].get<double>());
            CHECK_MESSAGE(close(card.difficulty, e[2].get<double>()), card.difficulty, " vs ", e[2].get<double>());
            CHECK(card.scheduled_days == e[3].get<int>());
            CHECK(card.due == e[4].get<UnixMs>());
            CHECK(card.reps == e[5].get<int>());
            CHECK(card.lapses == e[6].get<int>());
            CHECK(card.step == e[7].get<int>());
            ++compared;
        }
    }
    CHECK(compared > 5000);
    for (const char* key : {"parameters", "desired_retention", "learning_steps", "relearning_steps", "maximum_interval",
                            "enable_short_term"})
        CHECK_MESSAGE(variety.count(key) == 1, "no vector sets ", key);
}

TEST_CASE("parameter sets: 19 are upgraded, other sizes and out-of-range values are rejected") {
    const std::vector<double> fsrs5 = {0.40255, 1.18385, 3.173,  15.69105, 7.1949, 0.5345, 1.4604,
                                       0.0046,  1.54575, 0.1192, 1.01925,  1.9395, 0.11,   0.29605,
                                       2.2698,  0.2315,  2.9898, 0.51655,  0.6621};
    const auto w = upgrade_weights(fsrs5);
    CHECK(w[18] == 0.6621);
    CHECK(w[19] == 0.0);
    CHECK(w[20] == 0.5);
    CHECK(upgrade_weights(std::vector<double>(kDefaultWeights.begin(), kDefaultWeights.end())) == kDefaultWeights);
    CHECK_THROWS_AS(upgrade_weights(std::vector<double>(17, 1.0)), std::invalid_argument);
    CHECK_THROWS_WITH(upgrade_weights(std::vector<double>(20, 1.0)), "FSRS needs 19 or 21 parameters, got 20");

    // Short-term scheduling needs a little stability damping: w19 is raised to 0.01 as ts-fsrs does.
    Parameters p;
    p.w = w;
    CHECK(Scheduler(p).parameters().w[19] == 0.01);
    p.enable_short_term = false;
    CHECK(Scheduler(p).parameters().w[19] == 0.0);

    Parameters bad;
    bad.w[7] = 0.9;
    CHECK_THROWS_WITH_AS(Scheduler{bad}, "FSRS parameter w[7] = 0.9 is outside its range [0.001, 0.75]",
                         std::invalid_argument);
    bad = Parameters{};
    bad.w[20] = std::nan("");
    CHECK_THROWS_AS(Scheduler{bad}, std::invalid_argument);
    bad = Parameters{};
    bad.desired_retention = 0.0;
    CHECK_THROWS_AS(Scheduler{bad}, std::invalid_argument);
    bad.desired_retention = 1.01;
    CHECK_THROWS_AS(Scheduler{bad}, std::invalid_argument);
    bad = Parameters{};
    bad.maximum_interval = 0;
    CHECK_THROWS_AS(Scheduler{bad}, std::invalid_argument);
    bad = Parameters{};
    bad.learning_steps_minutes = {1, -5};
    CHECK_THROWS_AS(Scheduler{bad}, std::invalid_argument);
}

TEST_CASE("several relearning steps cap w17 and w18") {
    Parameters p;
    p.w[17] = 1.9;
    p.w[18] = 1.9;
    p.relearning_steps_minutes = {5, 10};
    const Scheduler s(p);
    // -(ln w11 + ln(2^w13 - 1) + 0.3 w14) / 2 with the default w11, w13, w14, square-rooted.
    const double cap = std::sqrt(-(std::log(1.4835) + std::log(std::pow(2.0, 0.2629) - 1.0) + 0.3 * 1.6483) / 2.0);
    CHECK(s.parameters().w[17] == doctest::Approx(cap).epsilon(1e-8));
    CHECK(s.parameters().w[18] == doctest::Approx(cap).epsilon(1e-8));
    p.relearning_steps_minutes = {5};
    CHECK(Scheduler(p).parameters().w[17] == 1.9);
}

TEST_CASE("desired retention override behaves like a scheduler configured with it") {
    Parameters p95;
    p95.desired_retention = 0.95;
    const Scheduler base;
    const Scheduler strict(p95);
    MemoryState a;
    MemoryState b;
    UnixMs now = at("2023-01-05T09:00:00Z");
    const Rating sequence[] = {Rating::Good, Rating::Good, Rating::Good, Rating::Hard, Rating::Good, Rating::Easy};
    for (const Rating r : sequence) {
        const std::int64_t elapsed = a.state == State::New ? 0 : utc_day_counter().days_between(a.last_review, now);
        a = base.next(a, r, now, elapsed, 0.95);
        b = strict.next(b, r, now, elapsed);
        CHECK(a == b);
        now = a.due;
    }
    // A higher retention schedules sooner.
    CHECK(base.next_interval(100.0, 0.95) < base.next_interval(100.0));
    CHECK_THROWS_AS(base.next(a, Rating::Good, now, 3, 1.5), std::invalid_argument);
}

TEST_CASE("preview gives the outcome of each rating") {
    const Scheduler s;
    MemoryState card;
    UnixMs now = at("2023-02-01T10:00:00Z");
    for (const Rating r : {Rating::Good, Rating::Good, Rating::Good}) {
        card = review(s, card, r, now);
        now = card.due + 3 * kMsPerDay;
    }
    REQUIRE(card.state == State::Review);
    const std::int64_t elapsed = utc_day_counter().days_between(card.last_review, now);
    const auto outcomes = s.preview(card, now, elapsed);
    for (int g = 1; g <= 4; ++g)
        CHECK(outcomes[static_cast<std::size_t>(g - 1)] == s.next(card, static_cast<Rating>(g), now, elapsed));
    CHECK(outcomes[0].state == State::Relearning);
    CHECK(outcomes[0].lapses == card.lapses + 1);
    CHECK(outcomes[1].scheduled_days < outcomes[2].scheduled_days);
    CHECK(outcomes[2].scheduled_days < outcomes[3].scheduled_days);
}

TEST_CASE("learning steps") {
    const Scheduler s;
    const UnixMs now = at("2023-03-10T08:00:00Z");
    MemoryState card = s.next(MemoryState{}, Rating::Good, now, 0);
    CHECK(card.state == State::Learning);
    CHECK(card.step == 1);
    CHECK(card.due == now + 10 * kMsPerMinute);
    // Hard repeats the current step, halfway between the first two steps.
    const MemoryState hard = s.next(card, Rating::Hard, card.due, 0);
    CHECK(hard.step == 1);
    CHECK(hard.due == card.due + 6 * kMsPerMinute);
    // Good on the last step graduates.
    const MemoryState graduated = s.next(card, Rating::Good, card.due, 0);
    CHECK(graduated.state == State::Review);
    CHECK(graduated.step == 0);
    CHECK(graduated.scheduled_days >= 1);

    // A step of a day or more schedules whole days but keeps the step index.
    Parameters p;
    p.learning_steps_minutes = {10, 2 * 1440};
    const Scheduler long_steps(p);
    const MemoryState first = long_steps.next(MemoryState{}, Rating::Good, now, 0);
    CHECK(first.state == State::Review);
    CHECK(first.scheduled_days == 2);
    CHECK(first.step == 1);
    CHECK(first.due == now + 2 * kMsPerDay);

    // No learning steps: the first answer goes straight to review.
    p.learning_steps_minutes = {};
    const MemoryState direct = Scheduler(p).next(MemoryState{}, Rating::Again, now, 0);
    CHECK(direct.state == State::Review);
    CHECK(direct.scheduled_days == 1);
}

TEST_CASE("short-term scheduling off: every answer gets a day interval, strictly ordered") {
    Parameters p;
    p.enable_short_term = false;
    const Scheduler s(p);
    const UnixMs now = at("2023-03-10T08:00:00Z");
    const auto first = s.preview(MemoryState{}, now, 0);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(first[i].state == State::Review);
        CHECK(first[i].scheduled_days >= 1);
        CHECK(first[i].lapses == 0);
        if (i > 0) CHECK(first[i].scheduled_days > first[i - 1].scheduled_days);
    }
    const auto later = s.preview(first[2], first[2].due, first[2].scheduled_days);
    CHECK(later[0].lapses == 1);
    CHECK(later[0].state == State::Review);
}

TEST_CASE("fuzz is off by default and deterministic when enabled") {
    Parameters p;
    const UnixMs now = at("2023-04-01T08:00:00Z");
    MemoryState card;
    card.state = State::Review;
    card.stability = 40.0;
    card.difficulty = 5.0;
    card.reps = 5;
    card.last_review = now - 40 * kMsPerDay;
    const int plain = Scheduler(p).next(card, Rating::Good, now, 40, {}, 12345).scheduled_days;
    CHECK(Scheduler(p).next(card, Rating::Good, now, 40, {}, 99).scheduled_days == plain);

    p.enable_fuzz = true;
    const Scheduler fuzzy(p);
    std::set<int> seen;
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        const MemoryState a = fuzzy.next(card, Rating::Good, now, 40, {}, seed);
        CHECK(a == fuzzy.next(card, Rating::Good, now, 40, {}, seed));
        // 5% of the part above 20 days, 10% of 7..20 and 15% of 2.5..7, plus one day.
        const double delta = 1.0 + 0.15 * 4.5 + 0.10 * 13.0 + 0.05 * (plain - 20.0);
        CHECK(a.scheduled_days >= std::lround(plain - delta));
        CHECK(a.scheduled_days <= std::lround(plain + delta));
        CHECK(a.due == now + a.scheduled_days * kMsPerDay);
        seen.insert(a.scheduled_days);
    }
    CHECK(seen.size() > 3);
    // Short intervals are never fuzzed.
    MemoryState young = card;
    young.stability = 1.0;
    CHECK(fuzzy.next(young, Rating::Hard, now, 1, {}, 7).scheduled_days ==
          Scheduler().next(young, Rating::Hard, now, 1).scheduled_days);
}

TEST_CASE("invalid reviews are rejected") {
    const Scheduler s;
    const UnixMs now = at("2023-04-01T08:00:00Z");
    const MemoryState card = s.next(MemoryState{}, Rating::Good, now, 0);
    CHECK_THROWS_AS(s.next(card, Rating::Good, now, -1), std::invalid_argument);
    CHECK_THROWS_AS(s.next(card, static_cast<Rating>(5), now, 0), std::invalid_argument);
    MemoryState corrupt = card;
    corrupt.difficulty = 0.5;
    CHECK_THROWS_AS(s.next(corrupt, Rating::Good, now, 1), std::invalid_argument);
    // A New card ignores the elapsed days it is given.
    CHECK(s.next(MemoryState{}, Rating::Good, now, -3) == card);
}

TEST_CASE("helpers: steps, state names, grades from answers") {
    CHECK(parse_step("1m") == 1);
    CHECK(parse_step("10m") == 10);
    CHECK(parse_step("2h") == 120);
    CHECK(parse_step("1d") == 1440);
    CHECK(parse_step("0m") == 0);
    for (const char* bad : {"", "m", "30s", "1.5h", "-1m", "10", "1 m", "99999999999d"}) {
        INFO(bad);
        CHECK_FALSE(parse_step(bad).has_value());
    }
    for (const State st : {State::New, State::Learning, State::Review, State::Relearning})
        CHECK(state_from_string(to_string(st)) == st);
    CHECK_FALSE(state_from_string("graduated").has_value());
    CHECK(std::string(to_string(Rating::Hard)) == "Hard");
    CHECK(grade_answer(false, false) == Rating::Again);
    CHECK(grade_answer(false, true) == Rating::Again);
    CHECK(grade_answer(true, false) == Rating::Good);
    CHECK(grade_answer(true, true) == Rating::Hard);
}

}  // namespace test_fsrs
