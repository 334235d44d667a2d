#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "app/environment.hpp"
#include "cli/cli.hpp"
#include "decks/config_reader.hpp"

namespace test_settings {

using certdrill::testing::TempDir;
namespace fs = std::filesystem;

namespace {

struct Result {
    int code;
    std::string out;
    std::string err;
};

Result run_cli(std::vector<std::string> args, std::map<std::string, std::string> env) {
    args.insert(args.begin(), "certdrill");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::istringstream in;
    std::ostringstream out, err;
    const auto lookup = [env](const char* name) -> std::optional<std::string> {
        if (auto it = env.find(name); it != env.end()) return it->second;
        return std::nullopt;
    };
    const int code = certdrill::cli::run(static_cast<int>(argv.size()), argv.data(), lookup, {in, out, err, false});
    return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("settings file: every setting is read, relative deck directories are beside the file") {
    TempDir dir;
    const fs::path file = dir.write("config.json", R"({
  "new_cards_per_day": 15, "desired_retention": 0.92, "day_start": 5,
  "default_exam": "cism", "deck_dirs": ["mine", "~/shared", "/abs"], "theme": "mono"
})");
    const auto result = certdrill::decks::read_config(file, "/home/u");
    REQUIRE(result.errors.empty());
    const auto& c = result.config;
    CHECK(c.new_cards_per_day == 15);
    CHECK(c.desired_retention == doctest::Approx(0.92));
    CHECK(c.day_start == 5);
    CHECK(c.default_exam == "cism");
    CHECK(c.deck_dirs == std::vector<fs::path>{dir.path / "mine", "/home/u/shared", "/abs"});
    CHECK(c.theme == "mono");
    CHECK(certdrill::decks::read_config(dir.path / "missing.json", "/home/u").errors.empty());
}

TEST_CASE("settings file: each problem is named with file:line:column") {
    TempDir dir;
    const fs::path file = dir.write("config.json", "{\n  \"new_cards_per_day\": 5000,\n  \"theme\": \"dark\",\n  \"dek_dirs\": []\n}\n");
    const auto result = certdrill::decks::read_config(file, "/home/u");
    REQUIRE(result.errors.size() == 3);
    CHECK(result.errors[0].rfind(file.string() + ":2:3: error: 'new_cards_per_day' must be a whole number from 0 to 1000", 0) == 0);
    CHECK(result.errors[1].rfind(file.string() + ":3:3: error: 'theme' must be", 0) == 0);
    CHECK(result.errors[2].find(":4:3: error: unknown setting 'dek_dirs' [hint: did you mean 'deck_dirs'?]") !=
          std::string::npos);

    const fs::path broken = dir.write("broken.json", "{\n  \"day_start\": 4,\n  oops\n}\n");
    const auto syntax = certdrill::decks::read_config(broken, "/home/u");
    REQUIRE(syntax.errors.size() == 1);
    CHECK(syntax.errors[0].rfind(broken.string() + ":3:3: error:", 0) == 0);
}

TEST_CASE("settings: the environment and the options override the file, a bad file exits 2") {
    TempDir dir;
    const fs::path file = dir.write("config.json", R"({"day_start": 7, "theme": "mono"})");
    const auto settings = certdrill::decks::read_config(file, dir.path).config;
    const auto env = certdrill::app::with_settings(
        [](const char* name) -> std::optional<std::string> {
            if (std::string_view(name) == "CERTDRILL_DAY_START") return std::string("2");
            return std::nullopt;
        },
        settings);
    CHECK(env("CERTDRILL_DAY_START") == "2");
    CHECK(env("NO_COLOR") == "1");
    CHECK_FALSE(env("CERTDRILL_DB"));

    CHECK(certdrill::app::config_path([](const char* n) -> std::optional<std::string> {
              return std::string_view(n) == "HOME" ? std::optional<std::string>("/home/u") : std::nullopt;
          }) == fs::path("/home/u/.config/certdrill/config.json"));

    const fs::path bad = dir.write("bad.json", "{\n  \"desired_retention\": 2\n}\n");
    const Result run = run_cli({"stats"}, {{"CERTDRILL_CONFIG", bad.string()}, {"CERTDRILL_DB", (dir.path / "p.db").string()}});
    CHECK(run.code == 2);
    CHECK(run.err.find(bad.string() + ":2:3: error: 'desired_retention'") != std::string::npos);
    CHECK(run.err.find("fix:") != std::string::npos);
}

TEST_CASE("settings: the default exam does not override the exam of the decks --deck names") {
    TempDir dir;
    const fs::path file = dir.write("config.json", R"({"default_exam": "cism"})");
    const std::map<std::string, std::string> env = {{"CERTDRILL_CONFIG", file.string()},
                                                    {"CERTDRILL_DB", (dir.path / "p.db").string()},
                                                    {"HOME", dir.path.string()}};
    const Result decks = run_cli({"study", "--deck", "cissp-d1", "--plain", "--limit", "1"}, env);
    CHECK(decks.code == 0);
    CHECK(decks.out.find("Study: CISSP") != std::string::npos);
    CHECK(decks.err.find("not of CISM") == std::string::npos);
    // Named on the command line, a mismatch is the user's to resolve.
    CHECK(run_cli({"stats", "--exam", "cism", "--deck", "cissp-d1"}, env).code == 2);
}

TEST_CASE("certdrill help SUBCOMMAND prints that subcommand's options") {
    const std::map<std::string, std::string> env;
    const Result study = run_cli({"help", "study"}, env);
    CHECK(study.code == 0);
    CHECK(study.out.find("--limit") != std::string::npos);
    const Result import = run_cli({"help", "progress", "import"}, env);
    CHECK(import.code == 0);
    CHECK(import.out.find("file") != std::string::npos);
    const Result all = run_cli({"help"}, env);
    CHECK(all.out.find("validate") != std::string::npos);
    CHECK(run_cli({"help", "nope"}, env).code == 2);
}

}  // namespace test_settings
