#include "store/schema.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <system_error>

#include "store/instance_lock.hpp"
#include "store/store_error.hpp"

namespace certdrill::store {

namespace fs = std::filesystem;

namespace {

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

// A path the system would not look up (no permission on a directory of it, a loop of links, a
// name too long): nothing is known of what is there.
StoreError unreachable_error(const fs::path& path, const std::error_code& ec) {
    return StoreError(StoreError::Kind::Other, "cannot reach " + in_quotes(path) + ": " + ec.message(),
                      "check the path and the permissions of its directories, or use --db to choose another");
}

// What kind of thing is there, for a message: "a directory", "a symbolic link"...
std::string kind_of(fs::file_type type) {
    switch (type) {
        case fs::file_type::directory: return "a directory";
        case fs::file_type::symlink: return "a symbolic link";
        case fs::file_type::block: return "a block device";
        case fs::file_type::character: return "a character device";
        case fs::file_type::fifo: return "a named pipe";
        case fs::file_type::socket: return "a socket";
        default: return "not a regular file";
    }
}

// A progress database is a regular file (reached through links or not); anything else named by
// --db (a directory, /dev/null, a pipe) is refused before SQLite or the lock create files beside it.
void require_regular_file(const fs::path& file) {
    if (file.filename().empty())
        throw StoreError(StoreError::Kind::Other, "the progress database path " + in_quotes(file) + " names no file",
                         "give --db a file name, e.g. --db ~/certdrill/progress.db");
    std::error_code ec;
    const fs::file_type type = fs::status(file, ec).type();
    if (type == fs::file_type::not_found || type == fs::file_type::regular) return;
    if (type == fs::file_type::none) throw unreachable_error(file, ec);
    throw foreign_error(file, "it is " + kind_of(type));
}

// The lock file beside the database is certdrill's own: a regular file, never a link. Anything
// else under its name is left alone and named, instead of being written through.
void require_own_lock_file(const fs::path& file) {
    const fs::path lock = file.string() + ".lock";
    std::error_code ec;
    const fs::file_type type = fs::symlink_status(lock, ec).type();
    if (type == fs::file_type::not_found) return;
    if (type == fs::file_type::none) throw unreachable_error(lock, ec);
    if (type == fs::file_type::regular && fs::hard_link_count(lock, ec) <= 1) return;
    const std::string what =
        type == fs::file_type::regular ? "one of several names of a file (a hard link)" : kind_of(type);
    throw StoreError(StoreError::Kind::Foreign,
                     in_quotes(lock) + " is " + what + ", not certdrill's own lock file; it was left untouched",
                     "move it away (certdrill makes its own), or use --db to keep progress elsewhere");
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
        require_regular_file(file);
        ensure_parent_directory(file);
        require_writable(file);
        const bool existing = has_content(file);
        std::optional<Database> probe;
        if (existing) probe = check_existing(file, busy_timeout_ms, static_cast<int>(steps.size()));
        // Only once the file is known to be ours: a refused file gets no lock file beside it.
        if (lock) {
            require_own_lock_file(file);
            *lock = InstanceLock::acquire(file, existing);
        }
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

namespace {

// Each table's columns, as the schema has them.
std::map<std::string, std::set<std::string>> tables_and_columns(const Database& db) {
    std::map<std::string, std::set<std::string>> tables;
    auto list = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (list.step()) tables[list.text(0)];
    for (auto& [table, columns] : tables) {
        auto info = db.prepare("SELECT name FROM pragma_table_info(?1)");
        info.bind(1, table);
        while (info.step()) columns.insert(info.text(0));
    }
    return tables;
}

// What the file lacks of the schema its version promises: the migrations up to that version,
// run on an empty database in memory, are the reference.
std::vector<std::string> schema_problems(const Database& db, int version, std::span<const std::string_view> steps) {
    Database reference(":memory:", Database::Mode::ReadWriteCreate);
    for (int step = 0; step < version; ++step) reference.run_script(steps[static_cast<std::size_t>(step)]);
    const auto found = tables_and_columns(db);
    std::vector<std::string> problems;
    for (const auto& [table, columns] : tables_and_columns(reference)) {
        const auto it = found.find(table);
        if (it == found.end()) {
            problems.push_back("table " + table + " is missing (schema version " + std::to_string(version) + ")");
            continue;
        }
        for (const auto& column : columns)
            if (!it->second.count(column)) problems.push_back("table " + table + " has no column " + column);
    }
    return problems;
}

}  // namespace

std::vector<std::string> check_progress_database(const fs::path& file, std::span<const std::string_view> steps) {
    require_regular_file(file);
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw StoreError(StoreError::Kind::Other, "there is no progress database at " + in_quotes(file),
                         "check the --db path (certdrill makes the database on the first start)");
    try {
        // Read-write though it only reads: a read-only connection would leave -wal and -shm files
        // beside the database (owned by whoever ran the check). A write-ahead log a crash left is
        // folded in on close, as any start does.
        Database db(file, Database::Mode::ReadWrite);
        std::vector<std::string> problems;
        // Damage SQLite meets on the way (even in the pages that say whose file it is) is what
        // the check is for: a problem to list, not an error.
        const auto listing_damage = [&problems](const auto& step) {
            try {
                step();
            } catch (const SqliteError& e) {
                if (e.code() != SQLITE_CORRUPT) throw;
                problems.push_back(e.sqlite_message());
            }
        };
        int version = 0;
        listing_damage([&] {
            version = user_version(db);
            refuse_unknown_version(file, version, static_cast<int>(steps.size()));
            require_ours(db, file, version);
        });
        if (!problems.empty()) return problems;
        listing_damage([&] {
            for (std::string& problem : integrity_problems(db)) problems.push_back(std::move(problem));
        });
        listing_damage([&] {
            for (std::string& problem : schema_problems(db, version, steps)) problems.push_back(std::move(problem));
        });
        return problems;
    } catch (const SqliteError& e) {
        throw to_store_error(e, file);
    }
}

}  // namespace certdrill::store
