#include "app/services.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_map>

#include "app/errors.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

ProgressJoin join_progress(const Library& library, const store::ProgressStore& store,
                           std::optional<std::string_view> exam_id) {
    ProgressJoin out;
    // Each exam's list sized first: growing lists would copy every CardProgress again.
    std::map<std::string_view, std::size_t> count;
    for (const auto& card : library.cards)
        if (!exam_id || card.exam_id == *exam_id) ++count[card.exam_id];
    for (const auto& [id, n] : count) out.by_exam[id].reserve(n);
    out.place_of.reserve(library.cards.size());
    for (const auto& card : library.cards) {
        if (exam_id && card.exam_id != *exam_id) continue;
        auto& list = out.by_exam[card.exam_id];
        out.place_of.emplace(card.id, ProgressJoin::Place{&list, list.size()});
        list.push_back(CardProgress{&card, std::nullopt, false, false});
    }
    store.for_each_card([&](const store::CardRecord& r) {
        const auto* place = out.place_of.find(r.card_id);
        if (!place) return;
        CardProgress& cp = (*place->list)[place->index];
        if (r.memory.state != fsrs::State::New) cp.memory = r.memory;
        cp.suspended = r.suspended;
        cp.flagged = r.flagged;
    });
    return out;
}

std::vector<CardProgress> progress_for(const Library& library, const store::ProgressStore& store,
                                       std::string_view exam_id) {
    auto join = join_progress(library, store, exam_id);
    return join.by_exam.empty() ? std::vector<CardProgress>{} : std::move(join.by_exam.begin()->second);
}

std::map<std::string_view, std::vector<CardProgress>> progress_by_exam(
    const Library& library, const store::ProgressStore& store, std::optional<std::string_view> exam_id) {
    return std::move(join_progress(library, store, exam_id).by_exam);
}

std::unordered_map<std::string_view, const Card*> cards_by_id(const Library& library,
                                                              std::optional<std::string_view> exam_id) {
    std::unordered_map<std::string_view, const Card*> out;
    for (const auto& card : library.cards)
        if (!exam_id || card.exam_id == *exam_id) out.emplace(card.id, &card);
    return out;
}

void for_each_library_history(const Library& library, const store::ProgressStore& store,
                              const std::function<void(const Card&, const std::vector<store::HistoryAnswer>&)>& visit,
                              const std::function<void()>& restart, std::optional<std::string_view> exam_id) {
    const auto by_id = cards_by_id(library, exam_id);
    store.for_each_card_history(
        [&](std::string_view card_id, const std::vector<store::HistoryAnswer>& answers) {
            if (auto it = by_id.find(card_id); it != by_id.end()) visit(*it->second, answers);
        },
        restart);
}

void for_each_joined_history(
    const store::ProgressStore& store, const ProgressJoin& join,
    const std::function<void(const ProgressJoin::Place&, const std::vector<store::HistoryAnswer>&)>& visit,
    const std::function<void()>& restart) {
    store.for_each_card_history(
        [&](std::string_view card_id, const std::vector<store::HistoryAnswer>& answers) {
            if (const auto* place = join.place_of.find(card_id)) visit(*place, answers);
        },
        restart);
}

void add_card_history(MasteryAccumulator& mastery, std::size_t position,
                      const std::vector<store::HistoryAnswer>& answers, std::vector<CardAnswer>& buffer) {
    buffer.clear();
    for (const auto& a : answers) buffer.push_back(CardAnswer{a.at, a.correct, a.after});
    mastery.add_card_at(position, buffer);
}

ExamMastery exam_mastery(const store::ProgressStore& store, const Exam& exam, const ProgressJoin& join,
                         const fsrs::Scheduler& scheduler, UnixMs now, const DayCounter& days,
                         std::optional<UnixMs> horizon) {
    static const std::vector<CardProgress> no_cards;
    const auto list = join.by_exam.find(exam.id);
    const std::vector<CardProgress>& progress = list == join.by_exam.end() ? no_cards : list->second;
    std::optional<MasteryAccumulator> mastery;
    // Also how the figures start over when the store reads every card again from the log.
    const auto start = [&] { mastery.emplace(exam, progress, scheduler, now, MasteryModel{}, days, horizon); };
    start();
    std::vector<CardAnswer> buffer;
    for_each_joined_history(
        store, join,
        [&](const ProgressJoin::Place& place, const std::vector<store::HistoryAnswer>& answers) {
            if (place.list == &progress) add_card_history(*mastery, place.index, answers, buffer);
        },
        start);
    return mastery->finish();
}

std::size_t unseen_cards(const std::vector<CardProgress>& cards) {
    return static_cast<std::size_t>(std::count_if(cards.begin(), cards.end(), [](const CardProgress& cp) {
        return !cp.suspended && (!cp.memory || cp.memory->state == fsrs::State::New);
    }));
}

std::optional<StudyDay> exam_day_of(const store::ProgressStore& store, std::string_view exam_id) {
    const auto text = store.exam_date(exam_id);
    return text ? parse_exam_date(*text) : std::nullopt;
}

std::optional<UnixMs> mastery_horizon(std::optional<StudyDay> exam_day, UnixMs now, const DayCounter& days) {
    if (!exam_day || days_left(*exam_day, now, days) < 0) return std::nullopt;
    return exam_day_moment(*exam_day, days);
}

std::string format_interval(UnixMs ms) {
    char buf[32];
    double minutes = static_cast<double>(ms) / static_cast<double>(kMsPerMinute);
    double days = static_cast<double>(ms) / static_cast<double>(kMsPerDay);
    if (minutes < 1)
        std::snprintf(buf, sizeof buf, "<1m");
    else if (minutes < 60)
        std::snprintf(buf, sizeof buf, "%.0fm", std::round(minutes));
    else if (days < 1)
        std::snprintf(buf, sizeof buf, "%.0fh", std::round(minutes / 60));
    else if (days < 30)
        std::snprintf(buf, sizeof buf, "%.0fd", std::round(days));
    else if (days < 365)
        std::snprintf(buf, sizeof buf, "%.1fmo", days / 30.4);
    else
        std::snprintf(buf, sizeof buf, "%.1fy", days / 365.25);
    return buf;
}

const Exam* implied_exam(const Library& library, const store::ProgressStore& store) {
    // Carry on with what the candidate studied last.
    const auto by_id = cards_by_id(library);
    const auto exam_of = [&](std::string_view card_id) -> const Exam* {
        const auto it = by_id.find(card_id);
        return it == by_id.end() ? nullptr : library.exam(it->second->exam_id);
    };
    if (const auto last = store.latest_answered_card([&](std::string_view id) { return exam_of(id) != nullptr; }))
        return exam_of(*last);
    const Exam* only = nullptr;
    for (const auto& e : library.exams) {
        if (library.cards_of(e.id).empty()) continue;
        if (only) return nullptr;  // more than one: the candidate chooses
        only = &e;
    }
    return only;
}

const Exam& choose_exam(const Library& library, const store::ProgressStore& store,
                        const std::optional<std::string>& requested, IdSource source) {
    if (requested) return require_exam(library, *requested, source);
    if (const Exam* e = implied_exam(library, store)) return *e;
    if (library.cards.empty())
        throw usage_error("no decks with cards were found", "check --decks, or run 'certdrill validate'");
    throw usage_error("which exam? there are no answers yet to carry on from",
                      "choose one with " + std::string(source.name) + ": " + exam_choices(library));
}

const Exam* study_exam(const Library& library, const store::ProgressStore& store,
                       const std::optional<std::string>& requested, IdSource source, bool can_ask) {
    if (!requested && can_ask) return implied_exam(library, store);
    return &choose_exam(library, store, requested, source);
}

}  // namespace certdrill::app
