#pragma once
// The decks a learner picks on the home screen for the run of the trainer (nothing is stored):
// every deck is chosen until it is excluded. Studying a subset goes through restrict_to_decks,
// as `--deck` does.
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/services.hpp"
#include "app/study_session.hpp"

namespace certdrill::app {

struct DeckRow {
    std::string id;
    std::string title;
    std::size_t questions = 0;
    std::size_t flashcards = 0;
    bool chosen = true;
};

class DeckChoice {
public:
    // The exam's decks in library order, with their card counts and whether each is chosen.
    std::vector<DeckRow> rows(const Library& library, std::string_view exam_id) const;
    bool chosen(std::string_view deck_id) const { return !excluded_.count(std::string(deck_id)); }
    // Includes an excluded deck, or excludes an included one.
    void toggle(std::string_view deck_id);
    // "all decks", "3 of 17 decks" or "no decks" of the exam.
    std::string summary(const Library& library, std::string_view exam_id) const;
    // The chosen decks of the exam: empty when every deck is chosen (no restriction is needed).
    std::vector<std::string> subset(const Library& library, std::string_view exam_id) const;

private:
    std::set<std::string> excluded_;
};

// A study session on the chosen decks of `options.exam_id` (the whole exam when every deck is
// chosen); nullptr with `error` saying how to fix it when none is.
std::shared_ptr<StudySession> start_study(const Services& services, const DeckChoice& choice, StudyOptions options,
                                          std::string& error);

}  // namespace certdrill::app
