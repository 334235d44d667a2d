#include "cli/stats_command.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/text.hpp"

namespace certdrill::cli {

namespace {

double round_to(double v, int places) {
    double f = std::pow(10.0, places);
    return std::round(v * f) / f;
}

nlohmann::ordered_json domain_json(const app::DomainStats& d, const std::string& horizon) {
    nlohmann::ordered_json j;
    j["id"] = d.id;
    j["name"] = d.name;
    j["weight"] = round_to(d.weight, 2);
    j["cards"] = d.figures.cards;
    j["seen"] = d.figures.seen;
    j["reviews"] = d.figures.reviews;
    j["correct"] = d.figures.correct;
    j["mastery"] = round_to(d.figures.mastery, 4);
    j["recall_now"] = round_to(d.figures.recall_now, 4);
    j["horizon"] = horizon;
    j["prior"] = round_to(d.figures.prior, 4);
    j["due_now"] = d.figures.due_now;
    return j;
}

}  // namespace

std::string plan_line(const app::ExamPlanStats& p) {
    char buf[256];
    if (p.days_left < 0) {
        std::snprintf(buf, sizeof buf, "Exam date %s has passed; set a new one with 'certdrill plan --date'",
                      p.exam_date.c_str());
        return buf;
    }
    std::snprintf(buf, sizeof buf, "Exam %s: %lld day%s left, %s (%+.0f points vs the pass mark), at least %zu new a day",
                  p.exam_date.c_str(), static_cast<long long>(p.days_left), p.days_left == 1 ? "" : "s",
                  p.on_track ? "on track" : "not on track", 100 * p.margin, p.new_per_day);
    return buf;
}

void print_stats_json(const app::Stats& stats, std::ostream& out) {
    nlohmann::ordered_json root;
    root["exams"] = nlohmann::ordered_json::array();
    for (const auto& e : stats.exams) {
        nlohmann::ordered_json j;
        j["id"] = e.id;
        j["name"] = e.name;
        j["readiness"] = round_to(e.readiness, 4);
        j["mastery"] = round_to(e.readiness, 4);
        j["recall_now"] = round_to(e.recall_now, 4);
        j["horizon"] = e.horizon_label;
        j["passing"] = round_to(e.passing, 4);
        if (e.readiness_scaled) j["readiness_scaled"] = *e.readiness_scaled;
        j["cards"] = e.cards;
        j["seen"] = e.seen;
        j["reviews"] = e.reviews;
        j["correct"] = e.correct;
        j["due_now"] = e.due_now;
        j["domains"] = nlohmann::ordered_json::array();
        for (const auto& d : e.domains) j["domains"].push_back(domain_json(d, e.horizon_label));
        j["weakest_topics"] = nlohmann::ordered_json::array();
        for (const auto& t : e.weakest_topics)
            j["weakest_topics"].push_back({{"id", t.id},
                                           {"name", t.name},
                                           {"domain", t.domain_id},
                                           {"mastery", round_to(t.figures.mastery, 4)},
                                           {"studied_mastery", round_to(t.figures.seen_mastery, 4)},
                                           {"rank", round_to(t.rank, 4)},
                                           {"reviews", t.figures.reviews},
                                           {"counted", t.figures.counted},
                                           {"lapses", t.figures.lapses}});
        if (e.plan) {
            const auto& p = *e.plan;
            j["exam_date"] = p.exam_date;
            j["days_left"] = p.days_left;
            j["readiness_exam_day"] = round_to(p.readiness_exam_day, 4);
            j["on_track"] = p.on_track;
            j["margin"] = round_to(p.margin, 4);
            j["new_per_day"] = p.new_per_day;
            j["due_per_day"] = nlohmann::ordered_json::array();
            for (const auto& [day, count] : p.due_per_day) j["due_per_day"].push_back({day, count});
        }
        // This exam's own activity (the top-level figures add up every exam in scope).
        j["activity"] = {{"reviews_today", e.reviews_today},
                         {"reviews_per_day", e.reviews_per_day},
                         {"due_per_day", e.due_per_day}};
        j["attempts"] = nlohmann::ordered_json::array();
        for (const auto& a : e.attempts) {
            nlohmann::ordered_json aj{{"at", format_iso8601(a.at)},
                                      {"items", a.items},
                                      {"percent", round_to(a.percent, 2)},
                                      {"passed", a.passed},
                                      {"duration_ms", a.duration}};
            if (a.scaled) aj["scaled"] = *a.scaled;
            j["attempts"].push_back(aj);
        }
        j["mock_trend"] = nlohmann::ordered_json::array();
        for (const auto& t : e.mock_trend)
            j["mock_trend"].push_back({{"at", format_iso8601(t.at)},
                                       {"kind", t.adaptive ? "adaptive" : "linear"},
                                       {"value", round_to(t.value, 3)},
                                       {"pass_mark", round_to(t.pass_mark, 3)},
                                       {"passed", t.passed},
                                       {"items", t.items}});
        root["exams"].push_back(j);
    }
    root["totals"] = {{"cards", stats.cards},
                      {"seen", stats.seen},
                      {"reviews", stats.reviews},
                      {"correct", stats.correct},
                      {"due_now", stats.due_now}};
    root["streak"] = stats.streak_days;
    root["reviews_today"] = stats.reviews_today;
    root["reviews_per_day"] = stats.reviews_per_day;
    root["due_per_day"] = stats.due_per_day;
    out << root.dump(2) << '\n';
}

namespace {

// Every line of the text output fits a terminal this wide.
constexpr int kWidth = 80;

void print_exam_header(const app::ExamStats& e, std::ostream& out) {
    constexpr int kName = 16;
    std::string name = text::sanitize(e.short_name);
    if (text::display_width(name) > kName) name = text::fit(name, kName);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s: readiness %.0f%% %s (now %.0f%%), pass mark %.0f%%\n", name.c_str(),
                  100 * e.readiness,
                  e.plan && e.plan->days_left >= 0 ? "on exam day" : "in 30 days", 100 * e.recall_now,
                  100 * e.passing);
    out << buf;
    std::snprintf(buf, sizeof buf, "  %zu cards, %zu seen, %zu due now\n", e.cards, e.seen, e.due_now);
    out << buf;
    if (!e.plan) return;
    for (const auto& line : text::wrap(plan_line(*e.plan), kWidth - 4)) out << "  " << line << '\n';
}

void print_domains(const app::ExamStats& e, std::ostream& out) {
    constexpr int kName = 28;
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %s %6s %5s %5s %7s %5s %7s %4s\n", text::fit("domain", kName).c_str(), "weight",
                  "cards", "seen", "answers", "right", "mastery", "due");
    out << buf;
    for (const auto& d : e.domains) {
        std::snprintf(buf, sizeof buf, "  %s %5.1f%% %5zu %5zu %7zu %5zu %6.0f%% %4zu\n",
                      text::fit(text::sanitize(d.id + " " + d.name), kName).c_str(), d.weight, d.figures.cards,
                      d.figures.seen, d.figures.reviews, d.figures.correct, 100 * d.figures.mastery,
                      d.figures.due_now);
        out << buf;
    }
}

// "5 of 12 right, 2 lapses": the answers a topic's figure rests on.
std::string evidence(const Mastery& m) {
    std::string out = std::to_string(m.correct) + " of " + std::to_string(m.reviews) + " right";
    if (m.lapses > 0) out += ", " + std::to_string(m.lapses) + (m.lapses == 1 ? " lapse" : " lapses");
    return out;
}

void print_weakest_topics(const app::ExamStats& e, std::ostream& out) {
    if (e.weakest_topics.empty()) {
        out << "  weakest topics: none yet (a topic needs 3 answers or a lapse)\n";
        return;
    }
    out << "  weakest topics (mastery, answers):\n";
    for (const auto& t : e.weakest_topics) {
        const std::string proof = evidence(t.figures);
        const int name_width = std::max(20, kWidth - 4 - 6 - 2 - text::display_width(proof));
        char mastery[16];
        std::snprintf(mastery, sizeof mastery, " %4.0f%%  ", 100 * t.figures.mastery);
        out << "    " << text::fit(text::sanitize(t.id + " " + t.name), name_width) << mastery << proof << '\n';
    }
}

// Finished mock exams and domain quizzes, newest first.
void print_attempts(const app::ExamStats& e, std::ostream& out) {
    if (e.attempts.empty()) {
        out << "  mock exams: none yet ('certdrill exam " << e.id << "')\n";
        return;
    }
    constexpr std::size_t kShown = 5;
    const std::size_t shown = std::min(kShown, e.attempts.size());
    out << "  mock exams";
    if (shown < e.attempts.size()) out << " (latest " << shown << " of " << e.attempts.size() << ")";
    out << ":\n";
    char buf[160];
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& a = e.attempts[e.attempts.size() - 1 - i];
        const std::string kind = a.domain_id ? "domain " + *a.domain_id : a.adaptive ? "adaptive" : "full";
        const std::string scaled = a.scaled ? "  scaled " + std::to_string(*a.scaled) : "";
        std::snprintf(buf, sizeof buf, "    %s  %s %4d items  %3.0f%% right%s  %s\n", a.date.c_str(),
                      text::fit(text::sanitize(kind), 10).c_str(), a.items, a.percent, scaled.c_str(),
                      a.passed ? "passed" : "failed");
        out << buf;
    }
}

}  // namespace

void print_stats_text(const app::Stats& stats, std::ostream& out) {
    for (const auto& e : stats.exams) {
        print_exam_header(e, out);
        print_domains(e, out);
        print_weakest_topics(e, out);
        print_attempts(e, out);
        out << '\n';
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, "Reviews today: %d   Streak: %d day%s   Total reviews: %zu\n", stats.reviews_today,
                  stats.streak_days, stats.streak_days == 1 ? "" : "s", stats.reviews);
    out << buf;
}

}  // namespace certdrill::cli
