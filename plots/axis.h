/* SPDX-License-Identifier: MIT
 *
 * axis.h - tick positions and human-readable numbers for charts and tables.
 *
 * Two jobs that every chart and table shares, kept free of cairo so they can
 * be tested to the exact string:
 *
 *   ticks    axis_ticks_linear picks 1-2-5 steps (Heckbert, "Nice numbers
 *            for graph labels", Graphics Gems 1990) that cover [lo, hi] with
 *            about `target` intervals.  For byte axes the steps are nice in
 *            the chosen IEC unit (0.5 GiB, not 536870912), so the ticks are
 *            computed in scaled units and multiplied back.  axis_ticks_log
 *            gives decades (and 2, 5 within them when the range is short).
 *   format   axis_format renders a value with an SI prefix (12.3 ms, 1.5 k/s,
 *            2.4M) or an IEC one (1.5 MiB), three significant digits, no
 *            trailing zeros.  axis_format_tick uses the decimals that the
 *            tick step needs, so a tick set reads 0.5, 1, 1.5 consistently.
 *
 * Everything here is pure: no allocation, no state, the caller owns every
 * buffer.  Bad arguments (NaN ranges, lo > hi) are bugs and are asserted;
 * a degenerate range (lo == hi) is widened so a flat series still gets an
 * axis.
 */
#ifndef PLOTS_AXIS_H
#define PLOTS_AXIS_H

#include "sim/stat.h"

#include <stdbool.h>
#include <stddef.h>

/* The physical unit of an axis or table value; values are always in base
 * units (seconds, bytes, 1/s, a 0..1 fraction). */
enum axis_unit {
    AXIS_UNIT_NONE,     /* a count: 950, 1.2k, 3.4M */
    AXIS_UNIT_S,        /* seconds: 12.3 ms, 850 us, 2.5 s */
    AXIS_UNIT_BYTES,    /* IEC: 512 B, 1.5 MiB, 2 GiB */
    AXIS_UNIT_PER_S,    /* a rate: 12 /s, 1.5 k/s */
    AXIS_UNIT_FRACTION, /* 0..1 shown as a percentage: 45%, 0.5% */
    AXIS_UNIT_BYTES_PER_S, /* a byte rate, IEC: 512 B/s, 1.5 MiB/s */
};

#define AXIS_MAX_TICKS 32

struct axis_ticks {
    size_t n;
    double v[AXIS_MAX_TICKS]; /* in base units, increasing */
    double lo, hi;            /* the axis range: the outer ticks (linear) or decades (log) */
    double step;              /* base units between ticks (linear); 0 for log */
    bool is_log;
};

/* Nice linear ticks covering [lo, hi] with about `target` (>= 2) intervals.
 * The axis range becomes [first tick, last tick]. */
void axis_ticks_linear(double lo, double hi, unsigned target, enum axis_unit unit,
                       struct axis_ticks *out);

/* Log ticks for 0 < lo <= hi: the decades that cover the range, plus the 2
 * and 5 multiples when it spans three decades or fewer. */
void axis_ticks_log(double lo, double hi, struct axis_ticks *out);

/* The unit symbol for the label of an axis ("s", "B", "/s", "B/s", "%" or ""). */
const char *axis_unit_symbol(enum axis_unit unit);
/* The axis unit of a metric's unit name ("s", "B", "B/s", "1/s", "1"); others: none. */
enum axis_unit axis_unit_of(const char *unit_name);

/* "12.3 ms", "1.5 MiB", "1.5 MiB/s", "2.4k", "45%": three significant digits, the prefix
 * chosen so the mantissa is in [1, 1000) (1024 for bytes).  NaN -> "n/a".
 * Returns buf.  Always NUL-terminates when size > 0. */
char *axis_format(double v, enum axis_unit unit, char *buf, size_t size);

/* v with the prefix that axis_format would choose for ref, three
 * significant digits, and the unit symbol only if with_symbol: the bounds
 * of "12.3 ms [11.9, 12.8]" are axis_format_as(lo, 0.0123, ..., false). */
char *axis_format_as(double v, double ref, enum axis_unit unit, bool with_symbol, char *buf,
                     size_t size);

/* A mean and its CI in one prefix, "12.3 ms [11.9, 12.8]" (the bounds would
 * otherwise read in a unit of their own): the mean's, while the bounds still
 * read in four digits there ("440 ms [130, 1200]"), else the widest bound's;
 * "12.3 ms (n=1, no CI)" without a half-width; "n/a" without a mean. */
char *axis_format_ci(const struct sim_ci *ci, enum axis_unit unit, char *buf, size_t size);

/* As axis_format_ci, with the prefix that `ref` fixes (0: the CI's own
 * choice), so two CIs side by side can read in one unit. */
char *axis_format_ci_as(const struct sim_ci *ci, double ref, enum axis_unit unit, char *buf,
                        size_t size);
/* The ref that puts two magnitudes under one prefix: the smaller's prefix
 * ("539 ms" beside "547 ms", not "0.539 s" beside "547 ms"; "127" beside
 * "7470"), or 0 (each its own) when the larger would need more than four
 * digits there or either is zero. */
double axis_shared_ref(double a, double b, enum axis_unit unit);
/* The largest magnitude among a CI's mean and bounds; 0 without a mean. */
double axis_ci_extent(const struct sim_ci *ci);

/* As axis_format, with the prefix fixed by `ref` (the largest magnitude on
 * the axis) and the decimals by `step`, so all labels of one axis agree.
 * Zero is written as "0". */
char *axis_format_tick(double v, double ref, double step, enum axis_unit unit, char *buf,
                       size_t size);

#endif
