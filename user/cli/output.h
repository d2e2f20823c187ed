/* SPDX-License-Identifier: GPL-2.0 */
/* Report files: written to a temp file, renamed into place whole, never through a symlink. */
#ifndef CT_OUTPUT_H
#define CT_OUTPUT_H

#include <stdio.h>

/*
 * Open @path for writing ("-" or NULL: stdout). A regular file (or a new one) is written to a
 * temp file created with O_EXCL|O_NOFOLLOW in the same directory and renamed over @path by
 * ct_output_close(), so @path never holds half a report; a new file belongs to the invoking
 * user under sudo (SUDO_UID/SUDO_GID), a replaced one keeps its owner and mode. A symlink at
 * @path is refused; a character device or FIFO (/dev/null) is written in place.
 * @return the stream, or NULL after printing why
 */
FILE *ct_output_open(const char *path);

/*
 * Flush, sync and close, then rename the temp file into place (stdout is only flushed). On
 * any failure the temp file is removed and the destination left as it was.
 * @return 0 or -errno
 */
int ct_output_close(FILE *f);

/* Close @f and remove its temp file: the destination is left as it was (NULL and stdout fine). */
void ct_output_discard(FILE *f);

#endif
