#include "logging.hpp"

#include <mutex>
#include <stdexcept>

#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/clock.hpp>
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
#include <fstream>

namespace schedcp::host {

namespace logging = boost::log;
namespace sinks = boost::log::sinks;
namespace expr = boost::log::expressions;

BOOST_LOG_ATTRIBUTE_KEYWORD(severity_kw, "Severity", sdk::LogLevel)
BOOST_LOG_ATTRIBUTE_KEYWORD(channel_kw, "Channel", std::string)

namespace {

using FileSink = sinks::synchronous_sink<sinks::text_ostream_backend>;
boost::shared_ptr<FileSink> g_file_sink;

class ForwardingBackend : public sinks::basic_sink_backend<sinks::synchronized_feeding> {
  public:
    void consume(const logging::record_view& rec) {
        std::lock_guard lock(mutex_);
        if (!forwarder_) return;
        auto level = rec[severity_kw];
        if (!level || *level < min_level_) return;
        auto channel = rec[channel_kw];
        auto message = rec[expr::smessage];
        forwarder_(*level, channel ? *channel : std::string("host"),
                   message ? *message : std::string());
    }
    void set(LogForwarder f, sdk::LogLevel min) {
        std::lock_guard lock(mutex_);
        forwarder_ = std::move(f);
        min_level_ = min;
    }

  private:
    std::mutex mutex_;
    LogForwarder forwarder_;
    sdk::LogLevel min_level_ = sdk::LogLevel::info;
};

using ForwardSink = sinks::synchronous_sink<ForwardingBackend>;
boost::shared_ptr<ForwardSink> g_forward_sink;

void format_record(const logging::record_view& rec, logging::formatting_ostream& os) {
    auto ts = logging::extract<boost::posix_time::ptime>("TimeStamp", rec);
    if (ts) os << boost::posix_time::to_iso_extended_string(*ts);
    auto level = rec[severity_kw];
    os << " [" << (level ? sdk::to_string(*level) : "info") << "] ";
    auto channel = rec[channel_kw];
    os << (channel ? *channel : std::string("host")) << ": " << rec[expr::smessage];
}

}  // namespace

void init_logging(const std::filesystem::path& file, sdk::LogLevel level) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    auto stream = boost::make_shared<std::ofstream>(file, std::ios::app);
    if (!*stream)
        throw std::runtime_error("cannot open log file " + file.string() +
                                 " (set log.file in the config, or data_dir)");
    auto core = logging::core::get();
    if (g_file_sink) core->remove_sink(g_file_sink);
    auto backend = boost::make_shared<sinks::text_ostream_backend>();
    backend->add_stream(stream);
    backend->auto_flush(true);
    g_file_sink = boost::make_shared<FileSink>(backend);
    g_file_sink->set_formatter(&format_record);
    g_file_sink->set_filter(severity_kw >= level);
    core->add_sink(g_file_sink);
    if (!g_forward_sink) {
        g_forward_sink = boost::make_shared<ForwardSink>();
        core->add_sink(g_forward_sink);
    }
    core->add_global_attribute("TimeStamp", logging::attributes::local_clock());
}

sdk::Logger make_logger(const std::string& channel) {
    return sdk::Logger(logging::keywords::channel = channel);
}

void set_log_forwarder(LogForwarder forwarder, sdk::LogLevel min_level) {
    if (!g_forward_sink) {
        g_forward_sink = boost::make_shared<ForwardSink>();
        logging::core::get()->add_sink(g_forward_sink);
    }
    g_forward_sink->locked_backend()->set(std::move(forwarder), min_level);
}

void clear_log_forwarder() {
    if (g_forward_sink) g_forward_sink->locked_backend()->set(nullptr, sdk::LogLevel::critical);
}

void flush_logging() {
    logging::core::get()->flush();
}

}  // namespace schedcp::host
