#include "tui/key_table.hpp"

#include <algorithm>

namespace certdrill::tui {

namespace {

using C = KeyContext;
using A = Action;

const char* const kUpDown = "\u2191\u2193";

// Rows with an empty label are extra keys for an action already shown on a row before them.
// Rows with no keys only describe (the option letters, typing, '?' which the router handles).
std::vector<KeyBinding> build_table() {
    return {
        {C::Home, A::PrevExam, {kUp, 'k'}, kUpDown, "exam", "choose the exam"},
        {C::Home, A::NextExam, {kDown, 'j'}, "", ""},
        {C::Home, A::PrevDeck, {'['}, "[ ]", "deck", "move among the highlighted exam's decks", false},
        {C::Home, A::NextDeck, {']'}, "", ""},
        {C::Home, A::ToggleDeck, {kSpace}, "Space", "include/exclude",
         "include or exclude the highlighted deck for study (this run)", false},
        {C::Home, A::Study, {'s', kEnter}, "s", "study", "study (also Enter)"},
        {C::Home, A::MockExam, {'e'}, "e", "mock exam"},
        {C::Home, A::Dashboard, {'d'}, "d", "dashboard"},
        {C::Home, A::Browse, {'b'}, "b", "browse"},
        {C::Home, A::Help, {}, "?", "help"},
        {C::Home, A::Quit, {'q', kEscape}, "q", "quit"},

        {C::Question, A::SelectOption, {}, "A-H", "select", "select an option (toggle on choose-N items)"},
        {C::Question, A::CursorUp, {kUp, 'k'}, kUpDown, "move", "move (also j/k)"},
        {C::Question, A::CursorDown, {kDown, 'j'}, "", ""},
        {C::Question, A::ToggleOption, {kSpace}, "Space", "toggle", "select the highlighted option", false},
        {C::Question, A::PageDown, {kPageDown}, "PgDn/PgUp", "scroll", "scroll a question longer than the screen", false},
        {C::Question, A::PageUp, {kPageUp}, "", ""},
        {C::Question, A::Top, {kHome}, "", ""},
        {C::Question, A::Submit, {kEnter}, "Enter", "submit", "submit (single answer: the highlighted option)"},
        {C::Question, A::Flag, {'f', '!'}, "f", "flag", "flag for later (! when an item has an option F)"},
        {C::Question, A::Suspend, {'s'}, "s", "suspend", "suspend: not shown again until unsuspended"},
        {C::Question, A::Undo, {'u'}, "u", "undo", "undo the last answer or suspension (several levels)"},
        {C::Question, A::Help, {}, "?", "help"},
        {C::Question, A::EndSession, {'q', kEscape}, "q", "end", "end the session with a summary"},

        {C::Feedback, A::Next, {kEnter, kSpace, 'n'}, "Enter", "next", "next item (also Space)"},
        {C::Feedback, A::Guess, {'g'}, "g", "it was a guess", "mark a right answer as a guess: it returns sooner"},
        {C::Feedback, A::ScrollUp, {kUp, 'k'}, kUpDown, "scroll"},
        {C::Feedback, A::ScrollDown, {kDown, 'j'}, "", ""},
        {C::Feedback, A::PageUp, {kPageUp}, "", ""},
        {C::Feedback, A::PageDown, {kPageDown}, "", ""},
        {C::Feedback, A::Top, {kHome}, "", ""},
        {C::Feedback, A::Flag, {'f', '!'}, "f", "flag"},
        {C::Feedback, A::Suspend, {'s'}, "s", "suspend", "", false},
        {C::Feedback, A::Undo, {'u'}, "u", "undo"},
        {C::Feedback, A::EndSession, {'q', kEscape}, "q", "end"},

        {C::FlashFront, A::Reveal, {kSpace, kEnter}, "Space", "show answer"},
        {C::FlashFront, A::PageDown, {kPageDown}, "PgDn/PgUp", "scroll", "scroll a card longer than the screen", false},
        {C::FlashFront, A::PageUp, {kPageUp}, "", ""},
        {C::FlashFront, A::Top, {kHome}, "", ""},
        {C::FlashFront, A::Flag, {'f', '!'}, "f", "flag"},
        {C::FlashFront, A::Suspend, {'s'}, "s", "suspend"},
        {C::FlashFront, A::Undo, {'u'}, "u", "undo"},
        {C::FlashFront, A::Help, {}, "?", "help"},
        {C::FlashFront, A::EndSession, {'q', kEscape}, "q", "end"},

        {C::FlashBack, A::GradeAgain, {'1'}, "1", "Again", "Again: forgotten (the next interval shows beside each)"},
        {C::FlashBack, A::GradeHard, {'2'}, "2", "Hard"},
        {C::FlashBack, A::GradeGood, {'3'}, "3", "Good"},
        {C::FlashBack, A::GradeEasy, {'4'}, "4", "Easy"},
        {C::FlashBack, A::PageDown, {kPageDown}, "PgDn/PgUp", "scroll", "", false},
        {C::FlashBack, A::PageUp, {kPageUp}, "", ""},
        {C::FlashBack, A::Top, {kHome}, "", ""},
        {C::FlashBack, A::Flag, {'f', '!'}, "f", "flag"},
        {C::FlashBack, A::Suspend, {'s'}, "s", "suspend"},
        {C::FlashBack, A::Undo, {'u'}, "u", "undo"},
        {C::FlashBack, A::EndSession, {'q', kEscape}, "q", "end"},

        {C::Summary, A::GoHome, {kEnter, kEscape, 'h'}, "Enter", "home"},
        {C::Summary, A::ScrollUp, {kUp, 'k'}, kUpDown, "scroll"},
        {C::Summary, A::ScrollDown, {kDown, 'j'}, "", ""},
        {C::Summary, A::PageUp, {kPageUp}, "", ""},
        {C::Summary, A::PageDown, {kPageDown, kSpace}, "", ""},
        {C::Summary, A::Top, {kHome}, "", ""},
        {C::Summary, A::Quit, {'q'}, "q", "quit"},

        {C::ExamItem, A::SelectOption, {}, "A-H", "select", "select an option (toggle on choose-N items)"},
        {C::ExamItem, A::CursorUp, {kUp, 'k'}, kUpDown, "move"},
        {C::ExamItem, A::CursorDown, {kDown, 'j'}, "", ""},
        {C::ExamItem, A::ToggleOption, {kSpace}, "Space", "toggle", "select the highlighted option", false},
        {C::ExamItem, A::PageDown, {kPageDown}, "PgDn/PgUp", "scroll", "scroll a question longer than the screen", false},
        {C::ExamItem, A::PageUp, {kPageUp}, "", ""},
        {C::ExamItem, A::Top, {kHome}, "", ""},
        {C::ExamItem, A::Submit, {kEnter}, "Enter", "answer", "answer (single answer: the highlighted option); adaptive exams (CISSP) move on, no going back"},
        {C::ExamItem, A::PrevItem, {kLeft, 'p'}, "\u2190\u2192", "prev/next", "previous/next item (linear exams)"},
        {C::ExamItem, A::NextItem, {kRight, 'n'}, "", ""},
        {C::ExamItem, A::Flag, {'f', '!'}, "f", "flag", "flag for review (linear exams)"},
        {C::ExamItem, A::ReviewGrid, {'g'}, "g", "review grid", "review grid (linear exams)"},
        {C::ExamItem, A::SkipItem, {'s'}, "s", "skip", "skip: answer it after the others (GSLC, a limited number)"},
        {C::ExamItem, A::SubmitExam, {'q', kEscape, 'S'}, "q", "menu", "menu: submit, abandon or keep going"},

        {C::ExamGrid, A::GridLeft, {kLeft, 'h'}, "arrows", "move"},
        {C::ExamGrid, A::GridRight, {kRight, 'l'}, "", ""},
        {C::ExamGrid, A::GridUp, {kUp, 'k'}, "", ""},
        {C::ExamGrid, A::GridDown, {kDown, 'j'}, "", ""},
        {C::ExamGrid, A::OpenItem, {kEnter}, "Enter", "open item"},
        {C::ExamGrid, A::Back, {kEscape, 'g'}, "g/Esc", "back"},
        {C::ExamGrid, A::SubmitExam, {'q', 'S'}, "q", "menu", "menu: submit, abandon or keep going"},

        {C::ExamConfirm, A::Confirm, {'s', 'y'}, "s", "submit", "submit the exam and see the result"},
        {C::ExamConfirm, A::Abandon, {'a'}, "a", "abandon", "abandon: the attempt is deleted, nothing is recorded"},
        {C::ExamConfirm, A::Cancel, {'n', kEscape}, "n/Esc", "keep going"},

        {C::ExamStart, A::Confirm, {kEnter}, "Enter", "start"},
        {C::ExamStart, A::CursorUp, {kUp, 'k'}, kUpDown, "items/minutes"},
        {C::ExamStart, A::CursorDown, {kDown, 'j'}, "", ""},
        {C::ExamStart, A::Less, {kLeft, 'h', '-'}, "\u2190\u2192", "change", "fewer/more (fewer items: time pro rata)"},
        {C::ExamStart, A::More, {kRight, 'l', '+'}, "", ""},
        {C::ExamStart, A::Cancel, {kEscape, 'q'}, "Esc", "cancel"},

        {C::ExamResume, A::Resume, {'r', kEnter}, "r", "resume", "resume the interrupted exam with its time left"},
        {C::ExamResume, A::Abandon, {'a'}, "a", "abandon", "abandon it: the attempt is deleted"},
        {C::ExamResume, A::Cancel, {'l', kEscape}, "l", "later", "leave it for later"},

        {C::ExamResult, A::ScrollUp, {kUp, 'k'}, kUpDown, "scroll"},
        {C::ExamResult, A::ScrollDown, {kDown, 'j'}, "", ""},
        {C::ExamResult, A::PageUp, {kPageUp}, "", ""},
        {C::ExamResult, A::PageDown, {kPageDown, kSpace}, "", ""},
        {C::ExamResult, A::Top, {kHome}, "", ""},
        {C::ExamResult, A::NextItem, {'n', kRight}, "n/p", "next/prev item", "next/previous item in the review"},
        {C::ExamResult, A::PrevItem, {'p', kLeft}, "", ""},
        {C::ExamResult, A::GoHome, {kEnter, kEscape, 'h'}, "Enter", "home"},
        {C::ExamResult, A::Quit, {'q'}, "q", "quit"},

        {C::Dashboard, A::NextExam, {kTab, kRight, 'l'}, "Tab/\u2190\u2192", "exam", "switch exam"},
        {C::Dashboard, A::PrevExam, {kLeft, 'h'}, "", ""},
        {C::Dashboard, A::CursorUp, {kUp, 'k'}, kUpDown, "domain", "choose a domain"},
        {C::Dashboard, A::CursorDown, {kDown, 'j'}, "", ""},
        {C::Dashboard, A::Study, {kEnter}, "Enter", "study it", "study the chosen domain"},
        {C::Dashboard, A::PageDown, {kPageDown, kSpace}, "PgDn/PgUp", "scroll"},
        {C::Dashboard, A::PageUp, {kPageUp}, "", ""},
        {C::Dashboard, A::Top, {kHome}, "", ""},
        {C::Dashboard, A::GoHome, {kEscape, 'q'}, "Esc", "home"},
        {C::Dashboard, A::Help, {}, "?", "help"},

        {C::BrowseQuery,
         A::None,
         {},
         "type",
         "to search",
         "words, domain:d3, topic:3.6, deck:ID, flagged, suspended, state:new|learning|review|relearning"},
        {C::BrowseQuery, A::ToResults, {kEnter, kDown, kTab}, "Enter/\u2193", "results"},
        {C::BrowseQuery, A::ClearQuery, {kEscape}, "Esc", "clear/home", "clear the search (home when empty)"},
        {C::BrowseQuery, A::DeleteChar, {kBackspace}, "", ""},

        {C::BrowseList, A::CursorUp, {kUp, 'k'}, kUpDown, "move"},
        {C::BrowseList, A::CursorDown, {kDown, 'j'}, "", ""},
        {C::BrowseList, A::PageUp, {kPageUp}, "", ""},
        {C::BrowseList, A::PageDown, {kPageDown}, "", ""},
        {C::BrowseList, A::Open, {kEnter}, "Enter", "open"},
        {C::BrowseList, A::Search, {'/'}, "/", "search"},
        {C::BrowseList, A::NextExam, {kTab, kRight}, "Tab", "next exam"},
        {C::BrowseList, A::GoHome, {kEscape, 'q'}, "Esc", "home"},

        {C::CardDetail, A::ToggleFlag, {'f'}, "f", "flag", "flag/unflag"},
        {C::CardDetail, A::ToggleSuspend, {'s'}, "s", "suspend", "suspend/unsuspend"},
        {C::CardDetail, A::ScrollUp, {kUp, 'k'}, kUpDown, "scroll"},
        {C::CardDetail, A::ScrollDown, {kDown, 'j'}, "", ""},
        {C::CardDetail, A::PageUp, {kPageUp}, "", ""},
        {C::CardDetail, A::PageDown, {kPageDown, kSpace}, "", ""},
        {C::CardDetail, A::Top, {kHome}, "", ""},
        {C::CardDetail, A::Back, {kEscape, 'q', kBackspace}, "Esc", "back"},

        {C::Help, A::ScrollUp, {kUp, 'k'}, kUpDown, "scroll"},
        {C::Help, A::ScrollDown, {kDown, 'j'}, "", ""},
        {C::Help, A::PageUp, {kPageUp}, "PgUp/PgDn", "page"},
        {C::Help, A::PageDown, {kPageDown, kSpace}, "", ""},
        {C::Help, A::Top, {kHome}, "", ""},
        {C::Help, A::None, {}, "other keys", "close", "close this help"},

        {C::Anywhere, A::Help, {'?'}, "?", "help", "this help; every answer is saved when given"},
    };
}

const char* context_title(KeyContext c) {
    switch (c) {
        case C::Home:
            return "Home";
        case C::Question:
            return "Question";
        case C::Feedback:
            return "Feedback";
        case C::FlashFront:
            return "Flashcard";
        case C::FlashBack:
            return "Its answer";
        case C::Summary:
            return "Summary";
        case C::ExamItem:
            return "Mock exam";
        case C::ExamGrid:
            return "Review grid";
        case C::ExamConfirm:
            return "Exam menu";
        case C::ExamResult:
            return "Exam result";
        case C::ExamStart:
            return "Before a mock exam";
        case C::ExamResume:
            return "Interrupted exam";
        case C::Dashboard:
            return "Dashboard";
        case C::BrowseQuery:
            return "Browse";
        case C::BrowseList:
            return "Results";
        case C::CardDetail:
            return "Card";
        case C::Help:
            return "Help";
        case C::Anywhere:
            return "Anywhere";
    }
    return "";
}

}  // namespace

const std::vector<KeyBinding>& key_table() {
    static const std::vector<KeyBinding> table = build_table();
    return table;
}

Action action_for(KeyContext context, int key) {
    for (const auto& b : key_table())
        if (b.context == context && std::find(b.keys.begin(), b.keys.end(), key) != b.keys.end()) return b.action;
    return Action::None;
}

std::string footer_hints(KeyContext context, const std::vector<Action>& hide,
                         const std::map<Action, std::string>& relabel,
                         const std::map<Action, std::string>& relabel_keys) {
    std::string out;
    for (const auto& b : key_table()) {
        if (b.context != context || !b.footer || b.label.empty()) continue;
        if (std::find(hide.begin(), hide.end(), b.action) != hide.end()) continue;
        auto hint = relabel.find(b.action);
        auto label = relabel_keys.find(b.action);
        if (!out.empty()) out += "  ";
        out += (label != relabel_keys.end() ? label->second : b.label) + " " +
               (hint != relabel.end() ? hint->second : b.hint);
    }
    return out;
}

std::string key_hint(KeyContext context, Action action) {
    for (const auto& b : key_table())
        if (b.context == context && b.action == action && !b.label.empty()) return b.label + " " + b.hint;
    return {};
}

std::vector<HelpSection> help_sections() {
    std::vector<HelpSection> out;
    for (const auto& b : key_table()) {
        if (b.label.empty() || (b.action == Action::Help && b.context != KeyContext::Anywhere)) continue;
        if (out.empty() || out.back().title != context_title(b.context)) out.push_back({context_title(b.context), {}});
        out.back().rows.emplace_back(b.label, b.help.empty() ? b.hint : b.help);
    }
    return out;
}

}  // namespace certdrill::tui
