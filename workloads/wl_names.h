/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of the built-in workloads, models and scales, in their one order: registry.c's
 * tables and the lab matrix (user/model/lab.c) are built from these lists, and recordings store
 * indexes into them, so never reorder, only append. X(id, name): id names wl_<id> / model_<id>.
 * No includes: user/model/ includes it (tools/check-layout.py's EXTERNAL).
 */
#ifndef CT_WL_NAMES_H
#define CT_WL_NAMES_H

#define CT_WORKLOAD_LIST(X)						\
	X(cpu, "cpu")							\
	X(io_fast, "io-fast")						\
	X(io_slow, "io-slow")						\
	X(shared_state, "shared-state")					\
	X(ipc_heavy, "ipc-heavy")					\
	X(mixed, "mixed")

#define CT_MODEL_LIST(X)						\
	X(serial, "serial")						\
	X(threads, "threads")						\
	X(processes, "processes")					\
	X(async, "async")						\
	X(gil, "gil")

#define CT_SCALE_LIST(X)						\
	X(small, "small")						\
	X(default, "default")						\
	X(large, "large")

#define CT_WL_NAME(id, name)	name,

#endif /* CT_WL_NAMES_H */
