#include "cli/import_commands.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <map>
#include <ostream>
#include <set>

#include "app/anki_convert.hpp"
#include "app/csv_import.hpp"
#include "app/deck_selection.hpp"
#include "app/exam_ids.hpp"
#include "cli/deck_output.hpp"
#include "cli/runtime.hpp"
#include "core/text.hpp"
#include "decks/deck_writer.hpp"
#include "decks/loader.hpp"
#include "store/anki_package.hpp"

namespace certdrill::cli {

namespace fs = std::filesystem;

namespace {

// The whole file; a data error when it cannot be read.
std::string read_input(const std::string& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) throw app::data_error("cannot read '" + file + "': " + ec.message(), "check the path");
    if (size > decks::kMaxDeckFileBytes)
        throw app::data_error("'" + file + "' is " + std::to_string(size / (1024 * 1024)) +
                                  " MB; imports are limited to " +
                                  std::to_string(decks::kMaxDeckFileBytes / (1024 * 1024)) + " MB",
                              "split it into several files");
    std::ifstream in(file, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) throw app::data_error("cannot read '" + file + "'", "check that it is readable");
    return data;
}

DeckInfo imported_deck_info(const Exam& exam, const std::string& deck_id, const std::string& source) {
    DeckInfo info;
    info.id = deck_id;
    info.title = exam.short_name + ": " + deck_id;
    info.exam_id = exam.id;
    info.author = "unknown";
    info.version = "1.0.0";
    info.license = "unspecified";
    info.description = "Imported from " + text::sanitize(fs::path(source).filename().string()) +
                       "; set the author and license before sharing.";
    return info;
}

void print_problem(std::ostream& err, const std::string& file, int row, bool error, const std::string& message,
                   const std::string& hint) {
    err << text::sanitize(file);
    if (row > 0) err << ':' << row;
    err << (error ? ": error: " : ": warning: ") << text::sanitize(message);
    if (!hint.empty()) err << " [hint: " << text::sanitize(hint) << ']';
    err << '\n';
}

// Validator findings on the assembled cards, reported against the rows they came from.
std::vector<app::RowProblem> check_rows(const DeckInfo& info, const app::CsvImport& imported,
                                        const std::vector<fs::path>& context, std::vector<app::RowProblem>& warnings) {
    std::map<std::string, int> row_of_id;
    for (std::size_t i = 0; i < imported.cards.size(); ++i) row_of_id.emplace(imported.cards[i].id, imported.rows[i]);
    std::vector<app::RowProblem> errors;
    for (const auto& d : decks::check_deck(info, imported.cards, context).items) {
        int row = 0;
        const int index = decks::card_index(d.pointer);
        if (index >= 0 && static_cast<std::size_t>(index) < imported.rows.size())
            row = imported.rows[static_cast<std::size_t>(index)];
        else if (auto it = row_of_id.find(d.card_id); it != row_of_id.end())
            row = it->second;
        std::string message = d.message;
        if (!d.card_id.empty()) message = "card '" + d.card_id + "': " + message;
        (d.severity == decks::Severity::Error ? errors : warnings).push_back({row, message, d.hint});
    }
    return errors;
}

int import_csv(const ImportOptions& o, const std::vector<fs::path>& deck_dirs, std::ostream& out, std::ostream& err);
int import_apkg(const ImportOptions& o, const std::vector<fs::path>& deck_dirs, std::ostream& out, std::ostream& err);
int export_apkg(const ExportApkgOptions& o, const std::vector<fs::path>& deck_dirs, std::int64_t now_ms,
                std::ostream& out);

}  // namespace

int import_csv_command(const ImportOptions& o, const std::vector<fs::path>& deck_dirs, std::ostream& out,
                       std::ostream& err) {
    return report_errors(err, [&] { return import_csv(o, deck_dirs, out, err); });
}

namespace {

int import_csv(const ImportOptions& o, const std::vector<fs::path>& deck_dirs, std::ostream& out, std::ostream& err) {
    const Library library = load_library_quietly(deck_dirs);
    const Exam& exam = app::require_exam(library, o.exam_id, app::kExamOption);
    check_new_deck_id(library, o.deck_id);
    const std::string data = read_input(o.file);
    if (data.find('\0') != std::string::npos) {
        print_problem(err, o.file, 0, true, "the file is binary, not CSV text", "export the sheet as CSV UTF-8");
        return app::exit_code(app::ExitStatus::DataError);
    }
    app::CsvImport imported = app::cards_from_csv(data, exam, o.deck_id);
    const DeckInfo info = imported_deck_info(exam, o.deck_id, o.file);
    decks::Diagnostics ignored;
    const auto context = decks::collect_deck_files(deck_dirs, ignored);
    std::vector<app::RowProblem> warnings;
    if (!imported.fatal) {
        auto found = check_rows(info, imported, context, warnings);
        imported.problems.insert(imported.problems.end(), found.begin(), found.end());
    }
    std::stable_sort(imported.problems.begin(), imported.problems.end(),
                     [](const app::RowProblem& a, const app::RowProblem& b) { return a.row < b.row; });
    for (const auto& p : imported.problems) print_problem(err, o.file, p.row, true, p.message, p.hint);

    std::set<int> bad_rows;
    for (const auto& p : imported.problems) bad_rows.insert(p.row);
    if (!imported.problems.empty() && (imported.fatal || !o.skip_bad || bad_rows.count(0))) {
        print_error(err,
                    std::to_string(bad_rows.size()) + (bad_rows.size() == 1 ? " row has" : " rows have") +
                        " errors, so nothing was written",
                    imported.fatal || bad_rows.count(0) ? "fix the file and import it again"
                                                        : "fix the rows above, or pass --skip-bad to import the rest");
        return app::exit_code(app::ExitStatus::DataError);
    }
    std::vector<Card> kept;
    for (std::size_t i = 0; i < imported.cards.size(); ++i)
        if (!bad_rows.count(imported.rows[i])) kept.push_back(imported.cards[i]);
    if (kept.empty())
        throw app::data_error("no row could be imported, so nothing was written", "fix the rows above");
    for (const auto& w : warnings)
        if (!bad_rows.count(w.row)) print_problem(err, o.file, w.row, false, w.message, w.hint);
    const fs::path file = o.out_dir / (o.deck_id + ".json");
    write_deck(file, info, kept, deck_dirs, err);
    out << "wrote " << file.string() << ": " << kept.size() << (kept.size() == 1 ? " card" : " cards") << " for "
        << exam.short_name;
    if (!bad_rows.empty()) {
        out << "; skipped " << bad_rows.size() << (bad_rows.size() == 1 ? " bad row:" : " bad rows:");
        for (int r : bad_rows) out << ' ' << r;
    }
    out << "\n";
    return 0;
}

}  // namespace

int import_apkg_command(const ImportOptions& o, const std::vector<fs::path>& deck_dirs, std::ostream& out,
                        std::ostream& err) {
    return report_errors(err, [&] { return import_apkg(o, deck_dirs, out, err); });
}

namespace {

int import_apkg(const ImportOptions& o, const std::vector<fs::path>& deck_dirs, std::ostream& out, std::ostream& err) {
    const Library library = load_library_quietly(deck_dirs);
    const Exam& exam = app::require_exam(library, o.exam_id, app::kExamOption);
    check_new_deck_id(library, o.deck_id);
    const std::string domain =
        o.domain.empty() ? exam.domains.front().id : app::require_domain(exam, o.domain, app::kDomainOption).id;
    std::vector<store::AnkiNote> notes;
    try {
        notes = store::read_anki_package(o.file);
    } catch (const store::AnkiPackageError& e) {
        throw app::data_error(e.what());
    }
    const auto imported = app::cards_from_anki(notes, exam, o.deck_id, domain);
    for (const auto& [reason, count] : imported.skipped)
        err << text::sanitize(o.file) << ": note: skipped " << count << (count == 1 ? " note: " : " notes: ")
            << text::sanitize(reason) << '\n';
    if (imported.cards.empty())
        throw app::data_error("the package has no Basic or Basic-and-reversed notes to import, so nothing was written",
                              "certdrill imports front/back notes; make cloze notes into questions by hand");
    DeckInfo info = imported_deck_info(exam, o.deck_id, o.file);
    const fs::path file = o.out_dir / (o.deck_id + ".json");
    write_deck(file, info, imported.cards, deck_dirs, err);
    out << "wrote " << file.string() << ": " << imported.cards.size() << " flashcards from " << notes.size()
        << (notes.size() == 1 ? " note" : " notes");
    if (imported.default_domain_cards > 0)
        out << "; " << imported.default_domain_cards << " without a domain tag went to " << domain
            << " (tag notes with a domain id, or pass --domain)";
    out << "\n";
    return 0;
}

}  // namespace

int export_apkg_command(const ExportApkgOptions& o, const std::vector<fs::path>& deck_dirs, std::int64_t now_ms,
                        std::ostream& out, std::ostream& err) {
    return report_errors(err, [&] { return export_apkg(o, deck_dirs, now_ms, out); });
}

namespace {

int export_apkg(const ExportApkgOptions& o, const std::vector<fs::path>& deck_dirs, std::int64_t now_ms,
                std::ostream& out) {
    Library library = load_library_quietly(deck_dirs);
    if (!o.decks.empty()) library = app::restrict_to_decks(library, o.decks, o.exam_id, app::kExamOption);
    const Exam* exam = &app::require_exam(library, o.exam_id, app::kExamOption);
    std::vector<const Card*> flashcards;
    std::size_t questions = 0;
    for (const Card* c : library.cards_of(exam->id)) {
        if (c->is_question())
            ++questions;
        else
            flashcards.push_back(c);
    }
    if (flashcards.empty())
        throw app::AppError(app::ExitStatus::FailureFound, "no flashcards to export for " + exam->id,
                            "Anki packages carry flashcards only");
    const std::string deck_name =
        "certdrill::" + exam->short_name + (o.decks.size() == 1 ? "::" + o.decks.front() : std::string());
    try {
        store::write_anki_package(o.out_file, deck_name, app::anki_notes_from(flashcards), now_ms);
    } catch (const store::AnkiPackageExists& e) {
        throw app::usage_error(e.what(), "choose another --out file");
    } catch (const store::AnkiPackageError& e) {
        throw app::data_error(e.what(), "free some space, or choose a directory you can write to");
    }
    out << "wrote " << o.out_file << ": " << flashcards.size() << " flashcards as Basic notes in Anki deck '"
        << deck_name << "'";
    if (questions) out << " (" << questions << " questions are not exported: Anki has no exam questions)";
    out << "\n";
    return 0;
}

}  // namespace

}  // namespace certdrill::cli
