#pragma once
// Factories for the trainer's screens, one file each; see router.hpp for how to add one.
#include <memory>
#include <optional>
#include <string>

#include "app/mock_exam_session.hpp"
#include "app/stats.hpp"
#include "app/study_session.hpp"
#include "tui/doc.hpp"
#include "tui/key_table.hpp"
#include "tui/view.hpp"

namespace certdrill::tui {

// The exam chosen on the home screen (nullptr when the library has none).
const Exam* selected_exam(const Nav& nav);

std::unique_ptr<View> make_home(Nav& nav);
// Begins a study session on the exam's decks chosen on the home screen (on one domain of it when
// given); the view of its first item (or its summary). nullptr (with the reason on the status
// line) when no deck of the exam is chosen.
std::unique_ptr<View> make_study(Nav& nav, const Exam& exam, const std::optional<std::string>& domain = std::nullopt);
// Before a mock exam of `exam`: its interrupted attempts, then the confirmation with the sizes;
// nullptr (with the reason on the status line) when it cannot start.
std::unique_ptr<View> make_exam(Nav& nav, const Exam& exam);
// Interrupted mock exams of any exam, offered when the trainer starts; nullptr when none.
std::unique_ptr<View> make_resume_offer(Nav& nav);
// A mock exam under way (started or resumed).
std::unique_ptr<View> make_exam_view(std::shared_ptr<app::MockExamSession> exam);
std::unique_ptr<View> make_dashboard(Nav& nav);
// The dashboard over figures already collected (what make_dashboard(nav) collects).
std::unique_ptr<View> make_dashboard(app::Stats stats, const Exam* exam);
std::unique_ptr<View> make_browse(Nav& nav);
std::unique_ptr<View> make_card_detail(Nav& nav, const Card& card);

// Study flow: the view for the session's current item, or its summary once it is over.
std::unique_ptr<View> next_study_view(Nav& nav, std::shared_ptr<app::StudySession> session);
std::unique_ptr<View> make_question(std::shared_ptr<app::StudySession> session);
std::unique_ptr<View> make_flashcard(std::shared_ptr<app::StudySession> session);
std::unique_ptr<View> make_summary(Nav& nav, const app::StudySession& session);
// Keys every study screen shares: flag, suspend, undo and ending the session. True if handled.
bool study_action(Action action, const std::shared_ptr<app::StudySession>& session, Nav& nav);

std::unique_ptr<View> make_exam_result(std::shared_ptr<app::MockExamSession> exam);

// The help screen, drawn over the whole terminal; `scroll` lines of help_doc scrolled off.
void render_help(ScreenBuffer& buf, int scroll);
// Every key, from the key table, `width` wide; and how many rows of a screen show it.
Doc help_doc(int width);
int help_rows(int height);

}  // namespace certdrill::tui
