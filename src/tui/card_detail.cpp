// One card in full: its text, every option with its reason, its memory state and the history of
// every answer given. Collected when opened and after each change.
#include <algorithm>
#include <cstdio>

#include "app/cards.hpp"
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class CardDetailView final : public View {
public:
    CardDetailView(app::CardDetail detail, UnixMs now) : detail_(std::move(detail)), collected_at_(now) {}

    Screen id() const override { return Screen::CardDetail; }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(KeyContext::CardDetail, key);
        const Card& card = *detail_.card;
        if (action == Action::ToggleFlag) {
            const bool flag = !detail_.status.flagged;
            app::set_flagged(nav.services(), card.id, flag);
            nav.set_status(flag ? "Flagged" : "Flag removed");
            refresh(nav);
        } else if (action == Action::ToggleSuspend) {
            const bool suspend = !detail_.status.suspended;
            app::set_suspended(nav.services(), card.id, suspend);
            nav.set_status(suspend ? "Suspended" : "Unsuspended: the card returns to study");
            refresh(nav);
        } else if (action == Action::Back) {
            nav.pop();
        } else {
            const Viewport v = nav.viewport();
            scroll_.on_action(action, body(v.width - 4).size(), v.height - 3);
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        const app::CardStatus& st = detail_.status;
        header(buf, "Card " + detail_.card->id,
               std::string(to_string(detail_.card->type)) + (st.flagged ? " \u00b7 flagged" : "") +
                   (st.suspended ? " \u00b7 suspended" : ""));
        scroll_body(buf, body(buf.width() - 4), 2, buf.height() - 3, scroll_.offset(), 2);
        footer(buf, frame.status,
               footer_hints(KeyContext::CardDetail, {},
                            {{Action::ToggleFlag, st.flagged ? "unflag" : "flag"},
                             {Action::ToggleSuspend, st.suspended ? "unsuspend" : "suspend"}}));
    }

private:
    void refresh(Nav& nav) {
        detail_ = app::card_detail(nav.services(), *detail_.card);
        collected_at_ = nav.services().clock();
    }

    Doc body(int width) const {
        const Card& c = *detail_.card;
        Doc doc(width);
        std::string topics;
        for (const auto& t : c.topics) topics += (topics.empty() ? "" : ", ") + t;
        doc.line(c.domain_id + " " + (detail_.domain ? detail_.domain->name : "") +
                     (topics.empty() ? "" : "  topics: " + topics),
                 Style::Dim);
        doc.blank();
        if (c.is_question()) {
            doc.paragraph(c.stem, Style::Bold);
            for (std::size_t i = 0; i < c.options.size(); ++i) {
                const Option& o = c.options[i];
                doc.paragraph(o.text, o.correct ? Style::Good : Style::Normal, 0,
                              std::string(o.correct ? "\u2714 " : "  ") + static_cast<char>('A' + i) + ") ",
                              o.correct ? Style::Good : Style::Normal);
                if (!o.reason.empty()) doc.paragraph(o.reason, Style::Dim, 7);
            }
            if (!c.explanation.empty()) {
                doc.blank();
                doc.paragraph(c.explanation);
            }
        } else {
            doc.paragraph(c.front, Style::Bold);
            doc.paragraph(c.back);
        }
        doc.blank();
        doc.line("Memory", Style::Bold);
        if (!detail_.status.memory) {
            doc.line("new: not answered yet", Style::Dim);
        } else {
            const auto& m = *detail_.status.memory;
            char row[200];
            std::snprintf(row, sizeof row,
                          "%s  stability %.2f d  difficulty %.2f  recall now %.0f%%  due %s  reps %d  lapses %d",
                          fsrs::to_string(m.state), m.stability, m.difficulty, 100 * detail_.status.recall_now,
                          format_iso8601(m.due).substr(0, 16).c_str(), m.reps, m.lapses);
            doc.paragraph(row);
        }
        doc.blank();
        doc.line("History", Style::Bold);
        if (detail_.history.empty()) doc.line("no answers yet", Style::Dim);
        const char* grades[] = {"?", "Again", "Hard", "Good", "Easy"};
        for (const auto& h : detail_.history) {
            char row[200];
            std::snprintf(
                row, sizeof row, "%s  %-5s  %-5s  %-9s %s  next in %s", format_iso8601(h.at).substr(0, 16).c_str(),
                h.mode.c_str(), grades[std::clamp(h.rating, 0, 4)], h.correct ? "right" : "wrong",
                h.chosen.empty() ? "" : ("chose " + h.chosen).c_str(), app::format_interval(h.next_in).c_str());
            doc.line(row, h.correct ? Style::Normal : Style::Bad);
        }
        return doc;
    }

    app::CardDetail detail_;
    UnixMs collected_at_;
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_card_detail(Nav& nav, const Card& card) {
    return std::make_unique<CardDetailView>(app::card_detail(nav.services(), card), nav.services().clock());
}

}  // namespace certdrill::tui
