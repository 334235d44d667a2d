// libFuzzer target for `certdrill import csv`: any bytes as a spreadsheet saved as CSV, read
// against the fixture blueprint. The reader must never crash, hang or leak: every malformed row
// is a problem naming its row, and the cards it does accept go through the deck validator as the
// command sends them.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "app/csv_import.hpp"
#include "core/csv.hpp"
#include "decks/deck_writer.hpp"
#include "decks/loader.hpp"

namespace {

const std::filesystem::path kFixtureExam = CERTDRILL_FUZZ_FIXTURE_EXAM;

const certdrill::Exam& fixture_exam() {
    static const certdrill::decks::LoadResult loaded = certdrill::decks::load_files({kFixtureExam});
    if (loaded.library.exams.empty()) __builtin_trap();
    return loaded.library.exams.front();
}

// The table itself: records in file order, each with at least one field.
void check_table(std::string_view text) {
    const auto table = certdrill::csv::parse(text);
    int last_row = 0;
    for (const auto& record : table.records) {
        if (record.row <= last_row || record.line < 1 || record.fields.empty()) __builtin_trap();
        last_row = record.row;
    }
    if (!table.error.empty() && table.error_row <= last_row) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_table(text);

    const certdrill::Exam& exam = fixture_exam();
    const auto imported = certdrill::app::cards_from_csv(text, exam, "fuzz");
    if (imported.cards.size() != imported.rows.size()) __builtin_trap();
    if (imported.fatal && !imported.cards.empty()) __builtin_trap();
    for (std::size_t i = 0; i < imported.cards.size(); ++i)
        if (imported.cards[i].id.empty() || imported.rows[i] < 2) __builtin_trap();
    if (imported.fatal || imported.cards.empty()) return 0;

    certdrill::DeckInfo info;
    info.id = "fuzz";
    info.title = "Fuzz";
    info.exam_id = exam.id;
    info.author = "unknown";
    info.version = "1.0.0";
    info.license = "unspecified";
    certdrill::decks::check_deck(info, imported.cards, {kFixtureExam});
    return 0;
}
