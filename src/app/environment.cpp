#include "app/environment.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <random>
#include <stdexcept>

namespace certdrill::app {

namespace fs = std::filesystem;

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
    const auto set = [&](const char* name) -> std::optional<std::string> {
        auto value = env(name);
        return value && !value->empty() ? value : std::nullopt;
    };
    const std::filesystem::path in_dir = std::filesystem::path("certdrill") / "config.json";
    if (auto file = set("CERTDRILL_CONFIG")) return std::filesystem::path(*file);
    if (auto xdg = set("XDG_CONFIG_HOME"); xdg && std::filesystem::path(*xdg).is_absolute())
        return std::filesystem::path(*xdg) / in_dir;
    if (auto home = set("HOME")) return std::filesystem::path(*home) / ".config" / in_dir;
    return std::nullopt;
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
