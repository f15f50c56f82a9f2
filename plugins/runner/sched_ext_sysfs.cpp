#include "sched_ext_sysfs.hpp"

#include <sys/utsname.h>

#include <fstream>

namespace schedcp::plugins::runner {

namespace {

std::optional<std::string> read_line(const std::filesystem::path& p) {
    std::ifstream in(p);
    if (!in) return std::nullopt;
    std::string s;
    std::getline(in, s);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

std::optional<std::uint64_t> read_number(const std::filesystem::path& p) {
    auto s = read_line(p);
    if (!s || s->empty()) return std::nullopt;
    try {
        return std::stoull(*s);
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace

SchedExtState read_sched_ext(const std::filesystem::path& root) {
    SchedExtState s;
    std::error_code ec;
    s.present = std::filesystem::is_directory(root, ec);
    if (!s.present) return s;
    s.state = read_line(root / "state").value_or("unknown");
    // root/ disappears when no scheduler is loaded.
    if (auto ops = read_line(root / "root" / "ops"); ops && !ops->empty()) s.ops = *ops;
    s.enable_seq = read_number(root / "enable_seq");
    s.nr_rejected = read_number(root / "nr_rejected");
    if (auto sw = read_number(root / "switch_all")) s.switch_all = *sw != 0;
    return s;
}

boost::json::object SchedExtState::to_json() const {
    boost::json::object o{{"sched_ext", present}};
    if (!present) return o;
    o["state"] = state;
    o["ops"] = ops ? boost::json::value(*ops) : boost::json::value(nullptr);
    if (enable_seq) o["enable_seq"] = *enable_seq;
    if (nr_rejected) o["nr_rejected"] = *nr_rejected;
    if (switch_all) o["switch_all"] = *switch_all;
    return o;
}

std::string kernel_release() {
    utsname u{};
    if (::uname(&u) != 0) return "unknown";
    return u.release;
}

std::string no_sched_ext_message(const std::filesystem::path& root) {
    return "this kernel (" + kernel_release() + ") has no sched_ext: " + root.string() +
           " does not exist. sched_ext needs Linux >= 6.12 built with CONFIG_SCHED_CLASS_EXT=y";
}

}  // namespace schedcp::plugins::runner
