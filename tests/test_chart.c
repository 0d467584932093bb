/* SPDX-License-Identifier: MIT
 *
 * test_chart.c - axis ticks, unit formatting, and every chart type rendered
 * and decoded again.
 *
 * The rendering tests write each chart to a temporary directory, decode the
 * PNG with cairo and check what a reviewer would notice first: the size, that
 * the image is not blank, and that the plot area shows the series colours of
 * the palette.  With PROXYSIM_PLOTS_DEMO_DIR set they also leave every chart
 * there (PNG, and SVG/PDF for one) to be looked at.
 */
#include "plots/axis.h"
#include "plots/chart.h"
#include "plots/palette.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

/* ---- axis ---------------------------------------------------------------- */

static void check_ticks(const struct axis_ticks *t, const double *want, size_t n)
{
    if (t->n != n) {
        fail_msg("got %zu ticks, want %zu", t->n, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (t->v[i] != want[i]) {
            fail_msg("tick %zu: got %.17g, want %.17g", i, t->v[i], want[i]);
        }
    }
}

static void test_ticks_linear(void **state)
{
    (void)state;
    struct axis_ticks t;
    axis_ticks_linear(0.0, 9.3, 5, AXIS_UNIT_NONE, &t);
    check_ticks(&t, (const double[]){0, 2, 4, 6, 8, 10}, 6);
    assert_true(t.step == 2.0 && t.lo == 0.0 && t.hi == 10.0);

    axis_ticks_linear(0.0, 1.0, 5, AXIS_UNIT_NONE, &t);
    check_ticks(&t, (const double[]){0, 0.2, 0.4, 0.6, 0.8, 1.0}, 6);

    axis_ticks_linear(0.013, 0.087, 5, AXIS_UNIT_S, &t);
    check_ticks(&t, (const double[]){0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09}, 9);

    axis_ticks_linear(-3.7, 12.1, 5, AXIS_UNIT_NONE, &t);
    check_ticks(&t, (const double[]){-5, 0, 5, 10, 15}, 5);

    axis_ticks_linear(0.0, 600.0, 8, AXIS_UNIT_S, &t);
    check_ticks(&t, (const double[]){0, 100, 200, 300, 400, 500, 600}, 7);

    /* bytes: nice in MiB, not in decimal */
    axis_ticks_linear(0.0, 2.6 * 1048576.0, 5, AXIS_UNIT_BYTES, &t);
    check_ticks(&t,
                (const double[]){0, 0.5 * 1048576.0, 1048576.0, 1.5 * 1048576.0, 2097152.0,
                                 2.5 * 1048576.0, 3.0 * 1048576.0},
                7);

    /* a flat series still gets an axis around its value */
    axis_ticks_linear(5.0, 5.0, 5, AXIS_UNIT_NONE, &t);
    assert_true(t.lo <= 5.0 && t.hi >= 5.0 && t.n >= 2);
}

static void test_ticks_log(void **state)
{
    (void)state;
    struct axis_ticks t;
    axis_ticks_log(0.003, 0.25, &t);
    check_ticks(&t, (const double[]){0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0},
                10);
    assert_true(t.is_log && t.lo == 0.001 && t.hi == 1.0);

    axis_ticks_log(1e-5, 20.0, &t);
    check_ticks(&t, (const double[]){1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100}, 8);
}

static void check_format(double v, enum axis_unit u, const char *want)
{
    char buf[64];
    axis_format(v, u, buf, sizeof(buf));
    if (strcmp(buf, want) != 0) {
        fail_msg("axis_format(%.17g): got \"%s\", want \"%s\"", v, buf, want);
    }
}

static void test_format(void **state)
{
    (void)state;
    check_format(0.0123, AXIS_UNIT_S, "12.3 ms");
    check_format(0.00085, AXIS_UNIT_S, "850 us");
    check_format(2.5, AXIS_UNIT_S, "2.5 s");
    check_format(0.9997, AXIS_UNIT_S, "1 s");
    check_format(1800.0, AXIS_UNIT_S, "1800 s");
    check_format(4.2e-8, AXIS_UNIT_S, "42 ns");
    check_format(1572864.0, AXIS_UNIT_BYTES, "1.5 MiB");
    check_format(512.0, AXIS_UNIT_BYTES, "512 B");
    check_format(1023.9, AXIS_UNIT_BYTES, "1 KiB");
    check_format(3.0 * 1073741824.0, AXIS_UNIT_BYTES, "3 GiB");
    check_format(1500.0, AXIS_UNIT_PER_S, "1.5 k/s");
    check_format(12.0, AXIS_UNIT_PER_S, "12 /s");
    check_format(51234.0, AXIS_UNIT_NONE, "51.2k");
    check_format(2.4e6, AXIS_UNIT_NONE, "2.4M");
    check_format(950.0, AXIS_UNIT_NONE, "950");
    check_format(0.45, AXIS_UNIT_FRACTION, "45%");
    check_format(0.005, AXIS_UNIT_FRACTION, "0.5%");
    check_format(-0.0123, AXIS_UNIT_S, "-12.3 ms");
    check_format(0.0, AXIS_UNIT_S, "0 s");
    check_format(NAN, AXIS_UNIT_S, "n/a");
}

static void check_tick_label(double v, double ref, double step, enum axis_unit u,
                             const char *want)
{
    char buf[64];
    axis_format_tick(v, ref, step, u, buf, sizeof(buf));
    if (strcmp(buf, want) != 0) {
        fail_msg("axis_format_tick(%.17g): got \"%s\", want \"%s\"", v, buf, want);
    }
}

static void test_format_tick(void **state)
{
    (void)state;
    /* one prefix and one number of decimals per axis */
    check_tick_label(0.0, 0.25, 0.05, AXIS_UNIT_S, "0");
    check_tick_label(0.05, 0.25, 0.05, AXIS_UNIT_S, "50 ms");
    check_tick_label(0.25, 0.25, 0.05, AXIS_UNIT_S, "250 ms");
    check_tick_label(1.5 * 1048576.0, 3.0 * 1048576.0, 0.5 * 1048576.0, AXIS_UNIT_BYTES,
                     "1.5 MiB");
    check_tick_label(1048576.0, 3.0 * 1048576.0, 0.5 * 1048576.0, AXIS_UNIT_BYTES, "1.0 MiB");
    check_tick_label(2000.0, 10000.0, 2000.0, AXIS_UNIT_PER_S, "2 k/s");
    check_tick_label(0.4, 1.0, 0.2, AXIS_UNIT_FRACTION, "40%");
    check_tick_label(300.0, 600.0, 100.0, AXIS_UNIT_S, "300 s");
}

/* ---- rendering ------------------------------------------------------------- */

struct fixture {
    char dir[64];
    const char *demo; /* PROXYSIM_PLOTS_DEMO_DIR or NULL */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_chart.XXXXXX");
    if (mkdtemp(fx->dir) == NULL) {
        free(fx);
        return -1;
    }
    fx->demo = getenv("PROXYSIM_PLOTS_DEMO_DIR");
    if (fx->demo != NULL) {
        mkdir(fx->demo, 0755);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) {
        return -1;
    }
    free(fx);
    return 0;
}

static void out_path(const struct fixture *fx, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", fx->demo != NULL ? fx->demo : fx->dir, name);
}

/* Decodes path and checks size, non-blankness and the expected colours in
 * the box [fx0, fx1) x [fy0, fy1) (fractions of the image). */
static void check_png(const char *path, int w, int h, const struct palette_rgb *colours,
                      size_t n_colours, double fx0, double fy0, double fx1, double fy1)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fail_msg("%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
    }
    assert_int_equal(cairo_image_surface_get_width(s), w);
    assert_int_equal(cairo_image_surface_get_height(s), h);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);

    /* distinct colours: a blank or nearly blank image has a handful */
    enum { N_SEEN = 4096 };
    uint32_t *seen = calloc(N_SEEN, sizeof(uint32_t));
    size_t n_distinct = 0;
    size_t *hits = calloc(n_colours, sizeof(size_t));
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            uint32_t px = row[x] & 0xFFFFFFu;
            uint32_t slot = (px * 2654435761u) % N_SEEN;
            while (seen[slot] != 0 && seen[slot] != (px | 0x1000000u)) {
                slot = (slot + 1) % N_SEEN;
            }
            if (seen[slot] == 0 && n_distinct < N_SEEN / 2) {
                seen[slot] = px | 0x1000000u;
                n_distinct++;
            }
            if (x < fx0 * w || x >= fx1 * w || y < fy0 * h || y >= fy1 * h) {
                continue;
            }
            int r = (int)(px >> 16 & 0xFF), g = (int)(px >> 8 & 0xFF), b = (int)(px & 0xFF);
            for (size_t c = 0; c < n_colours; c++) {
                if (abs(r - colours[c].r) <= 2 && abs(g - colours[c].g) <= 2 &&
                    abs(b - colours[c].b) <= 2) {
                    hits[c]++;
                }
            }
        }
    }
    if (n_distinct < 50) {
        fail_msg("%s: only %zu distinct colours: blank?", path, n_distinct);
    }
    for (size_t c = 0; c < n_colours; c++) {
        if (hits[c] < 20) {
            fail_msg("%s: colour %zu (#%02X%02X%02X) found in %zu pixels of the data area", path,
                     c, colours[c].r, colours[c].g, colours[c].b, hits[c]);
        }
    }
    free(hits);
    free(seen);
    cairo_surface_destroy(s);
}

static void palette_first(size_t n, struct palette_rgb *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = palette_series(i);
    }
}

enum { N_T = 300, N_DESIGNS = 3 };

/* Deterministic "replication means" for three designs: tasks live over ten
 * minutes with a burst at 120 s and an upstream restart at 400 s. */
struct ts_data {
    double t[N_T];
    double y[N_DESIGNS][N_T], lo[N_DESIGNS][N_T], hi[N_DESIGNS][N_T];
};

static void ts_fill(struct ts_data *d)
{
    for (size_t i = 0; i < N_T; i++) {
        double t = 2.0 * (double)i;
        d->t[i] = t;
        double burst = t >= 120.0 && t < 240.0 ? 1.0 - exp(-(t - 120.0) / 15.0) : 0.0;
        double after = t >= 240.0 ? exp(-(t - 240.0) / 20.0) : 0.0;
        double restart = t >= 400.0 && t < 460.0 ? exp(-(t - 400.0) / 12.0) : 0.0;
        double wiggle = 0.04 * sin(t * 0.37) + 0.03 * sin(t * 1.31);
        for (size_t k = 0; k < N_DESIGNS; k++) {
            double base = 1200.0 + 300.0 * (double)k;
            double scale = k == 0 ? 9000.0 : k == 1 ? 3500.0 : 1500.0;
            double v = base * (1.0 + wiggle) + scale * (burst + 0.8 * after) + 2500.0 * restart;
            double hw = 0.05 * v + 40.0;
            d->y[k][i] = v;
            d->lo[k][i] = v - hw;
            d->hi[k][i] = v + hw;
        }
    }
}

static const char *const design_names[N_DESIGNS] = {"spawn per event (current)",
                                                    "bounded spawn (semaphore 256)",
                                                    "per-stream task + channel"};

static void test_timeseries(void **state)
{
    struct fixture *fx = *state;
    struct ts_data *d = calloc(1, sizeof(*d));
    ts_fill(d);
    struct plot_series s[N_DESIGNS];
    for (size_t k = 0; k < N_DESIGNS; k++) {
        s[k] = (struct plot_series){design_names[k], d->t, d->y[k], d->lo[k], d->hi[k], N_T};
    }
    struct plot_marker m[] = {{120.0, "burst start"}, {240.0, "burst end"},
                              {400.0, "upstream restart"}};
    struct chart_opts o = {
        .title = "Tasks live over time",
        .subtitle = "profile: burst  |  3 designs  |  30 replications, mean and 95% CI",
        .x_label = "simulated time",
        .y_label = "tasks live",
        .x_unit = AXIS_UNIT_S,
        .y_unit = AXIS_UNIT_NONE,
        .legend_title = "design",
    };
    char path[256];
    out_path(fx, "timeseries.png", path, sizeof(path));
    struct sim_err err = {0};
    int rc = chart_timeseries(&o, s, N_DESIGNS, m, 3, path, &err);
    if (rc != 0) {
        fail_msg("chart_timeseries: %s", err.msg);
    }
    struct palette_rgb want[N_DESIGNS];
    palette_first(N_DESIGNS, want);
    check_png(path, 1600, 900, want, N_DESIGNS, 0.1, 0.2, 0.7, 0.85);

    /* SVG and PDF come out of the same drawing */
    o.format = CHART_SVG;
    out_path(fx, "timeseries.svg", path, sizeof(path));
    assert_int_equal(chart_timeseries(&o, s, N_DESIGNS, m, 3, path, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    o.format = CHART_PDF;
    out_path(fx, "timeseries.pdf", path, sizeof(path));
    assert_int_equal(chart_timeseries(&o, s, N_DESIGNS, m, 3, path, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    free(d);
}

static void test_errors(void **state)
{
    struct fixture *fx = *state;
    struct chart_opts o = {.title = "t"};
    struct sim_err err = {0};
    char path[256];
    snprintf(path, sizeof(path), "%s/none.png", fx->dir);
    assert_int_equal(chart_timeseries(&o, NULL, 0, NULL, 0, path, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "no series"));

    /* a directory that does not exist: SIM_EIO and no file */
    double x[] = {0, 1}, y[] = {1, 2};
    struct plot_series s = {"a", x, y, NULL, NULL, 2};
    sim_err_clear(&err);
    snprintf(path, sizeof(path), "%s/missing/dir/chart.png", fx->dir);
    assert_int_equal(chart_timeseries(&o, &s, 1, NULL, 0, path, &err), SIM_EIO);
    assert_true(err.msg[0] != '\0');

    /* log axis with nothing positive */
    double yneg[] = {-1, 0};
    struct plot_series sn = {"a", x, yneg, NULL, NULL, 2};
    o.y_log = true;
    sim_err_clear(&err);
    snprintf(path, sizeof(path), "%s/log.png", fx->dir);
    assert_int_equal(chart_timeseries(&o, &sn, 1, NULL, 0, path, &err), SIM_EINVAL);
    assert_int_equal(access(path, F_OK), -1);

    /* the old file survives a failed rewrite, and no temporary is left */
    o.y_log = false;
    snprintf(path, sizeof(path), "%s/keep.png", fx->dir);
    assert_int_equal(chart_timeseries(&o, &s, 1, NULL, 0, path, &err), 0);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    o.width = 50; /* rejected */
    sim_err_clear(&err);
    assert_int_equal(chart_timeseries(&o, &s, 1, NULL, 0, path, &err), SIM_EINVAL);
    assert_int_equal(stat(path, &after), 0);
    assert_true(before.st_size == after.st_size);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q tmp", fx->dir);
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_linear),
        cmocka_unit_test(test_ticks_log),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_tick),
        cmocka_unit_test(test_timeseries),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
