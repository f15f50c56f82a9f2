/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedcp's <scx/compat.bpf.h>: one source, every kernel generation since Linux 6.12.
 *
 * sched_ext renamed and reshaped some kfuncs after 6.12:
 *
 *   what it does                  6.12                             6.13+                          later
 *   insert into a DSQ (FIFO)      scx_bpf_dispatch                 scx_bpf_dsq_insert             scx_bpf_dsq_insert___v2 returns bool (6.19)
 *   insert into a DSQ (vtime)     scx_bpf_dispatch_vtime           scx_bpf_dsq_insert_vtime       __scx_bpf_dsq_insert_vtime / scx_bpf_dsq_insert_vtime___v2 take an args struct (6.19)
 *   move a DSQ's head to local    scx_bpf_consume                  scx_bpf_dsq_move_to_local      scx_bpf_dsq_move_to_local___v2 adds enq_flags (7.1)
 *   move a task while iterating   scx_bpf_dispatch_from_dsq[...]   scx_bpf_dsq_move[...]
 *
 * Both the old and the new names work here, on every kernel: each is a small inline
 * function that calls whichever kfunc the running kernel has. The kfuncs are declared
 * __ksym __weak under "flavoured" names: libbpf drops the last "___suffix" when it
 * looks a kfunc up, and leaves a weak kfunc the kernel lacks (or whose prototype
 * differs) unresolved, so bpf_ksym_exists() is false for it. bpf_ksym_exists() is a
 * constant for the verifier, which then never sees the calls the kernel could not
 * make. Kernel-side names that carry a suffix themselves (___v2) get one more suffix
 * here, because libbpf strips only the last one.
 */
#ifndef __SCHEDCP_SCX_COMPAT_BPF_H
#define __SCHEDCP_SCX_COMPAT_BPF_H

/* ---- Inserting a task into a DSQ (FIFO) --------------------------------------------- */

bool scx_bpf_dsq_insert___v2___schedcp(struct task_struct *p, u64 dsq_id, u64 slice,
				       u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert___schedcp(struct task_struct *p, u64 dsq_id, u64 slice,
				  u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch___schedcp(struct task_struct *p, u64 dsq_id, u64 slice,
				u64 enq_flags) __ksym __weak;

/*
 * Queues @p on DSQ @dsq_id (SCX_DSQ_LOCAL, SCX_DSQ_GLOBAL, SCX_DSQ_LOCAL_ON | cpu, or
 * one made with scx_bpf_create_dsq()) to run for @slice ns. False only where the
 * kernel reports a failure (6.19+), which also aborts the scheduler.
 */
static __always_inline bool scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice,
					       u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___schedcp))
		return scx_bpf_dsq_insert___v2___schedcp(p, dsq_id, slice, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dsq_insert___schedcp)) {
		scx_bpf_dsq_insert___schedcp(p, dsq_id, slice, enq_flags);
		return true;
	}
	scx_bpf_dispatch___schedcp(p, dsq_id, slice, enq_flags);
	return true;
}

/* The 6.12 name. */
static __always_inline bool scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice,
					     u64 enq_flags)
{
	return scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags);
}

/* ---- Inserting a task into a DSQ ordered by virtual time ---------------------------- */

/* The kernel's argument block for the 6.19+ kfuncs (four u64, in this order). */
struct __schedcp_dsq_insert_vtime_args {
	u64 dsq_id;
	u64 slice;
	u64 vtime;
	u64 enq_flags;
};

bool __scx_bpf_dsq_insert_vtime(struct task_struct *p,
				struct __schedcp_dsq_insert_vtime_args *args) __ksym __weak;
bool scx_bpf_dsq_insert_vtime___v2___schedcp(struct task_struct *p,
					     struct __schedcp_dsq_insert_vtime_args *args) __ksym __weak;
void scx_bpf_dsq_insert_vtime___schedcp(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
					u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_vtime___schedcp(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				      u64 enq_flags) __ksym __weak;

/*
 * Queues @p on user DSQ @dsq_id ordered by @vtime (lower runs first). Built-in DSQs
 * (SCX_DSQ_LOCAL, SCX_DSQ_GLOBAL) cannot be ordered by vtime.
 */
static __always_inline bool scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id,
						     u64 slice, u64 vtime, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert_vtime___v2___schedcp)) {
		struct __schedcp_dsq_insert_vtime_args args = {
			.dsq_id = dsq_id, .slice = slice, .vtime = vtime, .enq_flags = enq_flags,
		};
		return scx_bpf_dsq_insert_vtime___v2___schedcp(p, &args);
	}
	if (bpf_ksym_exists(__scx_bpf_dsq_insert_vtime)) {
		struct __schedcp_dsq_insert_vtime_args args = {
			.dsq_id = dsq_id, .slice = slice, .vtime = vtime, .enq_flags = enq_flags,
		};
		return __scx_bpf_dsq_insert_vtime(p, &args);
	}
	if (bpf_ksym_exists(scx_bpf_dsq_insert_vtime___schedcp)) {
		scx_bpf_dsq_insert_vtime___schedcp(p, dsq_id, slice, vtime, enq_flags);
		return true;
	}
	scx_bpf_dispatch_vtime___schedcp(p, dsq_id, slice, vtime, enq_flags);
	return true;
}

/* The 6.12 name. */
static __always_inline bool scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice,
						   u64 vtime, u64 enq_flags)
{
	return scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
}

/* ---- Moving the first task of a DSQ to this CPU's local DSQ (ops.dispatch) ---------- */

bool scx_bpf_dsq_move_to_local___v2___schedcp(u64 dsq_id, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local___schedcp(u64 dsq_id) __ksym __weak;
bool scx_bpf_consume___schedcp(u64 dsq_id) __ksym __weak;

/*
 * True when a task was moved. @enq_flags only exist on kernels with the ___v2 kfunc;
 * older kernels have no flags to honour here and take the move without them.
 */
static __always_inline bool __schedcp_dsq_move_to_local(u64 dsq_id, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v2___schedcp))
		return scx_bpf_dsq_move_to_local___v2___schedcp(dsq_id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___schedcp))
		return scx_bpf_dsq_move_to_local___schedcp(dsq_id);
	return scx_bpf_consume___schedcp(dsq_id);
}

/* scx_bpf_dsq_move_to_local(dsq_id) and, as on 7.1+, scx_bpf_dsq_move_to_local(dsq_id, enq_flags) */
#define __SCHEDCP_SECOND_OR_ZERO(_unused, second, ...) second
#define scx_bpf_dsq_move_to_local(dsq_id, ...) \
	__schedcp_dsq_move_to_local((dsq_id), __SCHEDCP_SECOND_OR_ZERO(_, ##__VA_ARGS__, 0))

/* The 6.12 name. */
static __always_inline bool scx_bpf_consume(u64 dsq_id)
{
	return __schedcp_dsq_move_to_local(dsq_id, 0);
}

/* ---- Moving a task found while iterating a DSQ (bpf_for_each(scx_dsq, ...)) -------- */

void scx_bpf_dsq_move_set_slice___schedcp(struct bpf_iter_scx_dsq *it__iter,
					  u64 slice) __ksym __weak;
void scx_bpf_dsq_move_set_vtime___schedcp(struct bpf_iter_scx_dsq *it__iter,
					  u64 vtime) __ksym __weak;
bool scx_bpf_dsq_move___schedcp(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
				u64 dsq_id, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_vtime___schedcp(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
				      u64 dsq_id, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_from_dsq_set_slice___schedcp(struct bpf_iter_scx_dsq *it__iter,
						   u64 slice) __ksym __weak;
void scx_bpf_dispatch_from_dsq_set_vtime___schedcp(struct bpf_iter_scx_dsq *it__iter,
						   u64 vtime) __ksym __weak;
bool scx_bpf_dispatch_from_dsq___schedcp(struct bpf_iter_scx_dsq *it__iter,
					 struct task_struct *p, u64 dsq_id,
					 u64 enq_flags) __ksym __weak;
bool scx_bpf_dispatch_vtime_from_dsq___schedcp(struct bpf_iter_scx_dsq *it__iter,
					       struct task_struct *p, u64 dsq_id,
					       u64 enq_flags) __ksym __weak;

/* The slice the next scx_bpf_dsq_move*() from this iterator gives the task. */
static __always_inline void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it, u64 slice)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_set_slice___schedcp))
		scx_bpf_dsq_move_set_slice___schedcp(it, slice);
	else if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_slice___schedcp))
		scx_bpf_dispatch_from_dsq_set_slice___schedcp(it, slice);
}

/* The vtime the next scx_bpf_dsq_move*() from this iterator gives the task. */
static __always_inline void scx_bpf_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it, u64 vtime)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_set_vtime___schedcp))
		scx_bpf_dsq_move_set_vtime___schedcp(it, vtime);
	else if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_vtime___schedcp))
		scx_bpf_dispatch_from_dsq_set_vtime___schedcp(it, vtime);
}

/* Moves @p (from the iterated DSQ) to @dsq_id in FIFO order; false if it could not. */
static __always_inline bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it, struct task_struct *p,
					     u64 dsq_id, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move___schedcp))
		return scx_bpf_dsq_move___schedcp(it, p, dsq_id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq___schedcp))
		return scx_bpf_dispatch_from_dsq___schedcp(it, p, dsq_id, enq_flags);
	return false;
}

/* Moves @p (from the iterated DSQ) to @dsq_id ordered by vtime; false if it could not. */
static __always_inline bool scx_bpf_dsq_move_vtime(struct bpf_iter_scx_dsq *it,
						   struct task_struct *p, u64 dsq_id,
						   u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_vtime___schedcp))
		return scx_bpf_dsq_move_vtime___schedcp(it, p, dsq_id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dispatch_vtime_from_dsq___schedcp))
		return scx_bpf_dispatch_vtime_from_dsq___schedcp(it, p, dsq_id, enq_flags);
	return false;
}

/* The 6.12 names, and the __COMPAT_ spellings scx's examples of that era use. */
#define scx_bpf_dispatch_from_dsq_set_slice	scx_bpf_dsq_move_set_slice
#define scx_bpf_dispatch_from_dsq_set_vtime	scx_bpf_dsq_move_set_vtime
#define scx_bpf_dispatch_from_dsq		scx_bpf_dsq_move
#define scx_bpf_dispatch_vtime_from_dsq		scx_bpf_dsq_move_vtime
#define __COMPAT_scx_bpf_dispatch_from_dsq_set_slice	scx_bpf_dsq_move_set_slice
#define __COMPAT_scx_bpf_dispatch_from_dsq_set_vtime	scx_bpf_dsq_move_set_vtime
#define __COMPAT_scx_bpf_dispatch_from_dsq		scx_bpf_dsq_move
#define __COMPAT_scx_bpf_dispatch_vtime_from_dsq	scx_bpf_dsq_move_vtime
#define __COMPAT_scx_bpf_dsq_move_set_slice		scx_bpf_dsq_move_set_slice
#define __COMPAT_scx_bpf_dsq_move_set_vtime		scx_bpf_dsq_move_set_vtime
#define __COMPAT_scx_bpf_dsq_move			scx_bpf_dsq_move
#define __COMPAT_scx_bpf_dsq_move_vtime			scx_bpf_dsq_move_vtime

/* ---- Kfuncs only some kernels have, with a fallback --------------------------------- */

/* The task's cgroup, or NULL on a kernel built without cgroup scheduling support. */
static __always_inline struct cgroup *__COMPAT_scx_bpf_task_cgroup(struct task_struct *p)
{
	return bpf_ksym_exists(scx_bpf_task_cgroup) ? scx_bpf_task_cgroup(p) : NULL;
}

u64 scx_bpf_now___schedcp(void) __ksym __weak;

/* A fast per-CPU clock in ns (6.14+); the monotonic clock on older kernels. */
static __always_inline u64 scx_bpf_now(void)
{
	if (bpf_ksym_exists(scx_bpf_now___schedcp))
		return scx_bpf_now___schedcp();
	return bpf_ktime_get_ns();
}

#endif /* __SCHEDCP_SCX_COMPAT_BPF_H */
