// After a mock exam: the score against the pass mark, per-domain results and each missed item
// with the right answer and its explanation.
#include <algorithm>
#include <cstdio>

#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class ExamReviewView final : public View {
public:
    explicit ExamReviewView(std::shared_ptr<app::MockExamSession> exam) : exam_(std::move(exam)) {}

    Screen id() const override { return Screen::ExamResult; }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(KeyContext::ExamResult, key);
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
        header(buf, exam_->exam().short_name + " \u00b7 mock exam result",
               exam_->result()->score.passed ? "PASS" : "FAIL");
        scroll_body(buf, body(buf.width() - 4), 2, buf.height() - 3, scroll_.offset(), 2);
        footer(buf, frame.status, footer_hints(KeyContext::ExamResult));
    }

private:
    Doc body(int width) const {
        const app::MockResult& r = *exam_->result();
        const Exam& exam = exam_->exam();
        Doc doc(width);
        char line[160];
        std::snprintf(line, sizeof line, "Score %.1f%%  (%d of %d correct, %d answered)", r.score.percent,
                      r.score.correct, r.score.items, r.score.answered);
        doc.line(line, Style::Bold);
        if (r.score.scaled)
            doc.line("Scaled " + std::to_string(*r.score.scaled) + " of " + std::to_string(*exam.format.scale_max) +
                         ", pass mark " + std::to_string(*exam.format.passing_score) + " (approximate mapping)",
                     Style::Normal);
        std::snprintf(line, sizeof line, "%s: pass mark %.0f%%", r.score.passed ? "PASS" : "FAIL",
                      exam.format.passing_percent);
        doc.line(line, r.score.passed ? Style::Good : Style::Bad);
        doc.line("Time used " + clock_text(r.duration) + (r.timed_out ? " (time ran out)" : ""), Style::Dim);
        doc.blank();
        for (const auto& d : exam.domains) {
            const auto& ds = r.score.domains.at(d.id);
            if (!ds.items) continue;
            double frac = ds.percent() / 100.0;
            doc.line({{text::fit(d.id + " " + d.name, 44), Style::Normal},
                      {" " + bar(frac, 20) + " ", frac * 100 >= exam.format.passing_percent ? Style::Good : Style::Bad},
                      {pct(frac) + " (" + std::to_string(ds.correct) + "/" + std::to_string(ds.items) + ")",
                       Style::Normal}});
        }
        if (!r.missed.empty()) {
            doc.blank();
            doc.line("Missed items", Style::Bold);
            for (int i : r.missed) missed_item(doc, i);
        }
        return doc;
    }

    void missed_item(Doc& doc, int index) const {
        const app::MockItem& it = exam_->item(index);
        doc.blank();
        doc.paragraph(it.card->stem, Style::Normal, 0, std::to_string(index + 1) + ". ");
        std::string yours, right;
        for (int s : it.chosen) yours += static_cast<char>('A' + s);
        for (int f : correct_indices(*it.card)) right += it.order.letter_of(f);
        std::sort(right.begin(), right.end());
        doc.line("   your answer " + (yours.empty() ? std::string("none") : yours) + ", right " + right,
                 yours.empty() ? Style::Warn : Style::Bad);
        for (std::size_t k = 0; k < it.order.order.size(); ++k) {
            const Option& o = it.card->options[static_cast<std::size_t>(it.order.order[k])];
            if (o.correct) doc.paragraph(o.text, Style::Good, 3, std::string(1, static_cast<char>('A' + k)) + ") ");
        }
        if (!it.card->explanation.empty()) doc.paragraph(it.card->explanation, Style::Dim, 3);
    }

    std::shared_ptr<app::MockExamSession> exam_;
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_exam_result(std::shared_ptr<app::MockExamSession> exam) {
    return std::make_unique<ExamReviewView>(std::move(exam));
}

}  // namespace certdrill::tui
