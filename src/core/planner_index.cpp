// The planner's index of candidates and the picks that use it (see planner.hpp); the full
// passes they must agree with are in planner.cpp.
#include "core/planner.hpp"

#include <algorithm>
#include <cmath>

namespace certdrill {

// The indexed picks. Each takes the same card as its full pass (planner.cpp), looking only at the
// candidates that can win: the learning steps in due order, the unseen cards of each group in
// pick order, and the due reviews of the groups in the best interleaving order, most overdue first.

namespace {
// The index is built again when a pick's time has moved this far past its reference time, so
// that how overdue a review was then stays close to how overdue it is now.
constexpr UnixMs kReindexAfter = 60 * kMsPerMinute;
}  // namespace

bool SessionPlanner::indexed_due(const Entry& e) const {
    return e.memory && ((e.memory->state == fsrs::State::Review && e.due_day <= idx_.today) ||
                        (is_learning(e) && e.step_day < idx_.today));
}

bool SessionPlanner::indexed_step(const Entry& e) const { return is_learning(e) && e.step_day >= idx_.today; }

bool SessionPlanner::indexed_fresh(const Entry& e) const { return is_new(e); }

void SessionPlanner::sync_index(UnixMs now) const {
    const StudyDay today = days_.day_of(now);
    if (idx_.built && idx_.today == today && now >= idx_.reference && now - idx_.reference <= kReindexAfter) return;
    build_index(today, now);
}

void SessionPlanner::build_index(StudyDay today, UnixMs reference) const {
    idx_ = Index{};
    idx_.today = today;
    idx_.reference = reference;
    idx_.groups.resize(groups_.size());
    idx_.built = true;
    for (std::size_t i = 0; i < entries_.size(); ++i) attach(i, false);
    std::sort(idx_.learning_dues.begin(), idx_.learning_dues.end());
}

namespace {
// How overdue a review was at the index's reference time (elapsed_ratio without the floor at
// zero), and the exponent of its stability, which bounds how fast that grows.
double ratio_at(const fsrs::MemoryState& m, UnixMs reference) {
    return static_cast<double>(reference - m.last_review) / static_cast<double>(kMsPerDay) / m.stability;
}
bool has_ratio(const fsrs::MemoryState& m) {
    return m.state != fsrs::State::New && m.last_review != 0 && m.stability > 0.0;
}
}  // namespace

void SessionPlanner::attach(std::size_t i, bool keep_sorted) const {
    if (!idx_.built) return;
    const Entry& e = entries_[i];
    if (is_new(e)) ++idx_.unseen;
    if (review_due(e, idx_.today)) ++idx_.reviews_due;
    if (is_learning(e)) {
        auto& dues = idx_.learning_dues;
        dues.insert(keep_sorted ? std::upper_bound(dues.begin(), dues.end(), e.memory->due) : dues.end(),
                    e.memory->due);
    }
    if (e.excluded || answered_enough(e)) return;
    Candidates& c = idx_.groups[e.group];
    if (indexed_fresh(e)) {
        c.fresh.emplace(e.weakest_topic, e.random_key, i);
    } else if (indexed_due(e)) {
        ++c.due;
        if (is_learning(e)) idx_.overdue_step_dues.insert(e.memory->due);
        if (has_ratio(*e.memory))
            c.due_by_stability[std::ilogb(e.memory->stability)].emplace(-ratio_at(*e.memory, idx_.reference), i);
        else
            c.due_without_ratio.insert(i);
    } else if (indexed_step(e)) {
        idx_.steps.insert(StepKey{e.memory->due, &e.card->id, i});
    }
}

void SessionPlanner::detach(std::size_t i) const {
    if (!idx_.built) return;
    const Entry& e = entries_[i];
    if (is_new(e)) --idx_.unseen;
    if (review_due(e, idx_.today)) --idx_.reviews_due;
    if (is_learning(e)) {
        auto& dues = idx_.learning_dues;
        dues.erase(std::lower_bound(dues.begin(), dues.end(), e.memory->due));
    }
    if (e.excluded || answered_enough(e)) return;
    Candidates& c = idx_.groups[e.group];
    if (indexed_fresh(e)) {
        c.fresh.erase({e.weakest_topic, e.random_key, i});
    } else if (indexed_due(e)) {
        --c.due;
        if (is_learning(e)) idx_.overdue_step_dues.erase(idx_.overdue_step_dues.find(e.memory->due));
        if (has_ratio(*e.memory)) {
            auto bucket = c.due_by_stability.find(std::ilogb(e.memory->stability));
            bucket->second.erase({-ratio_at(*e.memory, idx_.reference), i});
            if (bucket->second.empty()) c.due_by_stability.erase(bucket);
        } else {
            c.due_without_ratio.erase(i);
        }
    } else if (indexed_step(e)) {
        idx_.steps.erase(StepKey{e.memory->due, &e.card->id, i});
    }
}

std::optional<Pick> SessionPlanner::indexed_learning(UnixMs now, UnixMs ahead, PickKind kind, bool avoid_last) const {
    const StudyDay today = idx_.today;
    for (const StepKey& key : idx_.steps) {
        if (key.due > now + ahead) break;
        const Entry& e = entries_[key.entry];
        if (!available(e, avoid_last) || step_overdue(e, now, today)) continue;
        return Pick{e.card, kind, recall(e, now)};
    }
    return std::nullopt;
}

std::optional<Pick> SessionPlanner::indexed_review(UnixMs now, bool avoid_last) const {
    // The best interleaving order among the groups with a due review that can be shown.
    const bool just_missed = sibling_picks_left_ == kSiblingWindow;
    const Entry* last = last_entry_ == kNone ? nullptr : &entries_[last_entry_];
    const bool last_is_due = avoid_last && last && !last->excluded && !answered_enough(*last) && indexed_due(*last);
    std::optional<Order> best_order;
    std::vector<std::size_t> best_groups;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        std::size_t due = idx_.groups[g].due;
        if (last_is_due && last->group == g) --due;
        if (due == 0) continue;
        const Order order = review_order(groups_[g], just_missed);
        if (best_order && *best_order < order) continue;
        if (!best_order || order < *best_order) {
            best_order = order;
            best_groups.clear();
        }
        best_groups.push_back(g);
    }
    if (!best_order) return std::nullopt;
    // How much a review's ratio can have grown since the reference time, for a stability of at
    // least 2^exponent, with room for rounding.
    const double since = static_cast<double>(now - idx_.reference) / static_cast<double>(kMsPerDay);
    // (Never less for a larger ratio then, so a pass over a bucket can stop at the first review
    // whose bound falls short.)
    const auto upper_bound = [&](double negated_ratio, int exponent) {
        const double then = std::max(0.0, -negated_ratio);
        return then + since / std::ldexp(1.0, exponent) + 1e-9 * (1.0 + then);
    };
    // First the review longest overdue for its stability (the lowest recall), then every review
    // whose recall can come within rounding of it, as the full pass does.
    const Entry* most_overdue = nullptr;
    double most_overdue_ratio = 0.0;
    for (std::size_t g : best_groups)
        for (const auto& [exponent, bucket] : idx_.groups[g].due_by_stability)
            for (const auto& [negated_ratio, i] : bucket) {
                if (most_overdue && upper_bound(negated_ratio, exponent) < most_overdue_ratio) break;
                const Entry& e = entries_[i];
                if (!available(e, avoid_last)) continue;
                const double ratio = *elapsed_ratio(e, now);
                if (!most_overdue || ratio > most_overdue_ratio) {
                    most_overdue = &e;
                    most_overdue_ratio = ratio;
                }
            }
    const double skip_below = ratio_cutoff(most_overdue, now);
    const Entry* best = nullptr;
    double best_recall = 0.0;
    const auto consider = [&](const Entry& e) { keep_lowest(e, now, best, best_recall); };
    for (std::size_t g : best_groups) {
        for (const auto& [exponent, bucket] : idx_.groups[g].due_by_stability)
            for (const auto& [negated_ratio, i] : bucket) {
                if (upper_bound(negated_ratio, exponent) < skip_below) break;
                const Entry& e = entries_[i];
                if (!available(e, avoid_last) || *elapsed_ratio(e, now) < skip_below) continue;
                consider(e);
            }
        for (std::size_t i : idx_.groups[g].due_without_ratio)
            if (available(entries_[i], avoid_last)) consider(entries_[i]);
    }
    const PickKind kind = step_overdue(*best, now, idx_.today) ? PickKind::Learning : PickKind::Review;
    return Pick{best->card, kind, best_recall};
}

std::optional<Pick> SessionPlanner::indexed_new(UnixMs now, bool avoid_last) const {
    if (new_remaining() == 0) return std::nullopt;
    // Each group's first unseen card that can be shown.
    std::vector<std::size_t> first(groups_.size(), kNone);
    std::vector<char> in_domain(domain_ids_.size(), 0), sibling_in_domain(domain_ids_.size(), 0);
    bool any = false, any_sibling = false;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        for (const auto& key : idx_.groups[g].fresh)
            if (available(entries_[std::get<2>(key)], avoid_last)) {
                first[g] = std::get<2>(key);
                break;
            }
        if (first[g] == kNone) continue;
        any = true;
        in_domain[groups_[g].domain] = 1;
        if (sibling_picks_left_ > 0 && groups_[g].sibling) {
            any_sibling = true;
            sibling_in_domain[groups_[g].domain] = 1;
        }
    }
    if (!any) return std::nullopt;
    const std::size_t domain = new_card_domain(any_sibling ? sibling_in_domain : in_domain);
    // Within the domain: weakest topic first, then the seeded random order, then entry order.
    const Entry* best = nullptr;
    std::size_t best_index = kNone;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        if (first[g] == kNone || groups_[g].domain != domain || (any_sibling && !groups_[g].sibling)) continue;
        const Entry& e = entries_[first[g]];
        if (!best || std::tuple{e.weakest_topic, e.random_key, first[g]} <
                         std::tuple{best->weakest_topic, best->random_key, best_index}) {
            best = &e;
            best_index = first[g];
        }
    }
    return Pick{best->card, PickKind::New, recall(*best, now)};
}

}  // namespace certdrill
