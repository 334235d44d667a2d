// The dashboard: one exam's readiness against the pass mark, per-domain mastery, weakest
// topics, activity charts and mock-exam attempts. Figures are collected when it opens.
#include <algorithm>
#include <cstdio>

#include "app/stats.hpp"
#include "core/text.hpp"
#include "tui/mock_trend.hpp"
#include "tui/screens.hpp"
#include "tui/widgets.hpp"

namespace certdrill::tui {

namespace {

class DashboardView final : public View {
public:
    DashboardView(app::Stats stats, const Exam* exam) : stats_(std::move(stats)), exam_(exam) {}

    Screen id() const override { return Screen::Dashboard; }

    void on_key(int key, Nav& nav) override {
        const Action action = action_for(KeyContext::Dashboard, key);
        const Viewport v = nav.viewport();
        const app::ExamStats* st = exam_stats();
        const int domains = st ? static_cast<int>(st->domains.size()) : 0;
        if (action == Action::NextExam || action == Action::PrevExam) {
            nav.set_exam_index(nav.exam_index() + (action == Action::NextExam ? 1 : -1));
            exam_ = selected_exam(nav);
            scroll_.reset();
            domain_ = 0;
        } else if (action == Action::GoHome) {
            nav.home();
        } else if ((action == Action::CursorUp || action == Action::CursorDown) && domains > 0) {
            domain_ = std::clamp(domain_ + (action == Action::CursorDown ? 1 : -1), 0, domains - 1);
            int line = 0;
            const int size = body(v.width - 4, &line).size();
            scroll_.follow(line, size, v.height - 3);
        } else if (action == Action::Study && exam_ && domains > 0) {
            if (auto view = make_study(nav, *exam_, st->domains[static_cast<std::size_t>(domain_)].id))
                nav.replace(std::move(view));
        } else {
            scroll_.on_action(action, body(v.width - 4).size(), v.height - 3);
        }
    }

    void render(ScreenBuffer& buf, const Frame& frame) const override {
        header(buf, "Dashboard \u00b7 " + (exam_ ? exam_->short_name : std::string()), "Tab next exam");
        scroll_body(buf, body(buf.width() - 4), 2, buf.height() - 3, scroll_.offset(), 2);
        footer(buf, frame.status, footer_hints(KeyContext::Dashboard));
    }

private:
    const app::ExamStats* exam_stats() const {
        if (!exam_) return nullptr;
        for (const auto& x : stats_.exams)
            if (x.id == exam_->id) return &x;
        return nullptr;
    }

    // At most 60 columns besides the exam id (a 5-digit count): fits 80 columns for ids up to 16.
    static std::string optimize_line(const app::ExamStats& st) {
        const std::string command = "certdrill optimize --exam " + st.id;
        if (!st.optimize.fitted_at)
            return "Fit FSRS to your " + std::to_string(st.optimize.reviews) + " answers: " + command;
        return std::to_string(st.optimize.new_since_fit) + " answers since the last fit: " + command;
    }

    // `domain_line` receives the doc line of the chosen domain's row.
    Doc body(int width, int* domain_line = nullptr) const {
        Doc doc(width);
        const app::ExamStats* st = exam_stats();
        if (!st) {
            doc.line("No figures yet.");
            return doc;
        }
        doc.line({{"Readiness ", Style::Bold},
                  {bar(st->readiness, 30) + " ", st->readiness >= st->passing ? Style::Good : Style::Bad},
                  {pct(st->readiness) + "  pass mark " + pct(st->passing) +
                       (st->readiness_scaled ? "  (~" + std::to_string(*st->readiness_scaled) + " scaled)" : ""),
                   Style::Normal}});
        doc.line("cards " + std::to_string(st->cards) + "  seen " + std::to_string(st->seen) + "  due now " +
                     std::to_string(st->due_now) + "  reviews " + std::to_string(st->reviews) + "  streak " +
                     std::to_string(stats_.streak_days) + "d",
                 Style::Dim);
        if (st->plan) doc.line(plan_line(*st->plan).spans);
        if (st->optimize.offer) doc.line(optimize_line(*st), Style::Accent);
        doc.blank();
        doc.line("Domains (weight, mastery)", Style::Bold);
        // Figures are never cut: the name gives way. The rows' due counts add up to "due now".
        std::size_t most_due = 0;
        for (const auto& d : st->domains) most_due = std::max(most_due, d.figures.due_now);
        const int due_width = most_due ? 6 + static_cast<int>(std::to_string(most_due).size()) : 0;
        const int name_width = std::min(40, width - (2 + 1 + 6 + 20 + 1 + 4) - due_width);
        for (std::size_t i = 0; i < st->domains.size(); ++i) {
            const auto& d = st->domains[i];
            const bool chosen = static_cast<int>(i) == domain_;
            if (chosen && domain_line) *domain_line = doc.size();
            char w[16];
            std::snprintf(w, sizeof w, "%4.0f%% ", d.weight);
            doc.line({{chosen ? "\u25b8 " : "  ", Style::Accent},
                      {text::fit(d.id + " " + d.name, name_width), chosen ? Style::Bold : Style::Normal},
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
                  {sparkline(st->reviews_per_day), Style::Accent},
                  {"  today " + std::to_string(st->reviews_today), Style::Dim}});
        int due_total = 0;
        for (int v : st->due_per_day) due_total += v;
        doc.line({{"Due, next 30 days      ", Style::Bold},
                  {sparkline(st->due_per_day), Style::Warn},
                  {"  total " + std::to_string(due_total), Style::Dim}});
        doc.blank();
        doc.line("Mock exams against the pass mark", Style::Bold);
        if (st->mock_trend.empty()) doc.line("none yet: press e on the home screen", Style::Dim);
        mock_trend_chart(doc, st->mock_trend);
        return doc;
    }

    app::Stats stats_;
    const Exam* exam_;
    int domain_ = 0;  // the chosen domain row: Enter studies it
    Scroll scroll_;
};

}  // namespace

std::unique_ptr<View> make_dashboard(app::Stats stats, const Exam* exam) {
    return std::make_unique<DashboardView>(std::move(stats), exam);
}

std::unique_ptr<View> make_dashboard(Nav& nav) { return make_dashboard(app::compute_stats(nav.services()), selected_exam(nav)); }

}  // namespace certdrill::tui
