// The write_scheduler prompt: a skeleton of a sched_ext scheduler written the scx way and
// the rules create_and_verify_scheduler checks, each taken from the check itself (names.hpp,
// object_checks.hpp, compiler_core.hpp), so the prompt cannot promise what the compiler
// refuses.
#pragma once

#include <string>

#include "schedcp/sdk/prompt.hpp"

namespace schedcp::plugins::compiler {

// The skeleton the prompt starts from (it passes every check: tests/compiler).
const char* write_scheduler_skeleton();

// The text for a scheduler that should do `goal` (may be empty).
std::string write_scheduler_text(const std::string& goal);

sdk::PromptSpec write_scheduler_prompt();

}  // namespace schedcp::plugins::compiler
