#pragma once
// A question's stem, its "choose N" line and its options, as study and mock-exam items show it:
// the selection (OptionPicker) and a scroll offset, so a question longer than the screen keeps
// its beginning and scrolls with "more" marks.
#include "core/grading.hpp"
#include "core/model.hpp"
#include "tui/view.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

class QuestionPane {
public:
    static constexpr int kTop = 3;  // first row of the stem

    const OptionPicker& picker() const { return picker_; }
    // A new item on screen: its stored selection (if any), the cursor on A, scrolled to the top.
    void reset(std::vector<int> selected = {});
    // Option keys, cursor moves (scrolling to keep the cursor in view) and PgUp/PgDn/Home.
    // True when the key changed the selection, the cursor or the scroll.
    bool on_key(int key, Action action, const Card& card, const OptionOrder& order, Viewport viewport);
    void render(ScreenBuffer& buf, const Card& card, const OptionOrder& order) const;
    // Enter on a single-answer item selects the highlighted option before it is submitted.
    void choose_highlighted(const Card& card) { picker_.choose_highlighted(card); }

private:
    OptionPicker picker_;
    Scroll scroll_;
};

// The question as a doc `width` wide; `cursor_line` receives the doc line of the cursor's option.
Doc question_doc(const Card& card, const OptionOrder& order, const OptionPicker& picker, int width,
                 int* cursor_line = nullptr);

}  // namespace certdrill::tui
