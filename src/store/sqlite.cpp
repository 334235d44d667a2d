#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace certdrill::store {

namespace {

std::string describe(std::string_view context, const std::string& message) {
    std::string text(context);
    if (!text.empty()) text += ": ";
    return text + message;
}

[[noreturn]] void throw_from(sqlite3* db, int rc, std::string_view context) {
    // Without a connection only the result code is known.
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw SqliteError(rc & 0xff, extended, std::move(message), context);
}

}  // namespace

SqliteError::SqliteError(int code, int extended_code, std::string sqlite_message, std::string_view context)
    : std::runtime_error(describe(context, sqlite_message)),
      code_(code),
      extended_code_(extended_code),
      sqlite_message_(std::move(sqlite_message)) {}

// ---- Statement ----

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        throw_from(db, rc, "preparing SQL");
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

void Statement::fail(int rc, std::string_view context) const { throw_from(db_, rc, context); }

Statement& Statement::bind(int index, std::int64_t value) {
    if (const int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(rc, "binding a value");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (const int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK) fail(rc, "binding a value");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(rc, "binding a value");
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    if (const int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(rc, "binding a value");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Reset so that the statement releases its locks before the error propagates.
    sqlite3_reset(stmt_);
    fail(rc, "running SQL");
}

void Statement::run() {
    while (step()) {
    }
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);  // must follow column_text
    return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

std::optional<double> Statement::optional_real(int column) const {
    if (is_null(column)) return std::nullopt;
    return real(column);
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

// ---- Database ----

Database::Database(const std::filesystem::path& file, Mode mode) {
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        // On most failures SQLite still hands back a connection holding the message.
        const int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
        std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        close();
        throw SqliteError(rc & 0xff, extended, std::move(message), "opening " + file.string());
    }
    sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() { close(); }

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

void Database::close() noexcept {
    // Statements are RAII objects that never outlive their use, so a plain close suffices;
    // close_v2 still defers the close safely if one were left over.
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

Statement Database::prepare(std::string_view sql) const { return Statement(db_, sql); }

void Database::run_script(std::string_view sql) {
    const char* next = sql.data();
    const char* const end = sql.data() + sql.size();
    while (next < end) {
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &raw, &tail);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(raw);
            throw_from(db_, rc, "preparing SQL script");
        }
        next = tail;
        if (!raw) continue;  // only whitespace or comments were left
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        }
        sqlite3_finalize(raw);
        if (rc != SQLITE_DONE) throw_from(db_, rc, "running SQL script");
    }
}

void Database::set_busy_timeout(int milliseconds) {
    if (const int rc = sqlite3_busy_timeout(db_, milliseconds); rc != SQLITE_OK) throw_from(db_, rc, "busy timeout");
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

bool Database::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Database::backup_to(const std::filesystem::path& destination) const {
    Database target(destination, Mode::ReadWriteCreate);
    sqlite3_backup* backup = sqlite3_backup_init(target.db_, "main", db_, "main");
    if (!backup) throw_from(target.db_, sqlite3_errcode(target.db_), "starting backup");
    const int step_rc = sqlite3_backup_step(backup, -1);  // -1: copy every page in one pass
    const int finish_rc = sqlite3_backup_finish(backup);
    if (step_rc != SQLITE_DONE) throw_from(nullptr, step_rc, "copying to " + destination.string());
    if (finish_rc != SQLITE_OK) throw_from(target.db_, finish_rc, "copying to " + destination.string());
}

// ---- Transaction ----

Transaction::Transaction(Database& db) : db_(db) { db_.prepare("BEGIN IMMEDIATE").run(); }

Transaction::~Transaction() {
    if (done_ || !db_.in_transaction()) return;  // SQLite may already have rolled back (e.g. disk full)
    try {
        db_.prepare("ROLLBACK").run();
    } catch (const SqliteError&) {
        // Nothing more can be done from a destructor; the connection rolls back when closed.
    }
}

void Transaction::commit() {
    db_.prepare("COMMIT").run();
    done_ = true;
}

}  // namespace certdrill::store
