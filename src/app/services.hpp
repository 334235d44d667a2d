#pragma once
// What every use case works with, passed in explicitly.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/exam_ids.hpp"
#include "core/exam_plan.hpp"
#include "core/fsrs.hpp"
#include "core/id_index.hpp"
#include "core/mastery.hpp"
#include "core/model.hpp"

// The store's types stay behind the app boundary: the trainer's screens see only these
// declarations, so they cannot run SQL (see src/tui/router.hpp).
namespace certdrill::store {
class ProgressStore;
struct ReviewRecord;
struct HistoryAnswer;
}  // namespace certdrill::store

namespace certdrill::app {

struct Services {
    const Library& library;
    store::ProgressStore& store;
    const fsrs::Scheduler& scheduler;
    Clock clock;
    DayCounter days;
};

// The library's cards of every exam (or of one, if given) joined with their stored progress, in
// one pass over the card rows: a list per exam, and where each card stands in it by card id.
struct ProgressJoin {
    std::map<std::string_view, std::vector<CardProgress>> by_exam;
    struct Place {
        std::vector<CardProgress>* list;  // in by_exam (map nodes stay put when the join moves)
        std::size_t index;
    };
    IdIndex<Place> place_of;

    ProgressJoin() = default;
    // A copy's places would still point into the original's lists, so mastery fed through the
    // copy would find no answers for its cards and look better than the truth: moves only.
    ProgressJoin(const ProgressJoin&) = delete;
    ProgressJoin& operator=(const ProgressJoin&) = delete;
    ProgressJoin(ProgressJoin&&) = default;
    ProgressJoin& operator=(ProgressJoin&&) = default;
};
ProgressJoin join_progress(const Library& library, const store::ProgressStore& store,
                           std::optional<std::string_view> exam_id = {});
// Each card of the exam joined with its stored progress.
std::vector<CardProgress> progress_for(const Library& library, const store::ProgressStore& store,
                                       std::string_view exam_id);
// Each card of every exam (or of one, if given) joined with its stored progress, by exam id: one
// read of the card rows for all exams.
std::map<std::string_view, std::vector<CardProgress>> progress_by_exam(
    const Library& library, const store::ProgressStore& store, std::optional<std::string_view> exam_id = {});
// The library's cards (of one exam, if given) by id, for looking up many ids.
std::unordered_map<std::string_view, const Card*> cards_by_id(const Library& library,
                                                              std::optional<std::string_view> exam_id = {});
// Every answer to a card of the library (of one exam, if given), card by card, each card's
// answers oldest first: one row a card, not the whole log (see store/answer_history.hpp). When
// the store finds its packed rows do not cover the log, `restart` is called and every card is
// handed out again: the caller drops all it gathered before (see store/answer_history.hpp).
void for_each_library_history(const Library& library, const store::ProgressStore& store,
                              const std::function<void(const Card&, const std::vector<store::HistoryAnswer>&)>& visit,
                              const std::function<void()>& restart, std::optional<std::string_view> exam_id = {});
// Every answered card of the join with its answers as the store keeps them (see
// store/answer_history.hpp), one card at a time; cards not in the join are skipped. `restart`
// as for for_each_library_history.
void for_each_joined_history(
    const store::ProgressStore& store, const ProgressJoin& join,
    const std::function<void(const ProgressJoin::Place&, const std::vector<store::HistoryAnswer>&)>& visit,
    const std::function<void()>& restart);
// Hands one card's answers, as the store keeps them, to the mastery figures, for the card at
// `position` in their list of cards; `buffer` is reused from card to card.
void add_card_history(MasteryAccumulator& mastery, std::size_t position,
                      const std::vector<store::HistoryAnswer>& answers, std::vector<CardAnswer>& buffer);
// The exam's mastery figures (see compute_mastery) from the join's list of the exam's cards and
// every answer to them, read card by card: never the whole log at once.
ExamMastery exam_mastery(const store::ProgressStore& store, const Exam& exam, const ProgressJoin& join,
                         const fsrs::Scheduler& scheduler, UnixMs now, const DayCounter& days,
                         std::optional<UnixMs> horizon);
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

// The exam to work on when none is named: the exam of the most recent answer, else the only exam
// with cards; nullptr while the candidate has yet to choose one.
const Exam* implied_exam(const Library& library, const store::ProgressStore& store);
// The exam `requested` names (see require_exam), else the implied exam, else a usage error that
// lists the exams and says how to name one at `source`.
const Exam& choose_exam(const Library& library, const store::ProgressStore& store,
                        const std::optional<std::string>& requested, IdSource source);
// The exam a study session opens on: as choose_exam, except that with no exam named and none
// implied it is nullptr when the candidate can be asked on a screen (`can_ask`).
const Exam* study_exam(const Library& library, const store::ProgressStore& store,
                       const std::optional<std::string>& requested, IdSource source, bool can_ask);

}  // namespace certdrill::app
