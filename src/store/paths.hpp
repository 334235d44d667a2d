#pragma once
// Where the progress database lives by default.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace certdrill::store {

// Reads an environment variable; injected so that path logic stays pure and testable.
using EnvLookup = std::function<std::optional<std::string>(const char*)>;

// $CERTDRILL_DB, else $XDG_DATA_HOME/certdrill/progress.db, else
// $HOME/.local/share/certdrill/progress.db. Empty variables count as unset, and so does a
// relative XDG_DATA_HOME (the XDG spec says to ignore it). Throws StoreError (NoLocation) when
// none of them is usable.
std::filesystem::path default_db_path(const EnvLookup& env);

// The process environment, for callers at the program's edge.
EnvLookup process_env();

}  // namespace certdrill::store
