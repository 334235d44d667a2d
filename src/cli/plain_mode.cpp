#include "cli/plain_mode.hpp"

#include <cmath>
#include <cstdio>
#include <istream>
#include <ostream>

#include "app/exam_report.hpp"
#include "cli/plain_text.hpp"
#include "core/text.hpp"

namespace certdrill::cli {

namespace {

void print_header(std::ostream& out, const Exam& exam, const Card& card, const std::string& progress) {
    const Domain* d = exam.domain(card.domain_id);
    out << '\n'
        << exam.short_name << " | " << card.domain_id << ' ' << (d ? clean(d->name) : std::string()) << " | "
        << progress;
    if (card.type == CardType::Multi) out << " | choose " << choose_word(card.choose);
    if (card.type == CardType::Flashcard) out << " | flashcard";
    out << '\n';
}

enum class LineKind { Answer, Undo, Quit, Flag, Suspend, End };

struct Line {
    LineKind kind = LineKind::End;
    std::string text;
};

// Reads lines until one is non-empty; end of input ends the session.
Line read_command(std::istream& in, std::ostream& out, const char* prompt) {
    std::string raw;
    while (true) {
        out << prompt << std::flush;
        if (!std::getline(in, raw)) return {LineKind::End, {}};
        std::string t = trim(raw);
        std::string l = text::lower(t);
        if (l == "q" || l == "quit") return {LineKind::Quit, {}};
        if (l == "u" || l == "undo") return {LineKind::Undo, {}};
        if (l == "f" || l == "flag") return {LineKind::Flag, {}};
        if (l == "s" || l == "suspend") return {LineKind::Suspend, {}};
        return {LineKind::Answer, t};
    }
}

void print_feedback(std::ostream& out, const Card& card, const OptionOrder& order, const app::Feedback& f) {
    if (f.correct)
        out << "Correct" << (f.guessed ? " (marked as a guess: it will come back sooner)" : "") << '\n';
    else
        out << "Incorrect: the answer is " << letters(f.correct_screen) << '\n';
    if (!card.explanation.empty()) out << clean(card.explanation) << '\n';
    for (int screen : f.chosen) {
        const Option& o = card.options[static_cast<std::size_t>(order.file_index(screen))];
        if (!o.correct && !o.reason.empty())
            out << static_cast<char>('A' + screen) << " is wrong: " << clean(o.reason) << '\n';
    }
    if (!card.references.empty()) {
        out << "References:";
        for (std::size_t i = 0; i < card.references.size(); ++i) out << (i ? "; " : " ") << clean(card.references[i]);
        out << '\n';
    }
    out << "Next review in " << f.next_interval << '\n';
}

void print_summary(std::ostream& out, const Exam& exam, const app::StudySummary& s, UnixMs now) {
    out << "\nSession summary\n";
    out << "Answered: " << s.answered;
    if (s.answered) out << ", correct: " << s.correct << " (" << percent(100.0 * s.correct / s.answered) << ")";
    out << "\nTime: " << app::exam_duration(s.elapsed) << '\n';
    for (const auto& d : exam.domains) {
        auto it = s.by_domain.find(d.id);
        if (it == s.by_domain.end()) continue;
        out << "  " << d.id << ' ' << clean(d.name) << ": " << it->second.correct << " of " << it->second.answered
            << '\n';
    }
    if (!s.missed.empty()) {
        out << "Missed:\n";
        for (const Card* c : s.missed) out << "  " << c->id << ": " << clean(c->stem) << '\n';
    }
    out << "Due tomorrow: " << s.due_tomorrow << "; new cards left today: " << s.new_remaining_today;
    if (s.next_learning) out << "; next learning step in " << app::format_interval(*s.next_learning - now);
    out << '\n';
}

// Takes back the last answer or suspension and says which.
std::string undo_message(app::StudySession& session) {
    if (!session.undo()) return "Nothing to undo.\n";
    return session.last_undone() == app::StudySession::Undone::Suspension ? "Undid the suspension.\n"
                                                                            : "Undid the last answer.\n";
}

bool study_question(app::StudySession& session, std::istream& in, std::ostream& out, bool& ended) {
    const app::ShownItem& item = *session.current();
    const Card& card = *item.card;
    while (true) {
        Line line = read_command(in, out, "Your answer:\n");
        switch (line.kind) {
            case LineKind::End:
            case LineKind::Quit:
                ended = true;
                return false;
            case LineKind::Undo:
                out << undo_message(session);
                return false;
            case LineKind::Flag:
                session.toggle_flag();
                out << (session.current()->flagged ? "Flagged.\n" : "Flag removed.\n");
                continue;
            case LineKind::Suspend:
                session.suspend();
                out << "Suspended: it will not be shown again until unsuspended.\n";
                return false;
            case LineKind::Answer:
                break;
        }
        auto parsed = parse_answer(line.text, card);
        if (!parsed) {
            out << (card.type == CardType::Multi
                        ? "Choose " + std::string(choose_word(card.choose)) +
                              " letters, e.g. AC (u undo, q quit)\n"
                        : "Type one letter from A to " +
                              std::string(1, static_cast<char>('A' + card.options.size() - 1)) + " (u undo, q quit)\n");
            continue;
        }
        app::Feedback f = session.answer(parsed->first);
        if (parsed->second && f.correct)
            if (auto g = session.mark_guess()) f = *g;
        print_feedback(out, card, item.order, f);
        session.advance();
        return true;
    }
}

bool study_flashcard(app::StudySession& session, std::istream& in, std::ostream& out, bool& ended) {
    const app::ShownItem& item = *session.current();
    const Card& card = *item.card;
    out << clean(card.front) << '\n';
    out << "Press Enter to show the back.\n" << std::flush;
    std::string raw;
    if (!std::getline(in, raw)) {
        ended = true;
        return false;
    }
    std::string l = text::lower(trim(raw));
    if (l == "q") {
        ended = true;
        return false;
    }
    if (l == "u") {
        out << undo_message(session);
        return false;
    }
    out << '\n' << clean(card.back) << '\n';
    out << "Grade: 1 Again (" << item.grade_intervals[0] << "), 2 Hard (" << item.grade_intervals[1] << "), 3 Good ("
        << item.grade_intervals[2] << "), 4 Easy (" << item.grade_intervals[3] << ")\n";
    while (true) {
        Line line = read_command(in, out, "Your grade:\n");
        if (line.kind == LineKind::End || line.kind == LineKind::Quit) {
            ended = true;
            return false;
        }
        if (line.kind == LineKind::Undo) {
            out << undo_message(session);
            return false;
        }
        if (line.text.size() == 1 && line.text[0] >= '1' && line.text[0] <= '4') {
            session.grade_flashcard(static_cast<fsrs::Rating>(line.text[0] - '0'));
            return true;
        }
        out << "Type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)\n";
    }
}

}  // namespace

int run_plain_study(const app::Services& services, const app::StudyOptions& options, std::istream& in,
                    std::ostream& out) {
    app::StudySession session(services, options);
    const Exam& exam = session.exam();
    out << "Study: " << clean(exam.short_name) << (options.domain ? " domain " + *options.domain : std::string())
        << ". Answer with letters (add ? to mark a guess); u undo, f flag, s suspend, q quit.\n";
    bool ended = false;
    while (!ended && session.current()) {
        const app::ShownItem& item = *session.current();
        print_header(out, exam, *item.card, app::progress_text(item));
        if (item.card->is_question()) {
            print_question(out, *item.card, item.order);
            study_question(session, in, out, ended);
        } else {
            study_flashcard(session, in, out, ended);
        }
    }
    if (!ended) out << "\nNo more cards for now.\n";
    auto summary = session.summary();
    session.quit();
    print_summary(out, exam, summary, services.clock());
    return 0;
}

}  // namespace certdrill::cli
