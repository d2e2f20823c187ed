/* SPDX-License-Identifier: GPL-2.0 */
/* Report files: opened without following symlinks, owned by the invoking user under sudo. */
#ifndef CT_OUTPUT_H
#define CT_OUTPUT_H

#include <stdio.h>

/*
 * Open @path for writing ("-" or NULL: stdout). The last component must not be a symlink;
 * a file created under sudo is handed to SUDO_UID/SUDO_GID.
 * @return the stream, or NULL after printing why
 */
FILE *ct_output_open(const char *path);

/* Flush and close (stdout is only flushed). @return 0 or -errno */
int ct_output_close(FILE *f);

#endif
