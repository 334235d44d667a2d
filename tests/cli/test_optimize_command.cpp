#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "cli/cli.hpp"

namespace test_optimize_command {

using nlohmann::json;
using namespace certdrill;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run run_cli(std::vector<std::string> args, const std::string& input = "", std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), "certdrill");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::istringstream in(input);
    std::ostringstream out, err;
    const auto lookup = [&](const char* name) -> std::optional<std::string> {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const int code = cli::run(static_cast<int>(argv.size()), argv.data(), lookup, cli::Io{in, out, err, false, false});
    return {code, out.str(), err.str()};
}

std::string vectors(const std::string& name) {
    return (std::filesystem::path(CERTDRILL_TEST_DATA) / "optimizer" / name).string();
}

}  // namespace

TEST_SUITE("optimize command") {
    TEST_CASE("--from --json fits the histories and prints one object") {
        const Run r = run_cli({"optimize", "--from", vectors("slow_forgetter.jsonl"), "--json"});
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());  // no progress line when stderr is not a terminal
        const json j = json::parse(r.out);
        REQUIRE(j["parameters"].size() == 21);
        CHECK(j["reviews"].get<int>() > 2000);
        CHECK(j["fit"] == "trained");
        CHECK(j["log_loss"].get<double>() < j["defaults"]["log_loss"].get<double>());
        CHECK(j["rmse_bins"].get<double>() > 0.0);

        std::ifstream file(vectors("slow_forgetter.jsonl"));
        const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        const Run piped = run_cli({"optimize", "--from", "-", "--json"}, text);
        CHECK(piped.out == r.out);
    }

    TEST_CASE("--from counts days in UTC, rolling over at CERTDRILL_DAY_START") {
        // Reviews at 02:00 and 05:00 UTC on the same date: one day apart when the day starts at
        // 04:00 (the default), the same day when it starts at midnight.
        std::string input;
        for (int i = 0; i < 3; ++i)
            input +=
                R"({"reviews":[{"at":"2026-02-01T02:00:00Z","rating":3},{"at":"2026-02-01T05:00:00Z","rating":3}]})"
                "\n";
        const Run at4 = run_cli({"optimize", "--from", "-", "--json"}, input);
        const Run at0 = run_cli({"optimize", "--from", "-", "--json"}, input, {{"CERTDRILL_DAY_START", "0"}});
        REQUIRE(at4.code == 0);
        REQUIRE(at0.code == 0);
        CHECK(json::parse(at4.out)["predictions"] == 3);
        CHECK(json::parse(at0.out)["predictions"] == 0);
        CHECK(json::parse(at0.out)["fit"] == "defaults");
    }

    TEST_CASE("bad input: the line number and reason, nothing on stdout") {
        const std::string input =
            R"({"reviews":[{"at":"2026-02-01T10:00:00Z","rating":3}]})"
            "\n\n"
            R"({"reviews":[{"at":"2026-02-01T10:00:00Z","rating":5}]})"
            "\n"
            R"({"reviews":[{"at":"2026-02-03T10:00:00Z","rating":3},{"at":"2026-02-01T10:00:00Z","rating":3}]})"
            "\n";
        const Run r = run_cli({"optimize", "--from", "-", "--json"}, input);
        CHECK(r.code == 3);  // a data error
        CHECK(r.out.empty());
        CHECK(r.err.find("line 3: reviews[0].rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)") !=
              std::string::npos);
        CHECK(r.err.find("line 4: reviews[1].at is earlier than the review before it") != std::string::npos);
        CHECK(r.err.find("2 bad lines; nothing was fitted") != std::string::npos);

        const Run missing = run_cli({"optimize", "--from", "/nonexistent/file.jsonl"});
        CHECK(missing.code == 3);
        CHECK(missing.err.find("cannot open") != std::string::npos);
    }

    TEST_CASE("on the progress database: too few answers, the count still needed, then --reset") {
        testing::TempDir dir;
        const std::string db = (dir.path / "p.db").string();
        const Run r = run_cli({"--db", db, "optimize", "--exam", "cism"});
        REQUIRE(r.code == 0);
        CHECK(r.out.find("0 answers so far; fitting needs at least 400, so 400 more are needed") != std::string::npos);
        const Run j = run_cli({"--db", db, "optimize", "--exam", "cism", "--json"});
        CHECK(json::parse(j.out)["status"] == "not_enough_reviews");
        const Run reset = run_cli({"--db", db, "optimize", "--exam", "cism", "--reset"});
        CHECK(reset.code == 0);
        CHECK(reset.out.find("already uses the default") != std::string::npos);
        const Run wrong = run_cli({"--db", db, "optimize", "--exam", "nope"});
        CHECK(wrong.code == 2);
        CHECK(run_cli({"optimize", "--from", "x", "--reset"}).code == 2);
    }
}

}  // namespace test_optimize_command
