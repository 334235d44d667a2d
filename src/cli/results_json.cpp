#include "cli/results_json.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.hpp"
#include "core/time.hpp"
#include "decks/json_message.hpp"

namespace certdrill::cli {

using Json = nlohmann::ordered_json;

namespace {

double round_to(double v, int places) {
    const double f = std::pow(10.0, places);
    return std::round(v * f) / f;
}

Json letters(const std::string& s) {
    Json out = Json::array();
    for (char c : s) out.push_back(std::string(1, c));
    return out;
}

Json exam_json(const app::ExamStats& e) {
    Json j{{"exam", e.id},
           {"short_name", e.short_name},
           {"readiness", round_to(e.readiness, 4)},
           {"passing", round_to(e.passing, 4)},
           {"domains", Json::array()}};
    for (const auto& d : e.domains)
        j["domains"].push_back({{"id", d.id},
                                {"name", d.name},
                                {"mastery", round_to(d.figures.mastery, 4)},
                                {"reviews", d.figures.reviews},
                                {"correct", d.figures.correct}});
    return j;
}

}  // namespace

std::string results_json(const app::Results& r) {
    Json root;
    root["format"] = "certdrill-results";
    root["format_version"] = kResultsFormatVersion;
    root["learner"] = r.learner;
    root["exported_at"] = format_iso8601(r.exported_at);
    root["filter"] = {{"exam", r.exam_filter ? Json(*r.exam_filter) : Json(nullptr)}, {"decks", r.deck_filter}};
    root["cards"] = Json::array();
    for (const auto& c : r.cards)
        root["cards"].push_back({{"id", c.id},
                                 {"exam", c.exam_id},
                                 {"deck", c.deck_id},
                                 {"domain", c.domain_id},
                                 {"type", c.type},
                                 {"options", c.options},
                                 {"answer", letters(c.answer)}});
    root["answers"] = Json::array();
    for (const auto& a : r.answers)
        root["answers"].push_back({{"card", a.card_id},
                                   {"chosen", letters(a.chosen)},
                                   {"correct", a.correct},
                                   {"ms", a.response_ms},
                                   {"mode", a.mode},
                                   {"at", format_iso8601(a.at)}});
    root["attempts"] = Json::array();
    for (const auto& a : r.attempts) {
        Json j{{"exam", a.exam_id},
               {"started_at", format_iso8601(a.started_at)},
               {"finished_at", a.finished_at ? Json(format_iso8601(*a.finished_at)) : Json(nullptr)},
               {"minutes", a.minutes},
               {"score_percent", a.score_percent ? Json(round_to(*a.score_percent, 2)) : Json(nullptr)},
               {"passed", a.passed ? Json(*a.passed) : Json(nullptr)},
               {"items", Json::array()}};
        for (const auto& item : a.items)
            j["items"].push_back({{"card", item.card_id},
                                  {"chosen", letters(item.chosen)},
                                  {"correct", item.correct},
                                  {"ms", item.response_ms}});
        root["attempts"].push_back(j);
    }
    root["mastery"] = Json::array();
    for (const auto& e : r.exams) root["mastery"].push_back(exam_json(e));
    return root.dump(2) + "\n";
}

namespace {

// Thrown inside read_results only, and turned into its error text there.
struct Malformed {
    std::string where;
    std::string what;
};

const Json& field(const Json& obj, const char* name, Json::value_t type, const std::string& where) {
    auto it = obj.find(name);
    if (it == obj.end()) throw Malformed{where, std::string("missing '") + name + "'"};
    const bool ok = type == Json::value_t::number_float ? it->is_number()
                    : type == Json::value_t::number_integer ? it->is_number_integer()
                                                            : it->type() == type;
    if (!ok) throw Malformed{where + "/" + name, "wrong type"};
    return *it;
}

std::string string_field(const Json& obj, const char* name, const std::string& where) {
    return text::sanitize(field(obj, name, Json::value_t::string, where).get<std::string>());
}

// A list of option letters A-H, kept in deck-file order.
std::string letters_field(const Json& obj, const char* name, const std::string& where) {
    std::string out;
    const Json& list = field(obj, name, Json::value_t::array, where);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Json& v = list[i];
        if (!v.is_string() || v.get<std::string>().size() != 1 || v.get<std::string>()[0] < 'A' ||
            v.get<std::string>()[0] > 'H')
            throw Malformed{where + "/" + name + "/" + std::to_string(i), "an option letter A-H was expected"};
        out += v.get<std::string>();
    }
    std::sort(out.begin(), out.end());
    return out;
}

LearnerResults parse_results(const Json& root, const std::string& file) {
    if (!root.is_object() || root.value("format", "") != "certdrill-results")
        throw Malformed{"", "not a certdrill results file (no \"format\": \"certdrill-results\")"};
    const Json& version = field(root, "format_version", Json::value_t::number_integer, "");
    if (version.get<long long>() > kResultsFormatVersion)
        throw Malformed{"/format_version", "written by a newer certdrill (format version " + version.dump() + ")"};
    LearnerResults out;
    out.file = file;
    out.learner = string_field(root, "learner", "");
    const Json& cards = field(root, "cards", Json::value_t::array, "");
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const std::string w = "/cards/" + std::to_string(i);
        const Json& c = cards[i];
        if (!c.is_object()) throw Malformed{w, "an object was expected"};
        app::ResultCard card;
        card.id = string_field(c, "id", w);
        card.exam_id = string_field(c, "exam", w);
        card.deck_id = string_field(c, "deck", w);
        card.domain_id = string_field(c, "domain", w);
        card.type = string_field(c, "type", w);
        card.options = field(c, "options", Json::value_t::number_integer, w).get<int>();
        if (card.options < 0 || card.options > 8) throw Malformed{w + "/options", "0 to 8 options expected"};
        card.answer = letters_field(c, "answer", w);
        out.cards.push_back(std::move(card));
    }
    const Json& answers = field(root, "answers", Json::value_t::array, "");
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const std::string w = "/answers/" + std::to_string(i);
        const Json& a = answers[i];
        if (!a.is_object()) throw Malformed{w, "an object was expected"};
        app::ResultAnswer answer;
        answer.card_id = string_field(a, "card", w);
        answer.chosen = letters_field(a, "chosen", w);
        answer.correct = field(a, "correct", Json::value_t::boolean, w).get<bool>();
        answer.response_ms = field(a, "ms", Json::value_t::number_integer, w).get<std::int64_t>();
        answer.mode = string_field(a, "mode", w);
        auto at = parse_iso8601(field(a, "at", Json::value_t::string, w).get<std::string>());
        if (!at) throw Malformed{w + "/at", "an ISO 8601 time was expected"};
        answer.at = *at;
        out.answers.push_back(std::move(answer));
    }
    if (auto m = root.find("mastery"); m != root.end() && m->is_array()) {
        for (std::size_t i = 0; i < m->size(); ++i) {
            const std::string w = "/mastery/" + std::to_string(i);
            const Json& e = (*m)[i];
            if (!e.is_object()) throw Malformed{w, "an object was expected"};
            ExamFigure exam;
            exam.id = string_field(e, "exam", w);
            exam.short_name = e.contains("short_name") ? string_field(e, "short_name", w) : exam.id;
            exam.readiness = field(e, "readiness", Json::value_t::number_float, w).get<double>();
            exam.passing = field(e, "passing", Json::value_t::number_float, w).get<double>();
            const Json& domains = field(e, "domains", Json::value_t::array, w);
            for (std::size_t k = 0; k < domains.size(); ++k) {
                const std::string dw = w + "/domains/" + std::to_string(k);
                if (!domains[k].is_object()) throw Malformed{dw, "an object was expected"};
                exam.domains.push_back({string_field(domains[k], "id", dw), string_field(domains[k], "name", dw),
                                        field(domains[k], "mastery", Json::value_t::number_float, dw).get<double>()});
            }
            out.exams.push_back(std::move(exam));
        }
    }
    return out;
}

}  // namespace

std::optional<LearnerResults> read_results(const std::string& file, std::string& error) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        error = file + ": error: a directory, not a results file";
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = file + ": error: cannot open the file";
        return std::nullopt;
    }
    Json root = Json::parse(in, nullptr, false);
    if (root.is_discarded()) {
        error = file + ": error: not valid JSON, so not a certdrill results file";
        return std::nullopt;
    }
    try {
        return parse_results(root, file);
    } catch (const Malformed& m) {
        error = file + ": error: " + (m.where.empty() ? "" : "(" + m.where + ") ") + m.what;
    } catch (const nlohmann::json::exception& e) {
        error = file + ": error: " + decks::without_library_tag(e.what());
    }
    return std::nullopt;
}

LearnerResponses first_responses(const LearnerResults& results) {
    std::set<std::string> questions;
    for (const auto& c : results.cards)
        if (c.type != "flashcard") questions.insert(c.id);
    LearnerResponses out;
    out.learner = results.learner;
    // The log is oldest first, but sort by time anyway: a hand-merged file may not be.
    std::vector<const app::ResultAnswer*> ordered;
    for (const auto& a : results.answers) ordered.push_back(&a);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const app::ResultAnswer* a, const app::ResultAnswer* b) { return a->at < b->at; });
    std::set<std::string> seen;
    for (const auto* a : ordered) {
        if (!questions.count(a->card_id) || !seen.insert(a->card_id).second) continue;
        out.responses.push_back({a->card_id, a->chosen, a->correct, a->response_ms});
    }
    return out;
}

}  // namespace certdrill::cli
