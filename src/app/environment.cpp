#include "app/environment.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <stdexcept>

namespace certdrill::app {

namespace fs = std::filesystem;

namespace {

// A variable's value; an empty one counts as unset.
std::optional<std::string> non_empty(const EnvLookup& env, const char* name) {
    auto value = env(name);
    return value && !value->empty() ? value : std::nullopt;
}

// certdrill's directory of an XDG base directory: $<xdg_variable>/certdrill when absolute (the
// spec says to ignore a relative one), else $HOME/<home_default>/certdrill.
std::optional<fs::path> base_dir(const EnvLookup& env, const char* xdg_variable, const char* home_default) {
    if (auto xdg = non_empty(env, xdg_variable); xdg && fs::path(*xdg).is_absolute()) return fs::path(*xdg) / "certdrill";
    if (auto home = non_empty(env, "HOME")) return fs::path(*home) / home_default / "certdrill";
    return std::nullopt;
}

}  // namespace

Clock make_clock(const EnvLookup& env) {
    if (auto now = env("CERTDRILL_NOW")) {
        auto t = parse_iso8601(*now);
        if (!t)
            throw std::invalid_argument("CERTDRILL_NOW='" + *now +
                                        "' is not an ISO 8601 time; use e.g. 2026-11-26T09:00:00Z, or unset it");
        UnixMs fixed = *t;
        return [fixed] { return fixed; };
    }
    return [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    };
}

DayCounter make_day_counter(const EnvLookup& env) {
    DayCounter counter;
    counter.utc_offset_minutes = [](UnixMs t) {
        std::time_t seconds = static_cast<std::time_t>(t / 1000);
        std::tm local{};
        localtime_r(&seconds, &local);
        return static_cast<int>(local.tm_gmtoff / 60);
    };
    if (auto start = env("CERTDRILL_DAY_START")) {
        try {
            int hour = std::stoi(*start);
            if (hour >= 0 && hour <= 23) counter.rollover_hour = hour;
        } catch (const std::exception&) {
        }
    }
    return counter;
}

std::vector<fs::path> builtin_deck_dirs(const fs::path& executable) {
    std::vector<fs::path> dirs;
    std::error_code ec;
    fs::path installed = executable.parent_path().parent_path() / CERTDRILL_INSTALL_DECKS_REL;
    if (!executable.empty() && fs::is_directory(installed, ec)) {
        dirs.push_back(installed);
        return dirs;
    }
    if (fs::is_directory(CERTDRILL_SOURCE_DECKS, ec)) dirs.emplace_back(CERTDRILL_SOURCE_DECKS);
    return dirs;
}

std::vector<fs::path> deck_dirs(const fs::path& executable, const EnvLookup& env, const std::vector<fs::path>& extra) {
    auto dirs = builtin_deck_dirs(executable);
    if (auto list = env("CERTDRILL_DECKS")) {
        std::size_t start = 0;
        while (start <= list->size()) {
            std::size_t colon = list->find(':', start);
            std::string part = list->substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            if (!part.empty()) dirs.emplace_back(part);
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
    }
    dirs.insert(dirs.end(), extra.begin(), extra.end());
    return dirs;
}

std::uint64_t random_seed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

std::optional<std::filesystem::path> config_path(const EnvLookup& env) {
    if (auto file = non_empty(env, "CERTDRILL_CONFIG")) return std::filesystem::path(*file);
    if (auto dir = base_dir(env, "XDG_CONFIG_HOME", ".config")) return *dir / "config.json";
    return std::nullopt;
}

std::optional<std::filesystem::path> cache_dir(const EnvLookup& env) {
    if (auto dir = non_empty(env, "CERTDRILL_CACHE_DIR")) return std::filesystem::path(*dir);
    return base_dir(env, "XDG_CACHE_HOME", ".cache");
}

EnvLookup with_settings(EnvLookup env, const decks::UserConfig& settings) {
    return [env = std::move(env), settings](const char* name) -> std::optional<std::string> {
        if (auto value = env(name)) return value;
        const std::string_view wanted(name);
        if (wanted == "CERTDRILL_DAY_START" && settings.day_start) return std::to_string(*settings.day_start);
        if (wanted == "NO_COLOR" && settings.theme == "mono") return std::string("1");
        return std::nullopt;
    };
}

}  // namespace certdrill::app
