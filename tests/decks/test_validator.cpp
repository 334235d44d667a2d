#include <doctest/doctest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "cli/validate_command.hpp"
#include "decks/loader.hpp"

namespace fs = std::filesystem;
using namespace certdrill;

namespace {

const fs::path kData = CERTDRILL_TEST_DATA;
const fs::path kFixtureExam = kData / "fixture-exam";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs the validate command on one file against the fixture blueprint, with paths shown
// relative to the test data folder as in the .expected files.
std::pair<int, std::string> validate(const fs::path& file) {
    std::ostringstream out, err;
    int status = cli::validate_command({file}, {kFixtureExam}, out, err);
    std::string text = out.str() + err.str();
    // Paths are shown relative to the working directory when under it, else as given.
    std::error_code ec;
    const std::string relative = fs::relative(kData, fs::current_path(), ec).string() + "/";
    for (const std::string& prefix : {kData.string() + "/", relative}) {
        if (prefix.rfind("..", 0) == 0) continue;
        for (auto pos = text.find(prefix); pos != std::string::npos; pos = text.find(prefix))
            text.erase(pos, prefix.size());
    }
    return {status, text};
}

using certdrill::testing::TempDir;

const char* kValidDeck = R"JSON({
  "format_version": 1, "kind": "deck", "id": "valid", "title": "Valid", "exam": "testexam",
  "author": "a", "version": "1", "license": "MIT",
  "cards": [
    {"id": "v.q1", "type": "single", "domain": "d1", "topics": ["1.1", "scenario"], "difficulty": 2,
     "stem": "Which control is *preventive*?",
     "options": [{"text": "A door lock"}, {"text": "A camera", "reason": "Cameras detect."},
                 {"text": "A log review", "reason": "Reviews detect."}, {"text": "A backup", "reason": "Backups recover."}],
     "answer": "A", "explanation": "Locks stop entry before it happens."},
    {"id": "v.q2", "type": "multi", "choose": 2, "domain": "d2", "topics": ["2.1"],
     "stem": "Which two are detective controls? (Choose two.)",
     "options": [{"text": "An IDS"}, {"text": "Audit log review"}, {"text": "A fence", "reason": "Fences deter and prevent."},
                 {"text": "Encryption", "reason": "Encryption prevents disclosure."}],
     "answer": ["A", "B"], "explanation": "Both find events after they start."},
    {"id": "v.f1", "type": "flashcard", "domain": "d1", "front": "SLE", "back": "Single loss expectancy = AV x EF."}
  ]
})JSON";

}  // namespace

TEST_SUITE("decks") {
    TEST_CASE("each malformed deck gives exactly the expected diagnostics") {
        int checked = 0;
        for (const auto& entry : fs::directory_iterator(kData / "malformed")) {
            if (entry.path().extension() != ".json") continue;
            fs::path expected_file = entry.path();
            expected_file.replace_extension(".expected");
            REQUIRE_MESSAGE(fs::exists(expected_file), expected_file.string());
            CAPTURE(entry.path().filename().string());
            auto [status, output] = validate(entry.path());
            const std::string expected = read_file(expected_file);
            CHECK(output == expected);
            // Files whose expected output has an error must fail; the warnings-only one passes.
            CHECK(status == (expected.find(": error: ") != std::string::npos ? 1 : 0));
            ++checked;
        }
        CHECK(checked >= 10);
    }

    TEST_CASE("a valid deck loads with its cards and no diagnostics") {
        TempDir dir;
        auto file = dir.write("valid.json", kValidDeck);
        auto result = decks::load_files({file}, {{kFixtureExam / "exam.json"}});
        CHECK(result.diagnostics.items.empty());
        REQUIRE(result.library.cards.size() == 3);
        const Card& multi = result.library.cards[1];
        CHECK(multi.type == CardType::Multi);
        CHECK(multi.choose == 2);
        CHECK(multi.options[0].correct);
        CHECK(multi.options[1].correct);
        CHECK_FALSE(multi.options[2].correct);
        CHECK(multi.options[2].reason == "Fences deter and prevent.");
        CHECK(result.library.cards[0].topics == std::vector<std::string>{"1.1", "scenario"});
        CHECK(result.library.cards[0].line == 5);
        REQUIRE(result.summaries.size() == 1);
        CHECK(decks::summary_line(result.summaries[0], 0, 0) ==
              file.string() + ": ok: deck valid (testexam): 3 cards: 1 single, 1 multi, 1 flashcard; d1 2, d2 1");
    }

    TEST_CASE("a question's skill is read, and a wrong skill or one on a flashcard is an error") {
        TempDir dir;
        std::string deck = kValidDeck;
        deck.replace(deck.find("\"difficulty\": 2,"), 16, "\"difficulty\": 2, \"skill\": \"judgement\",");
        auto good = decks::load_files({dir.write("good.json", deck)}, {{kFixtureExam / "exam.json"}});
        CHECK(good.diagnostics.items.empty());
        REQUIRE(good.library.cards.size() == 3);
        CHECK(good.library.cards[0].skill == Skill::Judgement);
        CHECK(good.library.cards[1].skill == Skill::Unknown);

        std::string typo = kValidDeck;
        typo.replace(typo.find("\"difficulty\": 2,"), 16, "\"difficulty\": 2, \"skill\": \"judgment\",");
        auto bad = decks::load_files({dir.write("typo.json", typo)}, {{kFixtureExam / "exam.json"}});
        REQUIRE(bad.diagnostics.error_count() == 1);
        CHECK(bad.diagnostics.items[0].message == "unknown skill 'judgment'");

        std::string flash = kValidDeck;
        flash.replace(flash.find("\"type\": \"flashcard\","), 21, "\"type\": \"flashcard\", \"skill\": \"recall\",");
        auto on_flashcard = decks::load_files({dir.write("flash.json", flash)}, {{kFixtureExam / "exam.json"}});
        CHECK(on_flashcard.diagnostics.error_count() == 1);
    }

    TEST_CASE("duplicate ids across files are reported at the later card") {
        TempDir dir;
        auto a = dir.write("a.json", kValidDeck);
        std::string copy = kValidDeck;
        copy.replace(copy.find("\"id\": \"valid\""), 13, "\"id\": \"other\"");
        auto b = dir.write("b.json", copy);
        auto result = decks::load_files({a, b}, {{kFixtureExam / "exam.json"}});
        CHECK(result.diagnostics.error_count() == 3);
        for (const auto& d : result.diagnostics.items) {
            if (d.severity != decks::Severity::Error) continue;
            CHECK(d.file == b.string());
            CHECK(d.message.find("duplicate card id: already defined at " + a.string()) == 0);
        }
        CHECK(result.library.cards.size() == 3);
    }

    TEST_CASE("a duplicate id in a deck written on one line drops only the later card") {
        // Tools that write JSON without indenting put every card on line 1.
        TempDir dir;
        std::string deck = kValidDeck;
        const std::string second = "\"id\": \"v.q2\"";
        deck.replace(deck.find(second), second.size(), "\"id\": \"v.q1\"");
        std::replace(deck.begin(), deck.end(), '\n', ' ');
        auto file = dir.write("one-line.json", deck);
        auto result = decks::load_files({file}, {{kFixtureExam / "exam.json"}});
        REQUIRE(result.diagnostics.error_count() == 1);
        const auto& error = result.diagnostics.items[0];
        CHECK(error.line == 1);
        const auto first_column = deck.find("{\"id\": \"v.q1\"") + 1;
        CHECK(error.column > static_cast<int>(first_column));
        CHECK(error.message == "duplicate card id: already defined at " + file.string() + ":1:" +
                                   std::to_string(first_column));
        REQUIRE(result.library.cards.size() == 2);
        CHECK(result.library.cards[0].id == "v.q1");
        CHECK(result.library.cards[0].type == CardType::Single);
        CHECK(result.library.cards[1].id == "v.f1");
        REQUIRE(result.summaries.size() == 1);
        CHECK(result.summaries[0].cards == 2);
    }

    TEST_CASE("a file whose read fails is reported as unreadable, not as empty") {
        // /proc/self/mem has a size of 0 and fails with an I/O error when read at offset 0.
        auto result = decks::load_files({"/proc/self/mem"});
        REQUIRE(result.diagnostics.items.size() == 1);
        CHECK(result.diagnostics.items[0].message == "cannot read file: a read failed part way");
        CHECK(result.library.cards.empty());
    }

    TEST_CASE("an unknown exam in a deck names the problem and the fix") {
        TempDir dir;
        auto file = dir.write("deck.json", kValidDeck);
        auto result = decks::load_files({file});
        REQUIRE(result.diagnostics.items.size() == 1);
        CHECK(decks::format(result.diagnostics.items[0]) ==
              file.string() +
                  ":2:73: error: (/exam): unknown exam 'testexam': no blueprint with that id was loaded [hint: add the "
                  "exam's "
                  "blueprint (exam.json) to the checked paths, or fix the id]");
    }

    TEST_CASE("hostile inputs never crash the loader") {
        TempDir dir;
        SUBCASE("deep nesting") {
            auto file = dir.write("deep.json", std::string(200000, '[') + std::string(200000, ']'));
            auto result = decks::load_files({file});
            REQUIRE(result.diagnostics.items.size() == 1);
            CHECK(result.diagnostics.items[0].message == "nesting deeper than 64 levels");
        }
        SUBCASE("100 MB file is refused by size") {
            fs::path file = dir.path / "huge.json";
            std::ofstream(file).close();
            fs::resize_file(file, 100ull * 1024 * 1024);
            auto result = decks::load_files({file});
            REQUIRE(result.diagnostics.items.size() == 1);
            CHECK(result.diagnostics.items[0].message == "file is 100 MB; decks are limited to 64 MB");
        }
        SUBCASE("a 10 MB deck loads") {
            std::string deck = R"({"format_version": 1, "kind": "deck", "id": "big", "title": "t", "exam": "testexam",
                "author": "a", "version": "1", "license": "MIT", "cards": [)";
            for (int i = 0; i < 5000; ++i) {
                if (i) deck += ',';
                deck += R"({"id": "b.f)" + std::to_string(i) +
                        R"(", "type": "flashcard", "domain": "d1", "front": "term )" + std::to_string(i) +
                        R"(", "back": ")" + std::string(1900, 'x') + "\"}";
            }
            deck += "]}";
            auto file = dir.write("big.json", deck);
            auto result = decks::load_files({file}, {{kFixtureExam / "exam.json"}});
            CHECK(result.diagnostics.items.empty());
            CHECK(result.library.cards.size() == 5000);
        }
        SUBCASE("random mutations of a valid deck") {
            std::mt19937 rng(12345);
            const std::string base = kValidDeck;
            const std::string alphabet = "{}[]\",:0123456789abcdeftrunl \n\\\x01\xff";
            for (int round = 0; round < 300; ++round) {
                std::string text = base;
                int edits = 1 + static_cast<int>(rng() % 6);
                for (int e = 0; e < edits; ++e) {
                    std::size_t pos = rng() % text.size();
                    switch (rng() % 3) {
                        case 0:
                            text.erase(pos, 1 + rng() % 8);
                            break;
                        case 1:
                            text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
                            break;
                        default:
                            text[pos] = alphabet[rng() % alphabet.size()];
                            break;
                    }
                }
                auto file = dir.write("mutant.json", text);
                auto result = decks::load_files({file}, {{kFixtureExam / "exam.json"}});
                for (const auto& d : result.diagnostics.items) {
                    CHECK(d.line >= 0);
                    CHECK_FALSE(d.message.empty());
                }
            }
        }
        SUBCASE("wrong types at the top level") {
            for (const char* text : {"[]", "42", "\"deck\"", "null", "{\"format_version\": \"1\"}",
                                     "{\"kind\": 5, \"format_version\": 1}"}) {
                auto file = dir.write("t.json", text);
                auto result = decks::load_files({file});
                CHECK(result.diagnostics.has_errors());
            }
        }
    }

    TEST_CASE("a missing path is an error, a directory is searched recursively") {
        TempDir dir;
        fs::create_directories(dir.path / "sub" / ".hidden");
        dir.write("sub/x.json", "{}");
        dir.write("sub/.hidden/y.json", "{}");
        dir.write("sub/notes.txt", "x");
        decks::Diagnostics diags;
        auto files = decks::collect_deck_files({dir.path, dir.path / "missing"}, diags);
        REQUIRE(files.size() == 1);
        CHECK(files[0].filename() == "x.json");
        REQUIRE(diags.items.size() == 1);
        CHECK(diags.items[0].message == "no such file or directory");
    }
}
