#pragma once
// What every use case works with, passed in explicitly.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/exam_plan.hpp"
#include "core/fsrs.hpp"
#include "core/mastery.hpp"
#include "core/model.hpp"

// The store's types stay behind the app boundary: the trainer's screens see only these
// declarations, so they cannot run SQL (see src/tui/router.hpp).
namespace certdrill::store {
class ProgressStore;
struct ReviewRecord;
struct AnswerRow;
}  // namespace certdrill::store

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
// The library's cards (of one exam, if given) by id, for looking up many ids.
std::unordered_map<std::string_view, const Card*> cards_by_id(const Library& library,
                                                              std::optional<std::string_view> exam_id = {});
// The answers to the exam's cards, in log order, as the mastery model reads them; their card ids
// point into the library. Reads only the log columns the model needs.
std::vector<Answer> exam_answers(const Library& library, const store::ProgressStore& store, std::string_view exam_id);
// Every answer given at or after `since` to a card of the library, in log order, with its card.
void for_each_library_answer(const Library& library, const store::ProgressStore& store,
                             const std::function<void(const Card&, const store::AnswerRow&)>& visit, UnixMs since = 0);
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
