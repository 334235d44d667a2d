#include <cmath>
#include <set>

#include "decks/readers.hpp"

namespace certdrill::decks {

namespace {

Outline read_outline(const Json& o, const std::string& p, FileReporter& r) {
    Outline out;
    if (!o.is_object()) return out;
    check_fields(o, p,
                 {{"version", JsonType::String, true},
                  {"effective", JsonType::String, true},
                  {"retired", JsonType::String, false},
                  {"source_url", JsonType::String, true},
                  {"checked", JsonType::String, true},
                  {"confirmed", JsonType::Bool, true},
                  {"notes", JsonType::String, false}},
                 r, "outline");
    out.version = check_text(o, "version", p, r);
    out.effective = check_text(o, "effective", p, r);
    out.source_url = check_text(o, "source_url", p, r);
    out.checked = check_text(o, "checked", p, r);
    out.retired = optional_text(o, "retired", p, r).value_or("");
    out.notes = check_text(o, "notes", p, r);
    out.confirmed = bool_or(o, "confirmed", false);
    for (auto [field, value] : {std::pair{"effective", &out.effective}, std::pair{"checked", &out.checked},
                                std::pair{"retired", &out.retired}})
        if (!value->empty() && !is_iso_date(*value))
            r.error(child(p, field), std::string("'") + field + "' must be a date like 2024-04-15", "use YYYY-MM-DD");
    if (!out.source_url.empty() && !is_web_address(out.source_url))
        r.error(child(p, "source_url"), "'source_url' must be a web address with a host name",
                "e.g. \"https://www.isc2.org/certifications/cissp\"");
    if (!out.retired.empty() && is_iso_date(out.retired))
        r.warning(child(p, "retired"), "outline '" + out.version + "' is retired from " + out.retired,
                  "update the blueprint and its decks to the outline in force");
    return out;
}

// source_url, checked, confirmed, notes: where a rule comes from.
Provenance read_provenance(const Json& o, const std::string& p, FileReporter& r) {
    Provenance out;
    out.source_url = check_text(o, "source_url", p, r);
    out.checked = check_text(o, "checked", p, r);
    out.notes = check_text(o, "notes", p, r);
    out.confirmed = bool_or(o, "confirmed", false);
    if (!out.checked.empty() && !is_iso_date(out.checked))
        r.error(child(p, "checked"), "'checked' must be a date like 2026-12-04", "use YYYY-MM-DD");
    if (!out.source_url.empty() && out.source_url.rfind("https://", 0) != 0 && out.source_url.rfind("http://", 0) != 0)
        r.error(child(p, "source_url"), "'source_url' must be a web address", "start it with https://");
    return out;
}

std::optional<int> small_integer(const Json& o, const char* key, int low, int high, const std::string& p,
                                 FileReporter& r) {
    auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer()) return std::nullopt;
    const auto v = it->get<long long>();
    if (v < low || v > high) {
        r.error(child(p, key), std::string("'") + key + "' is out of range",
                "use a value from " + std::to_string(low) + " to " + std::to_string(high));
        return std::nullopt;
    }
    return static_cast<int>(v);
}

ScoringRule read_scoring(const Json& o, const std::string& p, FileReporter& r) {
    ScoringRule out;
    if (!o.is_object()) return out;
    check_fields(o, p,
                 {{"report", JsonType::String, true},
                  {"raw_cut_published", JsonType::Bool, true},
                  {"source_url", JsonType::String, true},
                  {"checked", JsonType::String, true},
                  {"confirmed", JsonType::Bool, true},
                  {"notes", JsonType::String, false}},
                 r, "scoring");
    out.report = check_text(o, "report", p, r);
    if (!out.report.empty() && out.report != "scaled" && out.report != "percent" && out.report != "adaptive")
        r.error(child(p, "report"), "'report' must be \"scaled\", \"percent\" or \"adaptive\"",
                did_you_mean(out.report, {"scaled", "percent", "adaptive"}));
    out.raw_cut_published = bool_or(o, "raw_cut_published", false);
    out.source = read_provenance(o, p, r);
    return out;
}

NavigationRule read_navigation(const Json& o, const std::string& p, FileReporter& r) {
    NavigationRule out;
    if (!o.is_object()) return out;
    check_fields(o, p,
                 {{"skip_limit", JsonType::Integer, false},
                  {"source_url", JsonType::String, true},
                  {"checked", JsonType::String, true},
                  {"confirmed", JsonType::Bool, true},
                  {"notes", JsonType::String, false}},
                 r, "navigation");
    out.skip_limit = small_integer(o, "skip_limit", 0, 1000, p, r);
    out.source = read_provenance(o, p, r);
    return out;
}

AdaptiveRule read_adaptive(const Json& o, const std::string& p, FileReporter& r) {
    AdaptiveRule out;
    if (!o.is_object()) return out;
    check_fields(o, p,
                 {{"pretest_items", JsonType::Integer, true},
                  {"confidence_percent", JsonType::Number, true},
                  {"time_rule_items", JsonType::Integer, true},
                  {"source_url", JsonType::String, true},
                  {"checked", JsonType::String, true},
                  {"confirmed", JsonType::Bool, true},
                  {"notes", JsonType::String, false}},
                 r, "adaptive");
    out.pretest_items = small_integer(o, "pretest_items", 0, 1000, p, r).value_or(out.pretest_items);
    out.time_rule_items = small_integer(o, "time_rule_items", 1, 1000, p, r).value_or(out.time_rule_items);
    if (auto it = o.find("confidence_percent"); it != o.end() && it->is_number()) {
        out.confidence_percent = it->get<double>();
        if (!(out.confidence_percent >= 50 && out.confidence_percent < 100))
            r.error(child(p, "confidence_percent"), "'confidence_percent' must be from 50 to below 100");
    }
    out.source = read_provenance(o, p, r);
    return out;
}

ExamFormat read_format(const Json& f, const std::string& p, FileReporter& r) {
    ExamFormat out;
    if (!f.is_object()) return out;
    check_fields(f, p,
                 {{"items_min", JsonType::Integer, true},
                  {"items_max", JsonType::Integer, true},
                  {"minutes", JsonType::Integer, true},
                  {"scale_min", JsonType::Integer, false},
                  {"scale_max", JsonType::Integer, false},
                  {"passing_score", JsonType::Integer, false},
                  {"passing_percent", JsonType::Number, true},
                  {"delivery", JsonType::String, true},
                  {"revisit", JsonType::Bool, true},
                  {"open_book", JsonType::Bool, true},
                  {"notes", JsonType::String, false},
                  {"scoring", JsonType::Object, false},
                  {"navigation", JsonType::Object, false},
                  {"adaptive", JsonType::Object, false}},
                 r, "format");
    auto integer = [&](const char* k) -> std::optional<int> {
        if (auto it = f.find(k); it != f.end() && it->is_number_integer()) {
            auto v = it->get<long long>();
            if (v < 0 || v > 100000) {
                r.error(child(p, k), std::string("'") + k + "' is out of range", "use a value from 0 to 100000");
                return std::nullopt;
            }
            return static_cast<int>(v);
        }
        return std::nullopt;
    };
    out.items_min = integer("items_min").value_or(0);
    out.items_max = integer("items_max").value_or(0);
    out.minutes = integer("minutes").value_or(0);
    out.scale_min = integer("scale_min");
    out.scale_max = integer("scale_max");
    out.passing_score = integer("passing_score");
    if (f.contains("items_min") && out.items_min < 1) r.error(child(p, "items_min"), "'items_min' must be at least 1");
    if (out.items_max < out.items_min)
        r.error(child(p, "items_max"), "'items_max' is smaller than 'items_min'", "items_max >= items_min");
    if (f.contains("minutes") && out.minutes < 1) r.error(child(p, "minutes"), "'minutes' must be at least 1");
    if (auto it = f.find("passing_percent"); it != f.end() && it->is_number()) {
        out.passing_percent = it->get<double>();
        if (!(out.passing_percent > 0 && out.passing_percent <= 100))
            r.error(child(p, "passing_percent"), "'passing_percent' must be above 0 and at most 100");
    }
    bool any_scale = out.scale_min || out.scale_max || out.passing_score;
    if (any_scale && !(out.scale_min && out.scale_max && out.passing_score))
        r.error(p, "a scale needs all of 'scale_min', 'scale_max' and 'passing_score'", "give all three or none");
    else if (any_scale && !(*out.scale_min <= *out.passing_score && *out.passing_score <= *out.scale_max &&
                            *out.scale_min < *out.scale_max))
        r.error(child(p, "passing_score"), "'passing_score' must lie between 'scale_min' and 'scale_max'");
    if (auto it = f.find("delivery"); it != f.end() && it->is_string()) {
        auto d = it->get<std::string>();
        if (d != "adaptive" && d != "linear")
            r.error(child(p, "delivery"), "'delivery' must be \"adaptive\" or \"linear\"",
                    did_you_mean(d, {"adaptive", "linear"}));
        out.adaptive = d == "adaptive";
    }
    out.revisit = bool_or(f, "revisit", true);
    out.open_book = bool_or(f, "open_book", false);
    out.notes = check_text(f, "notes", p, r);
    if (f.contains("scoring")) out.scoring = read_scoring(f["scoring"], child(p, "scoring"), r);
    else out.scoring.report = out.adaptive ? "adaptive" : out.scale_min ? "scaled" : "percent";
    if (out.scoring.report == "scaled" && !out.scale_min)
        r.error(child(p, "scoring"), "a scaled score report needs 'scale_min', 'scale_max' and 'passing_score'");
    if (out.scoring.report == "adaptive" && !out.adaptive)
        r.error(child(p, "scoring"), "an adaptive score report needs \"delivery\": \"adaptive\"");
    if (f.contains("navigation")) out.navigation = read_navigation(f["navigation"], child(p, "navigation"), r);
    if (out.navigation.skip_limit && out.revisit)
        r.error(child(p, "navigation"), "'skip_limit' applies only where answered items cannot be revisited",
                "set \"revisit\": false, or remove 'skip_limit'");
    if (f.contains("adaptive")) out.cat = read_adaptive(f["adaptive"], child(p, "adaptive"), r);
    if (out.adaptive && out.cat.pretest_items >= out.items_min && out.items_min > 0)
        r.error(child(p, "adaptive"), "'pretest_items' must be fewer than 'items_min'");
    return out;
}

std::vector<Objective> read_objectives(const Json& list, const std::string& p, FileReporter& r,
                                       std::set<std::string>& seen_ids, int depth) {
    std::vector<Objective> out;
    if (!list.is_array()) return out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Json& o = list[i];
        std::string op = child(p, i);
        if (!o.is_object()) {
            r.error(op, "an objective must be an object, not " + describe(o),
                    "write {\"id\": \"1.1\", \"name\": \"...\"}");
            continue;
        }
        check_fields(
            o, op,
            {{"id", JsonType::String, true}, {"name", JsonType::String, true}, {"objectives", JsonType::Array, false}},
            r, "objective");
        Objective obj;
        obj.id = check_text(o, "id", op, r);
        obj.name = check_text(o, "name", op, r);
        if (!obj.id.empty() && !seen_ids.insert(obj.id).second)
            r.error(child(op, "id"), "objective id '" + obj.id + "' is used twice in this exam",
                    "give each objective its own id");
        if (o.contains("objectives")) {
            if (depth >= 2)
                r.error(child(op, "objectives"), "objectives nest at most two levels", "flatten the list");
            else
                obj.children = read_objectives(o["objectives"], child(op, "objectives"), r, seen_ids, depth + 1);
        }
        out.push_back(std::move(obj));
    }
    return out;
}

void read_domains(const Json& list, const std::string& p, FileReporter& r, Exam& exam, FileSummary& summary) {
    if (!list.is_array()) return;
    if (list.empty()) r.error(p, "'domains' is empty", "an exam needs at least one domain");
    std::set<std::string> domain_ids, objective_ids;
    double weight_sum = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Json& d = list[i];
        std::string dp = child(p, i);
        if (!d.is_object()) {
            r.error(dp, "a domain must be an object, not " + describe(d));
            continue;
        }
        check_fields(d, dp,
                     {{"id", JsonType::String, true},
                      {"number", JsonType::Integer, true},
                      {"name", JsonType::String, true},
                      {"weight", JsonType::Number, false},
                      {"objectives", JsonType::Array, false}},
                     r, "domain");
        Domain dom;
        dom.id = check_text(d, "id", dp, r);
        dom.name = check_text(d, "name", dp, r);
        if (auto it = d.find("number"); it != d.end() && it->is_number_integer())
            dom.number = static_cast<int>(std::clamp<long long>(it->get<long long>(), -1, 1000));
        check_identifier(dom.id, child(dp, "id"), "domain", "d1", r);
        if (!dom.id.empty() && !domain_ids.insert(dom.id).second)
            r.error(child(dp, "id"), "domain id '" + dom.id + "' is used twice", "give each domain its own id");
        if (auto it = d.find("weight"); it != d.end() && it->is_number()) {
            dom.weight = it->get<double>();
            if (!exam.weighted)
                r.error(child(dp, "weight"), "this exam is marked unweighted but the domain has a weight",
                        "remove the weight or set \"weighted\": true");
            else if (!(dom.weight > 0 && dom.weight <= 100))
                r.error(child(dp, "weight"), "'weight' must be a percent above 0 and at most 100");
            weight_sum += dom.weight;
        } else if (exam.weighted && d.is_object()) {
            r.error(dp, "domain '" + dom.id + "' has no weight",
                    "add \"weight\": <percent>, or set \"weighted\": false for the exam");
        }
        dom.objectives = read_objectives(d.contains("objectives") ? d["objectives"] : Json::array(),
                                         child(dp, "objectives"), r, objective_ids, 1);
        exam.domains.push_back(std::move(dom));
    }
    if (exam.weighted && !list.empty() && std::abs(weight_sum - 100.0) > 0.01) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", weight_sum);
        r.error(p, std::string("domain weights add up to ") + buf + "%, not 100%",
                "fix the weights, or set \"weighted\": false if the exam publishes none");
    }
    summary.domains = exam.domains.size();
    summary.objectives = objective_ids.size();
    summary.weight_sum = weight_sum;
}

}  // namespace

std::optional<Exam> read_exam(const Json& root, FileReporter& r, FileSummary& summary) {
    const std::string p;
    int errors_before = r.errors();
    check_fields(root, p,
                 {{"format_version", JsonType::Integer, true},
                  {"kind", JsonType::String, true},
                  {"id", JsonType::String, true},
                  {"name", JsonType::String, true},
                  {"short_name", JsonType::String, true},
                  {"vendor", JsonType::String, true},
                  {"outline", JsonType::Object, true},
                  {"format", JsonType::Object, true},
                  {"weighted", JsonType::Bool, true},
                  {"domains", JsonType::Array, true}},
                 r, "an exam blueprint");
    Exam exam;
    exam.file = r.file();
    exam.id = check_text(root, "id", p, r);
    check_identifier(exam.id, "/id", "exam", "cissp", r);
    exam.name = check_text(root, "name", p, r);
    exam.short_name = check_text(root, "short_name", p, r);
    exam.vendor = check_text(root, "vendor", p, r);
    exam.weighted = bool_or(root, "weighted", true);
    if (root.contains("outline")) exam.outline = read_outline(root["outline"], "/outline", r);
    if (root.contains("format")) exam.format = read_format(root["format"], "/format", r);
    if (root.contains("domains")) read_domains(root["domains"], "/domains", r, exam, summary);
    summary.id = exam.id;
    summary.weighted = exam.weighted;
    if (r.errors() > errors_before) return std::nullopt;
    return exam;
}

}  // namespace certdrill::decks
