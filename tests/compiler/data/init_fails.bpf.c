/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loads, but its init callback fails, so the kernel disables it while enabling it and
 * records why in the exit info.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

s32 BPF_STRUCT_OPS_SLEEPABLE(initfail_init)
{
	scx_bpf_error("schedcp test: init refuses to start");
	return -EINVAL;
}

void BPF_STRUCT_OPS(initfail_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(initfail_ops,
	       .init		= (void *)initfail_init,
	       .exit		= (void *)initfail_exit,
	       .name		= "schedcp_initfail");
