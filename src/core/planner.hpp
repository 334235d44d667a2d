#pragma once
// Chooses the next card of a study session: due reviews interleaved across domains and
// objectives and most at risk first, learning steps on time (those overdue since an earlier day
// with the reviews), new cards at a daily limit shared out by exam weight and weakness, and
// siblings of a missed card soon after. Pure and deterministic for a seed.
// The rules are documented in docs/scheduling.md.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/exam_plan.hpp"
#include "core/fsrs.hpp"
#include "core/id_index.hpp"
#include "core/mastery.hpp"
#include "core/model.hpp"

namespace certdrill {

struct PlannerConfig {
    std::size_t new_per_day = 20;
    std::size_t new_introduced_today = 0;  // new cards already started today (from the log)
    std::optional<std::string> domain;     // study one domain only
    // When nothing else is left, learning cards due within this window are shown early.
    UnixMs learn_ahead = 20 * kMsPerMinute;
    double default_retention = 0.90;
    // With an exam date (and the days left to it when the session starts): reviews fall due on
    // the exam day at the latest and retention rises as the day nears (see exam_plan.hpp).
    struct ExamDate {
        StudyDay day = 0;
        std::int64_t days_left = 0;
    };
    std::optional<ExamDate> exam_date;
};

enum class PickKind { Learning, Review, New, LearnAhead };
const char* to_string(PickKind k);

struct Pick {
    const Card* card = nullptr;
    PickKind kind = PickKind::New;
    double recall = 0.0;  // predicted recall now
};

class SessionPlanner {
public:
    SessionPlanner(const Exam& exam, const std::vector<CardProgress>& cards, const ExamMastery& mastery,
                   const fsrs::Scheduler& scheduler, DayCounter days, PlannerConfig config, std::uint64_t seed);

    // The card to show at `now`, or nothing when the session has run out of cards.
    std::optional<Pick> next(UnixMs now) const;

    // After an answer: the card's new memory state and whether it was right.
    void record(const Card& card, const fsrs::MemoryState& after, bool correct);
    // After an undo: the state before the undone answer (empty: the card was new).
    void restore(const Card& card, const std::optional<fsrs::MemoryState>& before, bool was_new);

    // Leaves a card out from now on (suspended during the session).
    void exclude(const Card& card) { set_excluded(card, true); }
    void include(const Card& card) { set_excluded(card, false); }

    // Desired retention for scheduling this card: higher for weak domains and topics, and as
    // the exam date nears.
    double retention_for(const Card& card) const;
    // The card's state after a rating: FSRS at retention_for(card), with the next review capped
    // at the exam day when a date is set. `elapsed_days` as for fsrs::Scheduler::next.
    fsrs::MemoryState schedule(const Card& card, const fsrs::MemoryState& before, fsrs::Rating rating, UnixMs now,
                               std::int64_t elapsed_days) const;

    std::size_t new_remaining() const;
    std::size_t due_reviews(UnixMs now) const;  // review cards due today
    std::size_t learning(UnixMs now) const;     // learning cards due now
    std::size_t new_available() const;          // unseen cards in scope

    // The same picks and counts worked out by a pass over every card in scope: the plain
    // statement of the rules, which the indexed picks above must always agree with.
    std::optional<Pick> next_by_full_scan(UnixMs now) const;
    std::size_t due_reviews_by_full_scan(UnixMs now) const;
    std::size_t learning_by_full_scan(UnixMs now) const;
    std::size_t new_available_by_full_scan() const;

private:
    // Sibling preference lasts this many picks after a miss.
    static constexpr int kSiblingWindow = 3;
    // One card in scope, with what the picks read of it worked out ahead, so a pick compares
    // numbers, not strings.
    struct Entry {
        const Card* card;
        std::optional<fsrs::MemoryState> memory;
        double random_key;
        std::size_t domain;            // index into domain_ids_
        std::uint32_t group = 0;       // index into groups_
        double weakest_topic = 1.0;    // lowest mastery among the card's objectives
        StudyDay due_day = 0;          // effective_due_day of the memory, when there is one
        StudyDay step_day = 0;         // the day a learning step falls due (learning states only)
        std::uint32_t objectives_begin = 0, objectives_end = 0;  // the card's range in objectives_
        bool excluded = false;         // suspended during the session
        int shown = 0;                 // answers in this session
    };
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    // Cards of one domain with the same objectives: every rule that tells cards apart by domain
    // or objective (interleaving, siblings) treats the cards of a group alike, so the indexed
    // picks keep their candidates by group.
    struct Group {
        std::size_t domain;
        std::vector<std::uint32_t> objectives;  // sorted
        bool sibling = false;                   // shares an objective with the last missed card
    };
    // The candidates of one group.
    struct Candidates {
        // Due reviews (and learning steps overdue since an earlier day) by the exponent of their
        // stability, most overdue first as of the index's reference time: (-ratio then, entry).
        std::map<int, std::set<std::pair<double, std::size_t>>> due_by_stability;
        std::set<std::size_t> due_without_ratio;  // due, but no recall from the forgetting curve
        std::size_t due = 0;                      // entries in the two above
        // Unseen cards in the order the new-card pick takes them: (weakest topic, key, entry).
        std::set<std::tuple<double, double, std::size_t>> fresh;
    };
    // Learning steps due today or later, by (due, card id).
    struct StepKey {
        UnixMs due;
        const std::string* id;
        std::size_t entry;
        bool operator<(const StepKey& o) const {
            if (due != o.due) return due < o.due;
            if (*id != *o.id) return *id < *o.id;
            return entry < o.entry;
        }
    };
    // What the indexed picks look up instead of passing over every entry. Built for one study
    // day (which cards are due) and one reference time (how overdue a review is), and kept up to
    // date as cards are answered, undone, excluded; built again when the day changes or the time
    // of a pick has moved too far from the reference time.
    struct Index {
        bool built = false;
        StudyDay today = 0;
        UnixMs reference = 0;
        std::vector<Candidates> groups;            // by group, as groups_
        std::set<StepKey> steps;                   // learning steps not overdue since an earlier day
        std::multiset<UnixMs> overdue_step_dues;   // due times of the overdue learning steps indexed
        std::vector<UnixMs> learning_dues;         // sorted: every learning card's due time
        std::size_t reviews_due = 0;               // review cards due today, excluded ones too
        std::size_t unseen = 0;                    // new cards, excluded ones too
    };

    void set_memory(Entry& e, const std::optional<fsrs::MemoryState>& memory);
    void set_excluded(const Card& card, bool excluded);
    bool in_scope(const Card& card) const;
    bool is_new(const Entry& e) const { return !e.memory || e.memory->state == fsrs::State::New; }
    bool is_learning(const Entry& e) const {
        return e.memory && (e.memory->state == fsrs::State::Learning || e.memory->state == fsrs::State::Relearning);
    }
    bool review_due(const Entry& e, StudyDay today) const;
    bool learning_due(const Entry& e, UnixMs now, UnixMs ahead) const;
    // A learning step that fell due on an earlier day than `today` (after a break).
    bool step_overdue(const Entry& e, UnixMs now, StudyDay today) const;
    // One of the objectives was an objective of one of the last two cards answered.
    bool objective_just_shown(const std::uint32_t* begin, const std::uint32_t* end) const;
    bool objective_just_shown(const Entry& e) const;
    double recall(const Entry& e, UnixMs now) const;
    // Days since the last review per day of stability, which the recall falls with; nothing when
    // the recall does not come from the forgetting curve (no review yet, no stability).
    std::optional<double> elapsed_ratio(const Entry& e, UnixMs now) const;
    // The ratio below which a due review's recall is above that of the most overdue one by more
    // than rounding, so that it cannot be picked; 0 when no review can be skipped.
    double ratio_cutoff(const Entry* most_overdue, UnixMs now) const;
    // Keeps in `best` the least of (recall, card id) of the reviews offered.
    void keep_lowest(const Entry& e, UnixMs now, const Entry*& best, double& best_recall) const;
    bool is_sibling(const Entry& e) const { return sibling_picks_left_ > 0 && groups_[e.group].sibling; }
    bool answered_enough(const Entry& e) const;
    bool available(const Entry& e, bool avoid_last) const;
    using Order = std::tuple<bool, bool, bool>;
    // Where a due review of this group stands in the review pick's preferences (less is sooner).
    Order review_order(const Group& g, bool just_missed) const;

    // The next card, by the index or by the full pass over every entry.
    std::optional<Pick> pick(UnixMs now, bool indexed) const;
    std::optional<Pick> pick(UnixMs now, bool avoid_last, bool indexed) const;
    // The full pass over every entry.
    std::optional<Pick> scan_learning(UnixMs now, UnixMs ahead, PickKind kind, bool avoid_last) const;
    std::optional<Pick> scan_review(UnixMs now, bool avoid_last) const;
    std::optional<Pick> scan_new(UnixMs now, bool avoid_last) const;

    // The indexed picks.
    void sync_index(UnixMs now) const;
    void build_index(StudyDay today, UnixMs reference) const;
    // Adds the entry to the index as it is now (`keep_sorted` false while the index is built:
    // the learning due times are sorted once at the end).
    void attach(std::size_t entry, bool keep_sorted = true) const;
    void detach(std::size_t entry) const;  // takes it out, before it changes
    bool indexed_due(const Entry& e) const;
    bool indexed_step(const Entry& e) const;
    bool indexed_fresh(const Entry& e) const;
    std::optional<Pick> indexed_learning(UnixMs now, UnixMs ahead, PickKind kind, bool avoid_last) const;
    std::optional<Pick> indexed_review(UnixMs now, bool avoid_last) const;
    std::optional<Pick> indexed_new(UnixMs now, bool avoid_last) const;
    // The domain that gets the next new card: the largest deficit against its share.
    std::size_t new_card_domain(const std::vector<char>& present) const;

    const Exam& exam_;
    const fsrs::Scheduler& scheduler_;
    DayCounter days_;
    PlannerConfig config_;
    ExamMastery mastery_;
    std::vector<Entry> entries_;
    IdIndex<std::size_t> index_;  // by card id (the index keeps its own copy of the ids)
    std::vector<std::string> domain_ids_;      // of the entries, sorted
    std::vector<Group> groups_;
    std::vector<double> new_share_;            // target share of new cards, by domain index
    std::vector<std::size_t> new_started_;     // new cards started, by domain index
    std::size_t new_started_total_ = 0;
    int picks_since_new_ = 0;
    std::size_t last_entry_ = kNone;           // the card answered last
    std::size_t last_domain_ = kNone;          // its domain
    // Each card's objectives as numbers (ranges of this vector), and the last miss's objectives
    // by number.
    std::vector<std::uint32_t> objectives_;
    std::vector<char> sibling_objectives_;
    // The entries answered in this session, in order; an undo takes its answer back off.
    std::vector<std::size_t> answered_;
    int sibling_picks_left_ = 0;
    // A cache of what the picks look up, kept in step with the entries above.
    mutable Index idx_;
};

}  // namespace certdrill
