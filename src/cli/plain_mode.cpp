#include "cli/plain_mode.hpp"

#include <cmath>
#include <cstdio>
#include <istream>
#include <ostream>

#include "core/text.hpp"

namespace certdrill::cli {

namespace {

// Deck text is untrusted: strip terminal controls, then the inline marks.
std::string clean(const std::string& s) { return text::strip_marks(text::sanitize(s)); }

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string lower_copy(const std::string& s) { return text::lower(s); }

std::string letters(const std::vector<int>& screen) {
    std::string out;
    for (int i : screen) out += static_cast<char>('A' + i);
    return out;
}

std::string duration(UnixMs ms) {
    const long long minutes = ms / kMsPerMinute;
    const long long seconds = (ms / 1000) % 60;
    char buf[32];
    if (minutes >= 60)
        std::snprintf(buf, sizeof buf, "%lldh %02lldm", minutes / 60, minutes % 60);
    else
        std::snprintf(buf, sizeof buf, "%lldm %02llds", minutes, seconds);
    return buf;
}

std::string percent(double value) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", value);
    return buf;
}

const char* kChooseWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight"};

void print_header(std::ostream& out, const Exam& exam, const Card& card, const std::string& progress) {
    const Domain* d = exam.domain(card.domain_id);
    out << '\n'
        << exam.short_name << " | " << card.domain_id << ' ' << (d ? clean(d->name) : std::string()) << " | "
        << progress;
    if (card.type == CardType::Multi) out << " | choose " << kChooseWords[std::clamp(card.choose, 0, 8)];
    if (card.type == CardType::Flashcard) out << " | flashcard";
    out << '\n';
}

void print_question(std::ostream& out, const Card& card, const OptionOrder& order) {
    out << clean(card.stem) << '\n';
    for (std::size_t i = 0; i < order.order.size(); ++i)
        out << static_cast<char>('A' + i) << ") " << clean(card.options[static_cast<std::size_t>(order.order[i])].text)
            << '\n';
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
        std::string l = lower_copy(t);
        if (l == "q" || l == "quit") return {LineKind::Quit, {}};
        if (l == "u" || l == "undo") return {LineKind::Undo, {}};
        if (l == "f" || l == "flag") return {LineKind::Flag, {}};
        if (l == "s" || l == "suspend") return {LineKind::Suspend, {}};
        return {LineKind::Answer, t};
    }
}

// A question's answer: letters, optionally followed by '?' to mark a guess.
std::optional<std::pair<std::vector<int>, bool>> parse_answer(const std::string& t, const Card& card) {
    if (t.empty()) return std::nullopt;
    std::string body = t;
    bool guess = false;
    if (body.back() == '?') {
        guess = true;
        body.pop_back();
    }
    auto chosen = parse_letters(body, static_cast<int>(card.options.size()));
    if (chosen.empty() || static_cast<int>(chosen.size()) != card.choose) return std::nullopt;
    return std::pair{chosen, guess};
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
    out << "\nTime: " << duration(s.elapsed) << '\n';
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
                out << (session.undo() ? "Undid the last answer.\n" : "Nothing to undo.\n");
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
                        ? "Choose " + std::string(kChooseWords[std::clamp(card.choose, 0, 8)]) +
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
    std::string l = lower_copy(trim(raw));
    if (l == "q") {
        ended = true;
        return false;
    }
    if (l == "u") {
        out << (session.undo() ? "Undid the last answer.\n" : "Nothing to undo.\n");
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
            out << (session.undo() ? "Undid the last answer.\n" : "Nothing to undo.\n");
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

int run_plain_exam(const app::Services& services, const app::MockOptions& options, std::istream& in,
                   std::ostream& out) {
    app::MockExamSession mock(services, options);
    const Exam& exam = mock.exam();
    auto minutes_left = [&] { return (mock.remaining(services.clock()) + kMsPerMinute - 1) / kMsPerMinute; };
    out << "Mock exam: " << clean(exam.short_name) << ", " << mock.size() << " items, " << minutes_left()
        << " minutes. No feedback until the end. "
        << "Answer with letters; q submits.\n";
    for (const auto& note : mock.notes()) out << "Note: " << clean(note) << '\n';
    bool stop = false;
    while (!stop) {
        if (mock.time_up()) {
            out << "\nTime is up.\n";
            break;
        }
        const int index = mock.position();
        const app::MockItem& item = mock.current();
        print_header(out, exam, *item.card,
                     "item " + std::to_string(index + 1) + " of " + std::to_string(mock.size()) + " | " +
                         std::to_string(minutes_left()) + " min left");
        print_question(out, *item.card, item.order);
        while (true) {
            Line line = read_command(in, out, "Your answer:\n");
            if (line.kind == LineKind::End || line.kind == LineKind::Quit) {
                stop = true;
                break;
            }
            if (line.kind == LineKind::Flag) {
                if (!mock.can_revisit()) {
                    out << "This exam does not allow returning to items, so there is nothing to flag.\n";
                    continue;
                }
                mock.toggle_flag();
                out << (mock.current().flagged ? "Flagged for review.\n" : "Flag removed.\n");
                continue;
            }
            auto parsed = line.kind == LineKind::Answer ? parse_answer(line.text, *item.card) : std::nullopt;
            if (!parsed) {
                out << "Type the letter(s) of your answer (q submits)\n";
                continue;
            }
            if (!mock.answer(parsed->first)) {
                out << "Time is up: that answer came too late and was not counted.\n";
                stop = true;
            }
            break;
        }
        if (stop) break;
        if (index + 1 >= mock.size()) break;
        if (mock.position() == index) mock.next();
    }
    const app::MockResult& r = mock.submit();
    out << "\nResult: " << clean(exam.short_name) << " mock exam\n";
    char buf[96];
    std::snprintf(buf, sizeof buf, "Score: %.1f%% (%d of %d correct, %d answered)\n", r.score.percent, r.score.correct,
                  r.score.items, r.score.answered);
    out << buf;
    if (r.score.scaled)
        out << "Scaled: " << *r.score.scaled << " of " << *exam.format.scale_max << " (pass mark "
            << *exam.format.passing_score << ", approximate)\n";
    out << (r.score.passed ? "PASS" : "FAIL") << " (pass mark " << percent(exam.format.passing_percent) << ")\n";
    out << "Time used: " << duration(r.duration) << (r.timed_out ? " (time ran out)" : "") << '\n';
    out << "By domain:\n";
    for (const auto& d : exam.domains) {
        const auto& ds = r.score.domains.at(d.id);
        if (!ds.items) continue;
        out << "  " << d.id << ' ' << clean(d.name) << ": " << percent(ds.percent()) << " (" << ds.correct << " of "
            << ds.items << ")\n";
    }
    if (!r.missed.empty()) {
        out << "Missed items:\n";
        for (int i : r.missed) {
            const app::MockItem& it = mock.item(i);
            std::vector<int> right;
            for (int f : correct_indices(*it.card)) right.push_back(it.order.letter_of(f) - 'A');
            std::sort(right.begin(), right.end());
            out << "  " << i + 1 << ". " << clean(it.card->stem) << '\n';
            out << "     your answer: " << (it.chosen.empty() ? "none" : letters(it.chosen))
                << "; right: " << letters(right) << '\n';
            if (!it.card->explanation.empty()) out << "     " << clean(it.card->explanation) << '\n';
        }
    }
    return 0;
}

}  // namespace certdrill::cli
