#pragma once
// The trainer's state machine: keys in, screens out. Rendering is a pure function of the state
// into a ScreenBuffer, so every screen and key sequence is testable without a terminal.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/mock_exam_session.hpp"
#include "app/stats.hpp"
#include "app/study_session.hpp"
#include "tui/keys.hpp"
#include "tui/screen_buffer.hpp"
#include "tui/tui.hpp"

namespace certdrill::tui {

constexpr int kMinWidth = 80;
constexpr int kMinHeight = 24;

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
    Dashboard,
    Browse,
    CardDetail,
};

class Controller {
public:
    Controller(app::Services services, TuiOptions options);
    ~Controller();

    void handle(int key);
    // Draws the current screen; pure apart from reading the clock for timers.
    void render(ScreenBuffer& buf) const;

    bool done() const { return done_; }
    Screen screen() const { return screen_; }
    bool help_visible() const { return help_; }
    const std::string& status() const { return status_; }
    // Ends any session in progress (answers are already stored); used on signals.
    void shutdown();

private:
    // Navigation
    void go_home();
    void start_study();
    void start_exam();
    void open_dashboard();
    void open_browse();
    void after_study_step();

    // Key handling per screen
    void on_home(int key);
    void on_study_question(int key);
    void on_study_feedback(int key);
    void on_flash(int key);
    void on_study_summary(int key);
    void on_exam_item(int key);
    void on_exam_grid(int key);
    void on_exam_confirm(int key);
    void on_exam_result(int key);
    void on_dashboard(int key);
    void on_browse(int key);
    void on_card_detail(int key);
    bool on_study_action(int key, bool flag_with_f);
    void on_closing_screen(int key);
    bool on_selection_key(int key, const Card& card, const OptionOrder& order, bool allow_flag_letter);
    void scroll_keys(int key);
    void finish_exam();
    void run_search();

    // Rendering
    void render_home(ScreenBuffer& buf) const;
    void render_question(ScreenBuffer& buf, bool exam) const;
    void render_feedback(ScreenBuffer& buf) const;
    void render_flash(ScreenBuffer& buf) const;
    void render_study_summary(ScreenBuffer& buf) const;
    void render_exam_grid(ScreenBuffer& buf) const;
    void render_exam_confirm(ScreenBuffer& buf) const;
    void render_exam_result(ScreenBuffer& buf) const;
    void render_dashboard(ScreenBuffer& buf) const;
    void render_browse(ScreenBuffer& buf) const;
    void render_card_detail(ScreenBuffer& buf) const;
    void render_help(ScreenBuffer& buf) const;
    void render_too_small(ScreenBuffer& buf) const;
    void header(ScreenBuffer& buf, const std::string& left, const std::string& right) const;
    void footer(ScreenBuffer& buf, const std::string& hints) const;

    const Exam* selected_exam() const;

    app::Services s_;
    TuiOptions options_;
    Screen screen_ = Screen::Home;
    bool done_ = false;
    bool help_ = false;
    std::string status_;

    // Home and dashboard
    int exam_index_ = 0;
    std::optional<app::Stats> stats_;

    // Study
    std::unique_ptr<app::StudySession> study_;
    std::vector<int> selected_;  // screen indices
    int cursor_ = 0;
    std::optional<app::Feedback> feedback_;
    std::optional<app::StudySummary> summary_;
    const Card* feedback_card_ = nullptr;
    OptionOrder feedback_order_;
    std::string study_exam_;

    // Exam
    std::unique_ptr<app::MockExamSession> exam_;
    int grid_cursor_ = 0;

    // Browse
    std::string query_;
    bool editing_query_ = true;
    std::vector<const Card*> results_;
    int result_cursor_ = 0;
    const Card* detail_ = nullptr;

    mutable int scroll_ = 0;
};

}  // namespace certdrill::tui
