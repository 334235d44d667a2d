// The linear flow of a mock exam: a fixed form drawn to the blueprint at the start.
#include <random>

#include "app/mock_exam_session.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

void MockExamSession::start_linear(const std::vector<const Card*>& cards) {
    // A domain quiz draws from its one domain.
    Exam scope = *exam_;
    if (options_.domain) scope.domains = {*exam_->domain(*options_.domain)};
    auto draw = draw_mock_exam(scope, cards, plan_.items, options_.seed);
    notes_ = draw.notes;
    plan_.items = plan_.items_min = static_cast<int>(draw.items.size());
    std::mt19937_64 rng(options_.seed ^ 0x9E3779B97F4A7C15ull);
    for (const Card* c : draw.items) items_.push_back(MockItem{c, shuffled_options(*c, rng), {}, false, false});
    // One transaction (one sync) for the attempt and every item drawn for it.
    s_.store.in_one_transaction([&] {
        attempt_id_ = s_.store.begin_attempt(store::NewAttempt{exam_->id, started_at_, size(), plan_.minutes,
                                                               options_.seed, "linear", options_.domain, std::nullopt,
                                                               std::nullopt});
        for (int i = 0; i < size(); ++i) save(i);  // the drawn items are part of the attempt's record
    });
}

void MockExamSession::resume_linear() {
    plan_.items = plan_.items_min = size();
    position_ = 0;
    for (int i = 0; i < size(); ++i)
        if (open_item(i) && !item(i).skipped) {
            position_ = i;
            break;
        }
    if (plan_.navigation != Navigation::Free && !open_item(position_)) position_ = next_open_after(position_);
}

}  // namespace certdrill::app
