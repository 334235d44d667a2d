#include "tui/controller.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "tui/doc.hpp"

namespace certdrill::tui {

namespace {

std::string pct(double fraction) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * fraction);
    return buf;
}

std::string clock_text(UnixMs ms) {
    long long s = std::max<long long>(0, ms / 1000);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

std::string date_text(UnixMs ms) { return format_iso8601(ms).substr(0, 10); }

bool is_letter(int key) { return (key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z'); }
int letter_index(int key) { return (key >= 'a' && key <= 'z') ? key - 'a' : key - 'A'; }

const char* kChoose[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight"};

std::string sparkline(const std::vector<int>& values) {
    static const char* kLevels[] = {" ",      "\u2581", "\u2582", "\u2583", "\u2584",
                                    "\u2585", "\u2586", "\u2587", "\u2588"};
    int max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::string out;
    for (int v : values) {
        int level = max == 0 ? 0 : static_cast<int>(std::ceil(8.0 * v / max));
        out += kLevels[std::clamp(level, 0, 8)];
    }
    return out;
}

// Labels the options of a question, with the selection marker and the cursor.
void add_options(Doc& doc, const Card& card, const OptionOrder& order, const std::vector<int>& selected, int cursor,
                 bool show_cursor, int& cursor_line) {
    const bool multi = card.type == CardType::Multi;
    for (std::size_t i = 0; i < order.order.size(); ++i) {
        const int screen = static_cast<int>(i);
        const bool on = std::find(selected.begin(), selected.end(), screen) != selected.end();
        std::string mark = multi ? (on ? "[x] " : "[ ] ") : (on ? "(\u2022) " : "( ) ");
        std::string prefix = std::string(show_cursor && cursor == screen ? "\u25b8 " : "  ") + mark +
                             static_cast<char>('A' + screen) + ") ";
        if (show_cursor && cursor == screen) cursor_line = doc.size();
        const Option& o = card.options[static_cast<std::size_t>(order.order[i])];
        doc.paragraph(o.text, on ? Style::Accent : Style::Normal, 1, prefix, on ? Style::Accent : Style::Normal);
    }
}

}  // namespace

Controller::Controller(app::Services services, TuiOptions options)
    : s_(std::move(services)), options_(std::move(options)) {
    if (!options_.study.exam_id.empty()) {
        for (std::size_t i = 0; i < s_.library.exams.size(); ++i)
            if (s_.library.exams[i].id == options_.study.exam_id) exam_index_ = static_cast<int>(i);
    }
    if (!options_.mock.exam_id.empty()) {
        for (std::size_t i = 0; i < s_.library.exams.size(); ++i)
            if (s_.library.exams[i].id == options_.mock.exam_id) exam_index_ = static_cast<int>(i);
    }
    status_ = options_.notice;
    switch (options_.start) {
        case StartScreen::Home:
            go_home();
            break;
        case StartScreen::Study:
            start_study();
            break;
        case StartScreen::Exam:
            start_exam();
            break;
    }
}

Controller::~Controller() {
    try {
        shutdown();
    } catch (...) {
        // Reached while unwinding from a storage error: the answers are stored, and the error
        // that is already on its way out is the one to report.
    }
}

void Controller::shutdown() {
    if (study_) study_->quit();
    study_.reset();
    exam_.reset();  // an unsubmitted attempt stays stored as abandoned, with every answer given
}

const Exam* Controller::selected_exam() const {
    if (s_.library.exams.empty()) return nullptr;
    return &s_.library.exams[static_cast<std::size_t>(
        std::clamp(exam_index_, 0, static_cast<int>(s_.library.exams.size()) - 1))];
}

// ---------------------------------------------------------------- navigation

void Controller::go_home() {
    stats_ = app::compute_stats(s_);
    screen_ = Screen::Home;
    scroll_ = 0;
}

void Controller::start_study() {
    const Exam* exam = selected_exam();
    if (!exam) return;
    app::StudyOptions so = options_.study;
    so.exam_id = exam->id;
    if (options_.study.exam_id != exam->id) so.domain.reset();
    so.seed = options_.study.seed + static_cast<std::uint64_t>(s_.clock());
    if (options_.start == StartScreen::Study) so.seed = options_.study.seed;
    study_ = std::make_unique<app::StudySession>(s_, so);
    study_exam_ = exam->id;
    summary_.reset();
    after_study_step();
}

void Controller::after_study_step() {
    selected_.clear();
    cursor_ = 0;
    scroll_ = 0;
    feedback_.reset();
    const app::ShownItem* item = study_ ? study_->current() : nullptr;
    if (!item) {
        summary_ = study_->summary();
        study_->quit();
        screen_ = Screen::StudySummary;
        return;
    }
    screen_ = item->card->is_question() ? Screen::StudyQuestion : Screen::FlashFront;
}

void Controller::start_exam() {
    const Exam* exam = selected_exam();
    if (!exam) return;
    app::MockOptions mo = options_.mock;
    if (mo.exam_id != exam->id) {
        mo.items.reset();
        mo.minutes.reset();
    }
    mo.exam_id = exam->id;
    try {
        exam_ = std::make_unique<app::MockExamSession>(s_, mo);
    } catch (const std::invalid_argument& e) {
        status_ = e.what();
        return;
    }
    selected_ = exam_->current().chosen;
    cursor_ = 0;
    scroll_ = 0;
    screen_ = Screen::ExamItem;
}

void Controller::open_dashboard() {
    stats_ = app::compute_stats(s_);
    screen_ = Screen::Dashboard;
    scroll_ = 0;
}

void Controller::open_browse() {
    screen_ = Screen::Browse;
    editing_query_ = true;
    run_search();
}

// ---------------------------------------------------------------- keys

void Controller::handle(int key) {
    // The deadline is checked on every key, not only on the timer's tick, so a late answer is
    // never taken.
    const bool in_exam = screen_ == Screen::ExamItem || screen_ == Screen::ExamGrid || screen_ == Screen::ExamConfirm;
    if (in_exam && exam_->time_up()) {
        help_ = false;
        finish_exam();
        status_ = "Time is up: the exam has been scored";
        return;
    }
    if (key == kResize) return;
    if (key != kTick) status_.clear();
    if (help_) {
        if (key != kTick) help_ = false;
        return;
    }
    if (key == '?' && !(screen_ == Screen::Browse && editing_query_)) {
        help_ = true;
        return;
    }
    switch (screen_) {
        case Screen::Home:
            on_home(key);
            break;
        case Screen::StudyQuestion:
            on_study_question(key);
            break;
        case Screen::StudyFeedback:
            on_study_feedback(key);
            break;
        case Screen::FlashFront:
        case Screen::FlashBack:
            on_flash(key);
            break;
        case Screen::StudySummary:
            on_study_summary(key);
            break;
        case Screen::ExamItem:
            on_exam_item(key);
            break;
        case Screen::ExamGrid:
            on_exam_grid(key);
            break;
        case Screen::ExamConfirm:
            on_exam_confirm(key);
            break;
        case Screen::ExamResult:
            on_exam_result(key);
            break;
        case Screen::Dashboard:
            on_dashboard(key);
            break;
        case Screen::Browse:
            on_browse(key);
            break;
        case Screen::CardDetail:
            on_card_detail(key);
            break;
    }
}

void Controller::scroll_keys(int key) {
    if (key == kDown || key == 'j')
        ++scroll_;
    else if (key == kUp || key == 'k')
        scroll_ = std::max(0, scroll_ - 1);
    else if (key == kPageDown || key == kSpace)
        scroll_ += 10;
    else if (key == kPageUp)
        scroll_ = std::max(0, scroll_ - 10);
    else if (key == kHome)
        scroll_ = 0;
}

void Controller::on_home(int key) {
    const int n = static_cast<int>(s_.library.exams.size());
    if (key == kUp || key == 'k')
        exam_index_ = (exam_index_ + n - 1) % std::max(n, 1);
    else if (key == kDown || key == 'j')
        exam_index_ = (exam_index_ + 1) % std::max(n, 1);
    else if (key == 's' || key == kEnter)
        start_study();
    else if (key == 'e')
        start_exam();
    else if (key == 'd')
        open_dashboard();
    else if (key == 'b')
        open_browse();
    else if (key == 'q' || key == kEscape)
        done_ = true;
}

// Letters select options (toggle for multi); arrows and j/k move; space toggles the cursor's.
bool Controller::on_selection_key(int key, const Card& card, const OptionOrder& order, bool allow_flag_letter) {
    const int count = static_cast<int>(order.order.size());
    auto toggle = [&](int index) {
        auto it = std::find(selected_.begin(), selected_.end(), index);
        if (card.type == CardType::Multi) {
            if (it != selected_.end())
                selected_.erase(it);
            else
                selected_.push_back(index);
            std::sort(selected_.begin(), selected_.end());
        } else {
            selected_ = {index};
        }
        cursor_ = index;
    };
    if (is_letter(key) && letter_index(key) < count &&
        (allow_flag_letter || (key != 'f' && key != 'F') || count >= 6)) {
        toggle(letter_index(key));
        return true;
    }
    if (key == kUp || key == 'k') {
        cursor_ = (cursor_ + count - 1) % count;
        return true;
    }
    if (key == kDown || key == 'j') {
        cursor_ = (cursor_ + 1) % count;
        return true;
    }
    if (key == kSpace) {
        toggle(cursor_);
        return true;
    }
    return false;
}

// Keys shared by every study screen: undo, flag, suspend and ending the session.
bool Controller::on_study_action(int key, bool flag_with_f) {
    if (key == 'u') {
        if (study_->undo()) {
            status_ = "Last answer undone";
            after_study_step();
        } else {
            status_ = study_->notices().empty() ? "Nothing to undo" : study_->notices().back();
        }
    } else if ((key == 'f' && flag_with_f) || key == '!') {
        study_->toggle_flag();
        status_ = study_->current()->flagged ? "Flagged for later" : "Flag removed";
    } else if (key == 's') {
        study_->suspend();
        status_ = "Suspended: the card will not be shown until unsuspended in Browse";
        after_study_step();
    } else if (key == 'q' || key == kEscape) {
        study_->quit();
        after_study_step();
    } else {
        return false;
    }
    return true;
}

// The summary and result screens: Enter goes home, q quits, other keys scroll.
void Controller::on_closing_screen(int key) {
    if (key == kEnter || key == kEscape || key == 'h' || key == 'q') {
        study_.reset();
        exam_.reset();
        if (key == 'q')
            done_ = true;
        else
            go_home();
    } else {
        scroll_keys(key);
    }
}

void Controller::on_study_question(int key) {
    const app::ShownItem& item = *study_->current();
    const Card& card = *item.card;
    if (on_selection_key(key, card, item.order, false)) return;
    if (key == kEnter) {
        if (static_cast<int>(selected_.size()) != card.choose) {
            status_ = card.type == CardType::Multi
                          ? std::string("Choose ") + kChoose[std::clamp(card.choose, 0, 8)] + " options"
                          : "Select an option first";
            return;
        }
        feedback_card_ = &card;
        feedback_order_ = item.order;
        feedback_ = study_->answer(selected_);
        screen_ = Screen::StudyFeedback;
        scroll_ = 0;
    } else {
        // On items with an option F the letter selects it; ! flags instead.
        on_study_action(key, card.options.size() < 6);
    }
}

void Controller::on_study_feedback(int key) {
    if (key == kEnter || key == kSpace || key == 'n') {
        study_->advance();
        after_study_step();
    } else if (key == 'g') {
        if (auto f = study_->mark_guess()) {
            feedback_ = f;
            status_ = "Marked as a guess: it will come back sooner";
        } else {
            status_ =
                feedback_ && feedback_->correct ? "Already marked as a guess" : "Only a right answer can be a guess";
        }
    } else if (!on_study_action(key, true)) {
        scroll_keys(key);
    }
}

void Controller::on_flash(int key) {
    if (screen_ == Screen::FlashFront && (key == kSpace || key == kEnter)) {
        screen_ = Screen::FlashBack;
        return;
    }
    if (screen_ == Screen::FlashBack && key >= '1' && key <= '4') {
        study_->grade_flashcard(static_cast<fsrs::Rating>(key - '0'));
        after_study_step();
        return;
    }
    on_study_action(key, true);
}

void Controller::on_study_summary(int key) { on_closing_screen(key); }

void Controller::on_exam_item(int key) {
    if (key == kTick) return;  // handle() has checked the deadline
    const app::MockItem& item = exam_->current();
    const bool revisit = exam_->can_revisit();
    if (on_selection_key(key, *item.card, item.order, false)) {
        // Linear exams keep every change at once (an incomplete selection withdraws the
        // answer); adaptive ones commit on Enter.
        if (revisit && static_cast<int>(selected_.size()) == item.card->choose)
            exam_->answer(selected_);
        else if (revisit)
            exam_->clear_answer();
        return;
    }
    auto show = [&] {
        selected_ = exam_->current().chosen;
        cursor_ = 0;
        scroll_ = 0;
    };
    if (key == kEnter) {
        if (static_cast<int>(selected_.size()) != item.card->choose) {
            status_ = item.card->type == CardType::Multi
                          ? std::string("Choose ") + kChoose[std::clamp(item.card->choose, 0, 8)] + " options"
                          : "Select an option first";
            return;
        }
        const int before = exam_->position();
        exam_->answer(selected_);
        if (exam_->position() == before) {
            if (before + 1 < exam_->size())
                exam_->next();
            else
                screen_ = revisit ? Screen::ExamGrid : Screen::ExamConfirm;
        }
        show();
    } else if (revisit && (key == kRight || key == 'n')) {
        exam_->next();
        show();
    } else if (revisit && (key == kLeft || key == 'p')) {
        exam_->previous();
        show();
    } else if (key == 'f' || key == '!') {
        if (!revisit) {
            status_ = "This exam does not allow returning to items";
            return;
        }
        exam_->toggle_flag();
        status_ = exam_->current().flagged ? "Flagged for review" : "Flag removed";
    } else if (key == 'g' && revisit) {
        grid_cursor_ = exam_->position();
        screen_ = Screen::ExamGrid;
    } else if (key == 'S' || (key == 'q' || key == kEscape)) {
        screen_ = Screen::ExamConfirm;
    }
}

void Controller::on_exam_grid(int key) {
    if (key == kTick) return;  // handle() has checked the deadline
    const int n = exam_->size();
    constexpr int kPerRow = 10;
    if (key == kRight || key == 'l')
        grid_cursor_ = std::min(n - 1, grid_cursor_ + 1);
    else if (key == kLeft || key == 'h')
        grid_cursor_ = std::max(0, grid_cursor_ - 1);
    else if (key == kDown || key == 'j')
        grid_cursor_ = std::min(n - 1, grid_cursor_ + kPerRow);
    else if (key == kUp || key == 'k')
        grid_cursor_ = std::max(0, grid_cursor_ - kPerRow);
    else if (key == kEnter) {
        exam_->go_to(grid_cursor_);
        selected_ = exam_->current().chosen;
        cursor_ = 0;
        screen_ = Screen::ExamItem;
    } else if (key == 'S' || key == 'q') {
        screen_ = Screen::ExamConfirm;
    } else if (key == kEscape || key == 'g') {
        screen_ = Screen::ExamItem;
    }
}

void Controller::on_exam_confirm(int key) {
    if (key == kTick) return;  // handle() has checked the deadline
    if (key == 'y' || key == 'Y')
        finish_exam();
    else if (key == 'n' || key == 'N' || key == kEscape)
        screen_ = Screen::ExamItem;
}

void Controller::finish_exam() {
    exam_->submit();
    screen_ = Screen::ExamResult;
    scroll_ = 0;
}

void Controller::on_exam_result(int key) { on_closing_screen(key); }

void Controller::on_dashboard(int key) {
    const int n = static_cast<int>(s_.library.exams.size());
    if (key == kTab || key == kRight || key == 'l') {
        exam_index_ = (exam_index_ + 1) % std::max(n, 1);
        scroll_ = 0;
    } else if (key == kLeft || key == 'h') {
        exam_index_ = (exam_index_ + n - 1) % std::max(n, 1);
        scroll_ = 0;
    } else if (key == kEscape || key == 'q') {
        go_home();
    } else {
        scroll_keys(key);
    }
}

void Controller::run_search() {
    results_.clear();
    // Terms: free words match the text; domain:ID, topic:ID, flagged, suspended, state:NAME filter.
    std::vector<std::string> words;
    std::string word;
    for (char c : query_ + " ") {
        if (c == ' ') {
            if (!word.empty()) words.push_back(text::lower(word));
            word.clear();
        } else {
            word += c;
        }
    }
    const Exam* exam = selected_exam();
    for (const auto& card : s_.library.cards) {
        if (exam && card.exam_id != exam->id) continue;
        std::optional<store::CardRecord> record;
        bool need_record = std::any_of(words.begin(), words.end(), [](const std::string& w) {
            return w == "flagged" || w == "suspended" || w.rfind("state:", 0) == 0;
        });
        if (need_record) record = s_.store.card(card.id);
        const std::string haystack =
            text::lower(card.id + " " + card.stem + " " + card.front + " " + card.back + " " + card.explanation);
        bool keep = true;
        for (const auto& w : words) {
            if (w.rfind("domain:", 0) == 0)
                keep = keep && card.domain_id == w.substr(7);
            else if (w.rfind("topic:", 0) == 0)
                keep = keep && std::any_of(card.topics.begin(), card.topics.end(),
                                           [&](const std::string& t) { return text::lower(t) == w.substr(6); });
            else if (w == "flagged")
                keep = keep && record && record->flagged;
            else if (w == "suspended")
                keep = keep && record && record->suspended;
            else if (w.rfind("state:", 0) == 0) {
                std::string state = record ? fsrs::to_string(record->memory.state) : "new";
                keep = keep && state == w.substr(6);
            } else
                keep = keep && haystack.find(w) != std::string::npos;
            if (!keep) break;
        }
        if (keep) results_.push_back(&card);
    }
    result_cursor_ = std::clamp(result_cursor_, 0, std::max(0, static_cast<int>(results_.size()) - 1));
}

void Controller::on_browse(int key) {
    if (editing_query_) {
        if (key == kEnter || key == kDown || key == kTab) {
            editing_query_ = false;
        } else if (key == kEscape) {
            if (query_.empty())
                go_home();
            else {
                query_.clear();
                run_search();
            }
        } else if (key == kBackspace) {
            if (!query_.empty()) {
                // Remove one whole UTF-8 character.
                do query_.pop_back();
                while (!query_.empty() && (static_cast<unsigned char>(query_.back()) & 0xC0) == 0x80);
            }
            run_search();
        } else if (key >= 32 && key < 0x110000 && key != kTick) {
            text::append_utf8(query_, static_cast<char32_t>(key));
            run_search();
        }
        return;
    }
    const int n = static_cast<int>(results_.size());
    if (key == kDown || key == 'j')
        result_cursor_ = std::max(0, std::min(n - 1, result_cursor_ + 1));
    else if (key == kUp || key == 'k') {
        if (result_cursor_ == 0)
            editing_query_ = true;
        else
            --result_cursor_;
    } else if (key == kPageDown)
        result_cursor_ = std::max(0, std::min(n - 1, result_cursor_ + 10));
    else if (key == kPageUp)
        result_cursor_ = std::max(0, result_cursor_ - 10);
    else if (key == '/')
        editing_query_ = true;
    else if (key == kTab || key == kRight) {
        exam_index_ = (exam_index_ + 1) % std::max(1, static_cast<int>(s_.library.exams.size()));
        run_search();
    } else if (key == kEnter && n > 0) {
        detail_ = results_.at(static_cast<std::size_t>(std::clamp(result_cursor_, 0, n - 1)));
        screen_ = Screen::CardDetail;
        scroll_ = 0;
    } else if (key == kEscape || key == 'q')
        go_home();
}

void Controller::on_card_detail(int key) {
    if (key == 'f' || key == 's') {
        auto record = s_.store.card(detail_->id);
        const UnixMs now = s_.clock();
        if (key == 'f') {
            bool flag = !(record && record->flagged);
            s_.store.set_flagged(detail_->id, flag, now);
            status_ = flag ? "Flagged" : "Flag removed";
        } else {
            bool suspend = !(record && record->suspended);
            s_.store.set_suspended(detail_->id, suspend, now);
            status_ = suspend ? "Suspended" : "Unsuspended: the card returns to study";
        }
        run_search();
    } else if (key == kEscape || key == 'q' || key == kBackspace) {
        screen_ = Screen::Browse;
    } else {
        scroll_keys(key);
    }
}

// ---------------------------------------------------------------- rendering

void Controller::header(ScreenBuffer& buf, const std::string& raw_left, const std::string& raw_right) const {
    const std::string left = text::sanitize(raw_left), right = text::sanitize(raw_right);
    buf.fill_row(0, Style::Title);
    buf.put(0, 1, text::fit(left, buf.width() - text::display_width(right) - 3), Style::Title);
    buf.put(0, buf.width() - text::display_width(right) - 1, right, Style::Title);
}

void Controller::footer(ScreenBuffer& buf, const std::string& hints) const {
    const int row = buf.height() - 1;
    buf.fill_row(row, Style::Reverse);
    if (!status_.empty())
        buf.put(row, 1, text::fit(status_, buf.width() - 2), Style::Reverse);
    else
        buf.put(row, 1, text::fit(hints, buf.width() - 2), Style::Reverse);
}

void Controller::render(ScreenBuffer& buf) const {
    if (buf.width() < kMinWidth || buf.height() < kMinHeight) {
        render_too_small(buf);
        return;
    }
    switch (screen_) {
        case Screen::Home:
            render_home(buf);
            break;
        case Screen::StudyQuestion:
            render_question(buf, false);
            break;
        case Screen::StudyFeedback:
            render_feedback(buf);
            break;
        case Screen::FlashFront:
        case Screen::FlashBack:
            render_flash(buf);
            break;
        case Screen::StudySummary:
            render_study_summary(buf);
            break;
        case Screen::ExamItem:
            render_question(buf, true);
            break;
        case Screen::ExamGrid:
            render_exam_grid(buf);
            break;
        case Screen::ExamConfirm:
            render_exam_confirm(buf);
            break;
        case Screen::ExamResult:
            render_exam_result(buf);
            break;
        case Screen::Dashboard:
            render_dashboard(buf);
            break;
        case Screen::Browse:
            render_browse(buf);
            break;
        case Screen::CardDetail:
            render_card_detail(buf);
            break;
    }
    if (help_) render_help(buf);
}

void Controller::render_too_small(ScreenBuffer& buf) const {
    const int mid = buf.height() / 2;
    buf.put_centered(mid - 1, "Terminal too small", Style::Bold);
    buf.put_centered(mid, std::to_string(buf.width()) + "x" + std::to_string(buf.height()) + ", needs " +
                              std::to_string(kMinWidth) + "x" + std::to_string(kMinHeight));
    buf.put_centered(mid + 1, "Enlarge the window, or press q to quit");
}

void Controller::render_home(ScreenBuffer& buf) const {
    header(buf, "certdrill", "security exam trainer");
    Doc doc(buf.width() - 2);
    doc.blank();
    doc.line("Exams", Style::Bold);
    for (std::size_t i = 0; i < s_.library.exams.size(); ++i) {
        const Exam& e = s_.library.exams[i];
        const app::ExamStats* st = nullptr;
        if (stats_)
            for (const auto& x : stats_->exams)
                if (x.id == e.id) st = &x;
        const bool sel = static_cast<int>(i) == exam_index_;
        char figures[128] = "";
        if (st)
            std::snprintf(figures, sizeof figures, "ready %3.0f%% (pass %2.0f%%)  due %3zu  new %4zu",
                          100 * st->readiness, 100 * st->passing, st->due_now, st->new_cards);
        std::string name = text::fit(e.short_name + "  " + e.name, doc.width() - 48);
        doc.line({{sel ? " \u25b8 " : "   ", sel ? Style::Accent : Style::Normal},
                  {name, sel ? Style::Bold : Style::Normal},
                  {std::string(" ") + figures, sel ? Style::Accent : Style::Dim}});
    }
    doc.blank();
    if (const Exam* e = selected_exam()) {
        doc.line("Format: " + std::to_string(e->format.items_max) + " items, " + std::to_string(e->format.minutes) +
                     " minutes, " + (e->format.adaptive ? "adaptive (no going back)" : "linear (review allowed)") +
                     (e->format.open_book ? ", open book" : ""),
                 Style::Dim);
        if (!e->outline.confirmed) doc.line("Outline values marked unconfirmed: see the blueprint notes.", Style::Dim);
    }
    doc.blank();
    doc.line("Actions", Style::Bold);
    doc.line({{"   s", Style::Accent},
              {"  study (Enter)     ", Style::Normal},
              {"e", Style::Accent},
              {"  mock exam     ", Style::Normal},
              {"d", Style::Accent},
              {"  dashboard     ", Style::Normal},
              {"b", Style::Accent},
              {"  browse", Style::Normal}});
    if (stats_) {
        doc.blank();
        doc.line("Reviews today: " + std::to_string(stats_->reviews_today) + "    streak: " +
                     std::to_string(stats_->streak_days) + (stats_->streak_days == 1 ? " day" : " days"),
                 Style::Dim);
    }
    blit(buf, doc, 1, buf.height() - 2, 0, 1);
    footer(buf, "\u2191\u2193 exam  s study  e mock exam  d dashboard  b browse  ? help  q quit");
}

void Controller::render_question(ScreenBuffer& buf, bool exam_mode) const {
    const Exam* exam = nullptr;
    const Card* card = nullptr;
    const OptionOrder* order = nullptr;
    std::string progress, right;
    bool flagged = false;
    if (exam_mode) {
        exam = &exam_->exam();
        const app::MockItem& item = exam_->current();
        card = item.card;
        order = &item.order;
        flagged = item.flagged;
        progress = "Item " + std::to_string(exam_->position() + 1) + " of " + std::to_string(exam_->size());
        right = "\u23f1 " + clock_text(exam_->remaining(s_.clock()));
    } else {
        exam = &study_->exam();
        const app::ShownItem& item = *study_->current();
        card = item.card;
        order = &item.order;
        flagged = item.flagged;
        progress = std::to_string(item.number) + " of " + std::to_string(item.planned);
        right = bar(static_cast<double>(item.number - 1) / std::max(1, item.planned), 10) + " " + progress;
    }
    header(buf, exam->short_name + (exam_mode ? " \u00b7 mock exam \u00b7 " + progress : " \u00b7 study"), right);
    const Domain* d = exam->domain(card->domain_id);
    std::string topic;
    for (const auto& t : card->topics)
        if (t != "scenario") {
            topic = " \u00b7 " + t;
            break;
        }
    std::string kind;
    if (!exam_mode) kind = std::string(" \u00b7 ") + to_string(study_->current()->kind);
    buf.put(1, 1,
            text::fit(card->domain_id + " " + (d ? d->name : "") + topic + kind + (flagged ? "  \u2691 flagged" : ""),
                      buf.width() - 2),
            Style::Dim);
    Doc doc(buf.width() - 4);
    doc.paragraph(card->stem, Style::Bold);
    if (card->type == CardType::Multi)
        doc.line(std::string("Choose ") + kChoose[std::clamp(card->choose, 0, 8)] + ".", Style::Warn);
    doc.blank();
    int cursor_line = 0;
    add_options(doc, *card, *order, selected_, cursor_, true, cursor_line);
    const int rows = buf.height() - 4;
    int scroll = std::max(0, cursor_line - rows + 2);
    blit(buf, doc, 3, rows, scroll, 2);
    std::string hints = std::string("A-") + static_cast<char>('A' + order->order.size() - 1) +
                        (card->type == CardType::Multi ? " toggle" : " select") + "  \u2191\u2193 move  Enter " +
                        (exam_mode ? "answer" : "submit");
    if (exam_mode) {
        hints += exam_->can_revisit() ? "  \u2190\u2192 prev/next  f flag  g review grid  S submit" : "  S submit";
    } else {
        hints += "  f flag  s suspend  u undo  ? help  q end";
    }
    footer(buf, hints);
}

void Controller::render_feedback(ScreenBuffer& buf) const {
    const Card& card = *feedback_card_;
    const app::Feedback& f = *feedback_;
    const Exam& exam = study_->exam();
    header(buf, exam.short_name + " \u00b7 study", f.correct ? "correct" : "incorrect");
    Doc doc(buf.width() - 4);
    if (f.correct)
        doc.line(f.guessed ? "\u2714 Correct (marked as a guess)" : "\u2714 Correct", Style::Good);
    else {
        std::string right;
        for (int i : f.correct_screen) right += static_cast<char>('A' + i);
        doc.line("\u2718 Incorrect: the answer is " + right, Style::Bad);
    }
    doc.blank();
    doc.paragraph(card.stem, Style::Bold);
    doc.blank();
    for (std::size_t i = 0; i < feedback_order_.order.size(); ++i) {
        const int screen = static_cast<int>(i);
        const Option& o = card.options[static_cast<std::size_t>(feedback_order_.order[i])];
        const bool chosen = std::find(f.chosen.begin(), f.chosen.end(), screen) != f.chosen.end();
        std::string mark = o.correct ? "\u2714 " : chosen ? "\u2718 " : "  ";
        Style style = o.correct ? Style::Good : chosen ? Style::Bad : Style::Normal;
        doc.paragraph(o.text, style, 0, mark + static_cast<char>('A' + screen) + ") ", style);
        if (!o.reason.empty()) doc.paragraph(o.reason, chosen && !o.correct ? Style::Normal : Style::Dim, 7);
    }
    if (!card.explanation.empty()) {
        doc.blank();
        doc.line("Explanation", Style::Bold);
        doc.paragraph(card.explanation);
    }
    if (!card.references.empty()) {
        std::string refs;
        for (const auto& r : card.references) refs += (refs.empty() ? "" : "; ") + r;
        doc.blank();
        doc.paragraph("References: " + refs, Style::Dim);
    }
    doc.blank();
    doc.line("Next review in " + f.next_interval, Style::Dim);
    scroll_ = blit(buf, doc, 2, buf.height() - 3, scroll_, 2);
    footer(buf, std::string("Enter next  ") + (f.correct && !f.guessed ? "g it was a guess  " : "") +
                    "\u2191\u2193 scroll  f flag  u undo  q end");
}

void Controller::render_flash(ScreenBuffer& buf) const {
    const app::ShownItem& item = *study_->current();
    const Card& card = *item.card;
    const Exam& exam = study_->exam();
    header(buf, exam.short_name + " \u00b7 study \u00b7 flashcard",
           bar(static_cast<double>(item.number - 1) / std::max(1, item.planned), 10) + " " +
               std::to_string(item.number) + " of " + std::to_string(item.planned));
    const Domain* d = exam.domain(card.domain_id);
    buf.put(1, 1,
            text::fit(card.domain_id + " " + (d ? d->name : "") + (item.flagged ? "  \u2691 flagged" : ""),
                      buf.width() - 2),
            Style::Dim);
    Doc doc(buf.width() - 4);
    doc.blank();
    doc.paragraph(card.front, Style::Bold);
    doc.blank();
    if (screen_ == Screen::FlashBack) {
        doc.line(std::string(static_cast<std::size_t>(std::min(40, doc.width())), '-'), Style::Dim);
        doc.paragraph(card.back);
        doc.blank();
        const char* names[] = {"Again", "Hard", "Good", "Easy"};
        std::vector<Span> grades;
        for (int i = 0; i < 4; ++i) {
            grades.push_back({std::to_string(i + 1), Style::Accent});
            grades.push_back(
                {std::string(" ") + names[i] + " " + item.grade_intervals[static_cast<std::size_t>(i)] + "    ",
                 Style::Normal});
        }
        doc.line(std::move(grades));
    } else {
        doc.line("Space shows the answer", Style::Dim);
    }
    blit(buf, doc, 2, buf.height() - 3, 0, 2);
    footer(buf, screen_ == Screen::FlashBack ? "1 Again  2 Hard  3 Good  4 Easy  f flag  s suspend  u undo  q end"
                                             : "Space show answer  f flag  s suspend  u undo  ? help  q end");
}

void Controller::render_study_summary(ScreenBuffer& buf) const {
    const app::StudySummary& s = *summary_;
    const Exam* exam = s_.library.exam(study_exam_);
    header(buf, (exam ? exam->short_name : std::string()) + " \u00b7 session summary", clock_text(s.elapsed));
    Doc doc(buf.width() - 4);
    if (s.answered == 0 && s.ran_out) {
        doc.line("Nothing to study right now: no reviews are due and today's new cards are done.", Style::Bold);
        doc.blank();
    }
    doc.line("Answered " + std::to_string(s.answered) +
                 (s.answered ? ", correct " + std::to_string(s.correct) + " (" +
                                   pct(static_cast<double>(s.correct) / s.answered) + ")"
                             : std::string()),
             Style::Bold);
    doc.line("Time " + clock_text(s.elapsed));
    doc.blank();
    if (exam) {
        for (const auto& d : exam->domains) {
            auto it = s.by_domain.find(d.id);
            if (it == s.by_domain.end()) continue;
            double frac = it->second.answered ? static_cast<double>(it->second.correct) / it->second.answered : 0;
            doc.line({{text::fit(d.id + " " + d.name, 44), Style::Normal},
                      {" " + bar(frac, 20) + " ", frac >= 0.7 ? Style::Good : Style::Bad},
                      {std::to_string(it->second.correct) + "/" + std::to_string(it->second.answered), Style::Normal}});
        }
    }
    doc.blank();
    std::string next = "Due tomorrow: " + std::to_string(s.due_tomorrow) +
                       "   new cards left today: " + std::to_string(s.new_remaining_today);
    if (s.next_learning) next += "   next learning step in " + app::format_interval(*s.next_learning - s_.clock());
    doc.line(next, Style::Dim);
    if (!s.missed.empty()) {
        doc.blank();
        doc.line("Missed items (read them again)", Style::Bold);
        for (const Card* c : s.missed) {
            doc.blank();
            doc.paragraph(c->stem, Style::Normal, 0, "\u2022 ");
            std::string right;
            for (const auto& o : c->options)
                if (o.correct) right += (right.empty() ? "" : " / ") + o.text;
            doc.paragraph("Answer: " + right, Style::Good, 2);
            if (!c->explanation.empty()) doc.paragraph(c->explanation, Style::Dim, 2);
        }
    }
    scroll_ = blit(buf, doc, 2, buf.height() - 3, scroll_, 2);
    footer(buf, "Enter home  \u2191\u2193 scroll  q quit");
}

void Controller::render_exam_grid(ScreenBuffer& buf) const {
    header(buf, exam_->exam().short_name + " \u00b7 review grid", "\u23f1 " + clock_text(exam_->remaining(s_.clock())));
    buf.put(2, 2, std::to_string(exam_->answered_count()) + " of " + std::to_string(exam_->size()) + " answered",
            Style::Bold);
    buf.put(3, 2, "\u25a0 answered   \u25a1 unanswered   \u2691 flagged", Style::Dim);
    constexpr int kPerRow = 10;
    const int rows_available = buf.height() - 7;
    const int first_row = std::max(0, grid_cursor_ / kPerRow - rows_available + 1);
    for (int i = first_row * kPerRow; i < exam_->size(); ++i) {
        const int r = i / kPerRow - first_row;
        if (r >= rows_available) break;
        const app::MockItem& it = exam_->item(i);
        char cell[32];
        std::snprintf(cell, sizeof cell, "%3d%s%s", i + 1, it.chosen.empty() ? "\u25a1" : "\u25a0",
                      it.flagged ? "\u2691" : " ");
        Style st = i == grid_cursor_   ? Style::Reverse
                   : it.flagged        ? Style::Warn
                   : it.chosen.empty() ? Style::Dim
                                       : Style::Normal;
        buf.put(5 + r, 2 + (i % kPerRow) * 7, cell, st);
    }
    footer(buf, "arrows move  Enter open item  g/Esc back  S submit");
}

void Controller::render_exam_confirm(ScreenBuffer& buf) const {
    header(buf, exam_->exam().short_name + " \u00b7 submit", "\u23f1 " + clock_text(exam_->remaining(s_.clock())));
    int unanswered = exam_->size() - exam_->answered_count();
    int flagged = 0;
    for (int i = 0; i < exam_->size(); ++i) flagged += exam_->item(i).flagged ? 1 : 0;
    const int mid = buf.height() / 2;
    buf.put_centered(mid - 2, "Submit the exam now?", Style::Bold);
    buf.put_centered(mid, std::to_string(unanswered) + " unanswered, " + std::to_string(flagged) + " flagged");
    if (unanswered) buf.put_centered(mid + 1, "Unanswered items count as wrong.", Style::Warn);
    footer(buf, "y submit  n keep going");
}

void Controller::render_exam_result(ScreenBuffer& buf) const {
    const app::MockResult& r = *exam_->result();
    const Exam& exam = exam_->exam();
    header(buf, exam.short_name + " \u00b7 mock exam result", r.score.passed ? "PASS" : "FAIL");
    Doc doc(buf.width() - 4);
    char line[160];
    std::snprintf(line, sizeof line, "Score %.1f%%  (%d of %d correct, %d answered)", r.score.percent, r.score.correct,
                  r.score.items, r.score.answered);
    doc.line(line, Style::Bold);
    if (r.score.scaled)
        doc.line("Scaled " + std::to_string(*r.score.scaled) + " of " + std::to_string(*exam.format.scale_max) +
                     ", pass mark " + std::to_string(*exam.format.passing_score) + " (approximate mapping)",
                 Style::Normal);
    std::snprintf(line, sizeof line, "%s: pass mark %.0f%%", r.score.passed ? "PASS" : "FAIL",
                  exam.format.passing_percent);
    doc.line(line, r.score.passed ? Style::Good : Style::Bad);
    doc.line("Time used " + clock_text(r.duration) + (r.timed_out ? " (time ran out)" : ""), Style::Dim);
    doc.blank();
    for (const auto& d : exam.domains) {
        const auto& ds = r.score.domains.at(d.id);
        if (!ds.items) continue;
        double frac = ds.percent() / 100.0;
        doc.line(
            {{text::fit(d.id + " " + d.name, 44), Style::Normal},
             {" " + bar(frac, 20) + " ", frac * 100 >= exam.format.passing_percent ? Style::Good : Style::Bad},
             {pct(frac) + " (" + std::to_string(ds.correct) + "/" + std::to_string(ds.items) + ")", Style::Normal}});
    }
    if (!r.missed.empty()) {
        doc.blank();
        doc.line("Missed items", Style::Bold);
        for (int i : r.missed) {
            const app::MockItem& it = exam_->item(i);
            doc.blank();
            doc.paragraph(it.card->stem, Style::Normal, 0, std::to_string(i + 1) + ". ");
            std::string yours, right;
            for (int s : it.chosen) yours += static_cast<char>('A' + s);
            for (int f : correct_indices(*it.card)) right += it.order.letter_of(f);
            std::sort(right.begin(), right.end());
            doc.line("   your answer " + (yours.empty() ? std::string("none") : yours) + ", right " + right,
                     yours.empty() ? Style::Warn : Style::Bad);
            for (std::size_t k = 0; k < it.order.order.size(); ++k) {
                const Option& o = it.card->options[static_cast<std::size_t>(it.order.order[k])];
                if (o.correct) doc.paragraph(o.text, Style::Good, 3, std::string(1, static_cast<char>('A' + k)) + ") ");
            }
            if (!it.card->explanation.empty()) doc.paragraph(it.card->explanation, Style::Dim, 3);
        }
    }
    scroll_ = blit(buf, doc, 2, buf.height() - 3, scroll_, 2);
    footer(buf, "\u2191\u2193 scroll  Enter home  q quit");
}

void Controller::render_dashboard(ScreenBuffer& buf) const {
    const Exam* exam = selected_exam();
    const app::ExamStats* st = nullptr;
    if (stats_ && exam)
        for (const auto& x : stats_->exams)
            if (x.id == exam->id) st = &x;
    header(buf, "Dashboard \u00b7 " + (exam ? exam->short_name : std::string()), "Tab next exam");
    Doc doc(buf.width() - 4);
    if (!st) {
        doc.line("No figures yet.");
    } else {
        doc.line({{"Readiness ", Style::Bold},
                  {bar(st->readiness, 30) + " ", st->readiness >= st->passing ? Style::Good : Style::Bad},
                  {pct(st->readiness) + "  pass mark " + pct(st->passing) +
                       (st->readiness_scaled ? "  (~" + std::to_string(*st->readiness_scaled) + " scaled)" : ""),
                   Style::Normal}});
        doc.line("cards " + std::to_string(st->cards) + "  seen " + std::to_string(st->seen) + "  due now " +
                     std::to_string(st->due_now) + "  reviews " + std::to_string(st->reviews) + "  streak " +
                     std::to_string(stats_->streak_days) + "d",
                 Style::Dim);
        doc.blank();
        doc.line("Domains (weight, mastery)", Style::Bold);
        for (const auto& d : st->domains) {
            char w[16];
            std::snprintf(w, sizeof w, "%4.0f%% ", d.weight);
            doc.line({{text::fit(d.id + " " + d.name, 40), Style::Normal},
                      {std::string(" ") + w, Style::Dim},
                      {bar(d.figures.mastery, 20) + " ", d.figures.mastery >= st->passing ? Style::Good : Style::Bad},
                      {pct(d.figures.mastery) + (d.figures.due_now ? "  due " + std::to_string(d.figures.due_now) : ""),
                       Style::Normal}});
        }
        if (!st->weakest_topics.empty()) {
            doc.blank();
            doc.line("Weakest topics", Style::Bold);
            for (const auto& t : st->weakest_topics)
                doc.line({{text::fit(t.id + " " + t.name, 56), Style::Normal},
                          {" " + pct(t.figures.mastery) + " over " + std::to_string(t.figures.reviews) +
                               (t.figures.reviews == 1 ? " answer" : " answers"),
                           Style::Dim}});
        }
        doc.blank();
        doc.line({{"Reviews, last 30 days  ", Style::Bold},
                  {sparkline(stats_->reviews_per_day), Style::Accent},
                  {"  today " + std::to_string(stats_->reviews_today), Style::Dim}});
        int due_total = 0;
        for (int v : stats_->due_per_day) due_total += v;
        doc.line({{"Due, next 30 days      ", Style::Bold},
                  {sparkline(stats_->due_per_day), Style::Warn},
                  {"  total " + std::to_string(due_total), Style::Dim}});
        doc.blank();
        doc.line("Mock exams", Style::Bold);
        if (st->attempts.empty()) doc.line("none yet: press e on the home screen", Style::Dim);
        for (auto it = st->attempts.rbegin(); it != st->attempts.rend(); ++it) {
            char row[160];
            std::snprintf(row, sizeof row, "%s  %3d items  %5.1f%%%s  %s  %s", date_text(it->at).c_str(), it->items,
                          it->percent, it->scaled ? (" (" + std::to_string(*it->scaled) + ")").c_str() : "",
                          it->passed ? "pass" : "fail", clock_text(it->duration).c_str());
            doc.line(row, it->passed ? Style::Good : Style::Bad);
        }
    }
    scroll_ = blit(buf, doc, 2, buf.height() - 3, scroll_, 2);
    footer(buf, "Tab/\u2190\u2192 exam  \u2191\u2193 scroll  Esc home  ? help");
}

void Controller::render_browse(ScreenBuffer& buf) const {
    const Exam* exam = selected_exam();
    header(buf, "Browse \u00b7 " + (exam ? exam->short_name : std::string()),
           std::to_string(results_.size()) + " cards");
    buf.put(1, 1, "Search: ", Style::Bold);
    int end = buf.put(1, 9, text::fit(text::sanitize(query_), buf.width() - 12),
                      editing_query_ ? Style::Accent : Style::Normal);
    (void)end;
    if (editing_query_) buf.put(1, 9 + text::display_width(text::sanitize(query_)), "_", Style::Accent);
    buf.put(2, 1, "words, domain:d3, topic:3.6, flagged, suspended, state:new|learning|review|relearning", Style::Dim);
    const int rows = buf.height() - 5;
    const int first = std::max(0, result_cursor_ - rows + 1);
    for (int r = 0; r < rows && first + r < static_cast<int>(results_.size()); ++r) {
        const Card* c = results_[static_cast<std::size_t>(first + r)];
        std::string summary = c->is_question() ? c->stem : c->front;
        std::string row = text::fit(c->id, 18) + " " + text::fit(to_string(c->type), 9) + " " +
                          text::fit(text::strip_marks(text::sanitize(summary)), buf.width() - 33);
        bool sel = !editing_query_ && first + r == result_cursor_;
        buf.put(4 + r, 1, row, sel ? Style::Reverse : Style::Normal);
    }
    footer(buf, editing_query_ ? "type to search  Enter/\u2193 results  Esc clear/home"
                               : "\u2191\u2193 move  Enter open  / search  Tab next exam  Esc home");
}

void Controller::render_card_detail(ScreenBuffer& buf) const {
    const Card& c = *detail_;
    auto record = s_.store.card(c.id);
    header(buf, "Card " + c.id,
           std::string(to_string(c.type)) + (record && record->flagged ? " \u00b7 flagged" : "") +
               (record && record->suspended ? " \u00b7 suspended" : ""));
    Doc doc(buf.width() - 4);
    const Exam* exam = s_.library.exam(c.exam_id);
    const Domain* d = exam ? exam->domain(c.domain_id) : nullptr;
    std::string topics;
    for (const auto& t : c.topics) topics += (topics.empty() ? "" : ", ") + t;
    doc.line(c.domain_id + " " + (d ? d->name : "") + (topics.empty() ? "" : "  topics: " + topics), Style::Dim);
    doc.blank();
    if (c.is_question()) {
        doc.paragraph(c.stem, Style::Bold);
        for (std::size_t i = 0; i < c.options.size(); ++i) {
            const Option& o = c.options[i];
            doc.paragraph(o.text, o.correct ? Style::Good : Style::Normal, 0,
                          std::string(o.correct ? "\u2714 " : "  ") + static_cast<char>('A' + i) + ") ",
                          o.correct ? Style::Good : Style::Normal);
            if (!o.reason.empty()) doc.paragraph(o.reason, Style::Dim, 7);
        }
        if (!c.explanation.empty()) {
            doc.blank();
            doc.paragraph(c.explanation);
        }
    } else {
        doc.paragraph(c.front, Style::Bold);
        doc.paragraph(c.back);
    }
    doc.blank();
    doc.line("Memory", Style::Bold);
    const UnixMs now = s_.clock();
    if (!record || record->memory.state == fsrs::State::New) {
        doc.line("new: not answered yet", Style::Dim);
    } else {
        const auto& m = record->memory;
        double r = s_.scheduler.retrievability_fractional(
            m, std::max(0.0, static_cast<double>(now - m.last_review) / kMsPerDay));
        char row[200];
        std::snprintf(row, sizeof row,
                      "%s  stability %.2f d  difficulty %.2f  recall now %.0f%%  due %s  reps %d  lapses %d",
                      fsrs::to_string(m.state), m.stability, m.difficulty, 100 * r,
                      format_iso8601(m.due).substr(0, 16).c_str(), m.reps, m.lapses);
        doc.paragraph(row);
    }
    doc.blank();
    doc.line("History", Style::Bold);
    auto history = s_.store.reviews(c.id);
    if (history.empty()) doc.line("no answers yet", Style::Dim);
    const char* grades[] = {"?", "Again", "Hard", "Good", "Easy"};
    for (const auto& h : history) {
        char row[200];
        std::snprintf(row, sizeof row, "%s  %-5s  %-5s  %-9s %s  next in %s",
                      format_iso8601(h.at).substr(0, 16).c_str(), h.mode.c_str(), grades[std::clamp(h.rating, 0, 4)],
                      h.correct ? "right" : "wrong", h.chosen.empty() ? "" : ("chose " + h.chosen).c_str(),
                      app::format_interval(h.after.due - h.at).c_str());
        doc.line(row, h.correct ? Style::Normal : Style::Bad);
    }
    scroll_ = blit(buf, doc, 2, buf.height() - 3, scroll_, 2);
    footer(buf, std::string("f ") + (record && record->flagged ? "unflag" : "flag") + "  s " +
                    (record && record->suspended ? "unsuspend" : "suspend") + "  \u2191\u2193 scroll  Esc back");
}

void Controller::render_help(ScreenBuffer& buf) const {
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"Home", "\u2191\u2193 choose exam, s/Enter study, e mock exam, d dashboard, b browse, q quit"},
        {"Question", "A-H select (toggle for choose-N), \u2191\u2193/j/k move, Space toggle, Enter submit"},
        {"", "f flag (! when an item has an option F), s suspend, u undo last answer, q end session"},
        {"Feedback", "Enter/Space next, g mark a right answer as a guess, \u2191\u2193 scroll, u undo"},
        {"Flashcard", "Space show answer, 1 Again, 2 Hard, 3 Good, 4 Easy (next interval shown)"},
        {"Mock exam", "Enter answer; linear exams: \u2190\u2192 prev/next, f flag, g review grid"},
        {"", "S submit; adaptive exams (CISSP) move on after each answer, no going back"},
        {"Dashboard", "Tab/\u2190\u2192 switch exam, \u2191\u2193 scroll, Esc home"},
        {"Browse", "type words or domain:d3 topic:3.6 flagged suspended state:review; Enter open"},
        {"Card", "f flag/unflag, s suspend/unsuspend, Esc back"},
        {"Anywhere", "? this help; every answer is saved when given"},
    };
    const int w = std::min(buf.width() - 4, 100);
    const int h = static_cast<int>(keys.size()) + 4;
    const int top = std::max(1, (buf.height() - h) / 2);
    const int left = (buf.width() - w) / 2;
    for (int r = 0; r < h; ++r) buf.put(top + r, left, std::string(static_cast<std::size_t>(w), ' '), Style::Reverse);
    buf.put(top + 1, left + 2, "Keys", Style::Reverse);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        buf.put(top + 2 + static_cast<int>(i), left + 2, text::fit(keys[i].first, 11), Style::Reverse);
        buf.put(top + 2 + static_cast<int>(i), left + 14, text::fit(keys[i].second, w - 16), Style::Reverse);
    }
    buf.put(top + h - 1, left + 2, "any key closes", Style::Reverse);
}

}  // namespace certdrill::tui
