/* SPDX-License-Identifier: MIT
 *
 * canvas_int.h - what the chart files share: a cairo surface bound to an
 * output file, text helpers, and the "frame" (plot area, axes, ticks, grid)
 * that every x-y chart draws its data into.  Private to plots/ (it is the
 * one header that includes <cairo.h>, and only the .c files of plots/ include it).
 *
 * Lifecycle: canvas__open (validate the inputs first: once open, the chart
 * is committed to drawing) -> draw -> canvas__close, which checks cairo's
 * sticky status once, writes the PNG (or finishes the SVG/PDF stream) into a
 * temporary file and renames it into place.  canvas__close always releases
 * everything, error or not.
 *
 * A frame is laid out in a box: frame layout measures tick labels and axis
 * titles, so the plot area is what is left, and nothing is clipped at any
 * canvas size.  Drawing order: grid, data (clipped to the plot area), axes.
 */
#ifndef PLOTS_CANVAS_INT_H
#define PLOTS_CANVAS_INT_H

#include "plots/axis.h"
#include "plots/chart.h"
#include "plots/outfile.h"
#include "plots/palette.h"

#include <cairo.h>
#include <stdbool.h>

struct canvas {
    cairo_surface_t *surface;
    cairo_t *cr;
    enum chart_format format;
    struct outfile out;
    double w, h;
    double em; /* the tick-label font size in px; everything else scales with it */
};

int canvas__open(struct canvas *cv, const struct chart_opts *o, const char *path,
                 struct sim_err *err);
int canvas__close(struct canvas *cv, struct sim_err *err);

void canvas__font(struct canvas *cv, double size_px, bool bold);
double canvas__text_width(struct canvas *cv, const char *s);
/* Line height of the current font (ascent + descent). */
double canvas__line_height(struct canvas *cv);
/* Draws s with its box anchored at (x, y): ax 0/0.5/1 = left/centre/right,
 * ay 0/0.5/1 = top/middle/bottom of the font's ascent+descent box. */
void canvas__text(struct canvas *cv, double x, double y, double ax, double ay, const char *s);
/* As canvas__text, rotated a quarter turn anticlockwise (reads bottom-up),
 * centred on (x, y). */
void canvas__text_up(struct canvas *cv, double x, double y, const char *s);
/* Copies s into buf, shortened with "..." to fit max_w in the current font. */
const char *canvas__fit(struct canvas *cv, const char *s, double max_w, char *buf, size_t size);
void canvas__rgb(struct canvas *cv, struct palette_rgb c, double alpha);
/* Dash pattern of series line i: solid, long dashes, short dashes, dash-dot, then again.  Designs
 * often coincide on a chart; the dashes let the line underneath show through. */
void canvas__line_style(struct canvas *cv, size_t i);
void canvas__grey(struct canvas *cv, double level);

/* Title and subtitle at the top; returns the y where the content may start. */
double canvas__header(struct canvas *cv, const struct chart_opts *o);

struct canvas_legend_item {
    const char *label;
    struct palette_rgb color;
    bool is_box;   /* a filled square (areas, bars) instead of a line */
    bool has_band; /* a line with a CI band: the swatch shows the band too */
    size_t style;  /* a line's dash pattern (canvas__line_style) */
};

/* Width the legend needs (0 when there is nothing to show); capped at a
 * third of the canvas, labels are shortened to fit. */
double canvas__legend_width(struct canvas *cv, const char *title,
                            const struct canvas_legend_item *items, size_t n);
void canvas__legend(struct canvas *cv, double x, double y, double w, const char *title,
                    const struct canvas_legend_item *items, size_t n);

enum canvas_scale { CANVAS_LINEAR, CANVAS_LOG, CANVAS_NINES };

/* data -> device along one axis; NaN for values the scale cannot show. */
struct canvas_map {
    enum canvas_scale scale;
    double lo, hi; /* data range */
    double p0, p1; /* device coordinates of lo and hi */
};
double canvas__map(const struct canvas_map *m, double v);

#define CANVAS_LABEL_MAX 48

struct canvas_frame {
    /* set by the caller before layout */
    struct axis_ticks xt, yt;
    enum canvas_scale xs, ys;
    enum axis_unit xu, yu;
    const char *x_label, *y_label;
    bool x_labels_set, y_labels_set;    /* xlab/ylab filled by the caller */
    bool x_minor_log, y_minor_log;      /* minor grid at 2..9 within decades */
    double font_scale;                  /* 1 for a full chart, less in small multiples */
    double top_extra;                   /* room above the plot (marker labels) */
    char xlab[AXIS_MAX_TICKS][CANVAS_LABEL_MAX];
    char ylab[AXIS_MAX_TICKS][CANVAS_LABEL_MAX];
    /* set by layout */
    double x0, y0, x1, y1; /* the plot area, y0 at the top */
    struct canvas_map xm, ym;
};

void canvas__frame_layout(struct canvas *cv, struct canvas_frame *f, double bx0, double by0,
                          double bx1, double by1);
void canvas__frame_grid(struct canvas *cv, const struct canvas_frame *f);
void canvas__frame_axes(struct canvas *cv, const struct canvas_frame *f);
void canvas__frame_clip(struct canvas *cv, const struct canvas_frame *f);

/* A colour bar for a 0..1 ramp in the box (x, y, w, h): 0 at the left
 * (horizontal) or the bottom (vertical); reverse runs the ramp from 1 to 0. */
void canvas__ramp_bar(struct canvas *cv, double x, double y, double w, double h, bool vertical,
                      bool reverse, struct palette_rgb (*ramp)(double));

#endif
