#include "core/cat.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace certdrill::cat {

namespace {

double logit(double p) { return std::log(p / (1.0 - p)); }

// A generator for one decision of one test: the same test state always gives the same item,
// which makes a resumed test continue exactly as it would have.
std::mt19937_64 rng_for(std::uint64_t seed, std::size_t position, std::uint64_t purpose) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(position), static_cast<std::uint32_t>(purpose)};
    return std::mt19937_64(seq);
}

}  // namespace

double p_correct(double theta, double b) { return 1.0 / (1.0 + std::exp(-(theta - b))); }

double information(double theta, double b) {
    const double p = p_correct(theta, b);
    return p * (1.0 - p);
}

Estimate estimate_ability(const std::vector<Response>& responses, double prior_mean, double prior_sd) {
    const double prior_precision = 1.0 / (prior_sd * prior_sd);
    double theta = prior_mean;
    double curvature = prior_precision;
    for (int iteration = 0; iteration < 60; ++iteration) {
        double slope = -(theta - prior_mean) * prior_precision;
        curvature = prior_precision;
        for (const auto& r : responses) {
            const double p = p_correct(theta, r.b);
            slope += (r.correct ? 1.0 : 0.0) - p;
            curvature += p * (1.0 - p);
        }
        const double step = std::clamp(slope / curvature, -1.0, 1.0);
        theta = std::clamp(theta + step, -10.0, 10.0);
        if (std::abs(step) < 1e-9) break;
    }
    return Estimate{theta, 1.0 / std::sqrt(curvature)};
}

double prior_difficulty(ItemLevel level) {
    // difficulty 1 easy, 2 typical, 3 hard; skill recall, application, judgement.
    static constexpr double kByDifficulty[] = {0.0, -1.0, 0.0, 1.0};
    static constexpr double kBySkill[] = {0.0, -0.5, 0.0, 0.5};
    const double d = kByDifficulty[std::clamp(level.difficulty, 0, 3)];
    const double s = kBySkill[std::clamp(level.skill, 0, 3)];
    return d + s;
}

double passing_standard(double passing_percent) {
    const double p = std::clamp(passing_percent / 100.0, 0.01, 0.99);
    return prior_difficulty({2, 2}) + logit(p);
}

std::map<std::string, double> apply_class_calibration(const std::map<std::string, double>& priors,
                                                      const std::map<std::string, ClassItemStat>& stats) {
    struct Observed {
        double raw;        // -logit(p), before the shift
        double precision;  // n p (1 - p)
    };
    std::map<std::string, Observed> observed;
    double prior_sum = 0.0, raw_sum = 0.0;
    for (const auto& [id, stat] : stats) {
        auto prior = priors.find(id);
        if (prior == priors.end() || stat.n <= 0) continue;
        // Half an answer each way keeps p = 0 or 1 finite.
        const double p = (std::clamp(stat.p, 0.0, 1.0) * stat.n + 0.5) / (stat.n + 1.0);
        observed[id] = Observed{-logit(p), stat.n * p * (1.0 - p)};
        prior_sum += prior->second;
        raw_sum += -logit(p);
    }
    std::map<std::string, double> out = priors;
    if (observed.empty()) return out;
    const double shift = (prior_sum - raw_sum) / static_cast<double>(observed.size());
    for (const auto& [id, o] : observed) {
        const double prior_precision = 1.0 / kPriorVariance;
        out[id] = (priors.at(id) * prior_precision + (o.raw + shift) * o.precision) / (prior_precision + o.precision);
    }
    return out;
}

std::map<ItemLevel, double> level_offsets(const std::vector<FirstAnswer>& answers,
                                          const std::map<ItemLevel, int>& bank_counts, double standard,
                                          int min_answers) {
    std::map<ItemLevel, double> offsets;
    for (const auto& [level, _] : bank_counts) offsets[level] = 0.0;
    if (static_cast<int>(answers.size()) < min_answers) return offsets;
    constexpr double kOffsetPrecision = 1.0 / (0.5 * 0.5);
    constexpr double kAbilityPrecision = 1.0 / (1.5 * 1.5);
    double theta = standard;
    for (int sweep = 0; sweep < 40; ++sweep) {
        // Ability, given the offsets.
        double slope = -(theta - standard) * kAbilityPrecision, curvature = kAbilityPrecision;
        for (const auto& a : answers) {
            const double p = p_correct(theta, a.b + offsets[a.level]);
            slope += (a.correct ? 1.0 : 0.0) - p;
            curvature += p * (1.0 - p);
        }
        theta += std::clamp(slope / curvature, -1.0, 1.0);
        // Each level's offset, given the ability.
        for (auto& [level, offset] : offsets) {
            double s = -offset * kOffsetPrecision, c = kOffsetPrecision;
            for (const auto& a : answers) {
                if (a.level < level || level < a.level) continue;
                const double p = p_correct(theta, a.b + offset);
                s += p - (a.correct ? 1.0 : 0.0);  // a wrong answer raises the difficulty
                c += p * (1.0 - p);
            }
            offset += std::clamp(s / c, -1.0, 1.0);
        }
    }
    // Re-centre on the bank so the exam as a whole keeps its difficulty.
    double weighted = 0.0, total = 0.0;
    for (const auto& [level, count] : bank_counts) {
        weighted += offsets[level] * count;
        total += count;
    }
    if (total > 0)
        for (auto& [_, offset] : offsets) offset -= weighted / total;
    return offsets;
}

// ---- the adaptive test ----

Rules Rules::scaled_to(int max) const {
    if (max >= max_items) return *this;
    Rules r = *this;
    const double ratio = static_cast<double>(std::max(1, max)) / max_items;
    r.max_items = std::max(1, max);
    r.min_items = std::clamp(static_cast<int>(std::lround(min_items * ratio)), 1, r.max_items);
    r.pretest_items = std::clamp(static_cast<int>(std::lround(pretest_items * ratio)), 0, r.min_items - 1);
    r.time_rule_window = std::max(1, r.min_items - r.pretest_items);
    return r;
}

const char* to_string(StopReason r) {
    switch (r) {
        case StopReason::None:
            return "";
        case StopReason::Confidence:
            return "the 95% confidence interval of the ability lay wholly on one side of the passing standard";
        case StopReason::MaxItems:
            return "the maximum number of items was reached; decided on the final ability estimate";
        case StopReason::TimeBeforeMinimum:
            return "time ran out before the minimum number of items";
        case StopReason::TimeRule:
            return "time ran out; decided on the estimates over the last scored items";
        case StopReason::OutOfItems:
            return "the question bank ran out; decided on the final ability estimate";
    }
    return "";
}

AdaptiveTest::AdaptiveTest(const Exam& exam, std::vector<PoolItem> pool, Rules rules, std::uint64_t seed)
    : exam_(exam), pool_(std::move(pool)), rules_(rules), rng_(seed), used_(pool_.size(), false) {
    // Pretest items sit at random positions within the minimum length, never first.
    std::vector<int> positions(static_cast<std::size_t>(std::max(0, rules_.min_items - 1)));
    std::iota(positions.begin(), positions.end(), 1);
    for (std::size_t i = positions.size(); i > 1; --i) std::swap(positions[i - 1], positions[rng_() % i]);
    const auto count = std::min<std::size_t>(positions.size(), static_cast<std::size_t>(std::max(0, rules_.pretest_items)));
    pretest_positions_.insert(positions.begin(), positions.begin() + static_cast<std::ptrdiff_t>(count));
    estimate_ = estimate_ability({}, rules_.standard, rules_.prior_sd);
}

int AdaptiveTest::scored_count() const {
    return static_cast<int>(
        std::count_if(given_.begin(), given_.end(), [](const Given& g) { return !g.pretest && g.correct; }));
}

std::map<std::string, int> AdaptiveTest::domain_counts() const {
    std::map<std::string, int> out;
    for (const auto& d : exam_.domains) out[d.id] = 0;
    for (const auto& g : given_)
        if (!g.pretest) ++out[pool_[g.pool_index].domain_id];
    return out;
}

std::optional<std::string> AdaptiveTest::balanced_domain(bool pretest) const {
    std::map<std::string, int> counts;
    int n = 0;
    for (const auto& g : given_) {
        if (g.pretest != pretest) continue;
        ++counts[pool_[g.pool_index].domain_id];
        ++n;
    }
    std::set<std::string> open;
    for (std::size_t i = 0; i < pool_.size(); ++i)
        if (!used_[i]) open.insert(pool_[i].domain_id);
    double weight_sum = 0.0;
    for (const auto& d : exam_.domains) weight_sum += exam_.effective_weight(d);
    std::optional<std::string> best;
    double best_deficit = 0.0;
    for (const auto& d : exam_.domains) {
        if (!open.count(d.id)) continue;
        const double share = weight_sum > 0 ? exam_.effective_weight(d) / weight_sum : 0.0;
        const double deficit = share * (n + 1) - counts[d.id];
        if (!best || deficit > best_deficit + 1e-12) {
            best = d.id;
            best_deficit = deficit;
        }
    }
    return best;
}

std::optional<std::size_t> AdaptiveTest::pick_in_domain(const std::string& domain_id, double target, bool pretest) {
    // Exposure control first: items over the cap, then items already seen, only when nothing
    // fresher is left in the domain.
    auto tier = [&](const PoolItem& item) { return (item.exposure >= rules_.exposure_cap ? 2 : 0) + (item.seen ? 1 : 0); };
    std::vector<std::size_t> candidates;
    int best_tier = 4;
    for (std::size_t i = 0; i < pool_.size(); ++i) {
        if (used_[i] || pool_[i].domain_id != domain_id) continue;
        const int t = tier(pool_[i]);
        if (t < best_tier) {
            best_tier = t;
            candidates.clear();
        }
        if (t == best_tier) candidates.push_back(i);
    }
    if (candidates.empty()) return std::nullopt;
    auto rng = rng_for(rng_(), given_.size(), pretest ? 2 : 1);
    if (!pretest) {
        // Most information at the target first (closest difficulty), then the randomesque draw.
        std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
            const double ia = information(target, pool_[a].b), ib = information(target, pool_[b].b);
            return ia != ib ? ia > ib : pool_[a].id < pool_[b].id;
        });
        candidates.resize(std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(std::max(1, rules_.randomesque))));
    }
    return candidates[rng() % candidates.size()];
}

std::optional<std::size_t> AdaptiveTest::next_item() {
    const int position = static_cast<int>(given_.size());
    if (position >= rules_.max_items) return std::nullopt;
    bool pretest = pretest_position(position);
    auto domain = balanced_domain(pretest);
    if (!domain) return std::nullopt;
    const bool first_scored =
        std::none_of(given_.begin(), given_.end(), [](const Given& g) { return !g.pretest; });
    const double target = first_scored ? rules_.standard + rules_.first_item_offset : estimate_.theta;
    auto index = pick_in_domain(*domain, target, pretest);
    if (!index) return std::nullopt;
    used_[*index] = true;
    given_.push_back(Given{*index, pretest, std::nullopt});
    return index;
}

void AdaptiveTest::restore(std::size_t pool_index, bool pretest, std::optional<bool> correct) {
    if (pool_index >= pool_.size()) return;
    // Keep the generator in step with a test that chose this item itself.
    rng_();
    used_[pool_index] = true;
    given_.push_back(Given{pool_index, pretest, std::nullopt});
    if (correct) answer(*correct);
}

void AdaptiveTest::answer(bool correct) {
    if (given_.empty() || given_.back().correct) return;
    given_.back().correct = correct;
    if (given_.back().pretest) return;
    reestimate();
    history_.push_back(estimate_.theta);
}

void AdaptiveTest::reestimate() {
    std::vector<Response> responses;
    for (const auto& g : given_)
        if (!g.pretest && g.correct) responses.push_back(Response{pool_[g.pool_index].b, *g.correct});
    estimate_ = estimate_ability(responses, rules_.standard, rules_.prior_sd);
}

Outcome AdaptiveTest::check() const {
    const int answered =
        static_cast<int>(std::count_if(given_.begin(), given_.end(), [](const Given& g) { return g.correct; }));
    if (answered >= rules_.min_items && scored_count() > 0) {
        if (estimate_.lower(rules_.z) > rules_.standard) return {Decision::Pass, StopReason::Confidence};
        if (estimate_.upper(rules_.z) < rules_.standard) return {Decision::Fail, StopReason::Confidence};
    }
    if (answered >= rules_.max_items) return final_decision(StopReason::MaxItems);
    return {};
}

Outcome AdaptiveTest::time_out() const {
    const int answered =
        static_cast<int>(std::count_if(given_.begin(), given_.end(), [](const Given& g) { return g.correct; }));
    if (answered < rules_.min_items) return {Decision::Fail, StopReason::TimeBeforeMinimum};
    const auto window = static_cast<std::size_t>(std::max(1, rules_.time_rule_window));
    if (history_.size() < window) return {Decision::Fail, StopReason::TimeRule};
    const bool stayed_above = std::all_of(history_.end() - static_cast<std::ptrdiff_t>(window), history_.end(),
                                          [&](double theta) { return theta > rules_.standard; });
    return {stayed_above ? Decision::Pass : Decision::Fail, StopReason::TimeRule};
}

Outcome AdaptiveTest::final_decision(StopReason reason) const {
    return {estimate_.theta >= rules_.standard ? Decision::Pass : Decision::Fail, reason};
}

const char* to_string(Proficiency p) {
    switch (p) {
        case Proficiency::Above:
            return "above";
        case Proficiency::Near:
            return "near";
        case Proficiency::Below:
            return "below";
    }
    return "";
}

std::map<std::string, DomainProficiency> domain_proficiency(const AdaptiveTest& test) {
    std::map<std::string, std::vector<Response>> by_domain;
    for (const auto& g : test.given())
        if (!g.pretest && g.correct)
            by_domain[test.pool()[g.pool_index].domain_id].push_back(Response{test.pool()[g.pool_index].b, *g.correct});
    std::map<std::string, DomainProficiency> out;
    const double standard = test.rules().standard;
    for (const auto& [domain, responses] : by_domain) {
        DomainProficiency dp;
        dp.items = static_cast<int>(responses.size());
        dp.estimate = estimate_ability(responses, standard, 1.0);
        if (dp.estimate.theta - dp.estimate.se >= standard)
            dp.level = Proficiency::Above;
        else if (dp.estimate.theta + dp.estimate.se <= standard)
            dp.level = Proficiency::Below;
        else
            dp.level = Proficiency::Near;
        out[domain] = dp;
    }
    return out;
}

}  // namespace certdrill::cat
