#pragma once
// Who else is using a progress database, and whether the last use of it ended cleanly.
//
// Every running certdrill holds a shared advisory lock (flock) on `<database>.lock`. The first
// one to arrive, alone, finds out whether the previous run closed the database: the lock file
// holds a mark from the moment a run starts until the last run still open closes it. A mark
// left behind means a crash, a kill or a power cut, after which the database is worth an
// integrity check; after a clean shutdown that check is not needed and is skipped.
#include <filesystem>

namespace certdrill::store {

class InstanceLock {
public:
    InstanceLock() = default;  // holds nothing
    ~InstanceLock();
    InstanceLock(InstanceLock&& other) noexcept;
    InstanceLock& operator=(InstanceLock&& other) noexcept;
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;

    // Opens (creating) `<database>.lock` and takes the lock. Never throws: when the lock file
    // cannot be used, nothing is known and unclean_before() is true. A database that holds data
    // but comes without a lock file also counts as not closed cleanly.
    static InstanceLock acquire(const std::filesystem::path& database, bool database_has_content);

    // Another certdrill has the database open.
    bool others_running() const noexcept { return others_running_; }
    // The database may not have been closed cleanly: this is the only instance and the mark of
    // an earlier run was left behind, or the lock file could not be used.
    bool unclean_before() const noexcept { return unclean_before_; }

    // Once the database has been found usable: lets other instances join, and makes this one of
    // those whose clean shutdown counts (the last one to be destroyed removes the mark). Without
    // this call (the database was refused), the mark stays for the next start to see.
    void mark_in_use() noexcept;

private:
    void release() noexcept;

    int fd_ = -1;
    bool others_running_ = false;
    bool unclean_before_ = true;
    bool exclusive_ = false;  // holds the lock alone (until mark_in_use shares it)
    bool marked_ = false;     // this instance is one of those the mark stands for
};

}  // namespace certdrill::store
