#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

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

// ---- StatementCache ----

// Compiled statements not in use, by SQL text. Several statements for one text can be in use at
// once (e.g. a query and, inside its loop, the same query again); each gets its own.
class StatementCache {
public:
    StatementCache() = default;
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;
    ~StatementCache() { clear(); }

    sqlite3_stmt* take(std::string_view sql) {
        auto it = free_.find(sql);
        if (it == free_.end() || it->second.empty()) return nullptr;
        sqlite3_stmt* stmt = it->second.back();
        it->second.pop_back();
        return stmt;
    }

    void give_back(sqlite3_stmt* stmt) noexcept {
        sqlite3_reset(stmt);  // ends the statement's read, if it was stepped but not finished
        sqlite3_clear_bindings(stmt);
        try {
            free_[std::string(sqlite3_sql(stmt))].push_back(stmt);
        } catch (...) {
            sqlite3_finalize(stmt);  // out of memory: the statement is simply not kept
        }
    }

    void clear() noexcept {
        for (auto& [_, list] : free_)
            for (sqlite3_stmt* stmt : list) sqlite3_finalize(stmt);
        free_.clear();
    }

private:
    std::map<std::string, std::vector<sqlite3_stmt*>, std::less<>> free_;
};

// ---- Statement ----

Statement::Statement(sqlite3* db, std::string_view sql, StatementCache* cache) : db_(db), cache_(cache) {
    if (cache_ && (stmt_ = cache_->take(sql))) return;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        throw_from(db, rc, "preparing SQL");
    }
    // Only a statement whose text is exactly `sql` can be found again by it.
    if (cache_ && (!stmt_ || std::string_view(sqlite3_sql(stmt_)) != sql)) cache_ = nullptr;
}

namespace {
void release(sqlite3_stmt* stmt, StatementCache* cache) noexcept {
    if (!stmt) return;
    if (cache)
        cache->give_back(stmt);
    else
        sqlite3_finalize(stmt);
}
}  // namespace

Statement::~Statement() { release(stmt_, cache_); }

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      cache_(std::exchange(other.cache_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        release(stmt_, cache_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
        cache_ = std::exchange(other.cache_, nullptr);
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

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    const int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
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

std::string_view Statement::blob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);  // must follow column_blob
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
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

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

// ---- RowReader ----

std::optional<int> RowReader::optional_integer() {
    if (is_null()) {
        ++next_;
        return std::nullopt;
    }
    return integer();
}

void RowReader::finish() const {
    if (next_ != s_.column_count())
        throw std::logic_error("a row mapper read " + std::to_string(next_) + " of " +
                               std::to_string(s_.column_count()) + " selected columns");
}

// ---- Database ----

Database::Database(const std::filesystem::path& file, Mode mode) : cache_(std::make_unique<StatementCache>()) {
    const int flags =
        (mode == Mode::ReadOnly    ? SQLITE_OPEN_READONLY
         : mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE
                                   : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
        SQLITE_OPEN_NOMUTEX;
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

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      cache_(std::move(other.cache_)),
      commits_(std::exchange(other.commits_, 0)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        cache_ = std::move(other.cache_);
        commits_ = std::exchange(other.commits_, 0);
    }
    return *this;
}

void Database::close() noexcept {
    // Statements in use are RAII objects that never outlive their use; the cached ones are
    // finalized here. close_v2 still defers the close safely if one were left over.
    if (cache_) cache_->clear();
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

Statement Database::prepare(std::string_view sql) const { return Statement(db_, sql, cache_.get()); }

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
    ++db_.commits_;
}

}  // namespace certdrill::store
