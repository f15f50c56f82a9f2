// The HTTP transport's pure parts: listen addresses and DNS-rebinding protection.
#include <boost/test/unit_test.hpp>

#include "mcp/http/listen_address.hpp"
#include "mcp/http/origin_policy.hpp"

using namespace schedcp::host::mcp::http;

BOOST_AUTO_TEST_SUITE(http_policy)

BOOST_AUTO_TEST_CASE(listen_addresses) {
    auto v4 = std::get<ListenAddress>(parse_listen_address("127.0.0.1:8765"));
    BOOST_TEST(v4.address.to_string() == "127.0.0.1");
    BOOST_TEST(v4.port == 8765);
    BOOST_TEST(v4.text() == "127.0.0.1:8765");
    auto v6 = std::get<ListenAddress>(parse_listen_address("[::1]:0"));
    BOOST_TEST(v6.address.is_loopback());
    BOOST_TEST(v6.text() == "[::1]:0");
    auto named = std::get<ListenAddress>(parse_listen_address("localhost:80"));
    BOOST_TEST(named.address.to_string() == "127.0.0.1");
    for (const std::string bad : {"8765", ":8765", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                                  "127.0.0.1:-1", "127.0.0.1:80x", "::1:80", "example.org:80"})
        BOOST_TEST(std::holds_alternative<std::string>(parse_listen_address(bad)), bad);
}

BOOST_AUTO_TEST_CASE(loopback_hosts_are_allowed_with_any_port) {
    OriginPolicy p({}, {});
    for (const std::string ok :
         {"localhost", "localhost:8765", "127.0.0.1:1", "[::1]:8765", "LOCALHOST"})
        BOOST_TEST(p.host_allowed(ok), ok);
    for (const std::string bad : {"", "evil.example", "evil.example:8765", "127.0.0.1.evil.example",
                                  "localhost.evil", "[::1", "localhost:80x", "127.0.0.2"})
        BOOST_TEST(!p.host_allowed(bad), bad);
}

BOOST_AUTO_TEST_CASE(origins) {
    OriginPolicy p({"mcp.example.org"}, {"https://app.example.org"});
    BOOST_TEST(p.origin_allowed("", false));  // not a browser
    for (const std::string ok : {"http://localhost:3000", "https://127.0.0.1", "http://[::1]:9",
                                 "https://app.example.org", "HTTPS://APP.EXAMPLE.ORG"})
        BOOST_TEST(p.origin_allowed(ok, true), ok);
    for (const std::string bad :
         {"null", "", "http://evil.example", "file://localhost", "http://localhost.evil.example",
          "http://localhost/x", "https://app.example.org:444"})
        BOOST_TEST(!p.origin_allowed(bad, true), bad);
    BOOST_TEST(p.host_allowed("mcp.example.org:443"));
    OriginPolicy with_port({"mcp.example.org:443"}, {});
    BOOST_TEST(with_port.host_allowed("mcp.example.org:443"));
    BOOST_TEST(!with_port.host_allowed("mcp.example.org:80"));
}

BOOST_AUTO_TEST_SUITE_END()
