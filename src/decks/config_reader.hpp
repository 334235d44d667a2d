#pragma once
// The user's settings file, $XDG_CONFIG_HOME/certdrill/config.json (schema:
// docs/schema/config.schema.json). Every field is optional; environment variables and
// command-line options override what it says.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace certdrill::decks {

struct UserConfig {
    std::optional<int> new_cards_per_day;           // 0-1000
    std::optional<double> desired_retention;        // 0.70-0.99
    std::optional<int> day_start;                   // hour 0-23 when a study day rolls over
    std::optional<std::string> default_exam;        // exam id used when --exam is not given
    std::vector<std::filesystem::path> deck_dirs;   // extra deck directories, before $CERTDRILL_DECKS
    std::optional<std::string> theme;               // "color" or "mono"
};

struct ConfigResult {
    UserConfig config;
    // "file:line:column: error: message [hint: ...]", one per problem; the config is unusable
    // when there is any.
    std::vector<std::string> errors;
};

// Reads the file; a missing file is an empty config. Relative deck directories are taken
// relative to the file's directory; "~/" at the start means the home directory `home`.
ConfigResult read_config(const std::filesystem::path& file, const std::filesystem::path& home);

}  // namespace certdrill::decks
