#include "cli/validate_command.hpp"

#include <ostream>

#include "core/text.hpp"
#include "decks/loader.hpp"

namespace certdrill::cli {

namespace fs = std::filesystem;

namespace {
// Paths under the working directory are shown relative to it, as a compiler would.
std::vector<fs::path> for_display(const std::vector<fs::path>& files) {
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    std::vector<fs::path> out;
    for (const auto& f : files) {
        fs::path rel = ec ? fs::path() : fs::relative(f, cwd, ec);
        bool inside = !ec && !rel.empty() && *rel.begin() != "..";
        out.push_back(inside && f.is_absolute() ? rel : f);
        ec.clear();
    }
    return out;
}
}  // namespace

int validate_command(const std::vector<fs::path>& paths, const std::vector<fs::path>& deck_dirs, std::ostream& out,
                     std::ostream& err, bool lint) {
    decks::Diagnostics discovery;
    decks::LoadOptions options;
    options.lint = lint;
    options.keep_card_texts = false;  // only the diagnostics and summaries are printed
    std::vector<fs::path> files;
    if (paths.empty()) {
        files = decks::collect_deck_files(deck_dirs, discovery);
    } else {
        files = decks::collect_deck_files(paths, discovery);
        decks::Diagnostics ignored;
        options.context_files = decks::collect_deck_files(deck_dirs, ignored);
    }
    for (const auto& d : discovery.items) err << text::sanitize(decks::format(d)) << '\n';
    if (files.empty() && !discovery.has_errors()) {
        err << "certdrill validate: no deck files (*.json) found";
        err << (paths.empty() ? " in the deck directories\n" : " in the given paths\n");
        return 1;
    }
    auto result = decks::load_files(for_display(files), options);
    for (const auto& d : result.diagnostics.items) out << text::sanitize(decks::format(d)) << '\n';
    std::size_t errors = discovery.error_count(), warnings = 0;
    for (const auto& s : result.summaries) {
        std::size_t e = 0, w = 0;
        for (const auto& d : result.diagnostics.items) {
            if (d.file != s.file) continue;
            (d.severity == decks::Severity::Error ? e : w)++;
        }
        errors += e;
        warnings += w;
        out << text::sanitize(decks::summary_line(s, e, w)) << '\n';
    }
    out << "checked " << result.summaries.size() << (result.summaries.size() == 1 ? " file" : " files") << ": "
        << errors << (errors == 1 ? " error, " : " errors, ") << warnings << (warnings == 1 ? " warning" : " warnings")
        << '\n';
    return errors ? 1 : 0;
}

}  // namespace certdrill::cli
