#pragma once
// What every use case works with, passed in explicitly.
#include <optional>
#include <string>
#include <vector>

#include "core/exam_plan.hpp"
#include "core/fsrs.hpp"
#include "core/mastery.hpp"
#include "core/model.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

struct Services {
    const Library& library;
    store::ProgressStore& store;
    const fsrs::Scheduler& scheduler;
    Clock clock;
    DayCounter days;
};

// Each card of the exam joined with its stored progress.
std::vector<CardProgress> progress_for(const Library& library, const store::ProgressStore& store,
                                       std::string_view exam_id);
// Every answer in the log, in the shape the mastery model reads.
std::vector<Answer> answers_from(const std::vector<store::ReviewRecord>& reviews);
// Unseen cards, not suspended: the ones still to be started.
std::size_t unseen_cards(const std::vector<CardProgress>& cards);
// The exam date set for the exam (`certdrill plan --date`), as a study day; nothing when none is
// set or the stored text is not a date.
std::optional<StudyDay> exam_day_of(const store::ProgressStore& store, std::string_view exam_id);
// The moment readiness is predicted for: the exam day while it is today or later, else nothing
// (the model's default, 30 days from now).
std::optional<UnixMs> mastery_horizon(std::optional<StudyDay> exam_day, UnixMs now, const DayCounter& days);
// "10m", "3h", "4d", "2.5mo", "1.2y": a short, Anki-style interval.
std::string format_interval(UnixMs ms);

// Picks the exam to work on: the requested one (or nullptr with `error` set), else the exam of
// the most recent answer in the store, else the first in the library that has cards.
const Exam* resolve_exam(const Library& library, const store::ProgressStore& store,
                         const std::optional<std::string>& requested, std::string& error);

}  // namespace certdrill::app
