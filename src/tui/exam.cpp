// A timed mock exam: the item, the review grid (linear exams) and the submit confirmation.
// The countdown shows on every screen; the router ends the attempt when time runs out.
#include <algorithm>
#include <cstdio>

#include "core/text.hpp"
#include "tui/question_pane.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

constexpr int kGridPerRow = 10;

class ExamView final : public View {
public:
    explicit ExamView(std::shared_ptr<app::MockExamSession> exam) : exam_(std::move(exam)) { show_current(); }

    Screen id() const override {
        switch (mode_) {
            case Mode::Item:
                return Screen::ExamItem;
            case Mode::Grid:
                return Screen::ExamGrid;
            case Mode::Confirm:
                return Screen::ExamConfirm;
        }
        return Screen::ExamItem;
    }
    bool deadline_passed() const override { return exam_->time_up(); }
    void on_deadline(Nav& nav) override { finish(nav); }

    // The trainer is closing: keep the exam time used, so a resumed exam has what was left.
    void shutdown() override { exam_->checkpoint(); }

    void on_key(int key, Nav& nav) override {
        if (key == kTick) {  // the router has checked the deadline
            checkpoint_now_and_then(nav.services().clock());
            return;
        }
        switch (mode_) {
            case Mode::Item:
                on_item_key(key, nav);
                break;
            case Mode::Grid:
                on_grid_key(key);
                break;
            case Mode::Confirm:
                on_confirm_key(key, nav);
                break;
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        switch (mode_) {
            case Mode::Item:
                render_item(buf, frame);
                break;
            case Mode::Grid:
                render_grid(buf, frame);
                break;
            case Mode::Confirm:
                render_confirm(buf, frame);
                break;
        }
    }

private:
    enum class Mode { Item, Grid, Confirm };

    void show_current() { pane_.reset(exam_->current().chosen); }

    // Stores the exam time used every half minute, so a crash costs the candidate little time.
    void checkpoint_now_and_then(UnixMs now) {
        if (now - last_checkpoint_ < 30'000) return;
        exam_->checkpoint();
        last_checkpoint_ = now;
    }

    void finish(Nav& nav) {
        exam_->submit();
        nav.replace(make_exam_result(exam_));
    }

    void on_item_key(int key, Nav& nav) {
        const app::MockItem& item = exam_->current();
        const bool revisit = exam_->can_revisit();
        const Action action = action_for(KeyContext::ExamItem, key);
        if (pane_.on_key(key, action, *item.card, item.order, nav.viewport())) {
            // Linear exams keep every change at once (an incomplete selection withdraws the
            // answer); adaptive ones commit on Enter.
            if (revisit && static_cast<int>(pane_.picker().selected().size()) == item.card->choose)
                exam_->answer(pane_.picker().selected());
            else if (revisit)
                exam_->clear_answer();
            return;
        }
        switch (action) {
            case Action::Submit:
                submit_item(nav);
                break;
            case Action::NextItem:
                if (revisit && exam_->next()) show_current();
                break;
            case Action::PrevItem:
                if (revisit && exam_->previous()) show_current();
                break;
            case Action::Flag:
                if (!revisit) {
                    nav.set_status("This exam does not allow returning to items");
                    break;
                }
                exam_->toggle_flag();
                nav.set_status(exam_->current().flagged ? "Flagged for review" : "Flag removed");
                break;
            case Action::ReviewGrid:
                if (revisit) {
                    grid_cursor_ = exam_->position();
                    mode_ = Mode::Grid;
                }
                break;
            case Action::SkipItem:
                skip_item(nav);
                break;
            case Action::SubmitExam:
                mode_ = Mode::Confirm;
                break;
            default:
                break;
        }
    }

    void skip_item(Nav& nav) {
        if (exam_->navigation() != app::Navigation::SkipLimited) {
            nav.set_status("This exam does not allow skipping items");
        } else if (!exam_->skip()) {
            nav.set_status(exam_->skips_left() > 0 ? "Nothing else is left to answer first" : "No skips left");
        } else {
            show_current();
            nav.set_status("Skipped: it comes back after the other items");
        }
    }

    void submit_item(Nav& nav) {
        const app::MockItem& item = exam_->current();
        pane_.choose_highlighted(*item.card);
        if (static_cast<int>(pane_.picker().selected().size()) != item.card->choose) {
            nav.set_status(item.card->type == CardType::Multi ? "Choose " + choose_word(item.card->choose) + " options"
                                                              : "Select an option first");
            return;
        }
        const int before = exam_->position();
        exam_->answer(pane_.picker().selected());
        if (exam_->finished()) {
            // The adaptive test ends by its own rules, as the real one does: straight to the result.
            finish(nav);
            nav.set_status("The exam has ended");
            return;
        }
        if (!exam_->can_revisit() && exam_->answered_count() == exam_->size()) {
            mode_ = Mode::Confirm;  // answers are final and none is left open
        } else if (exam_->position() == before) {
            if (before + 1 < exam_->size())
                exam_->next();
            else
                mode_ = exam_->can_revisit() ? Mode::Grid : Mode::Confirm;
        }
        show_current();
    }

    void on_grid_key(int key) {
        const int n = exam_->size();
        switch (action_for(KeyContext::ExamGrid, key)) {
            case Action::GridRight:
                grid_cursor_ = std::min(n - 1, grid_cursor_ + 1);
                break;
            case Action::GridLeft:
                grid_cursor_ = std::max(0, grid_cursor_ - 1);
                break;
            case Action::GridDown:
                grid_cursor_ = std::min(n - 1, grid_cursor_ + kGridPerRow);
                break;
            case Action::GridUp:
                grid_cursor_ = std::max(0, grid_cursor_ - kGridPerRow);
                break;
            case Action::OpenItem:
                exam_->go_to(grid_cursor_);
                show_current();
                mode_ = Mode::Item;
                break;
            case Action::SubmitExam:
                mode_ = Mode::Confirm;
                break;
            case Action::Back:
                mode_ = Mode::Item;
                break;
            default:
                break;
        }
    }

    void on_confirm_key(int key, Nav& nav) {
        switch (action_for(KeyContext::ExamConfirm, key)) {
            case Action::Confirm:
                finish(nav);
                break;
            case Action::Abandon:
                exam_->abandon();
                nav.home();
                nav.set_status("Abandoned: nothing of this exam was recorded");
                break;
            case Action::Cancel:
                mode_ = Mode::Item;
                break;
            default:
                break;
        }
    }

    std::string countdown(const Frame& frame) const { return "\u23f1 " + clock_text(exam_->remaining(frame.now)); }

    void render_item(ScreenBuffer& buf, const Frame& frame) const {
        const app::MockItem& item = exam_->current();
        const Card& card = *item.card;
        // An adaptive exam's length is not known in advance; the real one shows no total either.
        // No domain or objective: the real exams show none.
        std::string title = exam_->exam().short_name + " \u00b7 mock exam \u00b7 Item " +
                            std::to_string(exam_->position() + 1);
        if (!exam_->adaptive()) title += " of " + std::to_string(exam_->size());
        const bool skipping = exam_->navigation() == app::Navigation::SkipLimited;
        if (skipping)
            title += " \u00b7 " + std::to_string(exam_->skips_left()) + (exam_->skips_left() == 1 ? " skip" : " skips") +
                     " left";
        header(buf, title, countdown(frame));
        if (item.flagged) buf.put(1, 1, "\u2691 flagged", Style::Dim);
        if (item.skipped) buf.put(1, 1, "skipped earlier: answer it now", Style::Dim);
        pane_.render(buf, card, item.order);
        std::vector<Action> hide;
        if (!exam_->can_revisit()) hide = {Action::PrevItem, Action::Flag, Action::ReviewGrid};
        if (!skipping || item.skipped) hide.push_back(Action::SkipItem);
        const std::string letters = std::string("A-") + static_cast<char>('A' + item.order.order.size() - 1);
        footer(buf, frame.status,
               footer_hints(KeyContext::ExamItem, hide,
                            {{Action::SelectOption, card.type == CardType::Multi ? "toggle" : "select"},
                             {Action::SkipItem, "skip (" + std::to_string(exam_->skips_left()) + " left)"}},
                            {{Action::SelectOption, letters}}));
    }

    void render_grid(ScreenBuffer& buf, const Frame& frame) const {
        header(buf, exam_->exam().short_name + " \u00b7 review grid", countdown(frame));
        buf.put(2, 2, std::to_string(exam_->answered_count()) + " of " + std::to_string(exam_->size()) + " answered",
                Style::Bold);
        buf.put(3, 2, "\u25a0 answered   \u25a1 unanswered   \u2691 flagged", Style::Dim);
        const int rows_available = buf.height() - 7;
        const int first_row = std::max(0, grid_cursor_ / kGridPerRow - rows_available + 1);
        for (int i = first_row * kGridPerRow; i < exam_->size(); ++i) {
            const int r = i / kGridPerRow - first_row;
            if (r >= rows_available) break;
            const app::MockItem& it = exam_->item(i);
            char cell[32];
            std::snprintf(cell, sizeof cell, "%3d%s%s", i + 1, it.chosen.empty() ? "\u25a1" : "\u25a0",
                          it.flagged ? "\u2691" : " ");
            Style st = i == grid_cursor_   ? Style::Reverse
                       : it.flagged        ? Style::Warn
                       : it.chosen.empty() ? Style::Dim
                                           : Style::Normal;
            buf.put(5 + r, 2 + (i % kGridPerRow) * 7, cell, st);
        }
        footer(buf, frame.status, footer_hints(KeyContext::ExamGrid));
    }

    // The menu on q/Esc (and at the end of a linear exam): submit, abandon or keep going.
    void render_confirm(ScreenBuffer& buf, const Frame& frame) const {
        header(buf, exam_->exam().short_name + " \u00b7 mock exam", countdown(frame));
        const int answered = exam_->answered_count();
        const int mid = buf.height() / 2;
        if (exam_->adaptive()) {
            buf.put_centered(mid - 3, "End the exam now?", Style::Bold);
            buf.put_centered(mid - 1, std::to_string(answered) + (answered == 1 ? " item" : " items") + " answered");
            buf.put_centered(mid, "Submitting now ends the exam early: it is decided as if time had run out.",
                             Style::Warn);
        } else {
            const int unanswered = exam_->size() - answered;
            int flagged = 0;
            for (int i = 0; i < exam_->size(); ++i) flagged += exam_->item(i).flagged ? 1 : 0;
            buf.put_centered(mid - 3, unanswered ? "Submit the exam now?" : "All items answered. Submit the exam?",
                             Style::Bold);
            buf.put_centered(mid - 1, std::to_string(answered) + " of " + std::to_string(exam_->size()) +
                                          " answered, " + std::to_string(flagged) + " flagged");
            if (unanswered) buf.put_centered(mid, "Unanswered items count as wrong.", Style::Warn);
        }
        buf.put_centered(mid + 2, "s submit    a abandon (nothing is recorded)    n keep going");
        buf.put_centered(mid + 3, "The clock keeps running.", Style::Dim);
        footer(buf, frame.status, footer_hints(KeyContext::ExamConfirm));
    }

    std::shared_ptr<app::MockExamSession> exam_;
    Mode mode_ = Mode::Item;
    QuestionPane pane_;
    int grid_cursor_ = 0;
    UnixMs last_checkpoint_ = 0;
};

}  // namespace

std::unique_ptr<View> make_exam_view(std::shared_ptr<app::MockExamSession> exam) {
    return std::make_unique<ExamView>(std::move(exam));
}

}  // namespace certdrill::tui
