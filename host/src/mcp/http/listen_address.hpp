// The address the HTTP transport listens on: "127.0.0.1:8765", "[::1]:8765",
// "localhost:8765" (= 127.0.0.1). Literal addresses only (no name resolution at start-up).
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include <boost/asio/ip/address.hpp>

namespace schedcp::host::mcp::http {

struct ListenAddress {
    boost::asio::ip::address address;
    std::uint16_t port = 0;  // 0: any free port (the server logs and prints the one it got)

    std::string text() const;  // as parsed: "127.0.0.1:8765", "[::1]:8765"
};

// The address, or the reason it is not one (to be shown after the option's name).
std::variant<ListenAddress, std::string> parse_listen_address(const std::string& text);

}  // namespace schedcp::host::mcp::http
