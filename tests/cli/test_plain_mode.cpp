// End-to-end tests of the plain text mode and `stats --json`: the real binary, driven through
// its standard input and output as a user or a script would, with a fixed clock and seed.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "app/environment.hpp"
#include "core/model.hpp"
#include "decks/loader.hpp"
#include "store/progress_store.hpp"

namespace test_plain_mode {

using namespace certdrill;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;
const char* const kNow = "2026-03-02T09:00:00Z";

using certdrill::testing::TempDir;

// The certdrill binary running with its standard input and output connected to the test.
// Input goes through a socket so that writing to a program that has exited cannot raise SIGPIPE.
class Program {
public:
    Program(const std::vector<std::string>& args, const fs::path& home) {
        int input[2], output[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input) == 0);
        REQUIRE(::pipe2(output, O_CLOEXEC) == 0);
        const std::string err_file = (home / "stderr.txt").string();
        std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=" + home.string(), "XDG_DATA_HOME=" + home.string(),
                                        "TZ=UTC", std::string("CERTDRILL_NOW=") + kNow};
        std::vector<std::string> argv = {CERTDRILL_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::dup2(input[1], 0);
            ::dup2(output[1], 1);
            int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (err >= 0) ::dup2(err, 2);
            std::vector<char*> a, e;
            for (auto& s : argv) a.push_back(s.data());
            a.push_back(nullptr);
            for (auto& s : env) e.push_back(s.data());
            e.push_back(nullptr);
            ::execve(a[0], a.data(), e.data());
            ::_exit(127);
        }
        ::close(input[1]);
        ::close(output[1]);
        in_ = input[0];
        out_ = output[0];
    }
    ~Program() {
        if (in_ >= 0) ::close(in_);
        if (out_ >= 0) ::close(out_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    void send(const std::string& line) {
        const std::string text = line + "\n";
        REQUIRE(::send(in_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
    }

    // Reads until the output seen since `from` satisfies `done`, or the program closes its output.
    // Returns false on end of output.
    bool read_until(std::size_t from, const std::function<bool(std::string_view)>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!done(std::string_view(output_).substr(std::min(from, output_.size())))) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                    .count();
            REQUIRE_MESSAGE(left > 0, "no answer from certdrill; output so far:\n" << output_);
            pollfd p{out_, POLLIN, 0};
            int ready = ::poll(&p, 1, static_cast<int>(left));
            if (ready < 0 && errno == EINTR) continue;
            REQUIRE(ready >= 0);
            if (ready == 0) continue;
            char buf[4096];
            ssize_t n = ::read(out_, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            output_.append(buf, static_cast<std::size_t>(n));
        }
        return true;
    }

    // Closes the input, reads everything left and returns the exit status.
    int finish() {
        ::close(in_);
        in_ = -1;
        read_until(output_.size(), [](std::string_view) { return false; });
        int status = 0;
        REQUIRE(::waitpid(pid_, &status, 0) == pid_);
        pid_ = -1;
        REQUIRE(WIFEXITED(status));
        return WEXITSTATUS(status);
    }

    const std::string& output() const { return output_; }

private:
    pid_t pid_ = -1;
    int in_ = -1;
    int out_ = -1;
    std::string output_;
};

const Library& fixture_library() {
    static const Library lib = [] {
        decks::Diagnostics found;
        auto files = decks::collect_deck_files({kData / "fixture-exam", kData / "fixture-decks"}, found);
        return decks::load_files(files).library;
    }();
    return lib;
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The item the program shows last in `text`: its card and the options in screen order.
struct Screen {
    const Card* card = nullptr;
    std::vector<int> order;  // file index of the option shown as A, B, ...

    std::string right_letters() const {
        std::string out;
        for (std::size_t k = 0; k < order.size(); ++k)
            if (card->options[static_cast<std::size_t>(order[k])].correct) out += static_cast<char>('A' + k);
        return out;
    }
    std::string wrong_letters() const {
        std::string out;
        for (std::size_t k = 0; k < order.size() && static_cast<int>(out.size()) < card->choose; ++k)
            if (!card->options[static_cast<std::size_t>(order[k])].correct) out += static_cast<char>('A' + k);
        return out;
    }
    // Screen letters as the store keeps them: option letters of the deck file, sorted.
    std::string file_letters(const std::string& screen) const {
        std::string out;
        for (char c : screen) out += static_cast<char>('A' + order[static_cast<std::size_t>(c - 'A')]);
        std::sort(out.begin(), out.end());
        return out;
    }
};

Screen last_item(const std::string& output) {
    const auto at = output.rfind("\nTEST | ");
    REQUIRE(at != std::string::npos);
    const auto lines = lines_of(std::string_view(output).substr(at + 1));
    REQUIRE(lines.size() >= 2);
    Screen s;
    const bool flashcard = lines[0].find("| flashcard") != std::string::npos;
    for (const auto& c : fixture_library().cards)
        if ((flashcard ? c.front : c.stem) == lines[1]) s.card = &c;
    REQUIRE_MESSAGE(s.card, "unknown item: " << lines[1]);
    for (std::size_t i = 2; i < lines.size() && lines[i].size() > 3 && lines[i][1] == ')'; ++i) {
        const std::string text = lines[i].substr(3);
        int index = -1;
        for (std::size_t k = 0; k < s.card->options.size(); ++k)
            if (s.card->options[k].text == text) index = static_cast<int>(k);
        REQUIRE_MESSAGE(index >= 0, "unknown option: " << lines[i]);
        s.order.push_back(index);
    }
    if (!flashcard) REQUIRE(s.order.size() == s.card->options.size());
    return s;
}

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool at_prompt(std::string_view text) {
    return ends_with(text, "Your answer:\n") || ends_with(text, "Press Enter to show the back.\n") ||
           ends_with(text, "Your grade:\n");
}

std::vector<std::string> common_args(const TempDir& dir) {
    return {"--db",    (dir.path / "progress.db").string(), "--decks", (kData / "fixture-exam").string(),
            "--decks", (kData / "fixture-decks").string(),  "--seed",  "7"};
}

struct Expected {
    std::string card_id;
    std::string chosen;  // file letters
    bool correct;
};

}  // namespace

TEST_SUITE("plain mode") {
    TEST_CASE("a plain study session: answers, a re-asked line, undo and quit") {
        TempDir dir;
        auto args = common_args(dir);
        for (const char* a : {"study", "--exam", "testexam", "--plain"}) args.emplace_back(a);
        Program p(args, dir.path);
        std::vector<Expected> expected;

        // Shows the next question, grading any flashcard on the way as Good.
        auto next_question = [&]() {
            while (true) {
                REQUIRE(p.read_until(0, at_prompt));
                const std::string& out = p.output();
                if (ends_with(out, "Your answer:\n")) return last_item(out);
                if (ends_with(out, "Press Enter to show the back.\n")) {
                    p.send("");
                } else {
                    expected.push_back({last_item(out).card->id, "", true});
                    p.send("3");
                }
                // Wait for the program to take the line before looking again.
                const std::size_t mark = p.output().size();
                REQUIRE(p.read_until(mark, [](std::string_view t) { return !t.empty() && at_prompt(t); }));
            }
        };
        auto answer = [&](const Screen& s, bool right) {
            const std::string letters = right ? s.right_letters() : s.wrong_letters();
            const std::size_t mark = p.output().size();
            p.send(letters);
            REQUIRE(p.read_until(
                mark, [](std::string_view t) { return t.find("Next review in ") != std::string_view::npos; }));
            REQUIRE(p.read_until(mark, at_prompt));
            const std::string reply = p.output().substr(mark);
            if (right) {
                CHECK(reply.rfind("Correct\n", 0) == 0);
            } else {
                CHECK(reply.rfind("Incorrect: the answer is " + s.right_letters() + "\n", 0) == 0);
                CHECK(reply.find("Correct\n") == std::string::npos);
            }
            expected.push_back({s.card->id, s.file_letters(letters), right});
            return reply;
        };

        // An unrecognised line is explained and asked again; nothing is stored.
        Screen first = next_question();
        {
            const std::size_t mark = p.output().size();
            p.send("zz");
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            const std::string reply = p.output().substr(mark);
            CHECK((reply.find("Type one letter from A to D") != std::string::npos ||
                   reply.find("letters, e.g. AC") != std::string::npos));
            CHECK(reply.find("Correct") == std::string::npos);
            CHECK(reply.find("TEST | ") == std::string::npos);  // still the same item
        }
        answer(first, true);
        Screen second = next_question();
        answer(second, false);
        Screen third = next_question();
        answer(third, true);

        // Undo at the next item: the third answer is taken back and its card shown again.
        {
            REQUIRE(at_prompt(p.output()));
            const std::size_t mark = p.output().size();
            p.send("u");
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            CHECK(p.output().substr(mark).rfind("Undid the last answer.\n", 0) == 0);
        }
        expected.pop_back();
        Screen again = last_item(p.output());
        CHECK(again.card == third.card);
        answer(again, false);

        // A suspension is undone like an answer, and said to be: the suspended item is back.
        {
            Screen suspended = next_question();
            const std::size_t mark = p.output().size();
            p.send("s");
            REQUIRE(p.read_until(mark, [](std::string_view t) { return !t.empty() && at_prompt(t); }));
            const std::size_t undo_mark = p.output().size();
            p.send("u");
            REQUIRE(p.read_until(undo_mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            CHECK(p.output().substr(undo_mark).rfind("Undid the suspension.\n", 0) == 0);
            CHECK(last_item(p.output()).card == suspended.card);
        }

        REQUIRE(at_prompt(p.output()));
        p.send("q");
        CHECK(p.finish() == 0);
        const std::string& out = p.output();
        const int right = static_cast<int>(
            std::count_if(expected.begin(), expected.end(), [](const Expected& e) { return e.correct; }));
        CHECK(out.find("Session summary\nAnswered: " + std::to_string(expected.size()) +
                       ", correct: " + std::to_string(right)) != std::string::npos);
        CHECK(out.find("Missed:\n") != std::string::npos);
        CHECK(out.find("  " + second.card->id + ": " + second.card->stem) != std::string::npos);
        CHECK(out.find("  " + third.card->id + ": " + third.card->stem) != std::string::npos);

        // The database holds exactly the answers given, in order, the undone one removed.
        store::ProgressStore db(dir.path / "progress.db");
        const auto reviews = db.reviews();
        REQUIRE(reviews.size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            CAPTURE(i);
            CHECK(reviews[i].card_id == expected[i].card_id);
            CHECK(reviews[i].chosen == expected[i].chosen);
            CHECK(reviews[i].correct == expected[i].correct);
            CHECK(reviews[i].mode == "study");
            CHECK(reviews[i].at == *parse_iso8601(kNow));
        }
        CHECK(db.card(third.card->id)->memory.state == fsrs::State::Learning);
    }

    TEST_CASE("a plain mock exam gives no feedback until the score, pass or fail and domain scores") {
        TempDir dir;
        auto args = common_args(dir);
        for (const char* a : {"exam", "testexam", "--plain"}) args.emplace_back(a);
        Program p(args, dir.path);
        std::map<std::string, std::pair<int, int>> per_domain;  // right, items
        // The confirmation first: item count and time.
        REQUIRE(p.read_until(0, [](std::string_view t) { return ends_with(t, "q cancels:\n"); }));
        CHECK(p.output().find("  10 items\n  20 minutes\n") != std::string::npos);
        std::size_t mark = p.output().size();
        p.send("");
        // Items 1-5 right, 6-10 wrong: 50%, below the 70% mark.
        for (int i = 0; i < 10; ++i) {
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            const std::string& out = p.output();
            CHECK(out.find("\nTEST | item " + std::to_string(i + 1) + " of 10 | 20 min left") != std::string::npos);
            Screen s = last_item(out);
            const bool right = i < 5;
            per_domain[s.card->domain_id].first += right;
            ++per_domain[s.card->domain_id].second;
            mark = out.size();
            p.send(right ? s.right_letters() : s.wrong_letters());
        }
        CHECK(p.finish() == 0);
        const std::string& out = p.output();
        const auto result = out.find("\nResult: TEST mock exam\n");
        REQUIRE(result != std::string::npos);
        const std::string before = out.substr(0, result);
        CHECK(before.find("Correct") == std::string::npos);
        CHECK(before.find("Incorrect") == std::string::npos);
        CHECK(before.find("Explanation for") == std::string::npos);
        const std::string after = out.substr(result);
        CHECK(after.find("\nFAIL\nScore: 5 of 10 correct (50.0%); pass mark 70%\n") != std::string::npos);
        CHECK(after.find("Items answered: 10 of 10\n") != std::string::npos);
        CHECK(after.find("PASS") == std::string::npos);
        CHECK(per_domain.at("d1").second == 6);
        CHECK(per_domain.at("d2").second == 4);
        for (const auto& [id, name] :
             std::map<std::string, std::string>{{"d1", "First Domain"}, {"d2", "Second Domain"}}) {
            const auto [right, items] = per_domain.at(id);
            const int percent = static_cast<int>(100.0 * right / items + 0.5);
            CHECK(after.find("  " + id + " " + name + ": " + std::to_string(percent) + "% (" + std::to_string(right) +
                             " of " + std::to_string(items) + ")\n") != std::string::npos);
        }
        // Every item is reviewed, the right ones too, with the chosen and the right option.
        CHECK(after.find("Review of every item") != std::string::npos);
        for (int i = 1; i <= 10; ++i)
            CHECK(after.find("\n" + std::to_string(i) + ". " + (i <= 5 ? "right" : "wrong") + "\n") != std::string::npos);

        store::ProgressStore db(dir.path / "progress.db");
        const auto attempts = db.attempts("testexam");
        REQUIRE(attempts.size() == 1);
        CHECK(attempts[0].score_percent == doctest::Approx(50.0));
        CHECK(attempts[0].passed == false);
        const auto reviews = db.reviews();
        CHECK(reviews.size() == 10);
        for (const auto& r : reviews) CHECK(r.mode == "exam");
    }

    TEST_CASE("a plain mock exam answered all right passes") {
        TempDir dir;
        auto args = common_args(dir);
        for (const char* a : {"exam", "testexam", "--plain", "--items", "4"}) args.emplace_back(a);
        Program q(args, dir.path);
        REQUIRE(q.read_until(0, [](std::string_view t) { return ends_with(t, "q cancels:\n"); }));
        CHECK(q.output().find("  8 minutes (the exam's time, pro rata)\n") != std::string::npos);
        std::size_t at = q.output().size();
        q.send("");
        for (int i = 0; i < 4; ++i) {
            REQUIRE(q.read_until(at, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            at = q.output().size();
            q.send(last_item(q.output()).right_letters());
        }
        CHECK(q.finish() == 0);
        CHECK(q.output().find("\nPASS\nScore: 4 of 4 correct (100.0%); pass mark 70%\n") != std::string::npos);
    }

    TEST_CASE("a plain mock exam cut off mid-way is offered again, resumed and finished, one abandoned leaves nothing") {
        TempDir dir;
        auto args = common_args(dir);
        for (const char* a : {"exam", "testexam", "--plain"}) args.emplace_back(a);
        auto answer_until_prompt = [](Program& p, std::size_t& mark) {
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            mark = p.output().size();
            p.send(last_item(p.output()).right_letters());
        };
        std::vector<std::string> first_three;
        {
            Program p(args, dir.path);
            REQUIRE(p.read_until(0, [](std::string_view t) { return ends_with(t, "q cancels:\n"); }));
            std::size_t mark = p.output().size();
            p.send("");
            for (int i = 0; i < 3; ++i) {
                answer_until_prompt(p, mark);
                first_three.push_back(last_item(p.output()).card->id);
            }
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            CHECK(p.finish() == 0);  // input ends: a dropped session
            CHECK(p.output().find("Input ended: the exam is kept") != std::string::npos);
        }
        {
            store::ProgressStore db(dir.path / "progress.db");
            REQUIRE(db.attempts("testexam").size() == 1);
            CHECK_FALSE(db.attempts("testexam")[0].finished_at);
            CHECK(db.reviews().empty());  // nothing feeds the scheduler before submission
        }
        {
            Program p(args, dir.path);
            REQUIRE(p.read_until(0, [](std::string_view t) { return ends_with(t, "start a new one:\n"); }));
            CHECK(p.output().find("An interrupted TEST mock exam") != std::string::npos);
            CHECK(p.output().find("3 answered, 20m 00s left") != std::string::npos);
            std::size_t mark = p.output().size();
            p.send("r");
            for (int i = 3; i < 10; ++i) answer_until_prompt(p, mark);
            CHECK(p.finish() == 0);
            CHECK(p.output().find("\nPASS\nScore: 10 of 10 correct (100.0%)") != std::string::npos);
        }
        {
            Program p(args, dir.path);
            REQUIRE(p.read_until(0, [](std::string_view t) { return ends_with(t, "q cancels:\n"); }));
            std::size_t mark = p.output().size();
            p.send("");
            answer_until_prompt(p, mark);
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "Your answer:\n"); }));
            mark = p.output().size();
            p.send("q");
            REQUIRE(p.read_until(mark, [](std::string_view t) { return ends_with(t, "n continue:\n"); }));
            p.send("a");
            CHECK(p.finish() == 0);
            CHECK(p.output().find("Abandoned: nothing of this exam was recorded.") != std::string::npos);
        }
        store::ProgressStore db(dir.path / "progress.db");
        CHECK(db.attempts("testexam").size() == 1);  // the finished one only
        CHECK(db.reviews().size() == 10);
    }

    TEST_CASE("the CISSP mock exam is adaptive in plain mode: no domain shown, ends by its rules, ISC2-style result") {
        TempDir dir;
        Program p({"--db", (dir.path / "progress.db").string(), "--seed", "5", "exam", "cissp", "--plain", "--items",
                   "30"},
                  dir.path);
        REQUIRE(p.read_until(0, [](std::string_view t) { return ends_with(t, "q cancels:\n"); }));
        CHECK(p.output().find("Mock exam: CISSP (adaptive)") != std::string::npos);
        CHECK(p.output().find("  Adaptive: 20 to 30 items, 5 of them unscored") != std::string::npos);
        CHECK(p.output().find("  36 minutes (the exam's time, pro rata)") != std::string::npos);
        std::size_t mark = p.output().size();
        p.send("");
        int items = 0;
        while (p.read_until(mark, [](std::string_view t) {
            return ends_with(t, "Your answer:\n") || t.find("\nResult: ") != std::string_view::npos;
        })) {
            const std::string& out = p.output();
            if (!ends_with(out, "Your answer:\n")) break;
            const auto header = out.rfind("\nCISSP | item ");
            REQUIRE(header != std::string::npos);
            const std::string line = out.substr(header + 1, out.find('\n', header + 1) - header - 1);
            CHECK(line.find(" of ") == std::string::npos);  // no total: the length is adaptive
            CHECK(line.find(" d1") == std::string::npos);   // no domain
            mark = out.size();
            p.send(items % 2 == 0 ? "A" : "AB");  // whatever fits: single or choose-two items
            ++items;
            REQUIRE(items <= 40);
        }
        CHECK(p.finish() == 0);
        const std::string& out = p.output();
        CHECK(items >= 20);
        CHECK(items <= 30 + 10);  // a few malformed lines were asked again
        CHECK((out.find("\nPASS\n") != std::string::npos || out.find("\nFAIL\n") != std::string::npos));
        CHECK(out.find("certdrill's ability estimate") != std::string::npos);
        CHECK(out.find("unscored pretest items") != std::string::npos);
    }

    TEST_CASE("stats --json on an empty database lists every built-in exam's domains with card counts") {
        TempDir dir;
        Program p({"--db", (dir.path / "progress.db").string(), "stats", "--json"}, dir.path);
        CHECK(p.finish() == 0);
        const json root = json::parse(p.output());

        // What the built-in decks hold, loaded the way the program loads them.
        decks::Diagnostics found;
        const auto files = decks::collect_deck_files(app::builtin_deck_dirs(CERTDRILL_BINARY), found);
        const auto builtin = decks::load_files(files, {{}, false}).library;
        REQUIRE(builtin.exams.size() >= 4);

        REQUIRE(root.at("exams").is_array());
        std::set<std::string> listed;
        for (const auto& e : root.at("exams")) {
            for (const char* key : {"id", "readiness", "passing", "domains"}) CHECK_MESSAGE(e.contains(key), key);
            const std::string id = e.at("id");
            listed.insert(id);
            CAPTURE(id);
            const Exam* exam = builtin.exam(id);
            REQUIRE(exam);
            CHECK(e.at("readiness").get<double>() == doctest::Approx(0.40));  // nothing answered: the prior
            CHECK(e.at("passing").get<double>() == doctest::Approx(exam->format.passing_percent / 100.0));
            const auto& domains = e.at("domains");
            REQUIRE(domains.size() == exam->domains.size());
            std::size_t total = 0;
            for (std::size_t i = 0; i < domains.size(); ++i) {
                const auto& d = domains[i];
                for (const char* key :
                     {"id", "name", "weight", "cards", "seen", "reviews", "correct", "mastery", "due_now"})
                    CHECK_MESSAGE(d.contains(key), key);
                const Domain& expected = exam->domains[i];
                CAPTURE(expected.id);
                CHECK(d.at("id") == expected.id);
                CHECK(d.at("name") == expected.name);
                CHECK(d.at("weight").get<double>() == doctest::Approx(exam->effective_weight(expected)).epsilon(0.001));
                std::size_t cards = 0;
                for (const auto& c : builtin.cards)
                    if (c.exam_id == id && c.domain_id == expected.id) ++cards;
                CHECK(d.at("cards").get<std::size_t>() == cards);
                CHECK(cards > 0);
                total += cards;
                CHECK(d.at("seen") == 0);
                CHECK(d.at("reviews") == 0);
                CHECK(d.at("correct") == 0);
                CHECK(d.at("due_now") == 0);
                CHECK(d.at("mastery").get<double>() == doctest::Approx(0.40));
            }
            CHECK(e.at("cards").get<std::size_t>() == total);
        }
        std::set<std::string> expected_ids;
        for (const auto& e : builtin.exams) expected_ids.insert(e.id);
        CHECK(listed == expected_ids);
        for (const char* id : {"cissp", "cism", "gslc", "issmp"}) CHECK(listed.count(id));
        CHECK(root.at("totals").at("reviews") == 0);
    }
}

}  // namespace test_plain_mode
