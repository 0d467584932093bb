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
#include "tests/check.h"

#include "plots/axis.h"
#include "plots/chart.h"
#include "plots/palette.h"

#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
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
    CHECK_NEAR(t.step, 2.0, 0.0);
    CHECK_NEAR(t.lo, 0.0, 0.0);
    CHECK_NEAR(t.hi, 10.0, 0.0);

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
    /* byte rates too (memory growth, a sweep over a KiB/s key) */
    axis_ticks_linear(0.0, 2.6 * 1048576.0, 5, AXIS_UNIT_BYTES_PER_S, &t);
    assert_int_equal(t.n, 7);
    CHECK_NEAR(t.step, 0.5 * 1048576.0, 0.0);

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
    assert_true(t.is_log);
    CHECK_NEAR(t.lo, 0.001, 0.0);
    CHECK_NEAR(t.hi, 1.0, 0.0);

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
    check_format(512.0, AXIS_UNIT_BYTES_PER_S, "512 B/s");
    check_format(3650.28725, AXIS_UNIT_BYTES_PER_S, "3.56 KiB/s");
    /* a metric's unit name picks it, and the axis label says it */
    assert_int_equal(axis_unit_of("B/s"), AXIS_UNIT_BYTES_PER_S);
    assert_int_equal(axis_unit_of("B"), AXIS_UNIT_BYTES);
    assert_string_equal(axis_unit_symbol(AXIS_UNIT_BYTES_PER_S), "B/s");
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
    check_tick_label(1.5 * 1048576.0, 3.0 * 1048576.0, 0.5 * 1048576.0, AXIS_UNIT_BYTES_PER_S,
                     "1.5 MiB/s");
    check_tick_label(0.4, 1.0, 0.2, AXIS_UNIT_FRACTION, "40%");
    check_tick_label(300.0, 600.0, 100.0, AXIS_UNIT_S, "300 s");
}

static void check_ci_text(double mean, double lo, double hi, size_t n, enum axis_unit u,
                          const char *want)
{
    struct sim_ci ci = {.mean = mean, .lo = lo, .hi = hi, .half = (hi - lo) / 2.0, .n = n};
    char buf[96];
    axis_format_ci(&ci, u, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        fail_msg("axis_format_ci(%.6g [%.6g, %.6g]): got \"%s\", want \"%s\"", mean, lo, hi, buf,
                 want);
    }
}

static void test_format_ci(void **state)
{
    (void)state;
    /* the mean and its bounds in one prefix (found by a new user: "830 us
     * [0.0226, 1.64]" had its bounds in ms): the mean's while the bounds
     * read in four digits there (a later new user: "0.929k [0.826, 1.03]") */
    check_ci_text(0.00083, 0.0000226, 0.00164, 4, AXIS_UNIT_S, "830 us [22.6, 1640]");
    check_ci_text(356352.0, -22732.8, 735232.0, 4, AXIS_UNIT_BYTES, "348 KiB [-22.2, 718]");
    check_ci_text(0.914, 0.596, 1.23, 4, AXIS_UNIT_S, "914 ms [596, 1230]");
    check_ci_text(929.0, 826.0, 1030.0, 4, AXIS_UNIT_NONE, "929 [826, 1030]");
    /* beyond four digits the widest bound's prefix */
    check_ci_text(0.44, 0.001, 12.0, 4, AXIS_UNIT_S, "0.44 s [0.001, 12]");
    /* a rate's unit sits with its value, not after the bracket (found by a new
     * user: "6.4 MiB [6.39, 6.41]/s" in the report) */
    check_ci_text(6.4 * 1048576.0, 6.39 * 1048576.0, 6.41 * 1048576.0, 144,
                  AXIS_UNIT_BYTES_PER_S, "6.4 MiB/s [6.39, 6.41]");
    check_ci_text(2.5, NAN, NAN, 1, AXIS_UNIT_S, "2.5 s (n=1, no CI)");
    check_ci_text(NAN, NAN, NAN, 0, AXIS_UNIT_S, "n/a");
}

/* compare's A and B cells: one prefix for the row while the larger value
 * still reads in four digits, each its own beyond, or beside a zero */
static void check_pair_text(struct sim_ci a, struct sim_ci b, enum axis_unit u, const char *want_a,
                            const char *want_b)
{
    double ref = axis_shared_ref(axis_ci_extent(&a), axis_ci_extent(&b), u);
    char ta[96], tb[96];
    axis_format_ci_as(&a, ref, u, ta, sizeof ta);
    axis_format_ci_as(&b, ref, u, tb, sizeof tb);
    if (strcmp(ta, want_a) != 0 || strcmp(tb, want_b) != 0) {
        fail_msg("pair: got \"%s\" | \"%s\", want \"%s\" | \"%s\"", ta, tb, want_a, want_b);
    }
}

static void test_format_ci_pair(void **state)
{
    (void)state;
    /* found by a reviewer: "0.539 s [0.3, 1.05]" beside "547 ms [420, 674]" */
    struct sim_ci a = {.mean = 0.539, .lo = 0.3, .hi = 1.05, .half = 0.375, .n = 10};
    struct sim_ci b = {.mean = 0.547, .lo = 0.42, .hi = 0.674, .half = 0.127, .n = 10};
    check_pair_text(a, b, AXIS_UNIT_S, "539 ms [300, 1050]", "547 ms [420, 674]");
    check_pair_text(b, a, AXIS_UNIT_S, "547 ms [420, 674]", "539 ms [300, 1050]");
    struct sim_ci few = {.mean = 127, .lo = 119, .hi = 135, .half = 8, .n = 10};
    struct sim_ci many = {.mean = 7467, .lo = 7361, .hi = 7574, .half = 107, .n = 10};
    check_pair_text(few, many, AXIS_UNIT_NONE, "127 [119, 135]", "7467 [7361, 7574]");
    /* 13 ms beside 10.1 s would need 10100 ms: each keeps its own */
    struct sim_ci fast = {.mean = 0.013, .lo = 0.0129, .hi = 0.0132, .half = 0.00015, .n = 10};
    struct sim_ci slow = {.mean = 10.1, .lo = 9.83, .hi = 10.3, .half = 0.235, .n = 10};
    check_pair_text(fast, slow, AXIS_UNIT_S, "13 ms [12.9, 13.2]", "10.1 s [9.83, 10.3]");
    struct sim_ci zero = {.mean = 0, .lo = 0, .hi = 0, .half = 0, .n = 10};
    check_pair_text(zero, fast, AXIS_UNIT_S, "0 s [0, 0]", "13 ms [12.9, 13.2]");
    struct sim_ci one = {.mean = 0.25, .lo = NAN, .hi = NAN, .half = NAN, .n = 1};
    check_pair_text(one, a, AXIS_UNIT_S, "250 ms (n=1, no CI)", "539 ms [300, 1050]");
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


static void render(const struct fixture *fx, const char *name, char *path, size_t size)
{
    out_path(fx, name, path, size);
}

static void expect_ok(int rc, const struct sim_err *err, const char *what)
{
    if (rc != 0) {
        fail_msg("%s: rc %d: %s", what, rc, err->msg);
    }
}

static void test_stacked(void **state)
{
    struct fixture *fx = *state;
    enum { N = 121 };
    double t[N], heap[N], bufs[N], sess[N], tasks[N];
    for (size_t i = 0; i < N; i++) {
        t[i] = 30.0 * (double)i; /* one hour, sustained profile */
        double x = t[i] / 3600.0;
        heap[i] = 180.0 * 1048576.0 * (1.0 + 0.05 * sin(9.0 * x));
        bufs[i] = (60.0 + 40.0 * x) * 1048576.0;
        sess[i] = (20.0 + 220.0 * x) * 1048576.0; /* the leak */
        tasks[i] = 35.0 * 1048576.0 * (1.0 + 0.1 * sin(23.0 * x));
    }
    struct plot_layer layers[] = {
        {"runtime + heap baseline", heap}, {"buffer pool", bufs}, {"sessions", sess},
        {"task stacks", tasks}};
    struct plot_marker m[] = {{1800.0, "upstream restart"}};
    struct chart_opts o = {
        .title = "Memory by component",
        .subtitle = "design: spawn per event  |  profile: sustained SSE  |  20 replications, mean",
        .x_label = "simulated time",
        .y_label = "resident memory",
        .x_unit = AXIS_UNIT_S,
        .y_unit = AXIS_UNIT_BYTES,
        .legend_title = "component",
    };
    char path[256];
    struct sim_err err = {0};
    render(fx, "stacked.png", path, sizeof(path));
    expect_ok(chart_stacked(&o, t, N, layers, 4, m, 1, path, &err), &err, "chart_stacked");
    struct palette_rgb want[4];
    palette_first(4, want);
    check_png(path, 1600, 900, want, 4, 0.1, 0.2, 0.7, 0.85);
}

static void test_latency(void **state)
{
    struct fixture *fx = *state;
    static const double q[] = {0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999};
    enum { NQ = sizeof(q) / sizeof(q[0]) };
    double y[N_DESIGNS][NQ], lo[N_DESIGNS][NQ], hi[N_DESIGNS][NQ];
    struct plot_series s[N_DESIGNS];
    for (size_t k = 0; k < N_DESIGNS; k++) {
        for (size_t i = 0; i < NQ; i++) {
            double base = 0.004 * (1.0 + 0.4 * (double)k);
            y[k][i] = base * pow(1.0 / (1.0 - q[i]), 0.55 + 0.25 * (double)k);
            lo[k][i] = y[k][i] * (0.93 - 0.02 * (double)i);
            hi[k][i] = y[k][i] * (1.07 + 0.03 * (double)i);
        }
        s[k] = (struct plot_series){design_names[k], q, y[k], lo[k], hi[k], NQ};
    }
    struct chart_opts o = {
        .title = "Request latency percentiles",
        .subtitle = "profile: steady  |  30 replications, mean and 95% CI per percentile",
        .x_label = "percentile",
        .y_label = "latency",
        .legend_title = "design",
    };
    char path[256];
    struct sim_err err = {0};
    render(fx, "latency_percentiles.png", path, sizeof(path));
    expect_ok(chart_latency(&o, CHART_PERCENTILES, s, N_DESIGNS, path, &err), &err,
              "chart_latency");
    struct palette_rgb want[N_DESIGNS];
    palette_first(N_DESIGNS, want);
    check_png(path, 1600, 900, want, N_DESIGNS, 0.1, 0.15, 0.7, 0.85);

    /* CDF: x = latency, y = fraction, from a log-normal-ish shape */
    enum { NC = 200 };
    double cx[N_DESIGNS][NC], cy[N_DESIGNS][NC];
    for (size_t k = 0; k < N_DESIGNS; k++) {
        for (size_t i = 0; i < NC; i++) {
            double z = -3.0 + 6.0 * (double)i / (NC - 1);
            cx[k][i] = 0.01 * (1.0 + 0.5 * (double)k) * exp((0.6 + 0.2 * (double)k) * z);
            cy[k][i] = 0.5 * erfc(-z / sqrt(2.0));
        }
        s[k] = (struct plot_series){design_names[k], cx[k], cy[k], NULL, NULL, NC};
    }
    o.title = "Request latency CDF";
    o.x_label = "latency";
    o.y_label = "fraction of requests";
    render(fx, "latency_cdf.png", path, sizeof(path));
    expect_ok(chart_latency(&o, CHART_CDF, s, N_DESIGNS, path, &err), &err, "chart_latency cdf");
    check_png(path, 1600, 900, want, N_DESIGNS, 0.1, 0.15, 0.7, 0.85);

    /* quantiles outside [0, 1) are refused */
    double bad_q[] = {0.5, 1.0};
    struct plot_series bad = {"x", bad_q, bad_q, NULL, NULL, 2};
    sim_err_clear(&err);
    assert_int_equal(chart_latency(&o, CHART_PERCENTILES, &bad, 1, path, &err), SIM_EINVAL);
}

static const char *const profile_names[6] = {"steady", "burst", "sustained SSE",
                                             "reconnect storm", "slow upstream", "mixed"};

static void test_bars(void **state)
{
    struct fixture *fx = *state;
    double mean[6 * N_DESIGNS], lo[6 * N_DESIGNS], hi[6 * N_DESIGNS];
    for (size_t g = 0; g < 6; g++) {
        for (size_t k = 0; k < N_DESIGNS; k++) {
            size_t i = g * N_DESIGNS + k;
            mean[i] = 0.02 * (1.0 + (double)g * 0.7) * (1.0 + 0.8 * (double)(N_DESIGNS - k)) +
                      0.003 * sin((double)i);
            lo[i] = mean[i] * 0.92;
            hi[i] = mean[i] * 1.09;
        }
    }
    struct plot_bars b = {6, N_DESIGNS, profile_names, design_names, mean, lo, hi};
    struct chart_opts o = {
        .title = "p99 latency by profile and design",
        .subtitle = "30 replications each, mean and 95% CI",
        .x_label = "traffic profile",
        .y_label = "p99 latency",
        .y_unit = AXIS_UNIT_S,
        .legend_title = "design",
    };
    char path[256];
    struct sim_err err = {0};
    render(fx, "bars.png", path, sizeof(path));
    expect_ok(chart_bars(&o, &b, path, &err), &err, "chart_bars");
    struct palette_rgb want[N_DESIGNS];
    palette_first(N_DESIGNS, want);
    check_png(path, 1600, 900, want, N_DESIGNS, 0.1, 0.2, 0.7, 0.85);

    /* small multiples: one panel per profile, three metrics per panel */
    static const char *const metrics[] = {"peak tasks", "peak conns", "errors"};
    double pm[6][3 * N_DESIGNS], plo[6][3 * N_DESIGNS], phi[6][3 * N_DESIGNS];
    struct plot_panel panels[6];
    for (size_t p = 0; p < 6; p++) {
        for (size_t i = 0; i < 3 * N_DESIGNS; i++) {
            pm[p][i] = 1000.0 * (1.0 + (double)p) * (1.0 + (double)(i % N_DESIGNS)) *
                       (1.0 + 0.3 * (double)(i / N_DESIGNS));
            plo[p][i] = pm[p][i] * 0.9;
            phi[p][i] = pm[p][i] * 1.1;
        }
        panels[p] = (struct plot_panel){
            profile_names[p], AXIS_UNIT_NONE,
            {3, N_DESIGNS, metrics, design_names, pm[p], plo[p], phi[p]}};
    }
    o.title = "Peaks per profile";
    render(fx, "small_multiples.png", path, sizeof(path));
    expect_ok(chart_small_multiples(&o, panels, 6, 0, path, &err), &err, "chart_small_multiples");
    check_png(path, 1600, 900, want, N_DESIGNS, 0.05, 0.15, 0.7, 0.95);
}

static void test_sweep(void **state)
{
    struct fixture *fx = *state;
    enum { NS = 7 };
    double x[NS] = {4, 8, 16, 32, 64, 128, 256};
    double y[2][NS], lo[2][NS], hi[2][NS];
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < NS; i++) {
            y[k][i] = 0.03 + (1.5 + (double)k) / (x[i] * 0.05 + 0.3) * 0.1;
            lo[k][i] = y[k][i] * 0.9;
            hi[k][i] = y[k][i] * 1.1;
        }
    }
    struct plot_series s[2] = {{"5,000 clients", x, y[0], lo[0], hi[0], NS},
                               {"10,000 clients", x, y[1], lo[1], hi[1], NS}};
    struct chart_opts o = {
        .title = "p99 latency vs upstream pool size",
        .subtitle = "design: shared pool  |  profile: steady  |  20 replications per point",
        .x_label = "upstream connections (pool size)",
        .y_label = "p99 latency",
        .y_unit = AXIS_UNIT_S,
        .x_log = true,
        .legend_title = "load",
    };
    char path[256];
    struct sim_err err = {0};
    render(fx, "sweep.png", path, sizeof(path));
    expect_ok(chart_sweep(&o, s, 2, path, &err), &err, "chart_sweep");
    struct palette_rgb want[2];
    palette_first(2, want);
    check_png(path, 1600, 900, want, 2, 0.1, 0.15, 0.7, 0.85);

    /* heatmap: pool size x clients */
    enum { NX = 6, NY = 5 };
    double hx[NX] = {8, 16, 32, 64, 128, 256}, hy[NY] = {1000, 2000, 5000, 10000, 20000};
    double z[NX * NY];
    for (size_t iy = 0; iy < NY; iy++) {
        for (size_t ix = 0; ix < NX; ix++) {
            z[iy * NX + ix] = 0.02 * hy[iy] / 1000.0 / sqrt(hx[ix]) + 0.01;
        }
    }
    struct plot_grid g = {NX, NY, hx, hy, z, "p99 latency", AXIS_UNIT_S, false};
    struct chart_opts oh = {
        .title = "p99 latency over pool size and clients",
        .subtitle = "design: shared pool  |  profile: steady  |  20 replications per cell",
        .x_label = "upstream pool size",
        .y_label = "concurrent clients",
    };
    render(fx, "heatmap.png", path, sizeof(path));
    expect_ok(chart_heatmap(&oh, &g, path, &err), &err, "chart_heatmap");
    struct palette_rgb ends[2] = {palette_viridis(0.0), palette_viridis(1.0)};
    (void)ends;
    /* the lowest and highest cells take the ends of the nice z range, so look
     * for colours of the cells themselves */
    struct axis_ticks zt;
    double zmin = z[0], zmax = z[0];
    for (size_t i = 0; i < NX * NY; i++) {
        zmin = fmin(zmin, z[i]);
        zmax = fmax(zmax, z[i]);
    }
    axis_ticks_linear(zmin, zmax, 5, AXIS_UNIT_S, &zt);
    struct palette_rgb cells[2] = {palette_viridis((z[NX - 1] - zt.lo) / (zt.hi - zt.lo)),
                                   palette_viridis((z[(NY - 1) * NX] - zt.lo) / (zt.hi - zt.lo))};
    check_png(path, 1600, 900, cells, 2, 0.1, 0.15, 0.8, 0.85);
}

static void test_matrix(void **state)
{
    struct fixture *fx = *state;
    static const char *const cols[] = {"peak tasks", "peak memory", "upstream conns",
                                       "pool util.", "p99 pool wait", "p99 latency", "error rate"};
    enum { NR = 6, NC = 7 };
    const char *cells[NR * NC];
    char text[NR * NC][64];
    double level[NR * NC];
    for (size_t r = 0; r < NR; r++) {
        for (size_t c = 0; c < NC; c++) {
            size_t i = r * NC + c;
            level[i] = fmod(0.13 * (double)(r * NC + c) + 0.07 * (double)r, 1.0);
            snprintf(text[i], sizeof(text[i]), "%.0f%%\n[%.0f, %.0f]", 100.0 * level[i],
                     95.0 * level[i], 100.0 * level[i] + 3.0);
            cells[i] = text[i];
        }
    }
    level[0] = 0.0;
    level[1] = 1.0;
    level[2] = NAN;
    snprintf(text[2], sizeof(text[2]), "n/a");
    struct plot_matrix m = {NR, NC, "profile", profile_names, cols, cells, level};
    struct chart_opts o = {
        .title = "Resource utilization matrix",
        .subtitle = "design: spawn per event  |  30 replications, mean [95% CI], coloured by closeness to limit",
    };
    char path[256];
    struct sim_err err = {0};
    render(fx, "matrix.png", path, sizeof(path));
    expect_ok(chart_matrix(&o, &m, path, &err), &err, "chart_matrix");
    struct palette_rgb want[2] = {palette_closeness(0.0), palette_closeness(1.0)};
    check_png(path, 1600, 900, want, 2, 0.0, 0.1, 1.0, 0.85);
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
        cmocka_unit_test(test_format_ci),
        cmocka_unit_test(test_format_ci_pair),
        cmocka_unit_test(test_timeseries),
        cmocka_unit_test(test_stacked),
        cmocka_unit_test(test_latency),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_errors),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    /* drop cairo's and fontconfig's process-wide font caches, so that
     * LeakSanitizer reports only leaks of our own */
    cairo_debug_reset_static_data();
    FcFini();
    return failed;
}
