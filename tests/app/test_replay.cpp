#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "app/replay.hpp"
#include "core/fsrs.hpp"
#include "core/time.hpp"

#ifndef CERTDRILL_TEST_DATA
#define CERTDRILL_TEST_DATA "tests/data"
#endif

namespace test_replay {

using nlohmann::json;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;

    std::vector<json> lines() const {
        std::vector<json> parsed;
        std::istringstream in(out);
        for (std::string line; std::getline(in, line);) parsed.push_back(json::parse(line));
        return parsed;
    }
};

Run replay(const std::string& input) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    const int code = certdrill::app::run_replay(in, out, err);
    return {code, out.str(), err.str()};
}

std::string reviews_line(const std::vector<std::pair<std::string, int>>& reviews, const std::string& extra = "") {
    json line;
    line["reviews"] = json::array();
    for (const auto& [at, rating] : reviews) line["reviews"].push_back({{"at", at}, {"rating", rating}});
    std::string text = line.dump();
    if (!extra.empty()) text.insert(text.size() - 1, "," + extra);
    return text;
}

const char* kCheckVector =
    R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":3},{"at":"2022-12-29T12:40:00Z","rating":3},)"
    R"({"at":"2022-12-31T12:40:00Z","rating":3},{"at":"2023-01-11T12:40:00Z","rating":3},)"
    R"({"at":"2023-02-26T12:40:00Z","rating":3},{"at":"2023-08-08T12:40:00Z","rating":3},)"
    R"({"at":"2024-12-18T12:40:00Z","rating":1},{"at":"2024-12-18T12:50:00Z","rating":1},)"
    R"({"at":"2024-12-18T13:00:00Z","rating":3},{"at":"2024-12-20T13:00:00Z","rating":3},)"
    R"({"at":"2024-12-24T13:00:00Z","rating":3},{"at":"2024-12-31T13:00:00Z","rating":3},)"
    R"({"at":"2025-01-12T13:00:00Z","rating":3}]})";

}  // namespace

TEST_CASE("replay: the check vector of the reference") {
    const Run run = replay(std::string(kCheckVector) + "\n");
    CHECK(run.code == 0);
    CHECK(run.err.empty());
    const auto lines = run.lines();
    REQUIRE(lines.size() == 1);
    const json& steps = lines[0];
    REQUIRE(steps.size() == 13);
    const std::vector<int> expected_days = {0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21};
    for (std::size_t i = 0; i < steps.size(); ++i) {
        INFO("review " << i);
        CHECK(steps[i].at("scheduled_days").get<int>() == expected_days[i]);
        CHECK(steps[i].at("reps").get<int>() == static_cast<int>(i) + 1);
        CHECK(steps[i].size() == 7);
    }
    CHECK(steps[0].at("state") == "learning");
    CHECK(steps[0].at("due") == "2022-12-29T12:40:00.000Z");
    CHECK(steps[6].at("state") == "relearning");
    CHECK(steps[6].at("lapses") == 1);
    const json& last = steps[12];
    CHECK(last.at("state") == "review");
    CHECK(last.at("stability").get<double>() == 20.77035737);
    CHECK(last.at("difficulty").get<double>() == 9.0557599);
    CHECK(last.at("due") == "2025-02-02T13:00:00.000Z");
    CHECK(last.at("lapses") == 1);
}

TEST_CASE("replay: exact output text of a short history") {
    const Run run = replay(reviews_line({{"2022-12-29T12:30:00Z", 4}}) + "\n");
    CHECK(run.code == 0);
    CHECK(
        run.out ==
        R"([{"state":"review","stability":8.2956,"difficulty":1,"scheduled_days":8,"due":"2023-01-06T12:30:00.000Z","reps":1,"lapses":0}])"
        "\n");
}

TEST_CASE("replay: blank lines are skipped, empty histories give empty arrays") {
    const Run run = replay("\n   \n" + reviews_line({{"2022-12-29T12:30:00Z", 3}}) + "\r\n\t\n{\"reviews\":[]}\n");
    CHECK(run.code == 0);
    CHECK(run.err.empty());
    const auto lines = run.lines();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].size() == 1);
    CHECK(lines[1] == json::array());
    CHECK(replay("").out.empty());
    CHECK(replay("").code == 0);
}

TEST_CASE("replay: bad lines are reported with their number and skipped") {
    const std::string good = reviews_line({{"2022-12-29T12:30:00Z", 3}});
    const std::string input = good + "\n" +  // 1
                              R"({"reviews":[{"at":"2022-13-45","rating":3}]})"
                              "\n" +  // 2
                              "\n" +  // 3 (blank)
                              good +
                              "\n" +  // 4
                              R"({"reviews":[], "colour":"blue"})"
                              "\n" +          // 5
                              "not json\n" +  // 6
                              good;           // 7, no final newline
    const Run run = replay(input);
    CHECK(run.code == 1);
    CHECK(run.lines().size() == 3);
    CHECK(run.err.find("line 2: reviews[0].at must be an ISO 8601 time") != std::string::npos);
    CHECK(run.err.find("line 5: unknown field \"colour\"") != std::string::npos);
    CHECK(run.err.find("line 6: invalid JSON") != std::string::npos);
    CHECK(run.err.find("line 1:") == std::string::npos);
    CHECK(run.err.find("line 4:") == std::string::npos);
    CHECK(run.err.find("line 7:") == std::string::npos);
}

TEST_CASE("replay: every kind of malformed line is an error") {
    struct Bad {
        const char* line;
        const char* message;
    };
    const Bad cases[] = {
        {R"([1,2])", "a line must hold one JSON object"},
        {R"("text")", "a line must hold one JSON object"},
        {R"({})", "missing field \"reviews\""},
        {R"({"reviews":{}})", "reviews must be an array"},
        {R"({"reviews":[3]})", "reviews[0] must be an object"},
        {R"({"reviews":[{"at":"2022-12-29T12:30:00Z"}]})", "reviews[0]: missing \"rating\""},
        {R"({"reviews":[{"rating":3}]})", "reviews[0]: missing \"at\""},
        {R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":3,"note":"x"}]})", "reviews[0]: unknown field \"note\""},
        {R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":0}]})", "reviews[0].rating must be 1 (Again)"},
        {R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":"Good"}]})", "reviews[0].rating must be"},
        {R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":2.5}]})", "reviews[0].rating must be"},
        {R"({"reviews":[{"at":12,"rating":3}]})", "reviews[0].at must be an ISO 8601 time"},
        {R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":3},{"at":"2022-12-29T12:00:00Z","rating":3}]})",
         "reviews[1].at is earlier than the review before it"},
        {R"({"reviews":[],"reviews":[]})", "duplicate field \"reviews\""},
        {R"({"reviews":[],"parameters":[1,2,3]})", "FSRS needs 19 or 21 parameters, got 3"},
        {R"({"reviews":[],"parameters":[0.212,1.2931,2.3065,8.2956,6.4133,0.8334,3.0194,0.9,1.8722,0.1666,0.796,1.4835,0.0614,0.2629,1.6483,0.6014,1.8729,0.5425,0.0912,0.0658,0.1542]})",
         "FSRS parameter w[7] = 0.9 is outside its range"},
        {R"({"reviews":[],"parameters":["a"]})", "parameters[0] must be a number"},
        {R"({"reviews":[],"desired_retention":"high"})", "desired_retention must be a number"},
        {R"({"reviews":[],"desired_retention":1.5})", "desired retention 1.5 is outside (0, 1]"},
        {R"({"reviews":[],"learning_steps":["30s"]})", "learning_steps[0] must be a step"},
        {R"({"reviews":[],"relearning_steps":["10m", 5]})", "relearning_steps[1] must be a step"},
        {R"({"reviews":[],"enable_short_term":1})", "enable_short_term must be true or false"},
        {R"({"reviews":[],"maximum_interval":0})", "maximum_interval must be a whole number of days"},
        {R"({"reviews":[],"maximum_interval":36.5})", "maximum_interval must be a whole number of days"},
        {R"({"reviews":[]} trailing)", "invalid JSON"},
        {R"({"reviews":[)", "invalid JSON"},
        {R"({"reviews":[1e400]})", "invalid JSON at byte 17: number overflow parsing '1e400'"},  // no library tag
    };
    for (const Bad& bad : cases) {
        INFO(bad.line);
        const Run run = replay(std::string(bad.line) + "\n");
        CHECK(run.code == 1);
        CHECK(run.out.empty());
        CHECK(run.err.rfind(std::string("line 1: ") + bad.message, 0) == 0);
        CHECK(run.err.find('\n') == run.err.size() - 1);  // exactly one error line
    }
}

TEST_CASE("replay: options change the schedule") {
    const std::string first = R"({"at":"2022-12-29T12:30:00Z","rating":3})";
    const auto first_step = [&](const std::string& options) {
        const Run run = replay(R"({"reviews":[)" + first + "]" + options + "}\n");
        REQUIRE_MESSAGE(run.code == 0, run.err);
        return run.lines().at(0).at(0);
    };
    CHECK(first_step("").at("state") == "learning");
    CHECK(first_step(R"(,"enable_short_term":false)").at("state") == "review");
    CHECK(first_step(R"(,"learning_steps":["1h","2h"])").at("due") == "2022-12-29T14:30:00.000Z");
    CHECK(first_step(R"(,"learning_steps":[])").at("scheduled_days") == 2);
    CHECK(first_step(R"(,"learning_steps":[],"maximum_interval":1)").at("scheduled_days") == 1);
    CHECK(first_step(R"(,"learning_steps":[],"desired_retention":0.7)").at("scheduled_days") == 21);  // ts-fsrs: 21
    const json fsrs5 = first_step(
        R"(,"parameters":[0.40255,1.18385,3.173,15.69105,7.1949,0.5345,1.4604,0.0046,1.54575,0.1192,1.01925,1.9395,0.11,0.29605,2.2698,0.2315,2.9898,0.51655,0.6621])");
    CHECK(fsrs5.at("stability").get<double>() == 3.173);
}

TEST_CASE("replay: agrees with every generated ts-fsrs vector") {
    std::ifstream file(CERTDRILL_TEST_DATA "/fsrs_vectors.json");
    REQUIRE(file.good());
    const json vectors = json::parse(file);
    std::string input;
    for (const json& tc : vectors.at("cases")) {
        json line = tc.at("config");
        line["reviews"] = json::array();
        for (const json& r : tc.at("reviews"))
            line["reviews"].push_back({{"at", certdrill::format_iso8601(r[0].get<std::int64_t>())}, {"rating", r[1]}});
        input += line.dump() + "\n";
    }
    const Run run = replay(input);
    REQUIRE_MESSAGE(run.code == 0, run.err);
    const auto lines = run.lines();
    const json& cases = vectors.at("cases");
    REQUIRE(lines.size() == cases.size());
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const json& expected = cases[c].at("expected");
        REQUIRE(lines[c].size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const json& got = lines[c][i];
            const json& e = expected[i];
            INFO("case " << c << " review " << i);
            CHECK(got.at("state") == certdrill::fsrs::to_string(static_cast<certdrill::fsrs::State>(e[0].get<int>())));
            CHECK(got.at("stability").get<double>() == doctest::Approx(e[1].get<double>()).epsilon(1e-6));
            CHECK(got.at("difficulty").get<double>() == doctest::Approx(e[2].get<double>()).epsilon(1e-6));
            CHECK(got.at("scheduled_days") == e[3]);
            CHECK(got.at("due") == certdrill::format_iso8601(e[4].get<std::int64_t>()));
            CHECK(got.at("reps") == e[5]);
            CHECK(got.at("lapses") == e[6]);
        }
    }
}

TEST_CASE("replay: the quick reader of plain histories agrees with the full parser") {
    // The check vector as written takes the quick path; with a field at its default value, or
    // with an escape in a string, it takes the full JSON path. The results must be identical.
    const std::string plain = kCheckVector;
    std::string with_default = plain;
    with_default.insert(with_default.size() - 1, R"(,"enable_short_term":true)");
    std::string escaped = plain;
    escaped.replace(escaped.find("2022-12-29T12:30:00Z"), 20, R"(2022-12-29T12:30:00\u005A)");
    std::string spaced = " { \"reviews\" : [ { \"rating\" : 3 , \"at\" : \"2022-12-29T12:30:00Z\" } ] } ";
    const Run a = replay(plain + "\n");
    CHECK(a.code == 0);
    CHECK(replay(with_default + "\n").out == a.out);
    CHECK(replay(escaped + "\n").out == a.out);
    CHECK(replay(spaced + "\n").out == replay(reviews_line({{"2022-12-29T12:30:00Z", 3}}) + "\n").out);
    // Shapes the quick reader leaves to the full parser still get the full parser's messages.
    for (const std::string bad : {R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":3.0}]})",
                                  R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":5}]})",
                                  R"({"reviews":[{"at":"2022-12-29T12:30:00Z","at":"2022-12-29T12:30:00Z"}]})",
                                  R"({"reviews":[{"at":"not a time","rating":3}]})"}) {
        CAPTURE(bad);
        const Run r = replay(bad + "\n");
        CHECK(r.code == 1);
        CHECK(r.err.find("line 1: reviews[0]") == 0);
    }
}

TEST_CASE("replay: keys in messages cannot add lines or escape sequences") {
    // JSON escapes decode to ESC, BEL and newlines inside the key; the parser reads them back.
    const std::string forged = R"({"reviews":[],"\u001b[2J\u001b]0;title\u0007\nline 9: all good\u202e":1})";
    const std::string in_review = R"({"reviews":[{"at":"2022-12-29T12:30:00Z","rating":3,"\u001b[31m\n":1}]})";
    for (const std::string& line : {forged, in_review}) {
        INFO(line);
        const Run run = replay(line + "\n");
        CHECK(run.code == 1);
        CHECK(run.err.rfind("line 1: ", 0) == 0);
        CHECK(run.err.find('\n') == run.err.size() - 1);  // one line only
        CHECK(run.err.find('\x1b') == std::string::npos);
        CHECK(run.err.find('\x07') == std::string::npos);
        CHECK(run.err.find("\xE2\x80\xAE") == std::string::npos);  // U+202E
        CHECK(run.err.find("unknown field \"\\u001b") != std::string::npos);
    }
}

TEST_CASE("replay: the JSON parser's own messages are sanitised too") {
    const Run run = replay("{\"reviews\":[], \"desired_retention\": tru\x1b[31m\xE2\x80\xAE\n");
    CHECK(run.code == 1);
    CHECK(run.err.rfind("line 1: invalid JSON", 0) == 0);
    CHECK(run.err.find('\x1b') == std::string::npos);
    CHECK(run.err.find("\xE2\x80\xAE") == std::string::npos);
}

TEST_CASE("replay: steps too long to compute with are refused, up to 100 years is fine") {
    for (const char* step : {"2147483647m", "35791394h", "1491309d", "36501d", "52560001m"}) {
        INFO(step);
        const Run run = replay(reviews_line({{"2022-12-29T12:30:00Z", 2}, {"2022-12-29T12:31:00Z", 2}},
                                            std::string("\"learning_steps\":[\"") + step + "\"]") +
                               "\n");
        CHECK(run.code == 1);
        CHECK(run.out.empty());
        CHECK(run.err.rfind("line 1: learning_steps[0] must be a step", 0) == 0);
    }
    const Run longest = replay(
        reviews_line({{"2022-12-29T12:30:00Z", 2}, {"2022-12-29T12:31:00Z", 1}}, R"("learning_steps":["36500d"])") + "\n");
    CHECK(longest.code == 0);
    CHECK(longest.err.empty());
    CHECK_THROWS_AS(certdrill::fsrs::Scheduler([] {
                        certdrill::fsrs::Parameters p;
                        p.relearning_steps_minutes = {certdrill::fsrs::kMaxStepMinutes + 1};
                        return p;
                    }()),
                    std::invalid_argument);
}

TEST_CASE("replay: a line over the size cap is skipped with an error and the next line still replays") {
    const std::string huge(certdrill::app::kMaxReplayLineBytes + 1, ' ');
    const std::string good = reviews_line({{"2022-12-29T12:30:00Z", 3}});
    const Run run = replay(good + "\n" + huge + "\n" + good + "\n" + huge);
    CHECK(run.code == 1);
    CHECK(run.lines().size() == 2);
    CHECK(run.err ==
          "line 2: longer than 1048576 bytes; split the history into several lines\n"
          "line 4: longer than 1048576 bytes; split the history into several lines\n");
    // A line of exactly the cap is read as usual.
    const std::string padded = good + std::string(certdrill::app::kMaxReplayLineBytes - good.size(), ' ');
    const Run at_cap = replay(padded + "\n");
    CHECK(at_cap.code == 0);
    CHECK(at_cap.lines().size() == 1);
}

}  // namespace test_replay
