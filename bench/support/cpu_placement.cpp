#include "cpu_placement.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace schedcp::bench {

namespace {

cpu_set_t current_mask() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        throw std::runtime_error(std::string("sched_getaffinity: ") + std::strerror(errno));
    return set;
}

void set_mask(const cpu_set_t& set, const std::string& what) {
    if (::sched_setaffinity(0, sizeof set, &set) != 0)
        throw std::runtime_error("cannot pin to " + what + ": " + std::strerror(errno));
}

}  // namespace

bool cpu_allowed(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return false;
    const cpu_set_t set = current_mask();
    return CPU_ISSET(cpu, &set);
}

std::string allowed_cpus() {
    const cpu_set_t set = current_mask();
    std::string out;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &set)) continue;
        int last = cpu;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) ++last;
        if (!out.empty()) out += ",";
        out += std::to_string(cpu);
        if (last > cpu) out += "-" + std::to_string(last);
        cpu = last;
    }
    return out;
}

void pin_this_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE)
        throw std::runtime_error("CPU " + std::to_string(cpu) + " is out of range");
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    set_mask(set, "CPU " + std::to_string(cpu));
}

ScopedPinning::ScopedPinning(int cpu) : previous_(current_mask()) {
    pin_this_thread(cpu);
}

ScopedPinning::~ScopedPinning() {
    // Restoring a mask this thread had a moment ago cannot be refused.
    ::sched_setaffinity(0, sizeof previous_, &previous_);
}

}  // namespace schedcp::bench
