// A first run, with no answers and no default exam in the settings: nothing picks an exam for
// the candidate silently.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "../support/run_cli.hpp"
#include "../support/temp_dir.hpp"

namespace test_first_run {

using certdrill::testing::run_cli;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("first run") {
    TEST_CASE("plain study without an exam is a usage error that lists the exams and the flag") {
        certdrill::testing::TempDir dir;
        const std::map<std::string, std::string> env = {{"CERTDRILL_DB", (dir.path / "progress.db").string()},
                                                        {"HOME", dir.path.string()}};
        const auto r = run_cli({"study", "--plain"}, env);
        CHECK(r.code == 2);
        CHECK(has(r.err, "which exam?"));
        CHECK(has(r.err, "choose one with --exam: cism, cissp, gslc, issmp (CISSP-ISSMP)"));
        CHECK(r.out.empty());  // no session was started

        SUBCASE("plan and optimize ask the same way instead of choosing") {
            const auto plan = run_cli({"plan", "--date", "2026-12-31"}, env);
            CHECK(plan.code == 2);
            CHECK(has(plan.err, "choose one with --exam"));
        }
        SUBCASE("a default exam in the settings file is used") {
            auto with_settings = env;
            with_settings["CERTDRILL_CONFIG"] = dir.write("config.json", R"({"default_exam": "GSLC"})").string();
            const auto study = run_cli({"study", "--plain", "--limit", "1"}, with_settings);
            CHECK(study.code == 0);
            CHECK(has(study.out, "Study: GSLC."));
        }
    }
}

}  // namespace test_first_run
