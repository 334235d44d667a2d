#include "tui/router.hpp"

#include <algorithm>

#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

void render_too_small(ScreenBuffer& buf) {
    const int mid = buf.height() / 2;
    buf.put_centered(mid - 1, "Terminal too small", Style::Bold);
    buf.put_centered(mid, std::to_string(buf.width()) + "x" + std::to_string(buf.height()) + ", needs " +
                              std::to_string(kMinWidth) + "x" + std::to_string(kMinHeight));
    buf.put_centered(mid + 1, "Enlarge the window, or press q to quit");
}

}  // namespace

const Exam* selected_exam(const Nav& nav) {
    const auto& exams = nav.services().library.exams;
    if (exams.empty()) return nullptr;
    return &exams[static_cast<std::size_t>(std::clamp(nav.exam_index(), 0, static_cast<int>(exams.size()) - 1))];
}

Router::Router(app::Services services, TuiOptions options) : s_(std::move(services)), options_(std::move(options)) {
    for (const std::string* wanted : {&options_.study.exam_id, &options_.mock.exam_id})
        for (std::size_t i = 0; i < s_.library.exams.size(); ++i)
            if (!wanted->empty() && s_.library.exams[i].id == *wanted) exam_index_ = static_cast<int>(i);
    status_ = options_.notice;
    stack_.push_back(make_home(*this));
    const Exam* exam = selected_exam(*this);
    if (exam && options_.start == StartScreen::Study)
        if (auto view = make_study(*this, *exam)) replace(std::move(view));
    if (exam && options_.start == StartScreen::Exam) {
        if (auto view = make_exam(*this, *exam)) replace(std::move(view));
    } else if (options_.start == StartScreen::Home) {
        if (auto offer = make_resume_offer(*this)) push(std::move(offer));
    }
    apply_navigation();
}

Router::~Router() {
    try {
        shutdown();
    } catch (...) {
        // Reached while unwinding from a storage error: the answers are stored, and the error
        // that is already on its way out is the one to report.
    }
}

void Router::shutdown() {
    for (auto& view : stack_) view->shutdown();
}

Screen Router::screen() const { return stack_.back()->id(); }

void Router::set_exam_index(int index) {
    const int n = std::max(1, static_cast<int>(s_.library.exams.size()));
    exam_index_ = ((index % n) + n) % n;
}

void Router::replace(std::unique_ptr<View> view) {
    pending_ = Move::Replace;
    pending_view_ = std::move(view);
}

void Router::push(std::unique_ptr<View> view) {
    pending_ = Move::Push;
    pending_view_ = std::move(view);
}

void Router::pop() { pending_ = Move::Pop; }

void Router::home() { pending_ = Move::Home; }

// Navigation waits until the key is handled: a view may ask to be replaced from its own handler.
void Router::apply_navigation() {
    const Move move = pending_;
    pending_ = Move::None;
    std::unique_ptr<View> view = std::move(pending_view_);
    switch (move) {
        case Move::None:
            return;
        case Move::Replace:
            stack_.back() = std::move(view);
            break;
        case Move::Push:
            stack_.push_back(std::move(view));
            break;
        case Move::Pop:
            if (stack_.size() > 1) {
                stack_.pop_back();
                stack_.back()->on_return(*this);
            }
            break;
        case Move::Home:
            for (auto& v : stack_) v->shutdown();
            stack_.clear();
            stack_.push_back(make_home(*this));
            break;
    }
    apply_navigation();  // a view built just now may have asked for more
}

void Router::handle(int key) {
    // The deadline is checked on every key, not only on the timer's tick, so a late answer is
    // never taken.
    if (stack_.back()->deadline_passed()) {
        help_ = false;
        stack_.back()->on_deadline(*this);
        apply_navigation();
        status_ = "Time is up: the exam has been scored";
        return;
    }
    if (key == kResize) return;
    if (key != kTick) status_.clear();
    if (help_) {
        // Scroll keys scroll the help; any other key closes it.
        const int lines = help_doc(viewport_.width - 4).size();
        if (key != kTick && !help_scroll_.on_action(action_for(KeyContext::Help, key), lines,
                                                    help_rows(viewport_.height)))
            help_ = false;
        return;
    }
    if (!stack_.back()->takes_text() && action_for(KeyContext::Anywhere, key) == Action::Help) {
        help_ = true;
        help_scroll_.reset();
        return;
    }
    stack_.back()->on_key(key, *this);
    apply_navigation();
}

void Router::render(ScreenBuffer& buf) const {
    if (buf.width() < kMinWidth || buf.height() < kMinHeight) {
        render_too_small(buf);
        return;
    }
    stack_.back()->render(buf, Frame{status_, s_.clock()});
    if (help_) render_help(buf, help_scroll_.offset());
}

}  // namespace certdrill::tui
