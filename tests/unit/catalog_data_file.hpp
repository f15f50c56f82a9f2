// The shipped catalog data file's text (plugins/catalog/data/schedulers.json), for the tests
// that parse it.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace schedcp::test {

inline std::string catalog_data() {
    std::ifstream in(CATALOG_DATA_FILE);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace schedcp::test
