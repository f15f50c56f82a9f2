/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedcp's <scx/user_exit_info.bpf.h>: how a scheduler tells its loader why it exited.
 *
 * The kernel passes ops.exit() a struct scx_exit_info (kind, exit_code, reason, msg);
 * its strings live in kernel memory the loader cannot read. UEI_DEFINE(uei) declares
 * a global in .data, UEI_RECORD(uei, ei) copies the exit info into it, and the loader
 * (schedcp-loader finds it by its BTF type, struct user_exit_info) reads it from the
 * .data map after the scheduler was detached or ejected:
 *
 *	UEI_DEFINE(uei);
 *	void BPF_STRUCT_OPS(my_exit, struct scx_exit_info *ei) { UEI_RECORD(uei, ei); }
 *
 * `kind` is written last, atomically, and only once: a loader that sees it non-zero
 * sees the rest complete, and the first exit is the one reported.
 */
#ifndef __SCHEDCP_SCX_USER_EXIT_INFO_BPF_H
#define __SCHEDCP_SCX_USER_EXIT_INFO_BPF_H

#define UEI_REASON_LEN	128
#define UEI_MSG_LEN	1024

struct user_exit_info {
	int	kind;		/* enum scx_exit_kind; 0 while the scheduler runs */
	s64	exit_code;	/* scx_bpf_exit()'s code, or the kernel's SCX_ECODE_* bits */
	char	reason[UEI_REASON_LEN];
	char	msg[UEI_MSG_LEN];
};

#define UEI_DEFINE(__name) \
	struct user_exit_info __name SEC(".data")

#define UEI_RECORD(__uei, __ei)								\
	({										\
		bpf_probe_read_kernel_str((__uei).reason, sizeof((__uei).reason),	\
					  (__ei)->reason);				\
		bpf_probe_read_kernel_str((__uei).msg, sizeof((__uei).msg),		\
					  (__ei)->msg);					\
		(__uei).exit_code = (__ei)->exit_code;					\
		__sync_val_compare_and_swap(&(__uei).kind, 0, (int)(__ei)->kind);	\
	})

/* True once the scheduler has exited (for BPF code that wants to know). */
#define UEI_EXITED(__uei)	(READ_ONCE((__uei).kind) != 0)

#endif /* __SCHEDCP_SCX_USER_EXIT_INFO_BPF_H */
