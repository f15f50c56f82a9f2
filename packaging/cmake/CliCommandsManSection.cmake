# Writes a help2man include file whose COMMANDS section is `schedcp-cli help PATH` for every
# command, walked from the CLI's own help (a group's help lists its commands under
# "Commands:"), so schedcp-cli(1) documents each command exactly as the CLI does.
#   cmake -DCLI=<schedcp-cli> -DOUTPUT=<file.h2m> -P CliCommandsManSection.cmake
# The caller sets SCHEDCP_CONFIG (and HOME) in the environment.

function(cli_help out_var)
    execute_process(COMMAND ${CLI} help ${ARGN} OUTPUT_VARIABLE text ERROR_VARIABLE err
                    RESULT_VARIABLE code)
    if(NOT code EQUAL 0)
        message(FATAL_ERROR "schedcp-cli help ${ARGN} failed (${code}): ${err}")
    endif()
    set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# The command names listed under "Commands:" in a help text.
function(listed_commands text out_var)
    set(names "")
    set(in_list FALSE)
    string(REPLACE ";" "\\;" text "${text}")
    string(REPLACE "\n" ";" lines "${text}")
    foreach(line IN LISTS lines)
        if(line STREQUAL "Commands:")
            set(in_list TRUE)
        elseif(in_list AND line MATCHES "^  ([a-z][a-z0-9-]*) ")
            list(APPEND names "${CMAKE_MATCH_1}")
        elseif(in_list)
            set(in_list FALSE)
        endif()
    endforeach()
    set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

# roff: a backslash is \e, and a line starting with . or ' is not a request.
function(as_roff text out_var)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

set(section "[COMMANDS]\nEach command's own help (\\fBschedcp\\-cli help COMMAND\\fR).\n")
function(document)  # document(PATH...): this command, or each command of this group
    cli_help(text ${ARGN})
    listed_commands("${text}" children)
    if(children AND NOT ARGN STREQUAL "")
        foreach(child IN LISTS children)
            document(${ARGN} ${child})
        endforeach()
    elseif(NOT ARGN STREQUAL "")
        list(JOIN ARGN " " name)
        as_roff("${text}" body)
        string(APPEND section ".SS \"${name}\"\n.nf\n${body}.fi\n")
    else()
        foreach(child IN LISTS children)
            if(NOT child STREQUAL "help")
                document(${child})
            endif()
        endforeach()
    endif()
    set(section "${section}" PARENT_SCOPE)
endfunction()

document()
file(WRITE ${OUTPUT} "${section}")
