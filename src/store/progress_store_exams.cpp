#include "store/progress_store.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "store/progress_store_parts.hpp"

// What the store keeps per exam: mock exam attempts and their items, exam dates and the fitted
// FSRS parameters.

namespace certdrill::store {

using detail::in_write_transaction;
using detail::require_changed;

namespace {

// ---- exam attempts ----

constexpr std::string_view kSelectAttempt =
    "SELECT id, exam_id, started_at, finished_at, item_count, minutes, seed, score_percent, passed, "
    "duration_ms, kind, domain_id, resumable, elapsed_ms, items_min, pretest_items, scaled_score, ability, "
    "ability_se, standard, items_given FROM exam_attempts";

AttemptRecord read_attempt(RowReader& row) {
    AttemptRecord a;
    a.id = row.int64();
    a.exam_id = row.text();
    a.started_at = row.int64();
    a.finished_at = row.optional_int64();
    a.item_count = row.integer();
    a.minutes = row.integer();
    a.seed = static_cast<std::uint64_t>(row.int64());  // stored as the same 64 bits, signed
    a.score_percent = row.optional_real();
    if (const auto passed = row.optional_int64()) a.passed = *passed != 0;
    a.duration_ms = row.optional_int64();
    a.kind = row.text();
    a.domain_id = row.optional_text();
    a.resumable = row.boolean();
    a.elapsed_ms = row.int64();
    a.items_min = row.optional_integer();
    a.pretest_items = row.optional_integer();
    a.scaled_score = row.optional_integer();
    a.ability = row.optional_real();
    a.ability_se = row.optional_real();
    a.standard = row.optional_real();
    a.items_given = row.optional_integer();
    return a;
}

constexpr std::string_view kSelectAttemptItem =
    "SELECT attempt_id, position, card_id, domain_id, chosen, correct, flagged, answered_at, option_order, "
    "pretest, skipped, difficulty, response_ms FROM exam_attempt_items";

AttemptItemRecord read_attempt_item(RowReader& row) {
    AttemptItemRecord item;
    item.attempt_id = row.int64();
    item.position = row.integer();
    item.card_id = row.text();
    item.domain_id = row.text();
    item.chosen = row.text();
    item.correct = row.boolean();
    item.flagged = row.boolean();
    item.answered_at = row.optional_int64();
    item.option_order = row.text();
    item.pretest = row.boolean();
    item.skipped = row.boolean();
    item.difficulty = row.optional_real();
    item.response_ms = row.int64();
    return item;
}

}  // namespace

std::optional<std::string> ProgressStore::exam_date(std::string_view exam_id) const {
    return guarded([&]() -> std::optional<std::string> {
        auto query = db_.prepare("SELECT exam_date FROM exam_plans WHERE exam_id = ?1");
        query.bind_all(exam_id);
        if (!query.step()) return std::nullopt;
        return query.text(0);
    });
}

void ProgressStore::set_exam_date(std::string_view exam_id, std::string_view date, UnixMs at) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_plans (exam_id, exam_date, updated_at) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (exam_id) DO UPDATE SET exam_date = excluded.exam_date, "
                   "updated_at = excluded.updated_at")
                .bind_all(exam_id, date, at)
                .run();
        });
    });
}

bool ProgressStore::clear_exam_date(std::string_view exam_id) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            db_.prepare("DELETE FROM exam_plans WHERE exam_id = ?1").bind_all(exam_id).run();
            return db_.changes() > 0;
        });
    });
}

std::int64_t ProgressStore::begin_attempt(std::string_view exam_id, UnixMs started_at, int item_count, int minutes,
                                          std::uint64_t seed) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_attempts (exam_id, started_at, item_count, minutes, seed) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)")
                .bind_all(exam_id, started_at, item_count, minutes, static_cast<std::int64_t>(seed))
                .run();
            return db_.last_insert_rowid();
        });
    });
}

std::int64_t ProgressStore::begin_attempt(const NewAttempt& a) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_attempts (exam_id, started_at, item_count, minutes, seed, kind, domain_id, "
                   "resumable, items_min, pretest_items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9)")
                .bind_all(a.exam_id, a.started_at, a.item_count, a.minutes, static_cast<std::int64_t>(a.seed), a.kind,
                          a.domain_id, a.items_min, a.pretest_items)
                .run();
            return db_.last_insert_rowid();
        });
    });
}

void ProgressStore::save_attempt_item(const AttemptItemRecord& item, std::optional<std::int64_t> elapsed_ms) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "INSERT INTO exam_attempt_items "
                   "(attempt_id, position, card_id, domain_id, chosen, correct, flagged, answered_at, option_order, "
                   "pretest, skipped, difficulty, response_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                   "ON CONFLICT (attempt_id, position) DO UPDATE SET card_id = excluded.card_id, "
                   "domain_id = excluded.domain_id, chosen = excluded.chosen, correct = excluded.correct, "
                   "flagged = excluded.flagged, answered_at = excluded.answered_at, "
                   "option_order = excluded.option_order, pretest = excluded.pretest, skipped = excluded.skipped, "
                   "difficulty = excluded.difficulty, response_ms = excluded.response_ms")
                .bind_all(item.attempt_id, item.position, item.card_id, item.domain_id, item.chosen, item.correct,
                          item.flagged, item.answered_at, item.option_order, item.pretest, item.skipped,
                          item.difficulty, item.response_ms)
                .run();
            if (elapsed_ms)
                db_.prepare("UPDATE exam_attempts SET elapsed_ms = ?2 WHERE id = ?1")
                    .bind_all(item.attempt_id, *elapsed_ms)
                    .run();
        });
    });
}

void ProgressStore::set_attempt_elapsed(std::int64_t attempt_id, std::int64_t elapsed_ms) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare("UPDATE exam_attempts SET elapsed_ms = ?2 WHERE id = ?1").bind_all(attempt_id, elapsed_ms).run();
            require_changed(db_, "exam attempt", attempt_id);
        });
    });
}

void ProgressStore::finish_attempt(std::int64_t attempt_id, const AttemptOutcome& o) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "UPDATE exam_attempts SET finished_at = ?2, score_percent = ?3, passed = ?4, duration_ms = ?5, "
                   "elapsed_ms = ?5, scaled_score = ?6, ability = ?7, ability_se = ?8, standard = ?9, "
                   "items_given = ?10 WHERE id = ?1")
                .bind_all(attempt_id, o.finished_at, o.score_percent, o.passed, o.duration_ms, o.scaled_score,
                          o.ability, o.ability_se, o.standard, o.items_given)
                .run();
            require_changed(db_, "exam attempt", attempt_id);
        });
    });
}

void ProgressStore::discard_attempt(std::int64_t attempt_id) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            auto finished = db_.prepare("SELECT finished_at IS NOT NULL FROM exam_attempts WHERE id = ?1");
            finished.bind(1, attempt_id);
            if (!finished.step()) throw std::invalid_argument("no exam attempt with id " + std::to_string(attempt_id));
            if (finished.boolean(0))
                throw std::invalid_argument("exam attempt " + std::to_string(attempt_id) + " is finished");
            db_.prepare("DELETE FROM exam_attempt_items WHERE attempt_id = ?1").bind(1, attempt_id).run();
            db_.prepare("DELETE FROM exam_attempts WHERE id = ?1").bind(1, attempt_id).run();
        });
    });
}

std::optional<AttemptRecord> ProgressStore::attempt(std::int64_t attempt_id) const {
    return guarded([&]() -> std::optional<AttemptRecord> {
        auto query = db_.prepare(std::string(kSelectAttempt) + " WHERE id = ?1");
        query.bind(1, attempt_id);
        std::optional<AttemptRecord> found;
        for_each_row(query, [&](RowReader& row) { found = read_attempt(row); });
        return found;
    });
}

std::vector<AttemptRecord> ProgressStore::unfinished_attempts(std::optional<std::string_view> exam_id) const {
    return guarded([&] {
        std::vector<AttemptRecord> result;
        auto query = db_.prepare(std::string(kSelectAttempt) +
                                 " WHERE finished_at IS NULL AND resumable = 1 AND (?1 IS NULL OR exam_id = ?1) "
                                 "ORDER BY started_at DESC, id DESC");
        query.bind(1, exam_id);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_attempt(row)); });
        return result;
    });
}

void ProgressStore::finish_attempt(std::int64_t attempt_id, UnixMs finished_at, double score_percent, bool passed,
                                   std::int64_t duration_ms) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            db_.prepare(
                   "UPDATE exam_attempts SET finished_at = ?2, score_percent = ?3, passed = ?4, duration_ms = ?5 "
                   "WHERE id = ?1")
                .bind_all(attempt_id, finished_at, score_percent, passed, duration_ms)
                .run();
            require_changed(db_, "exam attempt", attempt_id);
        });
    });
}

std::vector<AttemptRecord> ProgressStore::attempts(std::optional<std::string_view> exam_id) const {
    return guarded([&] {
        std::vector<AttemptRecord> result;
        auto query = db_.prepare(std::string(kSelectAttempt) +
                                 " WHERE (?1 IS NULL OR exam_id = ?1) ORDER BY started_at, id");
        query.bind(1, exam_id);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_attempt(row)); });
        return result;
    });
}

std::vector<AttemptItemRecord> ProgressStore::attempt_items(std::int64_t attempt_id) const {
    return guarded([&] {
        std::vector<AttemptItemRecord> result;
        auto query = db_.prepare(std::string(kSelectAttemptItem) + " WHERE attempt_id = ?1 ORDER BY position");
        query.bind(1, attempt_id);
        for_each_row(query, [&](RowReader& row) { result.push_back(read_attempt_item(row)); });
        return result;
    });
}

namespace {

std::string weights_text(const std::array<double, 21>& w) {
    std::string text;
    for (const double x : w) {
        std::array<char, 32> buffer{};
        const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x).ptr;
        if (!text.empty()) text += ' ';
        text.append(buffer.data(), end);
    }
    return text;
}

std::optional<std::array<double, 21>> weights_from(std::string_view text) {
    std::array<double, 21> w{};
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (double& x : w) {
        while (p < end && *p == ' ') ++p;
        const auto result = std::from_chars(p, end, x);
        if (result.ec != std::errc() || !std::isfinite(x)) return std::nullopt;
        p = result.ptr;
    }
    while (p < end && *p == ' ') ++p;
    if (p != end) return std::nullopt;
    return w;
}

}  // namespace

std::optional<FittedParameters> ProgressStore::fitted_parameters(std::string_view exam_id) const {
    return guarded([&]() -> std::optional<FittedParameters> {
        auto query = db_.prepare(
            "SELECT exam_id, weights, fitted_at, review_count, log_loss_before, rmse_before, log_loss_after, "
            "rmse_after FROM fitted_parameters WHERE exam_id = ?1");
        query.bind(1, exam_id);
        if (!query.step()) return std::nullopt;
        FittedParameters f;
        f.exam_id = query.text(0);
        const auto weights = weights_from(query.text(1));
        if (!weights)
            throw StoreError(
                StoreError::Kind::Corrupt,
                "the fitted FSRS parameters for exam '" + f.exam_id + "' in '" + file_.string() + "' are damaged",
                "run 'certdrill optimize --exam " + f.exam_id + " --reset' to return to the defaults");
        f.weights = *weights;
        f.fitted_at = query.int64(2);
        f.review_count = query.int64(3);
        f.log_loss_before = query.real(4);
        f.rmse_before = query.real(5);
        f.log_loss_after = query.real(6);
        f.rmse_after = query.real(7);
        return f;
    });
}

void ProgressStore::save_fitted_parameters(const FittedParameters& f) {
    guarded([&] {
        in_write_transaction(db_, [&] {
            auto statement = db_.prepare(
                "INSERT OR REPLACE INTO fitted_parameters (exam_id, weights, fitted_at, review_count, "
                "log_loss_before, rmse_before, log_loss_after, rmse_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
            statement.bind_all(std::string_view(f.exam_id), std::string_view(weights_text(f.weights)), f.fitted_at,
                               f.review_count, f.log_loss_before, f.rmse_before, f.log_loss_after, f.rmse_after);
            statement.run();
        });
    });
}

bool ProgressStore::clear_fitted_parameters(std::string_view exam_id) {
    return guarded([&] {
        return in_write_transaction(db_, [&] {
            auto statement = db_.prepare("DELETE FROM fitted_parameters WHERE exam_id = ?1");
            statement.bind(1, exam_id);
            statement.run();
            return db_.changes() > 0;
        });
    });
}

}  // namespace certdrill::store
