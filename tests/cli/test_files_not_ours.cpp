#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

// Files certdrill did not make are left as they were: an export never replaces one, the instance
// lock never writes through a link, and a --db that is not a regular file is refused before
// anything is created beside it.
namespace test_files_not_ours {

namespace fs = std::filesystem;
using certdrill::testing::CliResult;
using certdrill::testing::run_cli;
using certdrill::testing::TempDir;

namespace {

const std::string kData = CERTDRILL_TEST_DATA;

std::string contents(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
}

struct Learner {
    TempDir dir;
    fs::path db = dir.path / "progress.db";
    std::map<std::string, std::string> env{{"CERTDRILL_DB", db.string()}, {"HOME", dir.path.string()},
                                           {"XDG_CACHE_HOME", (dir.path / "cache").string()}};

    CliResult run(std::vector<std::string> args) const {
        const std::vector<std::string> decks = {"--decks", kData + "/fixture-exam", "--decks",
                                                kData + "/fixture-decks"};
        args.insert(args.begin(), decks.begin(), decks.end());
        return run_cli(args, env);
    }
};

}  // namespace

TEST_CASE("progress export writes a new file and replaces nothing: not the database, a file, a link or a device") {
    Learner learner;
    REQUIRE(learner.run({"stats"}).code == 0);  // makes the database
    const std::string database = contents(learner.db);

    const CliResult over_db = learner.run({"progress", "export", "--out", learner.db.string()});
    CHECK(over_db.code == 2);  // a name taken, as for every --out
    CHECK(over_db.err.find("already exists") != std::string::npos);
    CHECK(contents(learner.db) == database);
    CHECK(learner.run({"stats"}).code == 0);

    const fs::path kept = learner.dir.write("kept.txt", "keep me");
    const fs::path link = learner.dir.path / "link.jsonl";
    fs::create_symlink(kept, link);
    CHECK(learner.run({"progress", "export", "--out", link.string()}).code == 2);
    CHECK(fs::is_symlink(link));
    CHECK(contents(kept) == "keep me");

    const fs::path dangling = learner.dir.path / "dangling.jsonl";
    fs::create_symlink(learner.dir.path / "nowhere.jsonl", dangling);
    CHECK(learner.run({"progress", "export", "--out", dangling.string()}).code == 2);
    CHECK_FALSE(fs::exists(learner.dir.path / "nowhere.jsonl"));

    // A file named like the old temporary file is not written through either.
    const fs::path partial = learner.dir.write("new.jsonl.partial", "not ours");
    const std::set<std::string> before = names_in(learner.dir.path);
    const CliResult fresh = learner.run({"progress", "export", "--out", (learner.dir.path / "new.jsonl").string()});
    CHECK(fresh.code == 0);
    CHECK(contents(partial) == "not ours");
    std::set<std::string> after = names_in(learner.dir.path);
    CHECK(after.erase("new.jsonl") == 1);
    CHECK(after == before);  // no temporary file left beside it

    const CliResult device = learner.run({"progress", "export", "--out", "/dev/null"});
    CHECK(device.code == 2);
    CHECK(fs::is_character_file("/dev/null"));

    const CliResult into_dir = learner.run({"progress", "export", "--out", learner.dir.path.string()});
    CHECK(into_dir.code == 2);
    CHECK(names_in(learner.dir.path).size() == before.size() + 1);
}

TEST_CASE("a link, directory or pipe where the lock file goes is named and left alone, and nothing is created") {
    Learner learner;
    const fs::path kept = learner.dir.write("kept.txt", "precious");
    const fs::path lock = learner.db.string() + ".lock";
    fs::create_symlink(kept, lock);
    const CliResult linked = learner.run({"stats"});
    CHECK(linked.code == 3);
    CHECK(linked.err.find("symbolic link") != std::string::npos);
    CHECK(contents(kept) == "precious");
    CHECK_FALSE(fs::exists(learner.db));

    fs::remove(lock);
    fs::create_directory(lock);
    const CliResult directory = learner.run({"stats"});
    CHECK(directory.code == 3);
    CHECK(directory.err.find("is a directory") != std::string::npos);
    CHECK(fs::is_empty(lock));
    fs::remove(lock);

    REQUIRE(::mkfifo(lock.c_str(), 0600) == 0);
    const CliResult pipe = learner.run({"stats"});  // refused at once: opening a pipe would wait for a writer
    CHECK(pipe.code == 3);
    CHECK(pipe.err.find("is a named pipe") != std::string::npos);
    fs::remove(lock);

    fs::create_hard_link(kept, lock);  // truncating the lock would empty kept.txt
    const CliResult hard_link = learner.run({"stats"});
    CHECK(hard_link.code == 3);
    CHECK(hard_link.err.find("hard link") != std::string::npos);
    CHECK(contents(kept) == "precious");
    fs::remove(lock);
    CHECK_FALSE(fs::exists(learner.db));

    CHECK(learner.run({"stats"}).code == 0);  // its own lock file, once the name is free
    CHECK(fs::is_regular_file(lock));
}

TEST_CASE("--db naming a directory, a device or a pipe is refused with what it is, and nothing is made beside it") {
    Learner learner;
    const fs::path dir = learner.dir.path / "folder";
    fs::create_directory(dir);
    const fs::path pipe = learner.dir.path / "pipe";
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    const std::set<std::string> before = names_in(learner.dir.path);
    const std::vector<std::pair<fs::path, std::string>> cases = {
        {dir, "a directory"}, {pipe, "a named pipe"}, {"/dev/null", "a character device"}};
    for (const auto& entry : cases) {
        // Plain references: clang before 16 cannot capture a structured binding in CAPTURE's lambda.
        const fs::path& path = entry.first;
        const std::string& kind = entry.second;
        CAPTURE(path);
        // Compared with before rather than required absent: /dev is the machine's, not the test's.
        const bool had_lock = fs::exists(path.string() + ".lock"), had_journal = fs::exists(path.string() + "-journal");
        const CliResult r = learner.run({"--db", path.string(), "stats"});
        CHECK(r.code == 3);
        CHECK(r.err.find(kind) != std::string::npos);
        CHECK(r.err.find("left untouched") != std::string::npos);
        CHECK(fs::exists(path.string() + ".lock") == had_lock);
        CHECK(fs::exists(path.string() + "-journal") == had_journal);
    }
    CHECK(fs::is_empty(dir));
    std::set<std::string> after = names_in(learner.dir.path);
    after.erase("cache");  // the deck cache, which the decks' loading fills
    CHECK(after == before);
}

TEST_CASE("a directory where a file is read is a data error naming it, from every command that reads one") {
    Learner learner;
    const std::string dir = learner.dir.path.string();
    const std::vector<std::vector<std::string>> commands = {
        {"replay", dir},
        {"optimize", "--exam", "testexam", "--from", dir},
        {"progress", "import", dir},
        {"exam", "testexam", "--plain", "--calibration", dir},
        {"class", "report", dir},
        {"import", "apkg", dir, "--exam", "testexam", "--deck", "anki"},
    };
    for (const auto& command : commands) {
        CAPTURE(command.front());
        const CliResult r = learner.run(command);
        CHECK(r.code == 3);
        CHECK(r.err.find("directory") != std::string::npos);
        CHECK(r.err.find("unexpected") == std::string::npos);
    }
}

TEST_CASE("a number too large for JSON is reported in the file's terms, without the parser library's tag") {
    Learner learner;
    const fs::path calibration = learner.dir.write("calibration.json", R"({"items": [1e400]})");
    const CliResult r = learner.run({"exam", "testexam", "--plain", "--calibration", calibration.string()});
    CHECK(r.code == 3);
    CHECK(r.err.find("number overflow") != std::string::npos);
    CHECK(r.err.find("json.exception") == std::string::npos);
    CHECK(r.err.find("unexpected") == std::string::npos);

    const fs::path broken = learner.dir.write("broken.json", "{\"items\": [}");
    const CliResult syntax = learner.run({"exam", "testexam", "--plain", "--calibration", broken.string()});
    CHECK(syntax.code == 3);
    CHECK(syntax.err.find("not valid JSON at byte 12: syntax error") != std::string::npos);
}

TEST_CASE("a file certdrill writes gets the permissions the umask allows, like any other program's") {
    Learner learner;
    REQUIRE(learner.run({"stats"}).code == 0);
    const mode_t before = ::umask(077);
    const CliResult r = learner.run({"progress", "export", "--out", (learner.dir.path / "mine.jsonl").string()});
    ::umask(before);
    REQUIRE(r.code == 0);
    const auto perms = fs::status(learner.dir.path / "mine.jsonl").permissions();
    CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    CHECK((perms & fs::perms::owner_read) != fs::perms::none);
}

TEST_CASE("check reads an existing database without leaving files beside it") {
    Learner learner;
    REQUIRE(learner.run({"stats"}).code == 0);
    const std::set<std::string> before = names_in(learner.dir.path);
    const CliResult r = run_cli({"--db", learner.db.string(), "check"}, learner.env);
    CHECK(r.code == 0);
    CHECK(names_in(learner.dir.path) == before);  // no -wal or -shm left by the check's connection
}

}  // namespace test_files_not_ours
