// The adaptive test driven by simulated candidates of known ability. The bank is shaped like the
// CISSP one (eight domains weighted 16/10/13/13/13/12/13/10, about 430 questions, difficulty
// 1/2/3 in proportion 1:2:1). The test sees only the prior difficulties; the simulated candidates
// answer by the true ones, which differ from the prior by a random 0.4 logits per item, so the
// figures include the cost of a prior that is only roughly right.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/cat.hpp"

namespace test_cat {

using namespace certdrill;
using namespace certdrill::cat;

namespace {

struct Bank {
    Exam exam;
    std::vector<PoolItem> pool;  // what the test knows (prior difficulties)
    std::vector<double> truth;   // what the candidates answer by
};

const Bank& bank() {
    static const Bank b = [] {
        Bank out;
        out.exam.id = "sim";
        out.exam.short_name = "SIM";
        out.exam.format.passing_percent = 70.0;
        const double weights[] = {16, 10, 13, 13, 13, 12, 13, 10};
        std::mt19937_64 rng(20261204);
        std::normal_distribution<double> misfit(0.0, 0.4);
        for (int d = 1; d <= 8; ++d) {
            const std::string id = "d" + std::to_string(d);
            out.exam.domains.push_back(Domain{id, d, "Domain " + id, weights[d - 1], {}});
            const int count = static_cast<int>(weights[d - 1] * 4.3);
            for (int q = 0; q < count; ++q) {
                const int difficulty = q % 4 == 0 ? 1 : q % 4 == 3 ? 3 : 2;
                PoolItem item;
                item.id = id + ".q" + std::to_string(q);
                item.domain_id = id;
                item.b = prior_difficulty({difficulty, 0});
                out.pool.push_back(item);
                out.truth.push_back(item.b + misfit(rng));
            }
        }
        return out;
    }();
    return b;
}

Rules cissp_rules() {
    Rules r;
    r.standard = passing_standard(70.0);
    return r;
}

struct Run {
    Outcome outcome;
    int items = 0;
    std::map<std::string, int> domains;
    int scored = 0;
    double first_b = 0.0;
    Estimate estimate;
};

// Sits one simulated candidate; `answers_before_time_out` stops the clock after that many answers.
Run sit(double ability, std::uint64_t seed, std::optional<int> answers_before_time_out = std::nullopt,
        Rules rules = cissp_rules()) {
    const Bank& b = bank();
    AdaptiveTest test(b.exam, b.pool, rules, seed);
    std::mt19937_64 rng(seed * 7919 + 17);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Run run;
    while (true) {
        if (answers_before_time_out && run.items >= *answers_before_time_out) {
            run.outcome = test.time_out();
            break;
        }
        auto index = test.next_item();
        if (!index) {
            run.outcome = test.final_decision(StopReason::OutOfItems);
            break;
        }
        if (run.items == 0) run.first_b = b.pool[*index].b;
        test.answer(uniform(rng) < p_correct(ability, b.truth[*index]));
        ++run.items;
        run.outcome = test.check();
        if (run.outcome.decision != Decision::Continue) break;
    }
    run.domains = test.domain_counts();
    run.scored = test.scored_count();
    run.estimate = test.estimate();
    return run;
}

}  // namespace

TEST_CASE("estimate_ability: more right answers raise the estimate and more answers narrow it") {
    std::vector<Response> half, more;
    for (int i = 0; i < 20; ++i) half.push_back({0.0, i % 2 == 0});
    for (int i = 0; i < 20; ++i) more.push_back({0.0, i % 4 != 0});
    const Estimate e_half = estimate_ability(half, 0.0, 2.0);
    const Estimate e_more = estimate_ability(more, 0.0, 2.0);
    CHECK(e_half.theta == doctest::Approx(0.0).epsilon(1e-6));
    CHECK(e_more.theta > 0.8);
    std::vector<Response> longer = half;
    longer.insert(longer.end(), half.begin(), half.end());
    CHECK(estimate_ability(longer, 0.0, 2.0).se < e_half.se);
    // All right stays finite thanks to the prior.
    std::vector<Response> all_right(10, Response{0.0, true});
    CHECK(std::isfinite(estimate_ability(all_right, 0.0, 2.0).theta));
}

TEST_CASE("the passing standard: a typical item is answered right at the pass percentage") {
    const double standard = passing_standard(70.0);
    CHECK(p_correct(standard, prior_difficulty({2, 2})) == doctest::Approx(0.70));
    CHECK(prior_difficulty({3, 3}) > prior_difficulty({3, 0}));
    CHECK(prior_difficulty({1, 1}) < prior_difficulty({2, 0}));
}

TEST_CASE("CAT: a strong candidate passes at the minimum of 100 items, a weak one fails there") {
    const double standard = cissp_rules().standard;
    int strong_at_100 = 0, weak_at_100 = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Run strong = sit(standard + 1.5, seed);
        CHECK(strong.outcome.decision == Decision::Pass);
        strong_at_100 += strong.items == 100 ? 1 : 0;
        const Run weak = sit(standard - 1.5, seed + 100);
        CHECK(weak.outcome.decision == Decision::Fail);
        weak_at_100 += weak.items == 100 ? 1 : 0;
    }
    CHECK(strong_at_100 >= 19);
    CHECK(weak_at_100 >= 19);
}

TEST_CASE("CAT: a borderline candidate sits a longer exam") {
    const double standard = cissp_rules().standard;
    int longer = 0, total_items = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const Run run = sit(standard, seed + 500);
        longer += run.items > 100 ? 1 : 0;
        total_items += run.items;
        CHECK(run.items >= 100);
        CHECK(run.items <= 150);
    }
    CHECK(longer >= 15);
    CHECK(total_items / 20 > 125);
}

TEST_CASE("CAT: decisions match the ability for at least 95% of 200 candidates away from the standard") {
    // Abilities drawn uniformly 0.5 to 2.0 logits above or below the standard (at 0.5 logits a
    // candidate answers a typical item right 79% or 59% of the time against 70% at the standard).
    const double standard = cissp_rules().standard;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> distance(0.5, 2.0);
    int right = 0;
    for (int i = 0; i < 200; ++i) {
        const bool able = i % 2 == 0;
        const double ability = standard + (able ? 1 : -1) * distance(rng);
        const Run run = sit(ability, 1000 + static_cast<std::uint64_t>(i));
        right += (run.outcome.decision == Decision::Pass) == able ? 1 : 0;
    }
    MESSAGE("correct decisions: " << right << " of 200");
    CHECK(right >= 190);
}

TEST_CASE("CAT: scored items follow the blueprint within one item per domain") {
    const Bank& b = bank();
    double weight_sum = 0;
    for (const auto& d : b.exam.domains) weight_sum += d.weight;
    for (double offset : {-1.5, 0.0, 0.4, 1.5}) {
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            const Run run = sit(cissp_rules().standard + offset, seed * 31);
            for (const auto& d : b.exam.domains) {
                const double target = run.scored * d.weight / weight_sum;
                CHECK(std::abs(run.domains.at(d.id) - target) <= 1.0);
            }
        }
    }
}

TEST_CASE("CAT: 25 unscored pretest items at random positions within the first 100, never first") {
    const Bank& b = bank();
    AdaptiveTest one(b.exam, b.pool, cissp_rules(), 7);
    AdaptiveTest two(b.exam, b.pool, cissp_rules(), 8);
    int count = 0, differ = 0;
    for (int p = 0; p < 150; ++p) {
        if (one.pretest_position(p)) {
            ++count;
            CHECK(p > 0);
            CHECK(p < 100);
        }
        differ += one.pretest_position(p) != two.pretest_position(p) ? 1 : 0;
    }
    CHECK(count == 25);
    CHECK(differ > 0);
    // A pretest answer leaves the estimate alone.
    AdaptiveTest test(b.exam, b.pool, cissp_rules(), 7);
    while (true) {
        test.next_item();
        const bool pretest = test.given().back().pretest;
        const double before = test.estimate().theta;
        test.answer(false);
        if (pretest) {
            CHECK(test.estimate().theta == before);
            break;
        }
    }
}

TEST_CASE("CAT: the first item lies well below the passing standard") {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const Run run = sit(0.0, seed);
        CHECK(run.first_b <= cissp_rules().standard - 1.0);
    }
}

TEST_CASE("CAT: time out before the minimum fails whatever the ability") {
    const Run run = sit(cissp_rules().standard + 3.0, 3, 99);
    CHECK(run.outcome.decision == Decision::Fail);
    CHECK(run.outcome.reason == StopReason::TimeBeforeMinimum);
}

TEST_CASE("CAT: time out after the minimum passes only if the last 75 estimates stayed above the standard") {
    const Bank& b = bank();
    Rules rules = cissp_rules();
    rules.min_items = 100;
    // Time out at 140 items: a strong candidate whose estimates stayed above passes; with a
    // long run of wrong answers that pulls the estimate under, the same one fails.
    auto sit_scripted = [&](bool slump) {
        AdaptiveTest test(b.exam, b.pool, rules, 11);
        for (int i = 0; i < 140; ++i) {
            test.next_item();
            const bool late = i >= 70;
            test.answer(slump && late ? false : (i % 5 != 0));  // 80% right, then a slump
        }
        CHECK(test.history().back() < rules.standard + (slump ? 0.0 : 10.0));
        return test.time_out();
    };
    const Outcome steady = sit_scripted(false);
    CHECK(steady.reason == StopReason::TimeRule);
    CHECK(steady.decision == Decision::Pass);
    const Outcome slumped = sit_scripted(true);
    CHECK(slumped.reason == StopReason::TimeRule);
    CHECK(slumped.decision == Decision::Fail);
}

TEST_CASE("CAT: exposure cap keeps items of earlier attempts out while fresh ones remain") {
    const Bank& b = bank();
    std::vector<PoolItem> pool = b.pool;
    for (std::size_t i = 0; i < pool.size(); i += 2) pool[i].exposure = 1;  // every other item used before
    AdaptiveTest test(b.exam, pool, cissp_rules(), 5);
    for (int i = 0; i < 60; ++i) {
        auto index = test.next_item();
        REQUIRE(index);
        CHECK(pool[*index].exposure == 0);
        test.answer(i % 3 != 0);
    }
}

TEST_CASE("CAT: a resumed test continues exactly as the uninterrupted one") {
    const Bank& b = bank();
    AdaptiveTest original(b.exam, b.pool, cissp_rules(), 99);
    std::vector<std::size_t> chosen;
    for (int i = 0; i < 40; ++i) {
        chosen.push_back(*original.next_item());
        original.answer(i % 3 != 1);
    }
    AdaptiveTest resumed(b.exam, b.pool, cissp_rules(), 99);
    for (int i = 0; i < 40; ++i) resumed.restore(chosen[static_cast<std::size_t>(i)], original.given()[static_cast<std::size_t>(i)].pretest, i % 3 != 1);
    CHECK(resumed.estimate().theta == doctest::Approx(original.estimate().theta));
    for (int i = 0; i < 10; ++i) {
        CHECK(resumed.next_item() == original.next_item());
        resumed.answer(true);
        original.answer(true);
    }
}

TEST_CASE("CAT: per-domain proficiency reads below for a domain the candidate always misses") {
    const Bank& b = bank();
    AdaptiveTest test(b.exam, b.pool, cissp_rules(), 21);
    for (int i = 0; i < 120; ++i) {
        auto index = test.next_item();
        const bool weak_domain = b.pool[*index].domain_id == "d3";
        test.answer(weak_domain ? false : i % 10 != 0);
    }
    const auto levels = domain_proficiency(test);
    CHECK(levels.at("d3").level == Proficiency::Below);
    CHECK(levels.at("d1").level == Proficiency::Above);
}

TEST_CASE("class calibration: a hard item gets harder, the calibrated items keep their mean") {
    std::map<std::string, double> priors{{"a", 0.0}, {"b", 0.0}, {"c", 1.0}};
    std::map<std::string, ClassItemStat> stats{{"a", {40, 0.9}}, {"b", {40, 0.3}}, {"c", {40, 0.6}}};
    const auto out = apply_class_calibration(priors, stats);
    CHECK(out.at("b") > out.at("a"));
    CHECK(out.at("a") < 0.0);
    CHECK((out.at("a") + out.at("b") + out.at("c")) / 3 ==
          doctest::Approx((0.0 + 0.0 + 1.0) / 3).epsilon(0.15));
    // Two answers barely move an item.
    const auto thin = apply_class_calibration(priors, {{"a", {2, 0.0}}, {"b", {2, 1.0}}});
    CHECK(std::abs(thin.at("a")) < 1.0);
    CHECK(thin.at("c") == 1.0);
}

TEST_CASE("first answers re-space the levels but keep the bank's mean difficulty") {
    // This learner finds difficulty-3 items much harder than the prior expects.
    std::vector<FirstAnswer> answers;
    for (int i = 0; i < 60; ++i) {
        const int difficulty = 1 + i % 3;
        const bool correct = difficulty == 3 ? i % 10 == 2 : i % 5 != 0;
        answers.push_back({{difficulty, 0}, prior_difficulty({difficulty, 0}), correct});
    }
    const std::map<ItemLevel, int> bank_counts{{{1, 0}, 100}, {{2, 0}, 200}, {{3, 0}, 100}};
    const auto offsets = level_offsets(answers, bank_counts, passing_standard(70));
    CHECK(offsets.at({3, 0}) > offsets.at({1, 0}) + 0.3);
    const double mean = (offsets.at({1, 0}) * 100 + offsets.at({2, 0}) * 200 + offsets.at({3, 0}) * 100) / 400;
    CHECK(mean == doctest::Approx(0.0).epsilon(1e-9));
    // Too few answers: no change.
    answers.resize(10);
    for (const auto& [_, offset] : level_offsets(answers, bank_counts, passing_standard(70))) CHECK(offset == 0.0);
}

}  // namespace test_cat
