// The end of a study session: answers, time, per-domain tallies, what is due next and the
// missed items to read again. Collected when the session ends.
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class SummaryView final : public View {
public:
    SummaryView(const Exam& exam, app::StudySummary summary, UnixMs now)
        : exam_(exam), summary_(std::move(summary)), now_(now) {}

    Screen id() const override { return Screen::StudySummary; }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(KeyContext::Summary, key);
        if (action == Action::GoHome) {
            nav.home();
        } else if (action == Action::Quit) {
            nav.quit();
        } else {
            const Viewport v = nav.viewport();
            scroll_.on_action(action, body(v.width - 4).size(), v.height - 3);
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        header(buf, exam_.short_name + " \u00b7 session summary", clock_text(summary_.elapsed));
        scroll_body(buf, body(buf.width() - 4), 2, buf.height() - 3, scroll_.offset(), 2);
        footer(buf, frame.status, footer_hints(KeyContext::Summary));
    }

private:
    Doc body(int width) const {
        const app::StudySummary& s = summary_;
        Doc doc(width);
        if (s.answered == 0 && s.ran_out) {
            doc.line("Nothing to study right now: no reviews are due and today's new cards are done.", Style::Bold);
            doc.blank();
        }
        doc.line("Answered " + std::to_string(s.answered) +
                     (s.answered ? ", correct " + std::to_string(s.correct) + " (" +
                                       pct(static_cast<double>(s.correct) / s.answered) + ")"
                                 : std::string()),
                 Style::Bold);
        doc.line("Time " + clock_text(s.elapsed));
        doc.blank();
        for (const auto& d : exam_.domains) {
            auto it = s.by_domain.find(d.id);
            if (it == s.by_domain.end()) continue;
            double frac = it->second.answered ? static_cast<double>(it->second.correct) / it->second.answered : 0;
            doc.line({{text::fit(d.id + " " + d.name, 44), Style::Normal},
                      {" " + bar(frac, 20) + " ", frac >= 0.7 ? Style::Good : Style::Bad},
                      {std::to_string(it->second.correct) + "/" + std::to_string(it->second.answered), Style::Normal}});
        }
        doc.blank();
        std::string next = "Due tomorrow: " + std::to_string(s.due_tomorrow) +
                           "   new cards left today: " + std::to_string(s.new_remaining_today);
        if (s.next_learning) next += "   next learning step in " + app::format_interval(*s.next_learning - now_);
        doc.line(next, Style::Dim);
        if (!s.missed.empty()) {
            doc.blank();
            doc.line("Missed items (read them again)", Style::Bold);
            for (const Card* c : s.missed) {
                doc.blank();
                doc.paragraph(c->stem, Style::Normal, 0, "\u2022 ");
                std::string right;
                for (const auto& o : c->options)
                    if (o.correct) right += (right.empty() ? "" : " / ") + o.text;
                doc.paragraph("Answer: " + right, Style::Good, 2);
                if (!c->explanation.empty()) doc.paragraph(c->explanation, Style::Dim, 2);
            }
        }
        return doc;
    }

    const Exam& exam_;
    app::StudySummary summary_;
    UnixMs now_;
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_summary(Nav& nav, const app::StudySession& session) {
    return std::make_unique<SummaryView>(session.exam(), session.summary(), nav.services().clock());
}

}  // namespace certdrill::tui
