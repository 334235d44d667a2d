#include "cli/stats_command.hpp"

#include <cmath>
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

// The last mock results against the pass mark, oldest first.
void print_trend(const app::ExamStats& e, std::ostream& out) {
    if (e.mock_trend.empty()) return;
    constexpr std::size_t kShown = 8;
    const std::size_t first = e.mock_trend.size() > kShown ? e.mock_trend.size() - kShown : 0;
    std::string linear, adaptive;
    char buf[32];
    for (std::size_t i = first; i < e.mock_trend.size(); ++i) {
        const auto& t = e.mock_trend[i];
        std::snprintf(buf, sizeof buf, t.adaptive ? " %+.2f%s" : " %.0f%%%s", t.value, t.passed ? "" : "*");
        (t.adaptive ? adaptive : linear) += buf;
    }
    if (!linear.empty())
        out << "  mock exams (percent correct, pass mark " << static_cast<int>(std::lround(100 * e.passing)) << "%, * failed):"
            << linear << '\n';
    if (!adaptive.empty())
        out << "  adaptive mock exams (ability minus the passing standard, logits; * failed):" << adaptive << '\n';
}

}  // namespace

void print_stats_text(const app::Stats& stats, std::ostream& out) {
    char buf[256];
    for (const auto& e : stats.exams) {
        std::snprintf(buf, sizeof buf, "%s  readiness %.0f%% %s (now %.0f%%)  pass mark %.0f%%  %zu cards, %zu seen, %zu due now\n",
                      text::sanitize(e.short_name).c_str(), 100 * e.readiness,
                      e.plan && e.plan->days_left >= 0 ? "on exam day" : "in 30 days", 100 * e.recall_now,
                      100 * e.passing, e.cards, e.seen, e.due_now);
        out << buf;
        if (e.plan) out << "  " << plan_line(*e.plan) << '\n';
        out << "  domain                                              weight  cards  seen  reviews  right  mastery  "
               "due\n";
        for (const auto& d : e.domains) {
            std::string name = text::fit(text::sanitize(d.id + " " + d.name), 50);
            std::snprintf(buf, sizeof buf, "  %s  %5.1f%%  %5zu  %4zu  %7zu  %5zu  %6.0f%%  %3zu\n", name.c_str(),
                          d.weight, d.figures.cards, d.figures.seen, d.figures.reviews, d.figures.correct,
                          100 * d.figures.mastery, d.figures.due_now);
            out << buf;
        }
        print_trend(e, out);
        out << '\n';
    }
    std::snprintf(buf, sizeof buf, "Reviews today: %d   Streak: %d day%s   Total reviews: %zu\n", stats.reviews_today,
                  stats.streak_days, stats.streak_days == 1 ? "" : "s", stats.reviews);
    out << buf;
}

}  // namespace certdrill::cli
