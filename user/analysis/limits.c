// SPDX-License-Identifier: GPL-2.0
/* The thresholds of the diagnosis and of the lab's verdict (limits.h says what each means). */
#include "limits.h"

const struct ct_diag_limits ct_diag_limits = {
	.active_cpu = 0.1,
	.active_life = 0.1,
	.active_work = 0.3,

	.busy_cpu = 0.05,
	.busy_want = 0.2,
	.busy_only = 0.8,

	.event_loop_poll = 0.3,

	.idle_active = 0.05,
	.ipc_pipe = 0.3,
	.ipc_max_net = 0.2,

	.ser_max_par = 1.3,
	.ser_par_of_expect = 0.7,
	.ser_wait = 0.25,
	.ser_handoffs = 10,
	.ser_on_lock = 0.5,

	.par_good = 0.75,
	.slow_io_ms = 10,
	.many_in_flight = 16,

	.conf_default = 0.6,
	.conf_serial_lock = 0.75,
	.conf_serial_gil = 0.9,
	.conf_serial_cond = 0.9,
	.conf_cpu_par_good = 0.8,
	.conf_cpu_par_poor = 0.6,
	.conf_cpu_serial = 0.85,
	.conf_cpu_one_core = 0.3,
	.conf_io_async = 0.8,
	.conf_io_threads = 0.7,
	.conf_lock = 0.6,
	.conf_ipc = 0.75,
	.conf_idle = 0.3,

	.lab_agree = 0.9,
	.lab_min_csw = 1,
	.lab_csw_ratio = 10,
};
