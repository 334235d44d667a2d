#include "core/planner.hpp"

#include <algorithm>
#include <functional>
#include <random>
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
    for (const auto& cp : cards) {
        if (!cp.card || cp.suspended || !in_scope(*cp.card)) continue;
        index_[cp.card->id] = entries_.size();
        entries_.push_back(Entry{cp.card, cp.memory, uniform(rng)});
    }
    double total = 0.0;
    for (const auto& d : exam_.domains) {
        if (config_.domain && *config_.domain != d.id) continue;
        auto it = mastery_.domains.find(d.id);
        double weakness = 1.0 - (it == mastery_.domains.end() ? 0.0 : it->second.mastery);
        double share = exam_.effective_weight(d) * (weakness + kWeaknessFloor);
        new_share_[d.id] = share;
        total += share;
    }
    for (auto& [_, share] : new_share_) share = total > 0 ? share / total : 0.0;
}

bool SessionPlanner::in_scope(const Card& card) const {
    return card.exam_id == exam_.id && (!config_.domain || card.domain_id == *config_.domain);
}

bool SessionPlanner::review_due(const Entry& e, UnixMs now) const {
    // Reviews are scheduled in whole days: a card is due on its due day, whatever the hour.
    // With an exam date, a review scheduled past the exam day falls due on it.
    const std::optional<StudyDay> exam_day =
        config_.exam_date ? std::optional<StudyDay>(config_.exam_date->day) : std::nullopt;
    return e.memory && e.memory->state == fsrs::State::Review &&
           effective_due_day(*e.memory, days_, exam_day) <= days_.day_of(now);
}

bool SessionPlanner::learning_due(const Entry& e, UnixMs now, UnixMs ahead) const {
    return e.memory && (e.memory->state == fsrs::State::Learning || e.memory->state == fsrs::State::Relearning) &&
           e.memory->due <= now + ahead;
}

bool SessionPlanner::step_overdue(const Entry& e, UnixMs now) const {
    return learning_due(e, now, 0) && days_.day_of(e.memory->due) < days_.day_of(now);
}

double SessionPlanner::recall(const Entry& e, UnixMs now) const {
    return predicted_recall(scheduler_, CardProgress{e.card, e.memory, false, false}, now, {});
}

bool SessionPlanner::is_sibling(const Card& card) const {
    if (sibling_picks_left_ <= 0) return false;
    return std::any_of(card.topics.begin(), card.topics.end(),
                       [&](const std::string& t) { return sibling_topics_.count(t); });
}

std::vector<const SessionPlanner::Entry*> SessionPlanner::candidates(const std::function<bool(const Entry&)>& keep,
                                                                     bool avoid_last) const {
    std::vector<const Entry*> out;
    for (const auto& e : entries_)
        if (!excluded_.count(e.card->id) && !(avoid_last && e.card->id == last_card_) && !answered_enough(e) && keep(e))
            out.push_back(&e);
    return out;
}

std::optional<Pick> SessionPlanner::pick_learning(UnixMs now, UnixMs ahead, PickKind kind, bool avoid_last) const {
    auto list =
        candidates([&](const Entry& e) { return learning_due(e, now, ahead) && !step_overdue(e, now); }, avoid_last);
    if (list.empty()) return std::nullopt;
    auto best = *std::min_element(list.begin(), list.end(), [](const Entry* a, const Entry* b) {
        return a->memory->due != b->memory->due ? a->memory->due < b->memory->due : a->card->id < b->card->id;
    });
    return Pick{best->card, kind, recall(*best, now)};
}

// Learning steps that fell due on an earlier day (a break) have lost their timing: they are
// reviewed with the due reviews, interleaved with them, instead of all going first.
std::optional<Pick> SessionPlanner::pick_review(UnixMs now, bool avoid_last) const {
    auto list = candidates([&](const Entry& e) { return review_due(e, now) || step_overdue(e, now); }, avoid_last);
    if (list.empty()) return std::nullopt;
    // The pick right after a miss prefers a sibling; then a card of another domain than the
    // previous card's and of none of the objectives of the last two cards, so that domains and
    // objectives interleave; then the card most at risk.
    auto rank = [&](const Entry* e) {
        return std::tuple{!(sibling_picks_left_ == kSiblingWindow && is_sibling(*e->card)),
                          domain_just_shown(*e->card), objective_just_shown(*e->card), recall(*e, now),
                          e->card->id};
    };
    auto best =
        *std::min_element(list.begin(), list.end(), [&](const Entry* a, const Entry* b) { return rank(a) < rank(b); });
    const PickKind kind = step_overdue(*best, now) ? PickKind::Learning : PickKind::Review;
    return Pick{best->card, kind, recall(*best, now)};
}

bool SessionPlanner::domain_just_shown(const Card& card) const {
    auto it = domain_shown_.find(card.domain_id);
    return it != domain_shown_.end() && it->second == picks_;
}

bool SessionPlanner::objective_just_shown(const Card& card) const {
    return std::any_of(card.topics.begin(), card.topics.end(), [&](const std::string& t) {
        auto it = topic_shown_.find(t);
        return it != topic_shown_.end() && it->second >= picks_ - 1;
    });
}

std::optional<Pick> SessionPlanner::pick_new(UnixMs now, bool avoid_last) const {
    if (new_remaining() == 0) return std::nullopt;
    auto list = candidates([&](const Entry& e) { return is_new(e); }, avoid_last);
    if (list.empty()) return std::nullopt;
    // A missed card's unseen siblings come first.
    std::vector<const Entry*> siblings;
    for (const Entry* e : list)
        if (is_sibling(*e->card)) siblings.push_back(e);
    if (!siblings.empty()) list = siblings;
    // Domain with the largest deficit against its share (weight x weakness) of new cards.
    std::map<std::string, std::vector<const Entry*>> by_domain;
    for (const Entry* e : list) by_domain[e->card->domain_id].push_back(e);
    std::string domain;
    double best_deficit = -1e9;
    for (const auto& [id, entries] : by_domain) {
        auto share_it = new_share_.find(id);
        double share = share_it == new_share_.end() ? 0.0 : share_it->second;
        auto started_it = new_started_.find(id);
        double started = started_it == new_started_.end() ? 0.0 : static_cast<double>(started_it->second);
        double deficit = share * static_cast<double>(new_started_total_ + 1) - started;
        if (deficit > best_deficit + 1e-12) {
            best_deficit = deficit;
            domain = id;
        }
    }
    // Within the domain: weakest topic first, then the seeded random order.
    auto topic_mastery = [&](const Card& c) {
        double lowest = 1.0;
        for (const auto& t : c.topics)
            if (auto it = mastery_.topics.find(t); it != mastery_.topics.end())
                lowest = std::min(lowest, it->second.mastery);
        return lowest;
    };
    const auto& pool = by_domain[domain];
    auto best = *std::min_element(pool.begin(), pool.end(), [&](const Entry* a, const Entry* b) {
        return std::pair{topic_mastery(*a->card), a->random_key} < std::pair{topic_mastery(*b->card), b->random_key};
    });
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

bool SessionPlanner::answered_enough(const Entry& e) const {
    auto it = shown_.find(e.card->id);
    return it != shown_.end() && it->second >= kMaxAnswersPerSession;
}

void SessionPlanner::record(const Card& card, const fsrs::MemoryState& after, bool correct) {
    auto it = index_.find(card.id);
    if (it == index_.end()) return;
    ++shown_[card.id];
    // A miss on a card that was itself shown as a sibling does not start a new run of
    // siblings: otherwise one weak topic would chain into the whole session.
    const bool was_sibling = is_sibling(card);
    Entry& e = entries_[it->second];
    if (is_new(e)) {
        ++new_started_[card.domain_id];
        ++new_started_total_;
        picks_since_new_ = 0;
    } else {
        ++picks_since_new_;
    }
    e.memory = after;
    last_card_ = card.id;
    ++picks_;
    domain_shown_[card.domain_id] = picks_;
    for (const auto& t : card.topics) topic_shown_[t] = picks_;
    if (!correct && !was_sibling) {
        sibling_topics_.clear();
        for (const auto& t : card.topics)
            if (mastery_.topics.count(t)) sibling_topics_.insert(t);  // objectives only, not free tags
        sibling_picks_left_ = kSiblingWindow;
    } else if (sibling_picks_left_ > 0) {
        --sibling_picks_left_;
    }
}

void SessionPlanner::restore(const Card& card, const std::optional<fsrs::MemoryState>& before, bool was_new) {
    auto it = index_.find(card.id);
    if (it == index_.end()) return;
    if (auto shown = shown_.find(card.id); shown != shown_.end() && shown->second > 0) --shown->second;
    entries_[it->second].memory = before;
    if (was_new && new_started_total_ > 0) {
        --new_started_total_;
        if (new_started_[card.domain_id] > 0) --new_started_[card.domain_id];
    }
    last_card_.clear();
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
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return review_due(e, now); }));
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
