/* SPDX-License-Identifier: MIT
 *
 * compare.c - `proxysim compare DESIGN_A DESIGN_B`: the two designs on the
 * same traffic, replication by replication.
 *
 *   proxysim compare A B [--profiles p1,p2] [--reps N] [--seed S] [--threads T]
 *                    [--set k=v]... [--out DIR] [--quiet]
 *
 * For each profile, points (profile, A) and (profile, B) run replications
 * 0..N-1 on one master seed: replication r of A and of B draw the same
 * arrivals, sizes and service times (common random numbers), so the paired
 * difference b_r - a_r carries only what the designs change.  Per metric the
 * table gives A, B, the paired difference with its CI, the relative change,
 * a verdict in the metric's direction, and how much narrower the paired CI
 * is than the unpaired (Welch) one.  --out writes compare.csv (one row per
 * profile x metric, full precision, base units) and two charts.  The output
 * files depend only on the inputs and the seed, never on --threads or ranks.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/xpsetup.h"
#include "models/config.h"
#include "models/paired.h"
#include "models/results.h"
#include "models/trials.h"
#include "plots/axis.h"
#include "plots/chart.h"
#include "plots/outfile.h"
#include "sim/check.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE = "DESIGN_A DESIGN_B [--profiles p1,p2] [--reps N] [--seed S] "
                           "[--threads T] [--set k=v]... [--out DIR] [--quiet]";
static const char *HELP =
    "\nTwo designs on the same traffic, with common random numbers: per profile and\n"
    "metric A, B, the paired difference B - A with its 95% CI, and a verdict.\n"
    "  --profiles p1,p2   profiles to compare on (default medium; at most 16)\n"
    "  --reps N           paired replications (default 10)\n"
    XPSETUP_FLAGS_HELP
    "  --out DIR          also write DIR/compare.csv and charts\n"
    "  --quiet            no progress line\n";

#define MAX_PROFILES 16

static void fmt_ratio(char *buf, size_t size, double r)
{
    if (isnan(r)) {
        snprintf(buf, size, "-");
    } else if (isinf(r)) {
        snprintf(buf, size, "exact");
    } else if (r > 1000.0) {
        /* Past this the paired half-width is rounding noise of a constant difference. */
        snprintf(buf, size, ">1000x");
    } else {
        snprintf(buf, size, "%.1fx", r);
    }
}

static int split_list(const char *cmd, const char *flag, char *text, const char **out, size_t max,
                      size_t *n)
{
    *n = 0;
    for (char *tok = strtok(text, ","); tok; tok = strtok(NULL, ",")) {
        if (*n == max) {
            fprintf(stderr, "proxysim %s: %s: too many entries (expected at most %zu)\n", cmd, flag,
                    max);
            return 2;
        }
        for (size_t i = 0; i < *n; i++) {
            if (strcmp(out[i], tok) == 0) { /* it would only repeat the same rows */
                fprintf(stderr, "proxysim %s: %s: '%s' is named twice (expected each once)\n", cmd,
                        flag, tok);
                return 2;
            }
        }
        out[(*n)++] = tok;
    }
    if (*n == 0) {
        fprintf(stderr, "proxysim %s: %s: expected a comma-separated list (got '')\n", cmd, flag);
        return 2;
    }
    return 0;
}

struct cmp_run {
    size_t n_prof;
    const char *prof[MAX_PROFILES];
    const char *design_a, *design_b;
    unsigned reps;
    uint64_t seed;
    double conf;
    struct trials_out *out; /* (2 * n_prof) points x reps */
    struct paired_result *res; /* n_prof x RM_N */
};

static int write_csv(const struct cmp_run *c, const char *path)
{
    struct outfile of; /* complete or not at all */
    struct sim_err err;
    sim_err_clear(&err);
    if (outfile_open(&of, path, &err) != SIM_OK) {
        return -1;
    }
    FILE *f = of.fp;
    fprintf(f, "profile,metric,better,unit,design_a,design_b,n,seed,a_mean,a_ci_low,a_ci_high,"
               "b_mean,b_ci_low,b_ci_high,diff_mean,diff_ci_low,diff_ci_high,welch_ci_low,"
               "welch_ci_high,width_ratio,rel_change,verdict\n");
    for (size_t p = 0; p < c->n_prof; p++) {
        for (int m = 0; m < RM_N; m++) {
            const struct paired_result *r = &c->res[p * RM_N + (size_t)m];
            double v[14] = {r->a.mean,    r->a.lo,     r->a.hi,     r->b.mean,   r->b.lo,
                            r->b.hi,      r->diff.mean, r->diff.lo, r->diff.hi,  r->welch.lo,
                            r->welch.hi,  r->width_ratio, r->rel_change, 0};
            fprintf(f, "%s,%s,%s,%s,%s,%s,%zu,%" PRIu64, c->prof[p], results_metrics[m].name,
                    paired_direction_name(paired_metric_direction(m)), results_metrics[m].unit,
                    c->design_a, c->design_b, r->diff.n, c->seed);
            for (int k = 0; k < 13; k++) {
                char b[40];
                if (isinf(v[k])) {
                    snprintf(b, sizeof b, "inf");
                } else {
                    xpsetup_num(b, sizeof b, v[k]);
                }
                fprintf(f, ",%s", b);
            }
            fprintf(f, ",%s\n", paired_verdict_name(r->verdict));
        }
    }
    return outfile_commit(&of, &err) == SIM_OK ? 0 : -1;
}

static const int chart_metrics[] = {
    RM_LATENCY_P50_S,   RM_LATENCY_P99_S,  RM_ERROR_RATE,       RM_THROUGHPUT_PER_S,
    RM_MEMORY_BYTES_PEAK, RM_TASKS_LIVE_PEAK, RM_UPSTREAM_CONNS_PEAK, RM_POOL_WAIT_P99_S,
};
#define N_CHART_METRICS (sizeof chart_metrics / sizeof chart_metrics[0])

static int write_charts(const struct cmp_run *c, const char *dir, struct sim_err *err)
{
    const char *series[2] = {c->design_a, c->design_b};
    struct plot_panel panels[N_CHART_METRICS];
    size_t ng = c->n_prof;
    double *mean = sim_xcalloc(N_CHART_METRICS * ng * 2 * 3, sizeof *mean);
    for (size_t k = 0; k < N_CHART_METRICS; k++) {
        int m = chart_metrics[k];
        double *mu = mean + k * ng * 6, *lo = mu + ng * 2, *hi = lo + ng * 2;
        for (size_t p = 0; p < ng; p++) {
            const struct paired_result *r = &c->res[p * RM_N + (size_t)m];
            mu[p * 2] = r->a.mean, lo[p * 2] = r->a.lo, hi[p * 2] = r->a.hi;
            mu[p * 2 + 1] = r->b.mean, lo[p * 2 + 1] = r->b.lo, hi[p * 2 + 1] = r->b.hi;
        }
        panels[k] = (struct plot_panel){
            .title = results_metrics[m].name,
            .unit = axis_unit_of(results_metrics[m].unit),
            .bars = {.n_groups = ng, .n_series = 2, .group_labels = c->prof,
                     .series_labels = series, .mean = mu, .lo = lo, .hi = hi}};
    }
    char sub[256];
    snprintf(sub, sizeof sub, "%u paired replications per profile, master seed %" PRIu64
             ", 95%% CI whiskers", c->reps, c->seed);
    char title[200];
    snprintf(title, sizeof title, "%s vs %s", c->design_a, c->design_b);
    struct chart_opts o = {.title = title, .subtitle = sub, .legend_title = "design"};
    char *path = xpsetup_path(dir, "compare.png");
    int rc = chart_small_multiples(&o, panels, N_CHART_METRICS, 0, path, err);
    free(path);
    /* Relative change B vs A with the paired CI, one bar per profile. */
    double *rm = sim_xcalloc(N_CHART_METRICS * ng * 3, sizeof *rm);
    const char *glabels[N_CHART_METRICS];
    for (size_t k = 0; k < N_CHART_METRICS; k++) {
        int m = chart_metrics[k];
        glabels[k] = results_metrics[m].name;
        for (size_t p = 0; p < ng; p++) {
            const struct paired_result *r = &c->res[p * RM_N + (size_t)m];
            double a = fabs(r->a.mean);
            size_t i = k * ng + p;
            rm[i] = a > 0 ? r->diff.mean / a : NAN;
            rm[N_CHART_METRICS * ng + i] = a > 0 ? r->diff.lo / a : NAN;
            rm[2 * N_CHART_METRICS * ng + i] = a > 0 ? r->diff.hi / a : NAN;
        }
    }
    struct plot_bars bars = {.n_groups = N_CHART_METRICS, .n_series = ng,
                             .group_labels = glabels, .series_labels = c->prof, .mean = rm,
                             .lo = rm + N_CHART_METRICS * ng, .hi = rm + 2 * N_CHART_METRICS * ng};
    snprintf(title, sizeof title, "%s relative to %s (paired, 95%% CI)", c->design_b, c->design_a);
    struct chart_opts o2 = {.title = title, .subtitle = sub, .y_unit = AXIS_UNIT_FRACTION,
                            .y_label = "change of B vs A", .legend_title = "profile"};
    path = xpsetup_path(dir, "compare_change.png");
    int rc2 = chart_bars(&o2, &bars, path, err);
    free(path);
    free(rm);
    free(mean);
    return rc ? rc : rc2;
}

static void print_tables(const struct cmp_run *c, const struct xpsetup *x, double wall_s)
{
    char wb[48];
    int w = results_metric_name_width();
    printf("compare  A = %s  B = %s  master seed %" PRIu64 "  %u paired replications  "
           "confidence %.0f%%  %s  wall %.1f s\n",
           c->design_a, c->design_b, c->seed, c->reps, 100 * c->conf,
           xpsetup_workers(x, wb, sizeof wb), wall_s);
    for (size_t p = 0; p < c->n_prof; p++) {
        printf("\nprofile %s\n", c->prof[p]);
        printf("%-*s %-6s %-26s %-26s %-30s %8s  %-12s %s\n", w, "metric", "better", "A", "B",
               "B - A (paired CI)", "change", "verdict", "CI paired vs unpaired");
        double lat_ratio = NAN;
        double ratios[RM_N];
        size_t nr = 0;
        for (int m = 0; m < RM_N; m++) {
            const struct paired_result *r = &c->res[p * RM_N + (size_t)m];
            if (results_metric_is_refusal_part(m) && r->a.mean == 0.0 && r->b.mean == 0.0) {
                continue; /* a limit that refused nothing in either design (the CSV keeps it) */
            }
            enum axis_unit u = axis_unit_of(results_metrics[m].unit);
            char a[64], b[64], d[64], ch[32], wr[16];
            /* A and B in one prefix, so the eye compares numbers, not units */
            double ref = axis_shared_ref(fmin(fabs(r->a.mean), fabs(r->b.mean)),
                                         fmax(axis_ci_extent(&r->a), axis_ci_extent(&r->b)), u);
            axis_format_ci_as(&r->a, ref, u, a, sizeof a);
            axis_format_ci_as(&r->b, ref, u, b, sizeof b);
            axis_format_ci(&r->diff, u, d, sizeof d);
            if (isnan(r->rel_change)) {
                snprintf(ch, sizeof ch, "-");
            } else {
                snprintf(ch, sizeof ch, "%+.1f%%", 100 * r->rel_change);
            }
            fmt_ratio(wr, sizeof wr, r->width_ratio);
            printf("%-*s %-6s %-26s %-26s %-30s %8s  %-12s %s\n", w, results_metrics[m].name,
                   paired_direction_name(paired_metric_direction(m)), a, b, d, ch,
                   r->verdict == PAIRED_NO_DIFFERENCE ? "no sig. diff"
                                                      : paired_verdict_name(r->verdict),
                   wr);
            if (isfinite(r->width_ratio)) {
                ratios[nr++] = r->width_ratio;
            }
            if (m == RM_LATENCY_P99_S) {
                lat_ratio = r->width_ratio;
            }
        }
        /* Median by insertion sort: RM_N is small. */
        for (size_t i = 1; i < nr; i++) {
            for (size_t j = i; j > 0 && ratios[j - 1] > ratios[j]; j--) {
                double t = ratios[j];
                ratios[j] = ratios[j - 1];
                ratios[j - 1] = t;
            }
        }
        char lr[16];
        fmt_ratio(lr, sizeof lr, lat_ratio);
        if (nr) {
            double med = nr % 2 ? ratios[nr / 2] : 0.5 * (ratios[nr / 2 - 1] + ratios[nr / 2]);
            /* Welch width / paired width; the replications scale with its square */
            printf("pairing: the unpaired (Welch) CI is %.1fx as wide as the paired CI in the "
                   "median metric (%zu metrics), %s for latency_p99_s; ",
                   med, nr, lr);
            if (med > 1.05) {
                printf("the same precision unpaired would need about %.*fx the replications\n",
                       med * med < 10 ? 1 : 0, med * med);
            } else {
                printf("pairing did not narrow the CIs here\n");
            }
        }
    }
}

int cli_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"profiles", required_argument, NULL, 'p'}, {"reps", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},     {"threads", required_argument, NULL, 't'},
        {"set", required_argument, NULL, 'S'},      {"out", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *profiles_text = NULL;
    struct xpsetup_flags fl = {0};
    int ch, rc = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'p': profiles_text = optarg; break;
        case 'h': printf("usage: proxysim compare %s\n%s", USAGE, HELP); return 0;
        default:
            rc = xpsetup_flag("compare", ch, optarg, 2, 100000, &fl);
            if (rc < 0) {
                return args_bad_option("compare", argc, argv, opts);
            }
        }
        if (rc) {
            return rc;
        }
    }
    if (argc - optind != 2) {
        return args_usage_error("compare", "expected two designs, got %d", argc - optind);
    }
    if (strcmp(argv[optind], argv[optind + 1]) == 0) {
        /* with common random numbers a design against itself differs by exactly 0 */
        return args_usage_error("compare", "A and B are the same design ('%s'); name two designs",
                                argv[optind]);
    }
    if (args_refuse_swaps("compare", fl.sets, fl.n_sets) != 0) {
        return 2;
    }
    struct cmp_run c = {.design_a = argv[optind], .design_b = argv[optind + 1]};
    char *ptext = strdup(profiles_text ? profiles_text : "medium");
    if (!ptext) {
        sim_oom(0);
    }
    rc = split_list("compare", "--profiles", ptext, c.prof, MAX_PROFILES, &c.n_prof);
    struct xpsetup x = {0};
    if (rc == 0) {
        rc = xpsetup_open(&x, "compare", (unsigned)fl.threads);
    }
    if (rc == 0 && fl.out_dir && x.exec.is_root) {
        rc = args_out_dir("compare", fl.out_dir);
    }
    size_t n_points = 2 * c.n_prof;
    struct experiment *pts = sim_xcalloc(n_points, sizeof *pts);
    size_t n_loaded = 0;
    for (size_t p = 0; rc == 0 && p < c.n_prof; p++) {
        char pd[2][320];
        snprintf(pd[0], sizeof pd[0], "%s:%s", c.prof[p], c.design_a);
        snprintf(pd[1], sizeof pd[1], "%s:%s", c.prof[p], c.design_b);
        for (int k = 0; k < 2 && rc == 0; k++) {
            rc = xpsetup_load("compare", pd[k], fl.sets, fl.n_sets, NULL, 0, &pts[2 * p + (size_t)k]);
            n_loaded += rc == 0;
        }
    }
    if (rc == 0) {
        /* Label the designs by their `name:` as report does: a file's path is
         * not a label ("my-capped.yaml" is hardened-capped).  Two files that
         * share a name keep their paths, the only thing that tells them apart. */
        if (strcmp(pts[0].design.name, pts[1].design.name) != 0) {
            c.design_a = pts[0].design.name;
            c.design_b = pts[1].design.name;
        }
        /* Profiles likewise: a file's label is its `name:`, unless another
         * profile of the run is labelled so already. */
        for (size_t p = 0; p < c.n_prof; p++) {
            const char *name = pts[2 * p].profile.name;
            bool taken = false;
            for (size_t q = 0; q < c.n_prof; q++) {
                taken = taken || (q != p && strcmp(c.prof[q], name) == 0);
            }
            if (!config_builtin_find(CONFIG_PROFILE, c.prof[p]) && !taken) {
                c.prof[p] = name;
            }
        }
        xpsetup_pair_points(&x, &fl, pts, n_points, &c.seed, &c.reps, &c.conf);
    }
    if (rc == 0) {
        c.out = sim_xcalloc(n_points * c.reps, sizeof *c.out);
        double wall;
        size_t failed = xpsetup_run_points(&x, pts, n_points, c.reps, fl.quiet, c.out, &wall);
        c.res = sim_xcalloc(c.n_prof * RM_N, sizeof *c.res);
        double *xa = sim_xcalloc(c.reps, sizeof *xa), *xb = sim_xcalloc(c.reps, sizeof *xb);
        for (size_t p = 0; p < c.n_prof; p++) {
            for (int m = 0; m < RM_N; m++) {
                trials_metric_column(c.out, 2 * p, c.reps, m, xa);
                trials_metric_column(c.out, 2 * p + 1, c.reps, m, xb);
                paired_compare(xa, xb, c.reps, c.conf, paired_metric_direction(m),
                               &c.res[p * RM_N + (size_t)m]);
                results_clip_ci(results_metrics[m].unit, &c.res[p * RM_N + (size_t)m].a);
                results_clip_ci(results_metrics[m].unit, &c.res[p * RM_N + (size_t)m].b);
            }
        }
        free(xa);
        free(xb);
        if (x.exec.is_root) {
            print_tables(&c, &x, wall);
            if (fl.out_dir) {
                char *path = xpsetup_path(fl.out_dir, "compare.csv");
                if (write_csv(&c, path) != 0) {
                    fprintf(stderr, "proxysim compare: writing %s failed\n", path);
                    rc = 2;
                }
                free(path);
                struct sim_err err;
                sim_err_clear(&err);
                if (write_charts(&c, fl.out_dir, &err) != 0) {
                    fprintf(stderr, "proxysim compare: chart: %s\n", err.msg);
                }
            }
        }
        if (rc == 0 && failed) {
            rc = 1;
        }
        free(c.res);
        free(c.out);
    }
    for (size_t i = 0; i < n_loaded; i++) {
        config_free_experiment(&pts[i]);
    }
    free(pts);
    free(ptext);
    xpsetup_close(&x);
    return rc;
}
