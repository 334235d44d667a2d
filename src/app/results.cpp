#include "app/results.hpp"

#include <cstdio>
#include <set>

#include "core/grading.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

std::string anonymous_learner(std::uint64_t seed) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "anonymous-%012llx", static_cast<unsigned long long>(seed & 0xFFFFFFFFFFFFull));
    return buf;
}

namespace {

ResultCard result_card(const Card& card) {
    return ResultCard{card.id,
                      card.exam_id,
                      card.deck_id,
                      card.domain_id,
                      to_string(card.type),
                      static_cast<int>(card.options.size()),
                      file_letters(correct_indices(card))};
}

}  // namespace

Results collect_results(const Services& services, const std::optional<std::string>& exam_id,
                        const std::vector<std::string>& deck_filter, const std::string& learner) {
    Results out;
    out.learner = learner;
    out.exported_at = services.clock();
    out.exam_filter = exam_id;
    out.deck_filter = deck_filter;
    auto wanted = [&](const Card* card) { return card && (!exam_id || card->exam_id == *exam_id); };

    std::set<std::string> listed;
    const auto by_id = cards_by_id(services.library);
    const auto card_of = [&](const std::string& id) -> const Card* {
        const auto it = by_id.find(id);
        return it == by_id.end() ? nullptr : it->second;
    };
    for (const auto& r : services.store.reviews()) {
        const Card* card = card_of(r.card_id);
        if (!wanted(card)) continue;
        if (listed.insert(card->id).second) out.cards.push_back(result_card(*card));
        out.answers.push_back(ResultAnswer{r.card_id, r.chosen, r.correct, r.response_ms, r.mode, r.at});
    }
    for (const auto& a : services.store.attempts(exam_id ? std::optional<std::string_view>(*exam_id) : std::nullopt)) {
        if (!services.library.exam(a.exam_id)) continue;
        ResultAttempt attempt{a.exam_id, a.started_at, a.finished_at, a.minutes, a.score_percent, a.passed, {}};
        for (const auto& item : services.store.attempt_items(a.id)) {
            const Card* card = card_of(item.card_id);
            if (!wanted(card)) continue;
            if (listed.insert(card->id).second) out.cards.push_back(result_card(*card));
            attempt.items.push_back({item.card_id, item.chosen, item.correct, item.response_ms});
        }
        if (!attempt.items.empty()) out.attempts.push_back(std::move(attempt));
    }
    for (auto& e : compute_stats(services, exam_id).exams)
        if (e.cards > 0) out.exams.push_back(std::move(e));
    return out;
}

}  // namespace certdrill::app
