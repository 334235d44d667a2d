#include "store/paths.hpp"

#include <cstdlib>

#include "store/store_error.hpp"

namespace certdrill::store {

namespace {

std::optional<std::string> non_empty(const EnvLookup& env, const char* name) {
    auto value = env(name);
    if (value && value->empty()) return std::nullopt;
    return value;
}

}  // namespace

std::filesystem::path default_db_path(const EnvLookup& env) {
    const std::filesystem::path file_in_data_dir = std::filesystem::path("certdrill") / "progress.db";
    if (auto explicit_path = non_empty(env, "CERTDRILL_DB")) return *explicit_path;
    if (auto xdg = non_empty(env, "XDG_DATA_HOME"); xdg && std::filesystem::path(*xdg).is_absolute()) {
        return std::filesystem::path(*xdg) / file_in_data_dir;
    }
    if (auto home = non_empty(env, "HOME")) return std::filesystem::path(*home) / ".local" / "share" / file_in_data_dir;
    throw StoreError(StoreError::Kind::NoLocation,
                     "cannot tell where to keep progress: none of CERTDRILL_DB, XDG_DATA_HOME or HOME is set",
                     "set HOME or CERTDRILL_DB, or pass --db <file>");
}

EnvLookup process_env() {
    return [](const char* name) -> std::optional<std::string> {
        if (const char* value = std::getenv(name)) return std::string(value);
        return std::nullopt;
    };
}

}  // namespace certdrill::store
