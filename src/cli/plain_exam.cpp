// Plain-mode mock exams: the same rules as the terminal UI, line by line. An interrupted exam
// is offered for resumption first; then a confirmation with the item count and time; no domain
// and no feedback while the exam runs; q pauses with submit, abandon or carry on; at the end the
// score report and a review of every item.
#include <istream>
#include <ostream>

#include "app/exam_report.hpp"
#include "cli/plain_mode.hpp"
#include "cli/plain_text.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace certdrill::cli {

namespace {

// The next line, trimmed; nothing at the end of input.
std::optional<std::string> ask(std::istream& in, std::ostream& out, const std::string& prompt) {
    out << prompt << std::flush;
    std::string raw;
    if (!std::getline(in, raw)) return std::nullopt;
    return trim(raw);
}

std::optional<int> number_after(const std::string& line, const std::string& word) {
    if (line.rfind(word + " ", 0) != 0) return std::nullopt;
    try {
        const int n = std::stoi(line.substr(word.size() + 1));
        if (n >= 1 && n <= 1440) return n;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

enum class Start { New, Resume, Stop };

// Offers an interrupted exam of this exam for resumption. Sets `attempt` when resuming.
Start offer_resumption(const app::Services& services, const std::string& exam_id, std::istream& in,
                       std::ostream& out, std::int64_t& attempt) {
    for (const auto& u : app::unfinished_exams(services, exam_id)) {
        out << "An interrupted " << clean(u.exam_name) << (u.adaptive ? " adaptive" : "") << " mock exam"
            << (u.domain ? " (domain " + *u.domain + ")" : std::string()) << " from "
            << format_iso8601(u.started_at).substr(0, 16) << "Z: " << u.answered << " answered, "
            << app::exam_duration(u.remaining) << " left.\n";
        while (true) {
            auto line = ask(in, out, "r resume it, a abandon it (nothing is kept), n leave it and start a new one:\n");
            if (!line) return Start::Stop;
            const std::string l = text::lower(*line);
            if (l == "r") {
                attempt = u.attempt_id;
                return Start::Resume;
            }
            if (l == "a") {
                app::abandon_exam(services, u.attempt_id);
                out << "Abandoned: that attempt is gone from the record.\n";
                break;
            }
            if (l == "n") break;
        }
    }
    return Start::New;
}

// The confirmation before the start; sizes may be changed here. False: cancelled.
bool confirm(const app::Services& services, app::MockOptions& options, std::istream& in, std::ostream& out) {
    while (true) {
        const app::MockPlan plan = app::plan_mock(services.library, options);
        out << "Mock exam: " << clean(plan.exam->short_name) << (plan.adaptive ? " (adaptive)" : "") << '\n';
        for (const auto& rule : plan.rules) out << "  " << rule << '\n';
        auto line = ask(in, out, "Enter starts; 'items N' or 'minutes M' changes the size; q cancels:\n");
        if (!line) return false;
        const std::string l = text::lower(*line);
        if (l.empty()) return true;
        if (l == "q") return false;
        if (auto n = number_after(l, "items")) {
            options.items = *n;
            continue;
        }
        if (auto m = number_after(l, "minutes")) {
            options.minutes = *m;
            continue;
        }
        out << "Not understood: '" << clean(*line) << "'\n";
    }
}

enum class Pause { Submit, Abandon, Continue, End };

Pause pause_menu(std::istream& in, std::ostream& out) {
    while (true) {
        auto line = ask(in, out, "Paused. s submit, a abandon (nothing is recorded), n continue:\n");
        if (!line) return Pause::End;
        const std::string l = text::lower(*line);
        if (l == "s") return Pause::Submit;
        if (l == "a") return Pause::Abandon;
        if (l == "n" || l.empty()) return Pause::Continue;
    }
}

std::string progress_of(const app::MockExamSession& mock, UnixMs now) {
    const auto minutes_left = (mock.remaining(now) + kMsPerMinute - 1) / kMsPerMinute;
    std::string p = "item " + std::to_string(mock.position() + 1);
    // An adaptive exam's length is not known in advance; the real one shows no total either.
    if (!mock.adaptive()) p += " of " + std::to_string(mock.size());
    p += " | " + std::to_string(minutes_left) + " min left";
    if (mock.navigation() == app::Navigation::SkipLimited) p += " | " + std::to_string(mock.skips_left()) + " skips left";
    return p;
}

void print_item(std::ostream& out, const app::MockExamSession& mock, UnixMs now) {
    const app::MockItem& item = mock.current();
    // No domain or objective: the real exams show none.
    out << '\n' << mock.exam().short_name << " | " << progress_of(mock, now);
    if (item.card->type == CardType::Multi) out << " | choose " << choose_word(item.card->choose);
    out << '\n';
    print_question(out, *item.card, item.order);
}

// True when every item is answered (or, skip-limited, nothing else is left open).
bool all_answered(const app::MockExamSession& mock) { return mock.answered_count() >= mock.size(); }

enum class Outcome { Submit, Abandoned, Interrupted };

Outcome sit(app::MockExamSession& mock, const app::Services& services, std::istream& in, std::ostream& out) {
    while (true) {
        if (mock.time_up()) {
            out << "\nTime is up.\n";
            return Outcome::Submit;
        }
        if (mock.finished()) {
            out << "\nThe exam has ended.\n";
            return Outcome::Submit;
        }
        print_item(out, mock, services.clock());
        while (true) {
            auto line = ask(in, out, "Your answer:\n");
            if (!line) {
                mock.checkpoint();
                out << "\nInput ended: the exam is kept with its remaining time; run the same command to resume "
                       "or abandon it.\n";
                return Outcome::Interrupted;
            }
            const std::string l = text::lower(*line);
            if (l == "q") {
                const Pause choice = pause_menu(in, out);
                if (choice == Pause::Submit) return Outcome::Submit;
                if (choice == Pause::Abandon) {
                    mock.abandon();
                    out << "Abandoned: nothing of this exam was recorded.\n";
                    return Outcome::Abandoned;
                }
                if (choice == Pause::End) {
                    mock.checkpoint();
                    return Outcome::Interrupted;
                }
                break;  // show the item again
            }
            if (l == "f") {
                if (!mock.can_revisit()) {
                    out << "This exam does not allow returning to items, so there is nothing to flag.\n";
                    continue;
                }
                mock.toggle_flag();
                out << (mock.current().flagged ? "Flagged for review.\n" : "Flag removed.\n");
                continue;
            }
            if (l == "k" || l == "skip") {
                if (mock.navigation() != app::Navigation::SkipLimited) {
                    out << "This exam does not allow skipping items.\n";
                    continue;
                }
                if (!mock.skip()) {
                    out << (mock.skips_left() > 0 ? "Nothing else is left to answer first.\n" : "No skips left.\n");
                    continue;
                }
                out << "Skipped: it comes back after the other items.\n";
                break;
            }
            auto parsed = parse_answer(*line, *mock.current().card);
            if (!parsed || parsed->second) {
                out << "Type the letter(s) of your answer"
                    << (mock.navigation() == app::Navigation::SkipLimited ? ", k to skip" : "") << " (q pauses)\n";
                continue;
            }
            const int before = mock.position();
            if (!mock.answer(parsed->first)) {
                out << "Time is up: that answer came too late and was not counted.\n";
                return Outcome::Submit;
            }
            if (mock.finished() || all_answered(mock)) return Outcome::Submit;
            if (mock.position() == before) mock.next();  // free navigation: go on in order
            if (mock.position() == before) return Outcome::Submit;
            break;
        }
    }
}

void print_report(std::ostream& out, const app::MockExamSession& mock) {
    const app::ExamReport report = app::build_report(mock);
    out << "\nResult: " << clean(mock.exam().short_name) << " mock exam\n";
    out << report.verdict << '\n';
    for (const auto& line : report.lines) out << line << '\n';
    if (!report.domains_heading.empty()) {
        out << report.domains_heading << ":\n";
        for (const auto& d : report.domains) out << "  " << d.id << ' ' << clean(d.name) << ": " << d.value << '\n';
    }
    for (const auto& note : report.notes) out << "Note: " << clean(note) << '\n';
}

void print_review(std::ostream& out, const app::MockExamSession& mock) {
    out << "\nReview of every item (> your choice, * the right answer):\n";
    for (const auto& e : app::review_items(mock)) {
        out << '\n'
            << e.number << ". " << (e.answered ? (e.correct ? "right" : "wrong") : "not answered")
            << (e.pretest ? " (unscored pretest item)" : "") << '\n';
        out << clean(e.stem) << '\n';
        for (const auto& o : e.options) {
            out << (o.chosen ? '>' : ' ') << (o.right ? '*' : ' ') << ' ' << o.letter << ") " << clean(o.text) << '\n';
            if ((o.chosen || o.right) && !o.reason.empty()) out << "      " << clean(o.reason) << '\n';
        }
        if (!e.explanation.empty()) out << "Explanation: " << clean(e.explanation) << '\n';
    }
}

}  // namespace

int run_plain_exam(const app::Services& services, const app::MockOptions& given, std::istream& in,
                   std::ostream& out) {
    app::MockOptions options = given;
    std::int64_t attempt = 0;
    const Start start = offer_resumption(services, options.exam_id, in, out, attempt);
    if (start == Start::Stop) return 0;
    std::unique_ptr<app::MockExamSession> mock;
    if (start == Start::Resume) {
        mock = std::make_unique<app::MockExamSession>(services, attempt, options.calibration);
    } else {
        if (!confirm(services, options, in, out)) {
            out << "No exam started.\n";
            return 0;
        }
        mock = std::make_unique<app::MockExamSession>(services, options);
    }
    out << "Answer with letters; no feedback until the end; q pauses (submit or abandon).\n";
    for (const auto& note : mock->notes()) out << "Note: " << clean(note) << '\n';
    const Outcome outcome = sit(*mock, services, in, out);
    if (outcome != Outcome::Submit) return 0;
    mock->submit();
    print_report(out, *mock);
    print_review(out, *mock);
    return 0;
}

}  // namespace certdrill::cli
