#include "tui/mock_trend.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

constexpr int kBarWidth = 24;
constexpr double kLogitRange = 3.0;  // the adaptive scale runs from -3 to +3 logits

// Where a value falls on the bar, 0..kBarWidth.
int cell_of(const app::TrendPoint& p, double value) {
    const double fraction =
        p.adaptive ? (value + kLogitRange) / (2 * kLogitRange) : value / 100.0;
    return std::clamp(static_cast<int>(std::lround(fraction * kBarWidth)), 0, kBarWidth);
}

// "█████████░░░│░░░": filled up to the value, the pass mark as a rule.
std::string trend_bar(const app::TrendPoint& p) {
    const int filled = cell_of(p, p.value);
    const int mark = std::min(kBarWidth - 1, cell_of(p, p.pass_mark));
    std::string out;
    for (int i = 0; i < kBarWidth; ++i) {
        if (i == mark)
            out += i < filled ? "\u2503" : "\u2502";  // ┃ inside the bar, │ beyond it
        else
            out += i < filled ? "\u2588" : "\u2591";
    }
    return out;
}

std::string figure(const app::TrendPoint& p) {
    char buf[48];
    if (p.adaptive)
        std::snprintf(buf, sizeof buf, "%+5.2f logits", p.value);
    else if (p.scaled)
        std::snprintf(buf, sizeof buf, "%5.1f%% (%d)", p.value, *p.scaled);
    else
        std::snprintf(buf, sizeof buf, "%5.1f%%", p.value);
    return buf;
}

}  // namespace

void mock_trend_chart(Doc& doc, const std::vector<app::TrendPoint>& points, int max_rows) {
    const std::size_t shown = static_cast<std::size_t>(std::max(1, max_rows));
    const std::size_t first = points.size() > shown ? points.size() - shown : 0;
    bool linear = false, adaptive = false;
    for (std::size_t i = first; i < points.size(); ++i) {
        const app::TrendPoint& p = points[i];
        (p.adaptive ? adaptive : linear) = true;
        char items[24];
        std::snprintf(items, sizeof items, "  %d items", p.items);
        doc.line({{date_text(p.at) + "  ", Style::Dim},
                  {p.adaptive ? "CAT " : "    ", Style::Dim},
                  {trend_bar(p), p.passed ? Style::Good : Style::Bad},
                  {"  " + figure(p) + "  ", Style::Normal},
                  {p.passed ? "pass" : "fail", p.passed ? Style::Good : Style::Bad},
                  {items, Style::Dim}});
    }
    if (first > 0) doc.line(std::to_string(first) + " earlier not shown", Style::Dim);
    if (linear) doc.line("\u2502 the pass mark; bars show percent correct (0-100%)", Style::Dim);
    if (adaptive)
        doc.line("CAT: ability estimate minus the passing standard (\u2502 = the standard, scale -3 to +3)", Style::Dim);
}

}  // namespace certdrill::tui
