/* SPDX-License-Identifier: MIT
 *
 * chart.c - the x-y charts: time series, sweeps, latency curves, stacked
 * areas.  They share one drawing (lines with CI bands in a frame, legend on
 * the right); what differs is how the axes are scaled and labelled.
 */
#include "plots/canvas_int.h"
#include "plots/chart.h"

#include "sim/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Ticks aimed for: enough to read values off a 1600 px axis, few enough
 * that labels such as "512 MiB" never crowd. */
enum { X_TICKS = 8, Y_TICKS = 6 };

struct range {
    double lo, hi;
    size_t n; /* values seen */
};

static void range_add(struct range *r, double v, bool positive_only)
{
    if (!isfinite(v) || (positive_only && v <= 0.0)) {
        return;
    }
    if (r->n == 0 || v < r->lo) {
        r->lo = v;
    }
    if (r->n == 0 || v > r->hi) {
        r->hi = v;
    }
    r->n++;
}

static int check_series(const struct plot_series *s, size_t n_series, const char *path,
                        struct sim_err *err)
{
    if (n_series == 0) {
        return sim_err_set(err, SIM_EINVAL, "%s: no series to draw", path);
    }
    SIM_REQUIRE(s != NULL);
    for (size_t i = 0; i < n_series; i++) {
        if (s[i].n == 0) {
            return sim_err_set(err, SIM_EINVAL, "%s: series %zu (%s) has no points", path, i,
                               s[i].label != NULL ? s[i].label : "unnamed");
        }
        SIM_REQUIRE(s[i].x != NULL && s[i].y != NULL);
        SIM_REQUIRE((s[i].lo == NULL) == (s[i].hi == NULL));
    }
    return SIM_OK;
}

/* Data ranges of all series; y covers the CI bands too.  Only points whose x
 * and y the axes can show count.  With band_floor (time series: levels, counts
 * and rates) and no negative mean, a Student-t band reaching below zero does not
 * pull the axis there: the band is clipped at 0.  Sweeps keep the whole band,
 * since a signed metric's CI crossing 0 is the finding. */
static void series_ranges(const struct plot_series *s, size_t n_series, bool x_pos, bool y_pos,
                          bool band_floor, struct range *xr, struct range *yr)
{
    double lo_min = -INFINITY; /* the lowest band edge the axis must show */
    if (band_floor) {
        lo_min = 0.0;
        for (size_t i = 0; i < n_series; i++) {
            for (size_t j = 0; j < s[i].n; j++) {
                lo_min = isfinite(s[i].y[j]) && s[i].y[j] < 0.0 ? -INFINITY : lo_min;
            }
        }
    }
    for (size_t i = 0; i < n_series; i++) {
        for (size_t j = 0; j < s[i].n; j++) {
            if (!isfinite(s[i].y[j]) || !isfinite(s[i].x[j]) || (x_pos && s[i].x[j] <= 0.0)) {
                continue;
            }
            range_add(xr, s[i].x[j], x_pos);
            range_add(yr, s[i].y[j], y_pos);
            if (s[i].lo != NULL) {
                range_add(yr, fmax(s[i].lo[j], lo_min), y_pos);
                range_add(yr, s[i].hi[j], y_pos);
            }
        }
    }
}

static void set_axis(struct axis_ticks *t, enum canvas_scale *scale, const struct range *r,
                     bool is_log, bool from_zero, unsigned target, enum axis_unit unit)
{
    if (is_log) {
        axis_ticks_log(r->lo, r->hi, t);
        *scale = CANVAS_LOG;
        return;
    }
    double lo = r->lo, hi = r->hi;
    if (from_zero) {
        lo = fmin(lo, 0.0);
        hi = fmax(hi, 0.0);
    }
    axis_ticks_linear(lo, hi, target, unit, t);
    *scale = CANVAS_LINEAR;
}

/* Time and sweep axes end where the data ends: nice ticks inside the range,
 * no empty stretch after the last window that a reader might take for
 * missing data. */
static void tighten(struct axis_ticks *t, const struct range *r)
{
    if (!(r->hi > r->lo)) {
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i] >= r->lo - 1e-9 * (r->hi - r->lo) && t->v[i] <= r->hi + 1e-9 * (r->hi - r->lo)) {
            t->v[k++] = t->v[i];
        }
    }
    t->n = k;
    t->lo = r->lo;
    t->hi = r->hi;
}

static void draw_band(struct canvas *cv, const struct canvas_frame *f, const struct plot_series *s)
{
    /* One polygon per run of points where the band is defined: along lo,
     * back along hi. */
    size_t j = 0;
    while (j < s->n) {
        size_t a = j;
        while (a < s->n && !(isfinite(canvas__map(&f->xm, s->x[a])) &&
                             isfinite(canvas__map(&f->ym, s->lo[a])) &&
                             isfinite(canvas__map(&f->ym, s->hi[a])))) {
            a++;
        }
        size_t b = a;
        while (b < s->n && isfinite(canvas__map(&f->xm, s->x[b])) &&
               isfinite(canvas__map(&f->ym, s->lo[b])) && isfinite(canvas__map(&f->ym, s->hi[b]))) {
            b++;
        }
        if (b > a) {
            for (size_t k = a; k < b; k++) {
                double px = canvas__map(&f->xm, s->x[k]), py = canvas__map(&f->ym, s->lo[k]);
                if (k == a) {
                    cairo_move_to(cv->cr, px, py);
                } else {
                    cairo_line_to(cv->cr, px, py);
                }
            }
            for (size_t k = b; k-- > a;) {
                cairo_line_to(cv->cr, canvas__map(&f->xm, s->x[k]), canvas__map(&f->ym, s->hi[k]));
            }
            cairo_close_path(cv->cr);
            cairo_fill(cv->cr);
        }
        j = b > a ? b : a + 1;
    }
}

static void draw_line(struct canvas *cv, const struct canvas_frame *f, const struct plot_series *s,
                      bool dots)
{
    bool pen_down = false;
    size_t n_drawn = 0;
    for (size_t k = 0; k < s->n; k++) {
        double px = canvas__map(&f->xm, s->x[k]), py = canvas__map(&f->ym, s->y[k]);
        if (!isfinite(px) || !isfinite(py)) {
            pen_down = false;
            continue;
        }
        if (pen_down) {
            cairo_line_to(cv->cr, px, py);
        } else {
            cairo_move_to(cv->cr, px, py);
            pen_down = true;
        }
        n_drawn++;
    }
    cairo_stroke(cv->cr);
    /* Sparse curves (a sweep of 6 values, 5 percentiles) show their points:
     * the reader should see where the measurements are. */
    if (dots || n_drawn == 1) {
        for (size_t k = 0; k < s->n; k++) {
            double px = canvas__map(&f->xm, s->x[k]), py = canvas__map(&f->ym, s->y[k]);
            if (isfinite(px) && isfinite(py)) {
                cairo_new_sub_path(cv->cr);
                cairo_arc(cv->cr, px, py, 0.3 * cv->em, 0, 2 * 3.14159265358979323846);
            }
        }
        cairo_fill(cv->cr);
    }
}

static void draw_series(struct canvas *cv, const struct canvas_frame *f,
                        const struct plot_series *s, size_t n_series)
{
    cairo_save(cv->cr);
    canvas__frame_clip(cv, f);
    for (size_t i = 0; i < n_series; i++) {
        if (s[i].lo != NULL) {
            canvas__rgb(cv, palette_series(i), 0.18);
            draw_band(cv, f, &s[i]);
        }
    }
    cairo_set_line_width(cv->cr, 0.15 * cv->em);
    cairo_set_line_join(cv->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cv->cr, CAIRO_LINE_CAP_ROUND);
    for (size_t i = 0; i < n_series; i++) {
        canvas__rgb(cv, palette_series(i), 1.0);
        canvas__line_style(cv, i);
        bool sparse = s[i].n <= 24 && (f->xm.p1 - f->xm.p0) / (double)s[i].n > 2.0 * cv->em;
        draw_line(cv, f, &s[i], sparse);
    }
    cairo_restore(cv->cr);
}

/* Marker labels sit in a strip above the plot area, in up to two rows, so
 * they never hide a line; the dashed rule runs down through the data. */
static double marker_strip_height(const struct canvas *cv, size_t n_markers)
{
    return n_markers == 0 ? 0.0 : 2.0 * 1.35 * cv->em;
}

static void draw_markers(struct canvas *cv, const struct canvas_frame *f,
                         const struct plot_marker *m, size_t n)
{
    if (n == 0) {
        return;
    }
    double em = cv->em;
    cairo_save(cv->cr);
    static const double dash[] = {6.0, 4.0};
    cairo_set_dash(cv->cr, dash, 2, 0);
    cairo_set_line_width(cv->cr, 1.5);
    canvas__grey(cv, 0.25);
    for (size_t i = 0; i < n; i++) {
        double px = canvas__map(&f->xm, m[i].x);
        if (isfinite(px)) {
            cairo_move_to(cv->cr, px, f->y0 - 0.2 * em);
            cairo_line_to(cv->cr, px, f->y1);
        }
    }
    cairo_stroke(cv->cr);
    cairo_restore(cv->cr);

    canvas__font(cv, 0.9 * em, false);
    double row_h = 1.35 * em;
    double row_end[2] = {-1e300, -1e300};
    for (size_t i = 0; i < n; i++) {
        double px = canvas__map(&f->xm, m[i].x);
        if (!isfinite(px) || m[i].label == NULL) {
            continue;
        }
        double w = canvas__text_width(cv, m[i].label);
        /* centred on the rule, but kept inside the canvas */
        double left = fmin(fmax(px - 0.5 * w, 0.5 * em), cv->w - 0.5 * em - w);
        /* the row next to the plot unless the previous label is in the way */
        int row = left >= row_end[0] + 0.6 * em ? 0 : 1;
        row_end[row] = left + w;
        double y = f->y0 - 0.25 * em - (double)(row + 1) * row_h;
        canvas__grey(cv, 0.2);
        canvas__text(cv, left, y, 0, 0, m[i].label);
    }
}

static void series_legend(struct canvas *cv, const struct chart_opts *o,
                          const struct plot_series *s, size_t n, bool draw, double x, double y,
                          double *width)
{
    struct canvas_legend_item items[PALETTE_N_SERIES * 4];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof(items) / sizeof(items[0]); i++) {
        items[k++] = (struct canvas_legend_item){s[i].label, palette_series(i), false,
                                                 s[i].lo != NULL, i};
    }
    bool any_label = false;
    for (size_t i = 0; i < k; i++) {
        any_label = any_label || items[i].label != NULL;
    }
    if (!any_label) {
        *width = 0.0;
        return;
    }
    if (!draw) {
        *width = canvas__legend_width(cv, o->legend_title, items, k);
        return;
    }
    canvas__legend(cv, x, y, *width, o->legend_title, items, k);
}

enum line_kind { LINE_PLAIN, LINE_SWEEP, LINE_PERCENTILES, LINE_CDF };

static const double nines_ticks[] = {0.0, 0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999};

/* The percentile axis: tick at each "nine" from the largest at or below the
 * smallest quantile to the smallest at or above the largest. */
static void nines_axis(struct canvas_frame *f, const struct range *xr)
{
    size_t n = sizeof(nines_ticks) / sizeof(nines_ticks[0]);
    size_t a = 0, b = n - 1;
    while (a + 1 < n && nines_ticks[a + 1] <= xr->lo) {
        a++;
    }
    for (size_t i = n; i-- > 0;) {
        if (nines_ticks[i] >= xr->hi) {
            b = i;
        }
    }
    if (b <= a) {
        b = a + 1 < n ? a + 1 : a;
        a = b - 1;
    }
    f->xt.n = 0;
    for (size_t i = a; i <= b; i++) {
        f->xt.v[f->xt.n] = nines_ticks[i];
        snprintf(f->xlab[f->xt.n], CANVAS_LABEL_MAX, "p%g", nines_ticks[i] * 100.0);
        f->xt.n++;
    }
    f->xt.lo = nines_ticks[a];
    f->xt.hi = nines_ticks[b];
    f->xt.is_log = false;
    f->xs = CANVAS_NINES;
    f->x_labels_set = true;
}

static int line_chart(const struct chart_opts *o, enum line_kind kind,
                      const struct plot_series *s, size_t n_series, const struct plot_marker *m,
                      size_t n_markers, const char *path, struct sim_err *err)
{
    SIM_REQUIRE(o != NULL && path != NULL);
    int rc = check_series(s, n_series, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    SIM_REQUIRE(m != NULL || n_markers == 0);
    bool plain = kind == LINE_PLAIN || kind == LINE_SWEEP;
    bool x_log = kind == LINE_CDF || (plain && o->x_log);
    bool y_log = kind == LINE_PERCENTILES || (plain && o->y_log);
    struct range xr = {0}, yr = {0};
    series_ranges(s, n_series, x_log, y_log, kind == LINE_PLAIN, &xr, &yr);
    if (kind == LINE_PERCENTILES) {
        /* quantiles must lie in [0, 1) for the nines scale */
        if (xr.n > 0 && (xr.lo < 0.0 || xr.hi >= 1.0)) {
            return sim_err_set(err, SIM_EINVAL,
                               "%s: percentile x values must be quantiles in [0, 1) (got %g..%g)",
                               path, xr.lo, xr.hi);
        }
    }
    for (size_t i = 0; i < n_markers; i++) {
        range_add(&xr, m[i].x, x_log);
    }
    if (xr.n == 0 || yr.n == 0) {
        return sim_err_set(err, SIM_EINVAL, "%s: no finite%s point to draw", path,
                           x_log || y_log ? " (and positive, for the log axis)" : "");
    }

    struct canvas_frame f = {0};
    f.x_label = o->x_label;
    f.y_label = o->y_label;
    f.xu = o->x_unit;
    f.yu = o->y_unit;
    if (kind == LINE_PERCENTILES) {
        f.yu = AXIS_UNIT_S;
        nines_axis(&f, &xr);
    } else if (kind == LINE_CDF) {
        f.xu = AXIS_UNIT_S;
        f.yu = AXIS_UNIT_FRACTION;
        yr.lo = 0.0;
        yr.hi = 1.0;
    }
    if (plain) {
        if (kind == LINE_SWEEP && xr.hi > xr.lo) {
            /* a little air so the first and last measured points are not
             * cut in half by the frame */
            if (x_log) {
                double k = pow(xr.hi / xr.lo, 0.03);
                xr.lo /= k;
                xr.hi *= k;
            } else {
                double d = 0.03 * (xr.hi - xr.lo);
                xr.lo -= d;
                xr.hi += d;
            }
        }
        set_axis(&f.xt, &f.xs, &xr, x_log, false, X_TICKS, f.xu);
        tighten(&f.xt, &xr);
    } else if (kind == LINE_CDF) {
        set_axis(&f.xt, &f.xs, &xr, x_log, false, X_TICKS, f.xu);
    }
    set_axis(&f.yt, &f.ys, &yr, y_log, !o->y_fit, Y_TICKS, f.yu);
    f.x_minor_log = f.xs == CANVAS_LOG;
    f.y_minor_log = f.ys == CANVAS_LOG;

    struct canvas cv;
    rc = canvas__open(&cv, o, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    double top = canvas__header(&cv, o);
    double legend_w = 0.0;
    series_legend(&cv, o, s, n_series, false, 0, 0, &legend_w);
    double right = cv.w - 1.2 * cv.em - (legend_w > 0.0 ? legend_w + 1.5 * cv.em : 0.0);
    f.top_extra = marker_strip_height(&cv, n_markers);
    canvas__frame_layout(&cv, &f, 1.0 * cv.em, top, right, cv.h - 0.8 * cv.em);
    canvas__frame_grid(&cv, &f);
    draw_series(&cv, &f, s, n_series);
    draw_markers(&cv, &f, m, n_markers);
    canvas__frame_axes(&cv, &f);
    if (legend_w > 0.0) {
        series_legend(&cv, o, s, n_series, true, right + 1.5 * cv.em, f.y0, &legend_w);
    }
    return canvas__close(&cv, err);
}

int chart_timeseries(const struct chart_opts *o, const struct plot_series *series,
                     size_t n_series, const struct plot_marker *markers, size_t n_markers,
                     const char *path, struct sim_err *err)
{
    return line_chart(o, LINE_PLAIN, series, n_series, markers, n_markers, path, err);
}

int chart_sweep(const struct chart_opts *o, const struct plot_series *series, size_t n_series,
                const char *path, struct sim_err *err)
{
    return line_chart(o, LINE_SWEEP, series, n_series, NULL, 0, path, err);
}

int chart_latency(const struct chart_opts *o, enum chart_latency_mode mode,
                  const struct plot_series *series, size_t n_series, const char *path,
                  struct sim_err *err)
{
    return line_chart(o, mode == CHART_CDF ? LINE_CDF : LINE_PERCENTILES, series, n_series, NULL,
                      0, path, err);
}

static double layer_value(const struct plot_layer *l, size_t j)
{
    double v = l->y[j];
    return isfinite(v) && v > 0.0 ? v : 0.0;
}

int chart_stacked(const struct chart_opts *o, const double *t, size_t n_t,
                  const struct plot_layer *layers, size_t n_layers,
                  const struct plot_marker *markers, size_t n_markers, const char *path,
                  struct sim_err *err)
{
    SIM_REQUIRE(o != NULL && path != NULL);
    SIM_REQUIRE(markers != NULL || n_markers == 0);
    if (n_layers == 0 || n_t < 2) {
        return sim_err_set(err, SIM_EINVAL, "%s: a stacked chart needs a layer and two time points (got %zu layers, %zu points)",
                           path, n_layers, n_t);
    }
    SIM_REQUIRE(t != NULL && layers != NULL);
    struct range xr = {0}, yr = {0};
    range_add(&yr, 0.0, false);
    double *base = sim_xcalloc(n_t, sizeof(double));
    for (size_t j = 0; j < n_t; j++) {
        SIM_REQUIRE(isfinite(t[j]));
        range_add(&xr, t[j], false);
        double total = 0.0;
        for (size_t k = 0; k < n_layers; k++) {
            SIM_REQUIRE(layers[k].y != NULL);
            total += layer_value(&layers[k], j);
        }
        range_add(&yr, total, false);
    }
    for (size_t i = 0; i < n_markers; i++) {
        range_add(&xr, markers[i].x, false);
    }

    struct canvas_frame f = {0};
    f.x_label = o->x_label;
    f.y_label = o->y_label;
    f.xu = o->x_unit;
    f.yu = o->y_unit;
    set_axis(&f.xt, &f.xs, &xr, false, false, X_TICKS, f.xu);
    tighten(&f.xt, &xr);
    set_axis(&f.yt, &f.ys, &yr, false, true, Y_TICKS, f.yu);

    struct canvas cv;
    int rc = canvas__open(&cv, o, path, err);
    if (rc != SIM_OK) {
        free(base);
        return rc;
    }
    double top = canvas__header(&cv, o);
    /* Legend top-down in the order the layers appear on the chart. */
    struct canvas_legend_item *items = sim_xcalloc(n_layers, sizeof(*items));
    for (size_t k = 0; k < n_layers; k++) {
        size_t src = n_layers - 1 - k;
        items[k] = (struct canvas_legend_item){layers[src].label, palette_series(src), true, false, 0};
    }
    double legend_w = canvas__legend_width(&cv, o->legend_title, items, n_layers);
    double right = cv.w - 1.2 * cv.em - (legend_w + 1.5 * cv.em);
    f.top_extra = marker_strip_height(&cv, n_markers);
    canvas__frame_layout(&cv, &f, 1.0 * cv.em, top, right, cv.h - 0.8 * cv.em);
    canvas__frame_grid(&cv, &f);

    cairo_save(cv.cr);
    canvas__frame_clip(&cv, &f);
    for (size_t k = 0; k < n_layers; k++) {
        for (size_t j = 0; j < n_t; j++) {
            double y = base[j] + layer_value(&layers[k], j);
            double px = canvas__map(&f.xm, t[j]), py = canvas__map(&f.ym, y);
            if (j == 0) {
                cairo_move_to(cv.cr, px, py);
            } else {
                cairo_line_to(cv.cr, px, py);
            }
        }
        for (size_t j = n_t; j-- > 0;) {
            cairo_line_to(cv.cr, canvas__map(&f.xm, t[j]), canvas__map(&f.ym, base[j]));
        }
        cairo_close_path(cv.cr);
        canvas__rgb(&cv, palette_series(k), 1.0);
        cairo_fill(cv.cr);
        for (size_t j = 0; j < n_t; j++) {
            base[j] += layer_value(&layers[k], j);
        }
        /* a thin white edge on top of each layer keeps similar colours apart */
        for (size_t j = 0; j < n_t; j++) {
            double px = canvas__map(&f.xm, t[j]), py = canvas__map(&f.ym, base[j]);
            if (j == 0) {
                cairo_move_to(cv.cr, px, py);
            } else {
                cairo_line_to(cv.cr, px, py);
            }
        }
        cairo_set_source_rgb(cv.cr, 1, 1, 1);
        cairo_set_line_width(cv.cr, 1.0);
        cairo_stroke(cv.cr);
    }
    cairo_restore(cv.cr);
    draw_markers(&cv, &f, markers, n_markers);
    canvas__frame_axes(&cv, &f);
    canvas__legend(&cv, right + 1.5 * cv.em, f.y0, legend_w, o->legend_title, items, n_layers);
    free(items);
    free(base);
    return canvas__close(&cv, err);
}
