#pragma once
// Opening the progress database: safety checks, connection settings and schema migrations.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/instance_lock.hpp"
#include "store/sqlite.hpp"

namespace certdrill::store {

// The schema version this program writes: the number of migration steps.
inline constexpr int kSchemaVersion = 8;

// PRAGMA application_id of every certdrill progress database ("CDRL"). Databases written before
// the id existed have 0 there and get it set when they are next opened.
inline constexpr std::int32_t kApplicationId = 0x4344524C;

// Entry i takes the schema from version i to version i + 1; the schema version is the number of
// entries. To change the schema, append an entry (never edit a released one) and bump
// kSchemaVersion.
std::span<const std::string_view> schema_migrations();

// PRAGMA user_version of the connection's main database.
int user_version(const Database& db);

// `<file>.bak-v<version>`, or `<file>.bak-v<version>-2`, -3, ... when that name is taken.
std::filesystem::path free_backup_path(const std::filesystem::path& file, int version);

struct MigrationOutcome {
    int from_version = 0;
    int to_version = 0;
    std::optional<std::filesystem::path> backup;  // set when an existing database was copied first
};

// Brings `db` (the database in `file`) up to version steps.size() and marks it with
// kApplicationId. A database holding anything is first copied to free_backup_path(file, old
// version); the steps then run in one transaction. Throws StoreError (NewerVersion) if the
// database is newer than steps.size(), and (Foreign) if it has a negative version or is not a
// certdrill database; either way it is left untouched.
MigrationOutcome migrate(Database& db, const std::filesystem::path& file, std::span<const std::string_view> steps);

// Everything needed before a database is used: creates the parent directory, refuses unwritable
// locations, checks an existing file through a read-only connection (not a database, another
// program's database, damaged, unknown or newer version: the file is left untouched), then opens it for writing with WAL,
// synchronous=FULL, foreign keys and the busy timeout, and migrates it to `steps`.
// Throws StoreError. This one always runs the integrity check (PRAGMA quick_check).
Database open_progress_database(const std::filesystem::path& file, int busy_timeout_ms,
                                std::span<const std::string_view> steps = schema_migrations());

struct LockedDatabase {
    InstanceLock lock;  // declared first, so it outlives the connection
    Database db;
    bool integrity_checked = false;  // the quick check ran while opening
};

// The same, holding the instance lock beside the database (see instance_lock.hpp): the
// integrity check runs only when the database may not have been closed cleanly last time.
LockedDatabase open_locked_progress_database(const std::filesystem::path& file, int busy_timeout_ms,
                                             std::span<const std::string_view> steps = schema_migrations());

// Every problem PRAGMA integrity_check finds (the full check, slower than the one at open);
// empty when the database is intact.
std::vector<std::string> integrity_problems(const Database& db);

// `certdrill check`: every problem of the progress database in `file`, found without changing
// it: what SQLite's full integrity check reports (a damaged page is a problem, not an error) and
// each table or column its schema version should have and lacks. Empty when it is sound. Throws
// StoreError for what is not a certdrill database to check: no file, another program's, newer.
std::vector<std::string> check_progress_database(const std::filesystem::path& file,
                                                 std::span<const std::string_view> steps = schema_migrations());

}  // namespace certdrill::store
