// YAML -> JSON conversion for plugin settings, so plugins see plain Boost.JSON values and
// the SDK stays free of yaml-cpp. Plain scalars are typed the YAML 1.2 core-schema way
// (null, true/false, integers, floats); quoted scalars are always strings.
#pragma once

#include <yaml-cpp/yaml.h>
#include <boost/json/value.hpp>

namespace schedcp::host {

boost::json::value yaml_to_json(const YAML::Node& node);

}  // namespace schedcp::host
