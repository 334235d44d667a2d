#pragma once
// The full-screen terminal trainer (ncurses). The only part of certdrill that links ncurses.
#include <iosfwd>

#include "app/mock_exam_session.hpp"
#include "app/services.hpp"
#include "app/study_session.hpp"

namespace certdrill::tui {

enum class StartScreen { Home, Study, Exam };

struct TuiOptions {
    StartScreen start = StartScreen::Home;
    app::StudyOptions study;  // exam_id may be empty: chosen on the home screen
    app::MockOptions mock;
    bool color = true;   // false when NO_COLOR is set
    std::string notice;  // shown on the status line at start
};

// Runs until the user quits; the terminal is restored on every exit path. Returns the exit code.
int run_tui(const app::Services& services, const TuiOptions& options, std::ostream& err);

}  // namespace certdrill::tui
