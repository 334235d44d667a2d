#pragma once
// Whether deck files are unchanged since they were hashed, told from what stat(2) says of them:
// the library cache's way to skip reading every file on every start. Internal to the decks layer.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decks/loader.hpp"

namespace certdrill::decks {

// What a deck file's name resolves to and what stat(2) says of it. A write, truncation, rename
// or permission change sets the status-change time (ctime) to the time of the change, and no
// program can set it back: while none of these moved, neither did the content. The name counts
// too: the loader reads two names of one file once, so a link moved to another name of the same
// file changes the result without changing the file.
struct FileStat {
    std::string resolved;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::uint64_t modified_ns = 0;
    std::uint64_t changed_ns = 0;
    bool operator==(const FileStat&) const = default;
};

// Every file's stats in key order (through links, as the files are read); nothing when any
// file cannot be stat'ed, is not a regular file or lives on a filesystem whose stats cannot
// vouch for it.
std::optional<std::vector<FileStat>> stats_of(const std::vector<std::filesystem::path>& files,
                                              const LoadOptions& options);

// Whether every file's status last changed long enough before `now` (a few seconds) that a later
// change is sure to move its timestamps.
bool settled(const std::vector<FileStat>& stats, std::chrono::system_clock::time_point now);

// The stats block of an entry: the files' stats as they were when their content was hashed for
// the entry's key, and whether they had settled then. Its own checksum guards it; it is
// rewritten in place once the files settle, and a block torn by a crash or damaged makes the
// entry a miss, read afresh and written anew.
struct StatsBlock {
    std::vector<FileStat> files;
    bool settled = false;
};

std::string encode_stats(const StatsBlock& block);
// The block at the start of `bytes` and its length; nothing when it is damaged.
std::optional<std::pair<StatsBlock, std::size_t>> decode_stats(std::string_view bytes);

}  // namespace certdrill::decks
