#include "tui/widgets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"

namespace certdrill::tui {

void header(ScreenBuffer& buf, const std::string& raw_left, const std::string& raw_right) {
    const std::string left = text::sanitize(raw_left), right = text::sanitize(raw_right);
    buf.fill_row(0, Style::Title);
    buf.put(0, 1, text::fit(left, buf.width() - text::display_width(right) - 3), Style::Title);
    buf.put(0, buf.width() - text::display_width(right) - 1, right, Style::Title);
}

void footer(ScreenBuffer& buf, const std::string& status, const std::string& hints) {
    const int row = buf.height() - 1;
    buf.fill_row(row, Style::Reverse);
    buf.put(row, 1, text::fit(status.empty() ? hints : status, buf.width() - 2), Style::Reverse);
}

int option_list(Doc& doc, const Card& card, const OptionOrder& order, const std::vector<int>& selected, int cursor,
                bool show_cursor) {
    const bool multi = card.type == CardType::Multi;
    int cursor_line = 0;
    for (std::size_t i = 0; i < order.order.size(); ++i) {
        const int screen = static_cast<int>(i);
        const bool on = std::find(selected.begin(), selected.end(), screen) != selected.end();
        std::string mark = multi ? (on ? "[x] " : "[ ] ") : (on ? "(\u2022) " : "( ) ");
        std::string prefix = std::string(show_cursor && cursor == screen ? "\u25b8 " : "  ") + mark +
                             static_cast<char>('A' + screen) + ") ";
        if (show_cursor && cursor == screen) cursor_line = doc.size();
        const Option& o = card.options[static_cast<std::size_t>(order.order[i])];
        doc.paragraph(o.text, on ? Style::Accent : Style::Normal, 1, prefix, on ? Style::Accent : Style::Normal);
    }
    return cursor_line;
}

void OptionPicker::toggle(int index, const Card& card) {
    auto it = std::find(selected_.begin(), selected_.end(), index);
    if (card.type == CardType::Multi) {
        if (it != selected_.end())
            selected_.erase(it);
        else
            selected_.push_back(index);
        std::sort(selected_.begin(), selected_.end());
    } else {
        selected_ = {index};
    }
    cursor_ = index;
}

bool OptionPicker::on_key(int key, Action action, const Card& card, int count) {
    if (is_letter(key) && letter_index(key) < count && ((key != 'f' && key != 'F') || count >= 6)) {
        toggle(letter_index(key), card);
        return true;
    }
    if (action == Action::CursorUp) {
        cursor_ = (cursor_ + count - 1) % count;
    } else if (action == Action::CursorDown) {
        cursor_ = (cursor_ + 1) % count;
    } else if (action == Action::ToggleOption) {
        toggle(cursor_, card);
    } else {
        return false;
    }
    return true;
}

std::string session_progress(int number, int planned, const std::string& text) {
    if (planned <= 0) return text;
    return bar(static_cast<double>(number - 1) / planned, 10) + " " + text;
}

DocLine plan_line(const app::ExamPlanStats& plan) {
    if (plan.days_left < 0)
        return {{{"Exam date " + plan.exam_date + " has passed: set the next with certdrill plan --date", Style::Warn}}};
    char margin[64];
    std::snprintf(margin, sizeof margin, " (%+.0f points vs pass mark)", 100 * plan.margin);
    const std::string when = plan.days_left == 0   ? "today"
                             : plan.days_left == 1 ? "1 day left"
                                                   : std::to_string(plan.days_left) + " days left";
    return {{{"Exam " + plan.exam_date + ": " + when + ", ", Style::Normal},
             {plan.on_track ? "on track" : "not on track", plan.on_track ? Style::Good : Style::Bad},
             {margin, Style::Normal}}};
}

std::string sparkline(const std::vector<int>& values) {
    static const char* kLevels[] = {" ",      "\u2581", "\u2582", "\u2583", "\u2584",
                                    "\u2585", "\u2586", "\u2587", "\u2588"};
    int max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::string out;
    for (int v : values) {
        int level = max == 0 ? 0 : static_cast<int>(std::ceil(8.0 * v / max));
        out += kLevels[std::clamp(level, 0, 8)];
    }
    return out;
}

std::string pct(double fraction) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * fraction);
    return buf;
}

std::string clock_text(UnixMs ms) {
    long long s = std::max<long long>(0, ms / 1000);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

std::string date_text(UnixMs ms) { return format_iso8601(ms).substr(0, 10); }

std::string choose_word(int count) {
    static const char* kWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight"};
    return kWords[std::clamp(count, 0, 8)];
}

bool is_letter(int key) { return (key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z'); }
int letter_index(int key) { return (key >= 'a' && key <= 'z') ? key - 'a' : key - 'A'; }

int content_rows(int content_lines, int rows) { return content_lines > rows ? rows - 1 : rows; }

int scroll_body(ScreenBuffer& buf, const Doc& doc, int top, int rows, int scroll, int left) {
    const int shown = content_rows(doc.size(), rows);
    scroll = blit(buf, doc, top, shown, scroll, left);
    if (shown == rows) return scroll;
    const auto mark = [&](int row, const std::string& text) {
        buf.put(row, buf.width() - text::display_width(text) - 2, text, Style::Dim);
    };
    if (scroll > 0 && top > 0) mark(top - 1, "\u25b2 more above");
    if (scroll + shown < doc.size()) mark(top + rows - 1, "\u25bc more below");
    return scroll;
}

void Scroll::clamp(int content_lines, int rows) {
    offset_ = std::clamp(offset_, 0, std::max(0, content_lines - content_rows(content_lines, rows)));
}

void Scroll::follow(int line, int content_lines, int rows) {
    const int shown = content_rows(content_lines, rows);
    if (line < offset_) offset_ = line;
    if (line >= offset_ + shown) offset_ = line - shown + 1;
    clamp(content_lines, rows);
}

bool Scroll::on_action(Action action, int content_lines, int rows) {
    switch (action) {
        case Action::ScrollDown:
            ++offset_;
            break;
        case Action::ScrollUp:
            --offset_;
            break;
        case Action::PageDown:
            offset_ += 10;
            break;
        case Action::PageUp:
            offset_ -= 10;
            break;
        case Action::Top:
            offset_ = 0;
            break;
        default:
            return false;
    }
    clamp(content_lines, rows);
    return true;
}

}  // namespace certdrill::tui
