/* SPDX-License-Identifier: MIT
 *
 * samples.h - measurements read from files: durations or sizes for fitting,
 * and arrival timestamps for rate schedules and trace replay.
 *
 * Input is text, plain or gzip'd (zlib reads both transparently), one record
 * a line.  Two layouts: one number per line (an optional one-word header is
 * skipped), or CSV with a header row and a column chosen by name.  The
 * separator is a comma, or a tab when the header has tabs and no commas;
 * cells may be double-quoted; blank lines and lines starting with '#' are
 * skipped; CRLF is accepted.
 *
 * Values are scaled to base units by a struct samples_unit: seconds for
 * time units (ns, us, ms, s, min, h), bytes for size units (B, KiB, MiB, GiB,
 * kB, MB, GB); "none" keeps the numbers as they are.  Timestamps are seconds
 * (a number, e.g. Unix epoch), ISO 8601 (2026-11-25T10:00:00.5Z, with an
 * optional offset) or the access-log form [25/Nov/2026:10:00:00 +0000]; the
 * latter is also found inside a whole log line when no column is named.
 *
 * Errors are bad input: the reader stops at the first, returns SIM_EINVAL
 * (SIM_EIO when the file cannot be read) and fills the caller's sim_err with
 * one line "FILE:LINE:COL: what is wrong (got X)".  Nothing is kept on error.
 *
 * Ownership: a struct samples owns its array x; samples_fini frees it.
 * Cost: one pass over the file with a 1 MiB buffer, O(1) work per byte; the
 * array grows by doubling (peak 1.5x its final size); timestamps are sorted
 * once, O(n log n).
 */
#ifndef MODELS_SAMPLES_H
#define MODELS_SAMPLES_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

enum samples_unit_kind {
    SAMPLES_UNIT_NONE, /* plain numbers, printed as they are */
    SAMPLES_UNIT_TIME, /* scaled to seconds */
    SAMPLES_UNIT_SIZE, /* scaled to bytes */
};

struct samples_unit {
    const char *name; /* as the user wrote it: "ms", "KiB", "none" */
    enum samples_unit_kind kind;
    double scale; /* multiplies a value in the file to give base units */
};

/* The unit called name (case-sensitive: "ms", "KiB"); false if unknown.  NULL means "none". */
bool samples_unit_parse(const char *name, struct samples_unit *out);
/* The names samples_unit_parse accepts, comma-separated, for help and error
 * text: written from the same table, so the two cannot disagree. */
void samples_unit_names(char *buf, size_t size);

struct samples {
    double *x;        /* owned; in base units; timestamps sorted ascending */
    size_t n;
    char column[128]; /* the column that was read, "" when the file has no header */
};

/* Reads non-negative values (durations or sizes) from path.  column names the CSV column; NULL
 * accepts a file of one value a line, with or without a one-word header.  unit may be NULL
 * (none).  On success s holds n >= 1 values and 0 is returned; on error s is empty. */
int samples_read(struct samples *s, const char *path, const char *column,
                 const struct samples_unit *unit, struct sim_err *err);

/* Reads arrival instants, in seconds, sorted ascending (ties kept).  column names a CSV column;
 * NULL takes the column "ts" if the header has one, else the only column, else an access-log
 * time found anywhere in the line.  Reusable by trace-driven arrivals. */
int samples_read_timestamps(struct samples *s, const char *path, const char *column,
                            struct sim_err *err);

void samples_fini(struct samples *s);

/* Sorts x[0..n-1] ascending.  The values must be non-negative and not NaN (as samples_read
 * gives them): then their IEEE bit patterns sort like the numbers, and an LSD radix sort does
 * 10 million in a fraction of the time of gsl_sort's heapsort. */
void samples_sort(double *x, size_t n);

#endif
