/* SPDX-License-Identifier: MIT
 *
 * chart_heatmap.c - a metric over two swept parameters.
 *
 * Cells are equal tiles labelled with the parameter values, because sweeps
 * are usually geometric (pool size 8, 16, 32, 64) and proportional tiles
 * would squash the small values.  Colours are viridis over the nice range
 * of z, and the colour bar shows that range with the same ticks a y axis
 * would get.  The value is printed in each tile when it fits, in black or
 * white by the tile's luminance, so colour is never the only channel.
 */
#include "plots/canvas_int.h"
#include "plots/chart.h"

#include "sim/check.h"

#include <math.h>
#include <stdio.h>

/* An axis of n equal tiles: tile i spans [i, i + 1], its tick and label (the
 * parameter value v[i]) at its centre. */
static void tile_axis(const double *v, size_t n, enum axis_unit unit, struct axis_ticks *t,
                      char lab[][CANVAS_LABEL_MAX])
{
    t->n = n;
    t->lo = 0.0;
    t->hi = (double)n;
    for (size_t i = 0; i < n; i++) {
        t->v[i] = (double)i + 0.5;
        axis_format(v[i], unit, lab[i], CANVAS_LABEL_MAX);
    }
}

int chart_heatmap(const struct chart_opts *o, const struct plot_grid *g, const char *path,
                  struct sim_err *err)
{
    SIM_REQUIRE(o != NULL && g != NULL && path != NULL);
    if (g->nx == 0 || g->ny == 0 || g->nx > AXIS_MAX_TICKS || g->ny > AXIS_MAX_TICKS) {
        return sim_err_set(err, SIM_EINVAL, "%s: heatmap grid %zux%zu (each side 1..%d)", path,
                           g->nx, g->ny, AXIS_MAX_TICKS);
    }
    SIM_REQUIRE(g->x != NULL && g->y != NULL && g->z != NULL);
    double zlo = INFINITY, zhi = -INFINITY;
    for (size_t i = 0; i < g->nx * g->ny; i++) {
        if (isfinite(g->z[i])) {
            zlo = fmin(zlo, g->z[i]);
            zhi = fmax(zhi, g->z[i]);
        }
    }
    if (!(zlo <= zhi)) {
        return sim_err_set(err, SIM_EINVAL, "%s: heatmap has no finite value", path);
    }
    struct axis_ticks zt;
    axis_ticks_linear(zlo, zhi, 5, g->z_unit, &zt);

    struct canvas_frame f = {0};
    f.x_label = o->x_label;
    f.y_label = o->y_label;
    f.xs = CANVAS_LINEAR;
    f.ys = CANVAS_LINEAR;
    tile_axis(g->x, g->nx, o->x_unit, &f.xt, f.xlab);
    tile_axis(g->y, g->ny, o->y_unit, &f.yt, f.ylab);
    f.x_labels_set = f.y_labels_set = true;

    struct canvas cv;
    int rc = canvas__open(&cv, o, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    double em = cv.em;
    double top = canvas__header(&cv, o);

    /* colour bar on the right: bar, tick labels, and its title above */
    char buf[CANVAS_LABEL_MAX];
    canvas__font(&cv, em, false);
    double zlab_w = 0.0;
    double zref = fmax(fabs(zt.lo), fabs(zt.hi));
    for (size_t i = 0; i < zt.n; i++) {
        axis_format_tick(zt.v[i], zref, zt.step, g->z_unit, buf, sizeof(buf));
        zlab_w = fmax(zlab_w, canvas__text_width(&cv, buf));
    }
    canvas__font(&cv, em, true);
    double ztitle_w = g->z_label != NULL ? canvas__text_width(&cv, g->z_label) : 0.0;
    double bar_w = 1.3 * em;
    double panel_w = fmin(fmax(bar_w + 0.6 * em + zlab_w, ztitle_w), cv.w / 4.0);
    double right = cv.w - 1.2 * em - panel_w - 2.0 * em;
    canvas__frame_layout(&cv, &f, 1.0 * em, top + (g->z_label != NULL ? 1.8 * em : 0.0), right,
                         cv.h - 0.8 * em);

    double cw = (f.x1 - f.x0) / (double)g->nx, ch = (f.y1 - f.y0) / (double)g->ny;
    canvas__font(&cv, 0.9 * em, false);
    double lh = canvas__line_height(&cv);
    bool show_values = ch >= 1.3 * lh;
    for (size_t iy = 0; iy < g->ny && show_values; iy++) {
        for (size_t ix = 0; ix < g->nx && show_values; ix++) {
            axis_format(g->z[iy * g->nx + ix], g->z_unit, buf, sizeof(buf));
            show_values = canvas__text_width(&cv, buf) <= cw - 0.4 * em;
        }
    }
    for (size_t iy = 0; iy < g->ny; iy++) {
        for (size_t ix = 0; ix < g->nx; ix++) {
            double z = g->z[iy * g->nx + ix];
            double t = (z - zt.lo) / (zt.hi - zt.lo);
            struct palette_rgb c = palette_viridis(isfinite(z) ? (g->z_reverse ? 1.0 - t : t) : NAN);
            double x = f.x0 + cw * (double)ix, y = f.y1 - ch * (double)(iy + 1);
            canvas__rgb(&cv, c, 1.0);
            /* tiles overlap by a hair so no background shows between them */
            cairo_rectangle(cv.cr, x, y, cw + 0.5, ch + 0.5);
            cairo_fill(cv.cr);
            if (show_values) {
                double lum = palette_luminance(c);
                canvas__grey(&cv, lum > 0.3 ? 0.05 : 1.0);
                canvas__text(&cv, x + 0.5 * cw, y + 0.5 * ch, 0.5, 0.5,
                             axis_format(z, g->z_unit, buf, sizeof(buf)));
            }
        }
    }
    canvas__frame_axes(&cv, &f);

    double bx = right + 2.0 * em;
    canvas__ramp_bar(&cv, bx, f.y0, bar_w, f.y1 - f.y0, true, g->z_reverse, palette_viridis);
    struct canvas_map zm = {CANVAS_LINEAR, zt.lo, zt.hi, f.y1, f.y0};
    canvas__font(&cv, em, false);
    canvas__grey(&cv, 0.2);
    cairo_set_line_width(cv.cr, 1.0);
    for (size_t i = 0; i < zt.n; i++) {
        double y = floor(canvas__map(&zm, zt.v[i])) + 0.5;
        cairo_move_to(cv.cr, bx + bar_w, y);
        cairo_line_to(cv.cr, bx + bar_w + 0.3 * em, y);
        cairo_stroke(cv.cr);
        canvas__text(&cv, bx + bar_w + 0.5 * em, y, 0, 0.5,
                     axis_format_tick(zt.v[i], zref, zt.step, g->z_unit, buf, sizeof(buf)));
    }
    if (g->z_label != NULL) {
        char lab[128];
        canvas__font(&cv, em, true);
        canvas__text(&cv, bx, f.y0 - 0.6 * em, 0, 1,
                     canvas__fit(&cv, g->z_label, cv.w - bx - 0.5 * em, lab, sizeof(lab)));
    }
    return canvas__close(&cv, err);
}
