#pragma once
// A character grid that screens draw into. Screens are pure functions of state into this
// buffer; the terminal layer only copies it to ncurses, so screens are tested as plain text.
#include <string>
#include <string_view>
#include <vector>

namespace certdrill::tui {

enum class Style : unsigned char {
    Normal,
    Bold,
    Dim,
    Reverse,  // selection, key hints
    Title,    // header bar
    Good,     // correct answers, pass
    Bad,      // wrong answers, fail
    Accent,   // highlighted option, bars
    Warn,     // due counts, flags
};

struct Cell {
    std::string glyph = " ";  // one code point as UTF-8; empty for the right half of a wide one
    Style style = Style::Normal;
};

class ScreenBuffer {
public:
    ScreenBuffer(int width, int height);

    int width() const { return width_; }
    int height() const { return height_; }

    // Writes text from (row, col), clipped at the right edge; returns the column after it.
    // The text must already be sanitized; newlines are not interpreted.
    int put(int row, int col, std::string_view text, Style style = Style::Normal);
    // Writes text centred on a row.
    void put_centered(int row, std::string_view text, Style style = Style::Normal);
    // Applies a style to a span of cells without changing their glyphs.
    void style_span(int row, int col, int count, Style style);
    void fill_row(int row, Style style, char32_t glyph = U' ');

    const Cell& at(int row, int col) const { return cells_[static_cast<std::size_t>(row * width_ + col)]; }
    std::string row_text(int row) const;  // trailing spaces trimmed
    std::string to_text() const;          // all rows, '\n'-terminated

private:
    int width_;
    int height_;
    std::vector<Cell> cells_;
};

}  // namespace certdrill::tui
