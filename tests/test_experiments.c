/* SPDX-License-Identifier: MIT
 *
 * test_experiments.c - the experiment layer against numbers it must
 * reproduce: a comparison of a design with itself finds no difference and
 * pairing narrows CIs; a larger pool lowers pool wait with a CI excluding 0;
 * the SLO search on the proxy reduced to M/M/c finds Erlang C's smallest c,
 * and on an error-rate SLO with pool timeouts lands within one step of the
 * M/M/c+D boundary; sweep.csv rows are complete, ordered and the same for 1
 * and 2 threads; bad LIST and --slo texts are rejected with their text.
 */
#include "tests/check.h"

#include "cli/cli.h"
#include "cli/vary.h"
#include "cli/xpsetup.h"
#include "models/capsearch.h"
#include "models/config.h"
#include "models/paired.h"
#include "models/presets.h"
#include "models/qtheory.h"
#include "models/results.h"
#include "models/trials.h"
#include "sim/check.h"
#include "tests/reps.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

/* The proxy reduced to one M/M/c queue (reps.h, as test_proxy.c uses it) with
 * c upstream connections. */
static void one_queue(struct experiment *e, double lambda, double service_mean_s, unsigned c)
{
    one_queue_experiment(e, lambda, service_mean_s);
    e->design.upstream.max_conns = c;
    e->profile.duration_s = 400.0;
    e->profile.warmup_s = 50.0;
    e->run.seed = 20251101;
}

static void run_pair(const struct experiment *a, const struct experiment *b, unsigned reps,
                     struct trials_out **out)
{
    struct experiment pts[2] = {*a, *b};
    struct trials_batch bt = {.points = pts, .n_points = 2, .rep_lo = 0, .rep_hi = reps};
    *out = sim_xcalloc(2 * reps, sizeof **out);
    struct trials_exec x = trials_exec_threads(2);
    assert_int_equal(trials_run(&x, &bt, *out, NULL, NULL, NULL), 0);
}

static void compare_identical(void **state)
{
    (void)state;
    const char *sets[] = {"profile.duration=20s", "profile.warmup=4s"};
    struct config_overrides ov = {sets, 2};
    struct experiment a, b;
    struct sim_err err;
    sim_err_clear(&err);
    assert_int_equal(config_build_experiment("medium", "refactored-hardened", &ov, &a, &err), 0);
    assert_int_equal(config_build_experiment("medium", "refactored-hardened", &ov, &b, &err), 0);
    enum { R = 6 };
    struct trials_out *o;
    run_pair(&a, &b, R, &o);
    double xa[R], xb[R];
    for (int m = 0; m < RM_N; m++) {
        trials_metric_column(o, 0, R, m, xa);
        trials_metric_column(o, 1, R, m, xb);
        struct paired_result pr;
        paired_compare(xa, xb, R, 0.95, paired_metric_direction(m), &pr);
        if (pr.diff.n >= 2) {
            if (!(pr.diff.lo <= 0.0 && pr.diff.hi >= 0.0)) {
                fail_msg("%s: difference CI [%g, %g] excludes 0", results_metrics[m].name,
                         pr.diff.lo, pr.diff.hi);
            }
            assert_int_equal(pr.verdict, PAIRED_NO_DIFFERENCE);
        }
        if (m == RM_LATENCY_P99_S || m == RM_LATENCY_MEAN_S) {
            printf("  %s: paired half %g, Welch half %g, ratio %g (expected >= 3)\n",
                   results_metrics[m].name, pr.diff.half, pr.welch.half, pr.width_ratio);
            assert_true(pr.width_ratio >= 3.0);
        }
    }
    free(o);
    config_free_experiment(&a);
    config_free_experiment(&b);
}

static void compare_larger_pool(void **state)
{
    (void)state;
    struct experiment a, b;
    one_queue(&a, 40.0, 0.1, 5);
    one_queue(&b, 40.0, 0.1, 6);
    enum { R = 8 };
    struct trials_out *o;
    run_pair(&a, &b, R, &o);
    double xa[R], xb[R];
    struct paired_result pr;
    trials_metric_column(o, 0, R, RM_POOL_WAIT_MEAN_S, xa);
    trials_metric_column(o, 1, R, RM_POOL_WAIT_MEAN_S, xb);
    paired_compare(xa, xb, R, 0.95, paired_metric_direction(RM_POOL_WAIT_MEAN_S), &pr);
    printf("  pool_wait_mean_s: c=5 %g, c=6 %g, diff %g [%g, %g], verdict %s\n", pr.a.mean,
           pr.b.mean, pr.diff.mean, pr.diff.lo, pr.diff.hi, paired_verdict_name(pr.verdict));
    assert_true(pr.diff.hi < 0.0);
    assert_int_equal(pr.verdict, PAIRED_BETTER);
    /* Pairing still narrows the latency CIs here, but by less than for
     * identical designs: the service stream is drawn in order of service
     * start, which the pool size reorders, so the designs share less noise. */
    static const int lat[] = {RM_LATENCY_P50_S, RM_LATENCY_MEAN_S};
    for (size_t i = 0; i < 2; i++) {
        trials_metric_column(o, 0, R, lat[i], xa);
        trials_metric_column(o, 1, R, lat[i], xb);
        paired_compare(xa, xb, R, 0.95, PAIRED_LOWER_BETTER, &pr);
        printf("  %s: paired half %g, Welch half %g, ratio %.2f\n", results_metrics[lat[i]].name,
               pr.diff.half, pr.welch.half, pr.width_ratio);
        assert_true(pr.width_ratio >= 1.0);
    }
    free(o);
}

struct mmc_eval {
    double lambda, svc, patience_s;
    unsigned c_lo;
    int metric;
};

static int eval_mmc(void *vctx, size_t k, unsigned rep_lo, unsigned rep_hi, double *values,
                    struct sim_err *err)
{
    (void)err;
    const struct mmc_eval *me = vctx;
    struct experiment e;
    one_queue(&e, me->lambda, me->svc, me->c_lo + (unsigned)k);
    if (isfinite(me->patience_s)) {
        e.design.upstream.acquire_timeout_s = me->patience_s;
        e.design.upstream.on_exhausted = EXHAUST_WAIT;
    }
    struct trials_batch b = {.points = &e, .n_points = 1, .rep_lo = rep_lo, .rep_hi = rep_hi};
    struct trials_out *o = sim_xcalloc(rep_hi - rep_lo, sizeof *o);
    struct trials_exec x = trials_exec_threads(2);
    assert_int_equal(trials_run(&x, &b, o, NULL, NULL, NULL), 0);
    for (unsigned r = 0; r < rep_hi - rep_lo; r++) {
        values[r] = o[r].metric[me->metric];
    }
    free(o);
    return SIM_OK;
}

/* A metric only B has (A's column all NAN: a design without the degradation
 * ladder): no pair, no verdict, but B still shows its own mean and CI. */
static void compare_one_sided(void **state)
{
    (void)state;
    const double a[4] = {NAN, NAN, NAN, NAN}, b[4] = {0.25, 0.5, 0.75, 0.5};
    struct paired_result pr;
    paired_compare(a, b, 4, 0.95, PAIRED_LOWER_BETTER, &pr);
    assert_int_equal(pr.a.n, 0);
    assert_int_equal(pr.b.n, 4);
    assert_true(fabs(pr.b.mean - 0.5) < 1e-15);
    assert_true(pr.b.lo < 0.5 && pr.b.hi > 0.5);
    assert_int_equal(pr.diff.n, 0);
    assert_int_equal(pr.verdict, PAIRED_UNKNOWN);
    assert_true(isnan(pr.rel_change));
    /* one complete pair among them: A and B describe that pair only */
    const double a2[4] = {NAN, 1.0, NAN, NAN};
    paired_compare(a2, b, 4, 0.95, PAIRED_LOWER_BETTER, &pr);
    assert_int_equal(pr.a.n, 1);
    assert_int_equal(pr.b.n, 1);
    assert_true(fabs(pr.b.mean - 0.5) < 1e-15);
}

/* CI bounds stay inside what the quantity can be; the mean and the t
 * half-width (relative-precision targets use it) are kept. */
static void clip_to_range(void **state)
{
    (void)state;
    const double shares[3] = {0.5, 0.99, 1.0};
    struct sim_ci ci = sim_ci_compute(shares, 3, 0.95);
    double half = ci.half;
    assert_true(ci.hi > 1.0 && ci.lo < 0.5);
    results_clip_ci("1", &ci);
    assert_true(ci.hi == 1.0 && ci.lo > 0.0 && ci.half == half);
    const double bytes[2] = {0.0, 1000.0};
    ci = sim_ci_compute(bytes, 2, 0.95);
    results_clip_ci("B", &ci);
    assert_true(ci.lo == 0.0 && ci.hi > 1000.0 && ci.mean == 500.0);
    const double slope[2] = {-10.0, 30.0};
    ci = sim_ci_compute(slope, 2, 0.95);
    double lo = ci.lo;
    results_clip_ci("B/s", &ci);
    assert_true(ci.lo == lo && lo < 0.0);
}

static void plan_erlang_c(void **state)
{
    (void)state;
    const double lambda = 40.0, svc = 0.1, slo = 0.1; /* a = 4 erlangs */
    unsigned c_theory = 0;
    for (unsigned c = 5; c < 40 && !c_theory; c++) {
        if (qtheory_erlang_c(c, lambda * svc) <= slo) {
            c_theory = c;
        }
    }
    struct mmc_eval me = {lambda, svc, INFINITY, 1, RM_POOL_WAIT_PROB};
    struct capsearch_slo s = {.metric = RM_POOL_WAIT_PROB, .op = CAPSEARCH_LE, .bound = slo};
    struct capsearch_opts o = {.n_grid = 16, .slo = &s, .n_slo = 1, .batch = 4, .max_reps = 24,
                               .confidence = 0.95};
    struct capsearch_result r;
    assert_int_equal(capsearch_run(&o, eval_mmc, &me, &r, NULL), 0);
    assert_true(r.found);
    unsigned c_found = me.c_lo + (unsigned)r.answer_k;
    printf("  smallest c with P(wait) <= %g: plan %u, Erlang C %u (C(%u) = %.4f, C(%u) = %.4f); "
           "%zu points, %u reps, %zu undecided\n", slo, c_found, c_theory, c_theory,
           qtheory_erlang_c(c_theory, 4.0), c_theory - 1, qtheory_erlang_c(c_theory - 1, 4.0),
           r.n_points, r.total_reps, r.n_undecided);
    assert_int_equal(c_found, c_theory);
    assert_true(r.has_neighbour);
    assert_int_equal(me.c_lo + r.neighbour_k, c_theory - 1);
    capsearch_result_fini(&r);
}

static void plan_pool_timeout(void **state)
{
    (void)state;
    /* a = 8 erlangs, patience 50 ms: the smallest pool losing <= 1% to timeouts. */
    const double lambda = 80.0, svc = 0.1, tau = 0.05, slo = 0.01;
    unsigned c_theory = 0;
    for (unsigned c = 1; c < 40 && !c_theory; c++) {
        struct qtheory_impatient q;
        assert_true(qtheory_mmc_patience(c, lambda, 1.0 / svc, tau, &q));
        if (q.p_abandon <= slo) {
            c_theory = c;
        }
    }
    struct mmc_eval me = {lambda, svc, tau, 4, RM_ERROR_RATE};
    struct capsearch_slo s = {.metric = RM_ERROR_RATE, .op = CAPSEARCH_LE, .bound = slo};
    struct capsearch_opts o = {.n_grid = 17, .slo = &s, .n_slo = 1, .batch = 4, .max_reps = 16,
                               .confidence = 0.95};
    struct capsearch_result r;
    assert_int_equal(capsearch_run(&o, eval_mmc, &me, &r, NULL), 0);
    assert_true(r.found);
    unsigned c_found = me.c_lo + (unsigned)r.answer_k;
    printf("  smallest c with error_rate <= %g (pool timeouts, tau %g s): plan %u, M/M/c+D %u; "
           "%zu points, %zu undecided\n", slo, tau, c_found, c_theory, r.n_points, r.n_undecided);
    assert_true(c_found + 1 >= c_theory && c_found <= c_theory + 1);
    capsearch_result_fini(&r);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = sim_xcalloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void sweep_rows(void **state)
{
    (void)state;
    char dir1[] = "/tmp/test_experiments_XXXXXX";
    assert_non_null(mkdtemp(dir1));
    char out1[128], out2[128];
    snprintf(out1, sizeof out1, "%s/t1", dir1);
    snprintf(out2, sizeof out2, "%s/t2", dir1);
    const char *base[] = {"sweep", "low", "--vary", "upstream.max_conns=1,2,4", "--vary",
                          "profile.duration=20s:30s:10s", "--reps", "3", "--quiet", "--threads"};
    /* getopt_long permutes argv, so each run gets a fresh array. */
    for (int run = 0; run < 2; run++) {
        char *argv[16];
        for (int i = 0; i < 10; i++) {
            argv[i] = (char *)base[i];
        }
        argv[10] = run ? "2" : "1", argv[11] = "--out", argv[12] = run ? out2 : out1;
        argv[13] = NULL;
        assert_int_equal(cli_sweep(13, argv), 0);
    }
    char p1[160], p2[160];
    snprintf(p1, sizeof p1, "%s/sweep.csv", out1);
    snprintf(p2, sizeof p2, "%s/sweep.csv", out2);
    char *a = slurp(p1), *b = slurp(p2);
    assert_string_equal(a, b);
    /* Header, then 3 x 2 points x RM_N metrics, point order then metric order. */
    static const char *const k1[] = {"1", "2", "4"};
    static const char *const k2[] = {"20", "30"};
    size_t rows = 0;
    char *save = NULL;
    char *line = strtok_r(a, "\n", &save);
    assert_string_equal(line, "upstream.max_conns,profile.duration,metric,mean,ci_low,ci_high,n,unit");
    while ((line = strtok_r(NULL, "\n", &save))) {
        size_t p = rows / RM_N, m = rows % RM_N;
        char want[128];
        snprintf(want, sizeof want, "%s,%s,%s,", k1[p / 2], k2[p % 2], results_metrics[m].name);
        if (strncmp(line, want, strlen(want)) != 0) {
            fail_msg("row %zu: '%s', expected it to start with '%s'", rows, line, want);
        }
        rows++;
    }
    printf("  sweep.csv: %zu rows (expected %d), identical for 1 and 2 threads\n", rows, 6 * RM_N);
    assert_int_equal(rows, 6 * RM_N);
    free(a);
    free(b);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir1); /* the CSVs and charts of both runs */
    assert_int_equal(system(cmd), 0);
}

/* A design given as a file: PROFILE:DESIGN splits at the colon even when
 * DESIGN is a path with slashes (compare builds low:/tmp/.../my-capped.yaml),
 * and compare labels it by the file's `name:`, as report does, not by its
 * path. */
static void design_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_experiments_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char yaml[128], scenario[160];
    snprintf(yaml, sizeof yaml, "%s/my-capped.yaml", dir);
    FILE *f = fopen(yaml, "w");
    assert_non_null(f);
    fputs("kind: design\nbase: refactored-hardened\nname: hardened-capped\n"
          "spawn:\n  max_tasks: 3000\n",
          f);
    assert_int_equal(fclose(f), 0);
    snprintf(scenario, sizeof scenario, "low:%s", yaml);
    struct experiment e;
    assert_int_equal(xpsetup_load("test", scenario, NULL, 0, NULL, 0, &e), 0);
    assert_string_equal(e.profile.name, "low");
    assert_string_equal(e.design.name, "hardened-capped");
    assert_true(e.design.spawn.max_tasks == 3000.0);
    config_free_experiment(&e);

    char out[160], csv[200];
    snprintf(out, sizeof out, "%s/cmp", dir);
    char *argv[] = {"compare", "refactored-hardened", yaml, "--profiles", "low", "--reps", "2",
                    "--threads", "1", "--quiet", "--out", out, NULL};
    assert_int_equal(cli_compare((int)(sizeof argv / sizeof argv[0]) - 1, argv), 0);
    snprintf(csv, sizeof csv, "%s/compare.csv", out);
    char *text = slurp(csv);
    const char *row = strchr(text, '\n');
    assert_non_null(row);
    /* profile,metric,better,unit,design_a,design_b,... */
    char want[128];
    snprintf(want, sizeof want, "\nlow,%s,%s,%s,refactored-hardened,hardened-capped,",
             results_metrics[0].name, paired_direction_name(paired_metric_direction(0)),
             results_metrics[0].unit);
    if (strncmp(row, want, strlen(want)) != 0) {
        fail_msg("compare.csv row 1: got '%.100s', expected it to start with '%s'", row + 1,
                 want + 1);
    }
    free(text);
    static const char *const files[] = {"compare.csv", "compare.png", "compare_change.png"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(csv, sizeof csv, "%s/%s", out, files[i]);
        assert_int_equal(unlink(csv), 0);
    }
    assert_int_equal(rmdir(out), 0);
    assert_int_equal(unlink(yaml), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void bad_input(void **state)
{
    (void)state;
    struct sim_err err;
    struct vary v;
    static const char *const bad[] = {"upstream.max_conns=1:8:0", "upstream.max_conns=a,b",
                                      "upstream.max_conns=8:1:1", "upstream.max_conns=1:8",
                                      "noequals", "k=1:8:x1", "k=10zz,20zz",
                                      "k=10ms,5MiB", "k=1ms:5MiB:1ms"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_err_clear(&err);
        assert_int_equal(vary_parse("--vary", bad[i], false, &v, &err), SIM_EINVAL);
        printf("  %s\n", err.msg);
        assert_non_null(strstr(err.msg, bad[i]));
    }
    /* A list takes every value the key takes, 'unlimited' too (it read "bad value"); the
     * loader checks it against the key. */
    sim_err_clear(&err);
    assert_int_equal(vary_parse("--vary", "upstream.max_conns=4,16,unlimited", false, &v, &err), 0);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.text[2], "unlimited");
    assert_true(isinf(v.base[2]) && v.base[0] == 4.0 && v.base[1] == 16.0);
    {
        char a[3][64];
        const char *as[3];
        for (size_t i = 0; i < 3; i++) {
            vary_assignment(&v, i, a[i], sizeof a[i]);
            as[i] = a[i];
        }
        assert_int_equal(xpsetup_check_vary("sweep", "low", NULL, 0, as, 3), 0);
        const char *connect[] = {"upstream.connect=unlimited"};
        assert_int_equal(xpsetup_check_vary("sweep", "low", NULL, 0, connect, 1), 2);
    }
    vary_fini(&v);
    assert_int_equal(vary_parse("--vary", "k=4,lots", false, &v, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "bad value 'lots' (expected numbers separated by commas, e.g. "
                                    "1,2,4,8 or 10ms,50ms, and 'unlimited' where the key takes it)"));
    /* A range's unit written once applies to the parts without one (it read "units differ
     * ... that of lo ''"); units on several parts must be of one kind. */
    static const char *const once[] = {"k=10:100:10ms", "k=10ms:100:10", "k=10:100ms:10",
                                       "k=10ms:100ms:10ms", "k=10ms:0.1s:10ms"};
    for (size_t i = 0; i < sizeof once / sizeof once[0]; i++) {
        sim_err_clear(&err);
        if (vary_parse("--vary", once[i], false, &v, &err) != 0) {
            fail_msg("%s: %s", once[i], err.msg);
        }
        assert_int_equal(v.n, 10);
        assert_string_equal(v.text[0], "10ms");
        assert_string_equal(v.text[9], "100ms");
        assert_true(v.base[9] == 0.1);
        vary_fini(&v);
    }
    assert_int_equal(vary_parse("--vary", "k=10:100:10MiB", false, &v, &err), 0);
    assert_true(v.base[0] == 10.0 * 1048576.0);
    vary_fini(&v);
    assert_int_equal(vary_parse("--vary", "k=1ms:5MiB:1ms", false, &v, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "units differ (expected units of one kind on lo, hi and step, "
                                    "such as 10ms:1s:10ms, or one unit written once for all three, "
                                    "such as 10:100:10ms; a factor has none)"));
    sim_err_clear(&err);
    assert_int_equal(vary_parse("--vary", "k=0.1:0.3:0.1", false, &v, &err), 0);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.text[2], "0.3");
    vary_fini(&v);
    assert_int_equal(vary_parse("--vary", "k=10ms:40ms:x2", false, &v, &err), 0);
    assert_int_equal(v.n, 3);
    assert_true(fabs(v.base[2] - 0.04) < 1e-15);
    vary_fini(&v);
    /* Every unit a config accepts, read by the loader's own table (a new user's
     * MiB/s, µs and mixed-prefix ranges were refused): */
    assert_int_equal(vary_parse("--vary", "k=1MiB/s,2MiB/s", false, &v, &err), 0);
    CHECK_NEAR(v.base[1], 2.0 * 1048576.0, 0.0);
    assert_int_equal(vary_axis_unit(&v), AXIS_UNIT_BYTES_PER_S);
    vary_fini(&v);
    assert_int_equal(vary_parse("--vary", "k=250\xc2\xb5s,1ms", false, &v, &err), 0);
    CHECK_NEAR(v.base[0], 250e-6, 1e-18);
    assert_int_equal(vary_axis_unit(&v), AXIS_UNIT_S);
    vary_fini(&v);
    assert_int_equal(vary_parse("--vary", "k=250us:2ms:x2", false, &v, &err), 0);
    assert_int_equal(v.n, 4); /* 250, 500, 1000, 2000 us */
    assert_string_equal(v.text[3], "2000us");
    vary_fini(&v);
    struct capsearch_slo s[CAPSEARCH_MAX_SLO];
    size_t n;
    sim_err_clear(&err);
    assert_int_equal(capsearch_slo_parse("--slo", "latency_p99_s<=0.2,eror_rate<=0.001", s, &n, &err),
                     SIM_EINVAL);
    printf("  %s\n", err.msg);
    assert_non_null(strstr(err.msg, "unknown metric (got 'eror_rate'"));
    sim_err_clear(&err);
    assert_int_equal(capsearch_slo_parse("--slo", "latency_p99_s=0.2", s, &n, &err), SIM_EINVAL);
    assert_int_equal(capsearch_slo_parse("--slo", " latency_p99_s <= 0.2 , throughput_per_s>=100",
                                         s, &n, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(s[1].op, CAPSEARCH_GE);
    /* Bounds with the configs' units, read as the loader reads them (9ms is
     * 9 / 1000, a space may precede the unit) into the metric's base unit. */
    assert_int_equal(capsearch_slo_parse("--slo", "latency_p99_s<=9ms, memory_bytes_peak<=512MiB,"
                                         "throughput_per_s>=120/min,memory_growth_bytes_per_s<="
                                         "1KiB/s,memory_bytes_mean<=1.1 GiB ,latency_p50_s<=-0ms",
                                         s, &n, NULL), 0);
    assert_int_equal(n, 6);
    assert_true(s[0].bound == 9.0 / 1000.0);
    assert_true(s[1].bound == 536870912.0);
    assert_true(s[2].bound == 2.0);
    assert_true(s[3].bound == 1024.0);
    assert_true(s[4].bound == 1.1 * 1073741824.0);
    /* A share (unit 1) takes a percentage, as every table prints it. */
    assert_int_equal(capsearch_slo_parse("--slo", "error_rate<=1%,pool_wait_prob <= 0.5 %,"
                                         "buffer_pool_hit_rate>=99.5%", s, &n, NULL), 0);
    assert_int_equal(n, 3);
    assert_true(s[0].bound == 0.01);
    assert_true(s[1].bound == 0.005);
    assert_true(s[2].bound == 0.995);
    assert_int_equal(capsearch_slo_parse("--slo", "latency_p99_s<=9ms, memory_bytes_peak<=512MiB,"
                                         "throughput_per_s>=120/min,memory_growth_bytes_per_s<="
                                         "1KiB/s,memory_bytes_mean<=1.1 GiB ,latency_p50_s<=-0ms",
                                         s, &n, NULL), 0);
    char label[64];
    const char *shown[] = {"latency_p99_s<=0.009", "memory_bytes_peak<=536870912",
                           "throughput_per_s>=2", "memory_growth_bytes_per_s<=1024",
                           "memory_bytes_mean<=1181116006.4", "latency_p50_s<=0"};
    for (size_t i = 0; i < n; i++) {
        capsearch_slo_format(&s[i], label, sizeof label);
        assert_string_equal(label, shown[i]);
    }
    /* Wrong kind, unknown unit, or not a number as the configs write one. */
    const char *slo_bad[][2] = {
        {"latency_p99_s<=200MiB", "'200MiB' does not fit latency_p99_s (expected a time"},
        {"error_rate<=1ms", "'1ms' does not fit error_rate (expected a plain number)"},
        {"latency_p99_s<=2fortnights", "expected a number after latency_p99_s<=, in a time"},
        {"latency_p99_s<=5..ms", "(got '5..ms')"},
        {"latency_p99_s<=5.5.5ms", "(got '5.5.5ms')"},
        {"latency_p99_s<=0x10ms", "(got '0x10ms')"},
        {"latency_p99_s<=", "expected a number after latency_p99_s<="},
        {"latency_p99_s<=inf", "(got 'inf')"},
        {"latency_p99_s<=5%", "'5%' does not fit latency_p99_s (expected a time such as 0.2 or "
                              "200ms; a % bound is for a share such as error_rate)"},
        {"error_rate<=x%", "expected a number after error_rate<=, in a plain number or a "
                           "percentage (got 'x%')"},
        {"error_rate>=150%", "error_rate>=150% can never hold (expected a bound <= 1"},
    };
    for (size_t i = 0; i < sizeof slo_bad / sizeof slo_bad[0]; i++) {
        sim_err_clear(&err);
        assert_int_equal(capsearch_slo_parse("--slo", slo_bad[i][0], s, &n, &err), SIM_EINVAL);
        if (strstr(err.msg, slo_bad[i][1]) == NULL) {
            fail_msg("--slo %s: got \"%s\", expected \"%s\" in it", slo_bad[i][0], err.msg,
                     slo_bad[i][1]);
        }
    }
    /* The units table itself: a suffix that would continue the number is no unit. */
    double f;
    int fam;
    assert_true(config_unit_factor("ms", &f, &fam) && f == 0.001 && fam == 1);
    assert_false(config_unit_factor(".5ms", &f, &fam));
    assert_false(config_unit_factor("e3", &f, &fam));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_input),
        cmocka_unit_test(compare_identical),
        cmocka_unit_test(compare_larger_pool),
        cmocka_unit_test(compare_one_sided),
        cmocka_unit_test(clip_to_range),
        cmocka_unit_test(design_file),
        cmocka_unit_test(plan_erlang_c),
        cmocka_unit_test(plan_pool_timeout),
        cmocka_unit_test(sweep_rows),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    /* The sweep drew charts: drop cairo's and fontconfig's process-wide font
     * caches so LeakSanitizer reports only our own leaks (as test_chart does). */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}
