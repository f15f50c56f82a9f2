#include "write_scheduler_prompt.hpp"

#include "compiler_core.hpp"
#include "names.hpp"
#include "object_checks.hpp"
#include "schedcp/sdk/text.hpp"

namespace schedcp::plugins::compiler {

namespace {

constexpr std::size_t kMaxGoalBytes = 4096;

// The shape every check below accepts: one shared DSQ in vruntime order, an idle CPU taken
// directly, the exit reason recorded.
constexpr const char* kSkeleton = R"(/* SPDX-License-Identifier: GPL-2.0 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 0
UEI_DEFINE(uei);

s32 BPF_STRUCT_OPS(my_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	if (is_idle)
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return cpu;
}

void BPF_STRUCT_OPS(my_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(my_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(my_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(my_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(my_ops,
	       .select_cpu	= (void *)my_select_cpu,
	       .enqueue		= (void *)my_enqueue,
	       .dispatch	= (void *)my_dispatch,
	       .init		= (void *)my_init,
	       .exit		= (void *)my_exit,
	       .name		= "my_sched");
)";

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

const char* write_scheduler_skeleton() {
    return kSkeleton;
}

std::string write_scheduler_text(const std::string& goal) {
    std::string t = "Write a custom sched_ext scheduler in BPF C";
    t += goal.empty() ? "." : " that does this:\n\n" + goal + "\n";
    t += "\n\nStart from this skeleton (a shared queue; an idle CPU takes the task at once):\n\n";
    t += "```c\n" + std::string(kSkeleton) + "```\n\n";
    t += "create_and_verify_scheduler refuses the source unless:\n";
    t += "- the name: " + std::string(kNameRule) +
         ", and not a built-in scheduler's name "
         "(list_schedulers shows the names taken; reusing a custom one replaces it);\n";
    t += "- source_code is at most " + std::to_string(kMaxSourceBytes) +
         " bytes of C text (no NUL byte) and compiles with clang for BPF against "
         "<scx/common.bpf.h> (errors come back with file:line:column);\n";
    t += "- it defines its ops table with SCX_OPS_DEFINE(...): a struct_ops map of "
         "type struct sched_ext_ops;\n";
    t += "- the table sets .name, with only letters, digits, '_' and '.';\n";
    t += "- .timeout_ms, if set, is at most " + std::to_string(kMaxTimeoutMs) +
         " (the kernel's watchdog limit);\n";
    t += "- it has a GPL-compatible license: char _license[] SEC(\"license\") = \"GPL\"; "
         "accepted: " +
         joined(kGplLicenses) + ";\n";
    t += "- the kernel's verifier accepts it when it is loaded for verification (a rejection "
         "comes back with the end of the verifier log).\n";
    t += "It warns (and still accepts) when: a callback other than " + joined(kSleepableMembers) +
         " is BPF_STRUCT_OPS_SLEEPABLE; a BPF_STRUCT_OPS program is not in the ops table; the "
         "table sets no callbacks; there is no UEI_DEFINE(uei), or no exit callback calling "
         "UEI_RECORD(uei, ei); the table is not in .struct_ops.link (use SCX_OPS_DEFINE).\n";
    t += "Both kfunc generations work: scx_bpf_dsq_insert/_vtime and scx_bpf_dsq_move_to_local, "
         "or scx_bpf_dispatch/_vtime and scx_bpf_consume.\n";
    t += "Then call create_and_verify_scheduler with the name, source_code and a description, "
         "fix what it reports until it passes, and run it with run_scheduler.";
    return t;
}

sdk::PromptSpec write_scheduler_prompt() {
    return sdk::PromptSpec{
        .name = "write_scheduler",
        .title = "Write a sched_ext scheduler",
        .description =
            "A skeleton of a sched_ext scheduler in BPF C and the rules "
            "create_and_verify_scheduler checks, to write one that compiles, "
            "verifies and runs.",
        .arguments = {sdk::PromptArgument{
            .name = "goal",
            .title = "Goal",
            .description = "What the scheduler should do (e.g. favour interactive tasks).",
            .required = false}},
        .handler = [](const sdk::PromptArguments& args,
                      sdk::CallContext&) -> boost::asio::awaitable<sdk::PromptResult> {
            std::string goal;
            if (auto it = args.find("goal"); it != args.end())
                goal = sdk::text::sanitize(it->second, kMaxGoalBytes);
            co_return sdk::PromptResult{
                .messages = {sdk::PromptMessage::user_text(write_scheduler_text(goal))}};
        }};
}

}  // namespace schedcp::plugins::compiler
