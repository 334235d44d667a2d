#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "../support/builtin_decks.hpp"
#include "../support/temp_dir.hpp"
#include "cli/validate_command.hpp"
#include "decks/library_codec.hpp"
#include "decks/loader.hpp"

namespace test_validator {

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

// A deck file read twice: by the loader as it is (clean files without a JSON document) and with
// every file through the checking parser. Whatever the file holds, the two must agree exactly.
struct TwoReads {
    decks::LoadResult fast;
    decks::LoadResult checked;
    std::size_t read_fast = 0;  // files the fast read took
};

TwoReads read_both(const std::vector<fs::path>& files, decks::LoadOptions options = {}) {
    TwoReads out;
    decks::LoadCounts counts;
    out.fast = decks::load_files(files, options, &counts);
    out.read_fast = counts.decks_read_fast;
    options.fast_read = false;
    decks::LoadCounts none;
    out.checked = decks::load_files(files, options, &none);
    CHECK(none.decks_read_fast == 0);
    return out;
}

void check_same(const TwoReads& r) {
    REQUIRE(r.fast.library.cards.size() == r.checked.library.cards.size());
    for (std::size_t i = 0; i < r.fast.library.cards.size(); ++i) {
        const std::string id = r.checked.library.cards[i].id;
        CAPTURE(id);
        CHECK(r.fast.library.cards[i] == r.checked.library.cards[i]);
    }
    CHECK(r.fast.library == r.checked.library);
    CHECK(r.fast.diagnostics == r.checked.diagnostics);
    CHECK(r.fast.summaries == r.checked.summaries);
}

const fs::path kFixtureBlueprint = kFixtureExam / "exam.json";

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

    TEST_CASE("'choose' on a single card is an error naming the card's type, not accepted silently") {
        TempDir dir;
        std::string deck = kValidDeck;
        deck.replace(deck.find("\"type\": \"single\","), 17, "\"type\": \"single\", \"choose\": 3,");
        auto result = decks::load_files({dir.write("single.json", deck)}, {{kFixtureExam / "exam.json"}});
        REQUIRE(result.diagnostics.error_count() == 1);
        CHECK(result.diagnostics.items[0].message == "field 'choose' is not used by single cards");
        CHECK(result.diagnostics.items[0].card_id == "v.q1");
    }

    TEST_CASE("a multi card's missing, mistyped or out-of-range 'choose' is one error, not also a count mismatch") {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {R"("choose": 2, )", ""},
            {R"("choose": 2, )", R"("choose": "two", )"},
            {R"("choose": 2, )", R"("choose": 1, )"},
            {R"("choose": 2, )", R"("choose": 9, )"},
        };
        for (const auto& entry : cases) {
            // Plain references: clang before 16 cannot capture a structured binding in CAPTURE's lambda.
            const std::string& from = entry.first;
            const std::string& to = entry.second;
            CAPTURE(to);
            TempDir dir;
            std::string deck = kValidDeck;
            deck.replace(deck.find(from), from.size(), to);
            auto result = decks::load_files({dir.write("multi.json", deck)}, {{kFixtureExam / "exam.json"}});
            REQUIRE(result.diagnostics.error_count() == 1);
            CHECK(result.diagnostics.items[0].card_id == "v.q2");
            CHECK(result.diagnostics.items[0].message.find("choose") != std::string::npos);
            CHECK(result.diagnostics.items[0].message.find("says choose") == std::string::npos);
        }
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
                // The fast read agrees with the checking parser, and takes only a clean file.
                CAPTURE(text);
                const auto both = read_both({file}, {{kFixtureBlueprint}});
                check_same(both);
                if (both.read_fast > 0) CHECK(both.checked.diagnostics.items.empty());
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

    TEST_CASE("a file name with a line break stays on its diagnostic's line") {
        TempDir dir;
        const fs::path odd = dir.write("bad\nline 1: error: forged.json", "{");
        const auto [status, text] = validate(odd);
        CHECK(status == 1);
        CHECK(text.find("bad\\nline 1: error: forged.json:1:2: error:") != std::string::npos);
        CHECK(text.find("\nline 1: error: forged") == std::string::npos);
    }

    TEST_CASE("a pipe is refused without being read, and a loop of links is named as such, not as missing") {
        TempDir dir;
        const fs::path pipe = dir.path / "deck.json";
        REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);  // reading it would wait for a writer forever
        fs::create_symlink(dir.path / "b", dir.path / "a");
        fs::create_symlink(dir.path / "a", dir.path / "b");
        decks::Diagnostics diags;
        auto files = decks::collect_deck_files({pipe, dir.path / "a"}, diags);
        CHECK(files.empty());
        REQUIRE(diags.items.size() == 2);
        CHECK(diags.items[0].message.find("not a regular file") != std::string::npos);
        CHECK(diags.items[1].message.find("symbolic links") != std::string::npos);
    }

    TEST_CASE("the fast read gives exactly what the checking parser gives for the built-in decks and the fixtures") {
        decks::Diagnostics discovery;
        const auto builtin = decks::collect_deck_files({testing::kBuiltinDecks}, discovery);
        for (bool lint : {false, true}) {
            CAPTURE(lint);
            decks::LoadOptions options;
            options.lint = lint;
            const auto both = read_both(builtin, options);
            check_same(both);
            CHECK(both.fast.library.cards.size() > 1000);
            if (!lint) CHECK(both.read_fast > 0);
            // Without the cards' texts (as validate loads): the same checks, the library without texts.
            options.keep_card_texts = false;
            const auto bare = read_both(builtin, options);
            check_same(bare);
            CHECK(bare.fast.diagnostics == both.fast.diagnostics);
            CHECK(bare.fast.summaries == both.fast.summaries);
            Library texts_left_out = both.fast.library;
            decks::leave_out_card_texts(texts_left_out);
            CHECK(bare.fast.library == texts_left_out);
        }
        for (const char* folder : {"fixture-decks", "tui-decks", "tui-long", "tui-extra-deck", "malformed"}) {
            CAPTURE(folder);
            const auto files = decks::collect_deck_files({kData / folder}, discovery);
            decks::LoadOptions options;
            options.context_files = {kFixtureBlueprint, kData / "tui-decks" / "exam.json"};
            for (bool lint : {false, true}) {
                options.lint = lint;
                options.keep_card_texts = true;
                const auto with_texts = read_both(files, options);
                check_same(with_texts);
                options.keep_card_texts = false;
                const auto without = read_both(files, options);
                check_same(without);
                CHECK(without.fast.diagnostics == with_texts.fast.diagnostics);
            }
        }
        CHECK(discovery.items.empty());
    }

    TEST_CASE("a clean deck is read fast, and a deck with anything to report goes through the checking parser") {
        TempDir dir;
        const decks::LoadOptions against_fixture{{kFixtureBlueprint}};
        SUBCASE("a clean deck") {
            const auto both = read_both({dir.write("valid.json", kValidDeck)}, against_fixture);
            CHECK(both.read_fast == 1);
            CHECK(both.fast.diagnostics.items.empty());
            CHECK(both.fast.library.cards.size() == 3);
            check_same(both);
        }
        SUBCASE("a card id used twice is read fast: the loader reports it, whichever reader read the cards") {
            std::string text = kValidDeck;
            text.replace(text.find("\"v.q1\""), 6, "\"v.q2\"");
            const auto both = read_both({dir.write("twice.json", text)}, against_fixture);
            CHECK(both.read_fast == 1);
            REQUIRE(both.checked.diagnostics.items.size() == 1);
            CHECK(both.checked.diagnostics.items[0].message.find("duplicate card id") == 0);
            check_same(both);
        }
        SUBCASE("one change each that is reported") {
            const std::vector<std::pair<std::string, std::string>> edits = {
                {R"("difficulty": 2)", R"("difficulty": "2")"},
                {R"("difficulty": 2)", R"("difficulty": 4)"},
                {R"("difficulty": 2)", R"("difficulty": 2.0)"},
                {R"("difficulty": 2)", R"("difficulty": 02)"},
                {R"("difficulty": 2)", R"("difficulty": -2)"},
                {R"("answer": "A")", R"("answer": "E")"},
                {R"("answer": "A")", R"("answer": "a")"},
                {R"("answer": "A")", R"("answer": ["A"])"},
                {R"("answer": ["A", "B"])", R"("answer": ["A", "A"])"},
                {R"("answer": ["A", "B"])", R"("answer": "A")"},
                {R"("choose": 2)", R"("choose": 3)"},
                {R"("choose": 2, )", ""},
                {R"("id": "v.q1", "type": "single",)", R"("id": "v.q1", "type": "single", "choose": 1,)"},
                {R"("reason": "Cameras detect.")", R"("reason": " ")"},
                {R"({"text": "A camera", "reason": "Cameras detect."})", R"({"text": "A camera"})"},
                {R"({"text": "A camera", "reason": "Cameras detect."})", R"({"text": "A camera", "note": "x"})"},
                {R"({"text": "A camera", "reason": "Cameras detect."})", R"("A camera")"},
                {R"(, "explanation": "Locks stop entry before it happens.")", ""},
                {R"("topics": ["2.1"])", R"("topics": ["1.1"])"},
                {R"("topics": ["1.1", "scenario"])", R"("topics": ["1.1", "9.9"])"},
                {R"("topics": ["1.1", "scenario"])", R"("topics": ["1.1", "1.1"])"},
                {R"("topics": ["1.1", "scenario"])", R"("topics": ["1.1", " "])"},
                {R"("topics": ["1.1", "scenario"])", R"("topics": "1.1")"},
                {R"("domain": "d1", "topics")", R"("domain": "d9", "topics")"},
                {R"("title": "Valid")", R"("title": "Valid", "title": "Again")"},
                {R"("id": "v.q1")", R"("id": "V.Q1")"},
                {R"("id": "v.q1")", R"("id": "")"},
                {"Which control is", "Which \\u001b[2J control is"},
                {"Which control is", "Which \\u202e control is"},
                {"Which control is", "Which \\ud800 control is"},
                {"Which control is", "Which \x01 control is"},
                {"Cameras detect.", "Cameras\tdetect."},
                {R"("front": "SLE")", R"("front": "SLE", "colour": "red")"},
                {R"("front": "SLE")", R"("front": "SLE", "stem": "x")"},
                {R"("front": "SLE")", R"("front": "")"},
                {R"("type": "flashcard")", R"("type": "flash")"},
                {R"("kind": "deck")", R"("kind": "deck", "kind": "deck")"},
                {R"("exam": "testexam")", R"("exam": "nosuch")"},
                {R"("license": "MIT",)", R"("license": "MIT", "extra": true,)"},
                {R"("license": "MIT",)", R"("license": "MIT", "description": "",)"},
                {R"("text": "A backup")", R"("text": "a door lock.")"},
                {R"("format_version": 1)", R"("format_version": 1.0)"},
                {R"("answer": "A", "explanation")", R"("answer": "A" "explanation")"},
                {R"("id": "valid")", R"("id": "Valid deck")"},
                {"]\n}", "]\n} {}"},
                {"]\n}", "]\n}}"},
                {"]\n}", "]\n"},
            };
            for (const auto& edit : edits) {
                // Named copies rather than a structured binding: clang before 16 cannot capture those.
                const std::string& from = edit.first;
                const std::string& to = edit.second;
                std::string text = kValidDeck;
                const auto at = text.find(from);
                REQUIRE_MESSAGE(at != std::string::npos, from);
                text.replace(at, from.size(), to);
                CAPTURE(text);
                const auto file = dir.write("edited.json", text);
                const auto both = read_both({file}, against_fixture);
                CHECK(both.read_fast == 0);
                CHECK_FALSE(both.checked.diagnostics.items.empty());
                check_same(both);
                decks::LoadOptions bare = against_fixture;
                bare.keep_card_texts = false;
                CHECK(read_both({file}, bare).fast.diagnostics == both.fast.diagnostics);
            }
        }
        SUBCASE("a deck without cards is warned of") {
            std::string text = kValidDeck;
            text.replace(text.find("\"cards\": ["), std::string::npos, "\"cards\": []}");
            const auto both = read_both({dir.write("empty.json", text)}, against_fixture);
            CHECK(both.read_fast == 0);
            CHECK(both.checked.diagnostics.warning_count() == 1);
            check_same(both);
        }
        SUBCASE("a deck lint warns of is read through the checking parser only when linting") {
            std::string text = kValidDeck;
            text.replace(text.find("A log review"), 12, "All of the above");
            const auto file = dir.write("negative.json", text);
            CHECK(read_both({file}, against_fixture).read_fast == 1);
            decks::LoadOptions lint = against_fixture;
            lint.lint = true;
            const auto both = read_both({file}, lint);
            CHECK(both.read_fast == 0);
            CHECK(both.checked.diagnostics.warning_count() > 0);
            check_same(both);
        }
        SUBCASE("every cut of a clean deck") {
            const std::string text = kValidDeck;
            for (std::size_t size = 1; size < text.size(); size += 5) {
                CAPTURE(size);
                const auto both = read_both({dir.write("cut.json", text.substr(0, size))}, against_fixture);
                CHECK(both.read_fast == 0);
                check_same(both);
            }
        }
    }

    TEST_CASE("positions, byte order marks, field order and clashes read fast are those of the checking parser") {
        TempDir dir;
        const decks::LoadOptions against_fixture{{kFixtureBlueprint}};
        std::string text = kValidDeck;
        text.replace(text.find("Which control is"), 16, "Wh\xC3\xA9t control \xE2\x80\x94 \xE6\xBC\xA2 is");
        SUBCASE("line breaks as CR LF, non-ASCII text, a byte order mark") {
            std::string crlf;
            for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
            const auto both = read_both({dir.write("crlf.json", "\xEF\xBB\xBF" + crlf)}, against_fixture);
            CHECK(both.read_fast == 1);
            check_same(both);
        }
        SUBCASE("a deck on one line") {
            std::string line;
            for (char c : text) line += c == '\n' ? ' ' : c;
            const auto both = read_both({dir.write("line.json", line)}, against_fixture);
            CHECK(both.read_fast == 1);
            check_same(both);
            REQUIRE(both.fast.library.cards.size() == 3);
            CHECK(both.fast.library.cards[2].line == 1);
            CHECK(both.fast.library.cards[2].column == static_cast<int>(line.find("{\"id\": \"v.f1\"") + 1 - 5));
        }
        SUBCASE("the exam named after the cards, a key written with an escape") {
            std::string moved = text;
            moved.replace(moved.find(R"("exam": "testexam",)"), 19, "");
            moved.replace(moved.rfind('}'), 1, R"(, "\u0065xam": "testexam"})");
            const auto both = read_both({dir.write("moved.json", moved)}, against_fixture);
            CHECK(both.read_fast == 1);
            check_same(both);
        }
        SUBCASE("two clean decks with one deck id, and with one card id") {
            std::string same_deck = text;
            same_deck.replace(same_deck.find("\"v.q1\""), 6, "\"w.q1\"");
            same_deck.replace(same_deck.find("\"v.q2\""), 6, "\"w.q2\"");
            same_deck.replace(same_deck.find("\"v.f1\""), 6, "\"w.f1\"");
            std::string same_card = same_deck;
            same_card.replace(same_card.find("\"id\": \"valid\""), 13, "\"id\": \"other\"");
            same_card.replace(same_card.find("\"w.f1\""), 6, "\"v.f1\"");
            const auto a = dir.write("a.json", text), b = dir.write("b.json", same_deck), c = dir.write("c.json", same_card);
            const auto deck_clash = read_both({a, b}, against_fixture);
            CHECK(deck_clash.read_fast == 2);
            REQUIRE(deck_clash.checked.diagnostics.items.size() == 1);
            CHECK(deck_clash.checked.diagnostics.items[0].message.find("deck id 'valid' is also used by") == 0);
            check_same(deck_clash);
            const auto card_clash = read_both({a, c}, against_fixture);
            CHECK(card_clash.read_fast == 2);
            REQUIRE(card_clash.checked.diagnostics.error_count() == 1);  // and the stems both decks share
            CHECK(std::any_of(card_clash.checked.diagnostics.items.begin(), card_clash.checked.diagnostics.items.end(),
                              [](const decks::Diagnostic& d) { return d.message.find("duplicate card id") == 0; }));
            check_same(card_clash);
        }
    }
}

}  // namespace test_validator
