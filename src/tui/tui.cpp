#include "tui/tui.hpp"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>

#include <clocale>
#include <cstdlib>
#include <csignal>
#include <ostream>
#include <string_view>

#include "app/errors.hpp"
#include "core/text.hpp"
#include "tui/keys.hpp"
#include "tui/router.hpp"

namespace certdrill::tui {

namespace {

// Set from signal handlers, which can touch nothing else safely; the key loop polls it each
// time getch returns (a signal interrupts the wait).
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) { g_signal = sig; }

class SignalGuard {
public:
    SignalGuard() {
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, &old_[index(sig)]);
    }
    ~SignalGuard() {
        for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &old_[index(sig)], nullptr);
    }

private:
    static int index(int sig) { return sig == SIGINT ? 0 : sig == SIGTERM ? 1 : 2; }
    struct sigaction old_[3]{};
};

// Deck text is UTF-8, and so are nearly all terminals today; a session without LANG (common over
// SSH or under a service manager) would otherwise draw every accented letter and box character
// as garbage, so fall back to C.UTF-8 for the character type.
void use_utf8_locale() {
    std::setlocale(LC_ALL, "");
    const char* codeset = nl_langinfo(CODESET);
    if (!codeset || std::string_view(codeset) != "UTF-8") std::setlocale(LC_CTYPE, "C.UTF-8");
}

constexpr const char* kPlainHint =
    "set TERM to your terminal's type (e.g. TERM=xterm-256color), or use 'certdrill study --plain' / "
    "'certdrill exam ID --plain'";

// ncurses reads TERM from the process environment, so this check does too: with no type it
// cannot start, and a dumb terminal cannot place text at all.
void require_drawable_terminal() {
    const char* term = std::getenv("TERM");
    if (!term || !*term) throw app::usage_error("TERM is not set, so the full-screen trainer cannot draw", kPlainHint);
    if (std::string_view(term) == "dumb") throw app::usage_error("TERM=dumb cannot show the full-screen trainer", kPlainHint);
}

// Owns curses mode: the terminal is restored however the loop ends.
class Terminal {
public:
    explicit Terminal(bool color) {
        use_utf8_locale();
        // newterm, unlike initscr, returns instead of printing a bare error and exiting.
        screen_ = newterm(nullptr, stdout, stdin);
        if (!screen_) {
            const char* term = std::getenv("TERM");
            throw app::usage_error("unknown terminal type TERM=" + text::sanitize(term ? term : ""), kPlainHint);
        }
        set_term(screen_);
        cbreak();
        noecho();
        nonl();
        keypad(stdscr, TRUE);
        set_escdelay(25);
        curs_set(0);
        timeout(1000);  // a tick each second drives the exam countdown
        color_ = color && has_colors();
        if (color_) {
            start_color();
            use_default_colors();
            init_pair(1, COLOR_WHITE, COLOR_BLUE);
            init_pair(2, COLOR_GREEN, -1);
            init_pair(3, COLOR_RED, -1);
            init_pair(4, COLOR_CYAN, -1);
            init_pair(5, COLOR_YELLOW, -1);
        }
    }
    ~Terminal() {
        endwin();
        delscreen(screen_);
    }
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    attr_t attr(Style s) const {
        switch (s) {
            case Style::Normal:
                return A_NORMAL;
            case Style::Bold:
                return A_BOLD;
            case Style::Dim:
                return A_DIM;
            case Style::Reverse:
                return A_REVERSE;
            case Style::Title:
                return color_ ? (COLOR_PAIR(1) | A_BOLD) : (A_REVERSE | A_BOLD);
            case Style::Good:
                return color_ ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
            case Style::Bad:
                return color_ ? COLOR_PAIR(3) | A_BOLD : A_BOLD | A_UNDERLINE;
            case Style::Accent:
                return color_ ? COLOR_PAIR(4) | A_BOLD : A_BOLD;
            case Style::Warn:
                return color_ ? COLOR_PAIR(5) : A_UNDERLINE;
        }
        return A_NORMAL;
    }

    // Copies the buffer to the screen, one run of equally styled cells at a time.
    void draw(const ScreenBuffer& buf) const {
        erase();
        for (int r = 0; r < buf.height(); ++r) {
            int c = 0;
            while (c < buf.width()) {
                const Style style = buf.at(r, c).style;
                const int start = c;
                std::string run;
                while (c < buf.width() && buf.at(r, c).style == style) run += buf.at(r, c++).glyph;
                attrset(attr(style));
                // The last cell of the screen cannot be written without scrolling; curses
                // reports it as an error but draws it, so the result is ignored.
                mvaddstr(r, start, run.c_str());
            }
        }
        attrset(A_NORMAL);
        refresh();
    }

    int read_key() const {
        wint_t ch = 0;
        int kind = get_wch(&ch);
        if (kind == ERR) return kTick;
        if (kind == KEY_CODE_YES) {
            switch (ch) {
                case KEY_UP:
                    return kUp;
                case KEY_DOWN:
                    return kDown;
                case KEY_LEFT:
                    return kLeft;
                case KEY_RIGHT:
                    return kRight;
                case KEY_NPAGE:
                    return kPageDown;
                case KEY_PPAGE:
                    return kPageUp;
                case KEY_HOME:
                    return kHome;
                case KEY_END:
                    return kEnd;
                case KEY_ENTER:
                    return kEnter;
                case KEY_BACKSPACE:
                    return kBackspace;
                case KEY_RESIZE:
                    return kResize;
                default:
                    return kNone;
            }
        }
        if (ch == '\r' || ch == '\n') return kEnter;
        if (ch == 127 || ch == 8) return kBackspace;
        return static_cast<int>(ch);
    }

private:
    SCREEN* screen_ = nullptr;
    bool color_ = false;
};

}  // namespace

int run_tui(const app::Services& services, const TuiOptions& options, std::ostream& err) {
    SignalGuard signals;
    g_signal = 0;
    try {
        require_drawable_terminal();
        Router router(services, options);
        int exit_code = 0;
        {
            Terminal terminal(options.color);
            while (!router.done()) {
                int h = 0, w = 0;
                getmaxyx(stdscr, h, w);
                router.resize(w, h);
                ScreenBuffer buf(w, h);
                router.render(buf);
                terminal.draw(buf);
                int key = terminal.read_key();
                if (g_signal) {
                    exit_code = 128 + g_signal;
                    break;
                }
                if (key == kNone) continue;
                // Below the minimum size only quitting is offered.
                if ((w < kMinWidth || h < kMinHeight) && key != 'q' && key != kResize && key != kTick) continue;
                if ((w < kMinWidth || h < kMinHeight) && key == 'q') break;
                router.handle(key);
            }
            router.shutdown();
        }
        if (exit_code == 128 + SIGINT) err << "certdrill: interrupted; every answer given was saved\n";
        return exit_code;
    } catch (const std::exception& e) {
        // The Terminal has been destroyed by now, so the message lands on a normal screen.
        const app::ErrorReport report = app::explain(e);
        err << "certdrill: " << text::sanitize(report.problem) << '\n';
        if (!report.fix.empty())
            err << "  fix: " << text::sanitize(report.fix) << '\n';
        else
            err << "  every answer given before this was saved\n";
        return app::exit_code(report.status);
    }
}

}  // namespace certdrill::tui
