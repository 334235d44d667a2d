// The schema's migration steps: the SQL that takes a progress database from each version to the
// next (see schema_migrations() in schema.hpp). Released steps are never edited; a change of
// schema appends one.
#include "store/schema.hpp"

#include <array>
#include <span>
#include <string_view>

namespace certdrill::store {

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

}  // namespace

std::span<const std::string_view> schema_migrations() { return kMigrations; }

}  // namespace certdrill::store
