#include "store/store_error.hpp"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite.hpp"

namespace certdrill::store {

namespace {

std::string in_quotes(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

StoreError::StoreError(Kind kind, const std::string& message, std::string fix)
    : std::runtime_error(message), kind_(kind), fix_(std::move(fix)) {}

StoreError read_only_error(const std::filesystem::path& what, const std::string& detail) {
    return StoreError(
        StoreError::Kind::ReadOnly,
        "cannot write progress database at " + in_quotes(what) + " (read-only file or directory: " + detail + ")",
        "make the file and its directory writable, or use --db to keep progress somewhere writable");
}

StoreError to_store_error(const SqliteError& error, const std::filesystem::path& file) {
    using Kind = StoreError::Kind;
    const std::string& sqlite = error.sqlite_message();
    switch (error.code()) {
        case SQLITE_NOTADB:
            return StoreError(Kind::NotADatabase,
                              in_quotes(file) + " is not a certdrill progress database (" + sqlite + ")",
                              "check the --db path; if the file is not needed, move it aside and certdrill will "
                              "start a new database");
        case SQLITE_CORRUPT:
            return StoreError(Kind::Corrupt, "progress database " + in_quotes(file) + " is damaged (" + sqlite + ")",
                              "restore a backup (for example " + in_quotes(file.string() + ".bak-v1") +
                                  "), try `sqlite3 " + file.string() +
                                  " .recover`, or move the file aside to start afresh");
        case SQLITE_READONLY:
        case SQLITE_PERM:
            return read_only_error(file, sqlite);
        case SQLITE_FULL:
            return StoreError(Kind::DiskFull,
                              "disk full while writing " + in_quotes(file) + "; the change was not saved",
                              "free some disk space, or use --db to keep progress on another disk");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return StoreError(Kind::Locked,
                              "progress database " + in_quotes(file) +
                                  " is locked: another process kept its write lock for too long (" + sqlite + ")",
                              "close other certdrill instances using this database, then retry");
        case SQLITE_CANTOPEN:
            return StoreError(Kind::Other, "cannot open progress database " + in_quotes(file) + " (" + sqlite + ")",
                              "check that the path is accessible, or use --db to choose another location");
        case SQLITE_IOERR:
            return StoreError(Kind::Other, "I/O error on progress database " + in_quotes(file) + " (" + sqlite + ")",
                              "check the disk and file system, then retry");
        case SQLITE_ERROR:
            // A table or column of certdrill's schema gone: the file was changed outside certdrill.
            if (sqlite.rfind("no such table", 0) == 0 || sqlite.rfind("no such column", 0) == 0)
                return StoreError(Kind::Corrupt,
                                  "progress database " + in_quotes(file) + " is damaged: its tables are not the ones "
                                      "its schema version has (" + sqlite + ")",
                                  "run `certdrill check` to list what is missing; restore a backup (for example " +
                                      in_quotes(file.string() + ".bak-v1") + ") or move the file aside to start afresh");
            [[fallthrough]];
        default:
            return StoreError(Kind::Other, "progress database " + in_quotes(file) + ": " + error.what(),
                              "retry; if it persists, use --db to try another location");
    }
}

}  // namespace certdrill::store
