#pragma once
// The user's progress: one SQLite database file per user holding card memory states, the review
// log, study sessions and exam attempts. Progress is keyed by card id only, so rows of cards
// that have left the decks are kept.
//
// Every write runs in its own BEGIN IMMEDIATE transaction and is durable (WAL, synchronous=FULL)
// when the call returns, so several running instances can share one file without losing
// answers. Every failure is reported as a StoreError. Like an SQLite connection, one
// ProgressStore serves one thread at a time; open one per thread if needed.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fsrs.hpp"
#include "core/time.hpp"
#include "store/answer_history.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"
#include "store/store_error.hpp"

namespace certdrill::store {

struct CardRecord {
    std::string card_id;
    fsrs::MemoryState memory;
    bool suspended = false;
    bool flagged = false;
    UnixMs first_seen = 0;
    UnixMs updated_at = 0;
};

struct ReviewRecord {
    std::int64_t id = 0;  // assigned by record_review
    std::string uuid;     // the answer's identity across machines; record_review makes one when empty
    std::string card_id;
    UnixMs at = 0;
    int rating = 0;      // 1-4, fsrs::Rating
    // The option(s) picked, as letters of the options in deck-file order (e.g. "AC"), so the
    // record names the same option however the options were shuffled on screen. Empty for
    // flashcards.
    std::string chosen;
    bool correct = false;
    bool guessed = false;
    std::int64_t response_ms = 0;
    std::string mode = "study";  // "study" or "exam"
    std::optional<std::int64_t> session_id;
    // Filled in by record_review from the stored card at commit time; the caller's `before` is
    // kept only for a card that has no row yet.
    bool had_card_before = false;
    fsrs::MemoryState before;
    fsrs::MemoryState after;
};

// What the study planner, the mastery figures and the statistics read of an answer: none of the
// log's identity, option or session columns.
struct AnswerRow {
    std::string_view card_id;  // valid only during the visit
    UnixMs at = 0;
    int rating = 0;
    bool correct = false;
    bool in_study = true;  // false for an answer given in a mock exam
    fsrs::State before_state = fsrs::State::New;
    fsrs::RecallState after;  // of the memory state after the answer, what its recall needs
};

struct MergeOutcome {
    std::size_t added = 0;
    std::size_t already_present = 0;
    std::size_t cards_rebuilt = 0;
};

struct SessionRecord {
    std::int64_t id = 0;
    std::string mode;  // "study" or "exam"
    std::string exam_id;
    UnixMs started_at = 0;
    std::optional<UnixMs> ended_at;
};

struct AttemptRecord {
    std::int64_t id = 0;
    std::string exam_id;
    UnixMs started_at = 0;
    std::optional<UnixMs> finished_at;  // unset while the attempt is running or was interrupted
    int item_count = 0;                 // items drawn; the maximum for an adaptive exam
    int minutes = 0;
    std::uint64_t seed = 0;
    std::optional<double> score_percent;
    std::optional<bool> passed;
    std::optional<std::int64_t> duration_ms;
    std::string kind = "linear";  // "linear" or "adaptive"
    std::optional<std::string> domain_id;  // a domain quiz
    bool resumable = false;                // written with everything a resumption needs
    std::int64_t elapsed_ms = 0;           // exam time used so far
    std::optional<int> items_min;          // adaptive: the minimum length
    std::optional<int> pretest_items;      // adaptive: unscored items
    std::optional<int> scaled_score;
    std::optional<double> ability;  // adaptive: final estimate, its standard error and the standard
    std::optional<double> ability_se;
    std::optional<double> standard;
    std::optional<int> items_given;  // items actually presented
};

struct NewAttempt {
    std::string exam_id;
    UnixMs started_at = 0;
    int item_count = 0;
    int minutes = 0;
    std::uint64_t seed = 0;
    std::string kind = "linear";
    std::optional<std::string> domain_id;
    std::optional<int> items_min;
    std::optional<int> pretest_items;
};

struct AttemptOutcome {
    UnixMs finished_at = 0;
    double score_percent = 0.0;
    bool passed = false;
    std::int64_t duration_ms = 0;
    std::optional<int> scaled_score;
    std::optional<double> ability;
    std::optional<double> ability_se;
    std::optional<double> standard;
    std::optional<int> items_given;
};

struct AttemptItemRecord {
    std::int64_t attempt_id = 0;
    int position = 0;  // 0-based order of the item in the attempt
    std::string card_id;
    std::string domain_id;
    std::string chosen;  // empty while unanswered
    bool correct = false;
    bool flagged = false;
    std::optional<UnixMs> answered_at;
    std::string option_order;  // file letters in screen order, e.g. "CADB"
    bool pretest = false;      // adaptive: unscored
    bool skipped = false;      // skipped, to be answered at the end
    std::optional<double> difficulty;  // adaptive: the difficulty the item was chosen and scored with
    std::int64_t response_ms = 0;  // time spent on the item, over every visit
};

// FSRS-6 weights fitted to the learner's answers for one exam (`certdrill optimize`), with the
// size of the log they were fitted to and how well the weights in use before and the fitted
// ones predicted it.
struct FittedParameters {
    std::string exam_id;
    std::array<double, 21> weights{};
    UnixMs fitted_at = 0;
    std::int64_t review_count = 0;
    double log_loss_before = 0.0;
    double rmse_before = 0.0;
    double log_loss_after = 0.0;
    double rmse_after = 0.0;
};

class ProgressStore {
public:
    static constexpr int kSchemaVersion = store::kSchemaVersion;
    static constexpr int kDefaultBusyTimeoutMs = 5000;

    // Opens the database, creating it and its directory if needed, and migrates it. An existing
    // database is copied to `<file>.bak-v<old version>` before a migration; one newer than
    // kSchemaVersion is refused and left untouched. The quick integrity check runs only when the
    // database may not have been closed cleanly (see instance_lock.hpp); a damaged one is
    // refused (StoreError::Kind::Corrupt).
    explicit ProgressStore(const std::filesystem::path& file, int busy_timeout_ms = kDefaultBusyTimeoutMs);

    const std::filesystem::path& file() const noexcept { return file_; }
    int schema_version() const;

    // Whether the quick integrity check ran while opening: the last run did not close cleanly.
    bool integrity_checked_at_open() const noexcept { return integrity_checked_; }
    // Whether another certdrill had the database open when this store opened it.
    bool shared_with_other_instance() const noexcept { return lock_.others_running(); }
    // The full integrity check (`certdrill check`): every problem found, empty when intact.
    std::vector<std::string> integrity_problems() const;

    // Runs `writes` (calls of this store's methods) in one durable transaction: everything they
    // write commits together with a single sync, or nothing does when one of them throws.
    void in_one_transaction(const std::function<void()>& writes);
    // Write transactions this store has committed so far: each answer, mark or attempt update
    // that returned, or each in_one_transaction. Every one of them is a sync to disk.
    std::int64_t write_transactions() const noexcept { return db_.commits(); }

    std::optional<CardRecord> card(std::string_view card_id) const;
    std::vector<CardRecord> cards() const;
    // Every card row, one at a time in no particular order; the record is valid during the visit.
    void for_each_card(const std::function<void(const CardRecord&)>& visit) const;
    // The card rows, not suspended, that fall due after `after` and are in (re)learning, or in
    // review and due before `review_before`: what a count of cards coming due soon reads, with
    // the other rows passed over in SQL.
    void for_each_card_due_soon(UnixMs after, UnixMs review_before,
                                const std::function<void(const CardRecord&)>& visit) const;

    // Logs the answer and sets the card's memory state to r.after (creating the row if needed)
    // in one durable transaction. Returns the log id.
    std::int64_t record_review(ReviewRecord r);
    // Reverts the most recent answer (of one session, if given): the card gets back its exact
    // previous memory state, or loses its row if the answer created it (unless it was flagged
    // or suspended since, in which case it keeps those marks with a New memory state), and the
    // log row goes. Call repeatedly to undo further back. Returns the undone answer, or nothing
    // when there is none. Throws StoreError (Conflict) if the card was answered again later.
    std::optional<ReviewRecord> undo_last(std::optional<std::int64_t> session_id = {});
    // Undoes the most recent answer (of one session, if given) and records the one `rebuild`
    // makes from it, in a single transaction: e.g. regrading an answer as a guess can never
    // lose it half-way. Returns the new record, or nothing when there was no answer.
    std::optional<ReviewRecord> replace_last(std::optional<std::int64_t> session_id,
                                             const std::function<ReviewRecord(const ReviewRecord&)>& rebuild);
    // Whether the log holds the answer with this uuid (answers keep their uuid across machines).
    bool has_answer(std::string_view uuid) const;
    // Answers in the order given, optionally of one card, at or after `since`.
    std::vector<ReviewRecord> reviews(std::optional<std::string_view> card_id = {},
                                      UnixMs since = std::numeric_limits<UnixMs>::min()) const;

    // Every answer, oldest first (ties in log order), one at a time.
    void for_each_review_by_time(const std::function<void(const ReviewRecord&)>& visit) const;
    // Every answer given at or after `since` (and before `until`), in log order, reading only the
    // columns of AnswerRow.
    void for_each_answer(const std::function<void(const AnswerRow&)>& visit, UnixMs since = 0,
                         std::optional<UnixMs> until = std::nullopt) const;
    // Every answered card's answers, oldest first (ties in log order), one card at a time: one
    // row a card rather than the whole log. `restart` withdraws what was handed out before it
    // (see answer_history.hpp).
    void for_each_card_history(const CardHistoryVisitor& visit, const std::function<void()>& restart) const;
    // How many answers the log holds.
    std::size_t answer_count() const;
    // The card of the most recent answer for which `accept` holds, newest first.
    std::optional<std::string> latest_answered_card(const std::function<bool(std::string_view)>& accept) const;
    // Adds the answers whose uuid is not in the log yet, in one transaction. Each card they
    // touch has its whole log, sorted by time, handed to `replay`, which sets every answer's
    // before and after state (stored answers have an id, new ones id 0); the card row then
    // takes the last after state and keeps its flag and suspension.
    MergeOutcome merge_reviews(std::vector<ReviewRecord> incoming,
                               const std::function<void(std::vector<ReviewRecord>&)>& replay);

    // Set a mark on a card, creating a New row for a card never answered.
    void set_flagged(std::string_view card_id, bool flagged, UnixMs at);
    void set_suspended(std::string_view card_id, bool suspended, UnixMs at);

    // mode is "study" or "exam"; an empty exam_id is stored as no exam.
    std::int64_t begin_session(std::string_view mode, std::string_view exam_id, UnixMs at);
    // Begins a session and records its first answer in one transaction; returns the session's
    // id. A caller that begins its session this way, at its first answer, writes nothing for a
    // session that ends without one.
    std::int64_t begin_session_with(std::string_view mode, std::string_view exam_id, UnixMs at,
                                    ReviewRecord first);
    void end_session(std::int64_t session_id, UnixMs at);
    std::optional<SessionRecord> session(std::int64_t session_id) const;

    // An attempt without what a resumption needs (kept for older callers).
    std::int64_t begin_attempt(std::string_view exam_id, UnixMs started_at, int item_count, int minutes,
                               std::uint64_t seed);
    // A resumable attempt.
    std::int64_t begin_attempt(const NewAttempt& attempt);
    // Inserts or replaces the item at (attempt_id, position); with `elapsed_ms`, also the exam time
    // used so far, in the same transaction.
    void save_attempt_item(const AttemptItemRecord& item, std::optional<std::int64_t> elapsed_ms = {});
    void set_attempt_elapsed(std::int64_t attempt_id, std::int64_t elapsed_ms);
    void finish_attempt(std::int64_t attempt_id, UnixMs finished_at, double score_percent, bool passed,
                        std::int64_t duration_ms);
    void finish_attempt(std::int64_t attempt_id, const AttemptOutcome& outcome);
    // Deletes an attempt that was never finished, with its items: an abandoned exam leaves no
    // trace. Refused (std::invalid_argument) for a finished one.
    void discard_attempt(std::int64_t attempt_id);
    std::optional<AttemptRecord> attempt(std::int64_t attempt_id) const;
    // Oldest first.
    std::vector<AttemptRecord> attempts(std::optional<std::string_view> exam_id = {}) const;
    // Interrupted attempts that can be resumed (of one exam, if given), newest first.
    std::vector<AttemptRecord> unfinished_attempts(std::optional<std::string_view> exam_id = {}) const;
    std::vector<AttemptItemRecord> attempt_items(std::int64_t attempt_id) const;

    // The weights fitted for an exam, if any. Throws StoreError (Corrupt) when the stored row does
    // not hold 21 finite numbers.
    std::optional<FittedParameters> fitted_parameters(std::string_view exam_id) const;
    // Inserts or replaces the exam's weights.
    void save_fitted_parameters(const FittedParameters& fitted);
    // Removes the exam's weights; false when there were none.
    bool clear_fitted_parameters(std::string_view exam_id);

    // The exam date set for an exam, "YYYY-MM-DD" (local calendar), or nothing.
    std::optional<std::string> exam_date(std::string_view exam_id) const;
    // Sets (or replaces) the exam date; the caller checks that it is a real date.
    void set_exam_date(std::string_view exam_id, std::string_view date, UnixMs at);
    // Removes the exam date; false when none was set.
    bool clear_exam_date(std::string_view exam_id);

private:
    ProgressStore(const std::filesystem::path& file, LockedDatabase opened);

    template <class Fn>
    auto guarded(Fn&& fn) const;

    std::filesystem::path file_;
    InstanceLock lock_;  // before db_: released after the connection is closed
    Database db_;
    bool integrity_checked_ = false;
};

}  // namespace certdrill::store
