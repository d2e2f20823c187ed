/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Launch a command corked: fork, drop to the invoking user, wait on a pipe until the probes are
 * live, then exec. The tracer's own threads never run in the child.
 */
#ifndef CT_LAUNCH_H
#define CT_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

struct ct_launch {
	pid_t pid;
	int go_fd;		/* write end of the cork pipe, -1 once released */
};

/*
 * Find @file the way execvp() will (PATH search unless it contains '/').
 * @return 0 when an executable exists, else -ENOENT or -EACCES
 */
int ct_find_command(const char *file);

/*
 * Make every later launch run as user @name (its uid, primary gid, groups from initgroups(),
 * HOME, USER, LOGNAME) instead of the sudo user.
 * @return 0, -ENOENT when there is no such user, or -errno from the user database
 */
int ct_launch_set_user(const char *name);

/*
 * Fork @argv corked. The child becomes the --user (ct_launch_set_user()) if one was given,
 * else under sudo SUDO_UID/SUDO_GID, with their groups and HOME.
 * @stdout_fd: the child's stdout, or -1 to inherit
 * @return 0 or -errno
 */
int ct_launch__start(struct ct_launch *l, char *const argv[], int stdout_fd);

/* Let the child exec. @return 0 or -errno */
int ct_launch__go(struct ct_launch *l);

/* Kill and reap a child that was never released. */
void ct_launch__cancel(struct ct_launch *l);

/* A wait status as a shell reports it: the exit code, or 128 + signal number. */
int ct_wait_status_code(int wstatus);

/*
 * The user a command launched under sudo should run as.
 * @return true and *uid, *gid when SUDO_UID/SUDO_GID name a non-root user
 */
bool ct_invoking_user(uid_t *uid, gid_t *gid);

/* @return true when @pid exists and is not a zombie (from /proc/PID/stat) */
bool ct_pid_alive(int pid);

#endif
