#pragma once
// A cache of load_files' result, so that a start does not parse every deck again. An entry is
// used only when it was written by the same program, in the same format, for the same options
// and the same files in the same order, each with the same content. The content is known to be
// the same in one of two ways:
// - its hash (XXH3) is the one in the entry's key, so an edited file is never served stale,
//   whatever its modification time says;
// - or neither what its name resolves to nor its stats (device, inode, size, modification and
//   status-change times) moved since they were recorded beside that hash, recorded only once
//   they had settled (had not changed for a few seconds). A change to a file's content moves
//   its status-change time, which no program can set back; a file changed within one timestamp
//   of its recording is never vouched for by its stats. Only local filesystems that keep that
//   time are trusted this way (ext4, xfs, btrfs, tmpfs, overlayfs, f2fs, zfs): network
//   filesystems answer stat from a cache, some FUSE filesystems report the modification time
//   as the change time, and FAT keeps none, so files there are hashed on every start. Not
//   covered: a program that writes a deck through a shared memory map, or a system clock set
//   back by more than a few seconds.
// A missing, damaged, foreign or outdated entry is a miss: the decks are loaded and the entry
// written anew. A cache that cannot be read or written never stops the load.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "decks/library_codec.hpp"
#include "decks/loader.hpp"

namespace certdrill::decks {

struct CacheSettings {
    std::filesystem::path dir;  // where entries live; empty turns the cache off
    // Names the program build that writes and reads entries: one build never reads another's.
    std::string program;
    // The time the files' status-change times are compared with, to tell whether they settled.
    std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
};

enum class CacheUse {
    Off,     // no directory given, or a file could not be read to hash it
    Hit,     // the result came from the cache
    Stored,  // loaded from the files, and written to the cache
    Missed,  // loaded from the files; the cache could not be written
};

// How a hit knew that the deck files had not changed.
enum class CacheCheck {
    None,     // not a hit
    Content,  // their content was hashed again
    Stats,    // their stats matched the settled ones recorded with the entry: no file was read
};

struct CachedLoad {
    LoadResult result;
    CacheUse use = CacheUse::Off;
    CacheCheck check = CacheCheck::None;
};

// The same result as load_files(files, options), from the cache when it holds it; with
// CardTexts::LeftOut, without the cards' texts (see library_codec.hpp), which a cache hit then
// never copies.
CachedLoad load_files_cached(const std::vector<std::filesystem::path>& files, const LoadOptions& options,
                             const CacheSettings& cache, CardTexts texts = CardTexts::Kept);

// How many entries (different sets of deck files) the directory keeps; older ones are removed.
constexpr std::size_t kCacheEntriesKept = 4;

}  // namespace certdrill::decks
