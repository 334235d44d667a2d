#pragma once
// Thin RAII wrappers over the SQLite C API: a connection, a prepared statement and a write
// transaction. Every failure becomes a SqliteError carrying SQLite's own message and result
// code. SQL text is always a constant of the program; values only ever travel as bound
// parameters. A connection keeps the statements it compiled and hands them out again for the
// same SQL text, so a statement run once per answer is compiled once per connection.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace certdrill::store {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, int extended_code, std::string sqlite_message, std::string_view context);

    int code() const noexcept { return code_; }                    // primary code, e.g. SQLITE_BUSY
    int extended_code() const noexcept { return extended_code_; }  // e.g. SQLITE_BUSY_SNAPSHOT
    const std::string& sqlite_message() const noexcept { return sqlite_message_; }

private:
    int code_;
    int extended_code_;
    std::string sqlite_message_;
};

class StatementCache;

class Statement {
public:
    // Compiles `sql`; with a cache, a compiled statement for the same text is taken from it when
    // one is free, and the statement goes back to it (reset, bindings cleared) when destroyed.
    Statement(sqlite3* db, std::string_view sql, StatementCache* cache = nullptr);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are numbered from 1, as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    // Without this overload a string literal would pick bind(int, bool).
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullptr_t);
    // Binds the bytes as a BLOB (bind(int, std::string_view) binds TEXT).
    Statement& bind_blob(int index, std::string_view bytes);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }

    // Binds the arguments to parameters 1, 2, 3, ...
    template <class... Args>
    Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // Advances to the next row: true when a row is available, false when the statement is done.
    bool step();
    // Runs a statement that returns no rows (or whose rows are of no interest).
    void run();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    bool boolean(int column) const { return int64(column) != 0; }
    double real(int column) const;
    std::string text(int column) const;
    // The bytes of a BLOB (or TEXT) column, valid until the statement steps again or is reset.
    std::string_view blob(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<double> optional_real(int column) const;
    std::optional<std::string> optional_text(int column) const;
    int column_count() const;

private:
    [[noreturn]] void fail(int rc, std::string_view context) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    StatementCache* cache_ = nullptr;
};

// Reads the columns of the current row one after the other, in the order of the SELECT list,
// so a row mapper names what it reads instead of counting column positions. finish() checks
// that the mapper read exactly the columns the query selects.
class RowReader {
public:
    explicit RowReader(const Statement& s) : s_(s) {}

    bool is_null() const { return s_.is_null(next_); }
    std::int64_t int64() { return s_.int64(next_++); }
    int integer() { return s_.integer(next_++); }
    bool boolean() { return s_.boolean(next_++); }
    double real() { return s_.real(next_++); }
    std::string text() { return s_.text(next_++); }
    std::optional<std::int64_t> optional_int64() { return s_.optional_int64(next_++); }
    std::optional<int> optional_integer();
    std::optional<double> optional_real() { return s_.optional_real(next_++); }
    std::optional<std::string> optional_text() { return s_.optional_text(next_++); }
    // Throws std::logic_error when the columns read differ in number from those selected.
    void finish() const;

private:
    const Statement& s_;
    int next_ = 0;
};

// Runs `query` and maps every row with `read`, which must read exactly the selected columns.
template <class Read>
void for_each_row(Statement& query, Read&& read) {
    while (query.step()) {
        RowReader row(query);
        read(row);
        row.finish();
    }
}

// One connection, used by one thread at a time (its statement cache is not shared either): SQLite
// is told so (SQLITE_OPEN_NOMUTEX) and skips locking a mutex on every call, which at a million
// answers read is a few percent of a start.
class Database {
public:
    // ReadWrite opens an existing database only. A read-only connection to a database in WAL
    // mode leaves its -wal and -shm files behind; a read-write one, the last to close, removes them.
    enum class Mode { ReadOnly, ReadWrite, ReadWriteCreate };

    Database(const std::filesystem::path& file, Mode mode);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A compiled statement for `sql`, from this connection's cache when one is free. Logically
    // const: a statement does not change the connection.
    Statement prepare(std::string_view sql) const;
    // Runs every statement of a constant script (schema steps, pragmas), one after the other.
    void run_script(std::string_view sql);

    void set_busy_timeout(int milliseconds);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    // True when the main database was opened read-only (e.g. the file is write-protected).
    bool read_only() const;
    // True while a transaction is open on this connection.
    bool in_transaction() const;

    // Copies a consistent snapshot of this database into a new file (SQLite online backup).
    void backup_to(const std::filesystem::path& destination) const;

    // Write transactions (Transaction) committed on this connection; each is one durable commit.
    std::int64_t commits() const noexcept { return commits_; }

private:
    friend class Transaction;
    void close() noexcept;

    sqlite3* db_ = nullptr;
    // On the heap, so that statements keep a valid pointer to it when the connection is moved.
    std::unique_ptr<StatementCache> cache_;
    std::int64_t commits_ = 0;
};

// BEGIN IMMEDIATE on construction, so the write lock is taken (waiting up to the busy timeout)
// before anything is read; this avoids the unrecoverable lock-upgrade failure of deferred
// transactions when two processes write. Rolls back on destruction unless committed.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace certdrill::store
