#include "store/progress_store.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace certdrill::store {

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

void require_changed(const Database& db, std::string_view what, std::int64_t id) {
    if (db.changes() == 0) throw std::invalid_argument("no " + std::string(what) + " with id " + std::to_string(id));
}

// Runs fn inside BEGIN IMMEDIATE ... COMMIT and returns its result. Inside a transaction that is
// already open (ProgressStore::in_one_transaction), fn joins it: its writes commit, or roll
// back, with the rest. The packed answer history of every card whose answers fn changed is
// brought up to date before the commit.
template <class Fn>
auto in_write_transaction(Database& db, Fn&& fn) {
    if (db.in_transaction()) return fn();
    Transaction transaction(db);
    if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        try_refresh_stale_histories(db);
        transaction.commit();
    } else {
        auto result = fn();
        try_refresh_stale_histories(db);
        transaction.commit();
        return result;
    }
}

// ---- row mappers: each SELECT list next to the code that reads its rows, column by column ----

// The nine columns of a memory state, in MemoryState order, with an optional prefix
// ("before_", "after_").
#define CERTDRILL_MEMORY_COLUMNS(p) \
    p "state, " p "stability, " p "difficulty, " p "step, " p "reps, " p "lapses, " p "scheduled_days, " p "due, " p "last_review"

fsrs::MemoryState read_memory(RowReader& row) {
    fsrs::MemoryState m;
    m.state = static_cast<fsrs::State>(row.integer());
    m.stability = row.real();
    m.difficulty = row.real();
    m.step = row.integer();
    m.reps = row.integer();
    m.lapses = row.integer();
    m.scheduled_days = row.integer();
    m.due = row.int64();
    m.last_review = row.int64();
    return m;
}

// Binds parameters first .. first + 8; returns the next free index.
int bind_memory(Statement& s, int first, const fsrs::MemoryState& m) {
    s.bind(first, static_cast<int>(m.state))
        .bind(first + 1, m.stability)
        .bind(first + 2, m.difficulty)
        .bind(first + 3, m.step)
        .bind(first + 4, m.reps)
        .bind(first + 5, m.lapses)
        .bind(first + 6, m.scheduled_days)
        .bind(first + 7, m.due)
        .bind(first + 8, m.last_review);
    return first + 9;
}

// ---- cards ----

constexpr std::string_view kSelectCard =
    "SELECT card_id, " CERTDRILL_MEMORY_COLUMNS("") ", suspended, flagged, first_seen, updated_at FROM cards";

CardRecord read_card(RowReader& row) {
    CardRecord c;
    c.card_id = row.text();
    c.memory = read_memory(row);
    c.suspended = row.boolean();
    c.flagged = row.boolean();
    c.first_seen = row.int64();
    c.updated_at = row.int64();
    return c;
}

std::optional<CardRecord> load_card(const Database& db, std::string_view card_id) {
    auto query = db.prepare(std::string(kSelectCard) + " WHERE card_id = ?1");
    query.bind(1, card_id);
    std::optional<CardRecord> found;
    for_each_row(query, [&](RowReader& row) { found = read_card(row); });
    return found;
}

void insert_card(Database& db, const CardRecord& c) {
    auto insert = db.prepare(
        "INSERT INTO cards (card_id, state, stability, difficulty, step, reps, lapses, scheduled_days, due, "
        "last_review, suspended, flagged, first_seen, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    insert.bind(1, c.card_id);
    const int next = bind_memory(insert, 2, c.memory);
    insert.bind(next, c.suspended).bind(next + 1, c.flagged).bind(next + 2, c.first_seen).bind(next + 3, c.updated_at);
    insert.run();
}

void update_memory(Database& db, std::string_view card_id, const fsrs::MemoryState& m, UnixMs at) {
    auto update = db.prepare(
        "UPDATE cards SET state = ?2, stability = ?3, difficulty = ?4, step = ?5, reps = ?6, lapses = ?7, "
        "scheduled_days = ?8, due = ?9, last_review = ?10, updated_at = ?11 WHERE card_id = ?1");
    update.bind(1, card_id);
    update.bind(bind_memory(update, 2, m), at);
    update.run();
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

// ---- exam attempts ----

constexpr std::string_view kSelectAttempt =
    "SELECT id, exam_id, started_at, finished_at, item_count, minutes, seed, score_percent, passed, "
    "duration_ms, kind, domain_id, resumable, elapsed_ms, items_min, pretest_items, scaled_score, ability, "
    "ability_se, standard, items_given FROM exam_attempts";

AttemptRecord read_attempt(RowReader& row) {
    AttemptRecord a;
    a.id = row.int64();
    a.exam_id = row.text();
    a.started_at = row.int64();
    a.finished_at = row.optional_int64();
    a.item_count = row.integer();
    a.minutes = row.integer();
    a.seed = static_cast<std::uint64_t>(row.int64());  // stored as the same 64 bits, signed
    a.score_percent = row.optional_real();
    if (const auto passed = row.optional_int64()) a.passed = *passed != 0;
    a.duration_ms = row.optional_int64();
    a.kind = row.text();
    a.domain_id = row.optional_text();
    a.resumable = row.boolean();
    a.elapsed_ms = row.int64();
    a.items_min = row.optional_integer();
    a.pretest_items = row.optional_integer();
    a.scaled_score = row.optional_integer();
    a.ability = row.optional_real();
    a.ability_se = row.optional_real();
    a.standard = row.optional_real();
    a.items_given = row.optional_integer();
    return a;
}

constexpr std::string_view kSelectAttemptItem =
    "SELECT attempt_id, position, card_id, domain_id, chosen, correct, flagged, answered_at, option_order, "
    "pretest, skipped, difficulty, response_ms FROM exam_attempt_items";

AttemptItemRecord read_attempt_item(RowReader& row) {
    AttemptItemRecord item;
    item.attempt_id = row.int64();
    item.position = row.integer();
    item.card_id = row.text();
    item.domain_id = row.text();
    item.chosen = row.text();
    item.correct = row.boolean();
    item.flagged = row.boolean();
    item.answered_at = row.optional_int64();
    item.option_order = row.text();
    item.pretest = row.boolean();
    item.skipped = row.boolean();
    item.difficulty = row.optional_real();
    item.response_ms = row.int64();
    return item;
}

std::optional<std::string_view> non_empty(std::string_view text) {
    if (text.empty()) return std::nullopt;
    return text;
}

}  // namespace

template <class Fn>
auto ProgressStore::guarded(Fn&& fn) const {
    try {
        return fn();
    } catch (const SqliteError& e) {
        throw to_store_error(e, file_);
    }
}

ProgressStore::ProgressStore(const std::filesystem::path& file, int busy_timeout_ms)
    : ProgressStore(file, open_locked_progress_database(file, busy_timeout_ms)) {}

ProgressStore::ProgressStore(const std::filesystem::path& file, LockedDatabase opened)
    : file_(file),
      lock_(std::move(opened.lock)),
      db_(std::move(opened.db)),
      integrity_checked_(opened.integrity_checked) {
    // Cards listed as stale by a migration or by another tool's change to the log: packed now,
    // once, rather than read from the log by every reader until the next answer. After an unclean
    // shutdown (or a file rebuilt or recovered, which has no lock file) every card is repacked.
    // Best effort: when it cannot be done now, readers take the listed cards from the log.
    try {
        if (integrity_checked_)
            in_write_transaction(db_, [&] { mark_all_histories_stale(db_); });
        else if (has_stale_histories(db_))
            in_write_transaction(db_, [] {});
    } catch (const SqliteError&) {
    }
}

std::vector<std::string> ProgressStore::integrity_problems() const {
    return guarded([&] { return store::integrity_problems(db_); });
}

void ProgressStore::in_one_transaction(const std::function<void()>& writes) {
    guarded([&] { in_write_transaction(db_, writes); });
}

int ProgressStore::schema_version() const {
    return guarded([&] { return user_version(db_); });
}

std::optional<CardRecord> ProgressStore::card(std::string_view card_id) const {
    return guarded([&] { return load_card(db_, card_id); });
}

std::vector<CardRecord> ProgressStore::cards() const {
    return guarded([&] {
        std::vector<CardRecord> result;
        auto query = db_.prepare(std::string(kSelectCard) + " ORDER BY card_id");
        for_each_row(query, [&](RowReader& row) { result.push_back(read_card(row)); });
        return result;
    });
}

void ProgressStore::for_each_card(const std::function<void(const CardRecord&)>& visit) const {
    guarded([&] {
        // In table order: ordered by card id, every row would be a look-up through the id index.
        auto query = db_.prepare(std::string(kSelectCard));
        for_each_row(query, [&](RowReader& row) { visit(read_card(row)); });
    });
}

void ProgressStore::for_each_card_due_soon(UnixMs after, UnixMs review_before,
                                           const std::function<void(const CardRecord&)>& visit) const {
    guarded([&] {
        static_assert(static_cast<int>(fsrs::State::Learning) == 1 && static_cast<int>(fsrs::State::Review) == 2 &&
                      static_cast<int>(fsrs::State::Relearning) == 3);
        auto query = db_.prepare(std::string(kSelectCard) +
                                 " WHERE suspended = 0 AND due > ?1 AND (state IN (1, 3) OR (state = 2 AND due < ?2))");
        query.bind(1, after).bind(2, review_before);
        for_each_row(query, [&](RowReader& row) { visit(read_card(row)); });
    });
}

namespace {

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

void ProgressStore::set_flagged(std::string_view card_id, bool flagged, UnixMs at) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            auto upsert = db_.prepare(
                "INSERT INTO cards (card_id, flagged, first_seen, updated_at) VALUES (?1, ?2, ?3, ?3) "
                "ON CONFLICT (card_id) DO UPDATE SET flagged = excluded.flagged, updated_at = excluded.updated_at");
            upsert.bind_all(card_id, flagged, at).run();
        });
    });
}

void ProgressStore::set_suspended(std::string_view card_id, bool suspended, UnixMs at) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            auto upsert = db_.prepare(
                "INSERT INTO cards (card_id, suspended, first_seen, updated_at) VALUES (?1, ?2, ?3, ?3) "
                "ON CONFLICT (card_id) DO UPDATE SET suspended = excluded.suspended, "
                "updated_at = excluded.updated_at");
            upsert.bind_all(card_id, suspended, at).run();
        });
    });
}

std::optional<std::string> ProgressStore::exam_date(std::string_view exam_id) const {
    return guarded([&]() -> std::optional<std::string> {
        auto query = db_.prepare("SELECT exam_date FROM exam_plans WHERE exam_id = ?1");
        query.bind_all(exam_id);
        if (!query.step()) return std::nullopt;
        return query.text(0);
    });
}

void ProgressStore::set_exam_date(std::string_view exam_id, std::string_view date, UnixMs at) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_plans (exam_id, exam_date, updated_at) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (exam_id) DO UPDATE SET exam_date = excluded.exam_date, "
                   "updated_at = excluded.updated_at")
                .bind_all(exam_id, date, at)
                .run();
        });
    });
}

bool ProgressStore::clear_exam_date(std::string_view exam_id) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            db_.prepare("DELETE FROM exam_plans WHERE exam_id = ?1").bind_all(exam_id).run();
            return db_.changes() > 0;
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

std::int64_t ProgressStore::begin_attempt(std::string_view exam_id, UnixMs started_at, int item_count, int minutes,
                                          std::uint64_t seed) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_attempts (exam_id, started_at, item_count, minutes, seed) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)")
                .bind_all(exam_id, started_at, item_count, minutes, static_cast<std::int64_t>(seed))
                .run();
            return db_.last_insert_rowid();
        });
    });
}

std::int64_t ProgressStore::begin_attempt(const NewAttempt& a) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_attempts (exam_id, started_at, item_count, minutes, seed, kind, domain_id, "
                   "resumable, items_min, pretest_items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9)")
                .bind_all(a.exam_id, a.started_at, a.item_count, a.minutes, static_cast<std::int64_t>(a.seed), a.kind,
                          a.domain_id, a.items_min, a.pretest_items)
                .run();
            return db_.last_insert_rowid();
        });
    });
}

void ProgressStore::save_attempt_item(const AttemptItemRecord& item, std::optional<std::int64_t> elapsed_ms) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_attempt_items "
                   "(attempt_id, position, card_id, domain_id, chosen, correct, flagged, answered_at, option_order, "
                   "pretest, skipped, difficulty, response_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                   "ON CONFLICT (attempt_id, position) DO UPDATE SET card_id = excluded.card_id, "
                   "domain_id = excluded.domain_id, chosen = excluded.chosen, correct = excluded.correct, "
                   "flagged = excluded.flagged, answered_at = excluded.answered_at, "
                   "option_order = excluded.option_order, pretest = excluded.pretest, skipped = excluded.skipped, "
                   "difficulty = excluded.difficulty, response_ms = excluded.response_ms")
                .bind_all(item.attempt_id, item.position, item.card_id, item.domain_id, item.chosen, item.correct,
                          item.flagged, item.answered_at, item.option_order, item.pretest, item.skipped,
                          item.difficulty, item.response_ms)
                .run();
            if (elapsed_ms)
                db_.prepare("UPDATE exam_attempts SET elapsed_ms = ?2 WHERE id = ?1")
                    .bind_all(item.attempt_id, *elapsed_ms)
                    .run();
        });
    });
}

void ProgressStore::set_attempt_elapsed(std::int64_t attempt_id, std::int64_t elapsed_ms) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare("UPDATE exam_attempts SET elapsed_ms = ?2 WHERE id = ?1").bind_all(attempt_id, elapsed_ms).run();
            require_changed(db_, "exam attempt", attempt_id);
        });
    });
}

void ProgressStore::finish_attempt(std::int64_t attempt_id, const AttemptOutcome& o) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "UPDATE exam_attempts SET finished_at = ?2, score_percent = ?3, passed = ?4, duration_ms = ?5, "
                   "elapsed_ms = ?5, scaled_score = ?6, ability = ?7, ability_se = ?8, standard = ?9, "
                   "items_given = ?10 WHERE id = ?1")
                .bind_all(attempt_id, o.finished_at, o.score_percent, o.passed, o.duration_ms, o.scaled_score,
                          o.ability, o.ability_se, o.standard, o.items_given)
                .run();
            require_changed(db_, "exam attempt", attempt_id);
        });
    });
}

void ProgressStore::discard_attempt(std::int64_t attempt_id) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            auto finished = db_.prepare("SELECT finished_at IS NOT NULL FROM exam_attempts WHERE id = ?1");
            finished.bind(1, attempt_id);
            if (!finished.step()) throw std::invalid_argument("no exam attempt with id " + std::to_string(attempt_id));
            if (finished.boolean(0))
                throw std::invalid_argument("exam attempt " + std::to_string(attempt_id) + " is finished");
            db_.prepare("DELETE FROM exam_attempt_items WHERE attempt_id = ?1").bind(1, attempt_id).run();
            db_.prepare("DELETE FROM exam_attempts WHERE id = ?1").bind(1, attempt_id).run();
        });
    });
}

std::optional<AttemptRecord> ProgressStore::attempt(std::int64_t attempt_id) const {
    return guarded([&]() -> std::optional<AttemptRecord> {
        auto query = db_.prepare(std::string(kSelectAttempt) + " WHERE id = ?1");
        query.bind(1, attempt_id);
        std::optional<AttemptRecord> found;
        for_each_row(query, [&](RowReader& row) { found = read_attempt(row); });
        return found;
    });
}

std::vector<AttemptRecord> ProgressStore::unfinished_attempts(std::optional<std::string_view> exam_id) const {
    return guarded([&] {
        std::vector<AttemptRecord> result;
        auto query = db_.prepare(std::string(kSelectAttempt) +
                                 " WHERE finished_at IS NULL AND resumable = 1 AND (?1 IS NULL OR exam_id = ?1) "
                                 "ORDER BY started_at DESC, id DESC");
        query.bind(1, exam_id);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_attempt(row)); });
        return result;
    });
}

void ProgressStore::finish_attempt(std::int64_t attempt_id, UnixMs finished_at, double score_percent, bool passed,
                                   std::int64_t duration_ms) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "UPDATE exam_attempts SET finished_at = ?2, score_percent = ?3, passed = ?4, duration_ms = ?5 "
                   "WHERE id = ?1")
                .bind_all(attempt_id, finished_at, score_percent, passed, duration_ms)
                .run();
            require_changed(db_, "exam attempt", attempt_id);
        });
    });
}

std::vector<AttemptRecord> ProgressStore::attempts(std::optional<std::string_view> exam_id) const {
    return guarded([&] {
        std::vector<AttemptRecord> result;
        auto query = db_.prepare(std::string(kSelectAttempt) +
                                 " WHERE (?1 IS NULL OR exam_id = ?1) ORDER BY started_at, id");
        query.bind(1, exam_id);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_attempt(row)); });
        return result;
    });
}

std::vector<AttemptItemRecord> ProgressStore::attempt_items(std::int64_t attempt_id) const {
    return guarded([&] {
        std::vector<AttemptItemRecord> result;
        auto query = db_.prepare(std::string(kSelectAttemptItem) + " WHERE attempt_id = ?1 ORDER BY position");
        query.bind(1, attempt_id);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_attempt_item(row)); });
        return result;
    });
}

namespace {

std::string weights_text(const std::array<double, 21>& w) {
    std::string text;
    for (const double x : w) {
        std::array<char, 32> buffer{};
        const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x).ptr;
        if (!text.empty()) text += ' ';
        text.append(buffer.data(), end);
    }
    return text;
}

std::optional<std::array<double, 21>> weights_from(std::string_view text) {
    std::array<double, 21> w{};
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (double& x : w) {
        while (p < end && *p == ' ') ++p;
        const auto result = std::from_chars(p, end, x);
        if (result.ec != std::errc() || !std::isfinite(x)) return std::nullopt;
        p = result.ptr;
    }
    while (p < end && *p == ' ') ++p;
    if (p != end) return std::nullopt;
    return w;
}

}  // namespace

std::optional<FittedParameters> ProgressStore::fitted_parameters(std::string_view exam_id) const {
    return guarded([&]() -> std::optional<FittedParameters> {
        auto query = db_.prepare(
            "SELECT exam_id, weights, fitted_at, review_count, log_loss_before, rmse_before, log_loss_after, "
            "rmse_after FROM fitted_parameters WHERE exam_id = ?1");
        query.bind(1, exam_id);
        if (!query.step()) return std::nullopt;
        FittedParameters f;
        f.exam_id = query.text(0);
        const auto weights = weights_from(query.text(1));
        if (!weights)
            throw StoreError(
                StoreError::Kind::Corrupt,
                "the fitted FSRS parameters for exam '" + f.exam_id + "' in '" + file_.string() + "' are damaged",
                "run 'certdrill optimize --exam " + f.exam_id + " --reset' to return to the defaults");
        f.weights = *weights;
        f.fitted_at = query.int64(2);
        f.review_count = query.int64(3);
        f.log_loss_before = query.real(4);
        f.rmse_before = query.real(5);
        f.log_loss_after = query.real(6);
        f.rmse_after = query.real(7);
        return f;
    });
}

void ProgressStore::save_fitted_parameters(const FittedParameters& f) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            auto statement = db_.prepare(
                "INSERT OR REPLACE INTO fitted_parameters (exam_id, weights, fitted_at, review_count, "
                "log_loss_before, rmse_before, log_loss_after, rmse_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
            statement.bind_all(std::string_view(f.exam_id), std::string_view(weights_text(f.weights)), f.fitted_at,
                               f.review_count, f.log_loss_before, f.rmse_before, f.log_loss_after, f.rmse_after);
            statement.run();
        });
    });
}

bool ProgressStore::clear_fitted_parameters(std::string_view exam_id) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            auto statement = db_.prepare("DELETE FROM fitted_parameters WHERE exam_id = ?1");
            statement.bind(1, exam_id);
            statement.run();
            return db_.changes() > 0;
        });
    });
}

}  // namespace certdrill::store
