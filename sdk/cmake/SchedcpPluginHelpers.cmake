# CMake helpers for schedcp plugins, used in-tree and by out-of-tree plugins through
# find_package(schedcp_sdk).
#
#   schedcp_add_plugin(NAME <name> SOURCES <files...> [OUTPUT_DIRECTORY <dir>] [NO_INSTALL])
#       Builds <name>.so with the flags every plugin must share with the host:
#       C++20, -fvisibility=hidden, linked to the SDK; installs it into
#       <prefix>/lib/schedcp/plugins unless NO_INSTALL.
#   schedcp_embed_file(<target> <file> <symbol>)
#       Compiles <file>'s bytes into <target> as
#       `extern "C" const unsigned char <symbol>[]; extern "C" const unsigned long <symbol>_size;`
#       and rebuilds when the file changes.

set(_SCHEDCP_HELPERS_DIR ${CMAKE_CURRENT_LIST_DIR})

function(schedcp_add_plugin)
    cmake_parse_arguments(ARG "NO_INSTALL" "NAME;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
    if(NOT ARG_NAME OR NOT ARG_SOURCES)
        message(FATAL_ERROR "schedcp_add_plugin: NAME and SOURCES are required")
    endif()
    if(NOT ARG_OUTPUT_DIRECTORY)
        if(DEFINED SCHEDCP_PLUGIN_OUTPUT_DIR)
            set(ARG_OUTPUT_DIRECTORY ${SCHEDCP_PLUGIN_OUTPUT_DIR})
        else()
            set(ARG_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
        endif()
    endif()
    set(target schedcp_plugin_${ARG_NAME})
    add_library(${target} MODULE ${ARG_SOURCES})
    # schedcp::sdk is the in-tree alias and the installed package's imported target.
    target_link_libraries(${target} PRIVATE schedcp::sdk)
    set_target_properties(${target} PROPERTIES
        PREFIX ""
        OUTPUT_NAME ${ARG_NAME}
        LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY}
        CXX_STANDARD 20
        CXX_STANDARD_REQUIRED ON
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        # No RUNPATH: a plugin runs inside the host, which has loaded libschedcp_sdk.so.1
        # already (found by its soname, no search), and its other libraries are the
        # system's. A RUNPATH made the loader try some 20 hwcaps subdirectories of each of
        # its directories for every library before the system's cache (358 failed opens
        # at a start with all plugins).
        SKIP_BUILD_RPATH ON)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
    # Installed where the host looks: <prefix>/lib/schedcp/plugins (the host finds it
    # relative to its own executable, so this is "lib" whatever the distro's libdir).
    if(NOT ARG_NO_INSTALL)
        install(TARGETS ${target} LIBRARY DESTINATION lib/schedcp/plugins)
    endif()
    set(SCHEDCP_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()

function(schedcp_embed_file target file symbol)
    get_filename_component(abs ${file} ABSOLUTE)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${symbol}.cpp)
    add_custom_command(
        OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -DIN=${abs} -DOUT=${out} -DSYMBOL=${symbol}
                -P ${_SCHEDCP_HELPERS_DIR}/SchedcpEmbed.cmake
        DEPENDS ${abs} ${_SCHEDCP_HELPERS_DIR}/SchedcpEmbed.cmake
        COMMENT "Embedding ${file} as ${symbol}"
        VERBATIM)
    target_sources(${target} PRIVATE ${out})
endfunction()
