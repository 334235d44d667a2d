// After a mock exam: the score report in the vendor's own terms (app::build_report), then a
// review of every item presented, in order: the options as they were shown, the one chosen and
// the right one, their reasons and the explanation.
#include "app/exam_report.hpp"
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

const char* const kChosen = "\u25b8";  // ▸
const char* const kRight = "\u2714";   // ✔

class ExamReviewView final : public View {
public:
    explicit ExamReviewView(std::shared_ptr<app::MockExamSession> exam)
        : exam_(std::move(exam)), report_(app::build_report(*exam_)), review_(app::review_items(*exam_)) {}

    Screen id() const override { return Screen::ExamResult; }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(KeyContext::ExamResult, key);
        const Viewport v = nav.viewport();
        if (action == Action::GoHome) {
            nav.home();
        } else if (action == Action::Quit) {
            nav.quit();
        } else if (action == Action::NextItem || action == Action::PrevItem) {
            jump(action == Action::NextItem, v);
        } else {
            scroll_.on_action(action, body(v.width - 4).size(), v.height - 3);
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        header(buf, exam_->exam().short_name + " \u00b7 mock exam result", report_.verdict);
        scroll_body(buf, body(buf.width() - 4), 2, buf.height() - 3, scroll_.offset(), 2);
        footer(buf, frame.status, footer_hints(KeyContext::ExamResult));
    }

private:
    // Scrolls to the next (or previous) item's first line.
    void jump(bool forward, const Viewport& v) {
        std::vector<int> starts;
        const Doc doc = body(v.width - 4, &starts);
        int target = scroll_.offset();
        if (forward) {
            for (int s : starts)
                if (s > scroll_.offset()) {
                    target = s;
                    break;
                }
        } else {
            target = 0;
            for (int s : starts)
                if (s < scroll_.offset()) target = s;
        }
        scroll_.scroll_to(target, doc.size(), v.height - 3);
    }

    Doc body(int width, std::vector<int>* item_starts = nullptr) const {
        Doc doc(width);
        doc.line(report_.verdict, report_.passed ? Style::Good : Style::Bad);
        for (const auto& line : report_.lines) doc.paragraph(line, Style::Normal, 0);
        if (!report_.domains_heading.empty()) {
            doc.blank();
            doc.line(report_.domains_heading, Style::Bold);
            for (const auto& d : report_.domains)
                doc.line({{text::fit(d.id + " " + d.name, std::min(44, width / 2)), Style::Normal},
                          {"  " + d.value, d.value.rfind("below", 0) == 0 ? Style::Bad : Style::Normal}});
        }
        for (const auto& note : report_.notes) {
            doc.blank();
            doc.paragraph(note, Style::Dim);
        }
        doc.blank();
        doc.line({{"Review of every item  ", Style::Bold},
                  {std::string(kChosen) + " your answer  " + kRight + " the right answer", Style::Dim}});
        for (const auto& e : review_) {
            doc.blank();
            if (item_starts) item_starts->push_back(doc.size());
            review_entry(doc, e);
        }
        return doc;
    }

    static void review_entry(Doc& doc, const app::ReviewEntry& e) {
        const std::string verdict = !e.answered ? "not answered" : e.correct ? "right" : "wrong";
        doc.line({{std::to_string(e.number) + ". ", Style::Bold},
                  {verdict, !e.answered ? Style::Warn : e.correct ? Style::Good : Style::Bad},
                  {e.pretest ? "  (unscored pretest item)" : "", Style::Dim}});
        doc.paragraph(e.stem, Style::Normal, 0);
        if (e.choose > 1) doc.line("Choose " + choose_word(e.choose) + ".", Style::Dim);
        for (const auto& o : e.options) {
            const std::string marks = std::string(o.chosen ? kChosen : " ") + (o.right ? kRight : " ") + " ";
            const Style style = o.right ? Style::Good : o.chosen ? Style::Bad : Style::Normal;
            doc.paragraph(o.text, style, 0, marks + o.letter + ") ", style);
            if ((o.chosen || o.right) && !o.reason.empty()) doc.paragraph(o.reason, Style::Dim, 6);
        }
        if (!e.explanation.empty()) doc.paragraph(e.explanation, Style::Dim, 0, "Why: ");
    }

    std::shared_ptr<app::MockExamSession> exam_;
    app::ExamReport report_;
    std::vector<app::ReviewEntry> review_;
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_exam_result(std::shared_ptr<app::MockExamSession> exam) {
    return std::make_unique<ExamReviewView>(std::move(exam));
}

}  // namespace certdrill::tui
