#include "cli/simulate_command.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace certdrill::cli {

namespace {

std::string points(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", x);
    return buffer;
}

nlohmann::ordered_json outcome_json(const PolicyOutcome& p) {
    nlohmann::ordered_json j;
    j["exam_day_score"] = p.exam_day_score;
    j["predicted"] = p.predicted;
    if (p.predicted_fitted) j["predicted_fitted"] = *p.predicted_fitted;
    j["answers_per_learner"] = p.answers_per_learner;
    j["cards_seen"] = p.cards_seen;
    return j;
}

}  // namespace

int simulate_command(const Exam& exam, const std::vector<const Card*>& cards, const SimulationConfig& config, bool json,
                     std::ostream& out, std::ostream& err, bool progress) {
    SimulationConfig c = config;
    if (progress)
        c.progress = [&err](int done, int total) {
            err << "\rsimulating: " << done << "/" << total << " learner runs" << (done == total ? "\r\x1b[K" : "")
                << std::flush;
        };
    const SimulationResult r = simulate(exam, cards, c);
    if (json) {
        nlohmann::ordered_json j;
        j["exam"] = exam.id;
        j["days"] = config.days;
        j["minutes"] = config.minutes_per_day;
        j["learners"] = config.learners;
        j["seed"] = config.seed;
        j["policies"]["planner"] = outcome_json(r.planner);
        j["policies"]["fsrs"] = outcome_json(r.fsrs);
        out << j.dump() << '\n';
        return 0;
    }
    out << config.learners << " simulated learners, " << exam.short_name << " (" << cards.size() << " cards), "
        << config.minutes_per_day << " minutes a day for " << config.days << " days:\n";
    out << "                      exam-day score   predicted   answers/learner   cards seen\n";
    const auto row = [&](const char* name, const PolicyOutcome& p) {
        out << "  " << name << points(p.exam_day_score) << "%           " << points(p.predicted) << "%      "
            << static_cast<long>(p.answers_per_learner + 0.5) << "              " << points(100.0 * p.cards_seen)
            << "%\n";
    };
    row("certdrill planner   ", r.planner);
    row("plain FSRS queue    ", r.fsrs);
    if (r.planner.predicted_fitted && r.fsrs.predicted_fitted)
        out << "  predicted with each learner's fitted weights: planner " << points(*r.planner.predicted_fitted)
            << "%, plain FSRS " << points(*r.fsrs.predicted_fitted) << "%\n";
    const double gain = r.planner.exam_day_score - r.fsrs.exam_day_score;
    out << "The planner is " << points(gain < 0 ? -gain : gain) << " points " << (gain >= 0 ? "better" : "worse")
        << " than a plain FSRS queue on exam day.\n";
    return 0;
}

}  // namespace certdrill::cli
