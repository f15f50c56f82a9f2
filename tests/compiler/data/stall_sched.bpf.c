/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedcp's stalling test scheduler (e2e: the kernel's watchdog must eject it). Every task
 * runs from one shared DSQ, except tasks named "scxstall": they are queued on a DSQ that
 * dispatch never consumes, so once such a task is runnable the watchdog ejects the
 * scheduler after timeout_ms ("runnable task stall"). Without such a task it schedules
 * normally, so it passes create_and_verify_scheduler's trial run.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 0
#define STALL_DSQ 1

UEI_DEFINE(uei);

static bool stalled(const struct task_struct *p)
{
	const char want[] = "scxstall";

	for (int i = 0; i < sizeof(want); i++)
		if (p->comm[i] != want[i])
			return false;
	return true;
}

s32 BPF_STRUCT_OPS(stall_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	/* A stalled task must reach enqueue, not an idle CPU's local DSQ. */
	if (is_idle && !stalled(p))
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return cpu;
}

void BPF_STRUCT_OPS(stall_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, stalled(p) ? STALL_DSQ : SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(stall_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(stall_init)
{
	s32 err = scx_bpf_create_dsq(SHARED_DSQ, -1);

	return err ? err : scx_bpf_create_dsq(STALL_DSQ, -1);
}

void BPF_STRUCT_OPS(stall_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(stall_ops,
	       .select_cpu	= (void *)stall_select_cpu,
	       .enqueue		= (void *)stall_enqueue,
	       .dispatch	= (void *)stall_dispatch,
	       .init		= (void *)stall_init,
	       .exit		= (void *)stall_exit,
	       .timeout_ms	= 1000,
	       .name		= "schedcp_stall");
