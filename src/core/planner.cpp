#include "core/planner.hpp"

#include <algorithm>
#include <cmath>
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
    std::map<std::pair<std::size_t, std::vector<std::uint32_t>>, std::uint32_t> group_index;
    std::pair<std::size_t, std::vector<std::uint32_t>> group_key;  // reused: no allocation per card
    entries_.reserve(cards.size());
    index_.reserve(cards.size());
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
        auto& [group_domain, objectives] = group_key;
        group_domain = e.domain;
        objectives.assign(objectives_.begin() + e.objectives_begin, objectives_.end());
        std::sort(objectives.begin(), objectives.end());
        objectives.erase(std::unique(objectives.begin(), objectives.end()), objectives.end());
        auto group = group_index.find(group_key);
        if (group == group_index.end()) {
            group = group_index.emplace(group_key, static_cast<std::uint32_t>(groups_.size())).first;
            groups_.push_back(Group{e.domain, objectives});
        }
        e.group = group->second;
        set_memory(e, cp.memory);
        index_.assign(cp.card->id, entries_.size());
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
    const std::size_t* found = index_.find(card.id);
    if (!found) return;
    const std::size_t at = *found;
    detach(at);
    entries_[at].excluded = excluded;
    attach(at);
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

namespace {
bool share_one(const std::uint32_t* a, const std::uint32_t* a_end, const std::uint32_t* b, const std::uint32_t* b_end) {
    for (const std::uint32_t* i = a; i != a_end; ++i)
        for (const std::uint32_t* j = b; j != b_end; ++j)
            if (*i == *j) return true;
    return false;
}
}  // namespace

bool SessionPlanner::objective_just_shown(const std::uint32_t* begin, const std::uint32_t* end) const {
    const std::size_t n = answered_.size();
    for (std::size_t back = 1; back <= 2 && back <= n; ++back) {
        const Entry& shown = entries_[answered_[n - back]];
        if (share_one(begin, end, objectives_.data() + shown.objectives_begin, objectives_.data() + shown.objectives_end))
            return true;
    }
    return false;
}

bool SessionPlanner::objective_just_shown(const Entry& e) const {
    return objective_just_shown(objectives_.data() + e.objectives_begin, objectives_.data() + e.objectives_end);
}

SessionPlanner::Order SessionPlanner::review_order(const Group& g, bool just_missed) const {
    return Order{!(just_missed && g.sibling), g.domain == last_domain_,
                 objective_just_shown(g.objectives.data(), g.objectives.data() + g.objectives.size())};
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

double SessionPlanner::ratio_cutoff(const Entry* most_overdue, UnixMs now) const {
    // A card whose ratio is below this has a recall above the lowest by more than rounding.
    constexpr double kRecallMargin = 1e-7;
    if (!most_overdue) return 0.0;
    const double lowest = recall(*most_overdue, now);
    return lowest + kRecallMargin < 1.0 ? scheduler_.elapsed_ratio_at(lowest + kRecallMargin) : 0.0;
}

void SessionPlanner::keep_lowest(const Entry& e, UnixMs now, const Entry*& best, double& best_recall) const {
    const double r = recall(e, now);
    if (!best || r < best_recall || (r == best_recall && e.card->id < best->card->id)) {
        best = &e;
        best_recall = r;
    }
}

bool SessionPlanner::available(const Entry& e, bool avoid_last) const {
    return !e.excluded && !(avoid_last && last_entry_ != kNone && &e == &entries_[last_entry_]) &&
           !answered_enough(e);
}

std::optional<Pick> SessionPlanner::scan_learning(UnixMs now, UnixMs ahead, PickKind kind, bool avoid_last) const {
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
std::optional<Pick> SessionPlanner::scan_review(UnixMs now, bool avoid_last) const {
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
    const auto due = [&](const Entry& e) {
        return available(e, avoid_last) && (review_due(e, today) || step_overdue(e, now, today));
    };
    const auto order_of = [&](const Entry& e) {
        return Order{!(just_missed && groups_[e.group].sibling), e.domain == last_domain_, objective_just_shown(e)};
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
    const double skip_below = ratio_cutoff(most_overdue, now);
    const Entry* best = nullptr;
    double best_recall = 0.0;
    for (const auto& e : entries_) {
        if (!due(e) || order_of(e) != *best_order) continue;
        if (const auto ratio = elapsed_ratio(e, now); ratio && *ratio < skip_below) continue;
        keep_lowest(e, now, best, best_recall);
    }
    const PickKind kind = step_overdue(*best, now, today) ? PickKind::Learning : PickKind::Review;
    return Pick{best->card, kind, best_recall};
}

std::optional<Pick> SessionPlanner::scan_new(UnixMs now, bool avoid_last) const {
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
    const std::size_t domain = new_card_domain(any_sibling ? sibling_in_domain : in_domain);
    // Within the domain: weakest topic first, then the seeded random order.
    const Entry* best = nullptr;
    for (const auto& e : entries_) {
        if (e.domain != domain || !available(e, avoid_last) || !is_new(e) || (any_sibling && !is_sibling(e))) continue;
        if (!best || std::pair{e.weakest_topic, e.random_key} < std::pair{best->weakest_topic, best->random_key})
            best = &e;
    }
    return Pick{best->card, PickKind::New, recall(*best, now)};
}

std::size_t SessionPlanner::new_card_domain(const std::vector<char>& present) const {
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
    return domain;
}

std::optional<Pick> SessionPlanner::pick(UnixMs now, bool avoid_last, bool indexed) const {
    const auto learning = [&](UnixMs ahead, PickKind kind) {
        return indexed ? indexed_learning(now, ahead, kind, avoid_last) : scan_learning(now, ahead, kind, avoid_last);
    };
    const auto review = [&] { return indexed ? indexed_review(now, avoid_last) : scan_review(now, avoid_last); };
    const auto fresh = [&] { return indexed ? indexed_new(now, avoid_last) : scan_new(now, avoid_last); };
    if (picks_since_new_ >= kNewCardEvery - 1)
        if (auto p = fresh()) return p;
    if (auto p = learning(0, PickKind::Learning)) return p;
    if (auto p = review()) return p;
    if (auto p = fresh()) return p;
    if (auto p = learning(config_.learn_ahead, PickKind::LearnAhead)) return p;
    return std::nullopt;
}

std::optional<Pick> SessionPlanner::pick(UnixMs now, bool indexed) const {
    // Never the same card twice in a row while any other card can be shown.
    if (auto p = pick(now, true, indexed)) return p;
    return pick(now, false, indexed);
}

std::optional<Pick> SessionPlanner::next_by_full_scan(UnixMs now) const { return pick(now, false); }

std::optional<Pick> SessionPlanner::next(UnixMs now) const {
    sync_index(now);
    // A learning step counted as overdue since an earlier day but not yet due is possible only
    // where the local day goes back (a clock change); the index does not order those.
    const bool indexed = idx_.overdue_step_dues.empty() || *idx_.overdue_step_dues.rbegin() <= now;
    return pick(now, indexed);
}

bool SessionPlanner::answered_enough(const Entry& e) const { return e.shown >= kMaxAnswersPerSession; }

void SessionPlanner::record(const Card& card, const fsrs::MemoryState& after, bool correct) {
    const std::size_t* found = index_.find(card.id);
    if (!found) return;
    const std::size_t at = *found;
    Entry& e = entries_[at];
    detach(at);
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
    attach(at);
    last_entry_ = at;
    last_domain_ = e.domain;
    answered_.push_back(at);
    if (!correct && !was_sibling) {
        std::fill(sibling_objectives_.begin(), sibling_objectives_.end(), 0);
        for (std::uint32_t i = e.objectives_begin; i < e.objectives_end; ++i) sibling_objectives_[objectives_[i]] = 1;
        sibling_picks_left_ = kSiblingWindow;
        for (auto& g : groups_)
            g.sibling = std::any_of(g.objectives.begin(), g.objectives.end(),
                                    [&](std::uint32_t o) { return sibling_objectives_[o] != 0; });
    } else if (sibling_picks_left_ > 0) {
        --sibling_picks_left_;
    }
}

void SessionPlanner::restore(const Card& card, const std::optional<fsrs::MemoryState>& before, bool was_new) {
    const std::size_t* found = index_.find(card.id);
    if (!found) return;
    const std::size_t at = *found;
    Entry& e = entries_[at];
    detach(at);
    if (e.shown > 0) --e.shown;
    set_memory(e, before);
    attach(at);
    if (was_new && new_started_total_ > 0) {
        --new_started_total_;
        if (new_started_[e.domain] > 0) --new_started_[e.domain];
    }
    // The undone answer leaves the recent objectives too (an undo is always of the latest answer).
    if (!answered_.empty() && answered_.back() == at) answered_.pop_back();
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

std::size_t SessionPlanner::due_reviews_by_full_scan(UnixMs now) const {
    const StudyDay today = days_.day_of(now);
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return review_due(e, today); }));
}

std::size_t SessionPlanner::learning_by_full_scan(UnixMs now) const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return learning_due(e, now, 0); }));
}

std::size_t SessionPlanner::new_available_by_full_scan() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return is_new(e); }));
}

std::size_t SessionPlanner::due_reviews(UnixMs now) const {
    sync_index(now);
    return idx_.reviews_due;
}

std::size_t SessionPlanner::learning(UnixMs now) const {
    sync_index(now);
    const auto& dues = idx_.learning_dues;
    return static_cast<std::size_t>(std::upper_bound(dues.begin(), dues.end(), now) - dues.begin());
}

std::size_t SessionPlanner::new_available() const {
    return idx_.built ? idx_.unseen : new_available_by_full_scan();
}

}  // namespace certdrill
