/* SPDX-License-Identifier: MIT
 *
 * chart_bars.c - grouped bars with CI whiskers, alone or as small multiples.
 *
 * Bars always start at zero (a bar's length is its value; a cut axis would
 * exaggerate differences), and the CI whisker is drawn over the bar so the
 * reader can judge whether two designs really differ.  The mean is printed
 * above each bar when it fits, because a reviewer quotes numbers, not
 * pixel heights.
 */
#include "plots/canvas_int.h"
#include "plots/chart.h"

#include "sim/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_bars(const struct plot_bars *b, const char *path, const char *what,
                      struct sim_err *err)
{
    if (b->n_groups == 0 || b->n_series == 0) {
        return sim_err_set(err, SIM_EINVAL, "%s: %s has no bars (%zu groups x %zu series)", path,
                           what, b->n_groups, b->n_series);
    }
    SIM_REQUIRE(b->mean != NULL && b->group_labels != NULL);
    SIM_REQUIRE((b->lo == NULL) == (b->hi == NULL));
    bool any = false;
    for (size_t i = 0; i < b->n_groups * b->n_series; i++) {
        any = any || isfinite(b->mean[i]);
    }
    if (!any) {
        return sim_err_set(err, SIM_EINVAL, "%s: %s has no finite value", path, what);
    }
    return SIM_OK;
}

/* y range over means and CIs, always including zero, with headroom for the
 * value labels above the bars. */
static void bars_y_ticks(const struct plot_bars *b, enum axis_unit unit, struct axis_ticks *t)
{
    double lo = 0.0, hi = 0.0;
    for (size_t i = 0; i < b->n_groups * b->n_series; i++) {
        double vals[3] = {b->mean[i], b->lo != NULL ? b->lo[i] : NAN,
                          b->hi != NULL ? b->hi[i] : NAN};
        for (int k = 0; k < 3; k++) {
            if (isfinite(vals[k])) {
                lo = fmin(lo, vals[k]);
                hi = fmax(hi, vals[k]);
            }
        }
    }
    hi += 0.08 * (hi - lo);
    axis_ticks_linear(lo, hi, 5, unit, t);
}

/* Lays out and draws one bar chart in the box; fs scales the text. */
static void draw_bars(struct canvas *cv, const struct plot_bars *b, enum axis_unit unit,
                      const char *x_label, const char *y_label, double fs, double bx0, double by0,
                      double bx1, double by1)
{
    struct canvas_frame f = {0};
    f.font_scale = fs;
    f.x_label = x_label;
    f.y_label = y_label;
    f.yu = unit;
    f.xs = CANVAS_LINEAR;
    f.ys = CANVAS_LINEAR;
    bars_y_ticks(b, unit, &f.yt);
    f.xt.n = 0; /* categories: labelled below by hand */
    f.xt.lo = 0.0;
    f.xt.hi = (double)b->n_groups;
    f.x_labels_set = true;
    canvas__frame_layout(cv, &f, bx0, by0, bx1, by1);
    canvas__frame_grid(cv, &f);

    double em = cv->em * fs;
    double group_w = (f.x1 - f.x0) / (double)b->n_groups;
    double bar_w = 0.8 * group_w / (double)b->n_series;
    double zero = canvas__map(&f.ym, 0.0);
    char buf[64];
    cairo_save(cv->cr);
    canvas__frame_clip(cv, &f);
    for (size_t g = 0; g < b->n_groups; g++) {
        for (size_t s = 0; s < b->n_series; s++) {
            size_t i = g * b->n_series + s;
            double x = f.x0 + group_w * ((double)g + 0.1) + bar_w * (double)s;
            if (!isfinite(b->mean[i])) {
                continue;
            }
            double top = canvas__map(&f.ym, b->mean[i]);
            canvas__rgb(cv, palette_series(s), 1.0);
            /* a one-pixel gap between neighbouring bars */
            cairo_rectangle(cv->cr, x + 0.5, fmin(top, zero), bar_w - 1.0, fabs(zero - top));
            cairo_fill(cv->cr);
        }
    }
    cairo_set_line_width(cv->cr, fmax(1.5, 0.08 * em));
    canvas__grey(cv, 0.15);
    for (size_t i = 0; b->lo != NULL && i < b->n_groups * b->n_series; i++) {
        if (!isfinite(b->lo[i]) || !isfinite(b->hi[i])) {
            continue;
        }
        size_t g = i / b->n_series, s = i % b->n_series;
        double cx = f.x0 + group_w * ((double)g + 0.1) + bar_w * ((double)s + 0.5);
        double cap = fmin(0.25 * bar_w, 0.6 * em);
        double ylo = canvas__map(&f.ym, b->lo[i]), yhi = canvas__map(&f.ym, b->hi[i]);
        cairo_move_to(cv->cr, cx, ylo);
        cairo_line_to(cv->cr, cx, yhi);
        cairo_move_to(cv->cr, cx - cap, ylo);
        cairo_line_to(cv->cr, cx + cap, ylo);
        cairo_move_to(cv->cr, cx - cap, yhi);
        cairo_line_to(cv->cr, cx + cap, yhi);
    }
    cairo_stroke(cv->cr);
    cairo_restore(cv->cr);

    /* values above the whiskers, only when every label fits its bar */
    canvas__font(cv, 0.8 * em, false);
    bool labels_fit = true;
    for (size_t i = 0; i < b->n_groups * b->n_series && labels_fit; i++) {
        labels_fit = canvas__text_width(cv, axis_format(b->mean[i], unit, buf, sizeof(buf))) <=
                     bar_w + 0.3 * em;
    }
    for (size_t i = 0; labels_fit && i < b->n_groups * b->n_series; i++) {
        if (!isfinite(b->mean[i])) {
            continue;
        }
        size_t g = i / b->n_series, s = i % b->n_series;
        double cx = f.x0 + group_w * ((double)g + 0.1) + bar_w * ((double)s + 0.5);
        double v = b->hi != NULL && isfinite(b->hi[i]) ? fmax(b->hi[i], b->mean[i]) : b->mean[i];
        canvas__grey(cv, 0.2);
        canvas__text(cv, cx, canvas__map(&f.ym, v) - 0.25 * em, 0.5, 1,
                     axis_format(b->mean[i], unit, buf, sizeof(buf)));
    }

    canvas__frame_axes(cv, &f);
    canvas__font(cv, em, false);
    canvas__grey(cv, 0.15);
    char lab[128];
    for (size_t g = 0; g < b->n_groups; g++) {
        const char *name = b->group_labels[g] != NULL ? b->group_labels[g] : "";
        canvas__text(cv, f.x0 + group_w * ((double)g + 0.5), f.y1 + 0.6 * em, 0.5, 0,
                     canvas__fit(cv, name, 0.96 * group_w, lab, sizeof(lab)));
    }
}

static double legend_for(struct canvas *cv, const struct chart_opts *o, const struct plot_bars *b,
                         struct canvas_legend_item **items)
{
    *items = NULL;
    if (b->series_labels == NULL) {
        return 0.0;
    }
    *items = sim_xcalloc(b->n_series, sizeof(**items));
    for (size_t s = 0; s < b->n_series; s++) {
        (*items)[s] = (struct canvas_legend_item){b->series_labels[s], palette_series(s), true,
                                                  false, 0};
    }
    return canvas__legend_width(cv, o->legend_title, *items, b->n_series);
}

int chart_bars(const struct chart_opts *o, const struct plot_bars *bars, const char *path,
               struct sim_err *err)
{
    SIM_REQUIRE(o != NULL && bars != NULL && path != NULL);
    int rc = check_bars(bars, path, "the bar chart", err);
    if (rc != SIM_OK) {
        return rc;
    }
    struct canvas cv;
    rc = canvas__open(&cv, o, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    double top = canvas__header(&cv, o);
    struct canvas_legend_item *items;
    double legend_w = legend_for(&cv, o, bars, &items);
    double right = cv.w - 1.2 * cv.em - (legend_w > 0.0 ? legend_w + 1.5 * cv.em : 0.0);
    draw_bars(&cv, bars, o->y_unit, o->x_label, o->y_label, 1.0, 1.0 * cv.em, top, right,
              cv.h - 0.8 * cv.em);
    if (items != NULL) {
        canvas__legend(&cv, right + 1.5 * cv.em, top + 0.5 * cv.em, legend_w, o->legend_title,
                       items, bars->n_series);
    }
    free(items);
    return canvas__close(&cv, err);
}

int chart_small_multiples(const struct chart_opts *o, const struct plot_panel *panels,
                          size_t n_panels, size_t n_cols, const char *path, struct sim_err *err)
{
    SIM_REQUIRE(o != NULL && path != NULL);
    if (n_panels == 0) {
        return sim_err_set(err, SIM_EINVAL, "%s: no panels to draw", path);
    }
    SIM_REQUIRE(panels != NULL);
    for (size_t p = 0; p < n_panels; p++) {
        char what[64];
        snprintf(what, sizeof(what), "panel %zu", p);
        int rc = check_bars(&panels[p].bars, path, what, err);
        if (rc != SIM_OK) {
            return rc;
        }
        if (panels[p].bars.n_series != panels[0].bars.n_series) {
            return sim_err_set(err, SIM_EINVAL,
                               "%s: panel %zu has %zu series, panel 0 has %zu (one legend for all)",
                               path, p, panels[p].bars.n_series, panels[0].bars.n_series);
        }
    }
    if (n_cols == 0) {
        /* about square panels on a 16:9 canvas: 2 -> 2, 4 -> 3, 6 -> 3, 9 -> 4 */
        n_cols = n_panels <= 3 ? n_panels : (size_t)ceil(sqrt((double)n_panels * 1.5));
    }
    if (n_cols > n_panels) {
        n_cols = n_panels;
    }
    size_t n_rows = (n_panels + n_cols - 1) / n_cols;

    struct canvas cv;
    int rc = canvas__open(&cv, o, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    double top = canvas__header(&cv, o);
    struct canvas_legend_item *items;
    double legend_w = legend_for(&cv, o, &panels[0].bars, &items);
    double right = cv.w - 1.2 * cv.em - (legend_w > 0.0 ? legend_w + 1.5 * cv.em : 0.0);
    double left = 0.6 * cv.em, bottom = cv.h - 0.6 * cv.em;
    double cell_w = (right - left) / (double)n_cols;
    double cell_h = (bottom - top) / (double)n_rows;
    /* text shrinks with the panels, but not below what reads at 100% zoom */
    double fs = fmax(0.72, fmin(1.0, sqrt(1.0 / (double)n_rows)));
    double em = cv.em * fs;
    for (size_t p = 0; p < n_panels; p++) {
        double x0 = left + cell_w * (double)(p % n_cols);
        double y0 = top + cell_h * (double)(p / n_cols);
        double title_h = 0.0;
        if (panels[p].title != NULL) {
            char lab[128];
            canvas__font(&cv, 1.1 * em, true);
            canvas__grey(&cv, 0.1);
            canvas__text(&cv, x0 + 0.5 * cell_w, y0, 0.5, 0,
                         canvas__fit(&cv, panels[p].title, cell_w - em, lab, sizeof(lab)));
            title_h = canvas__line_height(&cv) + 0.2 * em;
        }
        draw_bars(&cv, &panels[p].bars, panels[p].unit, NULL, NULL, fs, x0, y0 + title_h,
                  x0 + cell_w - 0.8 * em, y0 + cell_h - 0.9 * em);
    }
    if (items != NULL) {
        canvas__legend(&cv, right + 1.5 * cv.em, top + 0.5 * cv.em, legend_w, o->legend_title,
                       items, panels[0].bars.n_series);
    }
    free(items);
    return canvas__close(&cv, err);
}
