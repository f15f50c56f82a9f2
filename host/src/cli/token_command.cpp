#include "token_command.hpp"

#include "../mcp/http/token_file.hpp"
#include "schedcp/sdk/error.hpp"
#include "schedcp/sdk/json.hpp"

namespace schedcp::host::cli {

namespace bj = boost::json;

sdk::CommandSpec token_new_command(Host& host) {
    const HttpAuthConfig defaults;
    const auto& auth = host.config().http.auth;
    const std::string read = auth ? auth->read_scope : defaults.read_scope;
    const std::string admin = auth ? auth->admin_scope : defaults.admin_scope;
    sdk::CommandSpec spec;
    spec.path = {"token", "new"};
    spec.summary = "Mint a bearer token for the HTTP transport (server.http.auth.token_file)";
    spec.description =
        "Prints the token once, and the line to append to the token file (its id, the\n"
        "token's SHA-256, its scopes). " +
        read + ": read-only tools only; " + admin +
        ": every tool.\n"
        "The file must stay mode 0600, owned by the server's user; restart the server after\n"
        "changing it. Example:\n"
        "  schedcp-cli token new laptop --scope " +
        read + "\n";
    spec.positionals = {{"id", "the token's name in logs: 1-64 of A-Z a-z 0-9 . _ -", true}};
    spec.options = {{.name = "scope",
                     .short_name = 's',
                     .type = sdk::OptionType::string,
                     .value_name = "SCOPE",
                     .help = "a scope to grant (repeatable)",
                     .repeatable = true,
                     .choices = {read, admin}}};
    spec.handler = [](const sdk::CommandInvocation& inv,
                      sdk::CommandContext&) -> boost::asio::awaitable<sdk::CommandResult> {
        const std::string id = sdk::json::required_string(inv.values, "id");
        std::vector<std::string> scopes;
        if (const bj::value* s = inv.values.if_contains("scope"); s && s->is_array())
            for (const auto& v : s->get_array())
                if (v.is_string()) scopes.emplace_back(v.get_string());
        if (scopes.empty()) throw sdk::InvalidArgument("give at least one --scope");
        mcp::http::MintedToken minted;
        try {
            minted = mcp::http::mint_token(id, scopes);
        } catch (const std::invalid_argument& e) {
            throw sdk::InvalidArgument(e.what());
        }
        std::string text =
            "token (shown only now; the client sends it as \"Authorization: "
            "Bearer <token>\"):\n  " +
            minted.secret + "\nline for the token file (server.http.auth.token_file):\n  " +
            minted.line + "\n";
        co_return sdk::CommandResult{
            bj::object{{"id", id}, {"token", minted.secret}, {"line", minted.line}},
            std::move(text), 0};
    };
    return spec;
}

}  // namespace schedcp::host::cli
