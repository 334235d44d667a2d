#pragma once
// The mock-exam use case: a timed attempt under the exam's own rules, scored at the end.
// - Linear exams draw their items to the blueprint at the start; adaptive ones (the CISSP CAT)
//   choose each item after the last answer (core/cat.hpp).
// - Navigation follows the exam: free review and changes (CISM, ISSMP), forward only (CISSP), or
//   forward with a limited number of skipped items answered at the end (GSLC).
// - Every item is stored before it is shown and every answer as it is given, with the exam time
//   used, so an interrupted exam resumes where it stopped with the time it had left. Abandoning
//   deletes the attempt; submitting scores it, stores it and feeds the answers to the scheduler.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "core/cat.hpp"
#include "core/grading.hpp"
#include "core/mock_exam.hpp"

namespace certdrill::store {
struct AttemptItemRecord;  // the trainer sees the store only through app
struct AttemptOutcome;
}  // namespace certdrill::store

namespace certdrill::app {

// A class report's item statistics, by card id (see `class report --json`).
using Calibration = std::map<std::string, cat::ClassItemStat>;

struct MockOptions {
    std::string exam_id;
    std::optional<int> items;    // default: the blueprint's items_max (or the domain's share)
    std::optional<int> minutes;  // default: the blueprint's minutes, pro rata for fewer items
    std::uint64_t seed = 0;
    std::optional<std::string> domain;  // a domain quiz under the exam's rules
    bool linear = false;                // a fixed form even where the exam is adaptive
    Calibration calibration;
};

enum class Navigation { Free, Forward, SkipLimited };

// What the confirmation before the start shows, and what the attempt will use.
struct MockPlan {
    const Exam* exam = nullptr;
    bool adaptive = false;
    int items = 0;      // fixed length, or the adaptive maximum
    int items_min = 0;  // adaptive minimum (equal to items for a fixed form)
    int pretest = 0;    // adaptive: unscored items
    int minutes = 0;
    bool minutes_pro_rata = false;  // shortened with the item count
    std::optional<std::string> domain;
    Navigation navigation = Navigation::Free;
    std::optional<int> skip_limit;
    std::vector<std::string> rules;  // one line each, for the confirmation
};

// Throws std::invalid_argument for an unknown exam or domain, or nonsensical sizes.
MockPlan plan_mock(const Library& library, const MockOptions& options);

struct MockItem {
    const Card* card = nullptr;
    OptionOrder order;
    std::vector<int> chosen;  // screen indices; empty while unanswered
    bool flagged = false;
    bool correct = false;
    bool pretest = false;  // adaptive: unscored
    bool skipped = false;
    double difficulty = 0.0;  // adaptive: logits
    UnixMs time_spent = 0;  // on screen, over every visit to the item
    std::optional<UnixMs> answered_at{};
};

struct MockResult {
    MockScore score;  // adaptive: over the scored items only
    bool passed = false;
    UnixMs duration = 0;
    bool timed_out = false;
    bool ended_early = false;  // submitted by the candidate before the exam's end
    std::vector<int> missed;   // item indices answered wrong or not answered (scored or not)
    // Adaptive only.
    bool adaptive = false;
    cat::Estimate ability;
    double standard = 0.0;
    std::string stop_reason;
    int answered = 0;
    int pretest = 0;
    std::map<std::string, cat::DomainProficiency> proficiency;
};

// An interrupted attempt that can be resumed.
struct UnfinishedExam {
    std::int64_t attempt_id = 0;
    std::string exam_id;
    std::string exam_name;
    bool adaptive = false;
    std::optional<std::string> domain;
    UnixMs started_at = 0;
    int answered = 0;
    int items = 0;
    UnixMs remaining = 0;
};

std::vector<UnfinishedExam> unfinished_exams(const Services& services, std::optional<std::string> exam_id = {});
// Deletes an interrupted attempt: nothing of it stays on record.
void abandon_exam(const Services& services, std::int64_t attempt_id);

class MockExamSession {
public:
    // Starts a new attempt.
    MockExamSession(Services services, MockOptions options);
    // Resumes an interrupted one (throws std::invalid_argument when it cannot be resumed, e.g.
    // an item's card has left the decks).
    MockExamSession(Services services, std::int64_t attempt_id, Calibration calibration = {});

    const Exam& exam() const { return *exam_; }
    const MockPlan& plan() const { return plan_; }
    std::int64_t attempt_id() const { return attempt_id_; }
    const std::vector<std::string>& notes() const { return notes_; }
    bool adaptive() const { return cat_ != nullptr; }
    Navigation navigation() const { return plan_.navigation; }

    // Items presented so far (all of them for a linear exam).
    int size() const { return static_cast<int>(items_.size()); }
    int position() const { return position_; }
    const MockItem& item(int index) const { return items_.at(static_cast<std::size_t>(index)); }
    const MockItem& current() const { return item(position_); }
    // Free review and changes (CISM, ISSMP); not where the exam goes forward only.
    bool can_revisit() const { return plan_.navigation == Navigation::Free; }
    int skips_left() const;

    UnixMs deadline() const { return deadline_; }
    UnixMs remaining(UnixMs now) const { return std::max<UnixMs>(0, deadline_ - now); }
    bool time_up() const { return s_.clock() >= deadline_; }
    int answered_count() const;
    // Adaptive: the exam has reached its end by its own rules; submit to see the result.
    bool finished() const { return finished_.has_value(); }

    // Records the answer to the current item (stored at once). Where going back is not allowed,
    // the exam then moves on by itself, and an answer once given is final. Refused (false) once
    // time is up, the exam has finished or is submitted.
    bool answer(const std::vector<int>& chosen);
    // Withdraws the answer to the current item (free navigation, while changing a selection).
    void clear_answer();
    void toggle_flag();
    // Leaves the current unanswered item for the end (skip-limited navigation only).
    bool skip();
    // Moves to another item; refused (false) where the navigation rule forbids it.
    bool go_to(int index);
    bool next();
    bool previous();
    // Stores the exam time used so far (call now and then while an item is on screen).
    void checkpoint();

    bool submitted() const { return result_.has_value(); }
    // Scores the attempt, stores it and feeds the scheduler. Idempotent.
    const MockResult& submit();
    const std::optional<MockResult>& result() const { return result_; }
    // Deletes the attempt: no history entry, no answers recorded. The session is dead after.
    void abandon();
    bool abandoned() const { return abandoned_; }

private:
    void start_linear(const std::vector<const Card*>& cards);
    void start_adaptive();
    void build_adaptive(std::uint64_t seed, const std::vector<store::AttemptItemRecord>* stored);
    bool present_next_adaptive();
    // The resumed attempt's position and state, by flow (mock_exam_linear.cpp, mock_exam_adaptive.cpp).
    void resume_linear();
    void resume_adaptive(const std::vector<store::AttemptItemRecord>& stored);
    void adaptive_result(MockResult& r, store::AttemptOutcome& outcome) const;
    void save(int index);
    // The answered items as reviews, at `now`, as submit() records them.
    void record_reviews(UnixMs now);
    // Adds the time since the current item was last shown to it; returns the time added.
    UnixMs account_time();
    UnixMs elapsed(UnixMs now) const;
    int next_open_after(int index) const;
    bool open_item(int index) const;

    Services s_;
    MockOptions options_;
    MockPlan plan_;
    const Exam* exam_ = nullptr;
    fsrs::Scheduler scheduler_;  // with the exam's fitted weights, if any
    std::vector<MockItem> items_;
    std::vector<std::string> notes_;
    int position_ = 0;
    UnixMs started_at_ = 0;
    UnixMs segment_start_ = 0;    // when this run of the attempt began
    UnixMs elapsed_before_ = 0;   // exam time used by earlier runs
    UnixMs deadline_ = 0;
    UnixMs shown_at_ = 0;  // when the current item was (re)entered or last answered
    std::int64_t attempt_id_ = 0;
    std::unique_ptr<cat::AdaptiveTest> cat_;
    std::vector<const Card*> pool_cards_;  // adaptive: cards by pool index
    std::optional<cat::Outcome> finished_;
    std::optional<MockResult> result_;
    bool abandoned_ = false;
};

// The difficulty each question of the exam gets in the adaptive test (logits): the prior from
// `difficulty` and `skill`, a class report's p-values, then the learner's first answers.
std::map<std::string, double> item_difficulties(const Services& services, const Exam& exam,
                                                const Calibration& calibration);

}  // namespace certdrill::app
