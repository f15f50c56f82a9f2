#include "http_session.hpp"

#include <boost/asio/post.hpp>

#include "../jsonrpc.hpp"

namespace schedcp::host::mcp::http {

void ResponseStream::push(std::string message) {
    if (answered || ended || overflowed) return;
    bytes += message.size();
    if (bytes > max_bytes) {
        // Bounded memory: a client that does not read its stream loses it.
        overflowed = true;
        messages.clear();
    } else {
        messages.push_back(std::move(message));
    }
    wake.cancel();
}

void ResponseStream::answer(std::string message, OutboundKind kind) {
    if (answered || ended) return;
    messages.push_back(std::move(message));
    answered = true;
    answer_kind = kind;
    wake.cancel();
}

void ResponseStream::end() {
    ended = true;
    wake.cancel();
}

HttpSession::HttpSession(boost::asio::io_context::executor_type ex, std::string id,
                         std::size_t max_bytes)
    : ex_(ex), id_(std::move(id)), max_bytes_(max_bytes) {}

namespace {
// Detached streams kept per session for a client to resume; the oldest goes first.
constexpr std::size_t kDetachedStreams = 16;
}  // namespace

std::shared_ptr<ResponseStream> HttpSession::expect(const std::string& id_key, bool resumable) {
    auto s = std::make_shared<ResponseStream>(ex_, max_bytes_);
    if (resumable) s->number = ++streams_opened_;
    pending_[id_key] = s;
    touch();
    return s;
}

std::shared_ptr<ResponseStream> HttpSession::open_standalone(bool resumable) {
    standalone_ = std::make_shared<ResponseStream>(ex_, max_bytes_);
    if (resumable) standalone_->number = ++streams_opened_;
    touch();
    return standalone_;
}

void HttpSession::close_standalone(const std::shared_ptr<ResponseStream>& s) {
    if (standalone_ == s) {
        last_standalone_ = s;
        standalone_.reset();
    }
    touch();
}

void HttpSession::keep_detached(const std::shared_ptr<ResponseStream>& s) {
    if (s->number == 0 || s->finished || s->ended) return;
    forget_detached(s);
    detached_.push_back(s);
    if (detached_.size() > kDetachedStreams) {
        detached_.front()->end();
        detached_.pop_front();
    }
}

void HttpSession::forget_detached(const std::shared_ptr<ResponseStream>& s) {
    std::erase(detached_, s);
}

std::shared_ptr<ResponseStream> HttpSession::find_stream(std::uint64_t number) const {
    for (const auto& s : detached_)
        if (s->number == number) return s;
    for (const auto& [key, s] : pending_)  // still being written: the caller answers 409
        if (s->number == number) return s;
    for (const auto& s : {standalone_, last_standalone_})
        if (s && s->number == number) return s;
    return nullptr;
}

void HttpSession::close_stream(const boost::json::value& id) {
    boost::asio::post(ex_, [self = shared_from_this(), id] {
        auto it = self->pending_.find(id_key(id));
        if (it == self->pending_.end() || it->second->number == 0) return;  // not resumable
        it->second->close_requested = true;
        it->second->wake.cancel();
    });
}

void HttpSession::end() {
    if (mcp_) mcp_->close();
    for (auto& [key, s] : pending_) s->end();
    pending_.clear();
    if (standalone_) standalone_->end();
    standalone_.reset();
    last_standalone_.reset();
    for (auto& s : detached_) s->end();
    detached_.clear();
    dispatching_.reset();
    mcp_.reset();
}

bool HttpSession::idle_since(std::chrono::steady_clock::time_point t) const {
    // Detached streams do not keep a session: one nobody came back for ends with it.
    return last_used_ < t && pending_.empty() && !standalone_ && (!mcp_ || mcp_->running() == 0);
}

void HttpSession::send(std::string serialised, const boost::json::value& related,
                       OutboundKind kind) {
    if (ex_.running_in_this_thread()) {
        route(std::move(serialised), related, kind);
        return;
    }
    // Progress and log records may come from other threads; routing happens on the loop.
    boost::asio::post(ex_, [self = shared_from_this(), s = std::move(serialised), related,
                            kind]() mutable { self->route(std::move(s), related, kind); });
}

void HttpSession::ended_unanswered(const boost::json::value& id) {
    if (auto it = pending_.find(id_key(id)); it != pending_.end()) {
        it->second->end();
        pending_.erase(it);
    }
}

void HttpSession::route(std::string serialised, const boost::json::value& related,
                        OutboundKind kind) {
    std::shared_ptr<ResponseStream> target;
    auto it = related.is_null() ? pending_.end() : pending_.find(id_key(related));
    if (it != pending_.end()) target = it->second;
    if (kind != OutboundKind::notification) {
        if (!target) target = dispatching_;  // an error for a request without a usable id
        if (!target) return;                 // nobody waits for it (the session ended)
        target->answer(std::move(serialised), kind);
        if (it != pending_.end()) pending_.erase(it);
        return;
    }
    // A notification of a request (progress, its tool's log records: CallLog) goes to that
    // request's stream while it is open, and nowhere after: nothing follows a response. One
    // of no request (a log record of the host) goes to the standalone stream, else nowhere:
    // the 2025 transport lets a server drop what it has no stream for.
    if (!related.is_null()) {
        if (target) target->push(std::move(serialised));
        return;
    }
    if (standalone_) standalone_->push(std::move(serialised));
}

}  // namespace schedcp::host::mcp::http
