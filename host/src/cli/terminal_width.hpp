// How many columns the CLI's human-readable output may use.
#pragma once

#include <cstddef>

namespace schedcp::host::cli {

// The terminal's width when stdout is a terminal (TIOCGWINSZ); else $COLUMNS when it is a
// whole number from 20 to 10000; else 100. Text piped to another program keeps a readable
// width instead of one line per row, however long.
std::size_t terminal_width();

}  // namespace schedcp::host::cli
