// Home: the exams with their figures, the selected exam's decks (which to study), its format,
// and the actions.
#include <algorithm>
#include <cstdio>

#include "app/stats.hpp"
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class HomeView final : public View {
public:
    HomeView(const Library& library, app::Stats stats, int exam_index, const app::DeckChoice& choice)
        : library_(library), stats_(std::move(stats)), exam_index_(exam_index) {
        collect_decks(choice);
    }

    Screen id() const override { return Screen::Home; }

    void on_key(int key, Nav& nav) override {
        const Exam* exam = selected_exam(nav);
        switch (action_for(KeyContext::Home, key)) {
            case Action::PrevExam:
                nav.set_exam_index(nav.exam_index() - 1);
                break;
            case Action::NextExam:
                nav.set_exam_index(nav.exam_index() + 1);
                break;
            case Action::PrevDeck:
                deck_cursor_ = std::max(0, deck_cursor_ - 1);
                break;
            case Action::NextDeck:
                deck_cursor_ = std::clamp(deck_cursor_ + 1, 0, std::max(0, static_cast<int>(decks_.size()) - 1));
                break;
            case Action::ToggleDeck:
                if (!decks_.empty()) nav.deck_choice().toggle(decks_[static_cast<std::size_t>(deck_cursor_)].id);
                break;
            case Action::Study:
                if (exam)
                    if (auto view = make_study(nav, *exam)) nav.replace(std::move(view));
                break;
            case Action::MockExam:
                if (exam)
                    if (auto view = make_exam(nav, *exam)) nav.replace(std::move(view));
                break;
            case Action::Dashboard:
                nav.replace(make_dashboard(nav));
                break;
            case Action::Browse:
                nav.replace(make_browse(nav));
                break;
            case Action::Quit:
                nav.quit();
                break;
            default:
                break;
        }
        if (exam_index_ != nav.exam_index()) deck_cursor_ = 0;
        exam_index_ = nav.exam_index();
        collect_decks(nav.deck_choice());
    }

    void on_return(Nav& nav) override { collect_decks(nav.deck_choice()); }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        header(buf, "certdrill", "security exam trainer");
        // The deck list gets the rows the rest of the body leaves free (at least one).
        const int body_rows = buf.height() - 2;
        const int deck_rows = std::max(1, body_rows - body(buf.width() - 2, 0).size());
        blit(buf, body(buf.width() - 2, deck_rows), 1, body_rows, 0, 1);
        footer(buf, frame.status, footer_hints(KeyContext::Home));
    }

private:
    Doc body(int width, int deck_rows) const {
        Doc doc(width);
        doc.blank();
        doc.line("Exams", Style::Bold);
        for (std::size_t i = 0; i < library_.exams.size(); ++i) {
            exam_row(doc, library_.exams[i], static_cast<int>(i));
            if (static_cast<int>(i) == exam_index_) deck_list(doc, deck_rows);
        }
        doc.blank();
        if (const Exam* e = selected()) {
            doc.line("Format: " + std::to_string(e->format.items_max) + " items, " + std::to_string(e->format.minutes) +
                         " minutes, " + (e->format.adaptive ? "adaptive (no going back)" : "linear (review allowed)") +
                         (e->format.open_book ? ", open book" : ""),
                     Style::Dim);
            if (!e->outline.confirmed)
                doc.line("Outline values marked unconfirmed: see the blueprint notes.", Style::Dim);
            if (const app::ExamStats* st = stats_of(*e); st && st->plan) doc.line(plan_line(*st->plan).spans);
        }
        doc.blank();
        doc.line("Actions", Style::Bold);
        doc.line({{"   s", Style::Accent},
                  {"  study (Enter)     ", Style::Normal},
                  {"e", Style::Accent},
                  {"  mock exam     ", Style::Normal},
                  {"d", Style::Accent},
                  {"  dashboard     ", Style::Normal},
                  {"b", Style::Accent},
                  {"  browse", Style::Normal}});
        doc.blank();
        doc.line("Reviews today: " + std::to_string(stats_.reviews_today) +
                     "    streak: " + std::to_string(stats_.streak_days) + (stats_.streak_days == 1 ? " day" : " days"),
                 Style::Dim);
        return doc;
    }

    void collect_decks(const app::DeckChoice& choice) {
        decks_.clear();
        deck_summary_.clear();
        if (const Exam* e = selected()) {
            decks_ = choice.rows(library_, e->id);
            deck_summary_ = choice.summary(library_, e->id);
        }
        deck_cursor_ = std::clamp(deck_cursor_, 0, std::max(0, static_cast<int>(decks_.size()) - 1));
    }

    // The summary line, then a window of `rows` decks that keeps the cursor in view (none when
    // `rows` is 0, as when measuring the rest of the body).
    void deck_list(Doc& doc, int rows) const {
        if (decks_.empty()) return;
        const int count = static_cast<int>(decks_.size());
        const int first = std::max(0, deck_cursor_ - rows + 1);
        const int shown = std::min(rows, count - first);
        std::string where = deck_summary_;
        if (rows > 0 && shown < count)
            where += ", " + std::to_string(first + 1) + "-" + std::to_string(first + shown) + " shown";
        const std::string keys = key_hint(KeyContext::Home, Action::PrevDeck) + "  " +
                                 key_hint(KeyContext::Home, Action::ToggleDeck);
        doc.line({{"      Decks: ", Style::Dim},
                  {text::fit(where, doc.width() - 15 - static_cast<int>(keys.size())), Style::Normal},
                  {"  " + keys, Style::Dim}});
        for (int r = 0; r < shown; ++r) deck_row(doc, decks_[static_cast<std::size_t>(first + r)], first + r);
    }

    void deck_row(Doc& doc, const app::DeckRow& d, int index) const {
        const bool sel = index == deck_cursor_;
        const std::string counts = " (" + std::to_string(d.questions) + " q, " + std::to_string(d.flashcards) + " fc)";
        const std::string name = text::fit(text::sanitize(d.id + "  " + d.title), doc.width() - 12 - static_cast<int>(counts.size()));
        doc.line({{sel ? "      \u25b8 " : "        ", sel ? Style::Accent : Style::Normal},
                  {d.chosen ? "[x] " : "[ ] ", d.chosen ? Style::Accent : Style::Dim},
                  {name, d.chosen ? Style::Normal : Style::Dim},
                  {counts, Style::Dim}});
    }

    const Exam* selected() const {
        if (library_.exams.empty()) return nullptr;
        return &library_.exams[static_cast<std::size_t>(
            std::clamp(exam_index_, 0, static_cast<int>(library_.exams.size()) - 1))];
    }

    const app::ExamStats* stats_of(const Exam& e) const {
        for (const auto& x : stats_.exams)
            if (x.id == e.id) return &x;
        return nullptr;
    }

    void exam_row(Doc& doc, const Exam& e, int index) const {
        const app::ExamStats* st = stats_of(e);
        const bool sel = index == exam_index_;
        char figures[128] = "";
        if (st)
            std::snprintf(figures, sizeof figures, "ready %3.0f%% (pass %2.0f%%)  due %3zu  new %4zu",
                          100 * st->readiness, 100 * st->passing, st->due_now, st->new_cards);
        std::string name = text::fit(e.short_name + "  " + e.name, doc.width() - 48);
        doc.line({{sel ? " \u25b8 " : "   ", sel ? Style::Accent : Style::Normal},
                  {name, sel ? Style::Bold : Style::Normal},
                  {std::string(" ") + figures, sel ? Style::Accent : Style::Dim}});
    }

    const Library& library_;
    app::Stats stats_;
    int exam_index_;
    std::vector<app::DeckRow> decks_;
    std::string deck_summary_;
    int deck_cursor_ = 0;
};

}  // namespace

std::unique_ptr<View> make_home(Nav& nav) {
    return std::make_unique<HomeView>(nav.services().library, app::compute_stats(nav.services()), nav.exam_index(),
                                      nav.deck_choice());
}

}  // namespace certdrill::tui
