#include "app/mock_exam_session.hpp"

#include <algorithm>
#include <stdexcept>

#include "app/optimize.hpp"

namespace certdrill::app {

MockExamSession::MockExamSession(Services services, MockOptions options)
    : s_(std::move(services)), options_(std::move(options)) {
    exam_ = s_.library.exam(options_.exam_id);
    if (!exam_) throw std::invalid_argument("unknown exam '" + options_.exam_id + "'");
    scheduler_ = scheduler_for(s_, exam_->id);
    const int wanted = options_.items.value_or(exam_->format.items_max);
    const int minutes = options_.minutes.value_or(exam_->format.minutes);
    if (wanted < 1) throw std::invalid_argument("a mock exam needs at least one item");
    if (minutes < 1) throw std::invalid_argument("a mock exam needs at least one minute");
    auto draw = draw_mock_exam(*exam_, s_.library.cards_of(exam_->id), wanted, options_.seed);
    if (draw.items.empty()) throw std::invalid_argument("exam " + exam_->id + " has no questions to draw from");
    notes_ = draw.notes;
    std::mt19937_64 rng(options_.seed ^ 0x9E3779B97F4A7C15ull);
    for (const Card* c : draw.items) items_.push_back(MockItem{c, shuffled_options(*c, rng), {}, false, false});
    started_at_ = s_.clock();
    deadline_ = started_at_ + static_cast<UnixMs>(minutes) * kMsPerMinute;
    attempt_id_ = s_.store.begin_attempt(exam_->id, started_at_, size(), minutes, options_.seed);
    for (int i = 0; i < size(); ++i) save(i);  // the drawn items are part of the attempt's record
}

int MockExamSession::answered_count() const {
    return static_cast<int>(
        std::count_if(items_.begin(), items_.end(), [](const MockItem& i) { return !i.chosen.empty(); }));
}

void MockExamSession::save(int index) {
    const MockItem& it = item(index);
    store::AttemptItemRecord r;
    r.attempt_id = attempt_id_;
    r.position = index;
    r.card_id = it.card->id;
    r.domain_id = it.card->domain_id;
    std::vector<int> file_indices;
    for (int screen : it.chosen) file_indices.push_back(it.order.file_index(screen));
    r.chosen = file_letters(file_indices);
    r.correct = it.correct;
    r.flagged = it.flagged;
    if (!it.chosen.empty()) r.answered_at = s_.clock();
    s_.store.save_attempt_item(r);
}

bool MockExamSession::answer(const std::vector<int>& chosen) {
    if (submitted() || chosen.empty() || time_up()) return false;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    if (!can_revisit() && !it.chosen.empty()) return false;
    it.chosen = chosen;
    std::sort(it.chosen.begin(), it.chosen.end());
    std::vector<int> file_indices;
    for (int screen : it.chosen) file_indices.push_back(it.order.file_index(screen));
    it.correct = is_correct(*it.card, file_indices);
    save(position_);
    if (!can_revisit() && position_ + 1 < size()) next();
    return true;
}

void MockExamSession::clear_answer() {
    if (submitted() || !can_revisit() || time_up()) return;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    if (it.chosen.empty()) return;
    it.chosen.clear();
    it.correct = false;
    save(position_);
}

void MockExamSession::toggle_flag() {
    if (submitted() || !can_revisit() || time_up()) return;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    it.flagged = !it.flagged;
    save(position_);
}

bool MockExamSession::go_to(int index) {
    if (submitted() || index < 0 || index >= size()) return false;
    // Without revisits an item may be left only for the next one, and only once answered.
    if (!can_revisit() && (index != position_ + 1 || current().chosen.empty())) return false;
    position_ = index;
    return true;
}

bool MockExamSession::next() { return go_to(position_ + 1); }
bool MockExamSession::previous() { return go_to(position_ - 1); }

const MockResult& MockExamSession::submit() {
    if (result_) return *result_;
    const UnixMs now = s_.clock();
    MockResult r;
    std::vector<const Card*> cards;
    std::vector<bool> answered, correct;
    for (int i = 0; i < size(); ++i) {
        const MockItem& it = item(i);
        cards.push_back(it.card);
        answered.push_back(!it.chosen.empty());
        correct.push_back(it.correct);
        if (!it.correct) r.missed.push_back(i);
    }
    r.score = score_mock_exam(*exam_, cards, answered, correct);
    r.timed_out = now >= deadline_;
    r.duration = std::min(now, deadline_) - started_at_;
    s_.store.finish_attempt(attempt_id_, now, r.score.percent, r.score.passed, r.duration);
    // Answers given in the exam count as reviews too, so a missed item comes back soon.
    const auto exam_day = exam_day_of(s_.store, exam_->id);
    for (const MockItem& it : items_) {
        if (it.chosen.empty()) continue;
        auto record = s_.store.card(it.card->id);
        if (record && record->suspended) continue;
        store::ReviewRecord rr;
        rr.card_id = it.card->id;
        rr.at = now;
        rr.rating = static_cast<int>(fsrs::grade_answer(it.correct, false));
        std::vector<int> file_indices;
        for (int screen : it.chosen) file_indices.push_back(it.order.file_index(screen));
        rr.chosen = file_letters(file_indices);
        rr.correct = it.correct;
        rr.mode = "exam";
        rr.before = record ? record->memory : fsrs::MemoryState{};
        std::int64_t elapsed =
            rr.before.last_review ? std::max<std::int64_t>(0, s_.days.days_between(rr.before.last_review, now)) : 0;
        rr.after = scheduler_.next(rr.before, static_cast<fsrs::Rating>(rr.rating), now, elapsed);
        if (exam_day) rr.after = cap_at_exam_day(rr.after, now, *exam_day, s_.days);
        s_.store.record_review(rr);
    }
    result_ = r;
    return *result_;
}

}  // namespace certdrill::app
