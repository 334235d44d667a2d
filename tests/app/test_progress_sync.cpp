#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "app/progress_sync.hpp"
#include "store/progress_store.hpp"

namespace test_progress_sync {

using namespace certdrill;
using certdrill::testing::fixture_library;
using certdrill::testing::TempDir;

namespace {

constexpr UnixMs kDay = kMsPerDay;
constexpr UnixMs kStart = 1'780'000'000'000;  // 2026-05-28

// One machine: a progress database and the scheduler that answers on it.
struct Machine {
    TempDir dir;
    store::ProgressStore store{dir.path / "progress.db"};
    fsrs::Scheduler scheduler;
    UnixMs now = kStart + 365 * kDay;  // after every answer the tests make

    app::Services services() {
        return app::Services{fixture_library(), store, scheduler, [this] { return now; }, utc_day_counter()};
    }

    // Answers as a study session does: the next state from the stored one.
    void answer(const std::string& card, UnixMs at, fsrs::Rating rating) {
        store::ReviewRecord r;
        r.card_id = card;
        r.at = at;
        r.rating = static_cast<int>(rating);
        r.correct = rating != fsrs::Rating::Again;
        r.chosen = r.correct ? "A" : "B";
        r.response_ms = 4200;
        const auto stored = store.card(card);
        r.before = stored ? stored->memory : fsrs::MemoryState{};
        const std::int64_t elapsed = r.before.last_review == 0 ? 0 : utc_day_counter().days_between(r.before.last_review, at);
        r.after = scheduler.next(r.before, rating, at, elapsed);
        store.record_review(r);
    }

    std::string exported() {
        std::ostringstream out;
        app::export_progress(store, out);
        return out.str();
    }

    app::ImportReport import(const std::string& text) {
        std::istringstream in(text);
        return app::import_progress(services(), in);
    }
};

}  // namespace

TEST_CASE("progress export writes one schema-shaped line per answer, oldest first") {
    Machine m;
    m.answer("t.q02", kStart + 2 * kDay, fsrs::Rating::Good);
    m.answer("t.q01", kStart, fsrs::Rating::Again);
    std::istringstream lines(m.exported());
    std::vector<nlohmann::json> rows;
    for (std::string line; std::getline(lines, line);) rows.push_back(nlohmann::json::parse(line));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["card"] == "t.q01");
    CHECK(rows[0]["rating"] == 1);
    CHECK(rows[0]["correct"] == false);
    CHECK(rows[0]["mode"] == "study");
    CHECK(rows[0]["ms"] == 4200);
    CHECK(rows[0]["chosen"] == "B");
    CHECK(rows[0]["at"] == "2026-05-28T20:26:40.000Z");
    CHECK(rows[0]["id"].get<std::string>().size() == 36);
    CHECK(rows[0]["id"] != rows[1]["id"]);
}

TEST_CASE("progress import merges two machines into the single-machine history, and twice adds nothing") {
    // The same answers given on one machine, in time order...
    Machine single;
    // ... and split between a laptop and a server.
    Machine laptop, server;
    struct Step {
        const char* card;
        UnixMs at;
        fsrs::Rating rating;
        Machine* where;
    };
    const std::vector<Step> steps = {
        {"t.q01", kStart, fsrs::Rating::Good, &laptop},          {"t.q01", kStart + kDay, fsrs::Rating::Again, &server},
        {"t.q02", kStart + kDay, fsrs::Rating::Good, &server},   {"t.q01", kStart + 3 * kDay, fsrs::Rating::Good, &laptop},
        {"t.q01", kStart + 9 * kDay, fsrs::Rating::Hard, &server}, {"t.q02", kStart + 12 * kDay, fsrs::Rating::Easy, &laptop},
    };
    for (const Step& s : steps) {
        single.answer(s.card, s.at, s.rating);
        s.where->answer(s.card, s.at, s.rating);
    }
    const app::ImportReport first = laptop.import(server.exported());
    CHECK(first.errors.empty());
    CHECK(first.added == 3);
    CHECK(first.already_present == 0);
    CHECK(first.cards_rebuilt == 2);
    CHECK(first.unknown_cards.empty());
    for (const char* card : {"t.q01", "t.q02"}) {
        CAPTURE(card);
        CHECK(laptop.store.card(card)->memory == single.store.card(card)->memory);
    }
    CHECK(laptop.store.reviews().size() == steps.size());
    // Every logged answer carries the states of the single-machine history, so undo stays exact.
    for (const auto& r : laptop.store.reviews("t.q01")) {
        const auto same = single.store.reviews("t.q01");
        const auto match = std::find_if(same.begin(), same.end(), [&](const auto& s) { return s.at == r.at; });
        REQUIRE(match != same.end());
        CHECK(r.before == match->before);
        CHECK(r.after == match->after);
    }

    const app::ImportReport again = laptop.import(server.exported());
    CHECK(again.added == 0);
    CHECK(again.already_present == 3);
    const app::ImportReport own = laptop.import(laptop.exported());
    CHECK(own.added == 0);
    CHECK(laptop.store.reviews().size() == steps.size());
    CHECK(laptop.store.card("t.q01")->memory == single.store.card("t.q01")->memory);
}

TEST_CASE("progress import keeps and reports answers to cards no deck has") {
    Machine m;
    const std::string line =
        R"({"id":"0B6F0C9E-5A1D-4C1E-9A53-2F4D6F1E8A77","card":"gone.q9","at":"2026-05-28T08:00:00Z","rating":3,"correct":true,"mode":"exam"})";
    const app::ImportReport report = m.import(line + "\n\n");
    CHECK(report.errors.empty());
    CHECK(report.added == 1);
    REQUIRE(report.unknown_cards == std::vector<std::string>{"gone.q9"});
    const auto log = m.store.reviews("gone.q9");
    REQUIRE(log.size() == 1);
    CHECK(log[0].uuid == "0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a77");
    CHECK(log[0].mode == "exam");
    CHECK(m.store.card("gone.q9")->memory.state != fsrs::State::New);
}

TEST_CASE("progress import changes nothing when any line is bad, and names each bad line") {
    Machine m;
    const std::string good =
        R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a77","card":"t.q01","at":"2026-05-28T08:00:00Z","rating":3,"correct":true,"mode":"study"})";
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"{", "invalid JSON"},
        {R"({"id":"x","card":"t.q01","at":"2026-05-28T08:00:00Z","rating":3,"correct":true,"mode":"study"})", "\"id\" must be a UUID"},
        {R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a70","card":"","at":"2026-05-28T08:00:00Z","rating":3,"correct":true,"mode":"study"})", "\"card\" must be"},
        {R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a71","card":"t.q01","at":"2024-02-31","rating":3,"correct":true,"mode":"study"})", "\"at\" must be"},
        {R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a72","card":"t.q01","at":"2026-05-28T08:00:00Z","rating":5,"correct":true,"mode":"study"})", "\"rating\" must be"},
        {R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a73","card":"t.q01","at":"2026-05-28T08:00:00Z","rating":3,"correct":true,"mode":"study","\u001b[2J":1})", "unknown field \"\\u001b[2J\""},
    };
    // Plain references rather than a structured binding: clang before 16 cannot capture a
    // binding in the lambda CAPTURE makes, and the sanitized build uses clang.
    for (const auto& entry : bad) {
        const std::string& line = entry.first;
        const std::string& message = entry.second;
        CAPTURE(line);
        const app::ImportReport report = m.import(good + "\n" + line + "\n");
        REQUIRE(report.errors.size() == 1);
        CHECK(report.errors[0].rfind("line 2: " + message, 0) == 0);
        CHECK(report.errors[0].find('\x1b') == std::string::npos);
        CHECK(report.added == 0);
        CHECK(m.store.reviews().empty());
    }
}

TEST_CASE("progress import refuses answers dated after now, which would keep their cards away until then") {
    Machine m;
    m.now = kStart;  // 2026-05-28
    const std::string next_day =
        R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a78","card":"t.q01","at":"2026-05-29T00:00:00Z","rating":3,"correct":true,"mode":"study"})";
    const std::string far =
        R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a79","card":"t.q01","at":"9999-12-31T00:00:00Z","rating":3,"correct":true,"mode":"study"})";
    const app::ImportReport refused = m.import(next_day + "\n" + far + "\n");
    CHECK(refused.from_the_future == 1);
    CHECK(refused.bad_lines == 0);  // the lines are fine; the clock is what to check
    REQUIRE(refused.errors.size() == 1);
    CHECK(refused.errors[0].find("0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a79") != std::string::npos);
    CHECK(refused.errors[0].find("later than now") != std::string::npos);
    CHECK(m.store.reviews().empty());
    CHECK(m.import(next_day + "\n").added == 1);  // within a day: clocks of two machines differ

    // An answer already here is skipped whatever its date: importing back one's own export adds
    // nothing and refuses nothing, even if it was recorded while this clock ran ahead.
    m.now = kStart + 400 * kDay;
    REQUIRE(m.import(far + "\n").from_the_future == 1);
    m.now = *parse_iso8601("9999-12-31T00:00:00Z");
    REQUIRE(m.import(far + "\n").added == 1);
    m.now = kStart;
    const app::ImportReport again = m.import(m.exported());
    CHECK(again.from_the_future == 0);
    CHECK(again.errors.empty());
    CHECK(again.added == 0);
}

TEST_CASE("answers from before 1970 are kept by import and read back like any other") {
    Machine m;
    const std::string early =
        R"({"id":"0b6f0c9e-5a1d-4c1e-9a53-2f4d6f1e8a7a","card":"t.q01","at":"1969-12-31T23:59:59Z","rating":3,"correct":true,"mode":"study"})";
    REQUIRE(m.import(early + "\n").added == 1);
    const auto log = m.store.reviews();
    REQUIRE(log.size() == 1);
    CHECK(log[0].at == -1000);
    CHECK(m.exported().find("1969-12-31T23:59:59") != std::string::npos);
}

}  // namespace test_progress_sync
