#include "app/deck_choice.hpp"

#include <optional>

#include "app/deck_selection.hpp"
#include "app/errors.hpp"

namespace certdrill::app {

std::vector<DeckRow> DeckChoice::rows(const Library& library, std::string_view exam_id) const {
    std::vector<DeckRow> out;
    for (const auto& d : library.decks)
        if (d.exam_id == exam_id) out.push_back(DeckRow{d.id, d.title, 0, 0, chosen(d.id)});
    for (const auto& c : library.cards)
        for (auto& row : out)
            if (row.id == c.deck_id) ++(c.is_question() ? row.questions : row.flashcards);
    return out;
}

void DeckChoice::toggle(std::string_view deck_id) {
    const std::string id(deck_id);
    if (!excluded_.erase(id)) excluded_.insert(id);
}

std::string DeckChoice::summary(const Library& library, std::string_view exam_id) const {
    const auto all = rows(library, exam_id);
    std::size_t chosen_count = 0;
    for (const auto& r : all) chosen_count += r.chosen ? 1 : 0;
    if (chosen_count == all.size()) return "all decks";
    if (chosen_count == 0) return "no decks";
    return std::to_string(chosen_count) + " of " + std::to_string(all.size()) + " decks";
}

std::vector<std::string> DeckChoice::subset(const Library& library, std::string_view exam_id) const {
    std::vector<std::string> ids;
    bool any_excluded = false;
    for (const auto& r : rows(library, exam_id)) {
        if (r.chosen)
            ids.push_back(r.id);
        else
            any_excluded = true;
    }
    if (!any_excluded) ids.clear();
    return ids;
}

namespace {

// The session keeps a reference to its library, so the cut-down library lives as long as it.
struct DeckSession {
    Library library;
    std::optional<StudySession> session;
};

}  // namespace

std::shared_ptr<StudySession> start_study(const Services& services, const DeckChoice& choice, StudyOptions options,
                                          std::string& error) {
    const auto rows = choice.rows(services.library, options.exam_id);
    const auto ids = choice.subset(services.library, options.exam_id);
    if (ids.empty()) {
        bool any_chosen = rows.empty();
        for (const auto& r : rows) any_chosen = any_chosen || r.chosen;
        if (!any_chosen) {
            error = "no deck is chosen: press Space on a deck to include it";
            return nullptr;
        }
        return std::make_shared<StudySession>(services, std::move(options));
    }
    auto holder = std::make_shared<DeckSession>();
    try {
        holder->library = restrict_to_decks(services.library, ids);
    } catch (const AppError& e) {
        error = e.what();
        return nullptr;
    }
    Services on_decks{holder->library, services.store, services.scheduler, services.clock, services.days};
    holder->session.emplace(on_decks, std::move(options));
    return std::shared_ptr<StudySession>(holder, &*holder->session);
}

}  // namespace certdrill::app
