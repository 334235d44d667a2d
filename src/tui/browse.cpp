// Browse: search the selected exam's cards as you type; Enter opens a card's detail.
#include <algorithm>

#include "app/cards.hpp"
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

// Fits 80 columns; the help screen lists every filter and state.
constexpr const char* kHint = "words, domain:d3, topic:3.6, deck:ID, flagged, suspended, state:review";

class BrowseView final : public View {
public:
    explicit BrowseView(Nav& nav) { search(nav); }

    Screen id() const override { return Screen::Browse; }
    bool takes_text() const override { return editing_; }
    void on_return(Nav& nav) override { search(nav); }  // a flag or suspension may have changed

    void on_key(int key, Nav& nav) override {
        if (editing_)
            on_query_key(key, nav);
        else
            on_list_key(key, nav);
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        header(buf, "Browse \u00b7 " + (exam_ ? exam_->short_name : std::string()),
               std::to_string(results_.size()) + (results_.size() == 1 ? " card" : " cards"));
        buf.put(1, 1, "Search: ", Style::Bold);
        buf.put(1, 9, text::fit(text::sanitize(query_), buf.width() - 12), editing_ ? Style::Accent : Style::Normal);
        if (editing_) buf.put(1, 9 + text::display_width(text::sanitize(query_)), "_", Style::Accent);
        buf.put(2, 1, text::fit(kHint, buf.width() - 2), Style::Dim);
        const int rows = buf.height() - 5;
        const int first = std::max(0, cursor_ - rows + 1);
        for (int r = 0; r < rows && first + r < static_cast<int>(results_.size()); ++r) {
            const Card* c = results_[static_cast<std::size_t>(first + r)];
            std::string summary = c->is_question() ? c->stem : c->front;
            std::string row = text::fit(c->id, 18) + " " + text::fit(to_string(c->type), 9) + " " +
                              text::fit(text::strip_marks(text::sanitize(summary)), buf.width() - 33);
            const bool sel = !editing_ && first + r == cursor_;
            buf.put(4 + r, 1, row, sel ? Style::Reverse : Style::Normal);
        }
        footer(buf, frame.status, footer_hints(editing_ ? KeyContext::BrowseQuery : KeyContext::BrowseList));
    }

private:
    void search(Nav& nav) {
        exam_ = selected_exam(nav);
        results_ = app::search_cards(nav.services(), exam_ ? exam_->id : std::string(), query_);
        cursor_ = std::clamp(cursor_, 0, std::max(0, static_cast<int>(results_.size()) - 1));
    }

    void on_query_key(int key, Nav& nav) {
        switch (action_for(KeyContext::BrowseQuery, key)) {
            case Action::ToResults:
                editing_ = false;
                return;
            case Action::ClearQuery:
                if (query_.empty()) {
                    nav.home();
                    return;
                }
                query_.clear();
                break;
            case Action::DeleteChar:
                // Remove one whole UTF-8 character.
                while (!query_.empty()) {
                    const bool continuation = (static_cast<unsigned char>(query_.back()) & 0xC0) == 0x80;
                    query_.pop_back();
                    if (!continuation) break;
                }
                break;
            default:
                if (key < 32 || key >= 0x110000) return;
                text::append_utf8(query_, static_cast<char32_t>(key));
        }
        search(nav);
    }

    void on_list_key(int key, Nav& nav) {
        const int n = static_cast<int>(results_.size());
        switch (action_for(KeyContext::BrowseList, key)) {
            case Action::CursorDown:
                cursor_ = std::max(0, std::min(n - 1, cursor_ + 1));
                break;
            case Action::CursorUp:
                if (cursor_ == 0)
                    editing_ = true;
                else
                    --cursor_;
                break;
            case Action::PageDown:
                cursor_ = std::max(0, std::min(n - 1, cursor_ + 10));
                break;
            case Action::PageUp:
                cursor_ = std::max(0, cursor_ - 10);
                break;
            case Action::Search:
                editing_ = true;
                break;
            case Action::NextExam:
                nav.set_exam_index(nav.exam_index() + 1);
                search(nav);
                break;
            case Action::Open:
                if (n > 0) nav.push(make_card_detail(nav, *results_.at(static_cast<std::size_t>(cursor_))));
                break;
            case Action::GoHome:
                nav.home();
                break;
            default:
                break;
        }
    }

    const Exam* exam_ = nullptr;
    std::string query_;
    bool editing_ = true;
    std::vector<const Card*> results_;
    int cursor_ = 0;
};

}  // namespace

std::unique_ptr<View> make_browse(Nav& nav) { return std::make_unique<BrowseView>(nav); }

}  // namespace certdrill::tui
