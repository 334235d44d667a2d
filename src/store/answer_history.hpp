#pragma once
// Each card's answers packed into one row per card (table answer_history), so the mastery
// figures and the statistics read one row a card instead of every row of the review log.
//
// The packed rows are derived from review_log, never the truth. Triggers on review_log list in
// answer_history_stale every card whose log rows are inserted, changed or deleted, by this
// program or by any other tool (noting whether rows were only inserted); every write transaction
// of the store brings the listed cards up to date before it commits, and a reader that still finds a card listed (or a row it cannot unpack)
// takes that card's answers from the log itself.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fsrs.hpp"
#include "core/time.hpp"
#include "store/sqlite.hpp"

namespace certdrill::store {

// One answer as the packed history keeps it: what the mastery figures and the statistics read.
struct HistoryAnswer {
    UnixMs at = 0;
    bool correct = false;
    fsrs::RecallState after;  // of the memory state after the answer, what its recall needs
};

// A card's answers, oldest first (answers given at the same moment in log order).
using CardHistoryVisitor = std::function<void(std::string_view card_id, const std::vector<HistoryAnswer>& answers)>;

// The packed form of `answers`, and back. unpack_history returns false, leaving `out` empty,
// for bytes that are not a history this program packs.
std::string pack_history(const std::vector<HistoryAnswer>& answers);
bool unpack_history(std::string_view bytes, std::vector<HistoryAnswer>& out);

// How refresh_stale_histories brought the listed cards up to date.
struct HistoryRefresh {
    int appended = 0;  // cards that only gained answers after their packed ones: appended
    int repacked = 0;  // cards packed again from all their log rows
};

// Brings every card listed as stale up to date and takes it off the list: a card whose log only
// gained answers after its packed ones gets them appended to its row, any other is repacked from
// the log. Either way the row ends as a repack from the log would leave it. Must run inside a
// write transaction (std::logic_error otherwise).
HistoryRefresh refresh_stale_histories(Database& db);
// The same, as derived data deserves: when repacking fails (a full disk, a damaged page of the
// packed table) only the repacking is rolled back, the cards stay listed and the caller's
// writes still commit. Rethrows only when SQLite rolled back the whole transaction.
void try_refresh_stale_histories(Database& db);
// Lists every card with answers or a packed row as stale, e.g. after an unclean shutdown, when
// the file may have been rebuilt or recovered without the triggers.
void mark_all_histories_stale(Database& db);
// Whether any card is listed as stale.
bool has_stale_histories(const Database& db);

// Every card with at least one answer, one card at a time, in no particular order of cards, in
// one pass over the packed rows. When that pass shows they do not hold as many answers as the log
// (a change to the log that fired no trigger), `restart` is called and then every card is handed
// out again, read from the log: the caller must drop all it gathered before `restart` (set up
// its figures in `restart` and call it once before, so that both starts are the same).
void for_each_card_history(const Database& db, const CardHistoryVisitor& visit, const std::function<void()>& restart);

}  // namespace certdrill::store
