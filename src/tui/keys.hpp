#pragma once
// Keys as the state machine sees them: printable characters as themselves, the rest as codes
// above the character range. The terminal layer translates ncurses keys into these.
namespace certdrill::tui {

enum Key : int {
    kNone = 0,
    kEnter = '\n',
    kEscape = 27,
    kSpace = ' ',
    kTab = '\t',
    kUp = 0x110000,
    kDown,
    kLeft,
    kRight,
    kPageUp,
    kPageDown,
    kHome,
    kEnd,
    kBackspace,
    kTick,    // a second passed with no key (timers)
    kResize,  // the terminal changed size
};

}  // namespace certdrill::tui
