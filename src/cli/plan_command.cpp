#include "cli/plan_command.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "app/errors.hpp"
#include "app/exam_date.hpp"
#include "app/stats.hpp"
#include "cli/stats_command.hpp"
#include "core/text.hpp"

namespace certdrill::cli {

namespace {

void print_forecast(const app::ExamPlanStats& plan, std::ostream& out) {
    if (plan.due_per_day.empty()) return;
    int total = 0;
    auto peak = plan.due_per_day.front();
    for (const auto& day : plan.due_per_day) {
        total += day.second;
        if (day.second > peak.second) peak = day;
    }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "Forecast to the exam (every answer right; misses add reviews): %d answers, %.0f a day on "
                  "average, the most on %s (%d)\n",
                  total, static_cast<double>(total) / static_cast<double>(plan.due_per_day.size()),
                  peak.first.c_str(), peak.second);
    out << buf;
    out << "  date        answers\n";
    for (const auto& [day, count] : plan.due_per_day) {
        std::snprintf(buf, sizeof buf, "  %s  %7d\n", day.c_str(), count);
        out << buf;
    }
}

}  // namespace

int plan_command(const app::Services& services, const Exam& exam, const std::optional<std::string>& date, bool clear,
                 std::ostream& out) {
    const std::string name = text::sanitize(exam.short_name.empty() ? exam.id : exam.short_name);
    if (clear) {
        out << (app::clear_exam_date(services, exam) ? "Exam date for " + name + " removed.\n"
                                                     : "No exam date was set for " + name + ".\n");
        return app::exit_code(app::ExitStatus::Ok);
    }
    if (date) app::set_exam_date(services, exam, *date);
    const auto stats = app::compute_stats(services, exam.id);
    const auto& e = stats.exams.front();
    if (!e.plan) {
        out << "No exam date is set for " << name << ". Set one with: certdrill plan --exam " << exam.id
            << " --date YYYY-MM-DD\n";
        return app::exit_code(app::ExitStatus::Ok);
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s  predicted readiness on exam day %.0f%% (pass mark %.0f%%), %zu of %zu cards not started\n",
                  name.c_str(), 100 * e.plan->readiness_exam_day, 100 * e.passing, e.plan->unseen, e.cards);
    out << plan_line(*e.plan) << '\n' << buf;
    print_forecast(*e.plan, out);
    return app::exit_code(app::ExitStatus::Ok);
}

}  // namespace certdrill::cli
