#pragma once
// View models for looking at single cards: the browse list and a card's detail with its memory
// and answer history. Collected here, drawn by the trainer's screens.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/services.hpp"

namespace certdrill::app {

// A card's stored state, as the trainer shows it.
struct CardStatus {
    bool flagged = false;
    bool suspended = false;
    std::optional<fsrs::MemoryState> memory;  // unset while the card is new
    double recall_now = 0.0;                  // chance of recalling it now (0 while new)
};

struct HistoryRow {
    UnixMs at = 0;
    std::string mode;  // "study" or "exam"
    int rating = 0;    // 1-4
    bool correct = false;
    std::string chosen;  // the options picked, by their letters in the deck file
    UnixMs next_in = 0;  // interval the answer gave
};

struct CardDetail {
    const Card* card = nullptr;
    const Exam* exam = nullptr;
    const Domain* domain = nullptr;
    CardStatus status;
    std::vector<HistoryRow> history;  // oldest first
};

CardStatus card_status(const Services& services, const std::string& card_id);
CardDetail card_detail(const Services& services, const Card& card);

// Cards of the exam matching a browse query. Terms: free words match the text (all must match);
// domain:ID, topic:ID, deck:ID, flagged, suspended and state:new|learning|review|relearning filter.
std::vector<const Card*> search_cards(const Services& services, const std::string& exam_id, std::string_view query);

void set_flagged(const Services& services, const std::string& card_id, bool flagged);
void set_suspended(const Services& services, const std::string& card_id, bool suspended);

}  // namespace certdrill::app
