#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "app/errors.hpp"
#include "cli/cli.hpp"
#include "store/sqlite.hpp"

namespace test_exit_codes {

namespace {

const std::string kData = CERTDRILL_TEST_DATA;

using Result = certdrill::testing::CliResult;
using certdrill::testing::run_cli;

}  // namespace

TEST_CASE("exit codes: 0 ok, 1 failure found, 2 usage, 3 data or storage") {
    using certdrill::app::ExitStatus;
    certdrill::testing::TempDir dir;
    const std::string db = (dir.path / "progress.db").string();
    const std::map<std::string, std::string> env = {{"CERTDRILL_DB", db}, {"HOME", dir.path.string()}};
    const std::vector<std::string> decks = {"--decks", kData + "/fixture-exam", "--decks", kData + "/fixture-decks"};
    const auto with_decks = [&](std::vector<std::string> args) {
        args.insert(args.begin(), decks.begin(), decks.end());
        return args;
    };

    CHECK(run_cli(with_decks({"stats"}), env).code == 0);
    CHECK(run_cli({"--help"}).code == 0);
    CHECK(run_cli({"validate", kData + "/malformed/answers.json"}, env).code == 1);
    CHECK(run_cli({"--no-such-option"}).code == 2);
    CHECK(run_cli({"study", "--limit", "0"}).code == 2);

    const Result unknown_exam = run_cli(with_decks({"study", "--exam", "nope", "--plain"}), env);
    CHECK(unknown_exam.code == 2);
    CHECK(unknown_exam.err.find("nope") != std::string::npos);
    CHECK(run_cli(with_decks({"stats", "--exam", "nope"}), env).code == 2);

    auto bad_clock = env;
    bad_clock["CERTDRILL_NOW"] = "yesterday";
    const Result clock = run_cli(with_decks({"stats"}), bad_clock);
    CHECK(clock.code == 2);
    CHECK(clock.err.find("fix:") != std::string::npos);

    CHECK(run_cli({"replay", (dir.path / "missing.jsonl").string()}, env).code == 3);
    {
        certdrill::store::Database other(dir.path / "other.db", certdrill::store::Database::Mode::ReadWriteCreate);
        other.run_script("CREATE TABLE contacts (name TEXT)");
    }
    const Result foreign = run_cli(with_decks({"--db", (dir.path / "other.db").string(), "stats"}), env);
    CHECK(foreign.code == 3);
    CHECK(foreign.err.find("not a certdrill progress database") != std::string::npos);
    CHECK(certdrill::app::exit_code(ExitStatus::DataError) == 3);
}

TEST_CASE("a seed outside 0 to 2^64-1 or not a decimal number is a usage error naming the range") {
    certdrill::testing::TempDir dir;
    const std::map<std::string, std::string> env = {{"CERTDRILL_DB", (dir.path / "progress.db").string()},
                                                    {"HOME", dir.path.string()}};
    const std::vector<std::string> decks = {"--decks", kData + "/fixture-exam", "--decks", kData + "/fixture-decks"};
    const auto stats_with_seed = [&](const std::string& seed) {
        std::vector<std::string> args = decks;
        args.insert(args.end(), {"--seed", seed, "stats"});
        return run_cli(args, env);
    };
    for (const std::string seed : {"-1", "18446744073709551616", "99999999999999999999999", "abc", "0x10", "+5", ""}) {
        CAPTURE(seed);
        const Result r = stats_with_seed(seed);
        CHECK(r.code == 2);
        CHECK(r.err.find("give a whole number from 0 to 18446744073709551615") != std::string::npos);
    }
    CHECK(stats_with_seed("0").code == 0);
    CHECK(stats_with_seed("18446744073709551615").code == 0);
    CHECK(stats_with_seed("007").code == 0);
}

}  // namespace test_exit_codes
