// The integrity check on open runs after an unclean shutdown only; `certdrill check` runs the full
// one. Several writes in one transaction; statements compiled once per connection.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "store/progress_store.hpp"
#include "store/sqlite.hpp"

namespace test_store_open_check {

using namespace certdrill;
using namespace certdrill::store;
namespace fs = std::filesystem;
using certdrill::testing::TempDir;

namespace {

ReviewRecord review_of(const std::string& card_id, UnixMs at) {
    ReviewRecord r;
    r.card_id = card_id;
    r.at = at;
    r.rating = 3;
    r.correct = true;
    r.after.state = fsrs::State::Review;
    r.after.stability = 3.0;
    r.after.difficulty = 5.0;
    r.after.last_review = at;
    r.after.due = at + 3 * kMsPerDay;
    return r;
}

// A process that opens the database, answers once and dies without closing anything, as a crash
// or a kill would leave it.
void crash_while_open(const fs::path& file) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        try {
            auto* store = new ProgressStore(file);  // never destroyed: the process just ends
            store->record_review(review_of("crashed", 5));
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
}

// Fills the database with card rows, closes it cleanly and scribbles over the second half of the
// file, where the card table's pages are.
void damage(const fs::path& file) {
    {
        ProgressStore store(file);
        for (int i = 0; i < 40; ++i) store.set_flagged("card-" + std::to_string(i) + std::string(200, 'p'), true, i);
    }
    const auto size = static_cast<std::streamoff>(fs::file_size(file));
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(size / 2);
    const std::string junk(static_cast<std::size_t>(size / 2), '\x5a');
    out.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

}  // namespace

TEST_SUITE("store: integrity check on open") {
    TEST_CASE("after a clean shutdown the check is skipped, after a crash it runs once") {
        TempDir dir;
        const fs::path file = dir.path / "progress.db";
        {
            ProgressStore store(file);
            CHECK_FALSE(store.integrity_checked_at_open());  // a new database
            store.record_review(review_of("a", 1));
        }
        {
            ProgressStore store(file);
            CHECK_FALSE(store.integrity_checked_at_open());
        }
        crash_while_open(file);
        {
            ProgressStore store(file);
            CHECK(store.integrity_checked_at_open());
            CHECK(store.reviews().size() == 2);  // the crashed process's answer was committed
        }
        ProgressStore again(file);
        CHECK_FALSE(again.integrity_checked_at_open());
    }

    TEST_CASE("a database that arrives without its lock file is checked") {
        TempDir dir;
        const fs::path file = dir.path / "progress.db";
        { ProgressStore store(file); }
        fs::remove(file.string() + ".lock");
        ProgressStore store(file);
        CHECK(store.integrity_checked_at_open());
    }

    TEST_CASE("a second instance neither checks nor clears the mark of the first") {
        TempDir dir;
        const fs::path file = dir.path / "progress.db";
        { ProgressStore create(file); }
        crash_while_open(file);
        auto first = std::make_unique<ProgressStore>(file);
        CHECK(first->integrity_checked_at_open());
        CHECK_FALSE(first->shared_with_other_instance());
        {
            ProgressStore second(file);
            CHECK(second.shared_with_other_instance());
            CHECK_FALSE(second.integrity_checked_at_open());
        }
        // The first is still open, so the second's clean exit did not mark the database closed.
        CHECK(fs::file_size(file.string() + ".lock") > 0);
        crash_while_open(file);  // runs beside the first, then dies
        first.reset();           // the last one out closes cleanly
        ProgressStore after(file);
        CHECK_FALSE(after.integrity_checked_at_open());
    }

    TEST_CASE("damage after a clean shutdown is found by the full check, and on open after a crash") {
        TempDir dir;
        const fs::path file = dir.path / "progress.db";
        damage(file);
        bool opened = false;
        try {
            ProgressStore store(file);
            opened = true;
            CHECK_FALSE(store.integrity_problems().empty());
        } catch (const StoreError& e) {
            // Opening may trip over the damage by itself; it must say so.
            CHECK(e.kind() == StoreError::Kind::Corrupt);
        }
        INFO("opened: " << opened);
        // A crash since: the next open checks and refuses, untouched, until it is repaired.
        fs::remove(file.string() + ".lock");
        for (int attempt = 0; attempt < 2; ++attempt) {
            try {
                ProgressStore store(file);
                FAIL("a damaged database must be refused after an unclean shutdown");
            } catch (const StoreError& e) {
                CHECK(e.kind() == StoreError::Kind::Corrupt);
                CHECK(std::string(e.what()).find("damaged") != std::string::npos);
            }
        }
    }

    TEST_CASE("certdrill check: ok for an intact database, exit 1 and the problems for a damaged one") {
        TempDir dir;
        const fs::path good = dir.path / "good.db";
        { ProgressStore store(good); }
        const auto ok = certdrill::testing::run_cli({"--db", good.string(), "check"});
        CHECK(ok.code == 0);
        CHECK(ok.out.find(": ok") != std::string::npos);

        const fs::path bad = dir.path / "bad.db";
        damage(bad);
        const auto found = certdrill::testing::run_cli({"--db", bad.string(), "check"});
        CHECK(found.code == 1);  // found damage, even where opening the database for use trips over it
        CHECK(found.err.find("damaged") != std::string::npos);
        CHECK_FALSE(found.out.empty());

        // Two bytes of one page, as a failing disk might leave them.
        const fs::path page = dir.path / "page.db";
        { ProgressStore store(page); store.record_review(review_of("card", 5)); }
        {
            std::fstream out(page, std::ios::binary | std::ios::in | std::ios::out);
            out.seekp(4096 * 2 + 3);
            out.write("\x0f\xf0", 2);
        }
        CHECK(certdrill::testing::run_cli({"--db", page.string(), "check"}).code == 1);
    }

    TEST_CASE("certdrill check: a table or column gone is damage it lists, and other commands call it damage too") {
        TempDir dir;
        const fs::path file = dir.path / "progress.db";
        { ProgressStore store(file); }
        const fs::path no_table = dir.path / "no-table.db", no_column = dir.path / "no-column.db";
        fs::copy_file(file, no_table);
        fs::copy_file(file, no_column);
        Database(no_table, Database::Mode::ReadWriteCreate).run_script("DROP TABLE exam_plans");
        Database(no_column, Database::Mode::ReadWriteCreate).run_script("ALTER TABLE cards DROP COLUMN flagged");

        const auto table = certdrill::testing::run_cli({"--db", no_table.string(), "check"});
        CHECK(table.code == 1);
        CHECK(table.out.find("table exam_plans is missing") != std::string::npos);
        const auto column = certdrill::testing::run_cli({"--db", no_column.string(), "check"});
        CHECK(column.code == 1);
        CHECK(column.out.find("table cards has no column flagged") != std::string::npos);

        try {
            ProgressStore store(no_table);
            (void)store.exam_date("cism");
            FAIL("a missing table must be an error");
        } catch (const StoreError& e) {
            CHECK(e.kind() == StoreError::Kind::Corrupt);
            CHECK(std::string(e.fix()).find("certdrill check") != std::string::npos);
        }
    }

    TEST_CASE("certdrill check of a path with no database says so and creates nothing") {
        TempDir dir;
        const fs::path typo = dir.path / "typo.db";
        const auto r = certdrill::testing::run_cli({"--db", typo.string(), "check"});
        CHECK(r.code == 3);
        CHECK(r.err.find("no progress database") != std::string::npos);
        CHECK(fs::is_empty(dir.path));
    }
}

TEST_SUITE("store: transactions and statements") {
    TEST_CASE("writes made in one transaction commit once, together, or not at all") {
        TempDir dir;
        ProgressStore store(dir.path / "progress.db");
        const auto before = store.write_transactions();
        store.in_one_transaction([&] {
            store.record_review(review_of("a", 1));
            store.set_flagged("b", true, 2);
            store.record_review(review_of("c", 3));
        });
        CHECK(store.write_transactions() == before + 1);
        CHECK(store.reviews().size() == 2);
        CHECK(store.card("b")->flagged);

        CHECK_THROWS_AS(store.in_one_transaction([&] {
            store.record_review(review_of("d", 4));
            throw std::runtime_error("interrupted");
        }),
                        std::runtime_error);
        CHECK(store.reviews().size() == 2);
        CHECK_FALSE(store.card("d"));
        CHECK(store.write_transactions() == before + 1);
        // Each write on its own is a transaction of its own.
        store.record_review(review_of("e", 5));
        CHECK(store.write_transactions() == before + 2);
    }

    TEST_CASE("a statement is compiled once and can run again, also nested in itself") {
        TempDir dir;
        Database db(dir.path / "x.db", Database::Mode::ReadWriteCreate);
        db.run_script("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);");
        int pairs = 0;
        {
            auto outer = db.prepare("SELECT n FROM t ORDER BY n");
            while (outer.step()) {
                auto inner = db.prepare("SELECT n FROM t ORDER BY n");  // the same text, while in use
                while (inner.step()) ++pairs;
            }
        }
        CHECK(pairs == 9);
        for (int i = 0; i < 3; ++i) {
            auto again = db.prepare("SELECT n FROM t WHERE n = ?1");
            REQUIRE(again.bind(1, i + 1).step());  // bindings of the previous use are gone
            CHECK(again.int64(0) == i + 1);
        }
        // A statement given back half-read does not keep its read open.
        { auto half = db.prepare("SELECT n FROM t ORDER BY n"); REQUIRE(half.step()); }
        db.run_script("DROP TABLE t;");
    }

    TEST_CASE("a row mapper that reads other columns than the query selects is caught") {
        TempDir dir;
        Database db(dir.path / "x.db", Database::Mode::ReadWriteCreate);
        auto query = db.prepare("SELECT 1, 'two', 3.0");
        REQUIRE(query.step());
        RowReader short_read(query);
        CHECK(short_read.int64() == 1);
        CHECK(short_read.text() == "two");
        CHECK_THROWS_AS(short_read.finish(), std::logic_error);
        RowReader full(query);
        full.int64();
        full.text();
        CHECK(full.real() == doctest::Approx(3.0));
        CHECK_NOTHROW(full.finish());
    }
}

}  // namespace test_store_open_check
