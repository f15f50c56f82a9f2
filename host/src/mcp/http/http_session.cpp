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

std::shared_ptr<ResponseStream> HttpSession::expect(const std::string& id_key) {
    auto s = std::make_shared<ResponseStream>(ex_, max_bytes_);
    pending_[id_key] = s;
    latest_ = s;
    touch();
    return s;
}

std::shared_ptr<ResponseStream> HttpSession::open_standalone() {
    standalone_ = std::make_shared<ResponseStream>(ex_, max_bytes_);
    touch();
    return standalone_;
}

void HttpSession::close_standalone(const std::shared_ptr<ResponseStream>& s) {
    if (standalone_ == s) standalone_.reset();
    touch();
}

void HttpSession::end() {
    if (mcp_) mcp_->close();
    for (auto& [key, s] : pending_) s->end();
    pending_.clear();
    if (standalone_) standalone_->end();
    standalone_.reset();
    latest_.reset();
    dispatching_.reset();
    mcp_.reset();
}

bool HttpSession::idle_since(std::chrono::steady_clock::time_point t) const {
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
        if (latest_ == it->second) latest_.reset();
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
        if (latest_ == target) latest_.reset();
        return;
    }
    // A message that belongs to no open request goes to the standalone stream, else to the
    // newest request still open (a tool's log records, while it runs), else nowhere: the
    // 2025 transport lets a server drop what it has no stream for.
    if (!target) target = standalone_ ? standalone_ : latest_;
    if (target) target->push(std::move(serialised));
}

}  // namespace schedcp::host::mcp::http
