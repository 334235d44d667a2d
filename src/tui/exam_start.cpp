// Before a mock exam: an interrupted attempt is offered for resumption first (resume, abandon
// or leave it for later), then a confirmation with the item count and the time, both
// adjustable. The sizing rule (time pro rata for fewer items unless the minutes were changed)
// is app::plan_mock's, the one plain mode uses.
#include <algorithm>
#include <stdexcept>

#include "app/exam_report.hpp"
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

constexpr int kMaxMinutes = 1440;

// The next value up or down on a grid of `step`: 150 -> 145, 148 -> 145, 1 -> 5.
int stepped(int value, int step, bool up, int low, int high) {
    const int next = up ? (value / step + 1) * step : ((value - 1) / step) * step;
    return std::clamp(next, low, high);
}

class ExamStartView final : public View {
public:
    ExamStartView(const Library& library, app::MockOptions options)
        : library_(library), options_(std::move(options)), plan_(app::plan_mock(library_, options_)) {
        max_items_ = std::max(plan_.exam->format.items_max, options_.items.value_or(0));
    }

    Screen id() const override { return Screen::ExamStart; }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(KeyContext::ExamStart, key);
        switch (action) {
            case Action::CursorUp:
            case Action::CursorDown:
                row_ = 1 - row_;
                break;
            case Action::Less:
            case Action::More:
                change(action == Action::More, nav);
                break;
            case Action::Confirm:
                start(nav);
                break;
            case Action::Cancel:
                nav.home();
                break;
            default:
                break;
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        const Exam& exam = *plan_.exam;
        header(buf, exam.short_name + " \u00b7 mock exam", plan_.adaptive ? "adaptive" : "");
        Doc doc(buf.width() - 4);
        doc.line(exam.name + (plan_.domain ? " \u00b7 domain quiz " + *plan_.domain : std::string()), Style::Bold);
        doc.blank();
        const std::string items = plan_.adaptive ? std::to_string(plan_.items_min) + " to " +
                                                       std::to_string(plan_.items) + " (" +
                                                       std::to_string(plan_.pretest) + " unscored)"
                                                 : std::to_string(plan_.items);
        const std::string how = plan_.minutes_pro_rata ? "the exam's time, pro rata"
                                : options_.minutes     ? "set by you"
                                                       : "";
        size_row(doc, 0, "Items", items, "");
        size_row(doc, 1, "Minutes", std::to_string(plan_.minutes), how);
        doc.blank();
        for (const auto& rule : plan_.rules) doc.paragraph(rule, Style::Normal, 2, "\u2022 ");
        doc.blank();
        doc.paragraph("Every answer is stored as it is given: if the session drops, the exam is offered again with "
                      "the time it had left.",
                      Style::Dim);
        blit(buf, doc, 2, buf.height() - 3, 0, 2);
        footer(buf, frame.status, footer_hints(KeyContext::ExamStart));
    }

private:
    void size_row(Doc& doc, int row, const std::string& name, const std::string& value,
                  const std::string& note) const {
        const bool on = row == row_;
        doc.line({{on ? "\u25b8 " : "  ", Style::Accent},
                  {(name + "         ").substr(0, 9), on ? Style::Bold : Style::Normal},
                  {on ? "\u2190 " : "  ", Style::Dim},
                  {value, on ? Style::Accent : Style::Normal},
                  {on ? " \u2192" : "  ", Style::Dim},
                  {note.empty() ? "" : "  (" + note + ")", Style::Dim}});
    }

    void change(bool up, Nav& nav) {
        app::MockOptions next = options_;
        if (row_ == 0) {
            // Items as a candidate thinks of them: the adaptive maximum, or the fixed length.
            const int step = max_items_ >= 50 ? 5 : 1;
            next.items = stepped(plan_.items, step, up, 1, max_items_);
        } else {
            const int step = plan_.minutes >= 10 || up ? 5 : 1;
            next.minutes = stepped(plan_.minutes, step, up, 1, kMaxMinutes);
        }
        try {
            plan_ = app::plan_mock(library_, next);
            options_ = std::move(next);
        } catch (const std::invalid_argument& e) {
            nav.set_status(e.what());
        }
    }

    void start(Nav& nav) {
        std::shared_ptr<app::MockExamSession> session;
        try {
            session = std::make_shared<app::MockExamSession>(nav.services(), options_);
        } catch (const std::invalid_argument& e) {
            nav.set_status(e.what());
            return;
        }
        nav.replace(make_exam_view(session));
        if (!session->notes().empty()) nav.set_status(session->notes().front());
    }

    const Library& library_;
    app::MockOptions options_;
    app::MockPlan plan_;
    int max_items_ = 1;
    int row_ = 0;
};

// Interrupted attempts, one at a time. `then` is the confirmation to show once none is left
// (a mock exam was asked for); without it the offer returns to the screen below.
class ExamResumeView final : public View {
public:
    ExamResumeView(std::vector<app::UnfinishedExam> unfinished, std::optional<app::MockOptions> then)
        : unfinished_(std::move(unfinished)), then_(std::move(then)) {}

    Screen id() const override { return Screen::ExamResume; }

    void on_key(int key, Nav& nav) override {
        const app::UnfinishedExam& u = unfinished_.at(index_);
        switch (action_for(KeyContext::ExamResume, key)) {
            case Action::Resume:
                resume(u, nav);
                break;
            case Action::Abandon:
                app::abandon_exam(nav.services(), u.attempt_id);
                nav.set_status("Abandoned: that attempt is gone from the record");
                next(nav);
                break;
            case Action::Cancel:
                next(nav);
                break;
            default:
                break;
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        const app::UnfinishedExam& u = unfinished_.at(index_);
        header(buf, "Interrupted mock exam",
               unfinished_.size() > 1 ? std::to_string(index_ + 1) + " of " + std::to_string(unfinished_.size()) : "");
        const int mid = buf.height() / 2;
        buf.put_centered(mid - 3,
                         text::sanitize(u.exam_name) + (u.adaptive ? " adaptive" : "") + " mock exam" +
                             (u.domain ? " (domain quiz " + *u.domain + ")" : std::string()) + ", started " +
                             format_iso8601(u.started_at).substr(0, 16) + "Z",
                         Style::Bold);
        buf.put_centered(mid - 1, std::to_string(u.answered) + " answered, " + app::exam_duration(u.remaining) +
                                      " left");
        buf.put_centered(mid + 1, "r resume it    a abandon it (nothing is kept)    l later");
        buf.put_centered(mid + 2,
                         then_ ? "Later leaves it as it is and starts a new exam." : "Later leaves it as it is.",
                         Style::Dim);
        footer(buf, frame.status, footer_hints(KeyContext::ExamResume));
    }

private:
    void resume(const app::UnfinishedExam& u, Nav& nav) {
        std::shared_ptr<app::MockExamSession> session;
        try {
            session = std::make_shared<app::MockExamSession>(nav.services(), u.attempt_id,
                                                             nav.options().mock.calibration);
        } catch (const std::invalid_argument& e) {
            nav.set_status(e.what());
            return;
        }
        nav.replace(make_exam_view(session));
        if (!session->notes().empty()) nav.set_status(session->notes().back());
    }

    void next(Nav& nav) {
        if (++index_ < unfinished_.size()) return;
        --index_;  // stays drawable until the navigation takes effect
        if (then_)
            nav.replace(std::make_unique<ExamStartView>(nav.services().library, *then_));
        else
            nav.pop();
    }

    std::vector<app::UnfinishedExam> unfinished_;
    std::optional<app::MockOptions> then_;
    std::size_t index_ = 0;
};

}  // namespace

std::unique_ptr<View> make_exam(Nav& nav, const Exam& exam) {
    app::MockOptions mo = nav.options().mock;
    if (mo.exam_id != exam.id) {
        // The command line's sizes and domain were meant for another exam.
        mo.items.reset();
        mo.minutes.reset();
        mo.domain.reset();
    }
    mo.exam_id = exam.id;
    try {
        app::plan_mock(nav.services().library, mo);  // an unknown domain or nonsensical size
    } catch (const std::invalid_argument& e) {
        nav.set_status(e.what());
        return nullptr;
    }
    auto unfinished = app::unfinished_exams(nav.services(), exam.id);
    if (!unfinished.empty()) return std::make_unique<ExamResumeView>(std::move(unfinished), mo);
    return std::make_unique<ExamStartView>(nav.services().library, mo);
}

std::unique_ptr<View> make_resume_offer(Nav& nav) {
    auto unfinished = app::unfinished_exams(nav.services());
    if (unfinished.empty()) return nullptr;
    return std::make_unique<ExamResumeView>(std::move(unfinished), std::nullopt);
}

}  // namespace certdrill::tui
