#include "store/answer_history.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
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

void read_log_history(const Database& db, std::string_view card_id, std::vector<HistoryAnswer>& out) {
    out.clear();
    auto query = db.prepare(
        "SELECT at, correct, after_state, after_stability, after_last_review FROM review_log "
        "WHERE card_id = ?1 ORDER BY at, id");
    query.bind(1, card_id);
    for_each_row(query, [&](RowReader& row) {
        HistoryAnswer a;
        a.at = row.int64();
        a.correct = row.boolean();
        a.after.state = static_cast<fsrs::State>(row.integer());
        a.after.stability = row.real();
        a.after.last_review = row.int64();
        out.push_back(a);
    });
}

std::vector<std::string> stale_cards(const Database& db) {
    std::vector<std::string> ids;
    auto query = db.prepare("SELECT card_id FROM answer_history_stale");
    while (query.step()) ids.push_back(query.text(0));
    return ids;
}

}  // namespace

std::string pack_history(const std::vector<HistoryAnswer>& answers) {
    std::string out;
    out.reserve(1 + answers.size() * kRecordBytes);
    out.push_back(static_cast<char>(format_byte()));
    for (const auto& a : answers) {
        append<std::int64_t>(out, a.at);
        append<double>(out, a.after.stability);
        append<std::int64_t>(out, a.after.last_review);
        const auto flags = static_cast<unsigned char>((a.correct ? kCorrectFlag : 0) |
                                                      (static_cast<unsigned>(a.after.state) << kStateShift));
        out.push_back(static_cast<char>(flags));
    }
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

void refresh_stale_histories(Database& db) {
    const auto stale = stale_cards(db);
    if (stale.empty()) return;
    std::vector<HistoryAnswer> answers;
    for (const auto& card_id : stale) {
        read_log_history(db, card_id, answers);
        if (answers.empty()) {
            db.prepare("DELETE FROM answer_history WHERE card_id = ?1").bind(1, card_id).run();
            continue;
        }
        auto upsert = db.prepare("INSERT OR REPLACE INTO answer_history (card_id, answers) VALUES (?1, ?2)");
        upsert.bind(1, card_id).bind_blob(2, pack_history(answers)).run();
    }
    db.prepare("DELETE FROM answer_history_stale").run();
}

void for_each_card_history(const Database& db, const CardHistoryVisitor& visit) {
    // Cards whose packed row cannot be trusted: listed as stale, or not unpackable.
    std::unordered_set<std::string> from_log;
    for (auto& id : stale_cards(db)) from_log.insert(std::move(id));
    std::vector<HistoryAnswer> answers;
    {
        auto query = db.prepare("SELECT card_id, answers FROM answer_history");
        std::string card_id;
        while (query.step()) {
            card_id = query.text(0);
            if (from_log.count(card_id)) continue;
            if (unpack_history(query.blob(1), answers))
                visit(card_id, answers);
            else
                from_log.insert(card_id);
        }
    }
    for (const auto& card_id : from_log) {
        read_log_history(db, card_id, answers);
        if (!answers.empty()) visit(card_id, answers);
    }
}

}  // namespace certdrill::store
