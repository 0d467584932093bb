/* SPDX-License-Identifier: MIT
 *
 * sweep.c - `proxysim sweep SCENARIO --vary KEY=LIST [--vary KEY2=LIST]`:
 * every metric, with its CI, at every point of a grid of config values.
 *
 *   proxysim sweep SCENARIO --vary KEY=LIST [--vary KEY2=LIST] [--reps N]
 *                  [--seed S] [--threads T] [--set k=v]... [--out DIR] [--quiet]
 *
 * Points are the cartesian product, the first key outermost; each point is
 * the scenario loaded afresh with KEY=value applied after the --set
 * overrides (so units and range checks are the loader's).  Every point runs
 * replications 0..N-1 on one master seed, so neighbouring points see the
 * same traffic and the curve is smoother than independent runs would make
 * it.  All (point x replication) trials go to the executor at once: threads
 * or MPI ranks take them dynamically.
 *
 * sweep.csv is tidy: one row per point x metric, in point order then
 * results_metrics[] order, the key values in base units, mean, ci_low,
 * ci_high, n and unit, numbers at full precision.  It depends only on the
 * inputs and the seed (not on --threads or ranks); the terminal table adds
 * the wall time.  Charts: lines with CI bands over one key, heatmaps over two.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/vary.h"
#include "cli/xpsetup.h"
#include "models/config.h"
#include "models/results.h"
#include "models/trials.h"
#include "plots/chart.h"
#include "plots/outfile.h"
#include "sim/check.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE = "SCENARIO --vary KEY=LIST [--vary KEY2=LIST] [--reps N] [--seed S] "
                           "[--threads T] [--set k=v]... [--out DIR] [--quiet]\n"
                           "  LIST: 1,2,4,8 | lo:hi:step | lo:hi:xFACTOR (units as in configs: "
                           "10ms:100ms:10ms)";
static const char *HELP =
    "\nEvery metric with its CI at each point of a grid of one or two numeric keys.\n"
    "  --vary KEY=LIST    the key and its values (at most two --vary: a grid)\n"
    "  --reps N           replications per point (default: the scenario's run.reps, >= 2)\n"
    XPSETUP_FLAGS_HELP
    "  --out DIR          also write DIR/sweep.csv and charts\n"
    "  --quiet            no progress line\n";

#define MAX_VARY 2

static const int table_metrics[] = {RM_LATENCY_P50_S, RM_LATENCY_P99_S, RM_ERROR_RATE,
                                    RM_THROUGHPUT_PER_S, RM_MEMORY_BYTES_PEAK};
#define N_TABLE_METRICS (sizeof table_metrics / sizeof table_metrics[0])

struct sweep {
    struct vary v[MAX_VARY];
    size_t n_vary, n_points;
    unsigned reps;
    uint64_t seed;
    double conf;
    const char *scenario;
    struct sim_ci *ci; /* n_points x RM_N */
};

/* Two spellings of one key: with and without its kind's prefix. */
static bool same_key(const char *a, const char *b)
{
    static const char *const prefixes[] = {"profile.", "design.", "scenario."};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        a += strncmp(a, prefixes[i], n) == 0 ? n : 0;
        b += strncmp(b, prefixes[i], n) == 0 ? n : 0;
    }
    return strcmp(a, b) == 0;
}

/* Point index -> value index of key j (first key outermost). */
static size_t coord(const struct sweep *sw, size_t point, size_t j)
{
    size_t inner = 1;
    for (size_t k = j + 1; k < sw->n_vary; k++) {
        inner *= sw->v[k].n;
    }
    return (point / inner) % sw->v[j].n;
}

static int write_csv(const struct sweep *sw, const char *path)
{
    struct outfile of; /* complete or not at all */
    struct sim_err err;
    sim_err_clear(&err);
    if (outfile_open(&of, path, &err) != SIM_OK) {
        return -1;
    }
    FILE *f = of.fp;
    for (size_t j = 0; j < sw->n_vary; j++) {
        fprintf(f, "%s,", sw->v[j].key);
    }
    fprintf(f, "metric,mean,ci_low,ci_high,n,unit\n");
    for (size_t p = 0; p < sw->n_points; p++) {
        char keys[256] = "";
        for (size_t j = 0; j < sw->n_vary; j++) {
            char b[40];
            xpsetup_num(b, sizeof b, sw->v[j].base[coord(sw, p, j)]);
            size_t used = strlen(keys);
            snprintf(keys + used, sizeof keys - used, "%s,", b);
        }
        for (int m = 0; m < RM_N; m++) {
            const struct sim_ci *ci = &sw->ci[p * RM_N + (size_t)m];
            char mu[40], lo[40], hi[40];
            xpsetup_num(mu, sizeof mu, ci->mean);
            xpsetup_num(lo, sizeof lo, isnan(ci->half) ? NAN : ci->lo);
            xpsetup_num(hi, sizeof hi, isnan(ci->half) ? NAN : ci->hi);
            fprintf(f, "%s%s,%s,%s,%s,%zu,%s\n", keys, results_metrics[m].name, mu, lo, hi, ci->n,
                    results_metrics[m].unit);
        }
    }
    return outfile_commit(&of, &err) == SIM_OK ? 0 : -1;
}

static int line_chart(const struct sweep *sw, const char *dir, const char *file, const char *title,
                      const int *metrics, size_t n_m, struct sim_err *err)
{
    size_t n = sw->n_points;
    double *buf = sim_xcalloc(n * 3 * n_m, sizeof *buf);
    struct plot_series series[4];
    for (size_t k = 0; k < n_m; k++) {
        double *y = buf + k * 3 * n, *lo = y + n, *hi = lo + n;
        for (size_t p = 0; p < n; p++) {
            const struct sim_ci *ci = &sw->ci[p * RM_N + (size_t)metrics[k]];
            y[p] = ci->mean;
            lo[p] = isnan(ci->half) ? ci->mean : ci->lo;
            hi[p] = isnan(ci->half) ? ci->mean : ci->hi;
        }
        series[k] = (struct plot_series){.label = results_metrics[metrics[k]].name,
                                         .x = sw->v[0].base, .y = y, .lo = lo, .hi = hi, .n = n};
    }
    char sub[256];
    snprintf(sub, sizeof sub, "%s, %u replications per point, master seed %" PRIu64 ", 95%% CI bands",
             sw->scenario, sw->reps, sw->seed);
    struct chart_opts o = {.title = title, .subtitle = sub, .x_label = sw->v[0].key,
                           .x_unit = vary_axis_unit(&sw->v[0]),
                           .y_unit = axis_unit_of(results_metrics[metrics[0]].unit),
                           .x_log = sw->v[0].is_range && sw->v[0].step == 0.0 && sw->v[0].n > 2,
                           .y_label = n_m == 1 ? results_metrics[metrics[0]].name : NULL};
    char *path = xpsetup_path(dir, file);
    int rc = chart_sweep(&o, series, n_m, path, err);
    free(path);
    free(buf);
    return rc;
}

static int heatmap(const struct sweep *sw, const char *dir, int m, struct sim_err *err)
{
    double *z = sim_xcalloc(sw->n_points, sizeof *z);
    for (size_t p = 0; p < sw->n_points; p++) {
        z[p] = sw->ci[p * RM_N + (size_t)m].mean;
    }
    /* Point p = i1 * n2 + i2 is z[iy * nx + ix] with x the second key. */
    struct plot_grid g = {.nx = sw->v[1].n, .ny = sw->v[0].n, .x = sw->v[1].base,
                          .y = sw->v[0].base, .z = z, .z_label = results_metrics[m].name,
                          .z_unit = axis_unit_of(results_metrics[m].unit)};
    char title[400], sub[512], file[96];
    snprintf(title, sizeof title, "%s over %s and %s", results_metrics[m].name, sw->v[0].key,
             sw->v[1].key);
    snprintf(sub, sizeof sub, "%s, mean of %u replications per point, master seed %" PRIu64,
             sw->scenario, sw->reps, sw->seed);
    snprintf(file, sizeof file, "heatmap_%s.png", results_metrics[m].name);
    struct chart_opts o = {.title = title, .subtitle = sub, .x_label = sw->v[1].key,
                           .y_label = sw->v[0].key, .x_unit = vary_axis_unit(&sw->v[1]),
                           .y_unit = vary_axis_unit(&sw->v[0])};
    char *path = xpsetup_path(dir, file);
    int rc = chart_heatmap(&o, &g, path, err);
    free(path);
    free(z);
    return rc;
}

static void write_charts(const struct sweep *sw, const char *dir)
{
    struct sim_err err;
    sim_err_clear(&err);
    int rc = 0;
    if (sw->n_vary == 1) {
        for (size_t i = 0; i < sw->v[0].n; i++) {
            if (isinf(sw->v[0].base[i])) {
                fprintf(stderr, "proxysim sweep: note: %s=%s is in the table and sweep.csv (as "
                        "inf), not on the line charts (a numeric axis has no place for it)\n",
                        sw->v[0].key, sw->v[0].text[i]);
            }
        }
        static const int lat[] = {RM_LATENCY_P50_S, RM_LATENCY_P90_S, RM_LATENCY_P99_S};
        static const int errs[] = {RM_ERROR_RATE};
        static const int mem[] = {RM_MEMORY_BYTES_PEAK, RM_MEMORY_BYTES_MEAN};
        static const int thr[] = {RM_THROUGHPUT_PER_S};
        char t[256];
        snprintf(t, sizeof t, "Latency over %s", sw->v[0].key);
        rc |= line_chart(sw, dir, "sweep_latency.png", t, lat, 3, &err);
        snprintf(t, sizeof t, "Error rate over %s", sw->v[0].key);
        rc |= line_chart(sw, dir, "sweep_errors.png", t, errs, 1, &err);
        snprintf(t, sizeof t, "Memory over %s", sw->v[0].key);
        rc |= line_chart(sw, dir, "sweep_memory.png", t, mem, 2, &err);
        snprintf(t, sizeof t, "Throughput over %s", sw->v[0].key);
        rc |= line_chart(sw, dir, "sweep_throughput.png", t, thr, 1, &err);
    } else {
        rc |= heatmap(sw, dir, RM_LATENCY_P99_S, &err);
        rc |= heatmap(sw, dir, RM_ERROR_RATE, &err);
        rc |= heatmap(sw, dir, RM_MEMORY_BYTES_PEAK, &err);
    }
    if (rc) {
        fprintf(stderr, "proxysim sweep: chart: %s\n", err.msg);
    }
}

static void print_table(const struct sweep *sw, const struct xpsetup *x, double wall_s)
{
    char wb[48];
    printf("sweep %s  master seed %" PRIu64 "  %zu points x %u replications  confidence %.0f%%  "
           "%s  wall %.1f s\n",
           sw->scenario, sw->seed, sw->n_points, sw->reps, 100 * sw->conf,
           xpsetup_workers(x, wb, sizeof wb), wall_s);
    int kw[MAX_VARY]; /* a key's column fits its name and its values */
    for (size_t j = 0; j < sw->n_vary; j++) {
        kw[j] = (int)strlen(sw->v[j].key);
        for (size_t i = 0; i < sw->v[j].n; i++) {
            int len = (int)strlen(sw->v[j].text[i]);
            kw[j] = len > kw[j] ? len : kw[j];
        }
        printf("%-*s ", kw[j], sw->v[j].key);
    }
    for (size_t k = 0; k < N_TABLE_METRICS; k++) {
        printf("%-28s", results_metrics[table_metrics[k]].name);
    }
    printf("\n");
    for (size_t p = 0; p < sw->n_points; p++) {
        for (size_t j = 0; j < sw->n_vary; j++) {
            printf("%-*s ", kw[j], sw->v[j].text[coord(sw, p, j)]);
        }
        for (size_t k = 0; k < N_TABLE_METRICS; k++) {
            int m = table_metrics[k];
            char b[64];
            axis_format_ci(&sw->ci[p * RM_N + (size_t)m], axis_unit_of(results_metrics[m].unit), b,
                           sizeof b);
            printf("%-28s", b);
        }
        printf("\n");
    }
}

int cli_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vary", required_argument, NULL, 'v'},    {"reps", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},    {"threads", required_argument, NULL, 't'},
        {"set", required_argument, NULL, 'S'},     {"out", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct sweep sw = {0};
    struct xpsetup_flags fl = {0};
    int ch, rc = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'v': {
            if (sw.n_vary == MAX_VARY) {
                fprintf(stderr, "proxysim sweep: --vary '%s': at most %d keys (expected one or two "
                        "--vary)\n", optarg, MAX_VARY);
                rc = 2;
                break;
            }
            struct sim_err err;
            sim_err_clear(&err);
            if (vary_parse("--vary", optarg, false, &sw.v[sw.n_vary], &err) != SIM_OK) {
                fprintf(stderr, "proxysim sweep: %s\n", err.msg);
                rc = 2;
            } else if (sw.n_vary == 1 && same_key(sw.v[0].key, sw.v[1].key)) {
                /* The second would win at every point: a grid of repeated rows. */
                fprintf(stderr, "proxysim sweep: --vary '%s': %s is varied twice (expected two "
                        "different keys)\n", optarg, sw.v[1].key);
                vary_fini(&sw.v[1]);
                rc = 2;
            } else {
                sw.n_vary++;
            }
            break;
        }
        case 'h': printf("usage: proxysim sweep %s\n%s", USAGE, HELP); goto done;
        default:
            rc = xpsetup_flag("sweep", ch, optarg, 2, 100000, &fl);
            if (rc < 0) {
                rc = args_bad_option("sweep", argc, argv, opts);
            }
        }
        if (rc) {
            goto done;
        }
    }
    if (argc - optind != 1 || sw.n_vary == 0) {
        if (argc - optind == 1) {
            rc = args_usage_error("sweep", "--vary KEY=LIST is required");
        } else {
            rc = args_usage_error("sweep", "expected one SCENARIO, got %d", argc - optind);
        }
        goto done;
    }
    sw.scenario = argv[optind];
    sw.n_points = 1;
    for (size_t j = 0; j < sw.n_vary; j++) {
        sw.n_points *= sw.v[j].n;
    }
    if (sw.n_points > 100000) {
        fprintf(stderr, "proxysim sweep: --vary: %zu points (expected at most 100000)\n",
                sw.n_points);
        rc = 2;
        goto done;
    }
    struct xpsetup x;
    rc = xpsetup_open(&x, "sweep", (unsigned)fl.threads);
    if (rc) {
        goto done;
    }
    {
        /* Each key at its first and last value (a list: at every value, such as an
         * 'unlimited' the key may not take), so a bad key or value is named as a --vary
         * error before any point is built. */
        size_t n_chk = 0;
        for (size_t j = 0; j < sw.n_vary; j++) {
            n_chk += sw.v[j].is_range ? 2 : sw.v[j].n;
        }
        char (*chk)[256] = sim_xcalloc(n_chk, sizeof *chk);
        const char **chkp = sim_xcalloc(n_chk, sizeof *chkp);
        size_t k = 0;
        for (size_t j = 0; j < sw.n_vary; j++) {
            size_t n = sw.v[j].n;
            for (size_t i = 0; i < (sw.v[j].is_range ? 2 : n); i++) {
                size_t at = sw.v[j].is_range && i == 1 ? n - 1 : i;
                vary_assignment(&sw.v[j], at, chk[k], sizeof chk[k]);
                chkp[k] = chk[k];
                k++;
            }
        }
        rc = xpsetup_check_vary("sweep", sw.scenario, fl.sets, fl.n_sets, chkp, n_chk);
        free(chkp);
        free(chk);
    }
    if (rc == 0 && fl.out_dir && x.exec.is_root) {
        rc = args_out_dir("sweep", fl.out_dir); /* before the points load: that takes a while */
    }
    struct experiment *pts = sim_xcalloc(sw.n_points, sizeof *pts);
    size_t n_loaded = 0;
    /* Each point is a config load (a few ms): a large grid takes minutes. */
    struct progress setup;
    progress_init(&setup, "sweep", "points set up", fl.quiet || !x.exec.is_root);
    for (size_t p = 0; p < sw.n_points && rc == 0; p++) {
        progress_update(&setup, p, sw.n_points);
        char assign[MAX_VARY][256];
        const char *extra[MAX_VARY];
        for (size_t j = 0; j < sw.n_vary; j++) {
            vary_assignment(&sw.v[j], coord(&sw, p, j), assign[j], sizeof assign[j]);
            extra[j] = assign[j];
        }
        rc = xpsetup_load("sweep", sw.scenario, fl.sets, fl.n_sets, extra, sw.n_vary, &pts[p]);
        n_loaded += rc == 0;
    }
    progress_finish(&setup);
    if (rc == 0) {
        xpsetup_pair_points(&x, &fl, pts, sw.n_points, &sw.seed, &sw.reps, &sw.conf);
    }
    if (rc == 0) {
        struct trials_out *res = sim_xcalloc(sw.n_points * sw.reps, sizeof *res);
        double wall;
        size_t failed = xpsetup_run_points(&x, pts, sw.n_points, sw.reps, fl.quiet, res, &wall);
        sw.ci = sim_xcalloc(sw.n_points * RM_N, sizeof *sw.ci);
        double *col = sim_xcalloc(sw.reps, sizeof *col);
        for (size_t p = 0; p < sw.n_points; p++) {
            for (int m = 0; m < RM_N; m++) {
                trials_metric_column(res, p, sw.reps, m, col);
                sw.ci[p * RM_N + (size_t)m] = sim_ci_compute(col, sw.reps, sw.conf);
                results_clip_ci(results_metrics[m].unit, &sw.ci[p * RM_N + (size_t)m]);
            }
        }
        free(col);
        if (x.exec.is_root) {
            print_table(&sw, &x, wall);
            if (fl.out_dir) {
                char *path = xpsetup_path(fl.out_dir, "sweep.csv");
                if (write_csv(&sw, path) != 0) {
                    fprintf(stderr, "proxysim sweep: writing %s failed\n", path);
                    rc = 2;
                }
                free(path);
                write_charts(&sw, fl.out_dir);
            }
        }
        if (rc == 0 && failed) {
            rc = 1;
        }
        free(sw.ci);
        free(res);
    }
    for (size_t i = 0; i < n_loaded; i++) {
        config_free_experiment(&pts[i]);
    }
    free(pts);
    xpsetup_close(&x);
done:
    for (size_t j = 0; j < sw.n_vary; j++) {
        vary_fini(&sw.v[j]);
    }
    return rc;
}
