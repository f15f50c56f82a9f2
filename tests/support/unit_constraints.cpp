#include "unit_constraints.hpp"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace schedcp::test {

std::string unit_bounding_set(const std::string& unit_name) {
    const std::string path =
        std::string(SCHEDCP_SOURCE_DIR) + "/packaging/systemd/" + unit_name + ".in";
    std::ifstream unit(path);
    if (!unit) throw std::runtime_error("cannot read " + path);
    std::string line, caps;
    const std::string key = "CapabilityBoundingSet=";
    while (std::getline(unit, line))
        if (line.rfind(key, 0) == 0) caps = line.substr(key.size());
    if (caps.empty()) throw std::runtime_error(path + " has no CapabilityBoundingSet=");
    std::string bounding = "-all";
    std::istringstream names(caps);
    for (std::string cap; names >> cap;) {
        if (cap.rfind("CAP_", 0) != 0)
            throw std::runtime_error(path + ": '" + cap + "' is not a capability name");
        std::string name = cap.substr(4);
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        bounding += ",+" + name;
    }
    return bounding;
}

std::vector<std::string> under_unit_capabilities(const std::string& unit_name,
                                                 std::vector<std::string> argv) {
    std::vector<std::string> out{"/usr/bin/setpriv", "--bounding-set", unit_bounding_set(unit_name),
                                 "--inh-caps=-all", "--"};
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

ScopedUmask::ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
ScopedUmask::~ScopedUmask() {
    ::umask(old_);
}

}  // namespace schedcp::test
