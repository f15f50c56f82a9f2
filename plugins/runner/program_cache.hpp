// Where scheduler programs are, remembered between calls.
//
// list_schedulers asks the runner where every scheduler is on every call; searching means
// a stat and an access(2) per scheduler per directory. The answers are kept until one of
// the searched directories changes, which inotify reports: an entry created, deleted,
// renamed, written or chmod-ed in a directory, or the directory itself removed or moved,
// drops every answer. inotify rather than a time-to-live because it is exact: a program
// installed (or removed, or made executable) while the server runs is seen by the next
// call, not a TTL later, and an unchanged system costs one non-blocking read(2) per call.
//
// The watches are set up by watch(), off the caller's path: the first find() hands it to
// the runner's worker pool (watch_in_background) and, until the watches are in place,
// finds answer by searching, uncached. Nothing happens at start-up: a watch on a large
// directory takes up to a millisecond (/usr/bin here), and on a server's start-up a worker
// doing that competed with it for the CPU (0.4 ms of its median). Without a worker
// (watch_in_background not called) the first find() watches itself.
//
// What inotify cannot see is handled by not caching it:
//  - a directory that does not exist (yet) is tried again on every call (one
//    inotify_add_watch); when it appears it is watched and the answers are dropped;
//  - a directory that exists but cannot be watched (permissions, the watch limit) turns
//    caching off until it can be;
//  - an answer that goes through a symbolic link (found program, or a link that points
//    nowhere yet) is searched again every time, since the link's target is elsewhere;
//  - without inotify (no instances left) nothing is cached.
// The search order is find_executable's: the directories given, then $PATH's absolute
// entries as they were when the cache was made.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::plugins::runner {

class ProgramCache {
  public:
    // `dirs` first (a leading ~ is expanded), then $PATH's absolute entries.
    explicit ProgramCache(const std::vector<std::filesystem::path>& dirs);
    ~ProgramCache();
    ProgramCache(const ProgramCache&) = delete;
    ProgramCache& operator=(const ProgramCache&) = delete;

    // The executable `name` in the first directory that has one (thread-safe).
    std::optional<std::filesystem::path> find(std::string_view name);
    // Watches the directories now; thread-safe, and finds do not wait for it.
    void watch();
    // How many answers are kept now (0 while nothing is cached): what tests can observe.
    std::size_t kept_answers();
    // The first find() passes watch() to `run`, which runs it elsewhere, later (posts it:
    // running it before returning would deadlock).
    void watch_in_background(std::function<void(std::function<void()>)> run);

  private:
    struct Dir {
        std::filesystem::path path;
        int watch = -1;  // inotify watch descriptor; -1: not watched (missing)
    };
    // mutex_ held:
    void record(Dir& d, int watch, int error);  // one inotify_add_watch's answer
    void watch_missing();
    void drop_if_changed();
    // find_executable over the search list, uncached.
    std::optional<std::filesystem::path> search(std::string_view name) const;
    bool through_symlink(std::string_view name,
                         const std::optional<std::filesystem::path>& found) const;

    std::mutex mutex_;
    std::vector<Dir> dirs_;
    int inotify_ = -1;
    bool watched_ = false;  // watch() has run: answers may be kept from here on
    bool watch_requested_ = false;
    std::function<void(std::function<void()>)> background_;
    bool blind_ = false;  // a directory exists that cannot be watched: cache nothing
    std::map<std::string, std::optional<std::filesystem::path>, std::less<>> answers_;
};

}  // namespace schedcp::plugins::runner
