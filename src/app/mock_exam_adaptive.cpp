// The adaptive flow of a mock exam (the CISSP CAT, core/cat.hpp): each item chosen after the last
// answer from the exam's questions, with difficulties from the bank, a class report and the
// learner's first answers.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>

#include "app/mock_exam_parts.hpp"
#include "app/mock_exam_session.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

namespace {

using mock::questions_of;

// The skill level a card declares: 0 unknown, 1 recall, 2 application, 3 judgement.
int skill_index(const Card& card) { return static_cast<int>(card.skill); }

cat::ItemLevel level_of(const Card& card) { return {card.difficulty, skill_index(card)}; }

// Two-sided normal quantile for a confidence level, e.g. 95 -> 1.96 (bisection on erf).
double z_for(double confidence_percent) {
    const double target = std::clamp(confidence_percent, 50.0, 99.99) / 100.0;
    double lo = 0.0, hi = 6.0;
    for (int i = 0; i < 60; ++i) {
        const double mid = (lo + hi) / 2;
        (std::erf(mid / std::sqrt(2.0)) < target ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

}  // namespace

namespace mock {

cat::Rules exam_rules(const Exam& exam) {
    cat::Rules r;
    r.min_items = exam.format.items_min;
    r.max_items = exam.format.items_max;
    r.pretest_items = exam.format.cat.pretest_items;
    r.time_rule_window = exam.format.cat.time_rule_items > 0 ? exam.format.cat.time_rule_items
                                                             : std::max(1, r.min_items - r.pretest_items);
    r.z = z_for(exam.format.cat.confidence_percent);
    r.standard = cat::passing_standard(exam.format.passing_percent);
    return r;
}

}  // namespace mock

std::map<std::string, double> item_difficulties(const Services& services, const Exam& exam,
                                                const Calibration& calibration) {
    const auto questions = questions_of(services.library, exam, std::nullopt);
    std::map<std::string, double> priors;
    std::map<cat::ItemLevel, int> bank_counts;
    std::map<std::string, const Card*, std::less<>> by_id;
    for (const Card* c : questions) {
        priors[c->id] = cat::prior_difficulty(level_of(*c));
        ++bank_counts[level_of(*c)];
        by_id[c->id] = c;
    }
    auto calibrated = cat::apply_class_calibration(priors, calibration);
    // The learner's first answer to each question: measured before any learning from it.
    std::vector<cat::FirstAnswer> first;
    std::set<std::string> seen;
    services.store.for_each_answer([&](const store::AnswerRow& r) {
        auto it = by_id.find(r.card_id);
        if (it == by_id.end() || !seen.insert(it->first).second) return;
        first.push_back({level_of(*it->second), calibrated[it->first], r.correct});
    });
    const auto offsets =
        cat::level_offsets(first, bank_counts, cat::passing_standard(exam.format.passing_percent));
    for (auto& [id, b] : calibrated) b += offsets.at(level_of(*by_id.at(id)));
    return calibrated;
}

void MockExamSession::build_adaptive(std::uint64_t seed, const std::vector<store::AttemptItemRecord>* stored) {
    const auto difficulties = item_difficulties(s_, *exam_, options_.calibration);
    // Exposure: earlier adaptive attempts that used each item; seen: answered before at all.
    std::map<std::string, int> exposure;
    for (const auto& a : s_.store.attempts(exam_->id)) {
        if (a.kind != "adaptive" || a.id == attempt_id_) continue;
        for (const auto& item : s_.store.attempt_items(a.id)) ++exposure[item.card_id];
    }
    std::set<std::string> seen;
    s_.store.for_each_answer([&](const store::AnswerRow& r) { seen.emplace(r.card_id); });
    std::map<std::string, double> stored_b;
    if (stored)
        for (const auto& item : *stored)
            if (item.difficulty) stored_b[item.card_id] = *item.difficulty;
    std::vector<cat::PoolItem> pool;
    for (const Card* c : questions_of(s_.library, *exam_, std::nullopt)) {
        cat::PoolItem p;
        p.id = c->id;
        p.domain_id = c->domain_id;
        auto b = stored_b.find(c->id);
        p.b = b != stored_b.end() ? b->second : difficulties.at(c->id);
        p.exposure = exposure[c->id];
        p.seen = seen.count(c->id) > 0;
        pool.push_back(p);
        pool_cards_.push_back(c);
    }
    cat::Rules rules = mock::exam_rules(*exam_).scaled_to(plan_.items);
    rules.min_items = plan_.items_min;
    rules.pretest_items = plan_.pretest;
    rules.time_rule_window = std::max(1, std::min(rules.time_rule_window, plan_.items_min - plan_.pretest));
    cat_ = std::make_unique<cat::AdaptiveTest>(*exam_, std::move(pool), rules, seed);
}

void MockExamSession::start_adaptive() {
    // One transaction for the attempt and its first item; without an item, nothing is kept.
    s_.store.in_one_transaction([&] {
        attempt_id_ = s_.store.begin_attempt(store::NewAttempt{exam_->id, started_at_, plan_.items, plan_.minutes,
                                                               options_.seed, "adaptive", std::nullopt,
                                                               plan_.items_min, plan_.pretest});
        build_adaptive(options_.seed, nullptr);
        if (!present_next_adaptive())
            throw std::invalid_argument("exam " + exam_->id + " has no questions to draw from");
    });
}

bool MockExamSession::present_next_adaptive() {
    auto index = cat_->next_item();
    if (!index) {
        finished_ = cat_->final_decision(cat::StopReason::OutOfItems);
        return false;
    }
    const Card* card = pool_cards_[*index];
    std::mt19937_64 rng(options_.seed ^ (0x9E3779B97F4A7C15ull * (items_.size() + 1)));
    MockItem item{card, shuffled_options(*card, rng), {}, false, false};
    item.pretest = cat_->given().back().pretest;
    item.difficulty = cat_->pool()[*index].b;
    items_.push_back(item);
    position_ = size() - 1;
    save(position_);  // on record before it is shown: a resumed exam shows the same item
    return true;
}

void MockExamSession::resume_adaptive(const std::vector<store::AttemptItemRecord>& stored) {
    build_adaptive(options_.seed, &stored);
    for (const auto& item : items_) {
        const auto it = std::find(pool_cards_.begin(), pool_cards_.end(), item.card);
        const auto index = static_cast<std::size_t>(it - pool_cards_.begin());
        cat_->restore(index, item.pretest,
                      item.chosen.empty() ? std::nullopt : std::optional<bool>(item.correct));
    }
    position_ = size() - 1;
    if (!items_.back().chosen.empty()) {
        // Interrupted between an answer and the next item.
        const auto outcome = cat_->check();
        if (outcome.decision != cat::Decision::Continue)
            finished_ = outcome;
        else
            present_next_adaptive();
    }
}

// The adaptive test's own verdict, ability estimate and domain proficiency, into the result and
// the outcome stored with the attempt.
void MockExamSession::adaptive_result(MockResult& r, store::AttemptOutcome& outcome) const {
    r.adaptive = true;
    r.score.scaled.reset();  // ISC2 reports no scaled score for the CAT
    cat::Outcome decision;
    if (finished_) {
        decision = *finished_;
    } else {
        // Time ran out, or the candidate ended the exam: the run-out-of-time rule decides.
        decision = cat_->time_out();
        r.ended_early = !r.timed_out;
    }
    r.passed = decision.decision == cat::Decision::Pass;
    r.ability = cat_->estimate();
    r.standard = cat_->rules().standard;
    r.stop_reason = r.ended_early ? std::string("ended before its end; decided as if time had run out: ") +
                                        cat::to_string(decision.reason)
                                  : cat::to_string(decision.reason);
    r.pretest = static_cast<int>(
        std::count_if(items_.begin(), items_.end(), [](const MockItem& i) { return i.pretest && !i.chosen.empty(); }));
    r.proficiency = cat::domain_proficiency(*cat_);
    outcome.ability = r.ability.theta;
    outcome.ability_se = r.ability.se;
    outcome.standard = r.standard;
}

}  // namespace certdrill::app
