#include "store/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <utility>

namespace certdrill::store {

namespace {
constexpr std::string_view kInUseMark = "in use\n";
}  // namespace

InstanceLock InstanceLock::acquire(const std::filesystem::path& database, bool database_has_content) {
    InstanceLock lock;
    const std::string path = database.string() + ".lock";
    // Never through a link, never blocking on a pipe, and only a regular file: the lock file is
    // truncated and written, so anything else under its name must be left alone (the caller
    // refuses such a name before; this holds even if one appears in between).
    constexpr int kFlags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    lock.fd_ = ::open(path.c_str(), kFlags);
    // A database that arrives without its lock file (copied from elsewhere, restored from a
    // backup) has no history here: it counts as not closed cleanly.
    const bool had_lock_file = lock.fd_ >= 0;
    if (!had_lock_file && errno == ENOENT) {
        lock.fd_ = ::open(path.c_str(), kFlags | O_CREAT | O_EXCL, 0600);
        if (lock.fd_ < 0 && errno == EEXIST) lock.fd_ = ::open(path.c_str(), kFlags);  // another start made it
    }
    struct stat opened {};
    // One name only: through a second hard link, truncating would empty another name's file.
    if (lock.fd_ >= 0 && (::fstat(lock.fd_, &opened) != 0 || !S_ISREG(opened.st_mode) || opened.st_nlink != 1)) {
        ::close(lock.fd_);
        lock.fd_ = -1;
    }
    if (lock.fd_ < 0) return lock;  // nothing known: unclean_before() stays true
    if (::flock(lock.fd_, LOCK_EX | LOCK_NB) == 0) {
        struct stat st {};
        lock.exclusive_ = true;
        const bool mark_left = ::fstat(lock.fd_, &st) != 0 || st.st_size > 0;
        lock.unclean_before_ = had_lock_file ? mark_left : database_has_content;
        // Set before anything else happens, durably (a power cut right after must still find it),
        // and left in place if the database turns out to be damaged, so the next start checks
        // again.
        const bool written = ::ftruncate(lock.fd_, 0) == 0 &&
                             ::pwrite(lock.fd_, kInUseMark.data(), kInUseMark.size(), 0) ==
                                 static_cast<ssize_t>(kInUseMark.size()) &&
                             ::fsync(lock.fd_) == 0;
        (void)written;  // without the mark, a crash of this run goes unnoticed: no worse than before
        return lock;
    }
    // Another instance is running: it found out about the last shutdown and keeps the mark set.
    lock.others_running_ = true;
    lock.unclean_before_ = false;
    // The other may hold the lock alone for a moment while it starts (or for its whole run, if it
    // is an older certdrill); then this instance runs without a share and leaves the mark alone.
    lock.marked_ = ::flock(lock.fd_, LOCK_SH | LOCK_NB) == 0;
    return lock;
}

void InstanceLock::mark_in_use() noexcept {
    if (fd_ < 0 || !exclusive_) return;
    ::flock(fd_, LOCK_SH);  // converts the exclusive lock, so other instances can join
    exclusive_ = false;
    marked_ = true;
}

void InstanceLock::release() noexcept {
    if (fd_ < 0) return;
    // The last instance out (it gets the lock alone) closes the database cleanly: the mark goes.
    // An instance that never marked the database in use (its open failed) leaves the mark as it
    // found it.
    if (marked_ && ::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
        const int ignored = ::ftruncate(fd_, 0);  // if it fails, the next start only checks once more
        (void)ignored;
    }
    ::close(fd_);  // releases the lock
    fd_ = -1;
}

InstanceLock::~InstanceLock() { release(); }

InstanceLock::InstanceLock(InstanceLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      others_running_(other.others_running_),
      unclean_before_(other.unclean_before_),
      exclusive_(std::exchange(other.exclusive_, false)),
      marked_(std::exchange(other.marked_, false)) {}

InstanceLock& InstanceLock::operator=(InstanceLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        others_running_ = other.others_running_;
        unclean_before_ = other.unclean_before_;
        exclusive_ = std::exchange(other.exclusive_, false);
        marked_ = std::exchange(other.marked_, false);
    }
    return *this;
}

}  // namespace certdrill::store
