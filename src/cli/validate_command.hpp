#pragma once
#include <filesystem>
#include <iosfwd>
#include <vector>

namespace certdrill::cli {

// `certdrill validate [PATH...]`: checks decks and blueprints; returns the exit status.
// `deck_dirs` supply blueprints and existing card ids for checking a user's own files; with no
// paths, the deck directories themselves are checked. `lint` adds item-writing warnings.
int validate_command(const std::vector<std::filesystem::path>& paths,
                     const std::vector<std::filesystem::path>& deck_dirs, std::ostream& out, std::ostream& err,
                     bool lint = false);

}  // namespace certdrill::cli
