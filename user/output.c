// SPDX-License-Identifier: GPL-2.0
/* Report files: opened without following symlinks, owned by the invoking user under sudo. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ct.h"
#include "launch.h"
#include "output.h"

FILE *ct_output_open(const char *path)
{
	struct stat st;
	uid_t uid;
	gid_t gid;
	FILE *f;
	int fd;

	if (!path || !strcmp(path, "-"))
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		ct_err("cannot write %s: %s", path, errno == ELOOP ?
		       "it is a symbolic link, which conctrace does not follow" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		ct_err("cannot write %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	/* Only a regular file we just created (still root's) changes owner. */
	if (S_ISREG(st.st_mode) && st.st_uid == 0 && ct_invoking_user(&uid, &gid) && fchown(fd, uid, gid))
		ct_warn("cannot hand %s to uid %u: %s", path, uid, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		ct_err("cannot write %s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int ct_output_close(FILE *f)
{
	int err = 0;

	if (!f)
		return 0;
	if (fflush(f) || ferror(f))
		err = -errno;
	if (f != stdout && fclose(f) && !err)
		err = -errno;
	return err;
}
