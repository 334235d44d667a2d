// `certdrill plan` and the exam-date figures of `certdrill stats --json`, through the command line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace test_plan_command {

using certdrill::testing::run_cli;
using nlohmann::json;

namespace {

const std::string kData = CERTDRILL_TEST_DATA;

struct Cli {
    certdrill::testing::TempDir dir;
    std::map<std::string, std::string> env = {{"CERTDRILL_DB", (dir.path / "progress.db").string()},
                                              {"HOME", dir.path.string()},
                                              {"CERTDRILL_NOW", "2026-03-02T09:00:00Z"}};
    certdrill::testing::CliResult operator()(std::vector<std::string> args, bool exiting_after_run = false) const {
        const std::vector<std::string> decks = {"--decks", kData + "/fixture-exam", "--decks", kData + "/fixture-decks"};
        args.insert(args.begin(), decks.begin(), decks.end());
        return run_cli(args, env, exiting_after_run);
    }
    json exam_stats() const {
        const auto r = (*this)({"stats", "--exam", "testexam", "--json"});
        REQUIRE(r.code == 0);
        return json::parse(r.out).at("exams").at(0);
    }
};

}  // namespace

TEST_SUITE("plan command") {
    TEST_CASE("without a date, stats --json predicts 30 days ahead and has no plan") {
        Cli cli;
        const json e = cli.exam_stats();
        CHECK(e.at("horizon") == "30d");
        CHECK(e.at("mastery").get<double>() == doctest::Approx(0.40));
        CHECK(e.at("recall_now").get<double>() == doctest::Approx(0.40));
        CHECK_FALSE(e.contains("exam_date"));
        for (const auto& d : e.at("domains")) {
            CHECK(d.at("horizon") == "30d");
            CHECK(d.contains("recall_now"));
            CHECK(d.at("mastery").get<double>() == doctest::Approx(0.40));
        }
        const auto plan = cli({"plan", "--exam", "testexam"});
        CHECK(plan.code == 0);
        CHECK(plan.out.find("No exam date is set") != std::string::npos);
    }

    TEST_CASE("plan --date sets the date, stats report it with a forecast that ends on the exam day") {
        Cli cli;
        const auto set = cli({"plan", "--exam", "testexam", "--date", "2026-04-01"});
        REQUIRE(set.code == 0);
        CHECK(set.out.find("Exam 2026-04-01: 30 days left, not on track (-30 points vs the pass mark)") !=
              std::string::npos);
        CHECK(set.out.find("Forecast to the exam") != std::string::npos);

        const json e = cli.exam_stats();
        CHECK(e.at("exam_date") == "2026-04-01");
        CHECK(e.at("days_left") == 30);
        CHECK(e.at("horizon") == "2026-04-01");
        CHECK(e.at("readiness_exam_day").get<double>() == doctest::Approx(0.40));
        CHECK(e.at("on_track") == false);
        CHECK(e.at("margin").get<double>() == doctest::Approx(-0.30));
        for (const auto& d : e.at("domains")) CHECK(d.at("horizon") == "2026-04-01");
        const auto& due = e.at("due_per_day");
        REQUIRE(due.size() == 31);
        CHECK(due.front().at(0) == "2026-03-02");
        CHECK(due.back().at(0) == "2026-04-01");
        int total = 0;
        for (const auto& entry : due) {
            CHECK(entry.at(0).get<std::string>() <= "2026-04-01");  // nothing after the exam day
            total += entry.at(1).get<int>();
        }
        CHECK(total > 0);

        // The plain stats show the plan line too.
        const auto text = cli({"stats", "--exam", "testexam"});
        CHECK(text.out.find("readiness 40% on exam day") != std::string::npos);
        CHECK(text.out.find("30 days left, not on track") != std::string::npos);

        const auto cleared = cli({"plan", "--exam", "testexam", "--clear"});
        CHECK(cleared.code == 0);
        CHECK(cleared.out.find("removed") != std::string::npos);
        CHECK_FALSE(cli.exam_stats().contains("exam_date"));
    }

    TEST_CASE("a bad date, a past date or --date with --clear is a usage error and stores nothing") {
        Cli cli;
        for (const std::vector<std::string>& args :
             {std::vector<std::string>{"plan", "--exam", "testexam", "--date", "2026-02-30"},
              std::vector<std::string>{"plan", "--exam", "testexam", "--date", "2026-03-01"},
              std::vector<std::string>{"plan", "--exam", "testexam", "--date", "2026-04-01", "--clear"},
              std::vector<std::string>{"plan", "--exam", "nope", "--date", "2026-04-01"}}) {
            const auto r = cli(args);
            CAPTURE(r.err);
            CHECK(r.code == 2);
            CHECK_FALSE(r.err.empty());
        }
        CHECK_FALSE(cli.exam_stats().contains("exam_date"));
    }

    TEST_CASE("a command run as the program's last closes the database before leaving its decks unfreed") {
        Cli cli;
        const auto set = cli({"plan", "--exam", "testexam", "--date", "2026-04-01"}, true);
        REQUIRE(set.code == 0);
        // The date is stored, and the instance lock was released: a store left open would hold
        // it, and the next command would report another certdrill on the same database.
        const auto next = cli({"stats", "--exam", "testexam", "--json"});
        REQUIRE(next.code == 0);
        CHECK(next.err.find("another certdrill") == std::string::npos);
        CHECK(json::parse(next.out).at("exams").at(0).at("exam_date") == "2026-04-01");
        // The same after a command that failed part way (an unknown exam).
        const auto failed = cli({"plan", "--exam", "nosuchexam", "--date", "2026-04-01"}, true);
        CHECK(failed.code != 0);
        CHECK(cli({"stats", "--json"}).err.find("another certdrill") == std::string::npos);
    }
}

}  // namespace test_plan_command
