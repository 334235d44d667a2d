#pragma once
// The one exception type the store lets out: what went wrong, in words a user can act on, plus a
// hint for fixing it.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace certdrill::store {

class SqliteError;

class StoreError : public std::runtime_error {
public:
    enum class Kind {
        NotADatabase,  // the file is something other than an SQLite database
        Corrupt,       // the database is damaged
        NewerVersion,  // written by a newer certdrill; left untouched
        Foreign,       // an SQLite database of another program, or an unknown version; left untouched
        ReadOnly,      // the file or its directory cannot be written
        DiskFull,
        Locked,      // another process held the write lock for longer than the busy timeout
        Conflict,    // e.g. undoing an answer that a later answer (another session) built on
        NoLocation,  // no database path could be derived from the environment
        Other,
    };

    StoreError(Kind kind, const std::string& message, std::string fix);

    Kind kind() const noexcept { return kind_; }
    // What the user can do about it, e.g. "pass --db with a writable path".
    const std::string& fix() const noexcept { return fix_; }

private:
    Kind kind_;
    std::string fix_;
};

// Turns a low-level SQLite failure on `file` into a StoreError naming the problem.
StoreError to_store_error(const SqliteError& error, const std::filesystem::path& file);

// Error for a file or directory that cannot be written.
StoreError read_only_error(const std::filesystem::path& what, const std::string& detail);

}  // namespace certdrill::store
