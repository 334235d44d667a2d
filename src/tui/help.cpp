// The help overlay: every key, drawn on a cleared box over the current screen.
#include <algorithm>

#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

void render_help(ScreenBuffer& buf, int /*scroll*/) {
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"Home", "\u2191\u2193 choose exam, s/Enter study, e mock exam, d dashboard, b browse, q quit"},
        {"Question", "A-H select (toggle for choose-N), \u2191\u2193/j/k move, Space toggle, Enter submit"},
        {"", "f flag (! when an item has an option F), s suspend, u undo last answer, q end session"},
        {"Feedback", "Enter/Space next, g mark a right answer as a guess, \u2191\u2193 scroll, u undo"},
        {"Flashcard", "Space show answer, 1 Again, 2 Hard, 3 Good, 4 Easy (next interval shown)"},
        {"Mock exam", "Enter answer; linear exams: \u2190\u2192 prev/next, f flag, g review grid"},
        {"", "S submit; adaptive exams (CISSP) move on after each answer, no going back"},
        {"Dashboard", "Tab/\u2190\u2192 switch exam, \u2191\u2193 scroll, Esc home"},
        {"Browse", "type words or domain:d3 topic:3.6 flagged suspended state:review; Enter open"},
        {"Card", "f flag/unflag, s suspend/unsuspend, Esc back"},
        {"Anywhere", "? this help; every answer is saved when given"},
    };
    const int w = std::min(buf.width() - 4, 100);
    const int h = static_cast<int>(keys.size()) + 4;
    const int top = std::max(1, (buf.height() - h) / 2);
    const int left = (buf.width() - w) / 2;
    for (int r = 0; r < h; ++r) buf.put(top + r, left, std::string(static_cast<std::size_t>(w), ' '), Style::Reverse);
    buf.put(top + 1, left + 2, "Keys", Style::Reverse);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        buf.put(top + 2 + static_cast<int>(i), left + 2, text::fit(keys[i].first, 11), Style::Reverse);
        buf.put(top + 2 + static_cast<int>(i), left + 14, text::fit(keys[i].second, w - 16), Style::Reverse);
    }
    buf.put(top + h - 1, left + 2, "any key closes", Style::Reverse);
}

}  // namespace certdrill::tui
