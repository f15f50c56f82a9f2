// schedcp-cli: argv -> command (from plugins, plus the built-ins `plugins`, `call`,
// `help`) -> handler on the host's event loop -> text or --json -> exit code.
#pragma once

namespace schedcp::host::cli {

int run(int argc, char** argv);

}  // namespace schedcp::host::cli
