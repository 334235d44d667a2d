#include "app/services.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <unordered_map>

#include "app/errors.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

std::vector<CardProgress> progress_for(const Library& library, const store::ProgressStore& store,
                                       std::string_view exam_id) {
    std::unordered_map<std::string, store::CardRecord> records;
    for (auto& r : store.cards()) records.emplace(r.card_id, std::move(r));
    std::vector<CardProgress> out;
    for (const auto& card : library.cards) {
        if (card.exam_id != exam_id) continue;
        CardProgress cp{&card, std::nullopt, false, false};
        if (auto it = records.find(card.id); it != records.end()) {
            if (it->second.memory.state != fsrs::State::New) cp.memory = it->second.memory;
            cp.suspended = it->second.suspended;
            cp.flagged = it->second.flagged;
        }
        out.push_back(cp);
    }
    return out;
}

std::unordered_map<std::string_view, const Card*> cards_by_id(const Library& library,
                                                              std::optional<std::string_view> exam_id) {
    std::unordered_map<std::string_view, const Card*> out;
    for (const auto& card : library.cards)
        if (!exam_id || card.exam_id == *exam_id) out.emplace(card.id, &card);
    return out;
}

void for_each_library_answer(const Library& library, const store::ProgressStore& store,
                             const std::function<void(const Card&, const store::AnswerRow&)>& visit, UnixMs since) {
    const auto by_id = cards_by_id(library);
    store.for_each_answer(
        [&](const store::AnswerRow& row) {
            if (auto it = by_id.find(row.card_id); it != by_id.end()) visit(*it->second, row);
        },
        since);
}

void for_each_library_history(const Library& library, const store::ProgressStore& store,
                              const std::function<void(const Card&, const std::vector<store::HistoryAnswer>&)>& visit,
                              std::optional<std::string_view> exam_id) {
    const auto by_id = cards_by_id(library, exam_id);
    store.for_each_card_history([&](std::string_view card_id, const std::vector<store::HistoryAnswer>& answers) {
        if (auto it = by_id.find(card_id); it != by_id.end()) visit(*it->second, answers);
    });
}

std::vector<Answer> exam_answers(const Library& library, const store::ProgressStore& store, std::string_view exam_id) {
    std::vector<Answer> out;
    for_each_library_history(
        library, store,
        [&](const Card& card, const std::vector<store::HistoryAnswer>& answers) {
            for (const auto& a : answers) out.push_back(Answer{card.id, a.at, a.correct, a.after});
        },
        exam_id);
    return out;
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
