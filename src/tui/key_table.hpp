#pragma once
// The one table of keys: every screen's handler looks its keys up here, and the footers and the
// help screen are generated from the same rows, so what is shown is what works.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tui/keys.hpp"

namespace certdrill::tui {

// Where a key applies. Each context is one footer and one section of the help screen.
enum class KeyContext {
    Home,
    Question,
    Feedback,
    FlashFront,
    FlashBack,
    Summary,
    ExamItem,
    ExamGrid,
    ExamConfirm,
    ExamResult,
    ExamStart,
    ExamResume,
    Dashboard,
    BrowseQuery,
    BrowseList,
    CardDetail,
    Help,
    Anywhere,
};

enum class Action {
    None,
    Help,
    PrevExam,
    NextExam,
    Study,
    MockExam,
    Dashboard,
    Browse,
    Quit,
    SelectOption,  // option letters; matched by the screen, which knows how many options there are
    CursorUp,
    CursorDown,
    ToggleOption,
    Submit,
    Flag,
    Suspend,
    Undo,
    EndSession,
    Next,
    Guess,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    Top,
    Reveal,
    GradeAgain,
    GradeHard,
    GradeGood,
    GradeEasy,
    GoHome,
    PrevItem,
    NextItem,
    SkipItem,
    ReviewGrid,
    SubmitExam,
    GridLeft,
    GridRight,
    GridUp,
    GridDown,
    OpenItem,
    Back,
    Confirm,
    Cancel,
    Abandon,
    Resume,
    Less,
    More,
    ToResults,
    ClearQuery,
    DeleteChar,
    Search,
    Open,
    ToggleFlag,
    ToggleSuspend,
    PrevDeck,
    NextDeck,
    ToggleDeck,
};

struct KeyBinding {
    KeyContext context;
    Action action;
    std::vector<int> keys;
    std::string label;  // how the keys are written, e.g. "Enter" or "\u2191\u2193"
    std::string hint;   // what they do, in the footer
    std::string help{};  // what they do, on the help screen (the hint when empty)
    bool footer = true;
};

const std::vector<KeyBinding>& key_table();

// The action of a key in a context (Action::None when it has none there).
Action action_for(KeyContext context, int key);

// The footer for a context: "label hint" of each footer row, two spaces apart. `hide` leaves
// actions out; `relabel` replaces an action's hint (e.g. "flag" becomes "unflag").
std::string footer_hints(KeyContext context, const std::vector<Action>& hide = {},
                         const std::map<Action, std::string>& relabel = {},
                         const std::map<Action, std::string>& relabel_keys = {});

// "label hint" of one action's row, for screens that show a key beside what it acts on.
std::string key_hint(KeyContext context, Action action);

struct HelpSection {
    std::string title;
    std::vector<std::pair<std::string, std::string>> rows;  // label, what it does
};

// Every context's keys for the help screen, in table order.
std::vector<HelpSection> help_sections();

}  // namespace certdrill::tui
