#include "cli/optimize_command.hpp"

#include <cstdio>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "app/errors.hpp"
#include "app/optimize.hpp"
#include "app/replay.hpp"
#include "core/fsrs_optimizer.hpp"

namespace certdrill::cli {

namespace {

using nlohmann::ordered_json;

constexpr std::size_t kErrorsShown = 10;

// "optimizing: 37%" redrawn in place; cleared when done.
class ProgressLine {
public:
    ProgressLine(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
    ~ProgressLine() {
        if (enabled_ && drawn_) err_ << "\r\x1b[K" << std::flush;
    }
    void operator()(std::size_t done, std::size_t total) {
        if (!enabled_ || total == 0) return;
        const int percent = static_cast<int>(100 * done / total);
        if (percent == last_percent_) return;
        last_percent_ = percent;
        drawn_ = true;
        err_ << "\roptimizing: " << percent << "% (" << done << "/" << total << " steps)" << std::flush;
    }

private:
    std::ostream& err_;
    bool enabled_;
    bool drawn_ = false;
    int last_percent_ = -1;
};

ordered_json weights_json(const fsrs::Weights& w) {
    ordered_json list = ordered_json::array();
    for (const double x : w) list.push_back(x);
    return list;
}

std::string fixed(double x, int digits) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, x);
    return buffer;
}

void print_weights(std::ostream& out, const fsrs::Weights& w) {
    out << "  parameters:";
    for (std::size_t i = 0; i < w.size(); ++i) out << (i % 7 == 0 ? "\n    " : " ") << fixed(w[i], 4);
    out << '\n';
}

void print_table(std::ostream& out, const std::string& before_label, const fsrs::Evaluation& before,
                 const fsrs::Evaluation& after) {
    out << "                         log loss   RMSE(bins)\n";
    out << "  " << before_label << std::string(before_label.size() < 23 ? 23 - before_label.size() : 1, ' ')
        << fixed(before.log_loss, 4) << "     " << fixed(before.rmse_bins, 4) << '\n';
    out << "  fitted                 " << fixed(after.log_loss, 4) << "     " << fixed(after.rmse_bins, 4) << '\n';
}

const char* outcome_name(fsrs::FitOutcome outcome) {
    switch (outcome) {
        case fsrs::FitOutcome::Defaults:
            return "defaults";
        case fsrs::FitOutcome::Pretrained:
            return "pretrained";
        case fsrs::FitOutcome::Trained:
            return "trained";
    }
    return "defaults";
}

}  // namespace

int optimize_from(std::istream& in, const DayCounter& days, const OptimizeOutput& output) {
    std::vector<std::vector<fsrs::TimedReview>> cards;
    std::string line;
    std::size_t line_number = 0, errors = 0;
    std::vector<fsrs::TimedReview> reviews;
    while (std::getline(in, line)) {
        ++line_number;
        if (app::is_blank_line(line)) continue;
        if (const auto error = app::read_review_history(line, reviews)) {
            if (++errors <= kErrorsShown) output.err << "line " << line_number << ": " << *error << '\n';
            continue;
        }
        cards.push_back(reviews);
    }
    if (errors > 0) {
        if (errors > kErrorsShown) output.err << "(" << errors - kErrorsShown << " more bad lines)\n";
        throw app::data_error(
            "the input has " + std::to_string(errors) + " bad line" + (errors == 1 ? "" : "s") + "; nothing was fitted",
            "fix the lines above (one card per line: {\"reviews\":[{\"at\":ISO 8601,\"rating\":1-4},...]})");
    }
    const fsrs::ReviewLog log = fsrs::make_review_log(cards, days);
    fsrs::FitOptions options;
    ProgressLine progress(output.err, output.progress);
    options.progress = [&](std::size_t done, std::size_t total) { progress(done, total); };
    const fsrs::FitResult fit = fsrs::fit_parameters(log, options);
    const fsrs::Evaluation before = fsrs::evaluate(log, fsrs::kDefaultWeights);
    const fsrs::Evaluation after = fsrs::evaluate(log, fit.w);
    if (output.json) {
        ordered_json j;
        j["parameters"] = weights_json(fit.w);
        j["log_loss"] = after.log_loss;
        j["rmse_bins"] = after.rmse_bins;
        j["reviews"] = log.review_count();
        j["predictions"] = log.items.size();
        j["items"] = after.items;
        j["fit"] = outcome_name(fit.outcome);
        j["defaults"] = {{"log_loss", before.log_loss}, {"rmse_bins", before.rmse_bins}};
        output.out << j.dump() << '\n';
        return 0;
    }
    output.out << "Fitted FSRS-6 to " << log.review_count() << " reviews of " << log.cards.size() << " cards ("
               << after.items << " predictions; fit: " << outcome_name(fit.outcome) << ").\n";
    print_table(output.out, "defaults", before, after);
    print_weights(output.out, fit.w);
    return 0;
}

int optimize_exam_command(const app::Services& services, const std::string& exam_id, bool reset,
                          const OptimizeOutput& output) {
    const Exam* exam = services.library.exam(exam_id);
    const std::string name = exam ? exam->short_name : exam_id;
    if (reset) {
        const bool had = app::reset_exam_parameters(services, exam_id);
        if (output.json) {
            output.out << ordered_json{{"exam", exam_id}, {"reset", had}}.dump() << '\n';
        } else {
            output.out << (had ? name + " is back on the default FSRS-6 parameters.\n"
                               : name + " already uses the default FSRS-6 parameters.\n");
        }
        return 0;
    }
    ProgressLine progress(output.err, output.progress);
    const app::OptimizeReport report =
        app::optimize_exam(services, exam_id, [&](std::size_t done, std::size_t total) { progress(done, total); });
    using Status = app::OptimizeReport::Status;
    if (output.json) {
        ordered_json j;
        j["exam"] = exam_id;
        j["status"] = report.status == Status::Saved           ? "saved"
                      : report.status == Status::NoImprovement ? "no_improvement"
                                                               : "not_enough_reviews";
        j["reviews"] = report.reviews;
        j["needed"] = report.needed;
        if (report.status != Status::NotEnoughReviews) {
            j["items"] = report.items;
            j["parameters"] = weights_json(report.weights);
            j["log_loss"] = report.after.log_loss;
            j["rmse_bins"] = report.after.rmse_bins;
            j["before"] = {{"log_loss", report.before.log_loss},
                           {"rmse_bins", report.before.rmse_bins},
                           {"parameters", report.was_fitted ? "fitted" : "defaults"}};
        }
        output.out << j.dump() << '\n';
        return 0;
    }
    if (report.status == Status::NotEnoughReviews) {
        output.out << name << ": " << report.reviews << " answers so far; fitting needs at least " << report.needed
                   << ", so " << report.needed - report.reviews
                   << " more are needed. Until then the default FSRS-6 parameters stay in use.\n";
        return 0;
    }
    const std::string before_label = report.was_fitted ? "current (fitted)" : "defaults";
    output.out << name << ": fitted FSRS-6 to " << report.reviews << " answers (" << report.items
               << " predictions of a later day's answer).\n";
    print_table(output.out, before_label, report.before, report.after);
    if (report.status == Status::Saved) {
        output.out << "Saved. Study sessions and mock exams for " << name
                   << " now schedule with these parameters;\n'certdrill optimize --exam " << exam_id
                   << " --reset' returns to the defaults.\n";
    } else {
        output.out << "The fitted parameters do not predict your answers better than the "
                   << (report.was_fitted ? "current ones" : "defaults") << ", so nothing changed.\n";
    }
    return 0;
}

}  // namespace certdrill::cli
