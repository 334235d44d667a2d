#pragma once
// UTF-8 text helpers: untrusted-text filtering, display width and word wrapping. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certdrill::text {

struct ControlCharacter {
    std::size_t character_index = 0;  // 0-based, in code points
    char32_t code_point = 0;
};

// Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): they can make
// text read differently from what it holds ("Trojan Source"), so untrusted text never keeps them.
bool is_bidi_control(char32_t cp);

// The first C0/C1 control character other than newline, DEL or bidirectional control; nullopt
// if there is none.
std::optional<ControlCharacter> find_control_character(std::string_view s);

// Makes deck text safe to draw or print: removes escape sequences (CSI, OSC, DCS and the like),
// every other control character except newline, and bidirectional controls; tabs become a
// space; invalid UTF-8 bytes become U+FFFD.
std::string sanitize(std::string_view s);

// Decodes one code point starting at s[i], advancing i; invalid bytes yield U+FFFD.
char32_t decode_next(std::string_view s, std::size_t& i);
void append_utf8(std::string& out, char32_t cp);

// Terminal columns taken by a code point (0 for combining marks, 2 for wide East Asian forms).
int code_point_width(char32_t cp);
int display_width(std::string_view s);

// Breaks text into lines of at most `width` columns at spaces; words longer than the width
// are split. Newlines in the text start new lines; an empty line is kept as a paragraph break.
std::vector<std::string> wrap(std::string_view s, int width);

// Removes the light inline marks (*emphasis* and `code`) for plain output.
std::string strip_marks(std::string_view s);

// Lower-case ASCII copy, for case-insensitive search.
std::string lower(std::string_view s);

// Pads or truncates (with an ellipsis) to exactly `width` columns.
std::string fit(std::string_view s, int width);

}  // namespace certdrill::text
