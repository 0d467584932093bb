/* SPDX-License-Identifier: MIT
 *
 * table.h - the tidy results table and its four writers.
 *
 * One row per (design, profile, metric): the across-replication mean, its
 * 95% confidence interval [ci_low, ci_high], the number of replications n
 * and the unit.  Every number a report prints goes through this one model,
 * so the terminal, CSV, JSON and Markdown outputs cannot disagree:
 *
 *   TABLE_TEXT      aligned columns for a terminal, human units
 *                   ("12.3 ms [11.9, 12.8]", "1.5 MiB", "2.4 k/s", "3 KiB/s")
 *   TABLE_MARKDOWN  the same cells as a GitHub table
 *   TABLE_CSV       tidy, one row per design x profile x metric, numbers in
 *                   base units (s, bytes, 1/s, bytes/s, fraction) at full precision:
 *                   the shortest of %.15g, %.16g, %.17g that reads back to
 *                   the same double; a missing value is an empty field
 *   TABLE_JSON      {"rows": [...]} with the CSV's fields and precision;
 *                   a missing value is null
 *
 * Human formats round to three significant digits; machine formats round
 * nothing.  A CI that does not exist (n < 2) is NaN and is left out of the
 * human formats rather than printed as a bare interval.
 *
 * Ownership: struct table owns copies of every string and its row array;
 * table_create/table_destroy pair up.  Writers borrow the table.
 *
 * Errors: writers return 0 or SIM_EIO (the stream reported an error, or the
 * file could not be written; text in err).  table_write_path writes a
 * temporary and renames it, so a failed write leaves no half-written file.
 */
#ifndef PLOTS_TABLE_H
#define PLOTS_TABLE_H

#include "plots/axis.h"
#include "sim/err.h"

#include <stdint.h>
#include <stdio.h>

struct table_row {
    char *design, *profile, *metric;
    double mean, ci_low, ci_high; /* base units; CI bounds NaN when there is none */
    uint64_t n;                   /* replications behind the mean */
    enum axis_unit unit;
};

struct table {
    struct table_row *rows;
    size_t n_rows, cap;
};

enum table_format { TABLE_TEXT, TABLE_CSV, TABLE_JSON, TABLE_MARKDOWN };

struct table *table_create(void);
void table_destroy(struct table *t); /* NULL is fine */

/* Appends a row (copies the strings).  Rows keep their insertion order. */
void table_add(struct table *t, const char *design, const char *profile, const char *metric,
               double mean, double ci_low, double ci_high, uint64_t n, enum axis_unit unit);

/* The unit's name in CSV and JSON: "count", "s", "bytes", "per_s", "bytes_per_s",
 * "fraction". */
const char *table_unit_name(enum axis_unit unit);

/* "12.3 ms [11.9, 12.8]", or just the mean when the CI is NaN.  Returns buf. */
char *table_format_cell(const struct table_row *r, char *buf, size_t size);

int table_write(const struct table *t, enum table_format format, FILE *fp, struct sim_err *err);
int table_write_path(const struct table *t, enum table_format format, const char *path,
                     struct sim_err *err);

#endif
