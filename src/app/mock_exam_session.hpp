#pragma once
// The mock-exam use case: a timed attempt drawn to the blueprint, under the exam's own rules
// (going back only where the real exam allows it), scored at the end. Every answer is stored
// when given; on submission the answers also feed the scheduler, so missed items return soon.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "core/grading.hpp"
#include "core/mock_exam.hpp"

namespace certdrill::app {

struct MockOptions {
    std::string exam_id;
    std::optional<int> items;    // default: the blueprint's items_max
    std::optional<int> minutes;  // default: the blueprint's minutes
    std::uint64_t seed = 0;
};

struct MockItem {
    const Card* card = nullptr;
    OptionOrder order;
    std::vector<int> chosen;  // screen indices; empty while unanswered
    bool flagged = false;
    bool correct = false;
};

struct MockResult {
    MockScore score;
    UnixMs duration = 0;
    bool timed_out = false;
    std::vector<int> missed;  // item indices answered wrong or not answered
};

class MockExamSession {
public:
    MockExamSession(Services services, MockOptions options);

    const Exam& exam() const { return *exam_; }
    std::int64_t attempt_id() const { return attempt_id_; }
    const std::vector<std::string>& notes() const { return notes_; }

    int size() const { return static_cast<int>(items_.size()); }
    int position() const { return position_; }
    const MockItem& item(int index) const { return items_.at(static_cast<std::size_t>(index)); }
    const MockItem& current() const { return item(position_); }
    // Linear exams allow going back and changing answers; adaptive ones (CISSP) do not.
    bool can_revisit() const { return exam_->format.revisit && !exam_->format.adaptive; }

    UnixMs deadline() const { return deadline_; }
    UnixMs remaining(UnixMs now) const { return std::max<UnixMs>(0, deadline_ - now); }
    bool time_up() const { return s_.clock() >= deadline_; }
    int answered_count() const;

    // Records the answer to the current item (stored at once). Where going back is not allowed,
    // the exam then moves on by itself, as the real one does, and an answer once given is final.
    // Refused (false) once time is up or the exam is submitted.
    bool answer(const std::vector<int>& chosen);
    // Withdraws the answer to the current item (linear exams, while changing a selection).
    void clear_answer();
    void toggle_flag();
    // Moves to another item; refused (false) where going back is not allowed.
    bool go_to(int index);
    bool next();
    bool previous();

    bool submitted() const { return result_.has_value(); }
    // Scores the attempt, stores it and feeds the scheduler. Idempotent.
    const MockResult& submit();
    const std::optional<MockResult>& result() const { return result_; }

private:
    void save(int index);

    Services s_;
    MockOptions options_;
    const Exam* exam_ = nullptr;
    fsrs::Scheduler scheduler_;  // with the exam's fitted weights, if any
    std::vector<MockItem> items_;
    std::vector<std::string> notes_;
    int position_ = 0;
    UnixMs started_at_ = 0;
    UnixMs deadline_ = 0;
    std::int64_t attempt_id_ = 0;
    std::optional<MockResult> result_;
};

}  // namespace certdrill::app
