// A client for scx_stats, the statistics socket scx's Rust schedulers (scx_rusty, scx_lavd,
// scx_bpfland, ...) serve while they run: a UNIX stream socket, by default
// /var/run/scx/root/stats, speaking line-delimited JSON (rust/scx_stats in sched-ext/scx):
//   request   {"req": "stats", "args": {"target": "top"}}\n      (args are strings)
//   answer    {"errno": 0, "args": {"resp": <the statistics>}}\n
//   "stats_meta" instead of "stats" answers the fields' descriptions; a failure answers a
//   non-zero errno with the error text as "resp".
// Each call opens its own connection, bounded by a deadline and a cap on the answer's size,
// and never throws: what cannot be read comes back as {"available": false, "reason"}.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string_view>

#include <boost/json/object.hpp>

#include "schedcp/sdk/export.hpp"

namespace schedcp::sdk::scx_stats {

inline const std::filesystem::path kDefaultSocket = "/var/run/scx/root/stats";

struct Limits {
    std::chrono::milliseconds timeout{1000};  // connect, send and answer, all together
    std::size_t max_answer_bytes = 1 << 20;   // a longer answer is refused, not cut
};

// One request: {"available": true, "resp": <the answer's args.resp>} or {"available":
// false, "reason"} (no socket, nobody listening, timeout, too long, not JSON, errno != 0).
SCHEDCP_SDK_API boost::json::object request(const std::filesystem::path& socket,
                                            std::string_view req, const boost::json::object& args,
                                            Limits limits);

// The scheduler's statistics ("stats" for `target`): {"available": true, "stats": {...}}.
SCHEDCP_SDK_API boost::json::object read_stats(const std::filesystem::path& socket = kDefaultSocket,
                                               std::string_view target = "top", Limits limits = {});

// What the fields mean ("stats_meta"): {"available": true, "meta": {...}}.
SCHEDCP_SDK_API boost::json::object read_meta(const std::filesystem::path& socket = kDefaultSocket,
                                              Limits limits = {});

}  // namespace schedcp::sdk::scx_stats
