/* SPDX-License-Identifier: MIT
 *
 * test_fit.c - distribution fitting recovers known parameters, ranks the true
 * family first by AIC, and rate fitting recovers a piecewise Poisson rate.
 * Samples come from GSL with fixed seeds, so every number is reproducible.
 */
#include "tests/check.h"

#include "models/config.h"
#include "models/fit.h"
#include "models/proxy.h"
#include "models/samples.h"
#include "sim/check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

enum { N = 100000 };

/* Draws N samples of d, fits all families; returns the result of d's family, reports its
 * rank. */
static void fit_family(const struct sim_dist *truth, unsigned long seed, struct fit_result *out)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double *x = sim_xmalloc(N * sizeof *x);
    for (size_t i = 0; i < N; i++) {
        x[i] = sim_dist_sample(truth, r);
    }
    samples_sort(x, N);
    struct fit_sample fs;
    fit_sample_init(&fs, x, N);
    struct fit_result res[6];
    fit_all(&fs, fit_kinds, 6, 2, res);
    size_t mine = 6;
    for (size_t i = 0; i < 6; i++) {
        print_message("  %-17s ok %d aic %.8g ks %.5f rank %zu  (%.6g, %.6g, %.6g)\n",
                      sim_dist_kind_name(res[i].kind), res[i].ok, res[i].aic, res[i].ks_d,
                      res[i].rank_aic, res[i].dist.a, res[i].dist.b, res[i].dist.c);
        if (res[i].kind == truth->kind) {
            mine = i;
        }
    }
    assert_true(mine < 6);
    *out = res[mine];
    fit_sample_fini(&fs);
    free(x);
    gsl_rng_free(r);
}

static void test_lognormal(void **state)
{
    (void)state;
    struct sim_dist truth = {.kind = SIM_DIST_LOGNORMAL, .a = log(0.020), .b = 0.9};
    struct fit_result f;
    fit_family(&truth, 2385, &f);
    assert_true(f.ok);
    assert_int_equal(f.rank_aic, 1);
    CHECK_REL(exp(f.dist.a), 0.020, 0.03); /* median */
    CHECK_REL(f.dist.a, log(0.020), 0.03);
    CHECK_REL(f.dist.b, 0.9, 0.03);
    assert_true(f.ks_p > 0.01);
}

static void test_gamma(void **state)
{
    (void)state;
    struct sim_dist truth = {.kind = SIM_DIST_GAMMA, .a = 2.385, .b = 0.0071};
    struct fit_result f;
    fit_family(&truth, 4711, &f);
    assert_true(f.ok);
    assert_int_equal(f.rank_aic, 1);
    CHECK_REL(f.dist.a, 2.385, 0.03);
    CHECK_REL(f.dist.b, 0.0071, 0.03);
    assert_true(f.ks_p > 0.01);
}

static void test_weibull(void **state)
{
    (void)state;
    struct sim_dist truth = {.kind = SIM_DIST_WEIBULL, .a = 0.012, .b = 1.7};
    struct fit_result f;
    fit_family(&truth, 1234567, &f);
    assert_true(f.ok);
    assert_int_equal(f.rank_aic, 1);
    CHECK_REL(f.dist.a, 0.012, 0.03); /* scale */
    CHECK_REL(f.dist.b, 1.7, 0.03);   /* shape */
    assert_true(f.ks_p > 0.01);
}

static void test_hyperexponential(void **state)
{
    (void)state;
    /* The config's balanced form, mean 20 ms and cv 3: p = 0.947, means 10.6 ms and 189 ms. */
    struct sim_dist truth;
    assert_true(sim_dist_hyperexp_mean_cv(0.020, 3.0, &truth, NULL));
    struct fit_result f;
    fit_family(&truth, 99, &f);
    assert_true(f.ok);
    assert_int_equal(f.rank_aic, 1);
    CHECK_REL(f.dist.a, truth.a, 0.03);
    CHECK_REL(f.dist.b, truth.b, 0.03);
    CHECK_REL(f.dist.c, truth.c, 0.03);
    double mean = sim_dist_mean(&f.dist), cv = sqrt(sim_dist_var(&f.dist)) / mean;
    CHECK_REL(mean, 0.020, 0.03);
    CHECK_REL(cv, 3.0, 0.03);
    assert_true(f.balanced_ok);
    char yaml[256];
    const struct samples_unit ms = {"ms", SAMPLES_UNIT_TIME, 1e-3};
    fit_yaml(&f, &ms, yaml, sizeof yaml);
    assert_non_null(strstr(yaml, "{dist: hyperexponential, mean: "));

    /* A mixture far from balanced means (p 0.95 of 5 ms, else 175 ms): the (mean,
     * cv) form fits worse, and the snippet gives the fitted p, mean1, mean2. */
    struct sim_dist skewed = {.kind = SIM_DIST_HYPEREXP, .a = 0.95, .b = 0.005, .c = 0.175};
    fit_family(&skewed, 98, &f);
    assert_true(f.ok);
    assert_false(f.balanced_ok);
    fit_yaml(&f, &ms, yaml, sizeof yaml);
    print_message("  skewed mixture: %s\n", yaml);
    assert_non_null(strstr(yaml, "{dist: hyperexponential, p: 0.9"));
    assert_non_null(strstr(yaml, ", mean1: "));
    struct experiment *ex = calloc(1, sizeof *ex);
    struct sim_err err;
    char set[300];
    snprintf(set, sizeof set, "upstream_service=%s", yaml);
    assert_int_equal(config_build_experiment("low", "legacy-reverse", NULL, ex, &err), SIM_OK);
    assert_int_equal(config_apply_set(ex, set, &err), SIM_OK); /* the loader takes it */
    CHECK_REL(ex->profile.upstream_service_s.a, f.dist.a, 1e-3);
    config_free_experiment(ex);
    free(ex);
}

static void test_exponential_and_pareto(void **state)
{
    (void)state;
    struct sim_dist truth = sim_dist_exponential(0.05);
    struct fit_result f;
    fit_family(&truth, 7, &f);
    assert_true(f.ok);
    CHECK_REL(f.dist.a, 0.05, 0.03);
    struct sim_dist par = {.kind = SIM_DIST_PARETO, .a = 1.8, .b = 0.001, .c = 10.0};
    fit_family(&par, 8, &f);
    assert_true(f.ok);
    assert_int_equal(f.rank_aic, 1);
    CHECK_REL(f.dist.a, 1.8, 0.03);
}

static void test_yaml_format(void **state)
{
    (void)state;
    const struct samples_unit ms = {"ms", SAMPLES_UNIT_TIME, 1e-3};
    const struct samples_unit kib = {"KiB", SAMPLES_UNIT_SIZE, 1024.0};
    char buf[256];
    fit_format_value(0.02003, &ms, buf, sizeof buf);
    assert_string_equal(buf, "20.03ms");
    fit_format_value(12345.0, &ms, buf, sizeof buf);
    assert_string_equal(buf, "12345s");
    fit_format_value(2.5e-5, &ms, buf, sizeof buf);
    assert_string_equal(buf, "25us");
    fit_format_value(1536.0, &kib, buf, sizeof buf);
    assert_string_equal(buf, "1.5KiB");
    struct fit_result r = {.kind = SIM_DIST_WEIBULL, .ok = true,
                           .dist = {.kind = SIM_DIST_WEIBULL, .a = 0.012, .b = 1.5}};
    fit_yaml(&r, &ms, buf, sizeof buf);
    assert_string_equal(buf, "{dist: weibull, shape: 1.5, scale: 12ms}");
    r = (struct fit_result){.kind = SIM_DIST_PARETO, .ok = true,
                            .dist = {.kind = SIM_DIST_PARETO, .a = 1.8, .b = 0.001, .c = 10.0}};
    fit_yaml(&r, &ms, buf, sizeof buf);
    assert_string_equal(buf, "{dist: pareto, alpha: 1.8, lo: 1ms, hi: 10s}");
    sim_dist_lognormal_mean_cv(0.020, 1.5, &r.dist, NULL);
    r.kind = SIM_DIST_LOGNORMAL;
    fit_yaml(&r, &ms, buf, sizeof buf);
    assert_string_equal(buf, "{dist: lognormal, mean: 20ms, cv: 1.5}");
    fit_yaml_empirical("samples.csv", "latency_ms", &ms, buf, sizeof buf);
    assert_string_equal(buf, "{dist: empirical, file: samples.csv, column: latency_ms, unit: ms}");
}

static void test_sort(void **state)
{
    (void)state;
    double x[] = {3.5, -1.0, 0.0, 1e-300, 2e300, -7.25, 3.5, 0.5};
    samples_sort(x, 8);
    for (size_t i = 0; i + 1 < 8; i++) {
        assert_true(x[i] <= x[i + 1]);
    }
    CHECK_NEAR(x[0], -7.25, 0.0);
    CHECK_NEAR(x[7], 2e300, 0.0);
}

/* A temporary directory per test binary run; files are removed at the end. */
static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Arrivals of one replication of legacy-reverse under a profile replaying tmpdir/trace.csv;
 * one request per connection, so (nearly) every arrival is one finished request. */
static uint64_t replay_count(const char *arrivals, const char *duration)
{
    char prof[128];
    snprintf(prof, sizeof prof, "%s/replay.yaml", tmpdir);
    FILE *f = fopen(prof, "w");
    assert_non_null(f);
    fprintf(f, "kind: profile\nname: replay\nduration: %s\nwarmup: 0s\narrivals: %s\n"
               "requests_per_conn: 1\nmix: {post_json: 1, post_sse: 0, get_sse: 0}\n",
            duration, arrivals);
    fclose(f);
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    sim_err_clear(&err);
    int rc = config_build_experiment(prof, "legacy-reverse", NULL, ex, &err);
    if (rc != SIM_OK) {
        fail_msg("%s", err.msg);
    }
    ex->run.reps = 1;
    struct rep_result res;
    struct proxy_run_opts opts = {.threads = 1};
    assert_int_equal(proxy_replicate(ex, &opts, &res, &err), 0);
    uint64_t got = res.n_arrivals;
    assert_true(res.n_requests <= got && res.n_requests + got / 1000 >= got); /* the tail may run on */
    results_rep_fini(&res);
    config_free_experiment(ex);
    free(ex);
    unlink(prof);
    return got;
}

static void test_rates_piecewise_poisson(void **state)
{
    (void)state;
    static const double rates[] = {120.0, 340.0, 80.0, 200.0, 150.0};
    const double window_s = 60.0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31337);
    char path[128];
    snprintf(path, sizeof path, "%s/trace.csv", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "ts,path\n");
    /* Memoryless: restarting the clock at each window boundary keeps it a Poisson process. */
    size_t n = 0;
    const double epoch = 1795600800.0; /* 2026-11-25T10:00:00Z, a whole minute */
    for (size_t k = 0; k < 5; k++) {
        double t = k * window_s;
        for (;;) {
            t += gsl_ran_exponential(r, 1.0 / rates[k]);
            if (t >= (k + 1) * window_s) {
                break;
            }
            fprintf(f, "%.6f,/mcp\n", epoch + t);
            n++;
        }
    }
    fclose(f);
    struct samples s;
    struct sim_err err;
    sim_err_clear(&err);
    assert_int_equal(samples_read_timestamps(&s, path, NULL, &err), SIM_OK);
    assert_int_equal(s.n, n);
    struct fit_rates fr;
    assert_int_equal(fit_rates_compute(&fr, s.x, s.n, window_s, 0.95, &err), SIM_OK);
    assert_int_equal(fr.n_windows, 5);
    CHECK_NEAR(fr.t0_s, epoch, 1e-6);
    for (size_t k = 0; k < 5; k++) {
        print_message("  window %zu: %zu arrivals, %.2f/s [%.2f, %.2f] (true %.0f)\n", k,
                      fr.w[k].count, fr.w[k].rate_per_s, fr.w[k].lo_per_s, fr.w[k].hi_per_s,
                      rates[k]);
        CHECK_REL(fr.w[k].rate_per_s, rates[k], 0.05);
        CHECK_NEAR(fr.w[k].start_s, k * window_s, 1e-9);
    }
    CHECK_NEAR(fr.gap_cv_norm, 1.0, 0.05);
    CHECK_NEAR(fr.idc_within, 1.0, 0.3); /* sd about 0.09 with 245 degrees of freedom */
    assert_true(fr.gap_cv > 1.05); /* the rate changes, so raw gaps are more variable */
    char *yaml = fit_rates_yaml(&fr);
    assert_non_null(strstr(yaml, "rate: [{at: 0s, value: "));
    assert_non_null(strstr(yaml, "{at: 60s, value: "));
    free(yaml);
    fit_rates_fini(&fr);
    /* One more arrival 50 ms into a sixth window: that window is partial (its rate
     * would be 20/s), and the schedule leaves it out, ending on window 4's rate. */
    double *more = sim_xmalloc((n + 1) * sizeof *more);
    memcpy(more, s.x, n * sizeof *more);
    more[n] = epoch + 5 * window_s + 0.05;
    assert_int_equal(fit_rates_compute(&fr, more, n + 1, window_s, 0.95, &err), SIM_OK);
    assert_int_equal(fr.n_windows, 6);
    assert_int_equal(fit_rates_scheduled(&fr), 5);
    yaml = fit_rates_yaml(&fr);
    assert_non_null(strstr(yaml, "{at: 240s, value: "));
    assert_null(strstr(yaml, "{at: 300s"));
    free(yaml);
    fit_rates_fini(&fr);
    free(more);
    gsl_rng_free(r);
    /* Replayed through a scenario, the trace gives exactly its own arrival count: once as
     * recorded, at 2x in half the time, and looped twice in twice the time.
     * The replay starts at the first arrival; a loop's period is the span plus one mean gap. */
    double span = s.x[n - 1] - s.x[0], gap = span / (double)(n - 1);
    char once[32], twice[32], looped[32];
    snprintf(once, sizeof once, "%.6fs", span + 0.5);
    snprintf(twice, sizeof twice, "%.6fs", span / 2 + 0.5);
    snprintf(looped, sizeof looped, "%.6fs", 2 * (span + gap) - gap / 2);
    const struct {
        const char *arrivals, *duration;
        uint64_t want;
    } replay[] = {
        {"{kind: trace, trace: {file: trace.csv, column: ts}}", once, n},
        {"{kind: trace, trace: {file: trace.csv, rate_factor: 2}}", twice, n},
        {"{kind: trace, trace: {file: trace.csv, loop: true}}", looped, 2 * n},
    };
    for (size_t i = 0; i < sizeof replay / sizeof replay[0]; i++) {
        uint64_t got = replay_count(replay[i].arrivals, replay[i].duration);
        print_message("  replay %s for %s: %" PRIu64 " arrivals (trace %zu)\n", replay[i].arrivals,
                      replay[i].duration, got, n);
        assert_int_equal(got, replay[i].want);
    }
    samples_fini(&s);
    unlink(path);
}

/* Arrivals over [0, span_s): kind 0 Poisson at rate 5/s; 1 on/off (rate 25/s
 * for the first 0.2 s of every second: the same mean, in bursts); 2 gaps
 * uniform on [0.15, 0.25] s (cv 0.12: nearly regular); 3 Poisson at 1/s and
 * 50/s in alternate minutes (what a rate schedule models); 4 Poisson at
 * 0.1/s (6 arrivals a minute).  Returns the count. */
static size_t shaped_trace(gsl_rng *r, int kind, double span_s, double *t, size_t cap)
{
    size_t n = 0;
    double x = 0.0;
    while (n < cap) {
        if (kind == 0) {
            x += gsl_ran_exponential(r, 0.2);
        } else if (kind == 1) {
            x += gsl_ran_exponential(r, 1.0 / 25.0);
            if (x - floor(x) >= 0.2) {
                x = floor(x) + 1.0 + gsl_ran_exponential(r, 1.0 / 25.0);
            }
        } else if (kind == 2) {
            x += gsl_ran_flat(r, 0.15, 0.25);
        } else if (kind == 3) {
            /* Memoryless: a draw that crosses into the next minute restarts there. */
            double rate = (long)(x / 60.0) % 2 ? 50.0 : 1.0, edge = (floor(x / 60.0) + 1.0) * 60.0;
            double y = x + gsl_ran_exponential(r, 1.0 / rate);
            if (y >= edge) {
                x = edge;
                continue;
            }
            x = y;
        } else {
            x += gsl_ran_exponential(r, 10.0);
        }
        if (x >= span_s) {
            break;
        }
        t[n++] = x;
    }
    return n;
}

static void test_arrival_shape(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    double t[2000];
    struct sim_err err;
    /* Two 1% tests: Poisson traces are called Poisson but for about 2% of them at
     * most.  A short trace (40 s, ~200 arrivals, in one partial 60 s window) is where
     * the old fixed thresholds called Poisson traces bursty. */
    int flagged = 0;
    for (int i = 0; i < 100; i++) {
        size_t n = shaped_trace(r, 0, 40.0, t, 2000);
        struct fit_rates fr;
        assert_int_equal(fit_rates_compute(&fr, t, n, 60.0, 0.95, &err), SIM_OK);
        flagged += fit_rates_shape(&fr) != FIT_SHAPE_POISSON;
        fit_rates_fini(&fr);
    }
    print_message("  Poisson traces flagged: %d of 100\n", flagged);
    assert_true(flagged <= 6); /* P(X >= 7) < 0.5% for Binomial(100, 0.02) */
    /* Poisson at a rate that changes by minute (gaps rescaled across the edges),
     * and at 6 arrivals a minute (the cv test stands aside): Poisson too. */
    static double tp[40000];
    const struct {
        int kind;
        double span_s;
    } poisson[] = {{3, 600.0}, {4, 3600.0}};
    for (size_t c = 0; c < 2; c++) {
        flagged = 0;
        for (int i = 0; i < 100; i++) {
            size_t n = shaped_trace(r, poisson[c].kind, poisson[c].span_s, tp, 40000);
            struct fit_rates fr;
            assert_int_equal(fit_rates_compute(&fr, tp, n, 60.0, 0.95, &err), SIM_OK);
            flagged += fit_rates_shape(&fr) != FIT_SHAPE_POISSON;
            for (size_t k = 0; k < fr.n_windows; k++) {
                /* The Garwood interval holds the count, at any count (GSL's inversion
                 * alone gave NaN from about 1,160 on). */
                double cnt = (double)fr.w[k].count, d = fr.w[k].dur_s;
                assert_true(isfinite(fr.w[k].hi_per_s));
                CHECK_IN(cnt, fr.w[k].lo_per_s * d, fr.w[k].hi_per_s * d);
            }
            fit_rates_fini(&fr);
        }
        print_message("  kind %d Poisson traces flagged: %d of 100\n", poisson[c].kind, flagged);
        assert_true(flagged <= 6);
    }
    const struct {
        int kind;
        enum fit_arrival_shape want;
    } cases[] = {{1, FIT_SHAPE_BURSTIER}, {2, FIT_SHAPE_MORE_REGULAR}};
    for (size_t c = 0; c < 2; c++) {
        size_t n = shaped_trace(r, cases[c].kind, 300.0, t, 2000);
        struct fit_rates fr;
        assert_int_equal(fit_rates_compute(&fr, t, n, 60.0, 0.95, &err), SIM_OK);
        print_message("  kind %d: idc %.3f (df %.0f), gap cv %.3f\n", cases[c].kind,
                      fr.idc_within, fr.idc_df, fr.gap_cv_norm);
        assert_int_equal(fit_rates_shape(&fr), cases[c].want);
        fit_rates_fini(&fr);
    }
    gsl_rng_free(r);
}

/* An access log's whole seconds: Poisson at 5/s floored to the second puts
 * several arrivals on one instant, and that alone made gaps of 0 and 1 s (cv
 * 2) and 1.2 s sub-windows holding one or two whole seconds (dispersion 1.5):
 * "burstier than Poisson".  The grain is found, the gaps are not judged, and
 * 2 s sub-windows count exactly: Poisson again.  On/off bursts of 10 s at
 * 10/s are still burstier at that grain. */
static void test_arrival_shape_whole_seconds(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    static double t[40000];
    const double epoch = 1795600800.0; /* absolute times, as a log gives them */
    struct sim_err err;
    int flagged = 0;
    for (int i = 0; i < 100; i++) {
        size_t n = shaped_trace(r, 0, 600.0, t, 40000);
        for (size_t k = 0; k < n; k++) {
            t[k] = epoch + floor(t[k]);
        }
        struct fit_rates fr;
        assert_int_equal(fit_rates_compute(&fr, t, n, 60.0, 0.95, &err), SIM_OK);
        CHECK_NEAR(fr.grain_s, 1.0, 0.0);
        assert_int_equal(fr.n_sub, 30);
        assert_true(isnan(fr.gap_cv) && isnan(fr.gap_cv_norm));
        flagged += fit_rates_shape(&fr) != FIT_SHAPE_POISSON;
        fit_rates_fini(&fr);
    }
    print_message("  whole-second Poisson traces flagged: %d of 100\n", flagged);
    assert_true(flagged <= 6); /* one 1% test now: P(X >= 7) < 0.1% for Binomial(100, 0.01) */
    size_t n = 0;
    for (double x = 0.0; n < 40000;) {
        x += gsl_ran_exponential(r, 0.1);
        x += fmod(x, 20.0) >= 10.0 ? 10.0 : 0.0; /* off for the second 10 s of every 20 */
        if (x >= 600.0) {
            break;
        }
        t[n++] = epoch + floor(x);
    }
    struct fit_rates fr;
    assert_int_equal(fit_rates_compute(&fr, t, n, 60.0, 0.95, &err), SIM_OK);
    print_message("  whole-second on/off: idc %.3f (df %.0f)\n", fr.idc_within, fr.idc_df);
    assert_int_equal(fit_rates_shape(&fr), FIT_SHAPE_BURSTIER);
    fit_rates_fini(&fr);
    /* A window of 53 grains: 26 sub-windows of 2 s, the last second of each
     * window in none.  One of 1.5 grains has no sub-window, and too few gaps
     * to judge without them: untested, not "Poisson". */
    assert_int_equal(fit_rates_compute(&fr, t, n, 53.0, 0.95, &err), SIM_OK);
    assert_int_equal(fr.n_sub, 26);
    CHECK_NEAR(fr.sub_window_s, 2.0, 0.0);
    assert_int_equal(fit_rates_shape(&fr), FIT_SHAPE_BURSTIER);
    fit_rates_fini(&fr);
    assert_int_equal(fit_rates_compute(&fr, t, n, 1.5, 0.95, &err), SIM_OK);
    assert_int_equal(fr.n_sub, 0);
    assert_int_equal(fit_rates_shape(&fr), FIT_SHAPE_UNTESTED);
    fit_rates_fini(&fr);
    /* Fractional times (the same Poisson trace unfloored) have no grain. */
    n = shaped_trace(r, 0, 600.0, t, 40000);
    assert_int_equal(fit_rates_compute(&fr, t, n, 60.0, 0.95, &err), SIM_OK);
    CHECK_NEAR(fr.grain_s, 0.0, 0.0);
    assert_int_equal(fr.n_sub, 50);
    fit_rates_fini(&fr);
    gsl_rng_free(r);
}

static void test_timestamp_formats(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/access.log", tmpdir);
    write_file(path, "10.0.0.1 - - [25/Nov/2026:10:00:01 +0000] \"POST /mcp HTTP/1.1\" 200 12\n"
                     "10.0.0.2 - - [25/Nov/2026:11:00:00 +0100] \"GET /mcp HTTP/1.1\" 200 7\n"
                     "10.0.0.3 - - [25/Nov/2026:10:00:00.5 +0000] \"GET / HTTP/1.1\" 200 7\n");
    struct samples s;
    struct sim_err err;
    sim_err_clear(&err);
    assert_int_equal(samples_read_timestamps(&s, path, NULL, &err), SIM_OK);
    assert_int_equal(s.n, 3);
    /* Sorted, and the +0100 one is 10:00:00 UTC. */
    CHECK_NEAR(s.x[0], 1795600800.0, 1e-6);
    CHECK_NEAR(s.x[1], 1795600800.5, 1e-6);
    CHECK_NEAR(s.x[2], 1795600801.0, 1e-6);
    samples_fini(&s);
    snprintf(path, sizeof path, "%s/iso.csv", tmpdir);
    write_file(path, "when,status\n2026-11-25T10:00:00Z,200\n2026-11-25T11:00:02.25+01:00,200\n"
                     "2026-11-25 10:00:01,500\n");
    assert_int_equal(samples_read_timestamps(&s, path, "when", &err), SIM_OK);
    assert_int_equal(s.n, 3);
    CHECK_NEAR(s.x[0], 1795600800.0, 1e-6);
    CHECK_NEAR(s.x[1], 1795600801.0, 1e-6);
    CHECK_NEAR(s.x[2], 1795600802.25, 1e-6);
    samples_fini(&s);
    unlink(path);
    snprintf(path, sizeof path, "%s/access.log", tmpdir);
    unlink(path);
}

static void test_read_csv_gzip_units(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/lat.csv.gz", tmpdir);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    gzputs(gz, "id,\"latency_ms\",size\r\n1,2.5,10\r\n# a comment\r\n\r\n2, 1e1 ,11\r\n3,0.125,12\r\n");
    gzclose(gz);
    struct samples s;
    struct sim_err err;
    sim_err_clear(&err);
    struct samples_unit ms;
    assert_true(samples_unit_parse("ms", &ms));
    assert_int_equal(samples_read(&s, path, "latency_ms", &ms, &err), SIM_OK);
    assert_int_equal(s.n, 3);
    CHECK_NEAR(s.x[0], 0.0025, 1e-15);
    CHECK_NEAR(s.x[1], 0.010, 1e-15);
    CHECK_NEAR(s.x[2], 0.000125, 1e-15);
    assert_string_equal(s.column, "latency_ms");
    samples_fini(&s);
    unlink(path);
    /* One number a line, a one-word header, high-precision numbers via strtod. */
    snprintf(path, sizeof path, "%s/plain.txt", tmpdir);
    write_file(path, "bytes\n1024\n0.12345678901234567890\n7e-400\n");
    struct samples_unit kib;
    assert_true(samples_unit_parse("KiB", &kib));
    assert_int_equal(samples_read(&s, path, NULL, &kib, &err), SIM_OK);
    assert_int_equal(s.n, 3);
    CHECK_NEAR(s.x[0], 1048576.0, 0.0);
    CHECK_NEAR(s.x[1], 0.12345678901234567890 * 1024.0, 1e-12);
    assert_string_equal(s.column, "bytes");
    samples_fini(&s);
    unlink(path);
}

static void test_quantile(void **state)
{
    (void)state;
    struct sim_dist h;
    sim_dist_hyperexp_mean_cv(0.02, 2.0, &h, NULL);
    for (double p = 0.01; p < 1.0; p += 0.07) {
        CHECK_NEAR(sim_dist_cdf(&h, sim_dist_quantile(&h, p)), p, 1e-9);
    }
    struct sim_dist par = {.kind = SIM_DIST_PARETO, .a = 1.3, .b = 0.001, .c = 2.0};
    CHECK_NEAR(sim_dist_cdf(&par, sim_dist_quantile(&par, 0.9)), 0.9, 1e-12);
}

int main(void)
{
    gsl_set_error_handler_off();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_fit.XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_weibull),
        cmocka_unit_test(test_hyperexponential),
        cmocka_unit_test(test_exponential_and_pareto),
        cmocka_unit_test(test_yaml_format),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_rates_piecewise_poisson),
        cmocka_unit_test(test_arrival_shape),
        cmocka_unit_test(test_arrival_shape_whole_seconds),
        cmocka_unit_test(test_timestamp_formats),
        cmocka_unit_test(test_read_csv_gzip_units),
        cmocka_unit_test(test_quantile),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(tmpdir);
    return rc;
}
