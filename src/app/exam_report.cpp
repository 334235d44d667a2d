#include "app/exam_report.hpp"

#include <algorithm>
#include <cstdio>

#include "store/progress_store.hpp"

namespace certdrill::app {

namespace {

std::string fixed(double value, const char* format) {
    char buf[48];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

std::string signed_logits(double value) { return fixed(value, "%+.2f"); }

std::string correct_of(const DomainScore& d) {
    return fixed(d.percent(), "%.0f%%") + " (" + std::to_string(d.correct) + " of " + std::to_string(d.items) + ")";
}

void add_domain_percentages(const Exam& exam, const MockResult& r, ExamReport& report) {
    for (const auto& d : exam.domains) {
        const auto it = r.score.domains.find(d.id);
        if (it == r.score.domains.end() || it->second.items == 0) continue;
        report.domains.push_back({d.id, d.name, correct_of(it->second)});
    }
}

void adaptive_report(const MockExamSession& session, const MockResult& r, ExamReport& report) {
    const Exam& exam = session.exam();
    report.lines.push_back("Items answered: " + std::to_string(r.answered) + " (between " +
                           std::to_string(session.plan().items_min) + " and " + std::to_string(session.plan().items) +
                           "; " + std::to_string(r.pretest) + " of them unscored pretest items)");
    report.lines.push_back("Time used: " + exam_duration(r.duration) + " of " +
                           exam_duration(static_cast<UnixMs>(session.plan().minutes) * kMsPerMinute));
    report.lines.push_back("Ended: " + r.stop_reason);
    if (!r.passed) {
        // ISC2 tells a failing candidate each domain's proficiency, never a score.
        report.domains_heading = "Domain proficiency (against the passing standard)";
        for (const auto& d : exam.domains) {
            const auto it = r.proficiency.find(d.id);
            if (it == r.proficiency.end()) continue;
            report.domains.push_back({d.id, d.name, std::string(cat::to_string(it->second.level)) + " proficiency level"});
        }
    }
    report.notes.push_back("certdrill's ability estimate: " + signed_logits(r.ability.theta - r.standard) +
                           " logits from the passing standard (95% interval " +
                           signed_logits(r.ability.lower() - r.standard) + " to " +
                           signed_logits(r.ability.upper() - r.standard) +
                           "); the real score report does not show this figure");
    report.notes.push_back(
        "Item difficulties are certdrill's estimates from each question's difficulty and skill, refined by your "
        "first answers and any class calibration; see docs/mock-exams.md");
}

void linear_report(const MockExamSession& session, const MockResult& r, ExamReport& report) {
    const Exam& exam = session.exam();
    const ExamFormat& f = exam.format;
    const std::string correct = std::to_string(r.score.correct) + " of " + std::to_string(r.score.items) +
                                " correct (" + fixed(r.score.percent, "%.1f%%") + ")";
    if (f.scoring.report == "scaled" && r.score.scaled) {
        report.lines.push_back("Scaled score (estimate): " + std::to_string(*r.score.scaled) + " on the " +
                               std::to_string(*f.scale_min) + "-" + std::to_string(*f.scale_max) + " scale; " +
                               std::to_string(*f.passing_score) + " to pass");
        report.lines.push_back("Raw score: " + correct);
        if (!f.scoring.raw_cut_published)
            report.notes.push_back(
                exam.vendor + " does not publish the raw score that a scaled " + std::to_string(*f.passing_score) +
                " needs, and it differs between exam forms: a scaled " + std::to_string(*f.passing_score) +
                " is not " + fixed(100.0 * (*f.passing_score - *f.scale_min) / (*f.scale_max - *f.scale_min), "%.0f%%") +
                " correct. certdrill assumes its own cut of " + fixed(f.passing_percent, "%g%%") +
                " correct and maps the scale piecewise linearly around it");
    } else {
        report.lines.push_back("Score: " + correct + "; pass mark " + fixed(f.passing_percent, "%g%%"));
        if (f.scoring.source && !f.scoring.source->confirmed)
            report.notes.push_back("The pass mark is unconfirmed: " + f.scoring.source->notes);
    }
    report.lines.push_back("Items answered: " + std::to_string(r.answered) + " of " + std::to_string(session.size()));
    report.lines.push_back("Time used: " + exam_duration(r.duration) + " of " +
                           exam_duration(static_cast<UnixMs>(session.plan().minutes) * kMsPerMinute) +
                           (r.timed_out ? " (time ran out)" : ""));
    report.domains_heading = "By domain";
    add_domain_percentages(exam, r, report);
    if (session.plan().domain) report.notes.push_back("A domain quiz under the exam's rules, not a full exam");
}

}  // namespace

std::string exam_duration(UnixMs ms) {
    const long long minutes = ms / kMsPerMinute;
    const long long seconds = (ms / 1000) % 60;
    char buf[32];
    if (minutes >= 60)
        std::snprintf(buf, sizeof buf, "%lldh %02lldm", minutes / 60, minutes % 60);
    else
        std::snprintf(buf, sizeof buf, "%lldm %02llds", minutes, seconds);
    return buf;
}

ExamReport build_report(const MockExamSession& session) {
    ExamReport report;
    if (!session.result()) return report;
    const MockResult& r = *session.result();
    report.passed = r.passed;
    report.verdict = r.passed ? "PASS" : "FAIL";
    if (r.adaptive)
        adaptive_report(session, r, report);
    else
        linear_report(session, r, report);
    return report;
}

std::vector<ReviewEntry> review_items(const MockExamSession& session) {
    std::vector<ReviewEntry> out;
    for (int i = 0; i < session.size(); ++i) {
        const MockItem& it = session.item(i);
        ReviewEntry e;
        e.number = i + 1;
        e.stem = it.card->stem;
        e.choose = it.card->choose;
        e.answered = !it.chosen.empty();
        e.correct = it.correct;
        e.pretest = it.pretest;
        e.explanation = it.card->explanation;
        e.references = it.card->references;
        for (std::size_t screen = 0; screen < it.order.order.size(); ++screen) {
            const Option& o = it.card->options[static_cast<std::size_t>(it.order.order[screen])];
            ReviewOption ro;
            ro.letter = static_cast<char>('A' + screen);
            ro.text = o.text;
            ro.reason = o.reason;
            ro.right = o.correct;
            ro.chosen = std::find(it.chosen.begin(), it.chosen.end(), static_cast<int>(screen)) != it.chosen.end();
            e.options.push_back(ro);
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<TrendPoint> mock_trend(const Services& services, const Exam& exam) {
    std::vector<TrendPoint> out;
    for (const auto& a : services.store.attempts(exam.id)) {
        if (!a.finished_at || a.domain_id || !a.score_percent || !a.passed) continue;
        TrendPoint p;
        p.at = *a.finished_at;
        p.adaptive = a.kind == "adaptive" && a.ability && a.standard;
        p.passed = *a.passed;
        p.items = a.items_given.value_or(a.item_count);
        p.scaled = a.scaled_score;
        if (p.adaptive) {
            p.value = *a.ability - *a.standard;
            p.pass_mark = 0.0;
        } else {
            p.value = *a.score_percent;
            p.pass_mark = exam.format.passing_percent;
        }
        out.push_back(p);
    }
    return out;
}

}  // namespace certdrill::app
