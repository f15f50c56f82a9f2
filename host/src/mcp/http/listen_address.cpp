#include "listen_address.hpp"

#include <charconv>

namespace schedcp::host::mcp::http {

std::string ListenAddress::text() const {
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(port);
}

std::variant<ListenAddress, std::string> parse_listen_address(const std::string& text) {
    const std::string expected =
        "expected ADDRESS:PORT, e.g. 127.0.0.1:8765, [::1]:8765 or localhost:8765";
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return "'" + text + "': " + expected;
    std::string host = text.substr(0, colon);
    const std::string port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        port > 65535)
        return "'" + text + "': the port must be a number from 0 to 65535";
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    else if (host.find(':') != std::string::npos)
        return "'" + text + "': write an IPv6 address in brackets, e.g. [::1]:8765";
    if (host == "localhost") host = "127.0.0.1";
    boost::system::error_code bad;
    auto address = boost::asio::ip::make_address(host, bad);
    if (bad) return "'" + text + "': '" + host + "' is not an IP address; " + expected;
    return ListenAddress{.address = address, .port = static_cast<std::uint16_t>(port)};
}

}  // namespace schedcp::host::mcp::http
