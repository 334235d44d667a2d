// Runs the real binary in a pseudo-terminal (tmux), types keys and reads the screen, then
// checks what was stored. Needs tmux, which scripts/setup.sh installs.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "../support/temp_dir.hpp"
#include "store/progress_store.hpp"

namespace test_e2e_terminal {

namespace fs = std::filesystem;

namespace {

std::string run(const std::string& command) {
    std::string out;
    if (FILE* p = popen((command + " 2>/dev/null").c_str(), "r")) {
        char buf[4096];
        while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        pclose(p);
    }
    return out;
}

class TmuxSession {
public:
    explicit TmuxSession(const std::string& command) {
        socket_ = "certdrill-e2e-" + std::to_string(getpid()) + "-" + std::to_string(std::random_device{}());
        std::string cmd = "tmux -L " + socket_ + " -f /dev/null new-session -d -x 80 -y 24 -s e2e " + quote(command);
        started_ = std::system(cmd.c_str()) == 0;
    }
    ~TmuxSession() { std::system(("tmux -L " + socket_ + " kill-server >/dev/null 2>&1").c_str()); }

    bool started() const { return started_; }
    std::string screen() const { return run("tmux -L " + socket_ + " capture-pane -p -t e2e"); }
    void keys(const std::string& keys) const {
        std::system(("tmux -L " + socket_ + " send-keys -t e2e " + keys).c_str());
    }
    bool alive() const {
        return std::system(("tmux -L " + socket_ + " has-session -t e2e >/dev/null 2>&1").c_str()) == 0;
    }
    void kill() const { std::system(("tmux -L " + socket_ + " kill-session -t e2e >/dev/null 2>&1").c_str()); }

    // Waits until the screen shows `text` (up to 30 s: generous, because a loaded build machine can
    // starve the trainer for seconds; a passing run returns as soon as the text shows); returns the
    // screen.
    std::string wait_for(const std::string& text) const {
        return wait_until([&](const std::string& s) { return s.find(text) != std::string::npos; });
    }
    // The same, until the screen satisfies `done`.
    std::string wait_until(const std::function<bool(const std::string&)>& done) const {
        std::string s;
        for (int i = 0; i < 600; ++i) {
            s = screen();
            if (done(s)) return s;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return s;
    }

private:
    static std::string quote(const std::string& s) { return "'" + s + "'"; }
    std::string socket_;
    bool started_ = false;
};

using certdrill::testing::TempDir;

std::string trainer_command(const fs::path& db, const std::string& args = "study --exam testexam --limit 3") {
    // The cache of loaded decks goes beside the test's database, never into the user's own.
    return std::string(
               "env -u LANG -u LC_ALL -u LC_CTYPE TERM=xterm-256color NO_COLOR=1 CERTDRILL_NOW=2026-03-02T10:00:00Z ") +
           "CERTDRILL_CACHE_DIR=" + (db.parent_path() / "cache").string() + " " + CERTDRILL_BINARY + " --db " + db.string() + " --decks " +
           (fs::path(CERTDRILL_TEST_DATA) / "tui-decks").string() + " --seed 3 " + args;
}

// The text after "D) " on a screen, up to the end of its line.
std::string option_d(const std::string& screen) {
    const auto at = screen.find("D) ");
    if (at == std::string::npos) return {};
    return screen.substr(at + 3, screen.find('\n', at) - at - 3);
}

// The letter, in the deck file, of the test deck's option whose text begins with `shown`.
std::string file_letter(const std::string& card_id, const std::string& shown) {
    std::ifstream in(fs::path(CERTDRILL_TEST_DATA) / "tui-decks" / "deck.json");
    const auto deck = nlohmann::json::parse(in);
    for (const auto& card : deck["cards"]) {
        if (card["id"] != card_id) continue;
        for (std::size_t i = 0; i < card["options"].size(); ++i)
            if (card["options"][i]["text"].get<std::string>().rfind(shown.substr(0, 20), 0) == 0)
                return std::string(1, static_cast<char>('A' + i));
    }
    return {};
}

// Answers the item on screen: grades a flashcard Good, or picks A for a question.
void answer_one(const TmuxSession& t) {
    std::string s = t.wait_for("TEST \u00b7 study");
    if (s.find("Space shows the answer") != std::string::npos) {
        t.keys("Space");
        t.wait_for("1 Again");
        t.keys("3");
    } else {
        t.keys("a Enter");
        t.wait_for("Next review in");
    }
}

}  // namespace

TEST_SUITE("end to end") {
    TEST_CASE("the trainer runs in a real terminal and stores each answer") {
        REQUIRE_MESSAGE(std::system("command -v tmux >/dev/null 2>&1") == 0, "tmux is needed: run scripts/setup.sh");
        TempDir dir;
        const fs::path db = dir.path / "progress.db";
        TmuxSession t(trainer_command(db));
        REQUIRE(t.started());
        std::string s = t.wait_for("TEST \u00b7 study");
        REQUIRE_MESSAGE(s.find("TEST \u00b7 study") != std::string::npos, s);
        CHECK(s.find("First Domain") != std::string::npos);
        answer_one(t);
        {
            certdrill::store::ProgressStore store(db);
            CHECK(store.reviews().size() == 1);  // stored before anything else happened
        }
        t.keys("q");
        s = t.wait_for("session summary");
        CHECK(s.find("Answered 1") != std::string::npos);
        t.keys("q");
        for (int i = 0; i < 400 && t.alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK_FALSE(t.alive());
        certdrill::store::ProgressStore store(db);
        auto reviews = store.reviews();
        REQUIRE(reviews.size() == 1);
        REQUIRE(reviews[0].session_id.has_value());
        auto session = store.session(*reviews[0].session_id);
        REQUIRE(session);
        CHECK(session->ended_at.has_value());
    }

    TEST_CASE("a first run of 'certdrill study' without an exam opens the home screen to choose one") {
        REQUIRE(std::system("command -v tmux >/dev/null 2>&1") == 0);
        TempDir dir;
        const fs::path db = dir.path / "progress.db";
        TmuxSession t(trainer_command(db, "study --limit 3"));
        REQUIRE(t.started());
        const std::string s = t.wait_for("Exams");
        CHECK(s.find("Exams") != std::string::npos);
        CHECK(s.find("TEST") != std::string::npos);
        CHECK(s.find("CAT") != std::string::npos);
        CHECK(s.find("\u00b7 study") == std::string::npos);  // no session was started for the candidate
        t.keys("q");
        for (int i = 0; i < 400 && t.alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        certdrill::store::ProgressStore store(db);
        CHECK(store.reviews().empty());
    }

    TEST_CASE("undo then retype stores the option retyped, the dashboard at 80x24 charts each exam alone") {
        REQUIRE(std::system("command -v tmux >/dev/null 2>&1") == 0);
        TempDir dir;
        const fs::path db = dir.path / "progress.db";
        // d2 holds single-answer questions only.
        TmuxSession t(trainer_command(db, "study --exam testexam --domain d2 --limit 3"));
        REQUIRE(t.started());
        std::string s = t.wait_for("A-D select");
        const std::string shown_d = option_d(s);
        REQUIRE_MESSAGE(!shown_d.empty(), s);
        t.keys("d Enter");
        t.wait_for("Next review in");
        t.keys("u");
        s = t.wait_for("Last answer undone");
        CHECK_MESSAGE(option_d(s) == shown_d, s);  // the same option is D again
        t.keys("d Enter");
        t.wait_for("Next review in");
        std::string card_id, chosen;
        {
            certdrill::store::ProgressStore store(db);
            const auto reviews = store.reviews();
            REQUIRE(reviews.size() == 1);  // the undone answer is gone, the retyped one stored
            card_id = reviews[0].card_id;
            chosen = reviews[0].chosen;
        }
        CHECK(chosen == file_letter(card_id, shown_d));

        t.keys("q");
        t.wait_for("session summary");
        t.keys("Enter");
        t.wait_for("Exams");
        t.keys("d");
        s = t.wait_for("Dashboard");
        CHECK_MESSAGE(s.find("Dashboard \u00b7 TEST") != std::string::npos, s);
        CHECK(s.find("today 1") != std::string::npos);
        CHECK(s.find("d2 Second Domain") != std::string::npos);
        CHECK(s.find("Esc home") != std::string::npos);
        // Tab shows the next exam's dashboard, whichever it is: its own figures, none of TEST's.
        t.keys("Tab");
        s = t.wait_until([](const std::string& screen) {
            return screen.find("Dashboard \u00b7 ") != std::string::npos &&
                   screen.find("Dashboard \u00b7 TEST") == std::string::npos;
        });
        CHECK_MESSAGE(s.find("Dashboard \u00b7 TEST") == std::string::npos, s);
        CHECK_MESSAGE(s.find("today 0") != std::string::npos, s);
        t.keys("Escape");
        t.wait_for("Exams");
        t.keys("q");
        for (int i = 0; i < 400 && t.alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK_FALSE(t.alive());
    }

    TEST_CASE("an empty or dumb TERM gets a message suggesting --plain and exit status 2") {
        REQUIRE(std::system("command -v tmux >/dev/null 2>&1") == 0);
        for (const std::string term : {"", "dumb"}) {
            TempDir dir;
            std::string command = trainer_command(dir.path / "progress.db");
            command.replace(command.find("TERM=xterm-256color"), 19, "TERM=" + term);
            // The pane stays open after the program ends, so its last words can be read.
            TmuxSession t(command + "; echo exit=$?; sleep 30");
            REQUIRE(t.started());
            const std::string s = t.wait_for("exit=");
            CHECK_MESSAGE(s.find("exit=2") != std::string::npos, "TERM=" << term << ":\n" << s);
            CHECK_MESSAGE(s.find("--plain") != std::string::npos, "TERM=" << term << ":\n" << s);
            CHECK(s.find("TERM") != std::string::npos);
        }
    }

    TEST_CASE("a dropped terminal (SIGHUP) loses no answer") {
        REQUIRE(std::system("command -v tmux >/dev/null 2>&1") == 0);
        TempDir dir;
        const fs::path db = dir.path / "progress.db";
        TmuxSession t(trainer_command(db));
        REQUIRE(t.started());
        answer_one(t);
        t.keys("Enter");
        answer_one(t);
        t.kill();  // closes the pseudo-terminal: the trainer gets SIGHUP
        for (int i = 0; i < 400 && t.alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        certdrill::store::ProgressStore store(db);
        CHECK(store.reviews().size() == 2);
        auto integrity = store.reviews();
        CHECK(integrity[0].card_id != integrity[1].card_id);
    }
}

}  // namespace test_e2e_terminal
