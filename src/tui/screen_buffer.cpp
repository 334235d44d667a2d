#include "tui/screen_buffer.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace certdrill::tui {

ScreenBuffer::ScreenBuffer(int width, int height)
    : width_(std::max(width, 0)), height_(std::max(height, 0)), cells_(static_cast<std::size_t>(width_ * height_)) {}

int ScreenBuffer::put(int row, int col, std::string_view s, Style style) {
    if (row < 0 || row >= height_) return col;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t cp = text::decode_next(s, i);
        int w = text::code_point_width(cp);
        if (w == 0) continue;  // combining marks are dropped rather than mis-placed
        if (col < 0) {
            col += w;
            continue;
        }
        if (col + w > width_) break;
        Cell& cell = cells_[static_cast<std::size_t>(row * width_ + col)];
        cell.glyph.assign(s.substr(start, i - start));
        cell.style = style;
        if (w == 2) {
            Cell& right = cells_[static_cast<std::size_t>(row * width_ + col + 1)];
            right.glyph.clear();
            right.style = style;
        }
        col += w;
    }
    return col;
}

void ScreenBuffer::put_centered(int row, std::string_view s, Style style) {
    put(row, std::max(0, (width_ - text::display_width(s)) / 2), s, style);
}

void ScreenBuffer::style_span(int row, int col, int count, Style style) {
    if (row < 0 || row >= height_) return;
    for (int c = std::max(col, 0); c < std::min(col + count, width_); ++c)
        cells_[static_cast<std::size_t>(row * width_ + c)].style = style;
}

void ScreenBuffer::fill_row(int row, Style style, char32_t glyph) {
    if (row < 0 || row >= height_) return;
    std::string g;
    text::append_utf8(g, glyph);
    for (int c = 0; c < width_; ++c) {
        Cell& cell = cells_[static_cast<std::size_t>(row * width_ + c)];
        cell.glyph = g;
        cell.style = style;
    }
}

std::string ScreenBuffer::row_text(int row) const {
    std::string out;
    for (int c = 0; c < width_; ++c) out += at(row, c).glyph;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string ScreenBuffer::to_text() const {
    std::string out;
    for (int r = 0; r < height_; ++r) out += row_text(r) + '\n';
    return out;
}

}  // namespace certdrill::tui
