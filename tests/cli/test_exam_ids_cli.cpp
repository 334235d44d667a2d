// Every command reads exam and domain ids the same way: any case, short names, domain numbers;
// and a wrong one is answered with the flag or argument to fix and the values it takes.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace test_exam_ids_cli {

using certdrill::testing::CliResult;
using nlohmann::json;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The built-in decks, a fresh database in a temporary home, a fixed clock.
struct BuiltinCli {
    certdrill::testing::TempDir dir;
    std::map<std::string, std::string> env = {{"CERTDRILL_DB", (dir.path / "progress.db").string()},
                                              {"HOME", dir.path.string()},
                                              {"CERTDRILL_NOW", "2026-03-02T09:00:00Z"}};
    CliResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--seed", "4"});
        return certdrill::testing::run_cli(args, env);
    }
};

}  // namespace

TEST_SUITE("exam ids on the command line") {
    TEST_CASE("study, exam, stats, plan and simulate accept any case and the short name") {
        BuiltinCli cli;
        const auto study = cli({"study", "--plain", "--exam", "CISSP", "--domain", "D7", "--limit", "1"});
        CHECK(study.code == 0);
        CHECK(has(study.out, "Study: CISSP domain d7."));
        const auto numbered = cli({"study", "--plain", "--exam", "gslc", "--domain", "3", "--limit", "1"});
        CHECK(numbered.code == 0);
        CHECK(has(numbered.out, "Study: GSLC domain a3."));

        const auto quiz = cli({"exam", "CISSP-ISSMP", "--plain", "--domain", "d2", "--items", "2"});
        CHECK(quiz.code == 0);
        CHECK(has(quiz.out, "Mock exam: CISSP-ISSMP"));
        CHECK(has(quiz.out, "2 items from domain d2"));

        const auto stats = cli({"stats", "--exam", "cissp-issmp", "--json"});
        REQUIRE(stats.code == 0);
        const json exams = json::parse(stats.out).at("exams");
        REQUIRE(exams.size() == 1);
        CHECK(exams.at(0).at("id") == "issmp");

        const auto plan = cli({"plan", "--exam", "Cism", "--date", "2026-05-01"});
        CHECK(plan.code == 0);
        CHECK(has(cli({"plan", "--exam", "cism"}).out, "2026-05-01"));

        const auto simulate = cli({"simulate", "--exam", "GSLC", "--days", "2", "--learners", "1", "--json"});
        CHECK(simulate.code == 0);
    }

    TEST_CASE("deck commands accept any case too") {
        BuiltinCli cli;
        const auto created = cli({"new", "deck", "--exam", "ISSMP", "--id", "acme-issmp", "--out", cli.dir.path.string()});
        CHECK(created.code == 0);
        CHECK(has(created.out, "for CISSP-ISSMP"));
        const auto exported = cli({"results", "export", "--exam", "CISM", "--out", (cli.dir.path / "r.json").string()});
        CHECK(exported.code == 0);
    }

    TEST_CASE("a wrong exam names the flag or the argument and lists the exams") {
        BuiltinCli cli;
        const auto flag = cli({"study", "--plain", "--exam", "cisp"});
        CHECK(flag.code == 2);
        CHECK(has(flag.err, "unknown exam 'cisp' given to --exam"));
        CHECK(has(flag.err, "cism, cissp, gslc, issmp (CISSP-ISSMP)"));
        const auto argument = cli({"exam", "cisp", "--plain"});
        CHECK(argument.code == 2);
        CHECK(has(argument.err, "unknown exam 'cisp' given to the exam argument"));
        CHECK(has(argument.err, "e.g. certdrill exam cism"));
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"stats", "--exam", "cisp"}, {"plan", "--exam", "cisp"},
              {"simulate", "--exam", "cisp"}, {"optimize", "--exam", "cisp"},
              {"new", "deck", "--exam", "cisp", "--id", "x-deck", "--out", cli.dir.path.string()}}) {
            CAPTURE(args[0]);
            const auto r = cli(args);
            CHECK(r.code == 2);
            CHECK(has(r.err, "given to --exam"));
            CHECK(has(r.err, "issmp (CISSP-ISSMP)"));
        }
    }

    TEST_CASE("a wrong domain names --domain and lists the exam's domains") {
        BuiltinCli cli;
        const auto r = cli({"study", "--plain", "--exam", "cissp", "--domain", "d9"});
        CHECK(r.code == 2);
        CHECK(has(r.err, "exam cissp has no domain 'd9' (given to --domain)"));
        CHECK(has(r.err, "d1 d2 d3 d4 d5 d6 d7 d8"));
        const auto quiz = cli({"exam", "gslc", "--plain", "--domain", "d3"});
        CHECK(quiz.code == 2);
        CHECK(has(quiz.err, "a1 a2 a3 a4 a5 a6 a7"));
    }

    TEST_CASE("a wrong default exam in the settings file is named as such") {
        BuiltinCli cli;
        const auto settings = cli.dir.write("config.json", R"({"default_exam": "cisp"})");
        cli.env["CERTDRILL_CONFIG"] = settings.string();
        const auto r = cli({"study", "--plain"});
        CHECK(r.code == 2);
        CHECK(has(r.err, "given to \"default_exam\" in the settings file"));
        CHECK(has(r.err, "e.g. \"default_exam\": \"cism\""));
    }
}

}  // namespace test_exam_ids_cli
