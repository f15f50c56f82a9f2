// DNS-rebinding protection: which Host and Origin header values a request may carry.
//
// A web page can make a browser send requests to 127.0.0.1 under a name its attacker
// controls (DNS rebinding); such a request carries that name in Host and the page's
// origin in Origin. Accepted are the loopback names (localhost, 127.0.0.1, [::1], with any
// port) and what the config lists; anything else is answered 403 before it is read as MCP.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace schedcp::host::mcp::http {

// An allowed_hosts entry with "{hostname}" replaced by `nodename` (this machine's name, as
// uname -n prints it): one config for many machines ("{hostname}.example.org" on the
// Kubernetes DaemonSet's nodes). Throws std::invalid_argument for any other "{...}", a lone
// brace, or an empty node name.
std::string expand_host_entry(std::string_view entry, std::string_view nodename);

class OriginPolicy {
  public:
    // `hosts`: "name" (any port) or "name:port"; `origins`: "scheme://name[:port]".
    OriginPolicy(std::vector<std::string> hosts, std::vector<std::string> origins);

    // The Host header (required by HTTP/1.1: an empty one is refused).
    bool host_allowed(std::string_view host) const;
    // The Origin header; a request without one (not from a browser) passes.
    bool origin_allowed(std::string_view origin, bool present) const;

  private:
    std::vector<std::string> hosts_;
    std::vector<std::string> origins_;
};

}  // namespace schedcp::host::mcp::http
