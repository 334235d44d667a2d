#include "decks/library_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "decks/byte_io.hpp"
#include "decks/file_stats.hpp"
#include "decks/library_codec.hpp"
#include "decks/resolved_paths.hpp"

namespace certdrill::decks {

namespace fs = std::filesystem;

namespace {

// An entry file: the magic, the codec version, the length of the body and its XXH3-128
// checksum; the stats block (which has a checksum of its own, see StatsBlock); then the body:
// the key (a length-prefixed string) and the encoded LoadResult.
constexpr std::string_view kMagic = "CDLIBC\r\n";
constexpr std::size_t kHeaderBytes = 8 + 4 + 8 + 16;
constexpr std::string_view kEntryPrefix = "library-";
constexpr std::string_view kEntrySuffix = ".bin";
constexpr std::string_view kTempInfix = ".tmp-";
// The layout of an entry around the encoded result: 2 added the files' stats block.
constexpr std::uint32_t kEntryLayout = 2;
// A temporary file this old was left by a writer that died; a live writer is done in seconds.
constexpr auto kAbandonedTemp = std::chrono::hours(1);

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

private:
    int fd_;
};

// A file mapped read-only for as long as this lives.
class MappedFile {
public:
    static std::optional<MappedFile> open(const fs::path& path) {
        FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st {};
        if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return std::nullopt;
        const auto size = static_cast<std::size_t>(st.st_size);
        void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
        if (data == MAP_FAILED) return std::nullopt;
        return MappedFile(data, size);
    }
    MappedFile(MappedFile&& other) noexcept : data_(std::exchange(other.data_, nullptr)), size_(other.size_) {}
    MappedFile& operator=(MappedFile&&) = delete;
    ~MappedFile() {
        if (data_) ::munmap(data_, size_);
    }
    std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

private:
    MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}
    void* data_;
    std::size_t size_;
};

using HashState = std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)>;

HashState new_hash_state() {
    HashState state(XXH3_createState(), &XXH3_freeState);
    if (!state) throw std::bad_alloc();
    XXH3_128bits_reset(state.get());
    return state;
}

void write_hash(ByteWriter& w, XXH128_hash_t h) {
    w.u64(h.low64);
    w.u64(h.high64);
}

// Appends the size and content hash of a regular file; false when it cannot be read.
bool stamp_file(const fs::path& path, std::vector<char>& buffer, ByteWriter& stamps) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    stamps.u64(static_cast<std::uint64_t>(st.st_size));
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxDeckFileBytes) return true;  // refused for its size alone
    HashState state = new_hash_state();
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        XXH3_128bits_update(state.get(), buffer.data(), static_cast<std::size_t>(n));
    }
    write_hash(stamps, XXH3_128bits_digest(state.get()));
    return true;
}

void add_names(const std::vector<fs::path>& files, ByteWriter& identity) {
    identity.count(files.size());
    for (const auto& file : files) identity.str(file.string());
}

bool add_stamps(const std::vector<fs::path>& files, std::vector<char>& buffer, ResolvedPaths& resolve,
                ByteWriter& stamps) {
    for (const auto& file : files) {
        // The loader reads two names of one file once: what a name resolves to is part of the key.
        stamps.str(resolve(file).value_or(std::string()));
        if (!stamp_file(file, buffer, stamps)) return false;
    }
    return true;
}

// What decides an entry is its key: the identity, which names the program, the options and the
// files (and picks the entry's file name, so a set whose files are edited overwrites its own
// entry), then what each file resolves to and the hash of its content.

// The identity: what a key holds without reading a file.
std::string identity_of(const std::vector<fs::path>& files, const LoadOptions& options, const std::string& program) {
    ByteWriter identity;
    identity.str(program);
    identity.u32(kLibraryCodecVersion);
    identity.u32(kEntryLayout);
    identity.boolean(options.near_duplicate_warnings);
    identity.boolean(options.lint);
    // A library loaded without the cards' texts must never be served to a caller that shows them.
    identity.boolean(options.keep_card_texts);
    add_names(files, identity);
    add_names(options.context_files, identity);
    return identity.take();
}

// The whole key, which hashes every file; nothing when one cannot be read.
std::optional<std::string> cache_key(const std::vector<fs::path>& files, const LoadOptions& options,
                                     const std::string& identity) {
    ByteWriter stamps;
    stamps.bytes(identity);
    // 64 KiB: the buffer is zeroed, so each of its pages costs a page fault on every start, and
    // hashing the files in larger pieces is no faster.
    std::vector<char> buffer(1 << 16);
    ResolvedPaths resolve;
    if (!add_stamps(files, buffer, resolve, stamps) || !add_stamps(options.context_files, buffer, resolve, stamps))
        return std::nullopt;
    return stamps.take();
}

fs::path entry_path(const fs::path& dir, const std::string& identity) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(XXH3_64bits(identity.data(), identity.size())));
    return dir / (std::string(kEntryPrefix) + hex + std::string(kEntrySuffix));
}

bool is_hex16(std::string_view s) {
    return s.size() == 16 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "library-<16 hex digits>.bin": the name of an entry this cache writes.
bool is_entry_name(std::string_view name) {
    if (!name.starts_with(kEntryPrefix) || !name.ends_with(kEntrySuffix)) return false;
    return is_hex16(name.substr(kEntryPrefix.size(), name.size() - kEntryPrefix.size() - kEntrySuffix.size()));
}

// An entry's name followed by ".tmp-" and mkstemp's six characters: an entry being written.
bool is_temp_name(std::string_view name) {
    const auto infix = name.rfind(kTempInfix);
    return infix != std::string_view::npos && is_entry_name(name.substr(0, infix)) &&
           name.size() == infix + kTempInfix.size() + 6;
}

// An entry, mapped for as long as this lives, its header and body checksum checked.
struct Entry {
    MappedFile file;
    StatsBlock stats;
    std::size_t stats_bytes = 0;  // the length of the stats block, which a refresh must keep
    std::string_view key;
    std::string_view result;  // the encoded LoadResult
};

std::optional<Entry> open_entry(const fs::path& path) {
    auto file = MappedFile::open(path);
    if (!file) return std::nullopt;
    const std::string_view bytes = file->bytes();
    if (bytes.size() < kHeaderBytes || bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
    ByteReader header(bytes.substr(kMagic.size(), kHeaderBytes - kMagic.size()));
    const std::uint32_t version = header.u32();
    const std::uint64_t body_size = header.u64();
    const XXH128_hash_t checksum{header.u64(), header.u64()};
    auto stats = decode_stats(bytes.substr(kHeaderBytes));
    if (version != kLibraryCodecVersion || !stats) return std::nullopt;
    const std::string_view body = bytes.substr(kHeaderBytes + stats->second);
    if (body_size != body.size() || !XXH128_isEqual(checksum, XXH3_128bits(body.data(), body.size())))
        return std::nullopt;
    ByteReader r(body);
    const std::string_view key = r.view();
    if (!r.ok()) return std::nullopt;
    const std::string_view result = body.substr(4 + key.size());
    return Entry{std::move(*file), std::move(stats->first), stats->second, key, result};
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Streams the entry into `fd`: a blank header, the stats block, the body chunk by chunk (hashed
// on the way, never held whole), then the real header over the blank one.
bool write_entry_to(int fd, const std::string& key, const StatsBlock& stats, const LoadResult& result) {
    if (!write_all(fd, std::string(kHeaderBytes, '\0')) || !write_all(fd, encode_stats(stats))) return false;
    HashState state = new_hash_state();
    std::uint64_t body_size = 0;
    ByteWriter body([&](std::string_view chunk) {
        XXH3_128bits_update(state.get(), chunk.data(), chunk.size());
        body_size += chunk.size();
        return write_all(fd, chunk);
    });
    body.str(key);
    encode_load_result(result, body);
    if (!body.flush()) return false;
    ByteWriter header;
    header.bytes(kMagic);
    header.u32(kLibraryCodecVersion);
    header.u64(body_size);
    write_hash(header, XXH3_128bits_digest(state.get()));
    return ::lseek(fd, 0, SEEK_SET) == 0 && write_all(fd, header.data());
}

// Writes the entry beside its final name and renames it into place, so a reader sees the old
// entry or the new one, never half of one. False when anything fails; nothing is left behind.
bool write_entry(const fs::path& path, const std::string& key, const StatsBlock& stats, const LoadResult& result) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return false;
    std::string temp = path.string() + std::string(kTempInfix) + "XXXXXX";
    FileDescriptor fd(::mkstemp(temp.data()));
    if (fd.get() < 0) return false;
    const bool written = write_entry_to(fd.get(), key, stats, result);
    const bool closed = ::close(fd.release()) == 0;
    if (written && closed && ::rename(temp.c_str(), path.c_str()) == 0) return true;
    ::unlink(temp.c_str());
    return false;
}

bool starts_with_magic(const fs::path& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    char start[kMagic.size()];
    return fd.get() >= 0 && ::read(fd.get(), start, sizeof start) == static_cast<ssize_t>(sizeof start) &&
           std::string_view(start, sizeof start) == kMagic;
}

// Removes all but the newest kCacheEntriesKept entries, and temporary files abandoned by a
// writer that died. Only files with this cache's names are touched, and entries only when they
// start with its magic: anything else in the directory is left alone.
void prune(const fs::path& dir) {
    std::error_code ec;
    std::vector<std::pair<fs::file_time_type, fs::path>> entries;
    const auto now = fs::file_time_type::clock::now();
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code item_ec;
        if (!it->is_regular_file(item_ec) || it->is_symlink(item_ec)) continue;
        const auto modified = it->last_write_time(item_ec);
        if (item_ec) continue;
        if (is_temp_name(name) && now - modified > kAbandonedTemp) fs::remove(it->path(), item_ec);
        if (is_entry_name(name) && starts_with_magic(it->path())) entries.emplace_back(modified, it->path());
    }
    if (entries.size() <= kCacheEntriesKept) return;
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = kCacheEntriesKept; i < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

// Rewrites an entry's stats block in place, when the new block is as long as the old one (it is
// for the same files, resolving to the same names). A torn write fails the block's checksum: the
// entry is then a miss.
void refresh_stats(const fs::path& path, const StatsBlock& stats, std::size_t old_bytes) {
    const std::string bytes = encode_stats(stats);
    if (bytes.size() != old_bytes) return;
    FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() >= 0) (void)!::pwrite(fd.get(), bytes.data(), bytes.size(), static_cast<off_t>(kHeaderBytes));
}

// Marks an entry as just used, so that pruning keeps the entries in use.
void touch(const fs::path& path) { ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0); }

// Runs a step of the cache and turns any exception (out of memory, an unexpected filesystem
// error) into the step's empty result: the cache never stops a load.
template <class Step>
auto quietly(Step step) -> decltype(step()) {
    try {
        return step();
    } catch (const std::exception&) {
        return {};
    }
}

// A parsed load loses the texts too: a command asking for none gets none, cache or not.
CachedLoad without_texts_if_asked(CachedLoad loaded, CardTexts texts) {
    if (texts == CardTexts::LeftOut) leave_out_card_texts(loaded.result.library);
    return loaded;
}

}  // namespace

CachedLoad load_files_cached(const std::vector<fs::path>& files, const LoadOptions& options,
                             const CacheSettings& cache, CardTexts texts) {
    const auto uncached = [&] { return without_texts_if_asked({load_files(files, options), CacheUse::Off}, texts); };
    if (cache.dir.empty()) return uncached();
    const auto named = quietly([&] { return std::optional<std::string>(identity_of(files, options, cache.program)); });
    if (!named) return uncached();
    const std::string& identity = *named;
    const fs::path path = entry_path(cache.dir, identity);
    // Taken before any file is hashed: stats recorded with a key must be no newer than its hashes,
    // and whether they had settled is judged at the time they were taken.
    const auto stat_time = cache.now();
    const auto stats = quietly([&] { return stats_of(files, options); });
    auto entry = quietly([&] { return open_entry(path); });
    const bool vouched = entry && stats && entry->stats.settled && entry->stats.files == *stats;
    if (vouched && entry->key.starts_with(identity)) {
        if (auto cached = quietly([&] { return decode_load_result(entry->result, texts); })) {
            touch(path);
            return {std::move(*cached), CacheUse::Hit, CacheCheck::Stats};
        }
    }
    const auto key = quietly([&] { return cache_key(files, options, identity); });
    if (!key) return uncached();
    const bool settled_now = stats && settled(*stats, stat_time);
    if (entry && entry->key == *key) {
        if (auto cached = quietly([&] { return decode_load_result(entry->result, texts); })) {
            // The next start can trust the files' stats instead of hashing them again, if they
            // did not move while the files were hashed.
            if (settled_now && !vouched) {
                const std::size_t old_bytes = entry->stats_bytes;
                entry.reset();
                quietly([&] {
                    if (stats_of(files, options) == stats) refresh_stats(path, {*stats, true}, old_bytes);
                    return true;
                });
            }
            touch(path);
            return {std::move(*cached), CacheUse::Hit, CacheCheck::Content};
        }
    }
    entry.reset();
    CachedLoad loaded{load_files(files, options), CacheUse::Missed};
    const bool stored = quietly([&] {
        // A file edited while it was being loaded would store a result under a key it does not
        // match: the files are hashed again, and nothing is stored when any changed.
        const auto after = cache_key(files, options, identity);
        if (after != key) return false;
        const auto stats_after = stats_of(files, options);
        const bool unchanged = stats && stats_after == stats;
        StatsBlock block{stats_after.value_or(std::vector<FileStat>(files.size() + options.context_files.size())),
                         unchanged && settled_now};
        return write_entry(path, *key, block, loaded.result);
    });
    if (stored) {
        loaded.use = CacheUse::Stored;
        quietly([&] {
            prune(cache.dir);
            return true;
        });
    }
    return without_texts_if_asked(std::move(loaded), texts);
}

}  // namespace certdrill::decks
