#pragma once
// What every screen of the trainer is: a View with its own state, key handling and a render
// that only formats that state into a ScreenBuffer. Views reach the rest of the trainer through
// Nav (see router.hpp for how to add one).
#include <memory>
#include <string>

#include "app/deck_choice.hpp"
#include "app/services.hpp"
#include "tui/screen_buffer.hpp"
#include "tui/tui.hpp"

namespace certdrill::tui {

constexpr int kMinWidth = 80;
constexpr int kMinHeight = 24;

// Which screen is showing; tests and the router ask for it.
enum class Screen {
    Home,
    StudyQuestion,
    StudyFeedback,
    FlashFront,
    FlashBack,
    StudySummary,
    ExamItem,
    ExamGrid,
    ExamConfirm,
    ExamResult,
    ExamStart,
    ExamResume,
    Dashboard,
    Browse,
    CardDetail,
};

struct Viewport {
    int width = kMinWidth;
    int height = kMinHeight;
};

// What a view needs while drawing besides its own state.
struct Frame {
    const std::string& status;  // replaces the footer's key hints while set
    UnixMs now = 0;             // for countdowns
};

class View;

// The router as the views see it. Navigation takes effect after the current key is handled,
// so a view may replace itself safely.
class Nav {
public:
    virtual ~Nav() = default;
    virtual const app::Services& services() const = 0;
    virtual const TuiOptions& options() const = 0;
    virtual Viewport viewport() const = 0;
    // The exam chosen on the home screen, shared by home, dashboard and browse.
    virtual int exam_index() const = 0;
    virtual void set_exam_index(int index) = 0;
    // The decks chosen on the home screen, kept for the run of the trainer.
    virtual const app::DeckChoice& deck_choice() const = 0;
    virtual app::DeckChoice& deck_choice() = 0;
    virtual void set_status(std::string text) = 0;
    virtual void replace(std::unique_ptr<View> view) = 0;  // the current view gives way
    virtual void push(std::unique_ptr<View> view) = 0;     // shown on top; pop() returns
    virtual void pop() = 0;
    virtual void home() = 0;
    virtual void quit() = 0;
};

class View {
public:
    virtual ~View() = default;
    virtual Screen id() const = 0;
    virtual void on_key(int key, Nav& nav) = 0;
    virtual void render(ScreenBuffer& buf, const Frame& frame) const = 0;
    // True while the view takes typed text, so '?' is a character rather than help.
    virtual bool takes_text() const { return false; }
    // Timed views: the router checks the deadline on every key and tick.
    virtual bool deadline_passed() const { return false; }
    virtual void on_deadline(Nav&) {}
    // Shown again after the view above it was popped: refresh collected data.
    virtual void on_return(Nav&) {}
    // The trainer is closing (quit, signal): end whatever session the view runs.
    virtual void shutdown() {}
};

}  // namespace certdrill::tui
