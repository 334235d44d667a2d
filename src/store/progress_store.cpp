#include "store/progress_store.hpp"

#include <utility>

#include "store/progress_store_parts.hpp"

// Opening the store and its card rows: reading them and setting their marks. Answers and sessions
// are in progress_store_answers.cpp; exam attempts, exam dates and fitted parameters in
// progress_store_exams.cpp.

namespace certdrill::store {

namespace detail {

// ---- row mappers: each SELECT list next to the code that reads its rows, column by column ----

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

}  // namespace detail

using detail::in_write_transaction;
using detail::kSelectCard;
using detail::load_card;
using detail::read_card;

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

}  // namespace certdrill::store
