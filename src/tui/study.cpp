// Study: a question, then its feedback with why each option is right or wrong. The session
// (app::StudySession) is shared with the flashcard and summary screens.
#include <algorithm>

#include "core/text.hpp"
#include "tui/question_pane.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

using SessionPtr = std::shared_ptr<app::StudySession>;

class StudyView final : public View {
public:
    explicit StudyView(SessionPtr session) : session_(std::move(session)) {}

    Screen id() const override { return feedback_ ? Screen::StudyFeedback : Screen::StudyQuestion; }
    void shutdown() override { session_->quit(); }

    void on_key(int key, Nav& nav) override {
        if (feedback_)
            on_feedback_key(key, nav);
        else
            on_question_key(key, nav);
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        if (feedback_)
            render_feedback(buf, frame);
        else
            render_question(buf, frame);
    }

private:
    const app::ShownItem& item() const { return *session_->current(); }

    void on_question_key(int key, Nav& nav) {
        const Card& card = *item().card;
        const Action action = action_for(KeyContext::Question, key);
        if (pane_.on_key(key, action, card, item().order, nav.viewport())) return;
        if (action != Action::Submit) {
            study_action(action, session_, nav);
            return;
        }
        pane_.choose_highlighted(card);
        if (static_cast<int>(pane_.picker().selected().size()) != card.choose) {
            nav.set_status(card.type == CardType::Multi ? "Choose " + choose_word(card.choose) + " options"
                                                        : "Select an option first");
            return;
        }
        feedback_card_ = &card;
        feedback_order_ = item().order;
        feedback_ = session_->answer(pane_.picker().selected());
        scroll_.reset();
    }

    void on_feedback_key(int key, Nav& nav) {
        const Action action = action_for(KeyContext::Feedback, key);
        if (action == Action::Next) {
            session_->advance();
            nav.replace(next_study_view(nav, session_));
        } else if (action == Action::Guess) {
            if (auto f = session_->mark_guess()) {
                feedback_ = f;
                nav.set_status("Marked as a guess: it will come back sooner");
            } else {
                nav.set_status(feedback_->correct ? "Already marked as a guess" : "Only a right answer can be a guess");
            }
        } else if (!study_action(action, session_, nav)) {
            const Viewport v = nav.viewport();
            scroll_.on_action(action, feedback_doc(v.width - 4).size(), v.height - 3);
        }
    }

    void render_question(ScreenBuffer& buf, const Frame& frame) const {
        const Exam& exam = session_->exam();
        const app::ShownItem& shown = item();
        const Card& card = *shown.card;
        header(buf, exam.short_name + " \u00b7 study",
               session_progress(shown.number, shown.planned, app::progress_text(shown)));
        const Domain* d = exam.domain(card.domain_id);
        std::string topic;
        for (const auto& t : card.topics)
            if (t != "scenario") {
                topic = " \u00b7 " + t;
                break;
            }
        buf.put(1, 1,
                text::fit(card.domain_id + " " + (d ? d->name : "") + topic + " \u00b7 " + to_string(shown.kind) +
                              (shown.flagged ? "  \u2691 flagged" : ""),
                          buf.width() - 2),
                Style::Dim);
        pane_.render(buf, card, shown.order);
        const std::string letters = std::string("A-") + static_cast<char>('A' + shown.order.order.size() - 1);
        footer(buf, frame.status,
               footer_hints(KeyContext::Question, {},
                            {{Action::SelectOption, card.type == CardType::Multi ? "toggle" : "select"}},
                            {{Action::SelectOption, letters}}));
    }

    Doc feedback_doc(int width) const {
        const Card& card = *feedback_card_;
        const app::Feedback& f = *feedback_;
        Doc doc(width);
        if (f.correct) {
            doc.line(f.guessed ? "\u2714 Correct (marked as a guess)" : "\u2714 Correct", Style::Good);
        } else {
            std::string right;
            for (int i : f.correct_screen) right += static_cast<char>('A' + i);
            doc.line("\u2718 Incorrect: the answer is " + right, Style::Bad);
        }
        doc.blank();
        doc.paragraph(card.stem, Style::Bold);
        doc.blank();
        for (std::size_t i = 0; i < feedback_order_.order.size(); ++i) {
            const int screen = static_cast<int>(i);
            const Option& o = card.options[static_cast<std::size_t>(feedback_order_.order[i])];
            const bool chosen = std::find(f.chosen.begin(), f.chosen.end(), screen) != f.chosen.end();
            std::string mark = o.correct ? "\u2714 " : chosen ? "\u2718 " : "  ";
            Style style = o.correct ? Style::Good : chosen ? Style::Bad : Style::Normal;
            doc.paragraph(o.text, style, 0, mark + static_cast<char>('A' + screen) + ") ", style);
            if (!o.reason.empty()) doc.paragraph(o.reason, chosen && !o.correct ? Style::Normal : Style::Dim, 7);
        }
        if (!card.explanation.empty()) {
            doc.blank();
            doc.line("Explanation", Style::Bold);
            doc.paragraph(card.explanation);
        }
        if (!card.references.empty()) {
            std::string refs;
            for (const auto& r : card.references) refs += (refs.empty() ? "" : "; ") + r;
            doc.blank();
            doc.paragraph("References: " + refs, Style::Dim);
        }
        doc.blank();
        doc.line("Next review in " + f.next_interval, Style::Dim);
        return doc;
    }

    void render_feedback(ScreenBuffer& buf, const Frame& frame) const {
        const app::Feedback& f = *feedback_;
        header(buf, session_->exam().short_name + " \u00b7 study", f.correct ? "correct" : "incorrect");
        scroll_body(buf, feedback_doc(buf.width() - 4), 2, buf.height() - 3, scroll_.offset(), 2);
        std::vector<Action> hide;
        if (!f.correct || f.guessed) hide.push_back(Action::Guess);
        footer(buf, frame.status, footer_hints(KeyContext::Feedback, hide));
    }

    SessionPtr session_;
    QuestionPane pane_;
    std::optional<app::Feedback> feedback_;
    const Card* feedback_card_ = nullptr;
    OptionOrder feedback_order_;
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_question(SessionPtr session) { return std::make_unique<StudyView>(std::move(session)); }

std::unique_ptr<View> make_study(Nav& nav, const Exam& exam, const std::optional<std::string>& domain) {
    const TuiOptions& options = nav.options();
    app::StudyOptions so = options.study;
    so.exam_id = exam.id;
    if (options.study.exam_id != exam.id) so.domain.reset();
    if (domain) so.domain = domain;
    // A session started from the command line keeps its seed (tests and --seed rely on it);
    // later ones from the home screen get fresh shuffles.
    so.seed = options.start == StartScreen::Study
                  ? options.study.seed
                  : options.study.seed + static_cast<std::uint64_t>(nav.services().clock());
    std::string error;
    auto session = app::start_study(nav.services(), nav.deck_choice(), so, error);
    if (!session) {
        nav.set_status(error);
        return nullptr;
    }
    return next_study_view(nav, std::move(session));
}

std::unique_ptr<View> next_study_view(Nav& nav, SessionPtr session) {
    const app::ShownItem* item = session->current();
    if (!item) {
        auto summary = make_summary(nav, *session);
        session->quit();
        return summary;
    }
    return item->card->is_question() ? make_question(std::move(session)) : make_flashcard(std::move(session));
}

bool study_action(Action action, const SessionPtr& session, Nav& nav) {
    switch (action) {
        case Action::Undo:
            if (session->undo()) {
                nav.set_status(session->last_undone() == app::StudySession::Undone::Suspension ? "Suspension undone"
                                                                                           : "Last answer undone");
                nav.replace(next_study_view(nav, session));
            } else {
                nav.set_status(session->notices().empty() ? "Nothing to undo" : session->notices().back());
            }
            return true;
        case Action::Flag:
            session->toggle_flag();
            nav.set_status(session->current()->flagged ? "Flagged for later" : "Flag removed");
            return true;
        case Action::Suspend:
            session->suspend();
            nav.set_status("Suspended: the card will not be shown until unsuspended in Browse");
            nav.replace(next_study_view(nav, session));
            return true;
        case Action::EndSession:
            session->quit();
            nav.replace(next_study_view(nav, session));
            return true;
        default:
            return false;
    }
}

}  // namespace certdrill::tui
