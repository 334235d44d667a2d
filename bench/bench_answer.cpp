// CPU time of one study answer, including planning: StudySession::answer (grading, FSRS, the
// durable commit) and StudySession::advance (the planner's pick of the next card, the option
// shuffle), timed one answer at a time with the process CPU clock (user + system) inside one
// process, so the figure is not lost in the noise of whole-process totals.
//
// Not part of the default build: cmake -DCERTDRILL_BUILD_BENCH=ON, then
//   build/bench_answer DB EXAM ANSWERS DECK_DIR...
// The decks are those certdrill would load with `--decks DECK_DIR...` (the built-in ones too).
// DB is copied to a temporary directory first and left untouched; the copy counts as cleanly
// closed. CERTDRILL_NOW fixes the clock as for certdrill. scripts/bench_scale.py runs it on the
// imported database when it is built.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "app/environment.hpp"
#include "app/study_session.hpp"
#include "cli/runtime.hpp"

namespace {

using namespace certdrill;
namespace fs = std::filesystem;

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

struct Series {
    std::vector<double> ms;
    double total() const {
        double sum = 0;
        for (double m : ms) sum += m;
        return sum;
    }
    double percentile(double p) const {
        if (ms.empty()) return 0.0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
        return sorted[std::min(i, sorted.size() - 1)];
    }
    void print(const char* name) const {
        std::printf("%-28s mean %7.3f ms  median %7.3f ms  p90 %7.3f ms  max %7.3f ms\n", name,
                    ms.empty() ? 0.0 : total() / static_cast<double>(ms.size()), percentile(0.5), percentile(0.9),
                    percentile(1.0));
    }
};

int run(const fs::path& executable, const fs::path& db, const std::string& exam, int answers,
        const std::vector<fs::path>& extra_decks) {
    std::string pattern = (fs::temp_directory_path() / "certdrill-bench-answer-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        std::perror(pattern.c_str());
        return 1;
    }
    const fs::path dir = pattern;
    fs::copy_file(db, dir / "progress.db");
    // As a clean shutdown leaves it; without it the integrity check would run on opening.
    std::ofstream(dir / "progress.db.lock").close();
    const app::EnvLookup env = [](const char* name) -> std::optional<std::string> {
        if (const char* v = std::getenv(name)) return std::string(v);
        return std::nullopt;
    };
    const auto deck_dirs = app::deck_dirs(executable, env, extra_decks);
    int status = 0;
    {
        double start = cpu_ms();
        // The deck cache stays off: this measures answers, and a start reads the decks the same
        // way every time.
        cli::RuntimeOptions runtime_options;
        runtime_options.db = (dir / "progress.db").string();
        runtime_options.deck_dirs = deck_dirs;
        auto runtime = cli::Runtime::open(runtime_options, env, std::cerr);
        std::printf("open (decks, database)       %9.1f ms CPU, %zu cards\n", cpu_ms() - start,
                    runtime->library().cards.size());
        app::StudyOptions options;
        options.exam_id = exam;
        options.limit = answers;
        options.seed = 1;
        start = cpu_ms();
        app::StudySession session(runtime->services(), options);
        std::printf("study session start          %9.1f ms CPU\n", cpu_ms() - start);
        Series answer, advance, both;
        while (session.current() && static_cast<int>(both.ms.size()) < answers) {
            const double t0 = cpu_ms();
            if (session.current()->card->is_question())
                session.answer({0});
            else
                session.grade_flashcard(fsrs::Rating::Good);
            const double t1 = cpu_ms();
            session.advance();
            const double t2 = cpu_ms();
            answer.ms.push_back(t1 - t0);
            advance.ms.push_back(t2 - t1);
            both.ms.push_back(t2 - t0);
        }
        std::printf("answers timed                %9zu\n", both.ms.size());
        answer.print("answer (grade, commit)");
        advance.print("advance (plan next card)");
        both.print("CPU per answer incl. planning");
        if (static_cast<int>(both.ms.size()) < answers) {
            std::fprintf(stderr, "the session ended after %zu answers, not %d\n", both.ms.size(), answers);
            status = 1;
        }
        session.quit();
    }
    fs::remove_all(dir);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s DB EXAM ANSWERS DECK_DIR...\n", argv[0]);
        return 2;
    }
    const std::vector<fs::path> deck_dirs(argv + 4, argv + argc);
    try {
        return run(fs::absolute(argv[0]), argv[1], argv[2], std::max(1, std::atoi(argv[3])), deck_dirs);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
