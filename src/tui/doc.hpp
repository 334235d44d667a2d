#pragma once
// A scrollable document of styled, already-wrapped lines: screens build their body as a Doc,
// then blit the visible part into the screen buffer.
#include <string>
#include <string_view>
#include <vector>

#include "tui/screen_buffer.hpp"

namespace certdrill::tui {

struct Span {
    std::string text;
    Style style = Style::Normal;
};

struct DocLine {
    std::vector<Span> spans;
};

class Doc {
public:
    explicit Doc(int width) : width_(width) {}

    int width() const { return width_; }
    int size() const { return static_cast<int>(lines_.size()); }
    const std::vector<DocLine>& lines() const { return lines_; }

    // Wraps deck text (sanitized here) at the width, rendering *emphasis* bold and `code` in the
    // accent style. `prefix` goes on the first line (e.g. "A) "); later lines are indented to match.
    void paragraph(std::string_view text, Style style = Style::Normal, int indent = 0, std::string_view prefix = {},
                   Style prefix_style = Style::Normal);
    void line(std::vector<Span> spans);
    void line(std::string_view text, Style style = Style::Normal);
    void blank() { lines_.push_back({}); }

private:
    int width_;
    std::vector<DocLine> lines_;
};

// Draws lines [scroll, scroll + rows) of the doc from `top`; returns the scroll actually used
// (clamped so the last page is full).
int blit(ScreenBuffer& buf, const Doc& doc, int top, int rows, int scroll, int left = 0);

// Horizontal bar of `width` cells for a fraction 0-1, e.g. "█████░░░░░".
std::string bar(double fraction, int width);

}  // namespace certdrill::tui
