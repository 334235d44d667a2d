#include "app/cards.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/text.hpp"
#include "store/progress_store.hpp"

namespace certdrill::app {

namespace {

std::vector<std::string> query_words(std::string_view query) {
    std::vector<std::string> words;
    std::string word;
    for (char c : std::string(query) + " ") {
        if (c == ' ') {
            if (!word.empty()) words.push_back(text::lower(word));
            word.clear();
        } else {
            word += c;
        }
    }
    return words;
}

bool needs_record(const std::vector<std::string>& words) {
    return std::any_of(words.begin(), words.end(), [](const std::string& w) {
        return w == "flagged" || w == "suspended" || w.rfind("state:", 0) == 0;
    });
}

bool matches(const Card& card, const std::vector<std::string>& words, const store::CardRecord* record) {
    const std::string haystack =
        text::lower(card.id + " " + card.stem + " " + card.front + " " + card.back + " " + card.explanation);
    for (const auto& w : words) {
        bool keep;
        if (w.rfind("domain:", 0) == 0)
            keep = card.domain_id == w.substr(7);
        else if (w.rfind("deck:", 0) == 0)
            keep = text::lower(card.deck_id) == w.substr(5);
        else if (w.rfind("topic:", 0) == 0)
            keep = std::any_of(card.topics.begin(), card.topics.end(),
                               [&](const std::string& t) { return text::lower(t) == w.substr(6); });
        else if (w == "flagged")
            keep = record && record->flagged;
        else if (w == "suspended")
            keep = record && record->suspended;
        else if (w.rfind("state:", 0) == 0)
            keep = (record ? fsrs::to_string(record->memory.state) : std::string("new")) == w.substr(6);
        else
            keep = haystack.find(w) != std::string::npos;
        if (!keep) return false;
    }
    return true;
}

}  // namespace

CardStatus card_status(const Services& s, const std::string& card_id) {
    CardStatus out;
    auto record = s.store.card(card_id);
    if (!record) return out;
    out.flagged = record->flagged;
    out.suspended = record->suspended;
    if (record->memory.state != fsrs::State::New) {
        const auto& m = record->memory;
        out.memory = m;
        const double days = std::max(0.0, static_cast<double>(s.clock() - m.last_review) / kMsPerDay);
        out.recall_now = s.scheduler.retrievability_fractional(m, days);
    }
    return out;
}

CardDetail card_detail(const Services& s, const Card& card) {
    CardDetail out;
    out.card = &card;
    out.exam = s.library.exam(card.exam_id);
    out.domain = out.exam ? out.exam->domain(card.domain_id) : nullptr;
    out.status = card_status(s, card.id);
    for (const auto& r : s.store.reviews(card.id))
        out.history.push_back(HistoryRow{r.at, r.mode, r.rating, r.correct, r.chosen, r.after.due - r.at});
    return out;
}

std::vector<const Card*> search_cards(const Services& s, const std::string& exam_id, std::string_view query) {
    const auto words = query_words(query);
    std::unordered_map<std::string, store::CardRecord> records;
    if (needs_record(words))
        s.store.for_each_card([&](const store::CardRecord& r) { records.emplace(r.card_id, r); });
    std::vector<const Card*> out;
    for (const auto& card : s.library.cards) {
        if (!exam_id.empty() && card.exam_id != exam_id) continue;
        auto it = records.find(card.id);
        if (matches(card, words, it == records.end() ? nullptr : &it->second)) out.push_back(&card);
    }
    return out;
}

void set_flagged(const Services& s, const std::string& card_id, bool flagged) {
    s.store.set_flagged(card_id, flagged, s.clock());
}

void set_suspended(const Services& s, const std::string& card_id, bool suspended) {
    s.store.set_suspended(card_id, suspended, s.clock());
}

}  // namespace certdrill::app
