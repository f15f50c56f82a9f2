# find_package(schedcp_sdk) for out-of-tree plugins: imports schedcp::sdk and the
# schedcp_add_plugin() / schedcp_embed_file() helpers.
include(CMakeFindDependencyMacro)
find_dependency(Boost 1.81 COMPONENTS json log)
find_dependency(Threads)
include(${CMAKE_CURRENT_LIST_DIR}/schedcp_sdk_targets.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/SchedcpPluginHelpers.cmake)
