// The packed answer history (store/answer_history.hpp) must always give exactly what the log
// holds: after every kind of write, after a change made by another program, and when a packed
// row is damaged.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "store/answer_history.hpp"
#include "store/progress_store.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace test_answer_history {

using namespace certdrill;
using namespace certdrill::store;
namespace fs = std::filesystem;

namespace {

using certdrill::testing::TempDir;
using Histories = std::map<std::string, std::vector<HistoryAnswer>>;

constexpr UnixMs kDay = kMsPerDay;
constexpr UnixMs kStart = 1'760'000'000'000;

fsrs::MemoryState memory_after(int n) {
    fsrs::MemoryState m;
    m.state = static_cast<fsrs::State>(1 + n % 3);
    m.stability = 1.0 / 3.0 + n;  // not exact in decimal: any lossy packing shows
    m.difficulty = 5.0;
    m.reps = n;
    m.due = kStart + (n + 1) * kDay;
    m.last_review = kStart + n * 1000;
    return m;
}

ReviewRecord answer(const std::string& card, UnixMs at, int n, bool correct = true) {
    ReviewRecord r;
    r.card_id = card;
    r.at = at;
    r.rating = correct ? 3 : 1;
    r.correct = correct;
    r.after = memory_after(n);
    return r;
}

// The histories a reader is handed, and how often the store started over from the log.
struct HandedOut {
    Histories histories;
    int restarts = 0;
};

HandedOut handed_out(const ProgressStore& store) {
    HandedOut out;
    store.for_each_card_history(
        [&](std::string_view id, const std::vector<HistoryAnswer>& answers) {
            CHECK(out.histories.emplace(std::string(id), answers).second);  // each card once
        },
        [&] {
            out.histories.clear();
            ++out.restarts;
        });
    return out;
}

Histories packed(const ProgressStore& store) { return handed_out(store).histories; }

// What the log holds, each card's answers by time, ties in log order.
Histories from_log(const ProgressStore& store) {
    Histories out;
    for (const auto& r : store.reviews()) out[r.card_id].push_back(HistoryAnswer{r.at, r.correct, r.after});
    for (auto& [id, answers] : out)
        std::stable_sort(answers.begin(), answers.end(),
                         [](const HistoryAnswer& a, const HistoryAnswer& b) { return a.at < b.at; });
    return out;
}

void check_same(const Histories& got, const Histories& expected) {
    REQUIRE(got.size() == expected.size());
    for (const auto& entry : expected) {
        const std::string& id = entry.first;
        const auto& answers = entry.second;
        CAPTURE(id);
        REQUIRE(got.count(id) == 1);
        const auto& g = got.at(id);
        REQUIRE(g.size() == answers.size());
        for (std::size_t i = 0; i < g.size(); ++i) {
            CAPTURE(i);
            CHECK(g[i].at == answers[i].at);
            CHECK(g[i].correct == answers[i].correct);
            CHECK(g[i].after.state == answers[i].after.state);
            CHECK(g[i].after.stability == answers[i].after.stability);
            CHECK(g[i].after.last_review == answers[i].after.last_review);
        }
    }
}

std::int64_t count_of(const Database& db, const char* sql) {
    auto query = db.prepare(sql);
    REQUIRE(query.step());
    return query.int64(0);
}

// Runs `sql` through a connection of its own, as another program would.
void run_elsewhere(const fs::path& file, const std::string& sql) {
    Database other(file, Database::Mode::ReadWriteCreate);
    other.run_script(sql);
}

// n answers a day apart, to cards x.q0 .. x.q<cards - 1> in turn.
void answer_in_turn(ProgressStore& store, int n, int cards) {
    for (int i = 0; i < n; ++i) store.record_review(answer("x.q" + std::to_string(i % cards), kStart + i * kDay, i));
}

// Sets every answer's state after it by a replay of the card's answers in time order.
void numbered_replay(std::vector<ReviewRecord>& history) {
    for (std::size_t i = 0; i < history.size(); ++i) history[i].after = memory_after(100 + static_cast<int>(i));
}

}  // namespace

TEST_CASE("answer history: packing keeps every field and refuses bytes it did not write") {
    std::vector<HistoryAnswer> answers{{kStart, true, fsrs::RecallState(fsrs::State::Learning, 0.1, kStart)},
                                       {kStart, false, fsrs::RecallState(fsrs::State::Relearning, 1.0 / 3.0, kStart)},
                                       {kStart + kDay, true, fsrs::RecallState(fsrs::State::Review, 1e9, -5)}};
    const std::string bytes = pack_history(answers);
    std::vector<HistoryAnswer> back;
    REQUIRE(unpack_history(bytes, back));
    REQUIRE(back.size() == 3);
    CHECK(back[1].at == kStart);
    CHECK_FALSE(back[1].correct);
    CHECK(back[1].after.state == fsrs::State::Relearning);
    CHECK(back[1].after.stability == 1.0 / 3.0);
    CHECK(back[2].after.last_review == -5);

    CHECK_FALSE(unpack_history("", back));
    CHECK(back.empty());
    CHECK_FALSE(unpack_history(bytes.substr(0, bytes.size() - 1), back));  // truncated
    std::string wrong_version = bytes;
    wrong_version[0] = 0x7f;
    CHECK_FALSE(unpack_history(wrong_version, back));
    std::string bad_flags = bytes;
    bad_flags[1 + 24] = static_cast<char>(0xf0);  // first answer's flags
    CHECK_FALSE(unpack_history(bad_flags, back));
    std::vector<HistoryAnswer> backwards{answers[2], answers[0]};
    CHECK_FALSE(unpack_history(pack_history(backwards), back));
    CHECK_FALSE(unpack_history(pack_history({}), back));  // a card with no answers has no row
}

TEST_CASE("answer history: matches the log after answers, ties, undo, regrading and a merge") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    const auto session = store.begin_session("study", "x", kStart);
    auto with_session = [&](ReviewRecord r) {
        r.session_id = session;
        return r;
    };
    store.record_review(with_session(answer("x.q1", kStart, 1)));
    store.record_review(with_session(answer("x.q2", kStart + 10, 2, false)));
    store.record_review(with_session(answer("x.q1", kStart + kDay, 3, false)));
    store.record_review(with_session(answer("x.q1", kStart + kDay, 4)));  // same moment: log order
    check_same(packed(store), from_log(store));

    REQUIRE(store.undo_last(session));
    check_same(packed(store), from_log(store));
    CHECK(packed(store).at("x.q1").size() == 2);
    // Undone back to no answer: the card has no history left.
    const auto q3 = store.record_review(with_session(answer("x.q3", kStart + 20, 8)));
    CHECK(packed(store).count("x.q3") == 1);
    REQUIRE(store.undo_last(session)->id == q3);
    CHECK(packed(store).count("x.q3") == 0);
    check_same(packed(store), from_log(store));

    REQUIRE(store.replace_last(session, [](const ReviewRecord& r) {
        ReviewRecord regraded = r;
        regraded.correct = true;
        regraded.rating = 3;
        return regraded;
    }));
    check_same(packed(store), from_log(store));
    CHECK(packed(store).at("x.q1").back().correct);

    // A merge puts answers before and between the stored ones and rewrites their states.
    std::vector<ReviewRecord> incoming{answer("x.q1", kStart - kDay, 5), answer("x.q2", kStart + 5, 6),
                                       answer("x.q3", kStart + 2 * kDay, 7)};
    incoming[0].uuid = "00000000-0000-4000-8000-000000000001";
    incoming[1].uuid = "00000000-0000-4000-8000-000000000002";
    incoming[2].uuid = "00000000-0000-4000-8000-000000000003";
    store.merge_reviews(incoming, numbered_replay);
    const auto merged = packed(store);
    check_same(merged, from_log(store));
    CHECK(merged.at("x.q1").front().at == kStart - kDay);
    CHECK(merged.at("x.q1").front().after.stability == memory_after(100).stability);

    Database raw(dir.path / "progress.db", Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale") == 0);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history") ==
          count_of(raw, "SELECT count(DISTINCT card_id) FROM review_log"));
}

TEST_CASE("answer history: a change another program makes to the log is seen at once and packed on the next write") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    answer_in_turn(store, 6, 2);
    run_elsewhere(file,
                  "DELETE FROM review_log WHERE id = 1;"
                  "UPDATE review_log SET correct = 0, rating = 1 WHERE id = 4;"
                  "UPDATE review_log SET card_id = 'x.q9' WHERE id = 6;");
    const auto seen = packed(store);
    check_same(seen, from_log(store));
    CHECK(seen.count("x.q9") == 1);
    CHECK_FALSE(seen.at("x.q1")[1].correct);

    store.set_flagged("x.q0", true, kStart);  // any write packs what another program changed
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale") == 0);
    check_same(packed(store), from_log(store));
}

TEST_CASE("answer history: a damaged packed row is read from the log instead") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    answer_in_turn(store, 4, 2);
    run_elsewhere(file, "UPDATE answer_history SET answers = x'0102' WHERE card_id = 'x.q0';");
    check_same(packed(store), from_log(store));
}

TEST_CASE("answer history: a version 6 database gets every card's history packed when it is opened") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        ProgressStore store(file);
        answer_in_turn(store, 9, 3);
    }
    // What version 6 looked like: the log without the packed rows.
    run_elsewhere(file,
                  "DROP TRIGGER review_log_insert_history; DROP TRIGGER review_log_delete_history;"
                  "DROP TRIGGER review_log_update_history; DROP TABLE answer_history; DROP TABLE answer_history_stale;"
                  "PRAGMA user_version = 6;");
    ProgressStore store(file);
    CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history") == 3);
    // Each row knows the last log id it holds, so the next answer can be appended.
    CHECK(count_of(raw,
                   "SELECT count(*) FROM answer_history h WHERE h.last_log_id IS "
                   "(SELECT max(id) FROM review_log l WHERE l.card_id = h.card_id)") == 3);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale") == 0);
    check_same(packed(store), from_log(store));
}

TEST_CASE("answer history: writes rolled back leave no packed row and no mark behind") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    store.record_review(answer("x.q1", kStart, 1));
    CHECK_THROWS_AS(store.in_one_transaction([&] {
        store.record_review(answer("x.q1", kStart + kDay, 2));
        store.record_review(answer("x.q2", kStart + kDay, 3));
        throw std::runtime_error("interrupted");
    }),
                    std::runtime_error);
    const auto seen = packed(store);
    check_same(seen, from_log(store));
    CHECK(seen.size() == 1);
    CHECK(seen.at("x.q1").size() == 1);
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale") == 0);
}

TEST_CASE("answer history: a log change that fires no trigger is caught by the totals and read from the log") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    answer_in_turn(store, 4, 2);
    {
        // INSERT OR REPLACE deletes the row whose uuid it repeats without firing the delete
        // trigger (recursive triggers are off): x.q0 is never listed as stale.
        Database other(file, Database::Mode::ReadWriteCreate);
        other.run_script(
            "CREATE TEMP TABLE moved AS SELECT * FROM review_log WHERE id = 1;"
            "UPDATE moved SET id = 99, card_id = 'x.q1';"
            "INSERT OR REPLACE INTO review_log SELECT * FROM moved;");
        CHECK(count_of(other, "SELECT count(*) FROM answer_history_stale WHERE card_id = 'x.q0'") == 0);
    }
    // The packed rows were handed out first, then withdrawn, and every card read from the log.
    const auto handed = handed_out(store);
    CHECK(handed.restarts == 1);
    const auto& seen = handed.histories;
    check_same(seen, from_log(store));
    CHECK(seen.at("x.q0").size() == 1);
    CHECK(seen.at("x.q1").size() == 3);
}

TEST_CASE("answer history: the packed rows are read in one pass, without starting over, while they cover the log") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    answer_in_turn(store, 12, 4);
    auto handed = handed_out(store);
    CHECK(handed.restarts == 0);
    check_same(handed.histories, from_log(store));
    // Cards listed as stale, or with a row that does not unpack, come from the log on their own:
    // the other rows still cover the rest of the log.
    run_elsewhere(file,
                  "DELETE FROM review_log WHERE id = 2;"
                  "UPDATE answer_history SET answers = X'00' WHERE card_id = 'x.q3';");
    handed = handed_out(store);
    CHECK(handed.restarts == 0);
    check_same(handed.histories, from_log(store));
    // A row holding one answer too many (an answer the log lost without a trigger) is caught.
    run_elsewhere(file,
                  "DROP TRIGGER review_log_delete_history;"
                  "DELETE FROM review_log WHERE id = (SELECT max(id) FROM review_log WHERE card_id = 'x.q2');");
    handed = handed_out(store);
    CHECK(handed.restarts == 1);
    check_same(handed.histories, from_log(store));
}

TEST_CASE("answer history: after an unclean shutdown every card is repacked from the log") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        ProgressStore store(file);
        answer_in_turn(store, 4, 2);
    }
    {
        // A packed row that no longer says what the log says, with the same number of answers:
        // only a repack can tell.
        Database other(file, Database::Mode::ReadWriteCreate);
        std::vector<HistoryAnswer> wrong{{kStart, false, fsrs::RecallState(fsrs::State::Review, 99.0, kStart)},
                                         {kStart + 2 * kDay, false, fsrs::RecallState(fsrs::State::Review, 99.0, kStart)}};
        other.prepare("UPDATE answer_history SET answers = ?1 WHERE card_id = 'x.q0'").bind_blob(1, pack_history(wrong)).run();
    }
    fs::remove(file.string() + ".lock");  // as a crash or a recovered copy leaves it
    ProgressStore store(file);
    REQUIRE(store.integrity_checked_at_open());
    check_same(packed(store), from_log(store));
}

TEST_CASE("answer history: a failure to repack does not cost the answer") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    store.record_review(answer("x.q1", kStart, 1));
    run_elsewhere(file, "CREATE TRIGGER refuse_history BEFORE INSERT ON answer_history BEGIN SELECT RAISE(ABORT, 'refused'); END;");
    store.record_review(answer("x.q2", kStart + kDay, 2));
    CHECK(store.reviews().size() == 2);
    const auto seen = packed(store);
    check_same(seen, from_log(store));
    CHECK(seen.count("x.q2") == 1);  // from the log: the card stays listed
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale WHERE card_id = 'x.q2'") == 1);
}

namespace {

// Adds to the log, as another program would, a copy of log row `id` with a new id (or `new_id`)
// for `card` at `at`, then brings the listed cards up to date in the same transaction and
// reports how.
HistoryRefresh add_copy_and_refresh(const fs::path& file, const std::string& extra_sql = "") {
    Database db(file, Database::Mode::ReadWriteCreate);
    Transaction transaction(db);
    db.run_script(extra_sql);
    const HistoryRefresh done = refresh_stale_histories(db);
    transaction.commit();
    return done;
}

std::string copy_of_row(std::int64_t id, const std::string& card, UnixMs at, const std::string& new_id = "NULL") {
    return "DROP TABLE IF EXISTS temp.copied;"
           "CREATE TEMP TABLE copied AS SELECT * FROM review_log WHERE id = " + std::to_string(id) + ";"
           "UPDATE copied SET id = " + new_id + ", uuid = NULL, card_id = '" + card + "', at = " + std::to_string(at) + ";"
           "INSERT INTO review_log SELECT * FROM copied;";
}

}  // namespace

TEST_CASE("answer history: answers added after a card's packed ones are appended, anything else repacks the card") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    answer_in_turn(store, 6, 2);  // x.q0 at days 0, 2, 4 (ids 1, 3, 5); x.q1 at days 1, 3, 5
    const UnixMs last_q0 = kStart + 4 * kDay;

    SUBCASE("a later answer is appended") {
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + kDay)).appended == 1);
        CHECK(packed(store).at("x.q0").back().at == last_q0 + kDay);
    }
    SUBCASE("an answer at the same moment as the last packed one is appended after it, as the log orders them") {
        const HistoryRefresh done = add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0));
        CHECK(done.appended == 1);
        CHECK(done.repacked == 0);
        const auto q0 = packed(store).at("x.q0");
        REQUIRE(q0.size() == 4);
        CHECK(q0[2].after.stability == memory_after(4).stability);  // the packed one first
        CHECK(q0[3].after.stability == memory_after(1).stability);  // then the copy of row 2
    }
    SUBCASE("several answers in one transaction are appended in time order") {
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + 2 * kDay) +
                                             copy_of_row(4, "x.q0", last_q0 + kDay))
                  .appended == 1);
    }
    SUBCASE("an answer before the last packed one (a merge) repacks the card") {
        const HistoryRefresh done = add_copy_and_refresh(file, copy_of_row(2, "x.q0", kStart + kDay));
        CHECK(done.appended == 0);
        CHECK(done.repacked == 1);
    }
    SUBCASE("an answer added and then changed repacks the card") {
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + kDay) +
                                             "UPDATE review_log SET correct = 0 WHERE id = 1;")
                  .repacked == 1);
    }
    SUBCASE("an answer given a log id below the packed ones repacks the card") {
        // The count of the card's rows no longer matches what the row holds plus what is new.
        run_elsewhere(file, "DELETE FROM review_log WHERE id = 4;");  // frees an id below x.q0's last (5)
        store.set_flagged("x.q1", true, kStart);                    // packs x.q1 again
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + kDay, "4") +
                                             copy_of_row(2, "x.q0", last_q0 + 2 * kDay))
                  .repacked == 1);
        CHECK(packed(store).at("x.q0").size() == 5);
    }
    SUBCASE("a row that replaced a packed one without its delete trigger repacks the card") {
        // INSERT OR REPLACE on the uuid of row 5 removes it and adds a new row: one more new
        // answer, one fewer old one.
        CHECK(add_copy_and_refresh(file,
                                   "CREATE TEMP TABLE swapped AS SELECT * FROM review_log WHERE id = 5;"
                                   "UPDATE swapped SET id = NULL, at = at + 1000;"
                                   "INSERT OR REPLACE INTO review_log SELECT * FROM swapped;")
                  .repacked == 1);
        CHECK(packed(store).at("x.q0").size() == 3);
    }
    SUBCASE("a row without its last log id is repacked once, then appended to") {
        run_elsewhere(file, "UPDATE answer_history SET last_log_id = NULL WHERE card_id = 'x.q0';");
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + kDay)).repacked == 1);
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + 2 * kDay)).appended == 1);
    }
    SUBCASE("a card's first answer packs it") {
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q7", kStart)).repacked == 1);
    }
    SUBCASE("a damaged packed row is repacked, not appended to") {
        run_elsewhere(file, "UPDATE answer_history SET answers = x'0102' WHERE card_id = 'x.q0';");
        CHECK(add_copy_and_refresh(file, copy_of_row(2, "x.q0", last_q0 + kDay)).repacked == 1);
    }
    check_same(packed(store), from_log(store));
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale") == 0);
    // Appended rows stay blobs of whole records: as text, length() would stop at the first zero
    // byte, the totals would not match the log, and every reader would read the whole log.
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history WHERE typeof(answers) <> 'blob'") == 0);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history WHERE (length(answers) - 1) % 25 <> 0") == 0);
    CHECK(count_of(raw,
                   "SELECT count(*) FROM answer_history h WHERE h.last_log_id IS NOT "
                   "(SELECT max(id) FROM review_log l WHERE l.card_id = h.card_id)") == 0);
}

TEST_CASE("answer history: the program's own answers are appended, and listing every card repacks them all") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file);
    answer_in_turn(store, 4, 2);
    {
        // An answer listed as only added, then every card listed (as after an unclean shutdown):
        // the listing must not leave that card to be appended to.
        Database db(file, Database::Mode::ReadWriteCreate);
        Transaction transaction(db);
        db.run_script(copy_of_row(1, "x.q0", kStart + 10 * kDay));
        CHECK(count_of(db, "SELECT full FROM answer_history_stale WHERE card_id = 'x.q0'") == 0);
        mark_all_histories_stale(db);
        CHECK(count_of(db, "SELECT count(*) FROM answer_history_stale WHERE full = 0") == 0);
        const HistoryRefresh done = refresh_stale_histories(db);
        CHECK(done.appended == 0);
        CHECK(done.repacked == 2);
        transaction.commit();
    }
    store.record_review(answer("x.q1", kStart + 11 * kDay, 11));
    store.record_review(answer("x.q1", kStart + 12 * kDay, 12, false));
    check_same(packed(store), from_log(store));
}

TEST_CASE("answer history: a version 7 database keeps its packed rows and learns each one's last log id") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        ProgressStore store(file);
        answer_in_turn(store, 9, 3);
    }
    // What version 7 looked like: rows without their last log id, a list without `full`, and
    // x.q2 listed (as a change by another program leaves it).
    run_elsewhere(file,
                  "DROP TRIGGER review_log_insert_history; DROP TRIGGER review_log_delete_history;"
                  "DROP TRIGGER review_log_update_history;"
                  "ALTER TABLE answer_history DROP COLUMN last_log_id;"
                  "ALTER TABLE answer_history_stale DROP COLUMN full;"
                  "CREATE TRIGGER review_log_insert_history AFTER INSERT ON review_log BEGIN"
                  "    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (new.card_id); END;"
                  "CREATE TRIGGER review_log_delete_history AFTER DELETE ON review_log BEGIN"
                  "    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (old.card_id); END;"
                  "CREATE TRIGGER review_log_update_history AFTER UPDATE ON review_log BEGIN"
                  "    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (old.card_id);"
                  "    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (new.card_id); END;"
                  "UPDATE review_log SET correct = 0 WHERE id = 3;"
                  "PRAGMA user_version = 7;");
    ProgressStore store(file);
    CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(count_of(raw, "SELECT count(*) FROM answer_history_stale") == 0);
    CHECK(count_of(raw,
                   "SELECT count(*) FROM answer_history h WHERE h.last_log_id IS "
                   "(SELECT max(id) FROM review_log l WHERE l.card_id = h.card_id)") == 3);
    check_same(packed(store), from_log(store));
    CHECK_FALSE(packed(store).at("x.q2").front().correct);

    CHECK(add_copy_and_refresh(file, copy_of_row(1, "x.q0", kStart + 20 * kDay)).appended == 1);
    check_same(packed(store), from_log(store));
}

}  // namespace test_answer_history
