#include "terminal_width.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace schedcp::host::cli {

namespace {

constexpr std::size_t kDefaultWidth = 100;
// Narrower or wider than this, $COLUMNS is more likely a mistake than a terminal.
constexpr std::size_t kNarrowest = 20, kWidest = 10000;

}  // namespace

std::size_t terminal_width() {
    winsize ws{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (const char* env = std::getenv("COLUMNS")) {
        std::string_view text(env);
        std::size_t n = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec == std::errc() && end == text.data() + text.size() && n >= kNarrowest &&
            n <= kWidest)
            return n;
    }
    return kDefaultWidth;
}

}  // namespace schedcp::host::cli
