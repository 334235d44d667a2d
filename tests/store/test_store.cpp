#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "../support/temp_dir.hpp"
#include "store/paths.hpp"
#include "store/progress_store.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace test_store {

using namespace certdrill;
using namespace certdrill::store;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed with everything in it.
using certdrill::testing::TempDir;

std::string file_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& file, const std::string& bytes, std::streamoff offset = 0) {
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    if (!out) out.open(file, std::ios::binary | std::ios::out);
    out.seekp(offset);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A memory state whose every field differs with n, with doubles that do not round-trip through
// text exactly, to catch any lossy storage.
fsrs::MemoryState state_n(int n) {
    fsrs::MemoryState m;
    m.state = static_cast<fsrs::State>(1 + n % 3);
    m.stability = 1.0 / 3.0 + n;
    m.difficulty = 5.123456789012345 + n * 0.1;
    m.step = n % 2;
    m.reps = n;
    m.lapses = n / 2;
    m.scheduled_days = 3 * n;
    m.due = 1'700'000'000'000 + n * kMsPerDay;
    m.last_review = 1'700'000'000'000 + n;
    return m;
}

void check_same(const fsrs::MemoryState& a, const fsrs::MemoryState& b) {
    CHECK(a.state == b.state);
    CHECK(a.stability == b.stability);  // exact, not approx: REAL columns hold doubles
    CHECK(a.difficulty == b.difficulty);
    CHECK(a.step == b.step);
    CHECK(a.reps == b.reps);
    CHECK(a.lapses == b.lapses);
    CHECK(a.scheduled_days == b.scheduled_days);
    CHECK(a.due == b.due);
    CHECK(a.last_review == b.last_review);
}

ReviewRecord answer(std::string card_id, UnixMs at, const fsrs::MemoryState& before, const fsrs::MemoryState& after,
                    std::optional<std::int64_t> session = {}) {
    ReviewRecord r;
    r.card_id = std::move(card_id);
    r.at = at;
    r.rating = 3;
    r.chosen = "B";
    r.correct = true;
    r.response_ms = 4200;
    r.session_id = session;
    r.before = before;
    r.after = after;
    return r;
}

std::string single_text(const Database& db, const char* sql) {
    auto query = db.prepare(sql);
    REQUIRE(query.step());
    return query.text(0);
}

StoreError open_error(const fs::path& file) {
    try {
        ProgressStore store(file);
    } catch (const StoreError& e) {
        return e;
    }
    FAIL("opening " << file << " should have failed");
    return StoreError(StoreError::Kind::Other, "", "");
}

// Tries to open `file` as an unprivileged user (root ignores file modes, so as root the attempt
// runs in a child that drops to 'nobody'). Returns the error kind and message, or nullopt.
struct OpenFailure {
    int kind;
    std::string text;
};
std::optional<OpenFailure> open_failure_unprivileged(const fs::path& file) {
    auto attempt = [&]() -> std::optional<OpenFailure> {
        try {
            ProgressStore store(file);
            return std::nullopt;
        } catch (const StoreError& e) {
            return OpenFailure{static_cast<int>(e.kind()), std::string(e.what()) + "\n" + e.fix()};
        }
    };
    if (::geteuid() != 0) return attempt();

    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(100);
        const auto failure = attempt();
        if (!failure) ::_exit(101);
        const ssize_t written = ::write(fds[1], failure->text.data(), failure->text.size());
        ::_exit(written < 0 ? 102 : failure->kind);
    }
    ::close(fds[1]);
    std::string text;
    char buffer[512];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    const int code = WEXITSTATUS(status);
    REQUIRE(code != 100);  // could not drop privileges
    if (code == 101) return std::nullopt;
    return OpenFailure{code, text};
}

}  // namespace

TEST_CASE("default_db_path: CERTDRILL_DB, then XDG_DATA_HOME, then HOME") {
    std::map<std::string, std::string> vars;
    const EnvLookup env = [&](const char* name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
    CHECK_THROWS_AS(default_db_path(env), StoreError);
    vars["HOME"] = "/home/ann";
    CHECK(default_db_path(env) == fs::path("/home/ann/.local/share/certdrill/progress.db"));
    vars["XDG_DATA_HOME"] = "relative/ignored";
    CHECK(default_db_path(env) == fs::path("/home/ann/.local/share/certdrill/progress.db"));
    vars["XDG_DATA_HOME"] = "/data";
    CHECK(default_db_path(env) == fs::path("/data/certdrill/progress.db"));
    vars["CERTDRILL_DB"] = "";
    CHECK(default_db_path(env) == fs::path("/data/certdrill/progress.db"));
    vars["CERTDRILL_DB"] = "/x/mine.db";
    CHECK(default_db_path(env) == fs::path("/x/mine.db"));
}

TEST_CASE("a new database is created with its directory, configured, and reopened with its data") {
    TempDir dir;
    const fs::path file = dir.path / "nested" / "certdrill" / "progress.db";
    std::int64_t review_id = 0;
    {
        ProgressStore store(file);
        CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
        CHECK_FALSE(store.card("c1"));
        CHECK(store.answer_count() == 0);
        review_id = store.record_review(answer("c1", 1000, {}, state_n(1)));
        store.set_flagged("c2", true, 2000);
        store.set_suspended("c1", true, 3000);
    }
    CHECK(fs::exists(file));
    CHECK_FALSE(fs::exists(file.string() + ".bak-v0"));  // nothing to back up in a new file

    ProgressStore store(file);
    CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
    const auto c1 = store.card("c1");
    REQUIRE(c1);
    check_same(c1->memory, state_n(1));
    CHECK(c1->suspended);
    CHECK_FALSE(c1->flagged);
    CHECK(c1->first_seen == 1000);
    CHECK(c1->updated_at == 3000);
    const auto c2 = store.card("c2");
    REQUIRE(c2);
    CHECK(c2->flagged);
    CHECK(c2->memory.state == fsrs::State::New);
    CHECK(store.cards().size() == 2);

    const auto log = store.reviews();
    REQUIRE(log.size() == 1);
    CHECK(store.answer_count() == 1);
    CHECK(log[0].id == review_id);
    CHECK(log[0].card_id == "c1");
    CHECK(log[0].chosen == "B");
    CHECK(log[0].response_ms == 4200);
    CHECK(log[0].mode == "study");
    CHECK_FALSE(log[0].had_card_before);
    check_same(log[0].after, state_n(1));
    CHECK(store.reviews("c2").empty());
    CHECK(store.reviews({}, 1001).empty());

    Database raw(file, Database::Mode::ReadOnly);
    CHECK(single_text(raw, "PRAGMA journal_mode") == "wal");
}

TEST_CASE("sessions and exam attempts round-trip") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    const auto session = store.begin_session("exam", "cissp", 100);
    store.end_session(session, 900);
    const auto s = store.session(session);
    REQUIRE(s);
    CHECK(s->mode == "exam");
    CHECK(s->exam_id == "cissp");
    CHECK(s->ended_at == 900);
    CHECK_THROWS_AS(store.begin_session("cram", "", 1), std::invalid_argument);
    CHECK_THROWS_AS(store.end_session(session + 42, 1), std::invalid_argument);

    const std::uint64_t seed = 0xfedcba9876543210ULL;  // does not fit a signed 64-bit value
    const auto attempt = store.begin_attempt("cissp", 100, 2, 180, seed);
    store.save_attempt_item({attempt, 0, "c1", "d1", "", false, true, std::nullopt, "", false, false, std::nullopt});
    store.save_attempt_item({attempt, 1, "c2", "d2", "A", true, false, 500, "", false, false, std::nullopt});
    store.save_attempt_item({attempt, 0, "c1", "d1", "C", false, false, 600, "", false, false, std::nullopt});  // answer changed
    store.finish_attempt(attempt, 800, 50.0, false, 700);
    store.begin_attempt("cism", 200, 1, 60, 1);

    const auto cissp = store.attempts("cissp");
    REQUIRE(cissp.size() == 1);
    CHECK(cissp[0].seed == seed);
    CHECK(cissp[0].finished_at == 800);
    CHECK(cissp[0].score_percent == 50.0);
    CHECK(cissp[0].passed == false);
    CHECK(cissp[0].duration_ms == 700);
    CHECK(store.attempts().size() == 2);
    CHECK_FALSE(store.attempts("cism")[0].finished_at);

    const auto items = store.attempt_items(attempt);
    REQUIRE(items.size() == 2);
    CHECK(items[0].chosen == "C");
    CHECK_FALSE(items[0].flagged);
    CHECK(items[0].answered_at == 600);
    CHECK(items[1].domain_id == "d2");
    CHECK(items[1].correct);
}

TEST_CASE("a session begun with its first answer is stored with it, or not at all") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    const auto session = store.begin_session_with("study", "cissp", 100, answer("c1", 250, {}, state_n(1)));
    const auto s = store.session(session);
    REQUIRE(s);
    CHECK(s->mode == "study");
    CHECK(s->exam_id == "cissp");
    CHECK(s->started_at == 100);  // when the session began, not when it was first answered
    CHECK_FALSE(s->ended_at);
    const auto reviews = store.reviews();
    REQUIRE(reviews.size() == 1);
    CHECK(reviews[0].session_id == session);
    CHECK(reviews[0].at == 250);

    // A first answer the store refuses leaves no session behind: one refused before the
    // transaction, and one whose insert fails after the session's (the same answer again).
    CHECK_THROWS(store.begin_session_with("study", "cissp", 300, answer("", 350, {}, state_n(1))));
    ReviewRecord again = answer("c2", 350, {}, state_n(1));
    again.uuid = reviews[0].uuid;
    CHECK_THROWS(store.begin_session_with("study", "cissp", 300, again));
    CHECK_THROWS_AS(store.begin_session_with("cram", "", 300, answer("c2", 350, {}, state_n(1))),
                    std::invalid_argument);
    Database raw(dir.path / "progress.db", Database::Mode::ReadOnly);
    CHECK(single_text(raw, "SELECT count(*) || '/' || max(id) FROM sessions") == "1/" + std::to_string(session));
    CHECK(store.reviews().size() == 1);
}

TEST_CASE("another program's SQLite database is refused and left untouched") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    SUBCASE("tables of its own and no application id") {
        Database other(file, Database::Mode::ReadWriteCreate);
        other.run_script("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('keep me');");
    }
    SUBCASE("another application id, even with tables named like certdrill's") {
        Database other(file, Database::Mode::ReadWriteCreate);
        other.run_script(
            "CREATE TABLE cards (x); CREATE TABLE review_log (y); PRAGMA user_version = 1; "
            "PRAGMA application_id = 1179402567;");
    }
    const std::string before = file_bytes(file);
    const StoreError error = open_error(file);
    CHECK(error.kind() == StoreError::Kind::Foreign);
    CHECK(std::string(error.what()).find("not a certdrill progress database") != std::string::npos);
    CHECK(error.fix().find("--db") != std::string::npos);
    CHECK(file_bytes(file) == before);
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);  // no backup, no WAL
}

TEST_CASE("a new database carries certdrill's application id") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { ProgressStore store(file); }
    CHECK(single_text(Database(file, Database::Mode::ReadOnly), "PRAGMA application_id") ==
          std::to_string(kApplicationId));
}

TEST_CASE("a certdrill database written before the application id opens with its data and gets the id") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { ProgressStore(file).record_review(answer("c1", 10, {}, state_n(2))); }
    {
        Database old(file, Database::Mode::ReadWriteCreate);
        old.run_script("PRAGMA application_id = 0");
    }
    ProgressStore store(file);
    CHECK(store.reviews().size() == 1);
    CHECK(single_text(Database(file, Database::Mode::ReadOnly), "PRAGMA application_id") ==
          std::to_string(kApplicationId));
}

TEST_CASE("a database with a negative schema version is refused untouched") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { ProgressStore(file).record_review(answer("c1", 10, {}, state_n(2))); }
    for (const char* version : {"-1", "-2147483648"}) {
        CAPTURE(version);
        {
            Database db(file, Database::Mode::ReadWriteCreate);
            db.run_script(std::string("PRAGMA user_version = ") + version);
        }
        const std::string before = file_bytes(file);
        const StoreError error = open_error(file);
        CHECK(error.kind() == StoreError::Kind::Foreign);
        CHECK(std::string(error.what()).find(std::string("schema version ") + version) != std::string::npos);
        CHECK(file_bytes(file) == before);
        Database db(file, Database::Mode::ReadWriteCreate);
        const StoreError direct = [&] {
            try {
                migrate(db, file, schema_migrations());
            } catch (const StoreError& e) {
                return e;
            }
            FAIL("migrate accepted a negative version");
            return StoreError(StoreError::Kind::Other, "", "");
        }();
        CHECK(direct.kind() == StoreError::Kind::Foreign);
    }
}

TEST_CASE("a later schema step upgrades the current database, and this version then refuses it untouched") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { ProgressStore(file).record_review(answer("c1", 10, {}, state_n(3))); }

    std::vector<std::string_view> steps(schema_migrations().begin(), schema_migrations().end());
    steps.push_back("ALTER TABLE cards ADD COLUMN note TEXT NOT NULL DEFAULT ''");
    const int current = ProgressStore::kSchemaVersion;
    const std::string backup_name = file.string() + ".bak-v" + std::to_string(current);
    {
        Database db(file, Database::Mode::ReadWriteCreate);
        const auto outcome = migrate(db, file, steps);
        CHECK(outcome.from_version == current);
        CHECK(outcome.to_version == current + 1);
        REQUIRE(outcome.backup);
        CHECK(*outcome.backup == fs::path(backup_name));
        CHECK(single_text(db, "SELECT note || card_id FROM cards") == "c1");
        CHECK(migrate(db, file, steps).from_version == current + 1);  // already current: no-op
    }
    CHECK(user_version(Database(backup_name, Database::Mode::ReadOnly)) == current);
    CHECK(free_backup_path(file, current) == fs::path(backup_name + "-2"));

    const std::string before = file_bytes(file);
    const StoreError error = open_error(file);
    CHECK(error.kind() == StoreError::Kind::NewerVersion);
    CHECK(std::string(error.what()).find("newer certdrill") != std::string::npos);
    CHECK(std::string(error.what()).find("version " + std::to_string(current + 1)) != std::string::npos);
    CHECK(file_bytes(file) == before);
    CHECK_FALSE(fs::exists(file.string() + "-wal"));
}

TEST_CASE("a version 1 database gains mock-exam response times, keeping its items, with a backup") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        Database v1 = open_progress_database(file, 5000, schema_migrations().first(1));
        v1.run_script(
            "INSERT INTO exam_attempts (exam_id, started_at, item_count, minutes, seed) VALUES ('x', 1, 1, 1, 1);"
            "INSERT INTO exam_attempt_items (attempt_id, position, card_id, chosen, correct) "
            "VALUES (1, 0, 'x.q1', 'B', 1);");
    }
    ProgressStore store(file);
    CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
    CHECK(fs::exists(file.string() + ".bak-v1"));
    auto items = store.attempt_items(1);
    REQUIRE(items.size() == 1);
    CHECK(items[0].chosen == "B");
    CHECK(items[0].response_ms == 0);
    items[0].response_ms = 4200;
    store.save_attempt_item(items[0]);
    CHECK(store.attempt_items(1)[0].response_ms == 4200);
}

TEST_CASE("a version 1 database gains the exam dates table and keeps its answers") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        Database v1 = open_progress_database(file, 5000, schema_migrations().subspan(0, 1));
        v1.run_script(
            "INSERT INTO cards (card_id, state, stability, difficulty, first_seen, updated_at) "
            "VALUES ('c1', 2, 3.5, 5, 10, 10)");
    }
    ProgressStore store(file);
    CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
    CHECK(fs::exists(file.string() + ".bak-v1"));
    REQUIRE(store.card("c1"));
    CHECK(store.card("c1")->memory.stability == 3.5);
    CHECK_FALSE(store.exam_date("cism"));
}

TEST_CASE("exam dates are set, replaced and cleared per exam") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    CHECK_FALSE(store.exam_date("cism"));
    store.set_exam_date("cism", "2027-01-20", 100);
    store.set_exam_date("cissp", "2027-03-01", 100);
    CHECK(store.exam_date("cism") == "2027-01-20");
    store.set_exam_date("cism", "2027-02-02", 200);
    CHECK(store.exam_date("cism") == "2027-02-02");
    CHECK(store.clear_exam_date("cism"));
    CHECK_FALSE(store.clear_exam_date("cism"));
    CHECK_FALSE(store.exam_date("cism"));
    CHECK(store.exam_date("cissp") == "2027-03-01");
    // The schema itself refuses text that is not shaped like a date.
    CHECK_THROWS_AS(store.set_exam_date("gslc", "next week", 300), StoreError);
}

TEST_CASE("a newer hand-made database is refused and its bytes are unchanged") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        Database newer(file, Database::Mode::ReadWriteCreate);
        newer.run_script("CREATE TABLE future (x); PRAGMA user_version = " + std::to_string(kSchemaVersion + 1) + ";");
    }
    const std::string before = file_bytes(file);
    const StoreError error = open_error(file);
    CHECK(error.kind() == StoreError::Kind::NewerVersion);
    CHECK_FALSE(error.fix().empty());
    CHECK(file_bytes(file) == before);
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);  // no backup, no WAL
}

TEST_CASE("a file that is not a database is refused with a clear error") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    write_bytes(file, std::string(4096, 'x').replace(0, 20, "certdrill notes v1\n"));
    const std::string before = file_bytes(file);
    const StoreError error = open_error(file);
    CHECK(error.kind() == StoreError::Kind::NotADatabase);
    CHECK(std::string(error.what()).find("file is not a database") != std::string::npos);
    CHECK(std::string(error.what()).find(file.string()) != std::string::npos);
    CHECK(error.fix().find("--db") != std::string::npos);
    CHECK(file_bytes(file) == before);
}

TEST_CASE("a damaged database is reported as damaged") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        ProgressStore store(file);
        for (int i = 0; i < 40; ++i) store.set_flagged("card-" + std::to_string(i) + std::string(200, 'p'), true, i);
    }
    // Scribble over the second half of the file, where the card table's pages are.
    const auto size = static_cast<std::streamoff>(fs::file_size(file));
    write_bytes(file, std::string(static_cast<std::size_t>(size / 2), '\x5a'), size / 2);
    // The check on open runs when the database may not have been closed cleanly, as when it
    // comes without its lock file (test_store_open_check.cpp covers the rest).
    fs::remove(file.string() + ".lock");
    const StoreError error = open_error(file);
    CHECK(error.kind() == StoreError::Kind::Corrupt);
    CHECK(std::string(error.what()).find("malformed") != std::string::npos);
}

TEST_CASE("read-only locations are reported with a hint to use --db") {
    TempDir dir;
    const fs::path locked = dir.path / "locked";
    fs::create_directory(locked);
    fs::permissions(dir.path, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(locked,
                    fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read | fs::perms::others_exec);

    SUBCASE("a database file in a read-only directory") {
        const auto failure = open_failure_unprivileged(locked / "progress.db");
        REQUIRE(failure);
        CHECK(failure->kind == static_cast<int>(StoreError::Kind::ReadOnly));
        CHECK(failure->text.find("read-only") != std::string::npos);
        CHECK(failure->text.find("--db") != std::string::npos);
    }
    SUBCASE("a directory that cannot be created") {
        const auto failure = open_failure_unprivileged(locked / "sub" / "progress.db");
        REQUIRE(failure);
        CHECK(failure->kind == static_cast<int>(StoreError::Kind::ReadOnly));
    }
    SUBCASE("a write-protected database file") {
        const fs::path open_dir = dir.path / "open";
        fs::create_directory(open_dir);
        fs::permissions(open_dir, fs::perms::all);
        { ProgressStore store(open_dir / "progress.db"); }
        fs::permissions(open_dir / "progress.db", fs::perms::owner_read | fs::perms::others_read);
        const auto failure = open_failure_unprivileged(open_dir / "progress.db");
        REQUIRE(failure);
        CHECK(failure->kind == static_cast<int>(StoreError::Kind::ReadOnly));
        CHECK(failure->text.find("read-only") != std::string::npos);
    }
}

TEST_CASE("SQLite failures map to clear store errors") {
    const fs::path file = "/data/progress.db";
    const auto full = to_store_error(SqliteError(SQLITE_FULL, SQLITE_FULL, "database or disk is full", "x"), file);
    CHECK(full.kind() == StoreError::Kind::DiskFull);
    CHECK(std::string(full.what()).find("disk full") != std::string::npos);
    const auto ro = to_store_error(SqliteError(SQLITE_READONLY, SQLITE_READONLY, "readonly", "x"), file);
    CHECK(ro.kind() == StoreError::Kind::ReadOnly);
    CHECK(ro.fix().find("--db") != std::string::npos);
}

TEST_CASE("a write lock held too long by another connection gives a Locked error") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore store(file, /*busy_timeout_ms=*/50);
    Database other(file, Database::Mode::ReadWriteCreate);
    Transaction holding(other);
    try {
        store.record_review(answer("c1", 1, {}, state_n(1)));
        FAIL("the write should have timed out");
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::Locked);
        CHECK(std::string(e.what()).find("locked") != std::string::npos);
    }
}

TEST_CASE("undo restores several levels exactly and can be limited to a session") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    const auto s1 = store.begin_session("study", "", 0);
    const auto s2 = store.begin_session("study", "", 0);

    store.record_review(answer("a", 10, {}, state_n(1), s1));
    store.record_review(answer("a", 20, state_n(1), state_n(2), s1));
    store.record_review(answer("b", 30, {}, state_n(3), s2));
    store.record_review(answer("c", 40, {}, state_n(4), s1));
    store.set_flagged("c", true, 45);  // a mark set after the answer survives its undo
    REQUIRE(store.reviews().size() == 4);

    // Session s1 only: b (session s2) stays.
    auto undone = store.undo_last(s1);
    REQUIRE(undone);
    CHECK(undone->card_id == "c");
    REQUIRE(store.card("c"));
    CHECK(store.card("c")->flagged);
    CHECK(store.card("c")->memory.state == fsrs::State::New);

    undone = store.undo_last(s1);
    REQUIRE(undone);
    CHECK(undone->at == 20);
    CHECK(undone->had_card_before);
    check_same(undone->before, state_n(1));
    check_same(store.card("a")->memory, state_n(1));
    CHECK(store.card("a")->first_seen == 10);
    check_same(store.card("b")->memory, state_n(3));

    undone = store.undo_last();  // latest overall: b
    REQUIRE(undone);
    CHECK(undone->card_id == "b");
    CHECK_FALSE(store.card("b"));

    undone = store.undo_last();
    REQUIRE(undone);
    CHECK(undone->at == 10);
    CHECK_FALSE(store.card("a"));
    CHECK_FALSE(store.undo_last());
    CHECK(store.reviews().empty());
    CHECK(store.cards().size() == 1);  // only the flagged c

    SUBCASE("an answer built on by a later one in another session cannot be undone") {
        store.record_review(answer("d", 50, {}, state_n(5), s1));
        store.record_review(answer("d", 60, state_n(5), state_n(6), s2));
        CHECK_THROWS_AS(store.undo_last(s1), StoreError);
        check_same(store.card("d")->memory, state_n(6));
        CHECK(store.reviews("d").size() == 2);
    }
}

TEST_CASE("record_review takes the before state from the database") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    store.record_review(answer("a", 10, {}, state_n(1)));
    store.record_review(answer("a", 20, state_n(7) /* stale */, state_n(2)));
    const auto log = store.reviews("a");
    REQUIRE(log.size() == 2);
    CHECK(log[1].had_card_before);
    check_same(log[1].before, state_n(1));
    ReviewRecord bad = answer("a", 30, {}, {});
    bad.rating = 5;
    CHECK_THROWS_AS(store.record_review(bad), std::invalid_argument);
}

TEST_CASE("two connections writing interleaved lose nothing") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    ProgressStore first(file);
    ProgressStore second(file);
    for (int i = 0; i < 10; ++i) {
        first.record_review(answer("shared", 100 + 2 * i, {}, state_n(2 * i)));
        second.record_review(answer("shared", 101 + 2 * i, {}, state_n(2 * i + 1)));
        second.record_review(answer("second-" + std::to_string(i), 200, {}, state_n(i)));
    }
    CHECK(first.reviews().size() == 30);
    check_same(first.card("shared")->memory, state_n(19));
    CHECK(first.cards().size() == 11);

    // And truly concurrently, from two threads with their own connections.
    auto writer = [&](std::string prefix) {
        ProgressStore store(file);
        for (int i = 0; i < 15; ++i) store.record_review(answer(prefix + std::to_string(i), 300, {}, state_n(i)));
    };
    std::thread a(writer, "t1-");
    std::thread b(writer, "t2-");
    a.join();
    b.join();
    CHECK(second.reviews({}, 300).size() == 30);
    CHECK(second.cards().size() == 41);
}

TEST_CASE("a writer killed mid-answer loses only the answer in flight") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { ProgressStore create(file); }

    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // Child: answer as fast as possible, reporting each answer once record_review returned.
        ::close(fds[0]);
        std::signal(SIGPIPE, SIG_IGN);
        try {
            ProgressStore store(file);
            for (int i = 0; i < 100000; ++i) {
                store.record_review(answer("card-" + std::to_string(i), i, {}, state_n(i % 50)));
                if (::write(fds[1], &i, sizeof i) != static_cast<ssize_t>(sizeof i)) ::_exit(2);
            }
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::vector<int> committed;
    int n = 0;
    while (::read(fds[0], &n, sizeof n) == static_cast<ssize_t>(sizeof n)) {
        committed.push_back(n);
        if (committed.size() == 30) ::kill(pid, SIGKILL);
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(committed.size() >= 30);

    ProgressStore store(file);
    CHECK(store.integrity_checked_at_open());  // the killed writer never closed the database
    const auto log = store.reviews();
    CHECK(log.size() >= committed.size());
    CHECK(log.size() <= committed.size() + 1);  // the answer in flight may have made it
    for (std::size_t i = 0; i < committed.size(); ++i) {
        REQUIRE(i < log.size());
        CHECK(log[i].card_id == "card-" + std::to_string(committed[i]));
        check_same(store.card(log[i].card_id)->memory, state_n(committed[i] % 50));
    }
    Database raw(file, Database::Mode::ReadOnly);
    CHECK(single_text(raw, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("replace_last regrades the last answer of a session in one step") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    const auto s1 = store.begin_session("study", "", 0);
    store.record_review(answer("a", 10, {}, state_n(1), s1));
    store.record_review(answer("b", 20, {}, state_n(2), s1));
    auto replaced = store.replace_last(s1, [](const ReviewRecord& undone) {
        CHECK(undone.card_id == "b");
        ReviewRecord r = undone;
        r.rating = 2;
        r.guessed = true;
        r.after = state_n(7);
        return r;
    });
    REQUIRE(replaced);
    const auto log = store.reviews();
    REQUIRE(log.size() == 2);
    CHECK(log[1].card_id == "b");
    CHECK(log[1].rating == 2);
    CHECK(log[1].guessed);
    CHECK(store.card("b")->memory == state_n(7));
    CHECK(store.card("a")->memory == state_n(1));
    // A rebuild that fails leaves everything as it was.
    CHECK_THROWS(store.replace_last(s1, [](const ReviewRecord&) -> ReviewRecord { throw std::runtime_error("no"); }));
    CHECK(store.reviews().size() == 2);
    CHECK(store.card("b")->memory == state_n(7));
}

TEST_CASE("fitted FSRS parameters: a version 1 database gains the table, saved per exam, replaced, cleared") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { open_progress_database(file, 1000, schema_migrations().first(1)); }
    ProgressStore store(file);
    CHECK(store.schema_version() == ProgressStore::kSchemaVersion);
    CHECK(fs::exists(file.string() + ".bak-v1"));
    CHECK_FALSE(store.fitted_parameters("cism"));

    FittedParameters f;
    f.exam_id = "cism";
    for (std::size_t i = 0; i < f.weights.size(); ++i) f.weights[i] = 0.1 * static_cast<double>(i) + 1.0 / 3.0;
    f.fitted_at = 1234;
    f.review_count = 812;
    f.log_loss_before = 0.41;
    f.rmse_before = 0.07;
    f.log_loss_after = 0.38;
    f.rmse_after = 0.03;
    store.save_fitted_parameters(f);
    auto back = store.fitted_parameters("cism");
    REQUIRE(back);
    CHECK(back->weights == f.weights);  // exact: shortest round-trip text
    CHECK(back->review_count == 812);
    CHECK(back->log_loss_after == 0.38);
    CHECK_FALSE(store.fitted_parameters("cissp"));

    f.review_count = 900;
    store.save_fitted_parameters(f);
    CHECK(store.fitted_parameters("cism")->review_count == 900);
    CHECK(store.clear_fitted_parameters("cism"));
    CHECK_FALSE(store.clear_fitted_parameters("cism"));
    CHECK_FALSE(store.fitted_parameters("cism"));
}

TEST_CASE("fitted FSRS parameters: a damaged row is reported, not used") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    { ProgressStore store(file); }
    {
        Database db(file, Database::Mode::ReadWriteCreate);
        db.run_script(
            "INSERT INTO fitted_parameters VALUES ('cism', '0.2 1.3 nonsense', 1, 500, 0.4, 0.05, 0.38, 0.04)");
    }
    ProgressStore store(file);
    try {
        store.fitted_parameters("cism");
        FAIL("a damaged row must not load");
    } catch (const StoreError& e) {
        CHECK(e.kind() == StoreError::Kind::Corrupt);
        CHECK(std::string(e.what()).find("cism") != std::string::npos);
        CHECK(e.fix().find("--reset") != std::string::npos);
    }
}

TEST_CASE("a version 1 database gets a distinct UUID for every answer when migrated") {
    TempDir dir;
    const fs::path file = dir.path / "progress.db";
    {
        Database db(file, Database::Mode::ReadWriteCreate);
        migrate(db, file, schema_migrations().first(1));
    }
    {
        Database db(file, Database::Mode::ReadWriteCreate);
        for (int i = 0; i < 3; ++i) {
            db.run_script(
                "INSERT INTO review_log (card_id, at, rating, correct, mode, had_card_before, before_state, "
                "before_stability, before_difficulty, before_step, before_reps, before_lapses, before_scheduled_days, "
                "before_due, before_last_review, after_state, after_stability, after_difficulty, after_step, "
                "after_reps, "
                "after_lapses, after_scheduled_days, after_due, after_last_review) "
                "VALUES ('c1', 1, 3, 1, 'study', 0, 0,0,0,0,0,0,0,0,0, 2,1,5,0,1,0,1,2,1)");
        }
    }
    ProgressStore store(file);
    const auto log = store.reviews();
    REQUIRE(log.size() == 3);
    CHECK(fs::exists(file.string() + ".bak-v1"));
    for (const auto& r : log) {
        CHECK(r.uuid.size() == 36);
        CHECK(r.uuid[14] == '4');
    }
    CHECK(log[0].uuid != log[1].uuid);
    CHECK(log[1].uuid != log[2].uuid);
    const auto fresh = store.record_review(answer("c2", 10, {}, state_n(1)));
    CHECK(store.reviews("c2").at(0).id == fresh);
    CHECK(store.reviews("c2").at(0).uuid.size() == 36);
}

TEST_CASE("cards due soon: not suspended, due after a moment, in (re)learning or in review before a bound") {
    TempDir dir;
    ProgressStore store(dir.path / "progress.db");
    const UnixMs now = 1'700'000'000'000;
    const auto card_in = [&](const std::string& id, fsrs::State state, UnixMs due) {
        fsrs::MemoryState m = state_n(1);
        m.state = state;
        m.due = due;
        store.record_review(answer(id, now - kMsPerDay, {}, m));
    };
    card_in("learning-soon", fsrs::State::Learning, now + 10 * kMsPerMinute);
    card_in("learning-overdue", fsrs::State::Learning, now - kMsPerMinute);
    card_in("relearning-next-week", fsrs::State::Relearning, now + 7 * kMsPerDay);
    card_in("review-tomorrow", fsrs::State::Review, now + kMsPerDay);
    card_in("review-next-week", fsrs::State::Review, now + 7 * kMsPerDay);
    card_in("review-now", fsrs::State::Review, now);
    card_in("new-later", fsrs::State::New, now + kMsPerDay);
    card_in("suspended-learning", fsrs::State::Learning, now + kMsPerMinute);
    store.set_suspended("suspended-learning", true, now);

    std::set<std::string> listed;
    store.for_each_card_due_soon(now, now + 3 * kMsPerDay, [&](const CardRecord& r) {
        CHECK(r.memory.due > now);
        listed.insert(r.card_id);
    });
    CHECK(listed == std::set<std::string>{"learning-soon", "relearning-next-week", "review-tomorrow"});
}

}  // namespace test_store
