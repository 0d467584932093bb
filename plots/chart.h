/* SPDX-License-Identifier: MIT
 *
 * chart.h - the charts of a proxysim report, drawn with cairo.
 *
 * One function per kind of chart, each taking plain arrays (no model types,
 * no cairo types) and writing one file:
 *
 *   chart_timeseries       lines over time with 95% CI bands, several series,
 *                          dashed vertical markers for scheduled events
 *   chart_sweep            the same drawing over one varied parameter
 *   chart_stacked          stacked areas (memory by component over time)
 *   chart_latency          percentile curves (p50..p99.9 on a "nines" axis,
 *                          latency on a log axis) or CDFs
 *   chart_bars             grouped bars with CI whiskers (group x series)
 *   chart_small_multiples  a grid of small bar charts sharing one legend
 *   chart_heatmap          a metric over two parameters, viridis, colour bar
 *   chart_matrix           a table image whose cells are coloured by how
 *                          close a figure is to its limit
 *
 * Every chart has a title and subtitle (say design, profile and replication
 * count there), nice 1-2-5 ticks whose labels carry SI or IEC prefixes
 * (axis.h), a legend placed outside the plot area so it never covers data,
 * and Okabe-Ito colours (palette.h).  Text is DejaVu Sans through cairo's
 * toy font API (fontconfig); lines are anti-aliased.
 *
 * Ownership: the caller owns every input; nothing is kept after a call.
 * Inputs are borrowed for the duration of the call only.
 *
 * Errors: every function returns 0 or a negative sim_status.  Malformed
 * input that a caller could plausibly pass (no series, an empty series, no
 * finite value to scale an axis by, nothing positive for a log axis; single
 * non-positive points on a log axis are skipped) is SIM_EINVAL; a failure to write is SIM_EIO; the text goes into the
 * caller's struct sim_err (may be NULL).  cairo's status is sticky and
 * first-error-wins, so it is checked once, when the file is finished.  The
 * file is written to a temporary in the same directory and renamed, so a
 * failed call leaves whatever was at `path` before untouched.  NULL arrays
 * where data is required are bugs and are asserted.
 *
 * Cost: one cairo surface per call (1600x900 ARGB is 5.5 MiB for PNG); the
 * drawing is linear in the number of points.
 */
#ifndef PLOTS_CHART_H
#define PLOTS_CHART_H

#include "plots/axis.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

enum chart_format {
    CHART_PNG, /* the default: pixels, 1 px per unit of width/height */
    CHART_SVG, /* vector, width/height in points */
    CHART_PDF,
};

#define CHART_DEFAULT_WIDTH 1600
#define CHART_DEFAULT_HEIGHT 900

/* What every chart shares.  Zero-initialise and set what you need: a zero
 * size means 1600x900, NULL texts are left out. */
struct chart_opts {
    enum chart_format format;
    int width, height;      /* pixels for PNG, points for SVG and PDF */
    const char *title;      /* bold, top left */
    const char *subtitle;   /* below the title: design, profile, replications */
    const char *x_label;    /* axis names; ticks already carry the unit */
    const char *y_label;
    enum axis_unit x_unit, y_unit;
    bool x_log, y_log;      /* log axes where the chart supports them */
    bool y_fit;             /* fit the y axis to the data instead of starting at 0 */
    const char *legend_title;
};

/* One line: points (x[i], y[i]) with an optional 95% CI band [lo[i], hi[i]].
 * lo and hi are both NULL or both set.  NaN points break the line. */
struct plot_series {
    const char *label;
    const double *x, *y, *lo, *hi;
    size_t n;
};

/* A scheduled event on the x axis ("burst start", "upstream restart"). */
struct plot_marker {
    double x;
    const char *label;
};

/* One stacked layer: y values on the shared time grid of chart_stacked. */
struct plot_layer {
    const char *label;
    const double *y;
};

/* Bars: n_groups groups along x, n_series bars in each (one per design, say).
 * Values are indexed [g * n_series + s]; lo/hi (the CI) may be NULL. */
struct plot_bars {
    size_t n_groups, n_series;
    const char *const *group_labels;  /* n_groups */
    const char *const *series_labels; /* n_series: the legend */
    const double *mean, *lo, *hi;
};

/* One panel of small multiples: its own title and y unit. */
struct plot_panel {
    const char *title;
    enum axis_unit unit;
    struct plot_bars bars;
};

/* A value over two parameters: z[iy * nx + ix] at (x[ix], y[iy]).  Cells are
 * drawn as equal tiles (sweeps are often uneven, 8, 16, 32, 64), with the
 * parameter values as tick labels.  NaN cells are grey. */
struct plot_grid {
    size_t nx, ny;
    const double *x, *y, *z;
    const char *z_label; /* the colour bar's title */
    enum axis_unit z_unit;
    bool z_reverse;      /* bright = low (when low is bad, e.g. throughput) */
};

/* A table image.  cells[r * n_cols + c] is the text of a cell ('\n' breaks
 * lines: "12.3 ms\n[11.9, 12.8]"); level[r * n_cols + c] in [0, 1] is how
 * close the figure is to its limit (NaN: no limit, light grey).  The
 * colour ramp is palette_closeness. */
struct plot_matrix {
    size_t n_rows, n_cols;
    const char *corner;               /* the top-left header cell, may be NULL */
    const char *const *row_labels;    /* n_rows */
    const char *const *col_labels;    /* n_cols */
    const char *const *cells;
    const double *level;
};

enum chart_latency_mode {
    CHART_PERCENTILES, /* x = quantile in (0, 1), y = latency (s), y on a log axis */
    CHART_CDF,         /* x = latency (s) on a log axis, y = fraction in [0, 1] */
};

/* The y axis assumes a non-negative quantity when no mean is negative: CI bands are
 * clipped at 0 then (docs/PLOTS.md). */
int chart_timeseries(const struct chart_opts *o, const struct plot_series *series,
                     size_t n_series, const struct plot_marker *markers, size_t n_markers,
                     const char *path, struct sim_err *err);

/* Identical drawing to chart_timeseries without markers; x is the varied
 * parameter (x_unit says what it is). */
int chart_sweep(const struct chart_opts *o, const struct plot_series *series, size_t n_series,
                const char *path, struct sim_err *err);

/* n time points t[0..n_t), each layer's y[0..n_t); the first layer is at the
 * bottom.  Negative or NaN values count as 0. */
int chart_stacked(const struct chart_opts *o, const double *t, size_t n_t,
                  const struct plot_layer *layers, size_t n_layers,
                  const struct plot_marker *markers, size_t n_markers, const char *path,
                  struct sim_err *err);

/* Latency per design; see enum chart_latency_mode for x and y.  o->x_unit,
 * y_unit and the log flags are set by the mode. */
int chart_latency(const struct chart_opts *o, enum chart_latency_mode mode,
                  const struct plot_series *series, size_t n_series, const char *path,
                  struct sim_err *err);

/* Grouped bars starting at zero, in o->y_unit, with CI whiskers. */
int chart_bars(const struct chart_opts *o, const struct plot_bars *bars, const char *path,
               struct sim_err *err);

/* Panels in a grid of n_cols columns (0: chosen to suit the aspect); the
 * legend is panels[0].bars.series_labels, so every panel must list the same
 * series in the same order. */
int chart_small_multiples(const struct chart_opts *o, const struct plot_panel *panels,
                          size_t n_panels, size_t n_cols, const char *path, struct sim_err *err);

int chart_heatmap(const struct chart_opts *o, const struct plot_grid *grid, const char *path,
                  struct sim_err *err);

/* o->width and height are the canvas; the font shrinks until the table fits. */
int chart_matrix(const struct chart_opts *o, const struct plot_matrix *m, const char *path,
                 struct sim_err *err);

#endif
