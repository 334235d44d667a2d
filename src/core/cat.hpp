#pragma once
// Computerized adaptive testing (CAT) as ISC2 describes it for the CISSP: a Rasch (1PL) ability
// estimate after each scored item, the next item the most informative one at that estimate
// within blueprint content balancing and an exposure cap, unscored pretest items at random
// positions, a 95% confidence stopping rule after the minimum length, and the run-out-of-time
// rule. Pure: the caller supplies item difficulties, answers and random numbers.
// Item difficulties and the passing standard share one logit scale; see docs/mock-exams.md.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace certdrill::cat {

// Probability of a right answer under the Rasch model.
double p_correct(double theta, double b);
// Fisher information of an item of difficulty b at ability theta: p(1 - p).
double information(double theta, double b);

struct Response {
    double b = 0.0;
    bool correct = false;
};

struct Estimate {
    double theta = 0.0;
    double se = 0.0;  // posterior standard deviation (the standard error of measurement)
    double lower(double z = 1.96) const { return theta - z * se; }
    double upper(double z = 1.96) const { return theta + z * se; }
};

// Maximum a posteriori ability with a normal prior (which keeps all-right or all-wrong response
// strings finite); Newton-Raphson on the log posterior.
Estimate estimate_ability(const std::vector<Response>& responses, double prior_mean, double prior_sd);

// ---- Item difficulty: prior, class calibration, the learner's own first answers ----

// Where a card sits before any data: its `difficulty` (1-3, 0 unknown) and `skill` index
// (0 unknown, 1 recall, 2 application, 3 judgement).
struct ItemLevel {
    int difficulty = 0;
    int skill = 0;
    bool operator<(const ItemLevel& o) const {
        return difficulty != o.difficulty ? difficulty < o.difficulty : skill < o.skill;
    }
};

// Logit offsets of the prior (docs/mock-exams.md).
double prior_difficulty(ItemLevel level);
// The prior's uncertainty about one item (variance, logits squared).
constexpr double kPriorVariance = 0.5;

// The passing standard on the difficulty scale: the ability at which a candidate answers
// `passing_percent` of typical items (difficulty 2, application) right.
double passing_standard(double passing_percent);

struct ClassItemStat {
    int n = 0;       // first answers pooled in the class report
    double p = 0.0;  // share of them right
};

// Combines each item's prior with a class report's p-values. A p-value gives -logit(p) up to a
// shift (the class's mean ability, unknown); the shift is fixed so that the calibrated items
// keep the mean difficulty their priors give them. Each item's estimate is then weighted against
// its prior by precision (n p (1 - p) against 1 / kPriorVariance).
std::map<std::string, double> apply_class_calibration(const std::map<std::string, double>& priors,
                                                      const std::map<std::string, ClassItemStat>& stats);

struct FirstAnswer {
    ItemLevel level;
    double b = 0.0;  // the item's difficulty before this refinement
    bool correct = false;
};

// Learns, from the learner's first answer to each card, how far apart the prior's levels really
// are for this learner's bank: one offset per level (normal prior, sd 0.5), fitted jointly with
// the learner's ability. The offsets are re-centred so the bank's mean difficulty is unchanged
// (weights: `bank_counts`, items per level): a refinement may re-space the levels but can never
// make the exam easier or harder as a whole. Fewer than `min_answers` answers: no change.
std::map<ItemLevel, double> level_offsets(const std::vector<FirstAnswer>& answers,
                                          const std::map<ItemLevel, int>& bank_counts, double standard,
                                          int min_answers = 30);

// ---- The adaptive test ----

struct Rules {
    int min_items = 100;  // including pretest items
    int max_items = 150;
    int pretest_items = 25;
    double z = 1.96;                  // 95% confidence interval
    int time_rule_window = 75;        // scored items examined when time runs out
    double first_item_offset = -1.5;  // logits below the standard for the first item
    int randomesque = 4;              // pick at random among this many most informative items
    int exposure_cap = 1;             // earlier adaptive attempts an item may have appeared in
    double prior_sd = 2.0;            // ability prior, centred on the standard
    double standard = 0.0;

    // The exam's rules scaled to a shorter exam of `max` items (at least 1).
    Rules scaled_to(int max) const;
};

struct PoolItem {
    std::string id;
    std::string domain_id;
    double b = 0.0;
    int exposure = 0;   // earlier adaptive attempts that used it
    bool seen = false;  // answered before in study or exams
};

struct Given {
    std::size_t pool_index = 0;
    bool pretest = false;
    std::optional<bool> correct;  // empty until answered
};

enum class Decision { Continue, Pass, Fail };

enum class StopReason { None, Confidence, MaxItems, TimeBeforeMinimum, TimeRule, OutOfItems };
const char* to_string(StopReason r);

struct Outcome {
    Decision decision = Decision::Continue;
    StopReason reason = StopReason::None;
};

// One adaptive test. Which positions hold pretest items is fixed at the start from the seed, so
// that a resumed test continues exactly as it would have.
class AdaptiveTest {
public:
    AdaptiveTest(const Exam& exam, std::vector<PoolItem> pool, Rules rules, std::uint64_t seed);

    const Rules& rules() const { return rules_; }
    const std::vector<PoolItem>& pool() const { return pool_; }
    const std::vector<Given>& given() const { return given_; }
    const std::vector<double>& history() const { return history_; }  // estimate after each scored item
    Estimate estimate() const { return estimate_; }
    int scored_count() const;
    bool pretest_position(int position) const { return pretest_positions_.count(position) > 0; }

    // Chooses the next item and appends it (unanswered); empty when the pool is exhausted.
    std::optional<std::size_t> next_item();
    // Re-appends an item chosen earlier (resuming a stored test).
    void restore(std::size_t pool_index, bool pretest, std::optional<bool> correct);
    // Records the answer to the last item given and updates the estimate.
    void answer(bool correct);
    // After each answer: whether the test ends here, and with what decision.
    Outcome check() const;
    // When time runs out (after the last answer given).
    Outcome time_out() const;
    // Final decision at the end of the item budget or when items run out: the final estimate.
    Outcome final_decision(StopReason reason) const;

    // Scored items of each domain.
    std::map<std::string, int> domain_counts() const;

private:
    void reestimate();
    std::optional<std::string> balanced_domain(bool pretest) const;
    std::optional<std::size_t> pick_in_domain(const std::string& domain_id, double target, bool pretest);

    const Exam& exam_;
    std::vector<PoolItem> pool_;
    Rules rules_;
    std::mt19937_64 rng_;
    std::set<int> pretest_positions_;
    std::vector<bool> used_;
    std::vector<Given> given_;
    std::vector<double> history_;
    Estimate estimate_;
};

// Per-domain proficiency as ISC2 reports it to a failing candidate.
enum class Proficiency { Above, Near, Below };
const char* to_string(Proficiency p);

struct DomainProficiency {
    int items = 0;
    Estimate estimate;
    Proficiency level = Proficiency::Near;
};

// Each domain's ability from its own scored items (prior centred on the standard, so a domain
// with few items reads "near"): above when the estimate less one standard error is at or above
// the standard, below when the estimate plus one standard error is at or below it.
std::map<std::string, DomainProficiency> domain_proficiency(const AdaptiveTest& test);

}  // namespace certdrill::cat
