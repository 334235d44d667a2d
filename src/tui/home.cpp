// Home: the exams with their figures, the selected exam's format, and the actions.
#include <algorithm>
#include <cstdio>

#include "app/stats.hpp"
#include "core/text.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class HomeView final : public View {
public:
    HomeView(const Library& library, app::Stats stats, int exam_index)
        : library_(library), stats_(std::move(stats)), exam_index_(exam_index) {}

    Screen id() const override { return Screen::Home; }

    void on_key(int key, Nav& nav) override {
        const Exam* exam = selected_exam(nav);
        switch (action_for(KeyContext::Home, key)) {
            case Action::PrevExam:
                nav.set_exam_index(nav.exam_index() - 1);
                break;
            case Action::NextExam:
                nav.set_exam_index(nav.exam_index() + 1);
                break;
            case Action::Study:
                if (exam) nav.replace(make_study(nav, *exam));
                break;
            case Action::MockExam:
                if (exam)
                    if (auto view = make_exam(nav, *exam)) nav.replace(std::move(view));
                break;
            case Action::Dashboard:
                nav.replace(make_dashboard(nav));
                break;
            case Action::Browse:
                nav.replace(make_browse(nav));
                break;
            case Action::Quit:
                nav.quit();
                break;
            default:
                break;
        }
        exam_index_ = nav.exam_index();
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        header(buf, "certdrill", "security exam trainer");
        Doc doc(buf.width() - 2);
        doc.blank();
        doc.line("Exams", Style::Bold);
        for (std::size_t i = 0; i < library_.exams.size(); ++i) exam_row(doc, library_.exams[i], static_cast<int>(i));
        doc.blank();
        if (const Exam* e = selected()) {
            doc.line("Format: " + std::to_string(e->format.items_max) + " items, " + std::to_string(e->format.minutes) +
                         " minutes, " + (e->format.adaptive ? "adaptive (no going back)" : "linear (review allowed)") +
                         (e->format.open_book ? ", open book" : ""),
                     Style::Dim);
            if (!e->outline.confirmed)
                doc.line("Outline values marked unconfirmed: see the blueprint notes.", Style::Dim);
            if (const app::ExamStats* st = stats_of(*e); st && st->plan) doc.line(plan_line(*st->plan).spans);
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
        doc.blank();
        doc.line("Reviews today: " + std::to_string(stats_.reviews_today) +
                     "    streak: " + std::to_string(stats_.streak_days) + (stats_.streak_days == 1 ? " day" : " days"),
                 Style::Dim);
        blit(buf, doc, 1, buf.height() - 2, 0, 1);
        footer(buf, frame.status, footer_hints(KeyContext::Home));
    }

private:
    const Exam* selected() const {
        if (library_.exams.empty()) return nullptr;
        return &library_.exams[static_cast<std::size_t>(
            std::clamp(exam_index_, 0, static_cast<int>(library_.exams.size()) - 1))];
    }

    const app::ExamStats* stats_of(const Exam& e) const {
        for (const auto& x : stats_.exams)
            if (x.id == e.id) return &x;
        return nullptr;
    }

    void exam_row(Doc& doc, const Exam& e, int index) const {
        const app::ExamStats* st = stats_of(e);
        const bool sel = index == exam_index_;
        char figures[128] = "";
        if (st)
            std::snprintf(figures, sizeof figures, "ready %3.0f%% (pass %2.0f%%)  due %3zu  new %4zu",
                          100 * st->readiness, 100 * st->passing, st->due_now, st->new_cards);
        std::string name = text::fit(e.short_name + "  " + e.name, doc.width() - 48);
        doc.line({{sel ? " \u25b8 " : "   ", sel ? Style::Accent : Style::Normal},
                  {name, sel ? Style::Bold : Style::Normal},
                  {std::string(" ") + figures, sel ? Style::Accent : Style::Dim}});
    }

    const Library& library_;
    app::Stats stats_;
    int exam_index_;
};

}  // namespace

std::unique_ptr<View> make_home(Nav& nav) {
    return std::make_unique<HomeView>(nav.services().library, app::compute_stats(nav.services()), nav.exam_index());
}

}  // namespace certdrill::tui
