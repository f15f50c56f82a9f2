// `schedcp-cli token new ID --scope read|admin`: mints a bearer token for the HTTP
// transport (server.http.auth.token_file) and prints the secret, once, with the line to
// add to the token file. The secret is not stored anywhere: the file keeps its SHA-256.
#pragma once

#include "../host.hpp"
#include "schedcp/sdk/command.hpp"

namespace schedcp::host::cli {

sdk::CommandSpec token_new_command(Host& host);

}  // namespace schedcp::host::cli
