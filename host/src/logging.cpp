#include "logging.hpp"

#include <map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/clock.hpp>
#include <boost/log/attributes/constant.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/basic_sink_backend.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/support/date_time.hpp>
#include <boost/log/utility/setup/common_attributes.hpp>
#include <boost/make_shared.hpp>
#include <boost/shared_ptr.hpp>
#include <ext/stdio_filebuf.h>
#include <ostream>

namespace schedcp::host {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;
namespace expr = boost::log::expressions;

BOOST_LOG_ATTRIBUTE_KEYWORD(severity_kw, "Severity", sdk::LogLevel)
BOOST_LOG_ATTRIBUTE_KEYWORD(channel_kw, "Channel", std::string)
BOOST_LOG_ATTRIBUTE_KEYWORD(call_kw, "McpCall", CallTag)

namespace {

using FileSink = sinks::synchronous_sink<sinks::text_ostream_backend>;
boost::shared_ptr<FileSink> g_file_sink;

class ForwardingBackend : public sinks::basic_sink_backend<sinks::synchronized_feeding> {
  public:
    void consume(const logging::record_view& rec) {
        std::lock_guard lock(mutex_);
        if (forwarders_.empty() && calls_.empty()) return;
        auto level = rec[severity_kw];
        if (!level) return;
        auto channel = rec[channel_kw];
        auto message = rec[expr::smessage];
        const std::string channel_text = channel ? *channel : std::string("host");
        const std::string message_text = message ? *message : std::string();
        if (auto tag = rec[call_kw]) {
            // A call's record belongs to that call's request only.
            auto it = calls_.find(*tag);
            if (it != calls_.end() && *level >= it->second.min_level)
                it->second.forwarder(*level, channel_text, message_text);
            return;
        }
        for (const auto& [owner, entry] : forwarders_)
            if (*level >= entry.min_level) entry.forwarder(*level, channel_text, message_text);
    }
    void set_call(CallTag tag, LogForwarder f, sdk::LogLevel min) {
        std::lock_guard lock(mutex_);
        calls_[tag] = Entry{.forwarder = std::move(f), .min_level = min};
    }
    void clear_call(CallTag tag) {
        std::lock_guard lock(mutex_);
        calls_.erase(tag);
    }
    void set(const void* owner, LogForwarder f, sdk::LogLevel min) {
        std::lock_guard lock(mutex_);
        forwarders_[owner] = Entry{.forwarder = std::move(f), .min_level = min};
    }
    // Once this returns, the owner's forwarder is not running and will not run again.
    void clear(const void* owner) {
        std::lock_guard lock(mutex_);
        forwarders_.erase(owner);
    }

  private:
    struct Entry {
        LogForwarder forwarder;
        sdk::LogLevel min_level;
    };
    std::mutex mutex_;
    std::map<const void*, Entry> forwarders_;
    std::map<CallTag, Entry> calls_;
};

using ForwardSink = sinks::synchronous_sink<ForwardingBackend>;
boost::shared_ptr<ForwardSink> g_forward_sink;

ForwardSink& forward_sink() {
    if (!g_forward_sink) {
        g_forward_sink = boost::make_shared<ForwardSink>();
        logging::core::get()->add_sink(g_forward_sink);
    }
    return *g_forward_sink;
}

// One record is one line: a newline (or any control character) inside a message, which
// may quote a scheduler's output or a client's input, is written escaped, so nothing a
// record contains can start a record of its own.
void write_escaped(logging::formatting_ostream& os, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : text) {
        if (c == '\n')
            os << "\\n";
        else if (c == '\r')
            os << "\\r";
        else if (c == '\t')
            os << '\t';
        else if (c < 0x20 || c == 0x7f)
            os << "\\x" << kHex[c >> 4] << kHex[c & 15];
        else
            os << static_cast<char>(c);
    }
}

void format_record(const logging::record_view& rec, logging::formatting_ostream& os) {
    auto ts = logging::extract<boost::posix_time::ptime>("TimeStamp", rec);
    if (ts) os << boost::posix_time::to_iso_extended_string(*ts);
    auto level = rec[severity_kw];
    os << " [" << (level ? sdk::to_string(*level) : "info") << "] ";
    auto channel = rec[channel_kw];
    write_escaped(os, channel ? *channel : std::string("host"));
    os << ": ";
    auto message = rec[expr::smessage];
    if (message) write_escaped(os, *message);
}

// The log written through the descriptor that was opened and checked (not reopened by
// name, which a swapped file could divert). libstdc++'s stdio_filebuf owns and closes it.
class DescriptorStream : public std::ostream {
  public:
    explicit DescriptorStream(int fd)
        : std::ostream(nullptr), buf_(fd, std::ios::out | std::ios::app) {
        rdbuf(&buf_);
    }

  private:
    __gnu_cxx::stdio_filebuf<char> buf_;
};

// The log may quote what clients and schedulers sent: readable by its owner only. An
// existing file is tightened; a symbolic link in its place, or a file of someone else's, is
// refused.
boost::shared_ptr<std::ostream> open_private_log(const std::filesystem::path& file) {
    auto fail = [&](const std::string& why) {
        return std::runtime_error("cannot open log file " + file.string() + ": " + why +
                                  " (set log.file in the config, or data_dir)");
    };
    int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        throw fail(std::string(std::strerror(errno)) +
                   (errno == ELOOP ? " (it is a symbolic link)" : ""));
    struct stat st {};
    std::string problem;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        problem = "not a regular file";
    else if (st.st_uid != ::geteuid())
        problem = "it belongs to uid " + std::to_string(st.st_uid) + ", not to us";
    if (!problem.empty()) {
        ::close(fd);
        throw fail(problem);
    }
    if ((st.st_mode & 077) != 0) ::fchmod(fd, 0600);
    return boost::make_shared<DescriptorStream>(fd);
}

}  // namespace

void init_logging(const std::filesystem::path& file, sdk::LogLevel level) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    auto stream = open_private_log(file);
    auto core = logging::core::get();
    if (g_file_sink) core->remove_sink(g_file_sink);
    auto backend = boost::make_shared<sinks::text_ostream_backend>();
    backend->add_stream(stream);
    backend->auto_flush(true);
    g_file_sink = boost::make_shared<FileSink>(backend);
    g_file_sink->set_formatter(&format_record);
    g_file_sink->set_filter(severity_kw >= level);
    core->add_sink(g_file_sink);
    forward_sink();
    core->add_global_attribute("TimeStamp", logging::attributes::local_clock());
}

sdk::Logger make_logger(const std::string& channel) {
    return sdk::Logger(logging::keywords::channel = channel);
}

void set_log_forwarder(const void* owner, LogForwarder forwarder, sdk::LogLevel min_level) {
    forward_sink().locked_backend()->set(owner, std::move(forwarder), min_level);
}

CallTag next_call_tag() {
    static std::atomic<CallTag> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

sdk::Logger make_call_logger(const std::string& channel, CallTag tag) {
    sdk::Logger logger(logging::keywords::channel = channel);
    logger.add_attribute("McpCall", logging::attributes::constant<CallTag>(tag));
    return logger;
}

void set_call_log_forwarder(CallTag tag, LogForwarder forwarder, sdk::LogLevel min_level) {
    forward_sink().locked_backend()->set_call(tag, std::move(forwarder), min_level);
}

void clear_call_log_forwarder(CallTag tag) {
    if (g_forward_sink) g_forward_sink->locked_backend()->clear_call(tag);
}

void clear_log_forwarder(const void* owner) {
    if (g_forward_sink) g_forward_sink->locked_backend()->clear(owner);
}

void flush_logging() {
    logging::core::get()->flush();
}

}  // namespace schedcp::host
