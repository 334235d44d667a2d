#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"
#include "app/environment.hpp"

namespace test_library_cache_cli {

namespace fs = std::filesystem;
using certdrill::testing::run_cli;
using certdrill::testing::TempDir;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;

std::size_t files_in(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return 0;
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

certdrill::app::EnvLookup lookup(std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
        if (auto it = vars.find(name); it != vars.end()) return it->second;
        return std::nullopt;
    };
}

}  // namespace

TEST_CASE("the cache lives in CERTDRILL_CACHE_DIR, else $XDG_CACHE_HOME/certdrill, else ~/.cache/certdrill") {
    using certdrill::app::cache_dir;
    CHECK_FALSE(cache_dir(lookup({})).has_value());
    CHECK(cache_dir(lookup({{"HOME", "/home/ann"}})) == fs::path("/home/ann/.cache/certdrill"));
    CHECK(cache_dir(lookup({{"HOME", "/home/ann"}, {"XDG_CACHE_HOME", "relative"}})) ==
          fs::path("/home/ann/.cache/certdrill"));
    CHECK(cache_dir(lookup({{"HOME", "/home/ann"}, {"XDG_CACHE_HOME", "/c"}})) == fs::path("/c/certdrill"));
    CHECK(cache_dir(lookup({{"HOME", "/home/ann"}, {"XDG_CACHE_HOME", "/c"}, {"CERTDRILL_CACHE_DIR", "/mine"}})) ==
          fs::path("/mine"));
    CHECK(cache_dir(lookup({{"HOME", "/home/ann"}, {"CERTDRILL_CACHE_DIR", ""}})) ==
          fs::path("/home/ann/.cache/certdrill"));
}

TEST_CASE("a start from the cache shows the same notices and figures as one without, and validate never uses it") {
    TempDir dir;
    fs::create_directories(dir.path / "mine");
    fs::copy(kData / "malformed" / "answers.json", dir.path / "mine" / "broken.json");
    const fs::path cache = dir.path / "cache";
    const std::map<std::string, std::string> env = {{"CERTDRILL_DB", (dir.path / "p.db").string()},
                                                    {"HOME", dir.path.string()},
                                                    {"CERTDRILL_NOW", "2026-03-02T09:00:00Z"},
                                                    {"CERTDRILL_CACHE_DIR", cache.string()}};
    const std::vector<std::string> decks = {"--decks", (kData / "fixture-exam").string(),
                                            "--decks", (kData / "fixture-decks").string(),
                                            "--decks", (dir.path / "mine").string()};
    const auto with_decks = [&](std::vector<std::string> args) {
        args.insert(args.begin(), decks.begin(), decks.end());
        return args;
    };

    const auto validated = run_cli(with_decks({"validate"}), env);
    CHECK(validated.code == 1);
    CHECK(files_in(cache) == 0);

    const auto uncached = run_cli(with_decks({"--no-cache", "stats", "--exam", "testexam"}), env);
    CHECK(uncached.code == 0);
    CHECK(files_in(cache) == 0);
    CHECK(uncached.err.find("1 deck file has errors") != std::string::npos);

    const auto filling = run_cli(with_decks({"stats", "--exam", "testexam"}), env);
    CHECK(files_in(cache) == 1);
    const auto served = run_cli(with_decks({"stats", "--exam", "testexam"}), env);
    CHECK(files_in(cache) == 1);
    for (const auto* run : {&filling, &served}) {
        CHECK(run->code == uncached.code);
        CHECK(run->out == uncached.out);
        CHECK(run->err == uncached.err);
    }
}

}  // namespace test_library_cache_cli
