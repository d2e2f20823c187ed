// SPDX-License-Identifier: GPL-2.0
/* Report files: written to a temp file, renamed into place whole, never through a symlink. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "common/ct.h"
#include "collect/launch.h"
#include "common/testknob.h"
#include "output.h"

#define MAX_OUTPUTS	4
#define TMP_TRIES	16

/* An open report file: @tmp is renamed to @path at close; @tmp NULL: written in place. */
struct output {
	FILE *f;
	char *path;
	char *tmp;
};

static struct output outputs[MAX_OUTPUTS];

/* At exit, whatever path got there, no temp file is left behind. */
static void remove_temps(void)
{
	int i;

	for (i = 0; i < MAX_OUTPUTS; i++)
		if (outputs[i].tmp)
			unlink(outputs[i].tmp);
}

static struct output *find_output(FILE *f)
{
	int i;

	for (i = 0; f && i < MAX_OUTPUTS; i++)
		if (outputs[i].f == f)
			return &outputs[i];
	return NULL;
}

static void forget(struct output *o)
{
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

/*
 * Create a temp file next to @path: "DIR/.BASE.ct-XXXXXXXXXXXX", random, O_EXCL|O_NOFOLLOW so
 * nothing planted under that name (a symlink, someone else's file) is ever opened; a taken
 * name is retried with another. CONCTRACE_TEST_TMPNAME (test-only) names the first try's suffix
 * so a test can plant something there. @return the fd and *@tmp (malloc'd), or -errno
 */
static int create_temp(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	const char *fixed = getenv("CONCTRACE_TEST_TMPNAME");
	int dirlen = slash ? (int)(slash - path) + 1 : 0, i, fd = -EEXIST;
	unsigned char rnd[6];
	char suffix[16];
	char *name;

	name = malloc(PATH_MAX);
	if (!name)
		return -ENOMEM;
	for (i = 0; i < TMP_TRIES && fd == -EEXIST; i++) {
		if (i == 0 && fixed && *fixed) {
			snprintf(suffix, sizeof(suffix), "%.12s", fixed);
		} else {
			if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
				fd = -errno;
				break;
			}
			snprintf(suffix, sizeof(suffix), "%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
				 rnd[2], rnd[3], rnd[4], rnd[5]);
		}
		/* the base is cut so that the name stays within NAME_MAX */
		if (snprintf(name, PATH_MAX, "%.*s.%.200s.ct-%s", dirlen, path, base, suffix) >=
		    PATH_MAX) {
			fd = -ENAMETOOLONG;
			break;
		}
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			fd = -errno;
	}
	if (fd < 0) {
		free(name);
		return fd;
	}
	*tmp = name;
	return fd;
}

/* Give the new temp file the owner and mode the destination should have. @return 0 or -errno */
static int set_owner(int fd, const struct stat *old)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	mode_t mode, mask;

	if (old) {			/* replacing a file: it keeps its owner and mode */
		uid = old->st_uid;
		gid = old->st_gid;
		mode = old->st_mode & 07777;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
		ct_invoking_user(&uid, &gid);
	}
	if ((uid != geteuid() || gid != getegid()) && fchown(fd, uid, gid))
		return -errno;
	if (fchmod(fd, mode))
		return -errno;
	return 0;
}

FILE *ct_output_open(const char *path)
{
	static bool registered;
	struct output *o = NULL;
	struct stat st, *old = NULL;
	char *tmp = NULL;
	int i, fd, err;
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return stdout;
	for (i = 0; i < MAX_OUTPUTS && !o; i++)
		if (!outputs[i].f)
			o = &outputs[i];
	if (!*path || !o) {
		ct_err("cannot write '%s': %s", path, *path ? "too many open reports" : "empty path");
		return NULL;
	}
	if (!registered && !atexit(remove_temps))
		registered = true;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			ct_err("cannot write %s: it is a symbolic link, which conctrace does not "
			       "follow", path);
			return NULL;
		}
		if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
			/* /dev/null, a named pipe: nothing to replace, written as it is */
			fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
			if (fd < 0) {
				ct_err("cannot write %s: %s", path, strerror(errno));
				return NULL;
			}
			goto stream;
		}
		if (!S_ISREG(st.st_mode)) {
			ct_err("cannot write %s: not a regular file", path);
			return NULL;
		}
		old = &st;
	} else if (errno != ENOENT) {
		ct_err("cannot write %s: %s", path, strerror(errno));
		return NULL;
	}
	fd = create_temp(path, &tmp);
	if (fd < 0) {
		ct_err("cannot write %s: temp file in its directory: %s", path, strerror(-fd));
		return NULL;
	}
	err = set_owner(fd, old);
	if (err) {
		ct_err("cannot write %s: set the owner of its temp file: %s", path, strerror(-err));
		goto fail;
	}
stream:
	o->path = strdup(path);
	f = o->path ? fdopen(fd, "w") : NULL;
	if (!f) {
		ct_err("cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	o->f = f;
	o->tmp = tmp;
	return f;
fail:
	free(o->path);
	o->path = NULL;
	close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	return NULL;
}

int ct_output_close(FILE *f)
{
	struct output *o = find_output(f);
	int err = 0;

	if (!f)
		return 0;
	if (fflush(f) || ferror(f))
		err = errno ? -errno : -EIO;
	if (f == stdout)
		return err;
	ct_test_pause("write");
	/* on disk before it replaces anything: a crash leaves the old report or the new one */
	if (!err && o && o->tmp && fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (o && o->tmp) {
		if (!err && rename(o->tmp, o->path))
			err = -errno;
		if (err)
			unlink(o->tmp);
	}
	if (o)
		forget(o);
	return err;
}

void ct_output_discard(FILE *f)
{
	struct output *o = find_output(f);

	if (!f || f == stdout)
		return;
	fclose(f);
	if (o && o->tmp)
		unlink(o->tmp);
	if (o)
		forget(o);
}
