#pragma once
// What the use cases need from the outside world, passed in explicitly: environment variables,
// the clock, the random seed and where things live.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "decks/config_reader.hpp"
#include "store/paths.hpp"

namespace certdrill::app {

using store::EnvLookup;

// The clock: CERTDRILL_NOW (ISO 8601) when set, so users and tests can simulate days passing;
// the system clock otherwise. Throws std::invalid_argument when CERTDRILL_NOW is malformed.
Clock make_clock(const EnvLookup& env);

// Local-calendar day counting with the rollover hour (CERTDRILL_DAY_START, default 4).
DayCounter make_day_counter(const EnvLookup& env);

// Deck directories, in load order: the built-in decks (installed beside the binary, else the
// source tree), then CERTDRILL_DECKS (colon-separated), then --decks options.
std::vector<std::filesystem::path> builtin_deck_dirs(const std::filesystem::path& executable);
std::vector<std::filesystem::path> deck_dirs(const std::filesystem::path& executable, const EnvLookup& env,
                                             const std::vector<std::filesystem::path>& extra);

// The settings file: $CERTDRILL_CONFIG, else $XDG_CONFIG_HOME/certdrill/config.json (when
// absolute), else $HOME/.config/certdrill/config.json; nothing when none of them is set.
std::optional<std::filesystem::path> config_path(const EnvLookup& env);

// Where the deck library cache lives: $CERTDRILL_CACHE_DIR, else $XDG_CACHE_HOME/certdrill
// (when absolute), else $HOME/.cache/certdrill; nothing when none of them is set.
std::optional<std::filesystem::path> cache_dir(const EnvLookup& env);

// The environment with the settings file underneath: a variable that is set wins, otherwise
// CERTDRILL_DAY_START comes from "day_start" and NO_COLOR from "theme": "mono".
EnvLookup with_settings(EnvLookup env, const decks::UserConfig& settings);

// A fresh random seed when none is given.
std::uint64_t random_seed();

}  // namespace certdrill::app
