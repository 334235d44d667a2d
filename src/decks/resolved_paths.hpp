#pragma once
// What a deck file's name resolves to, so that two names of one file are read once (the loader)
// and a cache entry knows which files it was built from (the library cache).

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

namespace certdrill::decks {

// std::filesystem::weakly_canonical of each file, with each directory resolved once: resolving
// a path looks up every component of it (a readlink each), which for the built-in decks was
// over 300 system calls on every start. A file that is itself a symbolic link, that cannot be
// looked at (missing, unreadable) or whose name is "." or "..", is resolved in full.
class ResolvedPaths {
public:
    // The resolved name, or nothing when it cannot be worked out.
    std::optional<std::string> operator()(const std::filesystem::path& file) {
        namespace fs = std::filesystem;
        std::error_code ec;
        const fs::path name = file.filename();
        const bool plain_name = !name.empty() && name != "." && name != "..";
        if (!plain_name || fs::is_symlink(fs::symlink_status(file, ec)) || ec) return in_full(file);
        const fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
        auto [known, added] = directories_.try_emplace(parent.string());
        if (added) known->second = in_full(parent);
        if (!known->second) return std::nullopt;
        return (fs::path(*known->second) / name).string();
    }

private:
    static std::optional<std::string> in_full(const std::filesystem::path& path) {
        std::error_code ec;
        auto resolved = std::filesystem::weakly_canonical(path, ec);
        if (ec) return std::nullopt;
        return resolved.string();
    }

    std::unordered_map<std::string, std::optional<std::string>> directories_;
};

}  // namespace certdrill::decks
