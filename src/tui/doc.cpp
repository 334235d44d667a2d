#include "tui/doc.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"

namespace certdrill::tui {

namespace {

// Splits one wrapped line into spans, toggling emphasis and code at the marks. The state
// carries across lines so a mark may span a line break.
void styled_spans(std::string_view line, Style base, bool& emphasis, bool& code, std::vector<Span>& out) {
    std::string current;
    auto style_now = [&] { return code ? Style::Accent : emphasis ? Style::Bold : base; };
    auto flush = [&] {
        if (!current.empty()) out.push_back({current, style_now()});
        current.clear();
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '`') {
            flush();
            code = !code;
            continue;
        }
        if (c == '*' && !code) {
            bool opens = !emphasis && i + 1 < line.size() && line[i + 1] != ' ';
            bool closes = emphasis && i > 0 && line[i - 1] != ' ';
            if (opens || closes) {
                flush();
                emphasis = !emphasis;
                continue;
            }
        }
        current += c;
    }
    flush();
}

}  // namespace

void Doc::paragraph(std::string_view raw, Style style, int indent, std::string_view prefix, Style prefix_style) {
    const std::string clean = text::sanitize(raw);
    const int prefix_width = text::display_width(prefix);
    const int text_width = std::max(10, width_ - indent - prefix_width);
    bool emphasis = false, code = false;
    bool first = true;
    for (const auto& wrapped : text::wrap(clean, text_width)) {
        DocLine dl;
        std::string lead(static_cast<std::size_t>(indent), ' ');
        if (first && prefix_width)
            dl.spans.push_back({lead + std::string(prefix), prefix_style});
        else
            dl.spans.push_back({lead + std::string(static_cast<std::size_t>(prefix_width), ' '), Style::Normal});
        styled_spans(wrapped, style, emphasis, code, dl.spans);
        lines_.push_back(std::move(dl));
        first = false;
    }
}

void Doc::line(std::vector<Span> spans) {
    for (auto& span : spans) span.text = text::sanitize(span.text);
    lines_.push_back(DocLine{std::move(spans)});
}

void Doc::line(std::string_view s, Style style) { lines_.push_back(DocLine{{Span{text::sanitize(s), style}}}); }

int blit(ScreenBuffer& buf, const Doc& doc, int top, int rows, int scroll, int left) {
    scroll = std::clamp(scroll, 0, std::max(0, doc.size() - rows));
    for (int r = 0; r < rows && scroll + r < doc.size(); ++r) {
        int col = left;
        for (const auto& span : doc.lines()[static_cast<std::size_t>(scroll + r)].spans)
            col = buf.put(top + r, col, span.text, span.style);
    }
    return scroll;
}

std::string bar(double fraction, int width) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    int full = static_cast<int>(std::lround(fraction * width));
    std::string out;
    for (int i = 0; i < width; ++i) out += i < full ? "\u2588" : "\u2591";
    return out;
}

}  // namespace certdrill::tui
