#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "cli/cli.hpp"

namespace test_output_errors {

namespace fs = std::filesystem;
using namespace certdrill;
using certdrill::testing::TempDir;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;
const std::string kFull = "/dev/full";

struct Result {
    int status = 0;
    std::string out, err;
};

// Runs the command line with the fixture exam and deck, its standard output going to `out`.
Result run_to(std::ostream& out, const TempDir& dir, std::vector<std::string> args, const std::string& input = "") {
    std::vector<std::string> argv_s = {"certdrill", "--db", (dir.path / "p.db").string(), "--decks",
                                       (kData / "fixture-exam").string(), "--decks",
                                       (kData / "fixture-decks").string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    std::istringstream in(input);
    std::ostringstream err;
    const std::string home = dir.path.string();
    auto env = [home](const std::string& name) -> std::optional<std::string> {
        if (name == "CERTDRILL_NOW") return std::string("2026-03-02T09:00:00Z");
        if (name == "HOME") return home;
        return std::nullopt;
    };
    Result r;
    r.status = cli::run(static_cast<int>(argv.size()), argv.data(), env, {in, out, err, false});
    r.err = err.str();
    return r;
}

Result run(const TempDir& dir, std::vector<std::string> args, const std::string& input = "") {
    std::ostringstream out;
    Result r = run_to(out, dir, std::move(args), input);
    r.out = out.str();
    return r;
}

// The same with standard output on a device where every write fails with ENOSPC.
Result run_full(const TempDir& dir, std::vector<std::string> args) {
    std::ofstream full(kFull);
    REQUIRE(full.is_open());
    return run_to(full, dir, std::move(args));
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

bool have_full_device() {
    std::error_code ec;
    if (fs::is_character_file(kFull, ec)) return true;
    MESSAGE("no /dev/full on this system: skipping the full-device checks");
    return false;
}

}  // namespace

TEST_SUITE("output errors") {
    TEST_CASE("a command whose standard output cannot be written exits 3 and says why on stderr") {
        if (!have_full_device()) return;
        TempDir dir;
        // Answers to export and a results file to report on.
        REQUIRE(run(dir, {"study", "--exam", "testexam", "--plain", "--limit", "4", "--seed", "6"},
                    "A\n\nB\n\nC\n\nA\n\n")
                    .status == 0);
        const std::string results = (dir.path / "r.json").string();
        REQUIRE(run(dir, {"results", "export", "--out", results}).status == 0);

        const std::vector<std::vector<std::string>> commands = {
            {"stats"},
            {"stats", "--json"},
            {"validate", (kData / "fixture-exam" / "exam.json").string()},
            {"class", "report", results, "--json"},
            {"simulate", "--exam", "testexam", "--days", "2", "--learners", "1", "--json"},
            {"progress", "export"},
            {"--version"},
        };
        for (const auto& args : commands) {
            std::string joined;
            for (const auto& a : args) joined += a + " ";
            CAPTURE(joined);
            REQUIRE(run(dir, args).status == 0);  // it does write something when it can
            const Result lost = run_full(dir, args);
            CHECK(lost.status == 3);
            CHECK(contains(lost.err, "certdrill: cannot write to standard output: No space left on device\n"));
        }
    }

    TEST_CASE("a command that already failed keeps its status when its output is lost too") {
        if (!have_full_device()) return;
        TempDir dir;
        const Result invalid = run_full(dir, {"validate", (kData / "malformed" / "answers.json").string()});
        CHECK(invalid.status == 1);
        CHECK(contains(invalid.err, "cannot write to standard output"));
        const Result usage = run_full(dir, {"stats", "--exam", "nope"});
        CHECK(usage.status == 2);
        CHECK_FALSE(contains(usage.err, "cannot write to standard output"));  // it wrote nothing there
        const Result written = run(dir, {"stats"});
        CHECK(written.status == 0);
        CHECK(written.err.empty());
    }

    TEST_CASE("an output file that cannot be written is a storage error, an existing one a usage error") {
        TempDir dir;
        // A directory that cannot be made, whoever runs the test: its parent is a regular file.
        const fs::path blocked = dir.write("plain-file", "x") / "out";
        const fs::path apkg = dir.path / "deck.apkg";
        REQUIRE(run(dir, {"export", "apkg", "--exam", "testexam", "--out", apkg.string()}).status == 0);
        const auto csv = dir.write("in.csv", "id,type,domain,front,back\nacme.f1,flashcard,d1,Term,Meaning\n");
        const std::string results = (dir.path / "r.json").string();
        REQUIRE(run(dir, {"results", "export", "--out", results}).status == 0);

        const std::vector<std::vector<std::string>> commands = {
            {"import", "csv", csv.string(), "--exam", "testexam", "--deck", "acme", "--out", blocked.string()},
            {"import", "apkg", apkg.string(), "--exam", "testexam", "--deck", "acme", "--out", blocked.string()},
            {"new", "deck", "--exam", "testexam", "--id", "acme", "--out", blocked.string()},
            {"export", "apkg", "--exam", "testexam", "--out", (blocked / "d.apkg").string()},
            {"results", "export", "--out", (blocked / "r.json").string()},
            {"class", "report", results, "--csv", (blocked / "report.csv").string()},
        };
        for (const auto& args : commands) {
            std::string joined;
            for (const auto& a : args) joined += a + " ";
            CAPTURE(joined);
            const Result r = run(dir, args);
            CHECK(r.status == 3);
            CHECK(contains(r.err, "Not a directory"));
        }
        // A name that is taken stays a usage error.
        CHECK(run(dir, {"results", "export", "--out", results}).status == 2);
        CHECK(run(dir, {"export", "apkg", "--exam", "testexam", "--out", apkg.string()}).status == 2);
        CHECK(run(dir, {"class", "report", results, "--csv", results}).status == 2);
    }
}

}  // namespace test_output_errors
