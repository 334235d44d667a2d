#include "decks/file_stats.hpp"

#include <sys/stat.h>
#include <sys/statfs.h>
#include <xxhash.h>

#include <algorithm>

#include "decks/byte_io.hpp"
#include "decks/resolved_paths.hpp"

namespace certdrill::decks {

namespace fs = std::filesystem;

namespace {

// A file whose status changed this recently may change again within the same timestamp, so its
// stats cannot vouch for its content yet (the "racy" case). Covers filesystems that keep
// timestamps to 2 s.
constexpr auto kSettleTime = std::chrono::seconds(3);

std::uint64_t nanoseconds(const struct timespec& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(t.tv_nsec);
}

// Whether the filesystem holding `file` keeps a status-change time that only the kernel sets,
// and answers stat(2) from the file itself. Network filesystems answer from a cache of
// attributes (an edit on another machine shows up to a minute late), FUSE filesystems such as
// sshfs may report the modification time as the change time, and FAT-family filesystems store
// no change time at all; on those, and on any filesystem not named here, files are hashed.
bool keeps_change_time(const fs::path& file) {
    struct statfs fsinfo {};
    if (::statfs(file.c_str(), &fsinfo) != 0) return false;
    switch (static_cast<std::uint64_t>(fsinfo.f_type)) {
        case 0xEF53:      // ext2, ext3, ext4
        case 0x58465342:  // xfs
        case 0x9123683E:  // btrfs
        case 0x01021994:  // tmpfs
        case 0x794C7630:  // overlayfs (containers)
        case 0xF2F52010:  // f2fs
        case 0x2FC12FC1:  // zfs
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<std::vector<FileStat>> stats_of(const std::vector<fs::path>& files, const LoadOptions& options) {
    std::vector<FileStat> stats;
    stats.reserve(files.size() + options.context_files.size());
    ResolvedPaths resolve;
    for (const auto* list : {&files, &options.context_files}) {
        for (const auto& file : *list) {
            struct stat st {};
            if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !keeps_change_time(file))
                return std::nullopt;
            stats.push_back({resolve(file).value_or(std::string()), static_cast<std::uint64_t>(st.st_dev),
                             static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                             nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)});
        }
    }
    return stats;
}

bool settled(const std::vector<FileStat>& stats, std::chrono::system_clock::time_point now) {
    const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch());
    const auto limit = since_epoch - std::chrono::duration_cast<std::chrono::nanoseconds>(kSettleTime);
    return std::all_of(stats.begin(), stats.end(), [&](const FileStat& f) {
        return static_cast<std::int64_t>(f.changed_ns) < limit.count();
    });
}

std::string encode_stats(const StatsBlock& block) {
    ByteWriter w;
    w.u32(static_cast<std::uint32_t>(block.files.size()));
    w.boolean(block.settled);
    for (const auto& f : block.files) {
        w.str(f.resolved);
        w.u64(f.device);
        w.u64(f.inode);
        w.u64(f.size);
        w.u64(f.modified_ns);
        w.u64(f.changed_ns);
    }
    const std::string& data = w.data();
    w.u64(XXH3_64bits(data.data(), data.size()));
    return w.take();
}

std::optional<std::pair<StatsBlock, std::size_t>> decode_stats(std::string_view bytes) {
    ByteReader r(bytes);
    const std::size_t count = r.count(4 + 5 * 8);
    StatsBlock block;
    block.settled = r.boolean();
    block.files.resize(count);
    for (auto& f : block.files) f = {r.str(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64()};
    const std::size_t length = r.position();
    const std::uint64_t checksum = r.u64();
    if (!r.ok() || checksum != XXH3_64bits(bytes.data(), length)) return std::nullopt;
    return std::pair{std::move(block), length + 8};
}

}  // namespace certdrill::decks
