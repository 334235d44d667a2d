#pragma once
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace certdrill::cli {

// `certdrill new deck --exam ID --id DECK [--out DIR]`: writes DIR/DECK.json, a starter deck that
// passes `validate`, and never overwrites a file. Returns the exit status.
int new_deck_command(const std::string& exam_id, const std::string& deck_id, const std::filesystem::path& out_dir,
                     const std::vector<std::filesystem::path>& deck_dirs, std::ostream& out, std::ostream& err);

}  // namespace certdrill::cli
