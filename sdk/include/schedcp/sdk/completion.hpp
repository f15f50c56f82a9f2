// Argument completion (MCP completion/complete): what a client offers while a user types
// a prompt argument or a resource template variable.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedcp::sdk {

struct Completion {
    std::vector<std::string> values;   // best first; the host sends at most 100
    std::optional<std::size_t> total;  // how many there are in all, when known
    bool has_more = false;             // more exist than `values` holds
};

// Called on the host's event loop with what the user typed so far (`partial`) and the
// values of the other arguments already chosen (`context`, possibly empty). Must be cheap
// and must not block: it answers while somebody types. Throwing std::exception answers
// with no values (the host logs it).
using Completer = std::function<Completion(std::string_view partial,
                                           const std::map<std::string, std::string>& context)>;

// The common case: the candidates that start with `partial`, in the order given.
inline Completion complete_from(const std::vector<std::string>& candidates,
                                std::string_view partial) {
    Completion out;
    for (const auto& c : candidates)
        if (c.size() >= partial.size() && std::string_view(c).substr(0, partial.size()) == partial)
            out.values.push_back(c);
    out.total = out.values.size();
    return out;
}

}  // namespace schedcp::sdk
