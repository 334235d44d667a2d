#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "app/csv_import.hpp"
#include "cli/import_commands.hpp"
#include "cli/new_deck_command.hpp"
#include "cli/validate_command.hpp"
#include "core/csv.hpp"
#include "decks/loader.hpp"

namespace test_import_csv {

namespace fs = std::filesystem;
using namespace certdrill;
using certdrill::testing::TempDir;

namespace {

const fs::path kFixtureExam = fs::path(CERTDRILL_TEST_DATA) / "fixture-exam";

const std::string kHeader = "id,type,domain,topics,stem,a,a_reason,b,b_reason,c,c_reason,d,d_reason,answer,"
                            "explanation,references,front,back\r\n";
const std::string kGoodRow =
    "acme.q1,single,d1,1.1;scenario,\"Which control is *preventive*, by design?\",A door lock,,A camera,Cameras "
    "detect.,A log review,Reviews detect.,A backup,Backups recover.,A,\"Locks stop entry\nbefore it happens.\","
    "NIST SP 800-53,,\r\n";
const std::string kFlashRow = "acme.f1,flashcard,d2,2.1,,,,,,,,,,,,,SLE,\"Single loss expectancy, \"\"AV x EF\"\".\"\r\n";

struct Run {
    int status = 0;
    std::string out, err;
};

Run import(const TempDir& dir, const std::string& csv, bool skip_bad = false, const std::string& deck = "acme") {
    auto file = dir.write("in.csv", csv);
    cli::ImportOptions o;
    o.file = file.string();
    o.exam_id = "testexam";
    o.deck_id = deck;
    o.out_dir = dir.path / "out";
    o.skip_bad = skip_bad;
    std::ostringstream out, err;
    Run r;
    r.status = cli::import_csv_command(o, {kFixtureExam}, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_SUITE("csv") {
    TEST_CASE("RFC 4180: BOM, quoted commas, doubled quotes, line breaks inside quotes, CRLF and LF") {
        auto t = csv::parse("\xEF\xBB\xBFid,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\n3,\"two\r\nlines\"\n");
        REQUIRE(t.error.empty());
        REQUIRE(t.records.size() == 4);
        CHECK(t.records[0].fields == std::vector<std::string>{"id", "text"});
        CHECK(t.records[1].fields[1] == "a, b");
        CHECK(t.records[2].fields[1] == "say \"hi\"");
        CHECK(t.records[3].fields[1] == "two\nlines");
        CHECK(t.records[3].row == 4);
        CHECK(t.records[3].line == 4);
        CHECK(csv::parse("a,\"b\nc").error == "a quoted field opened on line 1 is never closed (a \" is missing)");
        CHECK(contains(csv::parse("a,b\"c\n").records[0].error, "a quote inside unquoted field 2"));
        CHECK(contains(csv::parse("a,\"b\"c\n").records[0].error, "text after the closing quote of field 2"));
        CHECK(csv::parse("a,,\n").records[0].fields == std::vector<std::string>{"a", "", ""});
    }

    TEST_CASE("a valid CSV becomes a deck that validates, with text kept exactly") {
        TempDir dir;
        auto r = import(dir, "\xEF\xBB\xBF" + kHeader + kGoodRow + kFlashRow);
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(contains(r.out, "2 cards for TEST"));
        auto loaded = decks::load_files({dir.path / "out" / "acme.json"}, {{kFixtureExam / "exam.json"}});
        CHECK(loaded.diagnostics.error_count() == 0);
        REQUIRE(loaded.library.cards.size() == 2);
        const Card& q = loaded.library.cards[0];
        CHECK(q.stem == "Which control is *preventive*, by design?");
        CHECK(q.explanation == "Locks stop entry\nbefore it happens.");
        CHECK(q.topics == std::vector<std::string>{"1.1", "scenario"});
        CHECK(q.options[0].correct);
        CHECK(q.options[1].reason == "Cameras detect.");
        CHECK(loaded.library.cards[1].back == "Single loss expectancy, \"AV x EF\".");
    }

    TEST_CASE("control sequences and bidi overrides are stripped from imported text") {
        TempDir dir;
        std::string row = kGoodRow;
        row.replace(row.find("A door lock"), 11, "A door \x1b[31mlock\xE2\x80\xAE");
        CHECK(import(dir, kHeader + row).status == 0);
        auto loaded = decks::load_files({dir.path / "out" / "acme.json"}, {{kFixtureExam / "exam.json"}});
        REQUIRE(loaded.library.cards.size() == 1);
        CHECK(loaded.library.cards[0].options[0].text == "A door lock");
    }

    TEST_CASE("each bad row is reported as FILE:ROW: error and nothing is written") {
        TempDir dir;
        std::string bad_answer = kGoodRow;
        bad_answer.replace(bad_answer.find(",A,\"Locks"), 3, ",E,");
        std::string bad_domain = kGoodRow;
        bad_domain.replace(0, 18, "acme.q2,single,d9,");
        const std::string csv = kHeader + bad_answer + bad_domain + "acme.q3,single,d1\r\n" +
                                "acme.q4,quiz,d1,,,,,,,,,,,,,,,\r\n" + "acme.f2,flashcard,d1,,,,,,,,,,,,,,SLE,\r\n";
        auto r = import(dir, csv);
        CHECK(r.status == 3);  // a bad import file is a data error
        CHECK(contains(r.err, "in.csv:2: error: answer 'E' names E, but the row has 4 options"));
        CHECK(contains(r.err, "in.csv:3: error: card 'acme.q2': unknown domain 'd9' for exam testexam"));
        CHECK(contains(r.err, "in.csv:4: error: the row has 3 fields, the header 18"));
        CHECK(contains(r.err, "in.csv:5: error: unknown type 'quiz' [hint: use single, multi or flashcard]"));
        CHECK(contains(r.err, "in.csv:6: error: the back column is empty"));
        CHECK(contains(r.err, "5 rows have errors, so nothing was written"));
        CHECK_FALSE(fs::exists(dir.path / "out" / "acme.json"));
    }

    TEST_CASE("duplicate ids, a clash with a loaded deck, and malformed quotes are row errors") {
        TempDir dir;
        std::string second = kGoodRow;  // same id again
        auto r = import(dir, kHeader + kGoodRow + second + "acme.q9,single,d1,\"x\"y,,,,,,,,,,,,,,\r\n");
        CHECK(r.status == 3);
        CHECK(contains(r.err, "in.csv:3: error: card 'acme.q1': duplicate card id"));
        CHECK(contains(r.err, "in.csv:4: error: text after the closing quote of field 4"));
        auto unclosed = import(dir, kHeader + "acme.q1,single,d1,\"never closed\r\n");
        CHECK(contains(unclosed.err, "in.csv:2: error: a quoted field opened on line 2 is never closed"));
    }

    TEST_CASE("header problems, empty files, binary files and invalid UTF-8") {
        TempDir dir;
        CHECK(contains(import(dir, "id,type,domian\r\n").err, "in.csv:1: error: unknown column 'domian'"));
        CHECK(contains(import(dir, "id,type,domain,stem,stem\r\n").err, "in.csv:1: error: column 'stem' appears twice"));
        CHECK(contains(import(dir, "id,type,stem\r\n").err, "in.csv:1: error: the header has no 'domain' column"));
        CHECK(contains(import(dir, "").err, "in.csv: error: the file has no rows"));
        CHECK(contains(import(dir, kHeader).err, "in.csv: error: the file has a header but no cards"));
        CHECK(contains(import(dir, std::string("id,type\0,domain\r\n", 17)).err, "in.csv: error: the file is binary"));
        // Each is a bad import file: a data error, as an unreadable one is.
        CHECK(import(dir, "").status == 3);
        CHECK(import(dir, kHeader).status == 3);
        CHECK(import(dir, std::string("id,type\0,domain\r\n", 17)).status == 3);
        std::string latin1 = kGoodRow;
        latin1.replace(latin1.find("door"), 4, "d\xF6or");
        CHECK(contains(import(dir, kHeader + latin1).err, "in.csv:2: error: the row is not valid UTF-8"));
    }

    TEST_CASE("--skip-bad writes the valid rows and names the skipped ones") {
        TempDir dir;
        auto r = import(dir, kHeader + kGoodRow + "acme.q3,single,d1\r\n" + kFlashRow, true);
        CHECK(r.status == 0);
        CHECK(contains(r.out, "2 cards for TEST; skipped 1 bad row: 3"));
        auto none = import(dir, kHeader + "acme.q3,single,d1\r\n", true, "other");
        CHECK(none.status == 3);
        CHECK(contains(none.err, "no row could be imported"));
        CHECK(decks::load_files({dir.path / "out" / "acme.json"}, {{kFixtureExam / "exam.json"}}).library.cards.size() ==
              2);
    }

    TEST_CASE("an existing file is never overwritten, and a deck id in use is refused") {
        TempDir dir;
        fs::create_directories(dir.path / "out");
        auto existing = dir.write("out/acme.json", "not ours");
        auto r = import(dir, kHeader + kGoodRow);
        CHECK(r.status == 2);
        CHECK(contains(r.err, "already exists"));
        std::ifstream in(existing);
        CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "not ours");
    }

    TEST_CASE("new deck writes a starter deck that passes validate, with and without --lint") {
        TempDir dir;
        std::ostringstream out, err;
        REQUIRE(cli::new_deck_command("testexam", "acme-starter", dir.path, {kFixtureExam}, out, err) == 0);
        const fs::path file = dir.path / "acme-starter.json";
        CHECK(contains(out.str(), "wrote " + file.string()));
        std::ostringstream vout, verr;
        CHECK(cli::validate_command({file}, {kFixtureExam}, vout, verr, true) == 0);
        INFO(vout.str());
        CHECK(contains(vout.str(), ": ok: deck acme-starter (testexam): 3 cards: 1 single, 1 multi, 1 flashcard"));
        CHECK_FALSE(contains(vout.str(), ": warning:"));
        std::ostringstream again, again_err;
        CHECK(cli::new_deck_command("testexam", "acme-starter", dir.path, {kFixtureExam}, again, again_err) == 2);
        CHECK(contains(again_err.str(), "already exists"));
        std::ostringstream bad, bad_err;
        CHECK(cli::new_deck_command("nope", "x", dir.path, {kFixtureExam}, bad, bad_err) == 2);
        CHECK(contains(bad_err.str(), "unknown exam 'nope'"));
    }
}

}  // namespace test_import_csv
