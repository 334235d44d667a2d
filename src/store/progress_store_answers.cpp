#include "store/progress_store.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include "store/progress_store_parts.hpp"

// The answer log: recording, undoing, reading and merging answers, and the sessions answers are
// given in.

namespace certdrill::store {

using detail::bind_memory;
using detail::in_write_transaction;
using detail::insert_card;
using detail::load_card;
using detail::read_memory;
using detail::require_changed;
using detail::update_memory;

namespace {

// ---- argument checks (programming errors, not storage failures) ----

void require_mode(std::string_view mode) {
    if (mode != "study" && mode != "exam") {
        throw std::invalid_argument("session mode must be 'study' or 'exam', not '" + std::string(mode) + "'");
    }
}

void require_valid(const ReviewRecord& r) {
    if (r.card_id.empty()) throw std::invalid_argument("a review needs a card id");
    if (r.rating < 1 || r.rating > 4) {
        throw std::invalid_argument("review rating must be 1-4, not " + std::to_string(r.rating));
    }
    require_mode(r.mode);
}

// ---- review log ----

constexpr std::string_view kSelectReview =
    "SELECT uuid, id, card_id, at, rating, chosen, correct, guessed, response_ms, mode, session_id, had_card_before, "
    CERTDRILL_MEMORY_COLUMNS("before_") ", " CERTDRILL_MEMORY_COLUMNS("after_") " FROM review_log";

ReviewRecord read_review(RowReader& row) {
    ReviewRecord r;
    r.uuid = row.text();
    r.id = row.int64();
    r.card_id = row.text();
    r.at = row.int64();
    r.rating = row.integer();
    r.chosen = row.text();
    r.correct = row.boolean();
    r.guessed = row.boolean();
    r.response_ms = row.int64();
    r.mode = row.text();
    r.session_id = row.optional_int64();
    r.had_card_before = row.boolean();
    r.before = read_memory(row);
    r.after = read_memory(row);
    return r;
}

// What AnswerRow holds: no uuid, chosen options, times or sessions, and of the state after the
// answer only what its recall needs.
constexpr std::string_view kSelectAnswer =
    "SELECT card_id, at, rating, correct, mode = 'study', before_state, after_state, after_stability, "
    "after_last_review FROM review_log";

// The text of card_id stays valid until the statement steps again.
AnswerRow read_answer(RowReader& row, std::string& card_id) {
    AnswerRow a;
    card_id = row.text();
    a.card_id = card_id;
    a.at = row.int64();
    a.rating = row.integer();
    a.correct = row.boolean();
    a.in_study = row.boolean();
    a.before_state = static_cast<fsrs::State>(row.integer());
    a.after.state = static_cast<fsrs::State>(row.integer());
    a.after.stability = row.real();
    a.after.last_review = row.int64();
    return a;
}

// A random version-4 UUID made by SQLite, for an answer given on this machine.
#define CERTDRILL_NEW_UUID_SQL                                                                      \
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "                     \
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || " \
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"

std::int64_t insert_review(Database& db, const ReviewRecord& r) {
    auto insert = db.prepare(
        "INSERT INTO review_log (card_id, at, rating, chosen, correct, guessed, response_ms, mode, session_id, "
        "had_card_before, "
        "before_state, before_stability, before_difficulty, before_step, before_reps, before_lapses, "
        "before_scheduled_days, before_due, before_last_review, "
        "after_state, after_stability, after_difficulty, after_step, after_reps, after_lapses, "
        "after_scheduled_days, after_due, after_last_review, uuid) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
        "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, coalesce(nullif(?29, ''), " CERTDRILL_NEW_UUID_SQL "))");
    insert.bind_all(r.card_id, r.at, r.rating, r.chosen, r.correct, r.guessed, r.response_ms, r.mode, r.session_id,
                    r.had_card_before);
    bind_memory(insert, 20, r.after);
    bind_memory(insert, 11, r.before);
    insert.bind(29, r.uuid);
    insert.run();
    return db.last_insert_rowid();
}

std::optional<ReviewRecord> latest_review(const Database& db, std::optional<std::int64_t> session_id) {
    auto query =
        db.prepare(std::string(kSelectReview) + " WHERE (?1 IS NULL OR session_id = ?1) ORDER BY id DESC LIMIT 1");
    query.bind(1, session_id);
    std::optional<ReviewRecord> found;
    for_each_row(query, [&](RowReader& row) { found = read_review(row); });
    return found;
}

bool answered_after(const Database& db, const ReviewRecord& r) {
    auto query = db.prepare("SELECT 1 FROM review_log WHERE card_id = ?1 AND id > ?2 LIMIT 1");
    query.bind_all(r.card_id, r.id);
    return query.step();
}

// Puts the card back as it was before answer r.
void restore_card(Database& db, const ReviewRecord& r) {
    if (r.had_card_before) {
        update_memory(db, r.card_id, r.before, r.at);
        return;
    }
    auto remove = db.prepare("DELETE FROM cards WHERE card_id = ?1 AND suspended = 0 AND flagged = 0");
    remove.bind(1, r.card_id).run();
    // Marks set after the answer are the user's own decision and survive the undo.
    if (db.changes() == 0) update_memory(db, r.card_id, fsrs::MemoryState{}, r.at);
}

void update_review_states(Database& db, const ReviewRecord& r) {
    auto update = db.prepare(
        "UPDATE review_log SET had_card_before = ?2, "
        "before_state = ?3, before_stability = ?4, before_difficulty = ?5, before_step = ?6, before_reps = ?7, "
        "before_lapses = ?8, before_scheduled_days = ?9, before_due = ?10, before_last_review = ?11, "
        "after_state = ?12, after_stability = ?13, after_difficulty = ?14, after_step = ?15, after_reps = ?16, "
        "after_lapses = ?17, after_scheduled_days = ?18, after_due = ?19, after_last_review = ?20 WHERE id = ?1");
    update.bind_all(r.id, r.had_card_before);
    bind_memory(update, bind_memory(update, 3, r.before), r.after);
    update.run();
}

bool has_review(const Database& db, std::string_view uuid) {
    auto query = db.prepare("SELECT 1 FROM review_log WHERE uuid = ?1");
    query.bind(1, uuid);
    return query.step();
}

// Raises the connection's page cache while it lives, in proportion to the rows about to be
// written (about 1 KiB of index and table pages a review, at most 256 MiB), then restores it.
class LargerPageCache {
public:
    LargerPageCache(Database& db, std::size_t rows) : db_(db) {
        constexpr std::size_t kMaxKiB = 256 * 1024;
        const std::size_t kib = std::min(kMaxKiB, rows);
        auto query = db_.prepare("PRAGMA cache_size");
        if (query.step()) previous_ = query.int64(0);
        if (kib * 1024 > 2 * 1024 * 1024) db_.run_script("PRAGMA cache_size = -" + std::to_string(kib));
    }
    ~LargerPageCache() {
        try {
            db_.run_script("PRAGMA cache_size = " + std::to_string(previous_));
        } catch (...) {  // NOLINT(bugprone-empty-catch): the cache size is only a speed setting
        }
    }
    LargerPageCache(const LargerPageCache&) = delete;
    LargerPageCache& operator=(const LargerPageCache&) = delete;

private:
    Database& db_;
    std::int64_t previous_ = -2000;
};

// Rewrites one card's log after new answers joined it; see ProgressStore::merge_reviews.
void rebuild_card(Database& db, const std::string& card_id, std::vector<ReviewRecord> added,
                  const std::function<void(std::vector<ReviewRecord>&)>& replay) {
    std::vector<ReviewRecord> history;
    {
        auto query = db.prepare(std::string(kSelectReview) + " WHERE card_id = ?1 ORDER BY id");
        query.bind(1, card_id);
        for_each_row(query, [&](RowReader& row) { history.push_back(read_review(row)); });
    }
    const std::vector<ReviewRecord> stored = history;
    for (auto& r : added) history.push_back(std::move(r));
    std::stable_sort(history.begin(), history.end(),
                     [](const ReviewRecord& a, const ReviewRecord& b) { return a.at < b.at; });
    replay(history);
    const auto existing = load_card(db, card_id);
    for (std::size_t i = 0; i < history.size(); ++i) {
        ReviewRecord& r = history[i];
        r.had_card_before = i > 0 || existing.has_value();
        if (r.id == 0) {
            r.id = insert_review(db, r);
            continue;
        }
        const auto old =
            std::find_if(stored.begin(), stored.end(), [&](const ReviewRecord& s) { return s.id == r.id; });
        if (old == stored.end() || old->before != r.before || old->after != r.after ||
            old->had_card_before != r.had_card_before)
            update_review_states(db, r);
    }
    if (history.empty()) return;
    const ReviewRecord& last = history.back();
    if (existing)
        update_memory(db, card_id, last.after, last.at);
    else
        insert_card(db, CardRecord{card_id, last.after, false, false, history.front().at, last.at});
}

std::optional<std::string_view> non_empty(std::string_view text) {
    if (text.empty()) return std::nullopt;
    return text;
}

// The body of record_review, for use inside a write transaction.
std::int64_t record_in_transaction(Database& db, ReviewRecord& r) {
    // The stored state is the truth at commit time, even if another instance changed the card
    // since the caller read it; undo restores exactly this.
    const auto existing = load_card(db, r.card_id);
    r.had_card_before = existing.has_value();
    if (existing) {
        r.before = existing->memory;
        update_memory(db, r.card_id, r.after, r.at);
    } else {
        insert_card(db, CardRecord{r.card_id, r.after, false, false, r.at, r.at});
    }
    return insert_review(db, r);
}

// The body of undo_last, for use inside a write transaction.
std::optional<ReviewRecord> undo_in_transaction(Database& db, std::optional<std::int64_t> session_id) {
    auto last = latest_review(db, session_id);
    if (!last) return std::nullopt;
    if (answered_after(db, *last)) {
        throw StoreError(
            StoreError::Kind::Conflict,
            "cannot undo the answer to card '" + last->card_id + "': it was answered again later in another session",
            "undo in the session that answered it last");
    }
    restore_card(db, *last);
    db.prepare("DELETE FROM review_log WHERE id = ?1").bind(1, last->id).run();
    return last;
}

}  // namespace

std::int64_t ProgressStore::record_review(ReviewRecord r) {
    require_valid(r);
    return guarded([&] { return in_write_transaction(db_, [&] { return record_in_transaction(db_, r); }); });
}

std::optional<ReviewRecord> ProgressStore::undo_last(std::optional<std::int64_t> session_id) {
    return guarded([&] { return in_write_transaction(db_, [&] { return undo_in_transaction(db_, session_id); }); });
}

std::optional<ReviewRecord> ProgressStore::replace_last(
    std::optional<std::int64_t> session_id, const std::function<ReviewRecord(const ReviewRecord&)>& rebuild) {
    return guarded([&] {
        return in_write_transaction(db_, [&]() -> std::optional<ReviewRecord> {
            auto undone = undo_in_transaction(db_, session_id);
            if (!undone) return std::nullopt;
            ReviewRecord replacement = rebuild(*undone);
            require_valid(replacement);
            replacement.id = record_in_transaction(db_, replacement);
            return replacement;
        });
    });
}

bool ProgressStore::has_answer(std::string_view uuid) const {
    return guarded([&] { return has_review(db_, uuid); });
}

std::vector<ReviewRecord> ProgressStore::reviews(std::optional<std::string_view> card_id, UnixMs since) const {
    return guarded([&] {
        std::vector<ReviewRecord> result;
        // Two statements, so that one card's answers come through the card index.
        auto query = card_id ? db_.prepare(std::string(kSelectReview) + " WHERE card_id = ?1 AND at >= ?2 ORDER BY id")
                             : db_.prepare(std::string(kSelectReview) + " WHERE at >= ?2 ORDER BY id");
        if (card_id) query.bind(1, *card_id);
        query.bind(2, since);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_review(row)); });
        return result;
    });
}

void ProgressStore::for_each_review_by_time(const std::function<void(const ReviewRecord&)>& visit) const {
    guarded([&] {
        auto query = db_.prepare(std::string(kSelectReview) + " ORDER BY at, id");
        for_each_row(query, [&](RowReader& row) { visit(read_review(row)); });
    });
}

void ProgressStore::for_each_answer(const std::function<void(const AnswerRow&)>& visit, UnixMs since,
                                    std::optional<UnixMs> until) const {
    guarded([&] {
        // The whole log is read in rowid order, without a sort; a part of it through the time index.
        const bool part = since > 0 || until;
        auto query = part ? db_.prepare(std::string(kSelectAnswer) + " WHERE at >= ?1 AND at < ?2 ORDER BY id")
                          : db_.prepare(std::string(kSelectAnswer) + " ORDER BY id");
        if (part) query.bind_all(since, until.value_or(std::numeric_limits<UnixMs>::max()));
        std::string card_id;
        for_each_row(query, [&](RowReader& row) { visit(read_answer(row, card_id)); });
    });
}

void ProgressStore::for_each_card_history(const CardHistoryVisitor& visit,
                                          const std::function<void()>& restart) const {
    guarded([&] { store::for_each_card_history(db_, visit, restart); });
}

std::size_t ProgressStore::answer_count() const {
    return guarded([&] {
        auto query = db_.prepare("SELECT count(*) FROM review_log");
        return query.step() ? static_cast<std::size_t>(query.int64(0)) : std::size_t{0};
    });
}

std::optional<std::string> ProgressStore::latest_answered_card(
    const std::function<bool(std::string_view)>& accept) const {
    return guarded([&]() -> std::optional<std::string> {
        auto query = db_.prepare("SELECT card_id FROM review_log ORDER BY id DESC");
        while (query.step()) {
            std::string card_id = query.text(0);
            if (accept(card_id)) return card_id;
        }
        return std::nullopt;
    });
}

MergeOutcome ProgressStore::merge_reviews(std::vector<ReviewRecord> incoming,
                                          const std::function<void(std::vector<ReviewRecord>&)>& replay) {
    for (auto& r : incoming) {
        require_valid(r);
        r.id = 0;
        r.session_id.reset();
    }
    return guarded([&] {
        // A large merge inserts into the log's indexes by uuid and by time at random places: with
        // SQLite's default 2 MiB page cache, nearly every insert would write a page out and read
        // another back. The cache grows only as pages are used, and shrinks back afterwards.
        const LargerPageCache cache(db_, incoming.size());
        return in_write_transaction(db_, [&] {
            MergeOutcome outcome;
            std::map<std::string, std::vector<ReviewRecord>> by_card;
            for (auto& r : incoming) {
                if (has_review(db_, r.uuid)) {
                    ++outcome.already_present;
                    continue;
                }
                ++outcome.added;
                by_card[r.card_id].push_back(std::move(r));
            }
            for (auto& [card_id, added] : by_card) rebuild_card(db_, card_id, std::move(added), replay);
            outcome.cards_rebuilt = by_card.size();
            return outcome;
        });
    });
}

namespace {

std::int64_t insert_session(Database& db, std::string_view mode, std::string_view exam_id, UnixMs at) {
    db.prepare("INSERT INTO sessions (mode, exam_id, started_at) VALUES (?1, ?2, ?3)")
        .bind_all(mode, non_empty(exam_id), at)
        .run();
    return db.last_insert_rowid();
}

}  // namespace

std::int64_t ProgressStore::begin_session(std::string_view mode, std::string_view exam_id, UnixMs at) {
    require_mode(mode);
    return guarded([&] { return in_write_transaction(db_, [&] { return insert_session(db_, mode, exam_id, at); }); });
}

std::int64_t ProgressStore::begin_session_with(std::string_view mode, std::string_view exam_id, UnixMs at,
                                               ReviewRecord first) {
    require_mode(mode);
    require_valid(first);
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            first.session_id = insert_session(db_, mode, exam_id, at);
            record_in_transaction(db_, first);
            return *first.session_id;
        });
    });
}

void ProgressStore::end_session(std::int64_t session_id, UnixMs at) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare("UPDATE sessions SET ended_at = ?2 WHERE id = ?1").bind_all(session_id, at).run();
            require_changed(db_, "session", session_id);
        });
    });
}

std::optional<SessionRecord> ProgressStore::session(std::int64_t session_id) const {
    return guarded([&]() -> std::optional<SessionRecord> {
        auto query = db_.prepare("SELECT id, mode, exam_id, started_at, ended_at FROM sessions WHERE id = ?1");
        query.bind(1, session_id);
        if (!query.step()) return std::nullopt;
        return SessionRecord{query.int64(0), query.text(1), query.text(2), query.int64(3), query.optional_int64(4)};
    });
}

}  // namespace certdrill::store
