#include "app/stats.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "store/progress_store.hpp"
#include "app/optimize.hpp"
#include "core/planner.hpp"

namespace certdrill::app {

namespace {

const Objective* find_objective(const std::vector<Objective>& list, const std::string& id) {
    for (const auto& o : list) {
        if (o.id == id) return &o;
        if (const Objective* c = find_objective(o.children, id)) return c;
    }
    return nullptr;
}

ExamPlanStats plan_stats(const Services& s, const std::vector<CardProgress>& progress, const ExamMastery& mastery,
                         StudyDay exam_day, double passing, UnixMs now) {
    ExamPlanStats plan;
    plan.exam_date = format_study_day(exam_day);
    plan.days_left = days_left(exam_day, now, s.days);
    plan.readiness_exam_day = mastery.readiness;
    plan.margin = plan.readiness_exam_day - passing;
    plan.on_track = plan.margin >= 0;
    plan.unseen = unseen_cards(progress);
    plan.new_per_day = new_cards_needed_per_day(plan.unseen, plan.days_left);
    WorkloadForecastInput input;
    input.cards = &progress;
    input.mastery = &mastery;
    input.exam_day = exam_day;
    // As a study session with the default allowance would start them.
    input.new_per_day = std::max(PlannerConfig{}.new_per_day, plan.new_per_day);
    input.default_retention = s.scheduler.parameters().desired_retention;
    for (const auto& [day, count] : forecast_workload(input, s.scheduler, now, s.days))
        plan.due_per_day.emplace_back(format_study_day(day), count);
    return plan;
}

// One exam's inputs to its figures: its cards with their stored state, and its mastery figures,
// fed card by card during the one pass over the answers.
struct ExamInput {
    ExamInput(const Services& s, const Exam& e, const std::vector<CardProgress>& cards, UnixMs now)
        : exam(e),
          progress(cards),
          scheduler(scheduler_for(s, e.id)),
          exam_day(exam_day_of(s.store, e.id)),
          horizon(mastery_horizon(exam_day, now, s.days)),
          mastery(e, progress, scheduler, now, {}, s.days, horizon) {}

    const Exam& exam;
    const std::vector<CardProgress>& progress;
    const fsrs::Scheduler scheduler;
    const std::optional<StudyDay> exam_day;
    const std::optional<UnixMs> horizon;
    MasteryAccumulator mastery;
    std::size_t answers = 0;  // to the exam's cards
    int reviews_today = 0;
    std::vector<int> reviews_per_day = std::vector<int>(30, 0);
};

ExamStats exam_stats(const Services& s, ExamInput& input, UnixMs now) {
    const Exam& exam = input.exam;
    const auto& progress = input.progress;
    ExamStats out;
    out.id = exam.id;
    out.name = exam.name;
    out.short_name = exam.short_name;
    out.passing = exam.format.passing_percent / 100.0;
    // The same answers the optimizer would fit on: every answer to the exam's cards.
    out.optimize = optimize_offer(s, exam.id, input.answers);
    const auto& exam_day = input.exam_day;
    const auto& horizon = input.horizon;
    const auto mastery = input.mastery.finish();
    out.readiness = mastery.readiness;
    out.recall_now = mastery.recall_now;
    out.horizon = mastery.horizon;
    out.horizon_label = horizon ? format_study_day(*exam_day) : std::to_string(MasteryModel{}.horizon_days) + "d";
    if (exam_day) out.plan = plan_stats(s, progress, mastery, *exam_day, out.passing, now);
    out.readiness_scaled = scaled_score(exam.format, 100.0 * mastery.readiness);
    for (const auto& d : exam.domains) {
        DomainStats ds{d.id, d.name, exam.effective_weight(d), mastery.domains.at(d.id)};
        out.cards += ds.figures.cards;
        out.seen += ds.figures.seen;
        out.reviews += ds.figures.reviews;
        out.correct += ds.figures.correct;
        out.due_now += ds.figures.due_now;
        out.domains.push_back(std::move(ds));
    }
    out.new_cards = out.cards - out.seen;
    for (const auto& d : exam.domains) {
        for (const auto& [id, m] : mastery.topics) {
            const Objective* o = find_objective(d.objectives, id);
            if (!o || !m.has_evidence() || !o->children.empty()) continue;
            const double rank = credible_mastery(m, mastery.domains.at(d.id).mastery);
            out.weakest_topics.push_back(TopicStats{id, o->name, d.id, m, rank});
        }
    }
    std::sort(out.weakest_topics.begin(), out.weakest_topics.end(), [](const TopicStats& a, const TopicStats& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.id < b.id;
    });
    if (out.weakest_topics.size() > 5) out.weakest_topics.resize(5);
    for (const auto& a : s.store.attempts(exam.id)) {
        if (!a.finished_at || !a.score_percent) continue;
        // The scaled score the exam reported when it was stored (adaptive exams), else the one
        // the percentage maps to.
        const auto scaled = a.scaled_score ? a.scaled_score : scaled_score(exam.format, *a.score_percent);
        out.attempts.push_back(AttemptSummary{a.started_at, format_study_day(s.days.day_of(a.started_at)),
                                              a.items_given.value_or(a.item_count), *a.score_percent, scaled, a.passed.value_or(false),
                                              a.duration_ms.value_or(0), a.kind == "adaptive", a.domain_id});
    }
    out.mock_trend = mock_trend(s, exam);
    return out;
}

int streak(const std::unordered_set<std::int64_t>& study_days, std::int64_t today) {
    std::int64_t day = study_days.count(today) ? today : today - 1;  // today may not have started yet
    int n = 0;
    while (study_days.count(day)) {
        ++n;
        --day;
    }
    return n;
}

}  // namespace

Stats compute_stats(const Services& s, const std::optional<std::string>& exam_id) {
    Stats out;
    const UnixMs now = s.clock();
    const std::int64_t today = s.days.day_of(now);
    std::unordered_set<std::int64_t> study_days;  // a few thousand days, met once per answer
    out.due_per_day.assign(30, 0);
    const std::optional<std::string_view> only = exam_id ? std::optional<std::string_view>(*exam_id) : std::nullopt;
    const auto join = join_progress(s.library, s.store, only);
    const auto& progress = join.by_exam;
    const std::vector<CardProgress> no_cards;
    // Each exam's inputs, in the library's order; found for each answered card by its exam's list.
    std::vector<std::unique_ptr<ExamInput>> inputs;
    std::map<const std::vector<CardProgress>*, ExamInput*> input_of;
    // Everything the answers add to, from nothing: also how it all starts over when the store
    // reads every card again from the log.
    const auto start = [&] {
        study_days.clear();
        out.reviews_today = 0;
        out.reviews_per_day.assign(30, 0);
        input_of.clear();
        inputs.clear();
        for (const auto& exam : s.library.exams) {
            if (exam_id && exam.id != *exam_id) continue;
            const auto cards = progress.find(exam.id);
            inputs.push_back(
                std::make_unique<ExamInput>(s, exam, cards == progress.end() ? no_cards : cards->second, now));
            if (cards != progress.end()) input_of.emplace(&cards->second, inputs.back().get());
        }
    };
    start();
    // One pass over every answered card: its answers go to its exam's mastery figures and to the
    // answers per day, for all exams and for each one. Only answers to cards in the decks (of the
    // exam asked for) count.
    StudyDayMemo day_of(s.days);
    std::vector<CardAnswer> buffer;
    for_each_joined_history(
        s.store, join, [&](const ProgressJoin::Place& place, const std::vector<store::HistoryAnswer>& of_card) {
            // A card whose exam the library does not hold counts only in the totals.
            const auto found = input_of.find(place.list);
            ExamInput* e = found == input_of.end() ? nullptr : found->second;
            if (e) {
                add_card_history(e->mastery, place.index, of_card, buffer);
                e->answers += of_card.size();
            }
            for (const auto& a : of_card) {
                const std::int64_t day = day_of(a.at);
                study_days.insert(day);
                if (day == today) {
                    ++out.reviews_today;
                    if (e) ++e->reviews_today;
                }
                if (day <= today && today - day < 30) {
                    const auto slot = static_cast<std::size_t>(29 - (today - day));
                    ++out.reviews_per_day[slot];
                    if (e) ++e->reviews_per_day[slot];
                }
            }
        },
        start);
    for (auto& input : inputs) {
        out.exams.push_back(exam_stats(s, *input, now));
        auto& e = out.exams.back();
        e.reviews_today = input->reviews_today;
        e.reviews_per_day.assign(input->reviews_per_day.begin(), input->reviews_per_day.end());
        e.due_per_day.assign(30, 0);
        out.cards += e.cards;
        out.seen += e.seen;
        out.reviews += e.reviews;
        out.correct += e.correct;
        out.due_now += e.due_now;
    }
    out.streak_days = streak(study_days, today);
    // Each card's due date, counted for all exams and for its own.
    for (auto& e : out.exams) {
        const auto cards = progress.find(e.id);
        if (cards == progress.end()) continue;
        for (const auto& cp : cards->second) {
            if (!cp.memory || cp.suspended) continue;
            const std::int64_t ahead = std::max<std::int64_t>(0, day_of(cp.memory->due) - today);
            if (ahead >= 30) continue;
            ++out.due_per_day[static_cast<std::size_t>(ahead)];
            ++e.due_per_day[static_cast<std::size_t>(ahead)];
        }
    }
    return out;
}

}  // namespace certdrill::app
