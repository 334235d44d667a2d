#pragma once
// The trainer's router: keys in, screens out. It owns the stack of screens (views), the status
// line, the help overlay and the deadline check of timed screens; everything else lives in the
// screens, one file each (home, study, flashcard, summary, exam, exam_review, dashboard, browse,
// card_detail, help), drawn with the shared widgets (widgets.hpp).
//
// How to add a screen:
//  1. Collect its data in src/app: a function that returns a view model (plain structs; no
//     store types in the header), so plain mode and the trainer call the same code. Rendering
//     never runs SQL: collect when the screen opens or after a key changes something.
//  2. Add its keys to the table in key_table.cpp under a new KeyContext; the handler looks keys
//     up with action_for(), the footer comes from footer_hints() and the help screen lists the
//     rows by itself.
//  3. Write src/tui/<name>.cpp with a class deriving from View (view.hpp): its own state,
//     on_key(key, nav) and a const render(buf, frame) that only formats that state. Keep the
//     file under 400 lines; add a Screen value for it in view.hpp.
//  4. Declare a factory in screens.hpp and open it from another screen with nav.push(...)
//     (Esc returns with nav.pop()) or nav.replace(...).
//  5. Add golden screens (tests/tui/test_screens.cpp) at 80x24 and 120x40 and key tests.
#include <memory>
#include <string>
#include <vector>

#include "tui/screen_buffer.hpp"
#include "tui/tui.hpp"
#include "tui/view.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

class Router final : public Nav {
public:
    Router(app::Services services, TuiOptions options);
    ~Router() override;
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    void handle(int key);
    // Draws the current screen (and the help overlay); reads no state but the clock.
    void render(ScreenBuffer& buf) const;
    // The terminal's size, so scrolling keys know how much fits.
    void resize(int width, int height) { viewport_ = Viewport{width, height}; }

    bool done() const { return done_; }
    Screen screen() const;
    bool help_visible() const { return help_; }
    const std::string& status() const { return status_; }
    // Ends any session in progress (answers are already stored); used on signals.
    void shutdown();

    // Nav
    const app::Services& services() const override { return s_; }
    const TuiOptions& options() const override { return options_; }
    Viewport viewport() const override { return viewport_; }
    int exam_index() const override { return exam_index_; }
    void set_exam_index(int index) override;
    const app::DeckChoice& deck_choice() const override { return deck_choice_; }
    app::DeckChoice& deck_choice() override { return deck_choice_; }
    void set_status(std::string text) override { status_ = std::move(text); }
    void replace(std::unique_ptr<View> view) override;
    void push(std::unique_ptr<View> view) override;
    void pop() override;
    void home() override;
    void quit() override { done_ = true; }

private:
    void apply_navigation();

    enum class Move { None, Replace, Push, Pop, Home };

    app::Services s_;
    TuiOptions options_;
    Viewport viewport_;
    std::vector<std::unique_ptr<View>> stack_;
    Move pending_ = Move::None;
    std::unique_ptr<View> pending_view_;
    int exam_index_ = 0;
    app::DeckChoice deck_choice_;
    bool done_ = false;
    bool help_ = false;
    Scroll help_scroll_;
    std::string status_;
};

}  // namespace certdrill::tui
