#include "cli/class_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/deck_output.hpp"
#include "cli/runtime.hpp"
#include "core/text.hpp"
#include "decks/deck_writer.hpp"

namespace certdrill::cli {

using Json = nlohmann::ordered_json;

namespace {

double round_to(double v, int places) {
    const double f = std::pow(10.0, places);
    return std::round(v * f) / f;
}

// Every question any learner answered, keyed as in the first file that lists it.
std::vector<ItemKey> item_keys(const std::vector<LearnerResults>& learners, std::vector<std::string>& notes) {
    std::vector<ItemKey> keys;
    std::map<std::string, std::size_t> index;
    for (const auto& l : learners)
        for (const auto& c : l.cards) {
            if (c.type == "flashcard") continue;
            auto [it, inserted] = index.emplace(c.id, keys.size());
            if (inserted) {
                keys.push_back({c.id, c.options, c.answer, c.exam_id, c.domain_id});
            } else if (keys[it->second].answer != c.answer || keys[it->second].options != c.options) {
                notes.push_back("item " + c.id + " is keyed " + c.answer + " in " + l.file + " but " +
                                keys[it->second].answer + " in an earlier file; the earlier key is used");
            }
        }
    return keys;
}

double first_accuracy(const LearnerResponses& r) {
    if (r.responses.empty()) return 0.0;
    int right = 0;
    for (const auto& x : r.responses) right += x.correct ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(r.responses.size());
}

std::string percent(double share) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100 * share);
    return buf;
}

std::string flags_text(const ItemStatistics& s) {
    std::string out;
    for (const auto& f : s.flags) out += (out.empty() ? "" : ", ") + f;
    return out;
}

std::string seconds(const std::optional<std::int64_t>& ms) {
    if (!ms) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0fs", static_cast<double>(*ms) / 1000.0);
    return buf;
}

std::string discrimination_text(const std::optional<double>& d) {
    if (!d) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%+.2f", *d);
    return buf;
}

}  // namespace

ClassReport build_class_report(std::vector<LearnerResults> learners) {
    ClassReport report;
    std::map<std::string, int> names;
    for (const auto& l : learners)
        if (++names[l.learner] == 2)
            report.notes.push_back("two results files name learner '" + l.learner +
                                   "': each file is counted as a learner");
    const auto keys = item_keys(learners, report.notes);
    for (const auto& l : learners) report.first.push_back(first_responses(l));
    report.items = analyse_items(keys, report.first);
    report.learners = std::move(learners);
    return report;
}

void print_class_report_text(const ClassReport& r, std::ostream& out) {
    std::size_t flagged = 0;
    for (const auto& s : r.items) flagged += s.flags.empty() ? 0 : 1;
    out << "Class report: " << r.learners.size() << (r.learners.size() == 1 ? " learner, " : " learners, ")
        << r.items.size() << (r.items.size() == 1 ? " item" : " items") << " answered, " << flagged << " flagged\n";
    out << "Item statistics use each learner's first answer only. p = share right; disc = point-biserial "
           "against the rest score.\n\n";
    char buf[512];
    std::snprintf(buf, sizeof buf, "  %-28s %4s %5s %6s %6s  %s\n", "item", "n", "p", "disc", "time", "flags");
    out << buf;
    // Flagged items first, worst discrimination first, so the items to fix head the list.
    std::vector<const ItemStatistics*> order;
    for (const auto& s : r.items) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const ItemStatistics* a, const ItemStatistics* b) {
        if (a->flags.empty() != b->flags.empty()) return !a->flags.empty();
        return a->discrimination.value_or(2.0) < b->discrimination.value_or(2.0);
    });
    for (const auto* s : order) {
        std::snprintf(buf, sizeof buf, "  %-28s %4d %5s %6s %6s  %s\n",
                      text::fit(text::sanitize(s->key.id), 28).c_str(), s->n, percent(s->p).c_str(),
                      discrimination_text(s->discrimination).c_str(), seconds(s->median_ms).c_str(),
                      flags_text(*s).c_str());
        out << buf;
        if (std::find(s->flags.begin(), s->flags.end(), "negative-discrimination") != s->flags.end()) {
            std::string shares;
            for (const auto& [letter, share] : s->option_shares)
                shares += "  " + letter + (s->key.answer.find(letter) != std::string::npos ? "*" : "") + " " +
                          percent(share);
            out << "      key " << s->key.answer << ";" << shares << "  (check the key and the wording)\n";
        }
    }
    out << "\n";
    std::snprintf(buf, sizeof buf, "  %-28s %7s %6s %9s  %s\n", "learner", "answers", "items", "1st right",
                  "readiness");
    out << buf;
    for (std::size_t i = 0; i < r.learners.size(); ++i) {
        const auto& l = r.learners[i];
        std::string readiness;
        for (const auto& e : l.exams)
            readiness += (readiness.empty() ? "" : "  ") + text::sanitize(e.short_name) + " " + percent(e.readiness) +
                         " (pass " + percent(e.passing) + ")";
        std::snprintf(buf, sizeof buf, "  %-28s %7zu %6zu %9s  %s\n", text::fit(text::sanitize(l.learner), 28).c_str(),
                      l.answers.size(), r.first[i].responses.size(), percent(first_accuracy(r.first[i])).c_str(),
                      readiness.c_str());
        out << buf;
    }
    for (const auto& n : r.notes) out << "note: " << text::sanitize(n) << '\n';
}

std::string class_report_json(const ClassReport& r) {
    Json root;
    root["items"] = Json::array();
    for (const auto& s : r.items) {
        Json options = Json::object();
        for (const auto& [letter, share] : s.option_shares) options[letter] = round_to(share, 4);
        Json key = Json::array();
        for (char c : s.key.answer) key.push_back(std::string(1, c));
        root["items"].push_back({{"id", s.key.id},
                                 {"exam", s.key.exam_id},
                                 {"domain", s.key.domain_id},
                                 {"n", s.n},
                                 {"p", round_to(s.p, 4)},
                                 {"discrimination", s.discrimination ? Json(round_to(*s.discrimination, 4)) : Json()},
                                 {"median_ms", s.median_ms ? Json(*s.median_ms) : Json()},
                                 {"key", key},
                                 {"options", options},
                                 {"flags", s.flags}});
    }
    root["learners"] = Json::array();
    for (std::size_t i = 0; i < r.learners.size(); ++i) {
        const auto& l = r.learners[i];
        Json exams = Json::array();
        for (const auto& e : l.exams) {
            Json domains = Json::array();
            for (const auto& d : e.domains)
                domains.push_back({{"id", d.id}, {"name", d.name}, {"mastery", round_to(d.mastery, 4)}});
            exams.push_back({{"exam", e.id},
                             {"readiness", round_to(e.readiness, 4)},
                             {"passing", round_to(e.passing, 4)},
                             {"domains", domains}});
        }
        std::size_t right = 0;
        for (const auto& a : l.answers) right += a.correct ? 1 : 0;
        root["learners"].push_back(
            {{"learner", l.learner},
             {"answers", l.answers.size()},
             {"accuracy", l.answers.empty() ? 0.0 : round_to(static_cast<double>(right) / l.answers.size(), 4)},
             {"items", r.first[i].responses.size()},
             {"first_accuracy", round_to(first_accuracy(r.first[i]), 4)},
             {"exams", exams}});
    }
    root["notes"] = r.notes;
    return root.dump(2) + "\n";
}

namespace {
// RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}
}  // namespace

std::string class_report_csv(const ClassReport& r) {
    std::string out = "id,exam,domain,n,p,discrimination,median_ms,key,A,B,C,D,E,F,G,H,flags\r\n";
    char buf[64];
    for (const auto& s : r.items) {
        out += csv_field(s.key.id) + "," + csv_field(s.key.exam_id) + "," + csv_field(s.key.domain_id) + "," +
               std::to_string(s.n) + ",";
        std::snprintf(buf, sizeof buf, "%.4f,", s.p);
        out += buf;
        if (s.discrimination) {
            std::snprintf(buf, sizeof buf, "%.4f", *s.discrimination);
            out += buf;
        }
        out += "," + (s.median_ms ? std::to_string(*s.median_ms) : std::string()) + "," + s.key.answer;
        for (char letter = 'A'; letter <= 'H'; ++letter) {
            out += ",";
            auto it = s.option_shares.find(std::string(1, letter));
            if (it == s.option_shares.end()) continue;
            std::snprintf(buf, sizeof buf, "%.4f", it->second);
            out += buf;
        }
        std::string flags;
        for (const auto& f : s.flags) flags += (flags.empty() ? "" : " ") + f;
        out += "," + flags + "\r\n";
    }
    return out;
}

int class_report_command(const ClassReportOptions& options, std::ostream& out, std::ostream& err) {
    return report_errors(err, [&] {
    std::vector<LearnerResults> learners;
    bool failed = false;
    for (const auto& file : options.files) {
        std::string error;
        if (auto r = read_results(file, error))
            learners.push_back(std::move(*r));
        else {
            err << text::sanitize(error) << '\n';
            failed = true;
        }
    }
    if (failed)
        throw app::data_error("some files are not certdrill results files, so no report was made",
                              "pass only files written by 'certdrill results export'");
    const ClassReport report = build_class_report(std::move(learners));
    auto write = [&](const std::optional<std::string>& file, const std::string& text) {
        if (!file) return;
        write_new_output(*file, text, "choose another file name, or remove the old report");
        err << "wrote " << *file << '\n';
    };
    write(options.html, class_report_html(report));
    write(options.csv, class_report_csv(report));
    if (options.json)
        out << class_report_json(report);
    else
        print_class_report_text(report, out);
    return 0;
    });
}

}  // namespace certdrill::cli
