#include "core/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace certdrill::text {

char32_t decode_next(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int extra = (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = b0 & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
        unsigned char b = byte(i + static_cast<std::size_t>(k));
        if ((b & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return 0xFFFD;
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

namespace {
bool is_control(char32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F); }
}  // namespace

bool is_bidi_control(char32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

namespace {
// Whether the eight bytes at p are all printable ASCII (0x20-0x7E), tested on the word at once:
// the first term has a high bit set when some byte is below 0x20, the second when some byte is
// 0x7F or above (a carry out of a byte happens only from 0xFF, which is caught by `| w`).
bool eight_printable_ascii(const char* p) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    const std::uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHigh;
    const std::uint64_t delete_or_above = ((w + kOnes) | w) & kHigh;
    return (below_space | delete_or_above) == 0;
}
}  // namespace

std::optional<ControlCharacter> find_control_character(std::string_view s) {
    std::size_t index = 0;
    for (std::size_t i = 0; i < s.size(); ++index) {
        // Deck text is mostly printable ASCII: skip it eight characters at a time.
        while (i + 8 <= s.size() && eight_printable_ascii(s.data() + i)) {
            i += 8;
            index += 8;
        }
        if (i >= s.size()) break;
        const auto byte = static_cast<unsigned char>(s[i]);
        if ((byte >= 0x20 && byte < 0x7F) || byte == '\n') {  // printable ASCII, the common case
            ++i;
            continue;
        }
        char32_t cp = decode_next(s, i);
        if ((cp != U'\n' && is_control(cp)) || is_bidi_control(cp)) return ControlCharacter{index, cp};
    }
    return std::nullopt;
}

namespace {
// Skips an escape sequence starting at s[i] == ESC (or a C1 introducer already decoded).
// ECMA-48: CSI ends at a final byte 0x40-0x7E; OSC/DCS/APC/PM/SOS end at BEL or ST.
void skip_escape(std::string_view s, std::size_t& i, char32_t introducer) {
    auto is_string_intro = [](char32_t c) { return c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X'; };
    char32_t kind = introducer;
    if (introducer == 0x1B) {
        if (i >= s.size()) return;
        kind = static_cast<unsigned char>(s[i]);
        ++i;
        if (kind != '[' && !is_string_intro(kind)) {
            // Two-character escape (possibly with intermediate bytes 0x20-0x2F).
            while (kind >= 0x20 && kind <= 0x2F && i < s.size()) kind = static_cast<unsigned char>(s[i++]);
            return;
        }
    } else {
        kind = introducer == 0x9B ? '[' : introducer == 0x9D ? ']' : 'P';
    }
    if (kind == '[') {
        while (i < s.size()) {
            unsigned char c = static_cast<unsigned char>(s[i++]);
            if (c >= 0x40 && c <= 0x7E) return;
        }
        return;
    }
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == 0x07) {
            ++i;
            return;
        }
        if (c == 0x1B && i + 1 < s.size() && s[i + 1] == '\\') {
            i += 2;
            return;
        }
        ++i;
    }
}
}  // namespace

std::string sanitize(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = decode_next(s, i);
        if (cp == U'\n') {
            out += '\n';
        } else if (cp == U'\t') {
            out += ' ';
        } else if (cp == 0x1B || cp == 0x9B || cp == 0x9D || cp == 0x90 || cp == 0x98 || cp == 0x9E || cp == 0x9F) {
            skip_escape(s, i, cp);
        } else if (!is_control(cp) && !is_bidi_control(cp)) {
            append_utf8(out, cp);
        }
    }
    return out;
}

int code_point_width(char32_t cp) {
    if (cp == 0) return 0;
    if (is_control(cp)) return 0;
    // Combining marks and zero-width characters.
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        (cp >= 0x20D0 && cp <= 0x20FF) || cp == 0x2060 || cp == 0xFEFF)
        return 0;
    // Wide East Asian ranges and emoji.
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

int display_width(std::string_view s) {
    int w = 0;
    for (std::size_t i = 0; i < s.size();) w += code_point_width(decode_next(s, i));
    return w;
}

namespace {
// Splits a word wider than `width` into pieces of at most `width` columns.
void split_long_word(std::string_view word, int width, std::vector<std::string>& lines) {
    std::string piece;
    int piece_width = 0;
    for (std::size_t i = 0; i < word.size();) {
        std::size_t start = i;
        int w = code_point_width(decode_next(word, i));
        if (piece_width + w > width && !piece.empty()) {
            lines.push_back(piece);
            piece.clear();
            piece_width = 0;
        }
        piece.append(word.substr(start, i - start));
        piece_width += w;
    }
    if (!piece.empty()) lines.push_back(piece);
}

void wrap_paragraph(std::string_view para, int width, std::vector<std::string>& lines) {
    std::string line;
    int line_width = 0;
    std::size_t i = 0;
    bool any = false;
    while (i < para.size()) {
        while (i < para.size() && para[i] == ' ') ++i;
        std::size_t start = i;
        while (i < para.size() && para[i] != ' ') ++i;
        if (start == i) break;
        std::string_view word = para.substr(start, i - start);
        int w = display_width(word);
        any = true;
        if (line_width > 0 && line_width + 1 + w <= width) {
            line += ' ';
            line += word;
            line_width += 1 + w;
            continue;
        }
        if (line_width > 0) lines.push_back(std::move(line));
        line.clear();
        line_width = 0;
        if (w > width) {
            split_long_word(word, width, lines);
            line = std::move(lines.back());
            lines.pop_back();
            line_width = display_width(line);
        } else {
            line = std::string(word);
            line_width = w;
        }
    }
    if (line_width > 0 || !any) lines.push_back(std::move(line));
}
}  // namespace

std::vector<std::string> wrap(std::string_view s, int width) {
    width = std::max(width, 1);
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        std::size_t nl = s.find('\n', start);
        wrap_paragraph(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start), width,
                       lines);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

std::string strip_marks(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '`') continue;
        // '*' is a mark only when it opens before a non-space or closes after one, so that
        // arithmetic such as "AV * EF" keeps its star.
        if (c == '*') {
            bool opens = i + 1 < s.size() && s[i + 1] != ' ' &&
                         (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '\n');
            bool closes =
                i > 0 && s[i - 1] != ' ' &&
                (i + 1 == s.size() || std::string_view(" .,;:!?)\n").find(s[i + 1]) != std::string_view::npos);
            if (opens || closes) continue;
        }
        out += c;
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return out;
}

std::string fit(std::string_view s, int width) {
    if (width <= 0) return {};
    int w = display_width(s);
    if (w <= width) return std::string(s) + std::string(static_cast<std::size_t>(width - w), ' ');
    std::string out;
    int used = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        int cw = code_point_width(decode_next(s, i));
        if (used + cw > width - 1) break;
        out.append(s.substr(start, i - start));
        used += cw;
    }
    out += "\u2026";
    used += 1;
    if (used < width) out += std::string(static_cast<std::size_t>(width - used), ' ');
    return out;
}

}  // namespace certdrill::text
