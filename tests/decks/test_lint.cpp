#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "cli/validate_command.hpp"
#include "decks/loader.hpp"

namespace test_lint {

namespace fs = std::filesystem;
using namespace certdrill;
using certdrill::testing::TempDir;

namespace {

const fs::path kFixtureExam = fs::path(CERTDRILL_TEST_DATA) / "fixture-exam";

std::string deck_with(const std::string& cards) {
    return R"({"format_version": 1, "kind": "deck", "id": "lint", "title": "Lint", "exam": "testexam",
  "author": "a", "version": "1", "license": "MIT", "cards": [)" +
           cards + "]}";
}

// A sound question: four options of like length, positive stem, qualifier in capitals.
std::string question(const std::string& id, const std::string& stem, const std::vector<std::string>& options,
                     const std::string& answer = "A") {
    std::string out = R"({"id": ")" + id + R"(", "type": "single", "domain": "d1", "topics": ["1.1"], "stem": ")" +
                      stem + R"(", "options": [)";
    for (std::size_t i = 0; i < options.size(); ++i)
        out += std::string(i ? ", " : "") + R"({"text": ")" + options[i] + R"(", "reason": "r"})";
    return out + R"(], "answer": ")" + answer + R"(", "explanation": "e"})";
}

// The lint warnings (formatted) for a deck made of `cards`.
std::vector<std::string> lint(const std::string& cards) {
    TempDir dir;
    auto file = dir.write("lint.json", deck_with(cards));
    decks::LoadOptions options;
    options.context_files = {kFixtureExam / "exam.json"};
    options.lint = true;
    auto result = decks::load_files({file}, options);
    REQUIRE(result.diagnostics.error_count() == 0);
    std::vector<std::string> out;
    for (const auto& d : result.diagnostics.items)
        if (d.message.rfind("lint ", 0) == 0) out.push_back(decks::format(d));
    return out;
}

bool has(const std::vector<std::string>& warnings, const std::string& needle) {
    for (const auto& w : warnings)
        if (w.find(needle) != std::string::npos) return true;
    return false;
}

const std::vector<std::string> kSound = {"Apply the retention schedule", "Encrypt the archive volume",
                                         "Notify the data protection officer", "Update the asset register"};

}  // namespace

TEST_SUITE("lint") {
    TEST_CASE("a sound question draws no lint warning") {
        CHECK(lint(question("l.q1", "What should the records manager do FIRST with the expired tapes?", kSound))
                  .empty());
    }

    TEST_CASE("fewer than four options") {
        auto w = lint(question("l.q1", "What should the manager do FIRST?",
                               {"Apply the schedule", "Encrypt the archive", "Notify the officer"}));
        REQUIRE(w.size() == 1);
        CHECK(w[0].find(": warning: card 'l.q1' (/cards/0/options): lint few-options: the question has 3 options") !=
              std::string::npos);
        CHECK(w[0].find("[hint: ") != std::string::npos);
    }

    TEST_CASE("a key much longer than the distractors") {
        auto w = lint(question("l.q1", "What should the manager do FIRST?",
                               {"Apply the documented retention schedule agreed with legal counsel and owners",
                                "Encrypt the archive", "Notify the officer", "Update the register"}));
        CHECK(has(w, "(/cards/0/options/0/text): lint long-key: the right option"));
        // The same long text as a distractor is no cue.
        CHECK_FALSE(has(lint(question("l.q1", "What should the manager do FIRST?",
                                      {"Apply the documented retention schedule agreed with legal counsel and owners",
                                       "Encrypt the archive", "Notify the officer", "Update the register"},
                                      "B")),
                        "long-key"));
    }

    TEST_CASE("all or none of the above") {
        auto w = lint(question("l.q1", "What should the manager do FIRST?",
                               {"Apply the schedule", "Encrypt the archive", "Notify the officer",
                                "None of the above"}));
        CHECK(has(w, "(/cards/0/options/3/text): lint of-the-above: option D says \"none of the above\""));
    }

    TEST_CASE("a negative stem without emphasis, and not when emphasised") {
        CHECK(has(lint(question("l.q1", "Which control is not preventive?", kSound)),
                  "lint negative-stem: the question asks with \"not\""));
        CHECK_FALSE(has(lint(question("l.q1", "Which control is NOT preventive?", kSound)), "negative-stem"));
        CHECK_FALSE(has(lint(question("l.q1", "Which control is *not* preventive?", kSound)), "negative-stem"));
        // A "not" in the scenario, outside the question sentence, is no negative stem.
        CHECK_FALSE(has(lint(question("l.q1", "The tapes were not labelled. What should the manager do FIRST?",
                                      kSound)),
                        "negative-stem"));
    }

    TEST_CASE("a key that alone repeats the stem's words") {
        auto w = lint(question("l.q1", "Which document governs how long payroll records are kept?",
                               {"The payroll records schedule", "The incident plan", "The access policy",
                                "The change calendar"}));
        CHECK(has(w, "lint key-echoes-stem: only the right option repeats the stem's words (\"payroll\", \"record\")"));
        // When a distractor echoes the stem too, there is no cue.
        CHECK_FALSE(has(lint(question("l.q1", "Which document governs how long payroll records are kept?",
                                      {"The payroll records schedule", "The payroll access policy",
                                       "The incident plan", "The change calendar"})),
                        "key-echoes-stem"));
    }

    TEST_CASE("absolute words in distractors but not in the key") {
        auto w = lint(question("l.q1", "What should the manager do FIRST?",
                               {"Apply the retention schedule", "Always encrypt every archive",
                                "Notify the officer immediately", "Update the register"}));
        CHECK(has(w, "lint absolute-words: absolute words (\"always\", \"every\", \"immediately\") appear in "
                     "distractors BC"));
        CHECK_FALSE(has(lint(question("l.q1", "What should the manager do FIRST?",
                                      {"Apply the schedule to every tape", "Always encrypt the archive",
                                       "Notify the officer", "Update the register"})),
                        "absolute-words"));
    }

    TEST_CASE("options with the same words") {
        auto w = lint(question("l.q1", "What should the manager do FIRST?",
                               {"Apply the retention schedule", "Encrypt the archive", "Schedule the retention, apply",
                                "Update the register"}));
        CHECK(has(w, "(/cards/0/options/2/text): lint duplicate-options: option C has the same words as option A"));
    }

    TEST_CASE("qualifier style: lower case, and a deck that mixes capitals with emphasis") {
        CHECK(has(lint(question("l.q1", "What should the manager do first?", kSound)),
                  "lint qualifier-style: the qualifier \"first\" is in lower case"));
        auto mixed = lint(question("l.q1", "What should the manager do FIRST?", kSound) + "," +
                          question("l.q2", "What is the BEST evidence of approval?", kSound) + "," +
                          question("l.q3", "What is the *MOST* likely cause?", kSound));
        REQUIRE(mixed.size() == 1);
        CHECK(mixed[0].find("card 'l.q3' (/cards/2/stem): lint qualifier-style: *MOST* is written with emphasis "
                            "marks, but most of this deck writes MOST in capitals alone") != std::string::npos);
        CHECK(lint(question("l.q1", "What should the manager do *FIRST*?", kSound) + "," +
                   question("l.q2", "What is the *BEST* evidence of approval?", kSound))
                  .empty());
    }

    TEST_CASE("validate --lint prints the warnings and still passes, without --lint they are not checked") {
        TempDir dir;
        auto file = dir.write("lint.json", deck_with(question("l.q1", "Which control is not preventive?", kSound)));
        std::ostringstream out, err;
        CHECK(cli::validate_command({file}, {kFixtureExam}, out, err, true) == 0);
        CHECK(out.str().find("lint negative-stem") != std::string::npos);
        CHECK(out.str().find("(1 warning)") != std::string::npos);
        std::ostringstream plain, plain_err;
        CHECK(cli::validate_command({file}, {kFixtureExam}, plain, plain_err) == 0);
        CHECK(plain.str().find("lint negative-stem") == std::string::npos);
    }
}

}  // namespace test_lint
