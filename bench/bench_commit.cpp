// Durable commit latency of one answer (ProgressStore::record_review: BEGIN IMMEDIATE, card
// upsert, log insert, COMMIT with the WAL fsynced).
//
// Not part of the default build. Build and run by hand:
//   g++ -std=c++20 -O2 -Isrc bench/bench_commit.cpp src/store/*.cpp -lsqlite3 -o /tmp/bench_commit
//   /tmp/bench_commit [count] [directory...]      (defaults: 2000 answers, in /tmp and .)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "store/progress_store.hpp"

namespace {

using namespace certdrill;
namespace fs = std::filesystem;
using Micros = std::chrono::duration<double, std::micro>;

store::ReviewRecord make_answer(int i) {
    store::ReviewRecord r;
    r.card_id = "card-" + std::to_string(i % 500);  // a mix of new and existing cards
    r.at = 1'700'000'000'000 + i * 1000;
    r.rating = 1 + i % 4;
    r.chosen = "B";
    r.correct = i % 3 != 0;
    r.response_ms = 5000;
    r.after.state = fsrs::State::Review;
    r.after.stability = 3.5 + i;
    r.after.difficulty = 5.0;
    r.after.reps = i;
    return r;
}

double percentile(std::vector<double> sorted, double p) {
    const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

void run(const fs::path& directory, int count) {
    std::string pattern = (directory / "certdrill-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        std::perror(pattern.c_str());
        return;
    }
    const fs::path dir = pattern;
    std::vector<double> micros;
    micros.reserve(static_cast<std::size_t>(count));
    {
        store::ProgressStore progress(dir / "progress.db");
        for (int i = 0; i < count; ++i) {
            const auto answer = make_answer(i);
            const auto start = std::chrono::steady_clock::now();
            progress.record_review(answer);
            micros.push_back(Micros(std::chrono::steady_clock::now() - start).count());
        }
    }
    fs::remove_all(dir);

    double total = 0;
    for (double m : micros) total += m;
    std::sort(micros.begin(), micros.end());
    std::printf("%-24s n=%d  median %8.1f us  p99 %8.1f us  max %8.1f us  mean %8.1f us\n", directory.string().c_str(),
                count, percentile(micros, 0.5), percentile(micros, 0.99), micros.back(), total / count);
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
    std::vector<fs::path> directories;
    for (int i = 2; i < argc; ++i) directories.emplace_back(argv[i]);
    if (directories.empty()) directories = {fs::temp_directory_path(), fs::current_path()};
    try {
        for (const auto& directory : directories) run(directory, count);
    } catch (const store::StoreError& e) {
        std::fprintf(stderr, "%s\n%s\n", e.what(), e.fix().c_str());
        return 1;
    }
    return 0;
}
