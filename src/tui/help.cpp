// The help screen: every key of every screen, generated from the key table, drawn over the
// whole terminal (nothing of the screen below shows through) and scrolled when it is longer.
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

constexpr int kLabelWidth = 12;

}  // namespace

Doc help_doc(int width) {
    Doc doc(width);
    bool first = true;
    for (const auto& section : help_sections()) {
        if (!first) doc.blank();
        first = false;
        doc.line(section.title, Style::Bold);
        for (const auto& [label, what] : section.rows)
            doc.paragraph(what, Style::Normal, 0, "  " + text::fit(label, kLabelWidth - 2), Style::Accent);
    }
    return doc;
}

int help_rows(int height) { return height - 3; }

void render_help(ScreenBuffer& buf, int scroll) {
    for (int row = 0; row < buf.height(); ++row) buf.fill_row(row, Style::Normal);
    header(buf, "certdrill \u00b7 keys", "every answer is saved when given");
    scroll_body(buf, help_doc(buf.width() - 4), 2, help_rows(buf.height()), scroll, 2);
    footer(buf, "", footer_hints(KeyContext::Help));
}

}  // namespace certdrill::tui
