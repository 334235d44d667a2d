#include "app/mock_exam_session.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "app/mock_exam_parts.hpp"
#include "store/progress_store.hpp"
#include "app/optimize.hpp"

// The session's shared machinery: the plan, starting and resuming, navigation, storing items,
// submitting. The linear and adaptive flows are in mock_exam_linear.cpp and mock_exam_adaptive.cpp.

namespace certdrill::app {

namespace mock {

std::vector<const Card*> questions_of(const Library& library, const Exam& exam,
                                      const std::optional<std::string>& domain) {
    std::vector<const Card*> out;
    for (const Card* c : library.cards_of(exam.id))
        if (c->is_question() && (!domain || c->domain_id == *domain)) out.push_back(c);
    return out;
}

}  // namespace mock

namespace {

using mock::questions_of;

std::string order_letters(const OptionOrder& order) {
    std::string out;
    for (int file : order.order) out += static_cast<char>('A' + file);
    return out;
}

std::optional<OptionOrder> parse_order(const std::string& letters, const Card& card) {
    OptionOrder order;
    std::set<int> seen;
    for (char c : letters) {
        const int file = c - 'A';
        if (file < 0 || file >= static_cast<int>(card.options.size()) || !seen.insert(file).second) return std::nullopt;
        order.order.push_back(file);
    }
    if (order.order.size() != card.options.size()) return std::nullopt;
    return order;
}

std::vector<int> screen_indices(const std::string& file_letters_text, const OptionOrder& order) {
    std::vector<int> out;
    for (char c : file_letters_text) out.push_back(order.letter_of(c - 'A') - 'A');
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

MockPlan plan_mock(const Library& library, const MockOptions& options) {
    MockPlan plan;
    plan.exam = library.exam(options.exam_id);
    if (!plan.exam) throw std::invalid_argument("unknown exam '" + options.exam_id + "'");
    const Exam& exam = *plan.exam;
    const ExamFormat& f = exam.format;
    if (options.domain && !exam.domain(*options.domain)) {
        std::string ids;
        for (const auto& d : exam.domains) ids += " " + d.id;
        throw std::invalid_argument("exam " + exam.id + " has no domain '" + *options.domain + "'; use one of:" + ids);
    }
    plan.domain = options.domain;
    plan.adaptive = f.adaptive && !options.linear && !options.domain;
    int full = f.items_max;
    if (options.domain) full = std::max(1, allocate_items(exam, f.items_max)[*options.domain]);
    plan.items = options.items.value_or(full);
    if (plan.items < 1) throw std::invalid_argument("a mock exam needs at least one item");
    if (options.minutes && *options.minutes < 1) throw std::invalid_argument("a mock exam needs at least one minute");
    plan.items_min = plan.items;
    if (plan.adaptive) {
        const cat::Rules rules = mock::exam_rules(exam).scaled_to(plan.items);
        plan.items = rules.max_items;
        plan.items_min = rules.min_items;
        plan.pretest = rules.pretest_items;
    }
    // Fewer items than the exam's get the exam's time pro rata, unless a time is given.
    if (options.minutes) {
        plan.minutes = *options.minutes;
    } else {
        plan.minutes = std::max(1, static_cast<int>(std::lround(static_cast<double>(f.minutes) * plan.items / f.items_max)));
        plan.minutes_pro_rata = plan.items < f.items_max;
    }
    if (f.revisit) {
        plan.navigation = Navigation::Free;
    } else if (f.navigation.skip_limit && *f.navigation.skip_limit > 0) {
        plan.navigation = Navigation::SkipLimited;
        plan.skip_limit = std::max(1, static_cast<int>(std::lround(static_cast<double>(*f.navigation.skip_limit) *
                                                                   plan.items / f.items_max)));
    } else {
        plan.navigation = Navigation::Forward;
    }
    // The rules, one line each, as the confirmation shows them.
    if (plan.adaptive)
        plan.rules.push_back("Adaptive: " + std::to_string(plan.items_min) + " to " + std::to_string(plan.items) +
                             " items, " + std::to_string(plan.pretest) +
                             " of them unscored; it ends once pass or fail is certain");
    else
        plan.rules.push_back(std::to_string(plan.items) + " items" +
                             (plan.domain ? " from domain " + *plan.domain : std::string()));
    plan.rules.push_back(std::to_string(plan.minutes) + " minutes" +
                         (plan.minutes_pro_rata ? " (the exam's time, pro rata)" : std::string()));
    switch (plan.navigation) {
        case Navigation::Free:
            plan.rules.push_back("You may flag items, go back and change answers until you submit");
            break;
        case Navigation::Forward:
            plan.rules.push_back("No going back and no skipping: each answer is final");
            break;
        case Navigation::SkipLimited:
            plan.rules.push_back("Answers are final; you may skip up to " + std::to_string(*plan.skip_limit) +
                                 " items and answer them at the end" +
                                 (f.navigation.source && !f.navigation.source->confirmed ? " (limit unconfirmed)"
                                                                                          : std::string()));
            break;
    }
    plan.rules.push_back("No feedback until the end; q pauses with submit or abandon");
    return plan;
}

std::vector<UnfinishedExam> unfinished_exams(const Services& services, std::optional<std::string> exam_id) {
    std::vector<UnfinishedExam> out;
    for (const auto& a : services.store.unfinished_attempts(exam_id)) {
        const Exam* exam = services.library.exam(a.exam_id);
        if (!exam) continue;
        UnfinishedExam u;
        u.attempt_id = a.id;
        u.exam_id = a.exam_id;
        u.exam_name = exam->short_name;
        u.adaptive = a.kind == "adaptive";
        u.domain = a.domain_id;
        u.started_at = a.started_at;
        u.items = a.item_count;
        for (const auto& item : services.store.attempt_items(a.id)) u.answered += item.chosen.empty() ? 0 : 1;
        u.remaining = std::max<UnixMs>(0, static_cast<UnixMs>(a.minutes) * kMsPerMinute - a.elapsed_ms);
        out.push_back(u);
    }
    return out;
}

void abandon_exam(const Services& services, std::int64_t attempt_id) { services.store.discard_attempt(attempt_id); }

// ---- the session ----

MockExamSession::MockExamSession(Services services, MockOptions options)
    : s_(std::move(services)), options_(std::move(options)) {
    plan_ = plan_mock(s_.library, options_);
    exam_ = plan_.exam;
    scheduler_ = scheduler_for(s_, exam_->id);
    const auto cards = questions_of(s_.library, *exam_, options_.domain);
    if (cards.empty()) throw std::invalid_argument("exam " + exam_->id + " has no questions to draw from");
    started_at_ = segment_start_ = shown_at_ = s_.clock();
    deadline_ = started_at_ + static_cast<UnixMs>(plan_.minutes) * kMsPerMinute;
    if (plan_.adaptive)
        start_adaptive();
    else
        start_linear(cards);
}

MockExamSession::MockExamSession(Services services, std::int64_t attempt_id, Calibration calibration)
    : s_(std::move(services)) {
    const auto record = s_.store.attempt(attempt_id);
    if (!record || record->finished_at || !record->resumable)
        throw std::invalid_argument("there is no interrupted exam " + std::to_string(attempt_id) + " to resume");
    options_.exam_id = record->exam_id;
    options_.seed = record->seed;
    options_.domain = record->domain_id;
    options_.linear = record->kind != "adaptive";
    options_.items = record->item_count;
    options_.minutes = record->minutes;
    options_.calibration = std::move(calibration);
    plan_ = plan_mock(s_.library, options_);
    exam_ = plan_.exam;
    scheduler_ = scheduler_for(s_, exam_->id);
    if (record->items_min) plan_.items_min = *record->items_min;
    if (record->pretest_items) plan_.pretest = *record->pretest_items;
    attempt_id_ = record->id;
    started_at_ = record->started_at;
    segment_start_ = shown_at_ = s_.clock();
    elapsed_before_ = std::clamp<UnixMs>(record->elapsed_ms, 0, static_cast<UnixMs>(plan_.minutes) * kMsPerMinute);
    deadline_ = segment_start_ + static_cast<UnixMs>(plan_.minutes) * kMsPerMinute - elapsed_before_;

    const auto stored = s_.store.attempt_items(attempt_id);
    for (const auto& r : stored) {
        const Card* card = s_.library.card(r.card_id);
        if (!card || !card->is_question())
            throw std::invalid_argument("exam " + std::to_string(attempt_id) + " cannot be resumed: question '" +
                                        r.card_id + "' is no longer in the decks; abandon it instead");
        auto order = parse_order(r.option_order, *card);
        if (!order)
            throw std::invalid_argument("exam " + std::to_string(attempt_id) + " cannot be resumed: the stored option "
                                        "order of '" + r.card_id + "' does not fit the question any more");
        MockItem item{card, *order, screen_indices(r.chosen, *order), r.flagged, r.correct};
        item.pretest = r.pretest;
        item.skipped = r.skipped;
        item.difficulty = r.difficulty.value_or(0.0);
        item.time_spent = r.response_ms;
        item.answered_at = r.answered_at;
        items_.push_back(item);
    }
    if (items_.empty()) throw std::invalid_argument("exam " + std::to_string(attempt_id) + " holds no items");
    if (plan_.adaptive)
        resume_adaptive(stored);
    else
        resume_linear();
    notes_.push_back("Resumed: " + std::to_string(answered_count()) + " answered, " +
                     std::to_string((remaining(s_.clock()) + kMsPerMinute - 1) / kMsPerMinute) + " minutes left");
}

UnixMs MockExamSession::elapsed(UnixMs now) const {
    return std::min<UnixMs>(elapsed_before_ + std::max<UnixMs>(0, now - segment_start_),
                            static_cast<UnixMs>(plan_.minutes) * kMsPerMinute);
}

int MockExamSession::answered_count() const {
    return static_cast<int>(
        std::count_if(items_.begin(), items_.end(), [](const MockItem& i) { return !i.chosen.empty(); }));
}

int MockExamSession::skips_left() const {
    if (plan_.navigation != Navigation::SkipLimited) return 0;
    const int used =
        static_cast<int>(std::count_if(items_.begin(), items_.end(), [](const MockItem& i) { return i.skipped; }));
    return std::max(0, *plan_.skip_limit - used);
}

void MockExamSession::save(int index) {
    if (abandoned_) return;
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
    r.option_order = order_letters(it.order);
    r.pretest = it.pretest;
    r.skipped = it.skipped;
    if (cat_) r.difficulty = it.difficulty;
    r.answered_at = it.answered_at;
    r.response_ms = it.time_spent;
    s_.store.save_attempt_item(r, elapsed(s_.clock()));
}

UnixMs MockExamSession::account_time() {
    if (position_ < 0 || position_ >= size()) return 0;
    const UnixMs now = std::min(s_.clock(), deadline_);
    const UnixMs added = std::max<UnixMs>(0, now - shown_at_);
    items_.at(static_cast<std::size_t>(position_)).time_spent += added;
    shown_at_ = now;
    return added;
}

void MockExamSession::checkpoint() {
    if (abandoned_ || submitted()) return;
    s_.store.set_attempt_elapsed(attempt_id_, elapsed(s_.clock()));
}

bool MockExamSession::open_item(int index) const { return item(index).chosen.empty(); }

// Skip-limited navigation: the next unanswered item not skipped after `index`, else the first
// skipped one still open, else `index` itself.
int MockExamSession::next_open_after(int index) const {
    for (int i = index + 1; i < size(); ++i)
        if (open_item(i) && !item(i).skipped) return i;
    for (int i = 0; i < size(); ++i)
        if (i != index && open_item(i) && item(i).skipped) return i;
    return index;
}

bool MockExamSession::answer(const std::vector<int>& chosen) {
    if (submitted() || abandoned_ || finished() || chosen.empty() || time_up()) return false;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    if (!can_revisit() && !it.chosen.empty()) return false;
    account_time();
    it.chosen = chosen;
    it.answered_at = s_.clock();
    std::sort(it.chosen.begin(), it.chosen.end());
    std::vector<int> file_indices;
    for (int screen : it.chosen) file_indices.push_back(it.order.file_index(screen));
    it.correct = is_correct(*it.card, file_indices);
    save(position_);
    if (cat_) {
        cat_->answer(it.correct);
        const auto outcome = cat_->check();
        if (outcome.decision != cat::Decision::Continue)
            finished_ = outcome;
        else
            present_next_adaptive();
        return true;
    }
    if (plan_.navigation == Navigation::Forward && position_ + 1 < size()) next();
    if (plan_.navigation == Navigation::SkipLimited) position_ = next_open_after(position_);
    return true;
}

void MockExamSession::clear_answer() {
    if (submitted() || abandoned_ || !can_revisit() || time_up()) return;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    if (it.chosen.empty()) return;
    it.chosen.clear();
    it.correct = false;
    it.answered_at.reset();
    save(position_);
}

void MockExamSession::toggle_flag() {
    if (submitted() || abandoned_ || !can_revisit() || time_up()) return;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    it.flagged = !it.flagged;
    save(position_);
}

bool MockExamSession::skip() {
    if (submitted() || abandoned_ || time_up() || skips_left() <= 0) return false;
    MockItem& it = items_.at(static_cast<std::size_t>(position_));
    if (!it.chosen.empty() || it.skipped) return false;
    const int next = next_open_after(position_);
    if (next == position_) return false;  // nothing else left to answer first
    account_time();
    it.skipped = true;
    save(position_);
    position_ = next;
    return true;
}

bool MockExamSession::go_to(int index) {
    if (submitted() || abandoned_ || index < 0 || index >= size()) return false;
    switch (plan_.navigation) {
        case Navigation::Free:
            break;
        case Navigation::Forward:
            // An item may be left only for the next one, and only once answered.
            if (index != position_ + 1 || current().chosen.empty()) return false;
            break;
        case Navigation::SkipLimited:
            // Answered items stay closed; open ones are reached in order, skipped ones at any time.
            if (!open_item(index)) return false;
            if (!item(index).skipped && index != next_open_after(position_)) return false;
            break;
    }
    // The time spent on the item left is kept at once; an answer just saved already holds it.
    if (account_time() > 0) save(position_);
    position_ = index;
    return true;
}

bool MockExamSession::next() {
    if (plan_.navigation == Navigation::SkipLimited) return go_to(next_open_after(position_));
    return go_to(position_ + 1);
}

bool MockExamSession::previous() { return go_to(position_ - 1); }

void MockExamSession::abandon() {
    if (submitted() || abandoned_) return;
    s_.store.discard_attempt(attempt_id_);
    abandoned_ = true;
}

const MockResult& MockExamSession::submit() {
    if (result_) return *result_;
    if (abandoned_) throw std::logic_error("an abandoned exam cannot be submitted");
    account_time();
    const UnixMs now = s_.clock();
    MockResult r;
    r.timed_out = now >= deadline_;
    r.duration = elapsed(now);
    std::vector<const Card*> cards;
    std::vector<bool> answered, correct;
    for (int i = 0; i < size(); ++i) {
        const MockItem& it = item(i);
        if (!it.correct) r.missed.push_back(i);
        if (cat_ && it.pretest) continue;  // unscored
        if (cat_ && it.chosen.empty()) continue;  // presented but never answered: not scored
        cards.push_back(it.card);
        answered.push_back(!it.chosen.empty());
        correct.push_back(it.correct);
    }
    r.score = score_mock_exam(*exam_, cards, answered, correct);
    r.passed = r.score.passed;
    r.answered = answered_count();
    store::AttemptOutcome outcome;
    if (cat_) {
        adaptive_result(r, outcome);
    } else {
        r.ended_early = !r.timed_out && r.answered < size();
    }
    outcome.finished_at = now;
    outcome.score_percent = r.score.percent;
    outcome.passed = r.passed;
    outcome.duration_ms = r.duration;
    outcome.scaled_score = r.score.scaled;
    outcome.items_given = size();
    // One transaction (one sync) for the last item, the outcome and every answer's review.
    s_.store.in_one_transaction([&] {
        save(position_);
        s_.store.finish_attempt(attempt_id_, outcome);
        record_reviews(now);
    });
    result_ = r;
    return *result_;
}

void MockExamSession::record_reviews(UnixMs now) {
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
        rr.response_ms = it.time_spent;
        rr.mode = "exam";
        rr.before = record ? record->memory : fsrs::MemoryState{};
        std::int64_t elapsed_days =
            rr.before.last_review ? std::max<std::int64_t>(0, s_.days.days_between(rr.before.last_review, now)) : 0;
        rr.after = scheduler_.next(rr.before, static_cast<fsrs::Rating>(rr.rating), now, elapsed_days);
        if (exam_day) rr.after = cap_at_exam_day(rr.after, now, *exam_day, s_.days);
        s_.store.record_review(rr);
    }
}

}  // namespace certdrill::app
