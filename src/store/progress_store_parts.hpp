#pragma once
// Internal to the store layer: what the progress store's files (progress_store.cpp,
// progress_store_answers.cpp, progress_store_exams.cpp) share.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "store/answer_history.hpp"
#include "store/progress_store.hpp"
#include "store/sqlite.hpp"
#include "store/store_error.hpp"

namespace certdrill::store {

template <class Fn>
auto ProgressStore::guarded(Fn&& fn) const {
    try {
        return fn();
    } catch (const SqliteError& e) {
        throw to_store_error(e, file_);
    }
}

namespace detail {

// An argument check (a programming error, not a storage failure) after an UPDATE by id.
inline void require_changed(const Database& db, std::string_view what, std::int64_t id) {
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

// The nine columns of a memory state, in MemoryState order, with an optional prefix
// ("before_", "after_").
#define CERTDRILL_MEMORY_COLUMNS(p) \
    p "state, " p "stability, " p "difficulty, " p "step, " p "reps, " p "lapses, " p "scheduled_days, " p "due, " p "last_review"

// Row mappers and card rows, in progress_store.cpp.
fsrs::MemoryState read_memory(RowReader& row);
int bind_memory(Statement& s, int first, const fsrs::MemoryState& m);
std::optional<CardRecord> load_card(const Database& db, std::string_view card_id);
void insert_card(Database& db, const CardRecord& c);
void update_memory(Database& db, std::string_view card_id, const fsrs::MemoryState& m, UnixMs at);

}  // namespace detail

}  // namespace certdrill::store
