// The MCP protocol revisions schedcp speaks, and what each one has on the wire.
// Everything that differs between revisions is decided from this table.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace schedcp::host::mcp {

struct Revision {
    std::string_view version;
    bool modern;             // 2026-07-28 and later: stateless, _meta envelope, resultType
    bool batching;           // JSON-RPC batches (2025-03-26 only)
    bool annotations;        // Tool.annotations (2025-03-26+)
    bool titles;             // Tool.title, Implementation.title (2025-06-18+)
    bool structured_output;  // Tool.outputSchema, CallToolResult.structuredContent (2025-06-18+)
    bool progress_message;   // notifications/progress `message` (2025-03-26+)
    bool audio_content;      // AudioContent (2025-03-26+)
};

// Newest first.
inline constexpr Revision kLegacyRevisions[] = {
    {"2025-11-25", false, false, true, true, true, true, true},
    {"2025-06-18", false, false, true, true, true, true, true},
    {"2025-03-26", false, true, true, false, false, true, true},
    {"2024-11-05", false, false, false, false, false, false, false},
};
inline constexpr Revision kModernRevisions[] = {
    {"2026-07-28", true, false, true, true, true, true, true},
};

inline const Revision* find_revision(std::string_view version, bool modern) {
    if (modern) {
        for (const auto& r : kModernRevisions)
            if (r.version == version) return &r;
    } else {
        for (const auto& r : kLegacyRevisions)
            if (r.version == version) return &r;
    }
    return nullptr;
}

// _meta keys of the 2026-07-28 per-request envelope.
inline constexpr std::string_view kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view kMetaClientCapabilities =
    "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view kMetaLogLevel = "io.modelcontextprotocol/logLevel";
inline constexpr std::string_view kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

}  // namespace schedcp::host::mcp
