// SPDX-License-Identifier: GPL-2.0
/* Corked launch of a traced command, as the invoking user when run through sudo. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "common/ct.h"
#include "launch.h"
#include "common/opts.h"

/* --user NAME: who launched commands run as, instead of the sudo user. */
static struct {
	bool set;
	uid_t uid;
	gid_t gid;
	char name[256];
	char home[PATH_MAX];
} run_as;

int ct_launch_set_user(const char *name)
{
	struct passwd *pw;

	errno = 0;
	pw = name && *name ? getpwnam(name) : NULL;
	if (!pw)
		return errno && errno != ENOENT && errno != ESRCH ? -errno : -ENOENT;
	if (strlen(pw->pw_name) >= sizeof(run_as.name) || strlen(pw->pw_dir) >= sizeof(run_as.home))
		return -ENAMETOOLONG;
	strcpy(run_as.name, pw->pw_name);
	strcpy(run_as.home, pw->pw_dir);
	run_as.uid = pw->pw_uid;
	run_as.gid = pw->pw_gid;
	run_as.set = true;
	return 0;
}

static int is_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -ENOENT;
	if (S_ISDIR(st.st_mode) || access(path, X_OK))
		return -EACCES;
	return 0;
}

int ct_find_command(const char *file)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[PATH_MAX];
	int err = -ENOENT, e;

	if (!*file)
		return -ENOENT;
	if (strchr(file, '/'))
		return is_executable(file);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), end == p ? "." : p,
			     file) < (int)sizeof(buf)) {
			e = is_executable(buf);
			if (!e)
				return 0;
			if (e == -EACCES)
				err = e;
		}
		if (!*end)
			break;
	}
	return err;
}

bool ct_invoking_user(uid_t *uid, gid_t *gid)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	unsigned long uv, gv;

	if (geteuid() != 0 || !u || !g)
		return false;
	if (ct_parse_ulong(u, 1, UINT_MAX - 1, &uv) || ct_parse_ulong(g, 0, UINT_MAX - 1, &gv))
		return false;
	*uid = uv;
	*gid = gv;
	return true;
}

/* In the child: become the --user or the invoking user. @return 0 or -errno */
static int drop_privileges(void)
{
	const char *name = NULL, *home = NULL;
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (run_as.set) {
		uid = run_as.uid;
		gid = run_as.gid;
		name = run_as.name;
		home = run_as.home;
	} else if (ct_invoking_user(&uid, &gid)) {
		pw = getpwuid(uid);
		if (pw) {
			name = pw->pw_name;
			home = pw->pw_dir;
		}
	} else {
		return 0;
	}
	if (name ? initgroups(name, gid) : setgroups(0, NULL))
		return -errno;
	if (setgid(gid) || setuid(uid))
		return -errno;
	if (uid != 0 && setuid(0) == 0)		/* must not be able to regain root */
		return -EPERM;
	if (name) {
		setenv("HOME", home, 1);
		setenv("USER", name, 1);
		setenv("LOGNAME", name, 1);
	}
	return 0;
}

static void __attribute__((noreturn)) child(int go_rd, char *const argv[], int stdout_fd)
{
	ssize_t n;
	char c = 0;
	int err;

	/* the command gets default dispositions: a Ctrl-C while it is corked ends it */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (stdout_fd >= 0 && dup2(stdout_fd, STDOUT_FILENO) < 0)
		_exit(CT_EXIT_FAIL);
	err = drop_privileges();
	if (err) {
		fprintf(stderr, "conctrace: drop privileges for %s: %s\n", argv[0], strerror(-err));
		_exit(CT_EXIT_FAIL);
	}
	/* Wait for the probes; EOF without a byte means cancelled. */
	do
		n = read(go_rd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || c != 'g')
		_exit(CT_EXIT_FAIL);
	close(go_rd);
	execvp(argv[0], argv);
	err = errno;
	fprintf(stderr, "conctrace: %s: %s\n", argv[0],
		err == ENOENT ? "command not found" : strerror(err));
	_exit(err == ENOENT ? CT_EXIT_NOTFOUND : 126);
}

int ct_launch__start(struct ct_launch *l, char *const argv[], int stdout_fd)
{
	int fds[2];
	pid_t pid;

	l->pid = -1;
	l->go_fd = -1;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (pid == 0) {
		close(fds[1]);
		child(fds[0], argv, stdout_fd);
	}
	close(fds[0]);
	l->pid = pid;
	l->go_fd = fds[1];
	return 0;
}

int ct_launch__go(struct ct_launch *l)
{
	int err = 0;

	if (write(l->go_fd, "g", 1) != 1)
		err = -errno;
	close(l->go_fd);
	l->go_fd = -1;
	return err;
}

void ct_launch__cancel(struct ct_launch *l)
{
	if (l->go_fd >= 0) {
		close(l->go_fd);
		l->go_fd = -1;
	}
	if (l->pid > 0) {
		kill(l->pid, SIGKILL);
		waitpid(l->pid, NULL, 0);
		l->pid = -1;
	}
}

int ct_wait_status_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return CT_EXIT_FAIL;
}

bool ct_pid_alive(int pid)
{
	char path[64], buf[512], *s;
	bool alive = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (s = strrchr(buf, ')')))
		alive = s[1] == ' ' && s[2] != 'Z' && s[2] != 'X';
	fclose(f);
	return alive;
}
