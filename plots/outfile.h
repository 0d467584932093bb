/* SPDX-License-Identifier: MIT
 *
 * outfile.h - write a file completely or not at all.
 *
 * A chart or table that fails halfway (disk full, cairo error) must not leave
 * a truncated file where the last good one was: a reviewer would open it and
 * a build would treat it as up to date.  outfile_open creates a temporary
 * "PATH.tmpXXXXXX" in the same directory (mkstemp, so concurrent writers do
 * not collide, and the same file system, so rename is atomic);
 * outfile_commit flushes, closes and renames it over PATH; outfile_abort
 * closes and unlinks it.  Exactly one of commit or abort must follow a
 * successful open; commit aborts by itself when it fails.
 *
 * struct outfile is caller storage (init-style); it owns the FILE and the
 * temporary name until commit or abort.
 */
#ifndef PLOTS_OUTFILE_H
#define PLOTS_OUTFILE_H

#include "sim/err.h"

#include <stdio.h>

struct outfile {
    FILE *fp;       /* write here between open and commit */
    char *path;     /* final name */
    char *tmp_path; /* the temporary, in the same directory */
};

/* Returns 0, or SIM_EIO with the reason in err (out is then left closed). */
int outfile_open(struct outfile *out, const char *path, struct sim_err *err);

/* Flushes, closes and renames.  Returns 0, or SIM_EIO (the temporary is
 * removed and PATH is left as it was). */
int outfile_commit(struct outfile *out, struct sim_err *err);

/* Commits a set of files that belong together (run's summary.csv and
 * timeseries.csv): first checks that every one was written and that no
 * target is a directory, and if any is not so aborts them all, leaving every
 * PATH as it was; then renames each.  Returns 0 or SIM_EIO. */
int outfile_commit_all(struct outfile *outs, size_t n, struct sim_err *err);

/* Closes and removes the temporary; PATH is left as it was.  Safe after a
 * failed open or commit (does nothing). */
void outfile_abort(struct outfile *out);

#endif
