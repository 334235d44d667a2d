#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <fstream>
#include <random>
#include <sstream>

#include "../support/answers.hpp"
#include "../support/fixture_library.hpp"
#include "../support/temp_dir.hpp"
#include "../support/use_case_world.hpp"
#include "app/deck_selection.hpp"
#include "app/mock_exam_session.hpp"
#include "app/results.hpp"
#include "app/study_session.hpp"
#include "cli/class_report.hpp"
#include "cli/results_json.hpp"
#include "core/grading.hpp"
#include "core/item_analysis.hpp"
#include "core/text.hpp"
#include "store/progress_store.hpp"

namespace test_instructor {

using namespace certdrill;
namespace fs = std::filesystem;
using certdrill::testing::fixture_library;
using certdrill::testing::TempDir;

namespace {

using World = certdrill::testing::UseCaseWorld;

}  // namespace

TEST_SUITE("instructor") {
    TEST_CASE("sanitize strips bidirectional overrides and isolates as well as escape sequences") {
        CHECK(text::sanitize("pay \u202Eeulav\u202C now") == "pay eulav now");
        CHECK(text::sanitize("a\u2066b\u2069cd") == "abcd");
        CHECK(text::sanitize("\x1b[31mred\x1b[0m") == "red");
    }

    TEST_CASE("--deck keeps one deck's cards and its exam only, and names unknown decks") {
        const Library& lib = fixture_library();
        REQUIRE_FALSE(lib.decks.empty());
        const Library only = app::restrict_to_decks(lib, {lib.decks.front().id});
        CHECK(only.cards.size() == lib.cards.size());  // the fixture has one deck
        CHECK(only.exams.size() == 1);
        try {
            (void)app::restrict_to_decks(lib, {"no-such-deck"});
            FAIL("an unknown deck must be refused");
        } catch (const app::AppError& e) {
            CHECK(std::string(e.what()).find("no deck 'no-such-deck' is loaded; decks: " + lib.decks.front().id) == 0);
        }
    }

    TEST_CASE("a study answer records the chosen option by its deck letter and the time taken") {
        World w;
        app::StudyOptions so{"testexam", {}, 3, {}, 20, 5};
        app::StudySession session(w.services(), so);
        while (session.current() && !session.current()->card->is_question()) {
            session.grade_flashcard(fsrs::Rating::Good);
        }
        REQUIRE(session.current());
        const auto& item = *session.current();
        w.now += 7250;
        auto wrong = certdrill::testing::wrong_answer(item);
        session.answer(wrong);
        std::vector<int> file;
        for (int s : wrong) file.push_back(item.order.file_index(s));
        auto log = w.store.reviews(item.card->id);
        REQUIRE(log.size() == 1);
        CHECK(log[0].chosen == file_letters(file));
        CHECK(log[0].response_ms == 7250);
    }

    TEST_CASE("a mock exam records the time spent on each item over every visit") {
        World w;
        app::MockOptions mo;
        mo.exam_id = "testexam";
        mo.items = 3;
        mo.seed = 4;
        app::MockExamSession exam(w.services(), mo);
        w.now += 5000;
        exam.answer(certdrill::testing::right_answer(exam.current()));
        exam.next();
        w.now += 3000;
        exam.previous();  // back to the first item for two more seconds
        w.now += 2000;
        exam.next();
        w.now += 1000;
        exam.answer(certdrill::testing::wrong_answer(exam.current()));
        exam.submit();
        const auto items = w.store.attempt_items(exam.attempt_id());
        REQUIRE(items.size() == 3);
        CHECK(items[0].response_ms == 7000);
        CHECK(items[1].response_ms == 4000);
        for (const auto& r : w.store.reviews()) {
            if (r.card_id == items[0].card_id) CHECK(r.response_ms == 7000);
            if (r.card_id == items[1].card_id) CHECK(r.response_ms == 4000);
        }
    }

    TEST_CASE("results export round-trips through its JSON: answers, chosen letters, times, keys, mastery") {
        World w;
        {
            app::StudySession session(w.services(), app::StudyOptions{"testexam", {}, 6, {}, 20, 9});
            while (session.current()) {
                w.now += 4000;
                if (session.current()->card->is_question())
                    session.answer(certdrill::testing::right_answer(*session.current())), session.advance();
                else
                    session.grade_flashcard(fsrs::Rating::Good);
            }
        }
        const auto results = app::collect_results(w.services(), std::string("testexam"), {}, "Ada");
        REQUIRE(results.answers.size() == 6);
        const std::string json = cli::results_json(results);
        CHECK(json.find("\"learner\": \"Ada\"") != std::string::npos);
        auto file = w.dir.write("ada.json", json);
        std::string error;
        auto back = cli::read_results(file.string(), error);
        REQUIRE_MESSAGE(back, error);
        CHECK(back->learner == "Ada");
        REQUIRE(back->answers.size() == results.answers.size());
        for (std::size_t i = 0; i < back->answers.size(); ++i) {
            CHECK(back->answers[i].card_id == results.answers[i].card_id);
            CHECK(back->answers[i].chosen == results.answers[i].chosen);
            CHECK(back->answers[i].response_ms == 4000);
            CHECK(back->answers[i].at == results.answers[i].at);
        }
        REQUIRE(back->cards.size() == results.cards.size());
        for (const auto& c : back->cards) {
            const Card* card = fixture_library().card(c.id);
            REQUIRE(card);
            CHECK(c.answer == file_letters(correct_indices(*card)));
            CHECK(c.options == static_cast<int>(card->options.size()));
        }
        REQUIRE(back->exams.size() == 1);
        CHECK(back->exams[0].domains.size() == 2);
        CHECK(app::anonymous_learner(0xABCDEF).rfind("anonymous-", 0) == 0);
    }

    TEST_CASE("results files that are not ours are refused with the file and the problem") {
        TempDir dir;
        std::string error;
        CHECK_FALSE(cli::read_results(dir.write("a.json", "{ not json").string(), error));
        CHECK(error.find("a.json: error: not valid JSON") != std::string::npos);
        CHECK_FALSE(cli::read_results(dir.write("b.json", R"({"kind": "deck"})").string(), error));
        CHECK(error.find("not a certdrill results file") != std::string::npos);
        CHECK_FALSE(cli::read_results(
            dir.write("c.json", R"({"format": "certdrill-results", "format_version": 1, "learner": "x",
                                   "cards": [], "answers": [{"card": "q", "chosen": ["Z"], "correct": true,
                                   "ms": 1, "mode": "study", "at": "2026-01-01T00:00:00Z"}]})")
                .string(),
            error));
        CHECK(error.find("(/answers/0/chosen/0) an option letter A-H was expected") != std::string::npos);
        CHECK_FALSE(cli::read_results(
            dir.write("d.json", R"({"format": "certdrill-results", "format_version": 99})").string(), error));
        CHECK(error.find("newer certdrill") != std::string::npos);
    }
}

namespace {

// A class of simulated learners of spread ability answering 20 sound four-option items and one
// miskeyed item, whose deck says A while the defensible answer is B: able learners choose B and
// are marked wrong; weak ones guess and sometimes hit A.
std::vector<cli::LearnerResults> simulated_class(int learners) {
    std::mt19937_64 rng(20261204);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<app::ResultCard> cards;
    for (int i = 0; i < 20; ++i)
        cards.push_back({"t.q" + std::to_string(i), "testexam", "t", "d1", "single", 4, std::string(1, "ABCD"[i % 4])});
    cards.push_back({"t.miskeyed", "testexam", "t", "d1", "single", 4, "A"});
    std::vector<cli::LearnerResults> out;
    UnixMs at = 1'800'000'000'000;
    for (int l = 0; l < learners; ++l) {
        const double ability = -2.0 + 4.0 * l / (learners - 1);
        cli::LearnerResults r;
        r.learner = "learner-" + std::to_string(l);
        r.cards = cards;
        for (int i = 0; i <= 20; ++i) {
            const auto& card = cards[static_cast<std::size_t>(i)];
            const double difficulty = i == 20 ? 0.0 : -1.5 + 3.0 * i / 19;
            const bool knows = unit(rng) < 1.0 / (1.0 + std::exp(-(ability - difficulty) * 1.7));
            char chosen;
            if (i == 20)
                chosen = knows ? 'B' : "ACD"[rng() % 3];
            else
                chosen = knows ? card.answer[0] : "ABCD"[(card.answer[0] - 'A' + 1 + rng() % 3) % 4];
            const std::string letter(1, chosen);
            r.answers.push_back({card.id, letter, letter == card.answer, 20000 + static_cast<std::int64_t>(rng() % 9000),
                                 "study", at++});
            // A later retry, right after the feedback, must not count.
            r.answers.push_back({card.id, card.answer, true, 3000, "study", at++});
        }
        out.push_back(std::move(r));
    }
    return out;
}

const ItemStatistics& item(const cli::ClassReport& report, const std::string& id) {
    for (const auto& s : report.items)
        if (s.key.id == id) return s;
    FAIL("no item " << id);
    throw std::logic_error("unreachable");
}

bool flagged(const ItemStatistics& s, const std::string& flag) {
    return std::find(s.flags.begin(), s.flags.end(), flag) != s.flags.end();
}

}  // namespace

TEST_SUITE("class report") {
    TEST_CASE("a miskeyed item is flagged negative-discrimination, a sound item is not") {
        const auto report = cli::build_class_report(simulated_class(60));
        REQUIRE(report.items.size() == 21);
        const auto& bad = item(report, "t.miskeyed");
        CHECK(bad.n == 60);
        REQUIRE(bad.discrimination);
        CHECK(*bad.discrimination < -0.1);
        CHECK(flagged(bad, "negative-discrimination"));
        CHECK(bad.option_shares.at("B") > bad.option_shares.at("A"));
        const auto& sound = item(report, "t.q10");
        REQUIRE(sound.discrimination);
        CHECK(*sound.discrimination > 0.2);
        CHECK_FALSE(flagged(sound, "negative-discrimination"));
        // First answers only: the right retries would otherwise push every p to at least 0.5.
        CHECK(bad.p < 0.4);
        REQUIRE(sound.median_ms);
        CHECK(*sound.median_ms >= 20000);
    }

    TEST_CASE("too easy, too hard and dead distractors") {
        std::vector<LearnerResponses> learners;
        for (int l = 0; l < 25; ++l) {
            LearnerResponses r{"l" + std::to_string(l), {}};
            r.responses.push_back({"easy", "A", true, 1000});
            r.responses.push_back({"hard", l < 2 ? "A" : (l % 2 ? "B" : "C"), l < 2, 1000});
            r.responses.push_back({"mid", l % 2 ? "A" : (l % 4 ? "B" : "C"), l % 2 == 1, 1000});
            learners.push_back(r);
        }
        auto stats = analyse_items({{"easy", 4, "A", "x", "d1"}, {"hard", 4, "A", "x", "d1"}, {"mid", 4, "A", "x", "d1"}},
                                   learners);
        REQUIRE(stats.size() == 3);
        CHECK(flagged(stats[0], "too-easy"));
        CHECK(flagged(stats[1], "too-hard"));
        CHECK(flagged(stats[2], "dead-distractor"));  // nobody chose D
        CHECK_FALSE(flagged(stats[2], "too-easy"));
        CHECK(stats[2].option_shares.at("D") == 0.0);
        CHECK(stats[0].discrimination == std::nullopt);  // everyone right: undefined, not zero
        // Below 20 answers a distractor is not called dead.
        learners.resize(10);
        CHECK_FALSE(flagged(analyse_items({{"mid", 4, "A", "x", "d1"}}, learners)[0], "dead-distractor"));
    }

    TEST_CASE("the report's JSON keeps the documented shape, CSV and HTML carry the same items") {
        const auto report = cli::build_class_report(simulated_class(30));
        const auto json = nlohmann::json::parse(cli::class_report_json(report));
        REQUIRE(json["items"].size() == 21);
        const auto& first = json["items"][0];
        for (const char* key : {"id", "n", "p", "discrimination", "options", "flags"}) CHECK(first.contains(key));
        CHECK(first["options"].contains("D"));
        REQUIRE(json["learners"].size() == 30);
        CHECK(json["learners"][0]["learner"] == "learner-0");
        const std::string csv = cli::class_report_csv(report);
        CHECK(csv.rfind("id,exam,domain,n,p,discrimination,median_ms,key,A,B,C,D,E,F,G,H,flags\r\n", 0) == 0);
        CHECK(csv.find("t.miskeyed,testexam,d1,30,") != std::string::npos);
        const std::string html = cli::class_report_html(report);
        CHECK(html.find("<svg") != std::string::npos);
        CHECK(html.find("negative-discrimination") != std::string::npos);
        CHECK(html.find("http") == std::string::npos);  // nothing fetched
        std::ostringstream text;
        cli::print_class_report_text(report, text);
        CHECK(text.str().find("Class report: 30 learners, 21 items answered") == 0);
    }

    TEST_CASE("class report names a file that is not a results file and writes nothing") {
        TempDir dir;
        auto good = dir.write("good.json", cli::results_json(app::Results{}));
        auto bad = dir.write("bad.json", "[1, 2]");
        std::ostringstream out, err;
        cli::ClassReportOptions options{{good.string(), bad.string()}, (dir.path / "r.html").string(), {}, false};
        CHECK(cli::class_report_command(options, out, err) == 3);
        CHECK(err.str().find("bad.json: error: not a certdrill results file") != std::string::npos);
        CHECK_FALSE(fs::exists(dir.path / "r.html"));
    }
}

}  // namespace test_instructor
