// SPDX-License-Identifier: GPL-2.0
/* floor: attach the empty programs of floor.bpf.c, run a command as a child, wait, detach. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "bench.h"
#include "floor.skel.h"

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	int nosys = 0, argi = 1, status, err = 1;
	pid_t pid;

	if (argi < argc && !strcmp(argv[argi], "--no-syscalls")) {
		nosys = 1;
		argi++;
	}
	if (argi < argc && !strcmp(argv[argi], "--"))
		argi++;
	if (argi >= argc) {
		fprintf(stderr, "usage: floor [--no-syscalls] -- CMD [ARGS...]\n");
		return 2;
	}
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: open: %s\n", strerror(errno));
		return 1;
	}
	if (nosys) {
		bpf_program__set_autoload(skel->progs.f_sys_enter, false);
		bpf_program__set_autoload(skel->progs.f_sys_exit, false);
	}
	if (floor_bpf__load(skel) || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: load/attach: %s\n", strerror(errno));
		goto cleanup;
	}
	/* The probes are live before the fork, as conctrace's are before its exec. */
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "floor: fork: %s\n", strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		execvp(argv[argi], argv + argi);
		fprintf(stderr, "floor: exec %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	signal(SIGINT, SIG_IGN);
	if (waitpid(pid, &status, 0) < 0)
		goto cleanup;
	err = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
cleanup:
	floor_bpf__destroy(skel);
	return err;
}
