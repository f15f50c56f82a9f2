// Spins one CPU for argv[1] milliseconds (default 5000), for the monitor's tests.
#include <chrono>
#include <cstdlib>

int main(int argc, char** argv) {
    const long ms = argc > 1 ? std::atol(argv[1]) : 5000;
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    volatile unsigned long spins = 0;
    while (std::chrono::steady_clock::now() < end) ++spins;
    return 0;
}
