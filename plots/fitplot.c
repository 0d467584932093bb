/* SPDX-License-Identifier: MIT */
#include "plots/fitplot.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { WIDTH = 1200, HEIGHT = 750, N_BINS = 60, N_QQ = 400, N_CURVE = 300 };

static const double pi = 3.14159265358979323846; /* M_PI is not C11 */

/* Okabe-Ito, colour-blind safe; the first is for the data. */
static const double colours[][3] = {
    {0.00, 0.45, 0.70}, {0.90, 0.62, 0.00}, {0.00, 0.62, 0.45}, {0.80, 0.47, 0.65},
    {0.84, 0.37, 0.00}, {0.34, 0.71, 0.91}, {0.94, 0.89, 0.26}, {0.0, 0.0, 0.0},
};

struct frame {
    double x0, x1, y0, y1;             /* data range */
    double left, right, top, bottom;   /* plot area in pixels */
};

static double px(const struct frame *f, double x)
{
    return f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}

static double py(const struct frame *f, double y)
{
    return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

/* A 1-2-5 step giving about n ticks over span. */
static double nice_step(double span, int n)
{
    double raw = span / n, mag = pow(10.0, floor(log10(raw))), r = raw / mag;
    return (r < 1.5 ? 1.0 : r < 3.5 ? 2.0 : r < 7.5 ? 5.0 : 10.0) * mag;
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double align_x,
                    double align_y)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_move_to(cr, x - ext.width * align_x - ext.x_bearing, y - ext.height * align_y -
                                                                    ext.y_bearing);
    cairo_show_text(cr, s);
}

static void draw_axes(cairo_t *cr, const struct frame *f, double x_scale, const char *x_label,
                      const char *y_label, double y_scale)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 15);
    char buf[64];
    double step = nice_step((f->x1 - f->x0) / x_scale, 8);
    for (double v = ceil(f->x0 / x_scale / step) * step; v <= f->x1 / x_scale + 1e-9 * step;
         v += step) {
        double x = px(f, v * x_scale);
        cairo_move_to(cr, x, f->bottom);
        cairo_line_to(cr, x, f->bottom + 6);
        cairo_stroke(cr);
        snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-12 * step ? 0.0 : v);
        text_at(cr, x, f->bottom + 10, buf, 0.5, 0.0);
    }
    double yscale = y_scale;
    step = nice_step((f->y1 - f->y0) / yscale, 6);
    for (double v = ceil(f->y0 / yscale / step) * step; v <= f->y1 / yscale + 1e-9 * step;
         v += step) {
        double y = py(f, v * yscale);
        cairo_move_to(cr, f->left - 6, y);
        cairo_line_to(cr, f->left, y);
        cairo_stroke(cr);
        snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-12 * step ? 0.0 : v);
        text_at(cr, f->left - 10, y, buf, 1.0, 0.5);
    }
    cairo_set_font_size(cr, 16);
    text_at(cr, (f->left + f->right) / 2, f->bottom + 40, x_label, 0.5, 0.0);
    cairo_save(cr);
    cairo_translate(cr, f->left - 75, (f->top + f->bottom) / 2);
    cairo_rotate(cr, -pi / 2);
    text_at(cr, 0, 0, y_label, 0.5, 0.5);
    cairo_restore(cr);
}

static cairo_t *begin(cairo_surface_t **surface, const char *title)
{
    *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
    cairo_t *cr = cairo_create(*surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 20);
    text_at(cr, WIDTH / 2.0, 18, title, 0.5, 0.0);
    return cr;
}

/* Writes the PNG and checks cairo's sticky status once. */
static int finish(cairo_t *cr, cairo_surface_t *surface, const char *path, struct sim_err *err)
{
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_write_to_png(surface, path);
    }
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        return sim_err_set(err, SIM_EIO, "%s: cannot write chart: %s", path,
                           cairo_status_to_string(st));
    }
    return SIM_OK;
}

static void legend(cairo_t *cr, const struct frame *f, const char *const *labels, size_t n,
                   size_t colour0)
{
    cairo_set_font_size(cr, 15);
    for (size_t i = 0; i < n; i++) {
        double y = f->top + 14 + 24.0 * (double)i;
        const double *c = colours[(colour0 + i) % (sizeof colours / sizeof colours[0])];
        cairo_set_source_rgb(cr, c[0], c[1], c[2]);
        cairo_set_line_width(cr, 3.0);
        cairo_move_to(cr, f->right + 15, y);
        cairo_line_to(cr, f->right + 45, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text_at(cr, f->right + 52, y, labels[i], 0.0, 0.5);
    }
}

int fitplot_histogram(const char *png_path, const char *title, const double *sorted, size_t n,
                      const struct sim_dist *dists, const char *const *labels, size_t n_dists,
                      double x_scale, const char *x_unit, struct sim_err *err)
{
    double lo = sorted[0], hi = sorted[(size_t)((double)(n - 1) * 0.99)];
    if (!(hi > lo)) {
        hi = sorted[n - 1] > lo ? sorted[n - 1] : lo + 1.0;
    }
    double width = (hi - lo) / N_BINS, dens[N_BINS] = {0}, ymax = 0.0;
    size_t i = 0;
    for (int b = 0; b < N_BINS; b++) {
        double e = b == N_BINS - 1 ? hi : lo + (b + 1) * width;
        size_t c = 0;
        while (i < n && (sorted[i] < e || (b == N_BINS - 1 && sorted[i] <= e))) {
            c++;
            i++;
        }
        dens[b] = (double)c / ((double)n * width);
        ymax = fmax(ymax, dens[b]);
    }
    double ycap = ymax * 1.6; /* a density spike at 0 (pareto lo, hyperexp) must not hide data */
    double curves[8][N_CURVE + 1];
    size_t nd = n_dists < 8 ? n_dists : 8;
    for (size_t k = 0; k < nd; k++) {
        for (int j = 0; j <= N_CURVE; j++) {
            double y = sim_dist_pdf(&dists[k], lo + (hi - lo) * j / N_CURVE);
            curves[k][j] = isfinite(y) ? fmin(y, ycap) : 0.0;
            ymax = fmax(ymax, curves[k][j]);
        }
    }
    cairo_surface_t *surface;
    cairo_t *cr = begin(&surface, title);
    struct frame f = {lo, hi, 0.0, ymax * 1.05, 110, WIDTH - 260, 60, HEIGHT - 90};
    cairo_set_source_rgb(cr, 0.82, 0.82, 0.82);
    for (int b = 0; b < N_BINS; b++) {
        double x = px(&f, lo + b * width);
        cairo_rectangle(cr, x, py(&f, dens[b]), px(&f, lo + (b + 1) * width) - x,
                        f.bottom - py(&f, dens[b]));
    }
    cairo_fill(cr);
    for (size_t k = 0; k < nd; k++) {
        const double *c = colours[k];
        cairo_set_source_rgb(cr, c[0], c[1], c[2]);
        cairo_set_line_width(cr, k == 0 ? 3.0 : 2.0);
        for (int j = 0; j <= N_CURVE; j++) {
            double x = px(&f, lo + (hi - lo) * j / N_CURVE), y = py(&f, curves[k][j]);
            if (j == 0) {
                cairo_move_to(cr, x, y);
            } else {
                cairo_line_to(cr, x, y);
            }
        }
        cairo_stroke(cr);
    }
    char xl[96], yl[96];
    snprintf(xl, sizeof xl, "value (%s), up to the 99th percentile", x_unit);
    snprintf(yl, sizeof yl, "probability density (per %s)", x_unit);
    /* Densities are per base unit (second, byte); labelled per the file's unit. */
    draw_axes(cr, &f, x_scale, xl, yl, 1.0 / x_scale);
    legend(cr, &f, labels, nd, 0);
    return finish(cr, surface, png_path, err);
}

int fitplot_qq(const char *png_path, const char *title, const double *sorted, size_t n,
               const struct sim_dist *d, const char *label, double x_scale, const char *x_unit,
               struct sim_err *err)
{
    double qx[N_QQ], qy[N_QQ], lo = INFINITY, hi = -INFINITY;
    struct sim_dist emp = {.kind = SIM_DIST_EMPIRICAL, .samples = sorted, .n_samples = n};
    for (int i = 0; i < N_QQ; i++) {
        double p = 0.001 + 0.998 * i / (N_QQ - 1);
        qx[i] = sim_dist_quantile(d, p);
        qy[i] = sim_dist_quantile(&emp, p);
        if (isfinite(qx[i])) {
            lo = fmin(lo, fmin(qx[i], qy[i]));
            hi = fmax(hi, fmax(qx[i], qy[i]));
        }
    }
    if (!(hi > lo)) {
        hi = lo + 1.0;
    }
    cairo_surface_t *surface;
    cairo_t *cr = begin(&surface, title);
    struct frame f = {lo, hi, lo, hi, 110, WIDTH - 260, 60, HEIGHT - 90};
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, px(&f, lo), py(&f, lo));
    cairo_line_to(cr, px(&f, hi), py(&f, hi));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, colours[0][0], colours[0][1], colours[0][2]);
    for (int i = 0; i < N_QQ; i++) {
        if (isfinite(qx[i])) {
            cairo_arc(cr, px(&f, qx[i]), py(&f, qy[i]), 3.0, 0, 2 * pi);
            cairo_fill(cr);
        }
    }
    char xl[128], yl[96];
    snprintf(xl, sizeof xl, "%s quantile (%s)", label, x_unit);
    snprintf(yl, sizeof yl, "sample quantile (%s)", x_unit);
    draw_axes(cr, &f, x_scale, xl, yl, x_scale);
    const char *labels[1] = {"quantiles 0.1%..99.9%"};
    legend(cr, &f, labels, 1, 0);
    return finish(cr, surface, png_path, err);
}
