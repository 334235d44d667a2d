#include "core/planner.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <string_view>
#include <tuple>

namespace certdrill {

const char* to_string(PickKind k) {
    switch (k) {
        case PickKind::Learning:
            return "learning";
        case PickKind::Review:
            return "review";
        case PickKind::New:
            return "new";
        case PickKind::LearnAhead:
            return "learn-ahead";
    }
    return "?";
}

namespace {
// Sibling preference lasts this many picks after a miss.
constexpr int kSiblingWindow = 3;
// Even a strong domain keeps some share of new cards, so nothing is starved.
constexpr double kWeaknessFloor = 0.15;
// A card answered this often in one session waits for the next session, so that a few cards
// that keep being missed cannot fill a whole session.
constexpr int kMaxAnswersPerSession = 3;
// While new cards remain for today, at least one pick in this many is a new card, so that cards
// being relearned cannot crowd out the rest of the blueprint.
constexpr int kNewCardEvery = 4;
}  // namespace

SessionPlanner::SessionPlanner(const Exam& exam, const std::vector<CardProgress>& cards, const ExamMastery& mastery,
                               const fsrs::Scheduler& scheduler, DayCounter days, PlannerConfig config,
                               std::uint64_t seed)
    : exam_(exam), scheduler_(scheduler), days_(std::move(days)), config_(std::move(config)), mastery_(mastery) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    // Objectives only, not free-form tags: those are what interleaving and siblings are about.
    std::unordered_map<std::string_view, std::uint32_t> objective_index;
    for (const Objective* o : exam_.all_objectives())
        objective_index.emplace(o->id, static_cast<std::uint32_t>(objective_index.size()));
    sibling_objectives_.assign(objective_index.size(), 0);
    std::map<std::string, std::size_t> domain_index;
    for (const auto& cp : cards)
        if (cp.card && !cp.suspended && in_scope(*cp.card)) domain_index.emplace(cp.card->domain_id, 0);
    for (auto& [id, index] : domain_index) {
        index = domain_ids_.size();
        domain_ids_.push_back(id);
    }
    for (const auto& cp : cards) {
        if (!cp.card || cp.suspended || !in_scope(*cp.card)) continue;
        Entry e{cp.card, std::nullopt, uniform(rng), domain_index.at(cp.card->domain_id)};
        for (const auto& t : cp.card->topics)
            if (auto it = mastery_.topics.find(t); it != mastery_.topics.end())
                e.weakest_topic = std::min(e.weakest_topic, it->second.mastery);
        e.objectives_begin = static_cast<std::uint32_t>(objectives_.size());
        for (const auto& t : cp.card->topics)
            if (auto it = objective_index.find(t); it != objective_index.end()) objectives_.push_back(it->second);
        e.objectives_end = static_cast<std::uint32_t>(objectives_.size());
        set_memory(e, cp.memory);
        index_[cp.card->id] = entries_.size();
        entries_.push_back(std::move(e));
    }
    std::map<std::string, double> share_of;
    double total = 0.0;
    for (const auto& d : exam_.domains) {
        if (config_.domain && *config_.domain != d.id) continue;
        auto it = mastery_.domains.find(d.id);
        double weakness = 1.0 - (it == mastery_.domains.end() ? 0.0 : it->second.mastery);
        double share = exam_.effective_weight(d) * (weakness + kWeaknessFloor);
        share_of[d.id] = share;
        total += share;
    }
    for (const auto& id : domain_ids_) {
        auto it = share_of.find(id);
        new_share_.push_back(it == share_of.end() || total <= 0 ? 0.0 : it->second / total);
    }
    new_started_.assign(domain_ids_.size(), 0);
}

void SessionPlanner::set_memory(Entry& e, const std::optional<fsrs::MemoryState>& memory) {
    e.memory = memory;
    // Reviews are scheduled in whole days: a card is due on its due day, whatever the hour.
    // With an exam date, a review scheduled past the exam day falls due on it.
    if (memory) {
        const std::optional<StudyDay> exam_day =
            config_.exam_date ? std::optional<StudyDay>(config_.exam_date->day) : std::nullopt;
        e.due_day = effective_due_day(*memory, days_, exam_day);
        if (memory->state == fsrs::State::Learning || memory->state == fsrs::State::Relearning)
            e.step_day = days_.day_of(memory->due);
    }
}

void SessionPlanner::set_excluded(const Card& card, bool excluded) {
    if (auto it = index_.find(card.id); it != index_.end()) entries_[it->second].excluded = excluded;
}

bool SessionPlanner::in_scope(const Card& card) const {
    return card.exam_id == exam_.id && (!config_.domain || card.domain_id == *config_.domain);
}

bool SessionPlanner::review_due(const Entry& e, StudyDay today) const {
    return e.memory && e.memory->state == fsrs::State::Review && e.due_day <= today;
}

bool SessionPlanner::learning_due(const Entry& e, UnixMs now, UnixMs ahead) const {
    return e.memory && (e.memory->state == fsrs::State::Learning || e.memory->state == fsrs::State::Relearning) &&
           e.memory->due <= now + ahead;
}

bool SessionPlanner::step_overdue(const Entry& e, UnixMs now, StudyDay today) const {
    return learning_due(e, now, 0) && e.step_day < today;
}

bool SessionPlanner::shares_objective(const Entry& a, const Entry& b) const {
    for (std::uint32_t i = a.objectives_begin; i < a.objectives_end; ++i)
        for (std::uint32_t j = b.objectives_begin; j < b.objectives_end; ++j)
            if (objectives_[i] == objectives_[j]) return true;
    return false;
}

bool SessionPlanner::objective_just_shown(const Entry& e) const {
    const std::size_t n = answered_.size();
    for (std::size_t back = 1; back <= 2 && back <= n; ++back)
        if (shares_objective(e, entries_[answered_[n - back]])) return true;
    return false;
}

double SessionPlanner::recall(const Entry& e, UnixMs now) const {
    return predicted_recall(scheduler_, CardProgress{e.card, e.memory, false, false}, now, {});
}

std::optional<double> SessionPlanner::elapsed_ratio(const Entry& e, UnixMs now) const {
    // As predicted_recall reads the memory state.
    const fsrs::MemoryState& m = *e.memory;
    if (m.state == fsrs::State::New || m.last_review == 0 || m.stability <= 0.0) return std::nullopt;
    const double elapsed = std::max(0.0, static_cast<double>(now - m.last_review) / static_cast<double>(kMsPerDay));
    return elapsed / m.stability;
}

bool SessionPlanner::available(const Entry& e, bool avoid_last) const {
    return !e.excluded && !(avoid_last && last_entry_ != kNone && &e == &entries_[last_entry_]) &&
           !answered_enough(e);
}

std::optional<Pick> SessionPlanner::pick_learning(UnixMs now, UnixMs ahead, PickKind kind, bool avoid_last) const {
    const StudyDay today = days_.day_of(now);
    const Entry* best = nullptr;
    for (const auto& e : entries_) {
        if (!available(e, avoid_last) || !learning_due(e, now, ahead) || step_overdue(e, now, today)) continue;
        if (!best || e.memory->due < best->memory->due ||
            (e.memory->due == best->memory->due && e.card->id < best->card->id))
            best = &e;
    }
    if (!best) return std::nullopt;
    return Pick{best->card, kind, recall(*best, now)};
}

// Learning steps that fell due on an earlier day (a break) have lost their timing: they are
// reviewed with the due reviews, interleaved with them, instead of all going first.
std::optional<Pick> SessionPlanner::pick_review(UnixMs now, bool avoid_last) const {
    // The pick right after a miss prefers a sibling (one more question on the objective at
    // once, not a block of them); then a card of another domain than the previous card's and of
    // none of the objectives of the last two cards, so that domains and objectives interleave;
    // then the card most at risk.
    // The pick is the least of (order, recall, card id), order being those three preferences.
    // The recall is a power function, and with tens of thousands of cards due, working it out
    // for every due card on every pick was most of the time an answer took. So a first pass finds
    // the best order and, among the cards of that order, the one longest overdue for its
    // stability, whose recall is the lowest; the second works out the recall only of the cards
    // whose recall can come within rounding of that one, and skips the rest, which lose anyway.
    const StudyDay today = days_.day_of(now);
    const bool just_missed = sibling_picks_left_ == kSiblingWindow;
    using Order = std::tuple<bool, bool, bool>;
    const auto due = [&](const Entry& e) {
        return available(e, avoid_last) && (review_due(e, today) || step_overdue(e, now, today));
    };
    const auto order_of = [&](const Entry& e) {
        return Order{!(just_missed && e.sibling), e.domain == last_domain_, objective_just_shown(e)};
    };
    std::optional<Order> best_order;
    const Entry* most_overdue = nullptr;
    double most_overdue_ratio = 0.0;
    for (const auto& e : entries_) {
        if (!due(e)) continue;
        const Order order = order_of(e);
        if (best_order && *best_order < order) continue;
        if (!best_order || order < *best_order) {
            best_order = order;
            most_overdue = nullptr;
        }
        const auto ratio = elapsed_ratio(e, now);
        if (ratio && (!most_overdue || *ratio > most_overdue_ratio)) {
            most_overdue = &e;
            most_overdue_ratio = *ratio;
        }
    }
    if (!best_order) return std::nullopt;
    // A card whose ratio is below this has a recall above the lowest by more than rounding.
    constexpr double kRecallMargin = 1e-7;
    double skip_below = 0.0;
    if (most_overdue) {
        const double lowest = recall(*most_overdue, now);
        if (lowest + kRecallMargin < 1.0) skip_below = scheduler_.elapsed_ratio_at(lowest + kRecallMargin);
    }
    const Entry* best = nullptr;
    double best_recall = 0.0;
    for (const auto& e : entries_) {
        if (!due(e) || order_of(e) != *best_order) continue;
        if (const auto ratio = elapsed_ratio(e, now); ratio && *ratio < skip_below) continue;
        const double r = recall(e, now);
        if (!best || r < best_recall || (r == best_recall && e.card->id < best->card->id)) {
            best = &e;
            best_recall = r;
        }
    }
    const PickKind kind = step_overdue(*best, now, today) ? PickKind::Learning : PickKind::Review;
    return Pick{best->card, kind, best_recall};
}

std::optional<Pick> SessionPlanner::pick_new(UnixMs now, bool avoid_last) const {
    if (new_remaining() == 0) return std::nullopt;
    // A missed card's unseen siblings come first.
    std::vector<char> in_domain(domain_ids_.size(), 0), sibling_in_domain(domain_ids_.size(), 0);
    bool any = false, any_sibling = false;
    for (const auto& e : entries_) {
        if (!available(e, avoid_last) || !is_new(e)) continue;
        any = true;
        in_domain[e.domain] = 1;
        if (is_sibling(e)) {
            any_sibling = true;
            sibling_in_domain[e.domain] = 1;
        }
    }
    if (!any) return std::nullopt;
    const std::vector<char>& present = any_sibling ? sibling_in_domain : in_domain;
    // Domain with the largest deficit against its share (weight x weakness) of new cards; the
    // domains are in id order, and the first of equal deficits wins.
    std::size_t domain = kNone;
    double best_deficit = -1e9;
    for (std::size_t d = 0; d < domain_ids_.size(); ++d) {
        if (!present[d]) continue;
        double deficit = new_share_[d] * static_cast<double>(new_started_total_ + 1) -
                         static_cast<double>(new_started_[d]);
        if (deficit > best_deficit + 1e-12) {
            best_deficit = deficit;
            domain = d;
        }
    }
    // Within the domain: weakest topic first, then the seeded random order.
    const Entry* best = nullptr;
    for (const auto& e : entries_) {
        if (e.domain != domain || !available(e, avoid_last) || !is_new(e) || (any_sibling && !is_sibling(e))) continue;
        if (!best || std::pair{e.weakest_topic, e.random_key} < std::pair{best->weakest_topic, best->random_key})
            best = &e;
    }
    return Pick{best->card, PickKind::New, recall(*best, now)};
}

std::optional<Pick> SessionPlanner::pick(UnixMs now, bool avoid_last) const {
    if (picks_since_new_ >= kNewCardEvery - 1)
        if (auto p = pick_new(now, avoid_last)) return p;
    if (auto p = pick_learning(now, 0, PickKind::Learning, avoid_last)) return p;
    if (auto p = pick_review(now, avoid_last)) return p;
    if (auto p = pick_new(now, avoid_last)) return p;
    if (auto p = pick_learning(now, config_.learn_ahead, PickKind::LearnAhead, avoid_last)) return p;
    return std::nullopt;
}

std::optional<Pick> SessionPlanner::next(UnixMs now) const {
    // Never the same card twice in a row while any other card can be shown.
    if (auto p = pick(now, true)) return p;
    return pick(now, false);
}

bool SessionPlanner::answered_enough(const Entry& e) const { return e.shown >= kMaxAnswersPerSession; }

void SessionPlanner::record(const Card& card, const fsrs::MemoryState& after, bool correct) {
    auto it = index_.find(card.id);
    if (it == index_.end()) return;
    Entry& e = entries_[it->second];
    ++e.shown;
    // A miss on a card that was itself shown as a sibling does not start a new run of
    // siblings: otherwise one weak topic would chain into the whole session.
    const bool was_sibling = is_sibling(e);
    if (is_new(e)) {
        ++new_started_[e.domain];
        ++new_started_total_;
        picks_since_new_ = 0;
    } else {
        ++picks_since_new_;
    }
    set_memory(e, after);
    last_entry_ = it->second;
    last_domain_ = e.domain;
    answered_.push_back(it->second);
    if (!correct && !was_sibling) {
        std::fill(sibling_objectives_.begin(), sibling_objectives_.end(), 0);
        for (std::uint32_t i = e.objectives_begin; i < e.objectives_end; ++i) sibling_objectives_[objectives_[i]] = 1;
        sibling_picks_left_ = kSiblingWindow;
        for (auto& other : entries_) {
            other.sibling = false;
            for (std::uint32_t i = other.objectives_begin; i < other.objectives_end && !other.sibling; ++i)
                other.sibling = sibling_objectives_[objectives_[i]] != 0;
        }
    } else if (sibling_picks_left_ > 0) {
        --sibling_picks_left_;
    }
}

void SessionPlanner::restore(const Card& card, const std::optional<fsrs::MemoryState>& before, bool was_new) {
    auto it = index_.find(card.id);
    if (it == index_.end()) return;
    Entry& e = entries_[it->second];
    if (e.shown > 0) --e.shown;
    set_memory(e, before);
    if (was_new && new_started_total_ > 0) {
        --new_started_total_;
        if (new_started_[e.domain] > 0) --new_started_[e.domain];
    }
    // The undone answer leaves the recent objectives too (an undo is always of the latest answer).
    if (!answered_.empty() && answered_.back() == it->second) answered_.pop_back();
    last_entry_ = kNone;
    last_domain_ = kNone;
}

double SessionPlanner::retention_for(const Card& card) const {
    double m = 1.0;
    if (auto it = mastery_.domains.find(card.domain_id); it != mastery_.domains.end()) m = it->second.mastery;
    for (const auto& t : card.topics)
        if (auto it = mastery_.topics.find(t); it != mastery_.topics.end() && it->second.reviews > 0)
            m = std::min(m, it->second.mastery);
    const auto days_left =
        config_.exam_date ? std::optional<std::int64_t>(config_.exam_date->days_left) : std::nullopt;
    return exam_retention(m, days_left, config_.default_retention);
}

fsrs::MemoryState SessionPlanner::schedule(const Card& card, const fsrs::MemoryState& before, fsrs::Rating rating,
                                           UnixMs now, std::int64_t elapsed_days) const {
    auto after = scheduler_.next(before, rating, now, elapsed_days, retention_for(card));
    return config_.exam_date ? cap_at_exam_day(after, now, config_.exam_date->day, days_) : after;
}

std::size_t SessionPlanner::new_remaining() const {
    std::size_t used = config_.new_introduced_today + new_started_total_;
    return used >= config_.new_per_day ? 0 : config_.new_per_day - used;
}

std::size_t SessionPlanner::due_reviews(UnixMs now) const {
    const StudyDay today = days_.day_of(now);
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return review_due(e, today); }));
}

std::size_t SessionPlanner::learning(UnixMs now) const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return learning_due(e, now, 0); }));
}

std::size_t SessionPlanner::new_available() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return is_new(e); }));
}

}  // namespace certdrill
