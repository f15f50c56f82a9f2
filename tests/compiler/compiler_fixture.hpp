// Test support: a schedcp config with the catalog, runner and compiler plugins in a
// temporary directory, and helpers to call create_and_verify_scheduler over MCP.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <string>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "mcp_client.hpp"
#include "sched_ext_btf.hpp"
#include "subprocess.hpp"
#include "test_build.hpp"

namespace schedcp::test {

struct CompilerFixture {
    TempDir dir;
    std::string data = dir.file("data/compiler");

    // Sources and include dirs live here: clang runs as the sandbox user (nobody), who must
    // be able to search them, as in a user's ordinary source tree.
    CompilerFixture() { ::chmod(dir.path().c_str(), 0755); }

    // `settings`: extra lines for the compiler plugin's settings, each "key: value".
    std::string config(const std::vector<std::string>& settings = {}) const {
        std::string yaml =
            "  - name: catalog\n  - name: runner\n  - name: compiler\n    settings:\n"
            "      vmlinux_btf: " +
            vmlinux_setting() + "\n";
        for (const auto& s : settings) yaml += "      " + s + "\n";
        return write_config(dir, yaml);
    }

    // tools/call with room for a compile (the first one generates vmlinux.h).
    static bj::object call(McpClient& c, const std::string& tool, bj::object args,
                           bj::object meta = {}) {
        bj::object params{{"name", tool}, {"arguments", std::move(args)}};
        if (!meta.empty()) params["_meta"] = std::move(meta);
        return c.request("tools/call", std::move(params), std::chrono::seconds(180));
    }

    static bj::object create(McpClient& c, const std::string& name, const std::string& source,
                             bj::object extra = {}) {
        extra["name"] = name;
        extra["source_code"] = source;
        return call(c, "create_and_verify_scheduler", std::move(extra));
    }

    // structuredContent of a successful result.
    static bj::object ok(const bj::object& response) {
        BOOST_REQUIRE_MESSAGE(response.contains("result"), bj::serialize(response));
        const auto& r = response.at("result").as_object();
        BOOST_REQUIRE_MESSAGE(!r.at("isError").as_bool(), bj::serialize(r));
        return r.at("structuredContent").as_object();
    }

    // A failed result over MCP is text only: the message, then (when the error has
    // details) a line of JSON with them. Returns {"message", "details"?}.
    static bj::object error(const bj::object& response) {
        BOOST_REQUIRE_MESSAGE(response.contains("result"), bj::serialize(response));
        const auto& r = response.at("result").as_object();
        BOOST_REQUIRE_MESSAGE(r.at("isError").as_bool(), bj::serialize(r));
        std::string text(r.at("content").at(0).at("text").as_string());
        bj::object out{{"message", text}};
        auto nl = text.rfind('\n');
        if (nl != std::string::npos && text.compare(nl + 1, 1, "{") == 0) {
            boost::system::error_code ec;
            auto details = bj::parse(text.substr(nl + 1), ec);
            if (!ec && details.is_object()) {
                out["message"] = text.substr(0, nl);
                out["details"] = details;
            }
        }
        return out;
    }

    // The error's code, which MCP results do not carry: through `schedcp-cli --json call`.
    std::string cli_error_code(const std::string& cfg, const bj::object& args) const {
        auto r = run({bin("schedcp-cli"), "--config", cfg, "--json", "call",
                      "create_and_verify_scheduler", bj::serialize(args)},
                     {}, {}, std::chrono::seconds(180));
        boost::system::error_code ec;
        auto v = bj::parse(r.out, ec);
        if (ec || !v.is_object() || !v.as_object().contains("error"))
            return "<no error: " + r.out + r.err + ">";
        return std::string(v.at("error").at("code").as_string());
    }

    static std::string text_of(const bj::object& response) {
        return std::string(response.at("result").at("content").at(0).at("text").as_string());
    }
};

inline std::string str(const bj::value& v) {
    return std::string(v.as_string());
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace schedcp::test
