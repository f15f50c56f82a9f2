#include "bpf_scheduler.hpp"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "verifier_log.hpp"

namespace schedcp::loader {

namespace {

constexpr std::size_t kVerifierLogBytes = 16 << 20;  // big enough that no log is cut
constexpr std::size_t kKeptMessages = 8192;

std::mutex g_mutex;
std::string g_messages;
bool g_verbose = false;

int print_libbpf(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG && !g_verbose) return 0;
    char buf[4096];
    va_list copy;
    va_copy(copy, args);
    int n = std::vsnprintf(buf, sizeof buf, fmt, copy);
    va_end(copy);
    std::fputs(buf, stderr);
    if (level != LIBBPF_DEBUG) {
        std::lock_guard lock(g_mutex);
        g_messages += buf;
        if (g_messages.size() > kKeptMessages)
            g_messages.erase(0, g_messages.size() - kKeptMessages);
    }
    return n;
}

// libbpf's own error codes (4000+) included.
std::string errno_text(int err) {
    char buf[256];
    libbpf_strerror(err < 0 ? -err : err, buf, sizeof buf);
    return buf;
}

bool mentions(const std::string& haystack, const char* needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

void BpfScheduler::capture_libbpf_output(bool verbose) {
    g_verbose = verbose;
    libbpf_set_print(print_libbpf);
}

std::string BpfScheduler::libbpf_messages() {
    std::lock_guard lock(g_mutex);
    return g_messages;
}

BpfScheduler::BpfScheduler(std::string path) : path_(std::move(path)) {}

BpfScheduler::~BpfScheduler() {
    detach();
    if (obj_) bpf_object__close(obj_);
}

void BpfScheduler::open() {
    log_buf_.assign(kVerifierLogBytes, '\0');
    // Log level 0: no log for programs that load; libbpf retries a failing load with
    // level 1 into this buffer, so it holds the failing program's log.
    LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log_buf_.data(),
                .kernel_log_size = log_buf_.size(), .kernel_log_level = 0);
    obj_ = bpf_object__open_file(path_.c_str(), &opts);
    if (!obj_) {
        int err = errno;
        throw LoaderError(kBadObject, "open",
                          path_ + " is not a BPF object libbpf can open: " + errno_text(err));
    }
    std::string type;
    ops_map_ = compiler_common::find_struct_ops_map(obj_, &type);
    if (!ops_map_)
        throw LoaderError(kBadObject, "open",
                          path_ +
                              " has no struct_ops map: it is not a sched_ext scheduler "
                              "(define one with SCX_OPS_DEFINE)");
    if (type != "sched_ext_ops")
        throw LoaderError(kBadObject, "open",
                          path_ + ": its struct_ops map '" + bpf_map__name(ops_map_) +
                              "' is a struct " + type + ", not sched_ext_ops");
    ops_name_ = compiler_common::read_ops_name(obj_, ops_map_).value_or("");
    uei_ = compiler_common::find_uei(obj_);
}

void BpfScheduler::load() {
    int err = bpf_object__load(obj_);
    if (err == 0) {
        log_buf_.clear();
        log_buf_.shrink_to_fit();
        return;
    }
    verifier_log_.assign(log_buf_.c_str());
    std::string messages = libbpf_messages();
    failed_program_ = compiler_common::failed_program_of(messages);
    if (mentions(messages, "sched_ext_ops is not found in kernel BTF"))
        throw LoaderError(kNoSchedExt, "load",
                          "this kernel has no sched_ext: struct sched_ext_ops is not in its BTF "
                          "(it needs Linux >= 6.12 built with CONFIG_SCHED_CLASS_EXT=y)");
    if (-err == EPERM)
        throw LoaderError(
            kNoPermission, "load",
            "loading BPF programs needs root (or CAP_BPF and CAP_SYS_ADMIN): " + errno_text(err));
    if (!failed_program_.empty())
        throw LoaderError(kFailed, "load",
                          "the kernel verifier rejected program '" + failed_program_ + "' (" +
                              errno_text(err) + ")");
    throw LoaderError(kFailed, "load",
                      "loading the object failed: " + errno_text(err) +
                          (messages.empty() ? "" : " (see libbpf's messages)"));
}

void BpfScheduler::attach() {
    link_ = bpf_map__attach_struct_ops(ops_map_);
    if (link_) return;
    int err = errno;
    if (err == EBUSY || err == EEXIST || err == EALREADY)
        throw LoaderError(
            kBusy, "attach",
            "sched_ext refused the scheduler: another one is loaded (" + errno_text(err) + ")");
    if (err == EPERM)
        throw LoaderError(kNoPermission, "attach",
                          "attaching a sched_ext scheduler needs root: " + errno_text(err));
    throw LoaderError(kFailed, "attach",
                      "attaching the sched_ext_ops map failed: " + errno_text(err));
}

void BpfScheduler::detach() noexcept {
    // Destroying the link unregisters the scheduler; the kernel runs ops.exit() (which
    // records the exit info) before this returns.
    if (link_) bpf_link__destroy(link_);
    link_ = nullptr;
}

std::optional<compiler_common::ExitInfo> BpfScheduler::exit_info() const {
    if (!uei_) return std::nullopt;
    return compiler_common::read_exit_info(*uei_);
}

}  // namespace schedcp::loader
