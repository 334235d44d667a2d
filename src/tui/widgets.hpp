#pragma once
// Pieces every screen draws with: the header and footer bars, the option list, bars, the
// sparkline, number formats, and the scrolling body.
#include <string>
#include <vector>

#include "app/stats.hpp"
#include "core/grading.hpp"
#include "core/model.hpp"
#include "tui/doc.hpp"
#include "tui/key_table.hpp"
#include "tui/screen_buffer.hpp"

namespace certdrill::tui {

// Title bar on the top row: `left` (cut to fit) and `right`.
void header(ScreenBuffer& buf, const std::string& left, const std::string& right);
// Bottom row: the status message when there is one, else the key hints.
void footer(ScreenBuffer& buf, const std::string& status, const std::string& hints);

// The options of a question in screen order, with selection marks and the cursor; returns the
// doc line the cursor is on (0 when hidden).
int option_list(Doc& doc, const Card& card, const OptionOrder& order, const std::vector<int>& selected, int cursor,
                bool show_cursor);

// The selection on a question: option letters select (toggle on choose-N items; on items with
// an option F, F selects it and ! flags), arrows move the cursor, Space selects the cursor's.
class OptionPicker {
public:
    const std::vector<int>& selected() const { return selected_; }  // screen indices, sorted
    int cursor() const { return cursor_; }
    void set(std::vector<int> selected) {
        selected_ = std::move(selected);
        cursor_ = 0;
    }
    // True when the key changed the selection or the cursor.
    bool on_key(int key, Action action, const Card& card, int option_count);
    // Enter on a single-answer item: the highlighted option is the answer, selected or not.
    void choose_highlighted(const Card& card) {
        if (card.type != CardType::Multi) selected_ = {cursor_};
    }

private:
    void toggle(int index, const Card& card);
    std::vector<int> selected_;
    int cursor_ = 0;
};


// A study session's place for the header: a bar and "3 of 20" when its length is known, else
// "2 answered".
std::string session_progress(int number, int planned, const std::string& text);

// The exam date's line: days left and whether the predicted exam-day readiness reaches the
// pass mark, with the margin ("Exam 2027-01-20: 47 days left, on track (+6 points vs pass mark)").
DocLine plan_line(const app::ExamPlanStats& plan);

std::string sparkline(const std::vector<int>& values);
std::string pct(double fraction);    // "73%"
std::string clock_text(UnixMs ms);   // "4:05", "1:02:03"
std::string date_text(UnixMs ms);    // "2026-01-15"
std::string choose_word(int count);  // "two"
bool is_letter(int key);
int letter_index(int key);

// Rows of a body `rows` high that show content: all of them when the content fits, else one less,
// the last row being kept for the "more" mark (see scroll_body).
int content_rows(int content_lines, int rows);

// Draws the visible part of a doc from row `top`, `rows` high. When the doc does not fit, the
// last row says "more below" while anything is below, and the row above `top` (which every
// screen leaves blank) says "more above" while anything is above. Returns the scroll used.
int scroll_body(ScreenBuffer& buf, const Doc& doc, int top, int rows, int scroll, int left);

// A scrolling body: the offset is kept within the content, so the first key back up moves it.
// Screens build their doc for the viewport when a key needs its length. `rows` is the height of
// the body, marks included.
class Scroll {
public:
    int offset() const { return offset_; }
    void reset() { offset_ = 0; }
    // Handles scroll actions; false for any other action.
    bool on_action(Action action, int content_lines, int rows);
    void clamp(int content_lines, int rows);
    void scroll_to(int line, int content_lines, int rows) {
        offset_ = line;
        clamp(content_lines, rows);
    }
    // Scrolls the least needed to show doc line `line`.
    void follow(int line, int content_lines, int rows);

private:
    int offset_ = 0;
};

}  // namespace certdrill::tui
