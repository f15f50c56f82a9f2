/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedcp's <scx/user_exit_info.h>: the name some scx sources include. In BPF code it is
 * user_exit_info.bpf.h; schedcp's loader reads the exit info itself, so there is no
 * user-space half to offer.
 */
#ifndef __SCHEDCP_SCX_USER_EXIT_INFO_H
#define __SCHEDCP_SCX_USER_EXIT_INFO_H
#ifdef __bpf__
#include "user_exit_info.bpf.h"
#else
#error "<scx/user_exit_info.h> from schedcp is for BPF programs; schedcp-loader reads the exit info"
#endif
#endif
