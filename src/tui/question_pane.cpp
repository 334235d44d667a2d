#include "tui/question_pane.hpp"

#include "core/text.hpp"

namespace certdrill::tui {

namespace {

int body_height(int screen_height) { return screen_height - QuestionPane::kTop - 1; }

// Many stems end with their own "(Choose two.)": the instruction is then not repeated.
bool stem_states_choice(const Card& card) {
    return text::lower(card.stem).find("choose " + choose_word(card.choose)) != std::string::npos;
}

}  // namespace

Doc question_doc(const Card& card, const OptionOrder& order, const OptionPicker& picker, int width, int* cursor_line) {
    Doc doc(width);
    doc.paragraph(card.stem, Style::Bold);
    if (card.type == CardType::Multi && !stem_states_choice(card)) doc.line("Choose " + choose_word(card.choose) + ".", Style::Warn);
    doc.blank();
    const int line = option_list(doc, card, order, picker.selected(), picker.cursor(), true);
    if (cursor_line) *cursor_line = line;
    return doc;
}

void QuestionPane::reset(std::vector<int> selected) {
    picker_.set(std::move(selected));
    scroll_.reset();
}

bool QuestionPane::on_key(int key, Action action, const Card& card, const OptionOrder& order, Viewport viewport) {
    const int rows = body_height(viewport.height);
    int cursor_line = 0;
    if (picker_.on_key(key, action, card, static_cast<int>(order.order.size()))) {
        const Doc doc = question_doc(card, order, picker_, viewport.width - 4, &cursor_line);
        scroll_.follow(cursor_line, doc.size(), rows);
        return true;
    }
    if (action != Action::PageUp && action != Action::PageDown && action != Action::Top) return false;
    return scroll_.on_action(action, question_doc(card, order, picker_, viewport.width - 4).size(), rows);
}

void QuestionPane::render(ScreenBuffer& buf, const Card& card, const OptionOrder& order) const {
    scroll_body(buf, question_doc(card, order, picker_, buf.width() - 4), kTop, body_height(buf.height()),
                scroll_.offset(), 2);
}

}  // namespace certdrill::tui
