// The workload store's content as last read, kept for as long as it provably still is the
// file's content, so that reading commands (get, list, get_history) need neither the
// worker pool nor a parse of the file on every call.
//
// The store is shared with other processes (schedcp-cli, a second server) that replace it
// by rename (storage::atomic_write) and with anyone who edits it in place, so "still the
// file's content" is checked on every use, never assumed:
//  - inotify on the store's directory reports every change to the store's name (created,
//    written, closed after writing, renamed to or from, deleted, chmod-ed) and the directory
//    itself going away; the kernel queues the event inside the writer's system call, so a
//    change whose write or rename returned before a call is checked is seen by that check
//    (one non-blocking read(2) of the inotify descriptor);
//  - stat(2) of the store's path must still give the device, inode, size, modification and
//    change times it gave just before the snapshot was read, which also covers what a
//    directory watch cannot see (a directory above it renamed, the path redirected);
//  - a snapshot is only kept when no change was reported between the moment its load
//    began and the moment it is kept (a generation counter), so a slower load of older
//    content never replaces a newer one, and only while the watched directory still is the
//    one at the store's path (a watch follows its directory when that is moved: it is
//    dropped and added again on the path).
// Without inotify (no instances left, the directory cannot be watched) nothing is kept and
// every read loads the file as before.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

namespace schedcp::plugins::workloads {

class StoreSnapshot {
  public:
    explicit StoreSnapshot(std::filesystem::path file);
    ~StoreSnapshot();
    StoreSnapshot(const StoreSnapshot&) = delete;
    StoreSnapshot& operator=(const StoreSnapshot&) = delete;

    // What identifies the file's content as far as stat(2) can tell.
    struct Identity {
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = 0;
        std::int64_t modified_ns = 0;
        std::int64_t changed_ns = 0;
        bool operator==(const Identity&) const = default;
    };
    // The path's identity now, or nullopt when it does not exist or cannot be stat-ed.
    static std::optional<Identity> identity_of(const std::filesystem::path& file);

    // Before a load: drops anything reported changed and returns what keep() needs.
    struct Ticket {
        std::uint64_t generation = 0;
        std::optional<Identity> identity;  // stat-ed before the file is read
    };
    Ticket begin_load();
    // After a load that began with `ticket`: keeps `content` unless a change was reported
    // since (then the next read loads again).
    void keep(const Ticket& ticket, std::shared_ptr<const boost::json::object> content);

    // The kept content when it is still the file's (see above), else nullptr. Never waits
    // for another process; thread-safe.
    std::shared_ptr<const boost::json::object> current();

  private:
    void drain_changes();  // mutex_ held: reads what inotify reported, drops on a change
    void watch();          // mutex_ held: (re)adds the directory's watch when it has none
    void forget();         // mutex_ held
    void unwatch();        // mutex_ held
    std::filesystem::path dir() const;

    std::filesystem::path file_;
    std::string name_;  // the store's file name within its directory
    std::mutex mutex_;
    int inotify_ = -1;
    int watch_ = -1;
    std::optional<Identity> watched_dir_;  // the directory the watch was added on
    std::uint64_t generation_ = 0;         // counts reported changes
    std::shared_ptr<const boost::json::object> content_;
    std::optional<Identity> identity_;
};

}  // namespace schedcp::plugins::workloads
