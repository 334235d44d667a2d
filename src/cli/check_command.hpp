#pragma once
// `certdrill check`: the full integrity check of the progress database. Opening the database runs
// only a quick check, and only after an unclean shutdown; this one looks at every page.
#include <filesystem>
#include <iosfwd>

namespace certdrill::cli {

// Prints "ok" or each problem found. Returns 0 when the database is intact, 1 when the check
// found damage; a database that cannot be opened at all throws store::StoreError (exit 3).
int check_command(const std::filesystem::path& db, std::ostream& out, std::ostream& err);

}  // namespace certdrill::cli
