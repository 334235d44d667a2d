#pragma once
// The study use case: shows cards chosen by the planner, grades answers, stores every answer
// durably before the next card, supports guesses, undo, flags and suspension.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "core/grading.hpp"
#include "core/planner.hpp"

namespace certdrill::app {

struct StudyOptions {
    std::string exam_id;
    std::optional<std::string> domain;
    std::optional<int> limit;    // answers
    std::optional<int> minutes;  // session length
    std::size_t new_per_day = 20;
    std::uint64_t seed = 0;
};

constexpr int kDefaultSessionLimit = 50;

struct ShownItem {
    const Card* card = nullptr;
    PickKind kind = PickKind::New;
    OptionOrder order;  // screen order of options
    int number = 0;     // 1-based position in the session
    // The session's length when it is known: a limit (--limit, or the default) that the cards on
    // hand fill. 0 when the session ends with the cards instead, as their count can still grow
    // with learning steps or shrink with suspensions.
    int planned = 0;
    // For flashcards: the interval each grade (Again..Easy) would give, as Anki shows them.
    std::array<std::string, 4> grade_intervals;
    bool flagged = false;
};

// Where a session stands, as honestly as known: "3 of 20" with a known length, else "2 answered".
std::string progress_text(const ShownItem& item);

struct Feedback {
    bool correct = false;
    bool guessed = false;
    std::vector<int> chosen;          // screen indices
    std::vector<int> correct_screen;  // screen indices of the right options
    fsrs::Rating rating = fsrs::Rating::Good;
    std::string next_interval;  // e.g. "10m", "4d"
};

struct DomainTally {
    int answered = 0;
    int correct = 0;
};

struct StudySummary {
    int answered = 0;
    int correct = 0;  // questions right, flashcards graded Good or Easy
    std::map<std::string, DomainTally> by_domain;
    UnixMs elapsed = 0;
    std::vector<const Card*> missed;      // each missed question once, in order of first miss
    int due_tomorrow = 0;                 // reviews due on the next study day
    std::optional<UnixMs> next_learning;  // when the next learning step falls due
    int new_remaining_today = 0;
    bool ran_out = false;  // ended because no card was left, not by the limit or the learner
};

class StudySession {
public:
    StudySession(Services services, StudyOptions options);
    ~StudySession();
    StudySession(const StudySession&) = delete;
    StudySession& operator=(const StudySession&) = delete;

    const Exam& exam() const { return *exam_; }
    // Unset until the first answer: the session's row is written with it.
    std::optional<std::int64_t> session_id() const { return session_id_; }

    // The item on screen, or nullptr once the session is over.
    const ShownItem* current() const { return current_ ? &*current_ : nullptr; }
    bool finished() const { return !current_; }

    // Grades a question (screen indices) and commits the answer before returning.
    Feedback answer(const std::vector<int>& chosen);
    // After a right answer: marks it as a guess, so it is scheduled as Hard (less known).
    std::optional<Feedback> mark_guess();
    // Grades the flashcard on screen and commits it.
    void grade_flashcard(fsrs::Rating rating);
    // Moves on from feedback to the next item.
    void advance();
    // Takes back the last answer or suspension of this session, in the order they were given:
    // an undone answer shows its card again as it was shown; an undone suspension brings the
    // card back to study (on screen again when it had not been answered). False when none.
    bool undo();
    enum class Undone { Answer, Suspension };
    Undone last_undone() const { return last_undone_; }
    void toggle_flag();
    // Suspends the card on screen (it will not be shown again until unsuspended) and moves on.
    void suspend();
    // Ends the session early.
    void quit();

    StudySummary summary() const;
    const std::vector<std::string>& notices() const { return notices_; }

private:
    struct Given {
        const Card* card;
        bool correct;
        bool was_new;
        PickKind kind;      // how it was shown, so undo shows it the same way
        OptionOrder order;  // the option order it was answered in
    };
    // Shows a picked card; `order` keeps a question's options as they were shown before (undo),
    // otherwise they are shuffled.
    void show(const Pick& pick, const OptionOrder* order = nullptr);
    bool undo_answer();
    bool undo_suspension();
    // Stores the answer durably and tells the planner; returns the card's new memory state.
    fsrs::MemoryState commit(const Card& card, fsrs::Rating rating, bool correct, bool guessed,
                             const std::string& chosen);
    bool limit_reached() const;
    int planned_length() const;

    Services s_;
    StudyOptions options_;
    const Exam* exam_ = nullptr;
    fsrs::Scheduler scheduler_;  // with the exam's fitted weights, if any
    std::optional<SessionPlanner> planner_;
    // The exam's cards joined with their stored progress as the session began. Their states go
    // stale as answers come in: summary() reads the states from the store and uses this only to
    // tell the exam's cards by id.
    ProgressJoin start_;
    // Unset until the first answer, which writes the session's row in its own transaction: a
    // session quit before any answer writes nothing, and the first question shows without a
    // durable write before it.
    std::optional<std::int64_t> session_id_;
    std::mt19937_64 rng_;
    std::optional<ShownItem> current_;
    std::optional<Feedback> last_feedback_;
    UnixMs shown_at_ = 0;
    UnixMs started_at_ = 0;
    std::vector<Given> given_;
    struct Suspension {
        const Card* card;
        PickKind kind;
        OptionOrder order;
        bool answered;  // suspended from its feedback: the answer stays until undone in turn
    };
    std::vector<Suspension> suspensions_;
    enum class Step { Answer, Suspension };
    std::vector<Step> steps_;  // answers and suspensions, in the order they were given
    Undone last_undone_ = Undone::Answer;
    bool ended_ = false;
    bool ran_out_ = false;
    std::vector<std::string> notices_;
};

}  // namespace certdrill::app
