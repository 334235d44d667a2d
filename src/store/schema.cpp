#include "store/schema.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "store/instance_lock.hpp"
#include "store/store_error.hpp"

namespace certdrill::store {

namespace fs = std::filesystem;

namespace {

// Version 1. Times are Unix milliseconds; booleans are 0/1. The review log keeps the full memory
// state before and after each answer so that an undo restores the card exactly.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE cards (
    card_id        TEXT PRIMARY KEY NOT NULL,
    state          INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),
    stability      REAL    NOT NULL DEFAULT 0,
    difficulty     REAL    NOT NULL DEFAULT 0,
    step           INTEGER NOT NULL DEFAULT 0,
    reps           INTEGER NOT NULL DEFAULT 0,
    lapses         INTEGER NOT NULL DEFAULT 0,
    scheduled_days INTEGER NOT NULL DEFAULT 0,
    due            INTEGER NOT NULL DEFAULT 0,
    last_review    INTEGER NOT NULL DEFAULT 0,
    suspended      INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    flagged        INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    first_seen     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    mode       TEXT    NOT NULL CHECK (mode IN ('study', 'exam')),
    exam_id    TEXT,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
);

-- card_id is deliberately not a foreign key: the log is history and outlives card rows.
CREATE TABLE review_log (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id               TEXT    NOT NULL,
    at                    INTEGER NOT NULL,
    rating                INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    chosen                TEXT    NOT NULL DEFAULT '',
    correct               INTEGER NOT NULL CHECK (correct IN (0, 1)),
    guessed               INTEGER NOT NULL DEFAULT 0 CHECK (guessed IN (0, 1)),
    response_ms           INTEGER NOT NULL DEFAULT 0,
    mode                  TEXT    NOT NULL CHECK (mode IN ('study', 'exam')),
    session_id            INTEGER REFERENCES sessions (id),
    had_card_before       INTEGER NOT NULL CHECK (had_card_before IN (0, 1)),
    before_state          INTEGER NOT NULL,
    before_stability      REAL    NOT NULL,
    before_difficulty     REAL    NOT NULL,
    before_step           INTEGER NOT NULL,
    before_reps           INTEGER NOT NULL,
    before_lapses         INTEGER NOT NULL,
    before_scheduled_days INTEGER NOT NULL,
    before_due            INTEGER NOT NULL,
    before_last_review    INTEGER NOT NULL,
    after_state           INTEGER NOT NULL,
    after_stability       REAL    NOT NULL,
    after_difficulty      REAL    NOT NULL,
    after_step            INTEGER NOT NULL,
    after_reps            INTEGER NOT NULL,
    after_lapses          INTEGER NOT NULL,
    after_scheduled_days  INTEGER NOT NULL,
    after_due             INTEGER NOT NULL,
    after_last_review     INTEGER NOT NULL
);
CREATE INDEX review_log_by_card ON review_log (card_id, id);
CREATE INDEX review_log_by_session ON review_log (session_id, id);
CREATE INDEX review_log_by_time ON review_log (at);

CREATE TABLE exam_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    exam_id       TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    item_count    INTEGER NOT NULL,
    minutes       INTEGER NOT NULL,
    seed          INTEGER NOT NULL,
    score_percent REAL,
    passed        INTEGER CHECK (passed IN (0, 1)),
    duration_ms   INTEGER
);
CREATE INDEX exam_attempts_by_exam ON exam_attempts (exam_id, started_at);

CREATE TABLE exam_attempt_items (
    attempt_id  INTEGER NOT NULL REFERENCES exam_attempts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    card_id     TEXT    NOT NULL,
    domain_id   TEXT    NOT NULL DEFAULT '',
    chosen      TEXT    NOT NULL DEFAULT '',
    correct     INTEGER NOT NULL DEFAULT 0 CHECK (correct IN (0, 1)),
    flagged     INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    answered_at INTEGER,
    PRIMARY KEY (attempt_id, position)
);
)sql";

// Version 2: every answer gets a UUID, so that logs from several machines merge without
// counting an answer twice (`progress import`). Existing answers get random version-4 UUIDs.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE review_log ADD COLUMN uuid TEXT;
UPDATE review_log SET uuid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX review_log_by_uuid ON review_log (uuid);
)sql";

// Version 3: the exam date a candidate has set for an exam (`certdrill plan --date`), as the
// local calendar date "YYYY-MM-DD".
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE exam_plans (
    exam_id    TEXT    PRIMARY KEY NOT NULL,
    exam_date  TEXT    NOT NULL CHECK (exam_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    updated_at INTEGER NOT NULL
);
)sql";

// Version 4: the time spent on each mock-exam item, summed over every visit to it, so item
// analysis can report response times for exam answers as it does for study answers.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE exam_attempt_items ADD COLUMN response_ms INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 5: mock exams that can be resumed after an interruption, sized, limited to a domain,
// adaptive (CISSP CAT) or linear, and abandoned without a trace. Attempts written before version 5
// cannot be resumed (their option order was not kept): `resumable` stays 0 for them.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE exam_attempts ADD COLUMN kind          TEXT    NOT NULL DEFAULT 'linear' CHECK (kind IN ('linear', 'adaptive'));
ALTER TABLE exam_attempts ADD COLUMN domain_id     TEXT;
ALTER TABLE exam_attempts ADD COLUMN resumable     INTEGER NOT NULL DEFAULT 0 CHECK (resumable IN (0, 1));
ALTER TABLE exam_attempts ADD COLUMN elapsed_ms    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exam_attempts ADD COLUMN items_min     INTEGER;
ALTER TABLE exam_attempts ADD COLUMN pretest_items INTEGER;
ALTER TABLE exam_attempts ADD COLUMN scaled_score  INTEGER;
ALTER TABLE exam_attempts ADD COLUMN ability       REAL;
ALTER TABLE exam_attempts ADD COLUMN ability_se    REAL;
ALTER TABLE exam_attempts ADD COLUMN standard      REAL;
ALTER TABLE exam_attempts ADD COLUMN items_given   INTEGER;
ALTER TABLE exam_attempt_items ADD COLUMN option_order TEXT    NOT NULL DEFAULT '';
ALTER TABLE exam_attempt_items ADD COLUMN pretest      INTEGER NOT NULL DEFAULT 0 CHECK (pretest IN (0, 1));
ALTER TABLE exam_attempt_items ADD COLUMN skipped      INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1));
ALTER TABLE exam_attempt_items ADD COLUMN difficulty   REAL;
CREATE INDEX exam_attempts_unfinished ON exam_attempts (exam_id, finished_at, resumable);
)sql";

// Version 6. FSRS-6 weights fitted to the learner's own answers, one set per exam: `weights`
// holds the 21 numbers separated by spaces; the rest records what the fit saw and achieved.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE fitted_parameters (
    exam_id         TEXT    PRIMARY KEY NOT NULL,
    weights         TEXT    NOT NULL,
    fitted_at       INTEGER NOT NULL,
    review_count    INTEGER NOT NULL,
    log_loss_before REAL    NOT NULL,
    rmse_before     REAL    NOT NULL,
    log_loss_after  REAL    NOT NULL,
    rmse_after      REAL    NOT NULL
);
)sql";

// Version 7. Each card's answers packed into one row (see answer_history.hpp), so the mastery
// figures and the statistics need not read the whole log. The rows are derived from review_log:
// the triggers list every card whose log rows change, whoever changes them, and the store
// repacks the listed cards before each of its writes commits. Migration lists every card
// answered so far, and the store packs them when it opens the file.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE answer_history (
    card_id TEXT PRIMARY KEY NOT NULL,
    answers BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE answer_history_stale (
    card_id TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER review_log_insert_history AFTER INSERT ON review_log BEGIN
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (new.card_id);
END;
CREATE TRIGGER review_log_delete_history AFTER DELETE ON review_log BEGIN
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (old.card_id);
END;
CREATE TRIGGER review_log_update_history AFTER UPDATE ON review_log BEGIN
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (old.card_id);
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (new.card_id);
END;
INSERT OR IGNORE INTO answer_history_stale (card_id) SELECT DISTINCT card_id FROM review_log;
)sql";

// Version 8. An answer added after a card's packed ones is appended to its row instead of the
// card being repacked from the log, which read every answer of the card again: each row
// remembers the last log id it holds (NULL: unknown, the card is repacked on its next change),
// and the list tells a card that only gained log rows (full = 0) from one whose rows changed or
// went (full = 1). A row not listed holds every answer of its card, so its last log id is the
// card's newest; cards listed before stay full repacks.
constexpr std::string_view kVersion8 = R"sql(
ALTER TABLE answer_history ADD COLUMN last_log_id INTEGER;
ALTER TABLE answer_history_stale ADD COLUMN full INTEGER NOT NULL DEFAULT 1;
UPDATE answer_history
   SET last_log_id = (SELECT max(id) FROM review_log WHERE review_log.card_id = answer_history.card_id)
 WHERE card_id NOT IN (SELECT card_id FROM answer_history_stale);
DROP TRIGGER review_log_insert_history;
DROP TRIGGER review_log_delete_history;
DROP TRIGGER review_log_update_history;
CREATE TRIGGER review_log_insert_history AFTER INSERT ON review_log BEGIN
    INSERT OR IGNORE INTO answer_history_stale (card_id, full) VALUES (new.card_id, 0);
END;
CREATE TRIGGER review_log_delete_history AFTER DELETE ON review_log BEGIN
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (old.card_id);
    UPDATE answer_history_stale SET full = 1 WHERE card_id = old.card_id;
END;
CREATE TRIGGER review_log_update_history AFTER UPDATE ON review_log BEGIN
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (old.card_id);
    UPDATE answer_history_stale SET full = 1 WHERE card_id = old.card_id;
    INSERT OR IGNORE INTO answer_history_stale (card_id) VALUES (new.card_id);
    UPDATE answer_history_stale SET full = 1 WHERE card_id = new.card_id;
END;
)sql";

constexpr std::array<std::string_view, 8> kMigrations = {kVersion1, kVersion2, kVersion3, kVersion4,
                                                        kVersion5, kVersion6, kVersion7, kVersion8};
static_assert(kMigrations.size() == kSchemaVersion, "kSchemaVersion must equal the number of migration steps");

std::string in_quotes(const fs::path& p) { return "'" + p.string() + "'"; }

void refuse_newer(const fs::path& file, int found, int known) {
    if (found <= known) return;
    throw StoreError(StoreError::Kind::NewerVersion,
                     "progress database " + in_quotes(file) + " was written by a newer certdrill (schema version " +
                         std::to_string(found) + "; this program knows up to " + std::to_string(known) +
                         "); it was left untouched",
                     "upgrade certdrill, or use --db to keep this version's progress in another file");
}

StoreError foreign_error(const fs::path& file, const std::string& why) {
    return StoreError(StoreError::Kind::Foreign,
                      in_quotes(file) + " is not a certdrill progress database (" + why + "); it was left untouched",
                      "check the --db path, or use --db to keep progress in a file of its own");
}

// No certdrill ever wrote a negative version; migrating from one would index the step list
// out of range.
void refuse_unknown_version(const fs::path& file, int found, int known) {
    if (found < 0)
        throw foreign_error(file, "its schema version " + std::to_string(found) + " is not one certdrill writes");
    refuse_newer(file, found, known);
}

int application_id(const Database& db) {
    auto query = db.prepare("PRAGMA application_id");
    return query.step() ? query.integer(0) : 0;
}

bool has_table(const Database& db, std::string_view name) {
    auto query = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    query.bind(1, name);
    return query.step();
}

bool is_empty(const Database& db) {
    auto count = db.prepare("SELECT count(*) FROM sqlite_schema");
    return count.step() && count.int64(0) == 0;
}

// A database is ours when it carries kApplicationId, when it is empty, or when it is one that
// certdrill wrote before it set the id (a known version and certdrill's own tables). Anything
// else belongs to another program and must not be touched.
void refuse_other_application(const fs::path& file, int id) {
    if (id == 0 || id == kApplicationId) return;
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(id));
    throw foreign_error(file, std::string("it belongs to another program: application id ") + hex);
}

void require_ours(const Database& db, const fs::path& file, int version) {
    const int id = application_id(db);
    if (id == kApplicationId) return;
    refuse_other_application(file, id);
    if (version == 0 && is_empty(db)) return;
    if (version >= 1 && has_table(db, "cards") && has_table(db, "review_log")) return;
    throw foreign_error(file, "it holds tables of another program");
}

void set_user_version(Database& db, int version) {
    // PRAGMA takes no bound parameters. The number comes from the migration list, never from
    // input, so formatting it into the statement is safe.
    db.run_script("PRAGMA user_version = " + std::to_string(version));
}

bool holds_data(const Database& db, int version) { return version > 0 || !is_empty(db); }

fs::path parent_directory(const fs::path& file) {
    const fs::path parent = file.parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

void ensure_parent_directory(const fs::path& file) {
    const fs::path dir = parent_directory(file);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec) return;
    if (ec == std::errc::permission_denied || ec == std::errc::read_only_file_system) {
        throw read_only_error(dir, "cannot create directory: " + ec.message());
    }
    throw StoreError(StoreError::Kind::Other, "cannot create directory " + in_quotes(dir) + ": " + ec.message(),
                     "check the path, or use --db to choose another location");
}

// WAL mode needs to create files next to the database, so the directory must be writable too.
void require_writable(const fs::path& file) {
    const fs::path dir = parent_directory(file);
    if (::access(dir.c_str(), W_OK) != 0) throw read_only_error(dir, std::strerror(errno));
    if (::access(file.c_str(), F_OK) == 0 && ::access(file.c_str(), W_OK) != 0) {
        throw read_only_error(file, std::strerror(errno));
    }
}

bool has_content(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    return !ec && size > 0;
}

void require_intact(const Database& db, const fs::path& file) {
    auto check = db.prepare("PRAGMA quick_check");
    const std::string verdict = check.step() ? check.text(0) : std::string("no result");
    if (verdict == "ok") return;
    throw StoreError(
        StoreError::Kind::Corrupt,
        "progress database " + in_quotes(file) + " is damaged (database disk image is malformed: " + verdict + ")",
        "restore a backup (" + in_quotes(file.string() + ".bak-v<N>") + ") if there is one, try `sqlite3 " +
            file.string() + " .recover`, or move the file aside to start afresh");
}

struct FileHeader {
    int user_version = 0;
    int application_id = 0;
};

std::int32_t big_endian_int32(const std::array<char, 100>& header, std::size_t offset) {
    std::uint32_t value = 0;
    for (std::size_t i = offset; i < offset + 4; ++i) value = (value << 8) | static_cast<unsigned char>(header[i]);
    return static_cast<std::int32_t>(value);
}

// user_version (offset 60) and application_id (offset 68) straight from the SQLite file header,
// or nothing when the file does not start like an SQLite database. Unlike any SQLite
// connection, even a read-only one, this creates no -wal/-shm files next to the database.
std::optional<FileHeader> read_header(const fs::path& file) {
    constexpr std::string_view kMagic("SQLite format 3\0", 16);
    std::array<char, 100> header{};
    std::ifstream in(file, std::ios::binary);
    if (!in.read(header.data(), header.size())) return std::nullopt;
    if (std::string_view(header.data(), kMagic.size()) != kMagic) return std::nullopt;
    return FileHeader{big_endian_int32(header, 60), big_endian_int32(header, 68)};
}

// Checks an existing file before anything writes to it: first the header alone, which refuses
// a newer or foreign database without touching anything; then a read-only connection, which
// also sees a change still sitting in the WAL. Returns that connection, for the integrity check,
// or nothing when it cannot read the file yet.
std::optional<Database> check_existing(const fs::path& file, int busy_timeout_ms, int known_version) {
    if (const auto header = read_header(file)) {
        refuse_unknown_version(file, header->user_version, known_version);
        refuse_other_application(file, header->application_id);
    }
    Database probe(file, Database::Mode::ReadOnly);
    probe.set_busy_timeout(busy_timeout_ms);
    int version = 0;
    try {
        version = user_version(probe);
    } catch (const SqliteError& e) {
        // A read-only connection cannot recover a crashed rollback journal; the read-write
        // connection does that and repeats the checks before changing anything.
        if (e.code() == SQLITE_READONLY) return std::nullopt;
        throw;
    }
    refuse_unknown_version(file, version, known_version);
    require_ours(probe, file, version);
    return probe;
}

void configure(Database& db, int busy_timeout_ms) {
    db.set_busy_timeout(busy_timeout_ms);
    auto mode = db.prepare("PRAGMA journal_mode = WAL");
    const std::string journal = mode.step() ? mode.text(0) : std::string();
    if (journal != "wal") {
        throw StoreError(StoreError::Kind::Other,
                         "cannot use write-ahead logging for the progress database (journal mode is '" + journal + "')",
                         "use --db to keep progress on a local file system");
    }
    // FULL: the WAL is fsynced at every commit, so an answer is on disk once the call returns.
    db.run_script("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
}

}  // namespace

std::span<const std::string_view> schema_migrations() { return kMigrations; }

int user_version(const Database& db) {
    auto query = db.prepare("PRAGMA user_version");
    return query.step() ? query.integer(0) : 0;
}

fs::path free_backup_path(const fs::path& file, int version) {
    const std::string base = file.string() + ".bak-v" + std::to_string(version);
    fs::path candidate = base;
    std::error_code ec;
    for (int n = 2; fs::exists(candidate, ec); ++n) candidate = base + "-" + std::to_string(n);
    return candidate;
}

MigrationOutcome migrate(Database& db, const fs::path& file, std::span<const std::string_view> steps) {
    const int target = static_cast<int>(steps.size());
    MigrationOutcome outcome;
    outcome.from_version = outcome.to_version = user_version(db);
    refuse_unknown_version(file, outcome.from_version, target);
    require_ours(db, file, outcome.from_version);
    if (outcome.from_version == target && application_id(db) == kApplicationId) return outcome;

    // The copy is taken outside the transaction: the online backup cannot read through a
    // connection that holds the write lock. It is a consistent snapshot all the same.
    if (outcome.from_version < target && holds_data(db, outcome.from_version)) {
        outcome.backup = free_backup_path(file, outcome.from_version);
        db.backup_to(*outcome.backup);
    }

    Transaction transaction(db);
    const int current = user_version(db);  // another instance may have migrated meanwhile
    refuse_unknown_version(file, current, target);
    for (int version = current; version < target; ++version) db.run_script(steps[static_cast<std::size_t>(version)]);
    set_user_version(db, target);
    // Like user_version, the id is a constant of the program, not input.
    db.run_script("PRAGMA application_id = " + std::to_string(kApplicationId));
    transaction.commit();
    outcome.to_version = target;
    return outcome;
}

namespace {

// With a lock, the integrity check runs only when the database may not have been closed cleanly;
// without one, it always runs. `checked` tells whether it ran.
Database open_database(const fs::path& file, int busy_timeout_ms, std::span<const std::string_view> steps,
                       InstanceLock* lock, bool& checked) {
    try {
        ensure_parent_directory(file);
        require_writable(file);
        const bool existing = has_content(file);
        std::optional<Database> probe;
        if (existing) probe = check_existing(file, busy_timeout_ms, static_cast<int>(steps.size()));
        // Only once the file is known to be ours: a refused file gets no lock file beside it.
        if (lock) *lock = InstanceLock::acquire(file, existing);
        checked = probe && (!lock || lock->unclean_before());
        if (checked) require_intact(*probe, file);
        probe.reset();
        if (lock) lock->mark_in_use();
        Database db(file, Database::Mode::ReadWriteCreate);
        if (db.read_only()) throw read_only_error(file, "SQLite opened it read-only");
        // Repeated here for a file the read-only probe could not read; before WAL is switched on.
        const int version = user_version(db);
        refuse_unknown_version(file, version, static_cast<int>(steps.size()));
        require_ours(db, file, version);
        configure(db, busy_timeout_ms);
        migrate(db, file, steps);
        return db;
    } catch (const SqliteError& e) {
        throw to_store_error(e, file);
    }
}

}  // namespace

Database open_progress_database(const fs::path& file, int busy_timeout_ms, std::span<const std::string_view> steps) {
    bool checked = false;
    return open_database(file, busy_timeout_ms, steps, nullptr, checked);
}

LockedDatabase open_locked_progress_database(const fs::path& file, int busy_timeout_ms,
                                             std::span<const std::string_view> steps) {
    InstanceLock lock;
    bool checked = false;
    Database db = open_database(file, busy_timeout_ms, steps, &lock, checked);
    return LockedDatabase{std::move(lock), std::move(db), checked};
}

std::vector<std::string> integrity_problems(const Database& db) {
    std::vector<std::string> problems;
    auto check = db.prepare("PRAGMA integrity_check");
    while (check.step()) {
        std::string line = check.text(0);
        if (line != "ok") problems.push_back(std::move(line));
    }
    return problems;
}

}  // namespace certdrill::store
