#include "store/answer_history.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <unordered_set>

namespace certdrill::store {

namespace {

// Layout: one format byte (the layout's version and the byte order it was written in), then
// per answer `at`, `after.stability` (IEEE double) and `after.last_review`, 8 bytes each in the
// machine's byte order, and one byte of flags (right or wrong; the state after the answer). A
// file moved to a machine of the other byte order gets its histories read from the log.
constexpr std::size_t kRecordBytes = 8 + 8 + 8 + 1;
constexpr unsigned char kCorrectFlag = 0x01;
constexpr unsigned kStateShift = 1;
constexpr unsigned char kStateMask = 0x03;

// Version 1 of the layout, written little-endian; 0x81 would be the same written big-endian.
constexpr unsigned char format_byte() {
    return std::endian::native == std::endian::little ? 0x01 : 0x81;
}

template <class T>
void append(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

template <class T>
T take(const char*& p) {
    T value;
    std::memcpy(&value, p, sizeof(T));
    p += sizeof(T);
    return value;
}

bool valid_state(unsigned value) { return value <= static_cast<unsigned>(fsrs::State::Relearning); }

// The log columns a HistoryAnswer holds, in the order read_history_answer reads them.
#define CERTDRILL_HISTORY_COLUMNS "at, correct, after_state, after_stability, after_last_review"

HistoryAnswer read_history_answer(RowReader& row) {
    HistoryAnswer a;
    a.at = row.int64();
    a.correct = row.boolean();
    a.after.state = static_cast<fsrs::State>(row.integer());
    a.after.stability = row.real();
    a.after.last_review = row.int64();
    return a;
}

// The card's answers from the log; `newest_id`, when given, gets the greatest log id read (0 for
// none).
void read_log_history(const Database& db, std::string_view card_id, std::vector<HistoryAnswer>& out,
                      std::int64_t* newest_id = nullptr) {
    out.clear();
    std::int64_t newest = 0;
    auto query =
        db.prepare("SELECT id, " CERTDRILL_HISTORY_COLUMNS " FROM review_log WHERE card_id = ?1 ORDER BY at, id");
    query.bind(1, card_id);
    for_each_row(query, [&](RowReader& row) {
        newest = std::max(newest, row.int64());
        out.push_back(read_history_answer(row));
    });
    if (newest_id) *newest_id = newest;
}

// A card on the list: `full` when its log rows changed or went, not only gained new ones.
struct StaleCard {
    std::string card_id;
    bool full = true;
};

std::vector<StaleCard> stale_cards(const Database& db) {
    std::vector<StaleCard> cards;
    auto query = db.prepare("SELECT card_id, full FROM answer_history_stale");
    while (query.step()) cards.push_back({query.text(0), query.boolean(1)});
    return cards;
}

// The packed records of `answers`, without the format byte.
void append_records(std::string& out, const std::vector<HistoryAnswer>& answers) {
    for (const auto& a : answers) {
        append<std::int64_t>(out, a.at);
        append<double>(out, a.after.stability);
        append<std::int64_t>(out, a.after.last_review);
        const auto flags = static_cast<unsigned char>((a.correct ? kCorrectFlag : 0) |
                                                      (static_cast<unsigned>(a.after.state) << kStateShift));
        out.push_back(static_cast<char>(flags));
    }
}

bool any_invalid_state(const std::vector<HistoryAnswer>& answers) {
    return std::any_of(answers.begin(), answers.end(),
                       [](const HistoryAnswer& a) { return !valid_state(static_cast<unsigned>(a.after.state)); });
}

std::int64_t log_count(const Database& db, std::string_view card_id) {
    auto query = db.prepare("SELECT count(*) FROM review_log WHERE card_id = ?1");
    query.bind(1, card_id);
    return query.step() ? query.int64(0) : 0;
}

// Appends to the card's packed row the log rows added after its last log id, when that gives
// exactly the row a repack would: the row unpacks, the log holds its answers plus the new ones
// and nothing else (a row replaced without its delete trigger would show in the count), and no
// new answer comes before the last packed one. Log ids only grow (AUTOINCREMENT), so a new
// answer at the same moment as the last packed one also sorts after it, as a repack orders them
// (by time, then id). False leaves the row as it was, for a repack.
bool append_new_answers(Database& db, const std::string& card_id) {
    auto row = db.prepare("SELECT answers, last_log_id FROM answer_history WHERE card_id = ?1");
    row.bind(1, card_id);
    if (!row.step() || row.is_null(1)) return false;
    const std::int64_t last_log_id = row.int64(1);
    std::vector<HistoryAnswer> packed;
    if (!unpack_history(row.blob(0), packed)) return false;

    std::vector<HistoryAnswer> added;
    std::int64_t newest_id = last_log_id;
    auto query = db.prepare("SELECT id, " CERTDRILL_HISTORY_COLUMNS
                            " FROM review_log WHERE card_id = ?1 AND id > ?2 ORDER BY at, id");
    query.bind(1, card_id).bind(2, last_log_id);
    for_each_row(query, [&](RowReader& r) {
        newest_id = std::max(newest_id, r.int64());
        added.push_back(read_history_answer(r));
    });
    if (added.empty() || any_invalid_state(added) || added.front().at < packed.back().at ||
        log_count(db, card_id) != static_cast<std::int64_t>(packed.size() + added.size()))
        return false;

    std::string records;
    append_records(records, added);
    // || gives text, even of two blobs: cast back, or length() would count characters up to the
    // first zero byte and every reader would take the whole log instead.
    db.prepare("UPDATE answer_history SET answers = CAST(answers || ?1 AS BLOB), last_log_id = ?2 WHERE card_id = ?3")
        .bind_blob(1, records)
        .bind(2, newest_id)
        .bind(3, card_id)
        .run();
    return true;
}

// Packs the card again from all its log rows. False, leaving the row as it was, when the log
// holds a state it should never hold: the card then stays listed and readers take it from the log.
bool repack_from_log(Database& db, const std::string& card_id, std::vector<HistoryAnswer>& answers) {
    std::int64_t last_log_id = 0;
    read_log_history(db, card_id, answers, &last_log_id);
    if (any_invalid_state(answers)) return false;
    if (answers.empty()) {
        db.prepare("DELETE FROM answer_history WHERE card_id = ?1").bind(1, card_id).run();
    } else {
        auto upsert = db.prepare("INSERT OR REPLACE INTO answer_history (card_id, answers, last_log_id) VALUES (?1, ?2, ?3)");
        upsert.bind(1, card_id).bind_blob(2, pack_history(answers)).bind(3, last_log_id).run();
    }
    return true;
}

}  // namespace

std::string pack_history(const std::vector<HistoryAnswer>& answers) {
    std::string out;
    out.reserve(1 + answers.size() * kRecordBytes);
    out.push_back(static_cast<char>(format_byte()));
    append_records(out, answers);
    return out;
}

bool unpack_history(std::string_view bytes, std::vector<HistoryAnswer>& out) {
    out.clear();
    if (bytes.empty() || static_cast<unsigned char>(bytes.front()) != format_byte() ||
        (bytes.size() - 1) % kRecordBytes != 0)
        return false;
    const std::size_t count = (bytes.size() - 1) / kRecordBytes;
    out.reserve(count);
    const char* p = bytes.data() + 1;
    for (std::size_t i = 0; i < count; ++i) {
        HistoryAnswer a;
        a.at = take<std::int64_t>(p);
        a.after.stability = take<double>(p);
        a.after.last_review = take<std::int64_t>(p);
        const auto flags = take<unsigned char>(p);
        const unsigned state = (flags >> kStateShift) & kStateMask;
        if ((flags & ~(kCorrectFlag | (kStateMask << kStateShift))) != 0 || !valid_state(state) ||
            (i > 0 && a.at < out.back().at)) {
            out.clear();
            return false;
        }
        a.correct = (flags & kCorrectFlag) != 0;
        a.after.state = static_cast<fsrs::State>(state);
        out.push_back(a);
    }
    return !out.empty();
}

bool has_stale_histories(const Database& db) {
    auto query = db.prepare("SELECT 1 FROM answer_history_stale LIMIT 1");
    return query.step();
}

void mark_all_histories_stale(Database& db) {
    db.run_script(
        "INSERT OR IGNORE INTO answer_history_stale (card_id) SELECT DISTINCT card_id FROM review_log;"
        "INSERT OR IGNORE INTO answer_history_stale (card_id) SELECT card_id FROM answer_history;"
        "UPDATE answer_history_stale SET full = 1;");
}

HistoryRefresh refresh_stale_histories(Database& db) {
    if (!db.in_transaction()) throw std::logic_error("answer histories are repacked only inside a write transaction");
    HistoryRefresh done;
    std::vector<HistoryAnswer> answers;
    for (const auto& card : stale_cards(db)) {
        if (!card.full && append_new_answers(db, card.card_id))
            ++done.appended;
        else if (repack_from_log(db, card.card_id, answers))
            ++done.repacked;
        else
            continue;
        // Only the cards brought up to date here: a mark another connection adds meanwhile stays.
        db.prepare("DELETE FROM answer_history_stale WHERE card_id = ?1").bind(1, card.card_id).run();
    }
    return done;
}

void try_refresh_stale_histories(Database& db) {
    db.run_script("SAVEPOINT repack_histories");
    try {
        refresh_stale_histories(db);
        db.run_script("RELEASE repack_histories");
    } catch (const SqliteError&) {
        // SQLite may have rolled the whole transaction back (e.g. a full disk): then the write
        // is lost and the caller must hear of it.
        if (!db.in_transaction()) throw;
        db.run_script("ROLLBACK TO repack_histories; RELEASE repack_histories");
    }
}

namespace {

// How many answers the log holds apart from those of `left_out` (cards read from the log).
std::int64_t log_answers_apart_from(const Database& db, const std::unordered_set<std::string>& left_out) {
    auto total = db.prepare("SELECT count(*) FROM review_log");
    std::int64_t logged = total.step() ? total.int64(0) : 0;
    for (const auto& card_id : left_out) logged -= log_count(db, card_id);
    return logged;
}

// Every card's answers straight from the log: the slow way, for when the packed rows fail the
// check above.
void for_each_log_history(const Database& db, const CardHistoryVisitor& visit) {
    auto query = db.prepare("SELECT card_id, " CERTDRILL_HISTORY_COLUMNS " FROM review_log ORDER BY card_id, at, id");
    std::string card_id;
    std::vector<HistoryAnswer> answers;
    for_each_row(query, [&](RowReader& row) {
        std::string id = row.text();
        if (id != card_id && !answers.empty()) {
            visit(card_id, answers);
            answers.clear();
        }
        card_id = std::move(id);
        answers.push_back(read_history_answer(row));
    });
    if (!answers.empty()) visit(card_id, answers);
}

// The reads of one for_each_card_history see one moment of the file, even while another
// connection writes.
class ReadSnapshot {
public:
    explicit ReadSnapshot(const Database& db) : db_(db), own_(!db.in_transaction()) {
        if (own_) db_.prepare("BEGIN").run();
    }
    ~ReadSnapshot() {
        if (!own_) return;
        try {
            db_.prepare("COMMIT").run();
        } catch (const SqliteError&) {  // a read-only transaction has nothing to lose
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    const Database& db_;
    bool own_;
};

}  // namespace

void for_each_card_history(const Database& db, const CardHistoryVisitor& visit, const std::function<void()>& restart) {
    const ReadSnapshot snapshot(db);
    // Cards whose packed row cannot be trusted: listed as stale, or not unpackable.
    std::unordered_set<std::string> from_log;
    for (auto& card : stale_cards(db)) from_log.insert(std::move(card.card_id));
    // One pass over the packed rows, handing each out as it is read and counting its answers.
    std::int64_t packed = 0;
    std::vector<HistoryAnswer> answers;
    {
        auto query = db.prepare("SELECT card_id, answers FROM answer_history");
        std::string card_id;
        while (query.step()) {
            card_id = query.text(0);
            if (from_log.count(card_id)) continue;
            if (unpack_history(query.blob(1), answers)) {
                packed += static_cast<std::int64_t>(answers.size());
                visit(card_id, answers);
            } else {
                from_log.insert(card_id);
            }
        }
    }
    // Every other card's answers come from the log, so the rows handed out must hold exactly the
    // answers the log holds apart from those cards'. A change to the log that fired no trigger
    // (INSERT OR REPLACE with recursive triggers off, a table rebuilt from a dump) shows up here as
    // a difference in the totals: then everything handed out so far is withdrawn and every card
    // comes from the log.
    if (packed != log_answers_apart_from(db, from_log)) {
        restart();
        for_each_log_history(db, visit);
        return;
    }
    for (const auto& card_id : from_log) {
        read_log_history(db, card_id, answers);
        if (!answers.empty()) visit(card_id, answers);
    }
}

}  // namespace certdrill::store
