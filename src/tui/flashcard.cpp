// Flashcards: the front, then on Space the back with the four grades and the interval each gives.
#include <algorithm>

#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class FlashcardView final : public View {
public:
    explicit FlashcardView(std::shared_ptr<app::StudySession> session) : session_(std::move(session)) {}

    Screen id() const override { return back_ ? Screen::FlashBack : Screen::FlashFront; }
    void shutdown() override { session_->quit(); }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(back_ ? KeyContext::FlashBack : KeyContext::FlashFront, key);
        const Viewport v = nav.viewport();
        if (action == Action::Reveal) {
            back_ = true;
        } else if (scroll_.on_action(action, body(*session_->current(), v.width - 4).size(), v.height - kTop - 1)) {
            return;
        } else if (const auto rating = grade(action)) {
            session_->grade_flashcard(*rating);
            nav.replace(next_study_view(nav, session_));
        } else {
            study_action(action, session_, nav);
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        const app::ShownItem& item = *session_->current();
        const Card& card = *item.card;
        const Exam& exam = session_->exam();
        header(buf, exam.short_name + " \u00b7 study \u00b7 flashcard",
               session_progress(item.number, item.planned, app::progress_text(item)));
        const Domain* d = exam.domain(card.domain_id);
        buf.put(1, 1,
                text::fit(card.domain_id + " " + (d ? d->name : "") + (item.flagged ? "  \u2691 flagged" : ""),
                          buf.width() - 2),
                Style::Dim);
        scroll_body(buf, body(item, buf.width() - 4), kTop, buf.height() - kTop - 1, scroll_.offset(), 2);
        footer(buf, frame.status, footer_hints(back_ ? KeyContext::FlashBack : KeyContext::FlashFront));
    }

private:
    static constexpr int kTop = 3;  // first row of the card's text; the row above takes "more above"

    // The card's front, and once shown its back and the four grades, `width` wide.
    Doc body(const app::ShownItem& item, int width) const {
        const Card& card = *item.card;
        Doc doc(width);
        doc.paragraph(card.front, Style::Bold);
        doc.blank();
        if (back_) {
            doc.line(std::string(static_cast<std::size_t>(std::min(40, doc.width())), '-'), Style::Dim);
            doc.paragraph(card.back);
            doc.blank();
            const char* names[] = {"Again", "Hard", "Good", "Easy"};
            std::vector<Span> grades;
            for (int i = 0; i < 4; ++i) {
                grades.push_back({std::to_string(i + 1), Style::Accent});
                grades.push_back(
                    {std::string(" ") + names[i] + " " + item.grade_intervals[static_cast<std::size_t>(i)] + "    ",
                     Style::Normal});
            }
            doc.line(std::move(grades));
        } else {
            doc.line("Space shows the answer", Style::Dim);
        }
        return doc;
    }

    static std::optional<fsrs::Rating> grade(Action action) {
        switch (action) {
            case Action::GradeAgain:
                return fsrs::Rating::Again;
            case Action::GradeHard:
                return fsrs::Rating::Hard;
            case Action::GradeGood:
                return fsrs::Rating::Good;
            case Action::GradeEasy:
                return fsrs::Rating::Easy;
            default:
                return std::nullopt;
        }
    }

    std::shared_ptr<app::StudySession> session_;
    bool back_ = false;
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_flashcard(std::shared_ptr<app::StudySession> session) {
    return std::make_unique<FlashcardView>(std::move(session));
}

}  // namespace certdrill::tui
