#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "cli/cli.hpp"

namespace test_instructor_cli {

namespace fs = std::filesystem;
using namespace certdrill;
using certdrill::testing::TempDir;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;

struct Result {
    int status = 0;
    std::string out, err;
};

// Runs the command line with only the fixture exam and deck (no built-in decks: the fixture
// exam's directory comes first and CERTDRILL_DECKS adds the fixture deck).
Result run(const TempDir& dir, std::vector<std::string> args, const std::string& input = "") {
    std::vector<std::string> argv_s = {"certdrill", "--db", (dir.path / "p.db").string(), "--decks",
                                       (kData / "fixture-exam").string(), "--decks",
                                       (kData / "fixture-decks").string(), "--decks", (dir.path / "mine").string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    std::istringstream in(input);
    std::ostringstream out, err;
    auto env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "CERTDRILL_NOW") return std::string("2026-03-02T09:00:00Z");
        return std::nullopt;
    };
    Result r;
    r.status = cli::run(static_cast<int>(argv.size()), argv.data(), env, {in, out, err, false});
    r.out = out.str();
    r.err = err.str();
    return r;
}

}  // namespace

TEST_SUITE("instructor cli") {
    TEST_CASE("an instructor's own deck is studied alone with --deck, and stats count only it") {
        TempDir dir;
        fs::create_directories(dir.path / "mine");
        REQUIRE(run(dir, {"new", "deck", "--exam", "testexam", "--id", "acme", "--out", (dir.path / "mine").string()})
                    .status == 0);
        // Three plain answers: every card shown comes from the three-card deck.
        auto study = run(dir, {"study", "--deck", "acme", "--plain", "--limit", "3"}, "A\n\n\nAB\n\n\n3\n");
        INFO(study.err);
        CHECK(study.status == 0);
        auto stats = run(dir, {"stats", "--deck", "acme", "--json"});
        REQUIRE(stats.status == 0);
        const auto json = nlohmann::json::parse(stats.out);
        REQUIRE(json["exams"].size() == 1);
        CHECK(json["exams"][0]["cards"] == 3);
        auto unknown = run(dir, {"study", "--deck", "nope", "--plain"});
        CHECK(unknown.status == 2);
        CHECK(unknown.err.find("no deck 'nope' is loaded") != std::string::npos);
    }

    TEST_CASE("a refused deck id says what is wrong with it, and shows what it holds") {
        TempDir dir;
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"..", "'..' must start with a lower-case letter or a digit"},
            {"-x", "'-x' must start with a lower-case letter or a digit"},
            {std::string(300, 'a'), "is 300 bytes long; the most is 128"},
            {"z\x1bz", "\"z\\u001bz\" may use only"},  // not 'zz', which would be a valid id
            {"Acme", "must start with a lower-case letter or a digit"},
            {"ac me", "'ac me' may use only lower-case letters"},
        };
        for (const auto& entry : cases) {
            CAPTURE(entry.first);
            auto r = run(dir, {"new", "deck", "--exam", "testexam", "--id", entry.first, "--out", dir.path.string()});
            CHECK(r.status == 2);
            CHECK(r.err.find(entry.second) != std::string::npos);
        }
    }

    TEST_CASE("--exam and --deck naming decks of another exam says so, not that the exam is unknown") {
        TempDir dir;
        const std::map<std::string, std::string> env = {{"CERTDRILL_DB", (dir.path / "p.db").string()},
                                                        {"HOME", dir.path.string()}};
        const auto mismatch = certdrill::testing::run_cli({"stats", "--exam", "cism", "--deck", "cissp-d1"}, env);
        CHECK(mismatch.code == 2);
        CHECK(mismatch.err.find("decks of CISSP, not of CISM") != std::string::npos);
        CHECK(mismatch.err.find("unknown exam") == std::string::npos);
        CHECK(certdrill::testing::run_cli({"stats", "--exam", "cissp", "--deck", "cissp-d1"}, env).code == 0);
        // export apkg restricts the decks its own way, with the same check.
        const auto exported = certdrill::testing::run_cli(
            {"export", "apkg", "--exam", "cism", "--deck", "cissp-d1-flashcards", "--out", (dir.path / "x.apkg").string()}, env);
        CHECK(exported.code == 2);
        CHECK(exported.err.find("decks of CISSP, not of CISM") != std::string::npos);
    }

    TEST_CASE("results export writes the learner's file, class report reads it back") {
        TempDir dir;
        fs::create_directories(dir.path / "mine");
        // A fixed seed: the fixture mixes single and "choose two" items, and these letters must fit
        // the items the session shows (this seed answers two of them).
        REQUIRE(run(dir, {"study", "--exam", "testexam", "--plain", "--limit", "4", "--seed", "6"},
                    "A\n\nB\n\nC\n\nA\n\n")
                    .status == 0);
        const std::string file = (dir.path / "ada.json").string();
        auto exported = run(dir, {"results", "export", "--out", file, "--name", "Ada"});
        INFO(exported.err);
        REQUIRE(exported.status == 0);
        CHECK(exported.out.find("as 'Ada'") != std::string::npos);
        auto again = run(dir, {"results", "export", "--out", file});
        CHECK(again.status == 2);  // never overwritten
        const std::string anon = (dir.path / "anon.json").string();
        REQUIRE(run(dir, {"results", "export", "--out", anon}).status == 0);
        auto report = run(dir, {"class", "report", file, anon, "--json"});
        REQUIRE(report.status == 0);
        const auto json = nlohmann::json::parse(report.out);
        CHECK(json["learners"].size() == 2);
        CHECK(json["learners"][0]["learner"] == "Ada");
        CHECK(json["learners"][1]["learner"].get<std::string>().rfind("anonymous-", 0) == 0);
        CHECK_FALSE(json["items"].empty());
        auto text = run(dir, {"class", "report", file});
        CHECK(text.out.rfind("Class report: 1 learner,", 0) == 0);
    }
}

}  // namespace test_instructor_cli
