#include "app/study_session.hpp"

#include <algorithm>
#include <stdexcept>

#include "store/progress_store.hpp"
#include "app/optimize.hpp"

namespace certdrill::app {

namespace {

// New cards started in study today: first answers (the card had no memory before) since the day
// began. Mock-exam answers are left out, so an exam does not use up the day's new cards.
std::size_t new_started_today(const store::ProgressStore& store, const DayCounter& days, UnixMs now) {
    std::size_t n = 0;
    const auto today = days.day_of(now);
    // A study day lasts at most 25 hours, so answers of today are all among those of the two days
    // either side of now; only those are read (a clock set wrong can leave answers in the future).
    store.for_each_answer(
        [&](const store::AnswerRow& r) {
            if (r.in_study && days.day_of(r.at) == today && r.before_state == fsrs::State::New) ++n;
        },
        now - 2 * kMsPerDay, now + 2 * kMsPerDay);
    return n;
}

fsrs::MemoryState stored_memory(const store::ProgressStore& store, const std::string& id) {
    auto record = store.card(id);
    return record ? record->memory : fsrs::MemoryState{};
}

std::int64_t elapsed_days(const DayCounter& days, const fsrs::MemoryState& m, UnixMs now) {
    return m.last_review == 0 ? 0 : std::max<std::int64_t>(0, days.days_between(m.last_review, now));
}

}  // namespace

std::string progress_text(const ShownItem& item) {
    if (item.planned > 0) return std::to_string(item.number) + " of " + std::to_string(item.planned);
    return std::to_string(item.number - 1) + " answered";
}

StudySession::StudySession(Services services, StudyOptions options)
    : s_(std::move(services)), options_(std::move(options)), rng_(options_.seed) {
    exam_ = s_.library.exam(options_.exam_id);
    if (!exam_) throw std::invalid_argument("unknown exam '" + options_.exam_id + "'");
    if (options_.domain && !exam_->domain(*options_.domain))
        throw std::invalid_argument("exam " + exam_->id + " has no domain '" + *options_.domain + "'");
    scheduler_ = scheduler_for(s_, exam_->id);
    const UnixMs now = s_.clock();
    started_at_ = now;
    start_ = join_progress(s_.library, s_.store, exam_->id);
    const std::vector<CardProgress> no_cards;
    const auto listed = start_.by_exam.find(exam_->id);
    const std::vector<CardProgress>& progress = listed == start_.by_exam.end() ? no_cards : listed->second;
    const auto exam_day = exam_day_of(s_.store, exam_->id);
    const auto mastery =
        exam_mastery(s_.store, *exam_, start_, scheduler_, now, s_.days, mastery_horizon(exam_day, now, s_.days));
    PlannerConfig config;
    config.new_per_day = options_.new_per_day;
    if (exam_day && days_left(*exam_day, now, s_.days) >= 0) {
        const std::int64_t left = days_left(*exam_day, now, s_.days);
        config.exam_date = PlannerConfig::ExamDate{*exam_day, left};
        // Enough new cards a day to start every card in time for a second look before the exam.
        config.new_per_day = std::max(config.new_per_day, new_cards_needed_per_day(unseen_cards(progress), left));
    }
    config.new_introduced_today = new_started_today(s_.store, s_.days, now);
    config.domain = options_.domain;
    config.default_retention = scheduler_.parameters().desired_retention;
    planner_.emplace(*exam_, progress, mastery, scheduler_, s_.days, config, options_.seed);
    advance();
}

StudySession::~StudySession() {
    try {
        quit();
    } catch (...) {
        // The answers are already stored; a failure to stamp the session's end loses nothing.
    }
}

void StudySession::quit() {
    if (ended_) return;
    ended_ = true;
    current_.reset();
    if (session_id_) s_.store.end_session(*session_id_, s_.clock());
}

int StudySession::planned_length() const {
    const UnixMs now = s_.clock();
    const int remaining = static_cast<int>(planner_->due_reviews(now) + planner_->learning(now) +
                                           std::min(planner_->new_remaining(), planner_->new_available()));
    const int answered = static_cast<int>(given_.size());
    std::optional<int> limit = options_.limit;
    if (!limit && !options_.minutes) limit = kDefaultSessionLimit;
    // Only a limit the cards can fill is a length; otherwise the count of cards left now would
    // be shown as one, and change under the learner ("20 of 20", then "21 of 21").
    return limit && answered + remaining >= *limit ? *limit : 0;
}

bool StudySession::limit_reached() const {
    const int answered = static_cast<int>(given_.size());
    if (options_.limit) return answered >= *options_.limit;
    if (options_.minutes) return s_.clock() - started_at_ >= static_cast<UnixMs>(*options_.minutes) * kMsPerMinute;
    return answered >= kDefaultSessionLimit;
}

void StudySession::show(const Pick& pick, const OptionOrder* order) {
    ShownItem item;
    item.card = pick.card;
    item.kind = pick.kind;
    item.number = static_cast<int>(given_.size()) + 1;
    // One read of the card's stored record: its flag, and for a flashcard its memory state.
    const auto record = s_.store.card(pick.card->id);
    if (pick.card->is_question()) {
        item.order = order ? *order : shuffled_options(*pick.card, rng_);
    } else {
        const UnixMs now = s_.clock();
        const fsrs::MemoryState m = record ? record->memory : fsrs::MemoryState{};
        for (std::size_t i = 0; i < 4; ++i) {
            const auto outcome =
                planner_->schedule(*pick.card, m, static_cast<fsrs::Rating>(i + 1), now, elapsed_days(s_.days, m, now));
            item.grade_intervals[i] = format_interval(outcome.due - now);
        }
    }
    item.flagged = record && record->flagged;
    current_ = std::move(item);
    current_->planned = planned_length();
    last_feedback_.reset();
    shown_at_ = s_.clock();
}

void StudySession::advance() {
    if (ended_) return;
    current_.reset();
    if (limit_reached()) return;
    if (auto pick = planner_->next(s_.clock()))
        show(*pick);
    else
        ran_out_ = true;
}

fsrs::MemoryState StudySession::commit(const Card& card, fsrs::Rating rating, bool correct, bool guessed,
                                       const std::string& chosen) {
    const UnixMs now = s_.clock();
    store::ReviewRecord r;
    r.card_id = card.id;
    r.at = now;
    r.rating = static_cast<int>(rating);
    r.chosen = chosen;
    r.correct = correct;
    r.guessed = guessed;
    r.response_ms = std::max<UnixMs>(0, now - shown_at_);
    r.mode = "study";
    r.session_id = session_id_;
    r.before = stored_memory(s_.store, card.id);
    r.after = planner_->schedule(card, r.before, rating, now, elapsed_days(s_.days, r.before, now));
    const bool was_new = r.before.state == fsrs::State::New;
    // Durable before anything else is shown.
    if (session_id_)
        s_.store.record_review(r);
    else
        session_id_ = s_.store.begin_session_with("study", exam_->id, started_at_, r);
    planner_->record(card, r.after, correct);
    given_.push_back(Given{&card, correct, was_new, current_ ? current_->kind : PickKind::New,
                           current_ ? current_->order : OptionOrder{}});
    steps_.push_back(Step::Answer);
    return r.after;
}

Feedback StudySession::answer(const std::vector<int>& chosen) {
    if (!current_ || !current_->card->is_question()) throw std::logic_error("no question on screen");
    const Card& card = *current_->card;
    std::vector<int> file_indices;
    for (int screen : chosen) file_indices.push_back(current_->order.file_index(screen));
    Feedback f;
    f.correct = is_correct(card, file_indices);
    f.rating = fsrs::grade_answer(f.correct, false);
    f.chosen = chosen;
    for (int file_index : correct_indices(card))
        f.correct_screen.push_back(current_->order.letter_of(file_index) - 'A');
    std::sort(f.correct_screen.begin(), f.correct_screen.end());
    // The state just stored: no need to read it back.
    const fsrs::MemoryState after = commit(card, f.rating, f.correct, false, file_letters(file_indices));
    f.next_interval = format_interval(after.due - s_.clock());
    last_feedback_ = f;
    return f;
}

std::optional<Feedback> StudySession::mark_guess() {
    // Without a session there is no answer of this session to regrade (and the store would take
    // an unset session as any session's last answer).
    if (!session_id_ || !current_ || !last_feedback_ || !last_feedback_->correct || last_feedback_->guessed)
        return std::nullopt;
    const Card& card = *current_->card;
    const fsrs::Rating hard = fsrs::grade_answer(true, true);
    std::optional<store::ReviewRecord> regraded;
    try {
        // One transaction: the answer is regraded in place, never lost between two writes.
        regraded = s_.store.replace_last(session_id_, [&](const store::ReviewRecord& undone) {
            store::ReviewRecord r = undone;
            r.id = 0;
            r.rating = static_cast<int>(hard);
            r.guessed = true;
            r.after = planner_->schedule(card, undone.before, hard, undone.at,
                                         elapsed_days(s_.days, undone.before, undone.at));
            return r;
        });
    } catch (const store::StoreError& e) {
        notices_.push_back(std::string("cannot mark as a guess: ") + e.what());
        return std::nullopt;
    }
    if (!regraded || regraded->card_id != card.id) return std::nullopt;
    const bool was_new = given_.back().was_new;
    planner_->restore(card, was_new ? std::nullopt : std::optional<fsrs::MemoryState>(regraded->before), was_new);
    planner_->record(card, regraded->after, true);
    Feedback f = *last_feedback_;
    f.guessed = true;
    f.rating = hard;
    f.next_interval = format_interval(regraded->after.due - s_.clock());
    last_feedback_ = f;
    return f;
}

void StudySession::grade_flashcard(fsrs::Rating rating) {
    if (!current_ || current_->card->is_question()) throw std::logic_error("no flashcard on screen");
    commit(*current_->card, rating, rating != fsrs::Rating::Again, false, "");
    advance();
}

bool StudySession::undo() {
    if (steps_.empty()) return false;
    return steps_.back() == Step::Suspension ? undo_suspension() : undo_answer();
}

bool StudySession::undo_suspension() {
    const Suspension last = suspensions_.back();
    try {
        s_.store.set_suspended(last.card->id, false, s_.clock());
    } catch (const store::StoreError& e) {
        notices_.push_back(std::string("cannot undo the suspension: ") + e.what());
        return false;
    }
    planner_->include(*last.card);
    suspensions_.pop_back();
    steps_.pop_back();
    last_undone_ = Undone::Suspension;
    if (!last.answered) show(Pick{last.card, last.kind, 0.0}, &last.order);
    return true;
}

bool StudySession::undo_answer() {
    if (given_.empty() || !session_id_) return false;
    std::optional<store::ReviewRecord> undone;
    try {
        undone = s_.store.undo_last(session_id_);
    } catch (const store::StoreError& e) {
        notices_.push_back(std::string("cannot undo: ") + e.what());
        return false;
    }
    if (!undone) return false;
    const Card* card = s_.library.card(undone->card_id);
    const Given last = given_.back();
    given_.pop_back();
    steps_.pop_back();
    last_undone_ = Undone::Answer;
    if (!card) return false;
    // Undo also takes back a suspension given after that answer, so the card can be answered.
    if (auto record = s_.store.card(card->id); record && record->suspended) {
        s_.store.set_suspended(card->id, false, s_.clock());
        planner_->include(*card);
    }
    bool had_memory = undone->had_card_before && undone->before.state != fsrs::State::New;
    planner_->restore(*card, had_memory ? std::optional<fsrs::MemoryState>(undone->before) : std::nullopt,
                      last.was_new);
    // The item comes back exactly as it was shown: same kind, same option order, nothing
    // selected, so retyping the intended letter picks the intended option.
    show(Pick{card, last.card == card ? last.kind : had_memory ? PickKind::Review : PickKind::New, 0.0},
         last.card == card ? &last.order : nullptr);
    return true;
}

void StudySession::toggle_flag() {
    if (!current_) return;
    current_->flagged = !current_->flagged;
    s_.store.set_flagged(current_->card->id, current_->flagged, s_.clock());
}

void StudySession::suspend() {
    if (!current_) return;
    const Card& card = *current_->card;
    s_.store.set_suspended(card.id, true, s_.clock());
    planner_->exclude(card);
    const bool answered = last_feedback_.has_value() && !given_.empty() && given_.back().card == &card;
    suspensions_.push_back(Suspension{&card, current_->kind, current_->order, answered});
    steps_.push_back(Step::Suspension);
    advance();
}

StudySummary StudySession::summary() const {
    StudySummary out;
    const UnixMs now = s_.clock();
    out.elapsed = now - started_at_;
    for (const auto& g : given_) {
        ++out.answered;
        auto& tally = out.by_domain[g.card->domain_id];
        ++tally.answered;
        if (g.correct) {
            ++out.correct;
            ++tally.correct;
        } else if (g.card->is_question() &&
                   std::find(out.missed.begin(), out.missed.end(), g.card) == out.missed.end()) {
            out.missed.push_back(g.card);
        }
    }
    const auto tomorrow = s_.days.day_of(now) + 1;
    // Only cards due after now can be due tomorrow or next in learning; a study day lasts at most
    // 25 hours, so tomorrow ends within three days. The store passes over the other rows.
    s_.store.for_each_card_due_soon(now, now + 3 * kMsPerDay, [&](const store::CardRecord& r) {
        const auto& m = r.memory;
        if (r.suspended || m.state == fsrs::State::New) return;
        const bool due_tomorrow = m.state == fsrs::State::Review && s_.days.day_of(m.due) == tomorrow;
        const bool next_step = (m.state == fsrs::State::Learning || m.state == fsrs::State::Relearning) &&
                               m.due > now && (!out.next_learning || m.due < *out.next_learning);
        if ((!due_tomorrow && !next_step) || !start_.place_of.contains(r.card_id)) return;
        if (due_tomorrow) ++out.due_tomorrow;
        if (next_step) out.next_learning = m.due;
    });
    out.new_remaining_today = static_cast<int>(std::min(planner_->new_remaining(), planner_->new_available()));
    out.ran_out = ran_out_;
    return out;
}

}  // namespace certdrill::app
