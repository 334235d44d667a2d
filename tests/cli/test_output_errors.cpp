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

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_SUITE("output errors") {
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
