#include "cli/new_deck_command.hpp"

#include <ostream>

#include "app/deck_selection.hpp"
#include "cli/deck_output.hpp"
#include "cli/runtime.hpp"

namespace certdrill::cli {

int new_deck_command(const std::string& exam_id, const std::string& deck_id, const std::filesystem::path& out_dir,
                     const std::vector<std::filesystem::path>& deck_dirs, std::ostream& out, std::ostream& err) {
    return report_errors(err, [&] {
    auto library = load_library_quietly(deck_dirs);
    const Exam& exam = find_exam(library, exam_id);
    check_new_deck_id(library, deck_id);
    const auto deck = app::starter_deck(exam, deck_id);
    const auto file = out_dir / (deck_id + ".json");
    write_deck(file, deck.info, deck.cards, deck_dirs, err);
    out << "wrote " << file.string() << ": deck " << deck_id << " for " << exam.short_name
        << " with 3 example cards (single, multi, flashcard)\n"
        << "next: edit it, check it with 'certdrill validate --lint " << file.string()
        << "', study it with 'certdrill --decks " << (out_dir.empty() ? "." : out_dir.string()) << " study --deck "
        << deck_id << "'\n";
    return 0;
    });
}

}  // namespace certdrill::cli
