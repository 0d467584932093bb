/* SPDX-License-Identifier: MIT
 *
 * plan.c - `proxysim plan SCENARIO --vary KEY=lo:hi --slo '...'`: the
 * smallest (or largest) value of KEY that meets every SLO.
 *
 *   proxysim plan SCENARIO --vary KEY=lo:hi[:step] --slo 'm<=b,m2>=b2'
 *                 [--minimize|--maximize] [--reps N] [--max-reps M] [--seed S]
 *                 [--threads T] [--set k=v]... [--out DIR] [--quiet]
 *
 * The grid is lo, lo+step, ..., hi (step 1 for whole lo and hi, else 100
 * steps); models/capsearch.h bisects it, adding N replications at a time at
 * a point (default 5) until every SLO's CI is clear of its bound or M
 * replications (default 40) are spent, in which case the point is
 * undecided and counts as not met.  --minimize (the default) looks for the
 * smallest value that meets (pool size, workers); --maximize for the largest
 * (arrival rate, clients).  Output: the answer, the evidence at the answer
 * and at its neighbour (the closest point not shown to meet), every
 * evaluated point, plan.csv and one chart per SLO metric.  Exit 0 when an
 * answer was found, 1 when none meets, 2 on bad input.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/vary.h"
#include "cli/xpsetup.h"
#include "models/capsearch.h"
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

static const char *USAGE =
    "SCENARIO --vary KEY=lo:hi[:step] --slo 'metric<=bound,...' [--minimize|--maximize] "
    "[--reps N] [--max-reps M] [--seed S] [--threads T] [--set k=v]... [--out DIR] [--quiet]";
static const char *HELP =
    "\nThe smallest (or largest) value of KEY that meets every SLO, by bisection over\n"
    "the grid, adding replications at a point until each CI clears its bound.\n"
    "  --vary KEY=lo:hi[:step]  the key and its range\n"
    "  --slo LIST         metric<=bound or metric>=bound, comma-separated; < and > read\n"
    "                     as <= and >=; a bound in base units (0.2) or with a unit of\n"
    "                     the metric's kind, as in the configs (200ms, 512MiB, 100/s)\n"
    "  --minimize         look for the smallest value that meets (the default)\n"
    "  --maximize         look for the largest\n"
    "  --reps N           replications per batch at a point (default 5)\n"
    "  --max-reps M       at most M replications at a point: beyond, undecided\n"
    "                     (default 40)\n"
    XPSETUP_FLAGS_HELP
    "  --out DIR          also write DIR/plan.csv and DIR/plan_<metric>.png\n"
    "  --quiet            no progress line\n"
    "Exit status: 0 an answer, 1 no value meets the SLOs (or a trial failed), 2 bad input.\n";

struct plan {
    const char *scenario;
    const char *const *sets;
    size_t n_sets;
    struct vary v;
    struct capsearch_slo slo[CAPSEARCH_MAX_SLO];
    size_t n_slo;
    uint64_t seed;
    bool have_seed;
    double post_sse_p; /* the profile's share of POSTs answered with SSE streams */
    double post_json_p;
    struct xpsetup *x;
    struct xpsetup_progress *xp;
    size_t n_failed;
};

static int eval_point(void *vctx, size_t k, unsigned rep_lo, unsigned rep_hi, double *values,
                      struct sim_err *err)
{
    struct plan *pl = vctx;
    char assign[256];
    vary_assignment(&pl->v, k, assign, sizeof assign);
    const char *extra[1] = {assign};
    struct experiment e;
    if (xpsetup_load("plan", pl->scenario, pl->sets, pl->n_sets, extra, 1, &e) != 0) {
        return sim_err_set(err, SIM_EINVAL, "--vary %s: the configuration rejected it", assign);
    }
    e.run.seed = pl->seed;
    struct trials_batch b = {.points = &e, .n_points = 1, .rep_lo = rep_lo, .rep_hi = rep_hi};
    size_t n = trials_batch_size(&b);
    struct trials_out *res = sim_xcalloc(n, sizeof *res);
    struct sim_err *errs = sim_xcalloc(n, sizeof *errs);
    pl->xp->reps_per_point = 0;
    pl->n_failed += trials_run(&pl->x->exec, &b, res, errs, xpsetup_progress_fn, pl->xp);
    for (size_t i = 0; i < n; i++) {
        if (errs[i].code != SIM_OK) {
            fprintf(stderr, "proxysim plan: %s, replication %zu (seed %" PRIu64 "): %s\n",
                    assign, rep_lo + i, pl->seed, errs[i].msg);
        }
        for (size_t j = 0; j < pl->n_slo; j++) {
            values[i * pl->n_slo + j] =
                res[i].status == SIM_OK ? res[i].metric[pl->slo[j].metric] : NAN;
        }
    }
    free(res);
    free(errs);
    config_free_experiment(&e);
    return SIM_OK;
}

static void print_point(const struct plan *pl, const struct capsearch_point *p)
{
    printf("  %-12s %-9s %3u reps ", pl->v.text[p->k], capsearch_status_name(p->status), p->n_reps);
    for (size_t j = 0; j < pl->n_slo; j++) {
        int m = pl->slo[j].metric;
        char b[64];
        axis_format_ci(&p->ci[j], axis_unit_of(results_metrics[m].unit), b, sizeof b);
        printf("  %s %s%s", results_metrics[m].name, b,
               p->slo_met[j] ? " ok" : p->slo_failed[j] ? " FAIL" : " ?");
    }
    printf("\n");
}

static int write_csv(const struct plan *pl, const struct capsearch_result *r, const char *path)
{
    struct outfile of; /* complete or not at all */
    struct sim_err err;
    sim_err_clear(&err);
    if (outfile_open(&of, path, &err) != SIM_OK) {
        return -1;
    }
    FILE *f = of.fp;
    fprintf(f, "%s,status,n,metric,op,bound,mean,ci_low,ci_high,answer\n", pl->v.key);
    for (size_t i = 0; i < r->n_points; i++) {
        const struct capsearch_point *p = &r->points[i];
        for (size_t j = 0; j < pl->n_slo; j++) {
            char kv[40], b[40], mu[40], lo[40], hi[40];
            xpsetup_num(kv, sizeof kv, pl->v.base[p->k]);
            xpsetup_num(b, sizeof b, pl->slo[j].bound);
            xpsetup_num(mu, sizeof mu, p->ci[j].mean);
            xpsetup_num(lo, sizeof lo, isnan(p->ci[j].half) ? NAN : p->ci[j].lo);
            xpsetup_num(hi, sizeof hi, isnan(p->ci[j].half) ? NAN : p->ci[j].hi);
            fprintf(f, "%s,%s,%u,%s,%s,%s,%s,%s,%s,%d\n", kv, capsearch_status_name(p->status),
                    p->n_reps, results_metrics[pl->slo[j].metric].name,
                    pl->slo[j].op == CAPSEARCH_LE ? "<=" : ">=", b, mu, lo, hi,
                    r->found && r->answer_k == p->k);
        }
    }
    return outfile_commit(&of, &err) == SIM_OK ? 0 : -1;
}

static void write_charts(const struct plan *pl, const struct capsearch_result *r, const char *dir)
{
    size_t n = r->n_points;
    double *x = sim_xcalloc(n, sizeof *x), *y = sim_xcalloc(n, sizeof *y);
    double *lo = sim_xcalloc(n, sizeof *lo), *hi = sim_xcalloc(n, sizeof *hi);
    for (size_t j = 0; j < pl->n_slo; j++) {
        int m = pl->slo[j].metric;
        for (size_t i = 0; i < n; i++) {
            const struct capsearch_point *p = &r->points[i];
            x[i] = pl->v.base[p->k];
            y[i] = p->ci[j].mean;
            lo[i] = isnan(p->ci[j].half) ? y[i] : p->ci[j].lo;
            hi[i] = isnan(p->ci[j].half) ? y[i] : p->ci[j].hi;
        }
        double bx[2] = {pl->v.base[0], pl->v.base[pl->v.n - 1]};
        double by[2] = {pl->slo[j].bound, pl->slo[j].bound};
        char label[96];
        capsearch_slo_format(&pl->slo[j], label, sizeof label);
        struct plot_series s[2] = {
            {.label = results_metrics[m].name, .x = x, .y = y, .lo = lo, .hi = hi, .n = n},
            {.label = label, .x = bx, .y = by, .n = 2},
        };
        char title[512], sub[512], file[96];
        if (r->found) {
            snprintf(title, sizeof title, "%s over %s: answer %s", results_metrics[m].name,
                     pl->v.key, pl->v.text[r->answer_k]);
        } else {
            snprintf(title, sizeof title, "%s over %s: no value meets the SLOs",
                     results_metrics[m].name, pl->v.key);
        }
        snprintf(sub, sizeof sub, "%s, evaluated points of the search, 95%% CI bands, master seed "
                 "%" PRIu64, pl->scenario, pl->seed);
        snprintf(file, sizeof file, "plan_%s.png", results_metrics[m].name);
        enum axis_unit ku = vary_axis_unit(&pl->v);
        /* A search spans decades (30 s at one connection, 13 ms at 128): a log
         * axis keeps the points near the bound readable. */
        double ymin = INFINITY, ymax = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (y[i] > 0.0) {
                ymin = fmin(ymin, fmin(lo[i] > 0.0 ? lo[i] : y[i], y[i]));
                ymax = fmax(ymax, hi[i]);
            }
        }
        bool ylog = pl->slo[j].bound > 0.0 && isfinite(ymin) && ymax / ymin > 20.0;
        struct chart_opts o = {.title = title, .subtitle = sub, .x_label = pl->v.key,
                               .x_unit = ku, .y_unit = axis_unit_of(results_metrics[m].unit),
                               .y_log = ylog,
                               .y_label = results_metrics[m].name};
        struct sim_err err;
        sim_err_clear(&err);
        char *path = xpsetup_path(dir, file);
        if (chart_sweep(&o, s, 2, path, &err) != 0) {
            fprintf(stderr, "proxysim plan: chart: %s\n", err.msg);
        }
        free(path);
    }
    free(x);
    free(y);
    free(lo);
    free(hi);
}

int cli_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vary", required_argument, NULL, 'v'},     {"slo", required_argument, NULL, 'L'},
        {"minimize", no_argument, NULL, 'm'},       {"maximize", no_argument, NULL, 'M'},
        {"reps", required_argument, NULL, 'r'},     {"max-reps", required_argument, NULL, 'R'},
        {"seed", required_argument, NULL, 's'},     {"threads", required_argument, NULL, 't'},
        {"set", required_argument, NULL, 'S'},      {"out", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct plan pl = {0};
    struct xpsetup_flags fl = {0};
    uint64_t max_reps = 40;
    bool have_vary = false, maximize = false, have_goal = false;
    int ch, rc = 0;
    struct sim_err err;
    sim_err_clear(&err);
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'v':
            if (have_vary) {
                fprintf(stderr, "proxysim plan: --vary '%s': plan searches one key (expected one "
                        "--vary)\n", optarg);
                rc = 2;
            } else if (vary_parse("--vary", optarg, true, &pl.v, &err) != SIM_OK) {
                fprintf(stderr, "proxysim plan: %s\n", err.msg);
                rc = 2;
            } else if (!pl.v.is_range || pl.v.step == 0.0) {
                fprintf(stderr, "proxysim plan: --vary '%s': expected a range lo:hi or lo:hi:step "
                        "(a list or xFACTOR cannot be bisected)\n", optarg);
                rc = 2;
            }
            have_vary = true;
            break;
        case 'L':
            if (capsearch_slo_parse("--slo", optarg, pl.slo, &pl.n_slo, &err) != SIM_OK) {
                fprintf(stderr, "proxysim plan: %s\n", err.msg);
                rc = 2;
            }
            break;
        case 'm':
        case 'M':
            if (have_goal && maximize != (ch == 'M')) {
                rc = args_usage_error("plan", "give --minimize or --maximize, not both");
                break;
            }
            have_goal = true;
            maximize = ch == 'M';
            break;
        case 'R': rc = args_u64("plan", "--max-reps", optarg, 2, 100000, &max_reps); break;
        case 'h': printf("usage: proxysim plan %s\n%s", USAGE, HELP); goto done;
        default:
            rc = xpsetup_flag("plan", ch, optarg, 2, 10000, &fl);
            if (rc < 0) {
                rc = args_bad_option("plan", argc, argv, opts);
            }
        }
        if (rc) {
            goto done;
        }
    }
    if (argc - optind != 1 || !have_vary || pl.n_slo == 0) {
        if (argc - optind == 1) {
            rc = args_usage_error("plan", "%s is required",
                                  !have_vary ? "--vary KEY=lo:hi" : "--slo 'metric<=bound'");
        } else {
            rc = args_usage_error("plan", "expected one SCENARIO, got %d", argc - optind);
        }
        goto done;
    }
    uint64_t batch = fl.reps ? fl.reps : 5; /* replications per batch at a point */
    if (max_reps < batch) {
        fprintf(stderr, "proxysim plan: --max-reps %" PRIu64 ": expected at least --reps (%" PRIu64
                ")\n", max_reps, batch);
        rc = 2;
        goto done;
    }
    pl.scenario = argv[optind];
    pl.sets = fl.sets;
    pl.n_sets = fl.n_sets;
    pl.seed = fl.seed;
    pl.have_seed = fl.have_seed;
    struct xpsetup x;
    rc = xpsetup_open(&x, "plan", (unsigned)fl.threads);
    if (rc) {
        goto done;
    }
    pl.x = &x;
    /* Load the two ends up front: a bad scenario, --set or key fails here,
     * with the loader's message, before any replication runs. */
    {
        char chk[2][256];
        const char *chkp[2] = {chk[0], chk[1]};
        vary_assignment(&pl.v, 0, chk[0], sizeof chk[0]);
        vary_assignment(&pl.v, pl.v.n - 1, chk[1], sizeof chk[1]);
        rc = xpsetup_check_vary("plan", pl.scenario, pl.sets, pl.n_sets, chkp, 2);
    }
    struct experiment e;
    for (int end = 0; end < 2 && rc == 0; end++) {
        char assign[256];
        vary_assignment(&pl.v, end ? pl.v.n - 1 : 0, assign, sizeof assign);
        const char *extra[1] = {assign};
        rc = xpsetup_load("plan", pl.scenario, pl.sets, pl.n_sets, extra, 1, &e);
        if (rc == 0) {
            if (end == 0) {
                pl.seed = pl.have_seed ? pl.seed : e.run.seed;
                pl.post_sse_p = e.profile.mix.post_sse_p;
                pl.post_json_p = e.profile.mix.post_json_p;
                xpsetup_apply_run_threads(&x, &e);
            }
            config_free_experiment(&e);
        }
    }
    if (rc == 0 && fl.out_dir && x.exec.is_root) {
        rc = args_out_dir("plan", fl.out_dir);
    }
    if (rc == 0) {
        struct xpsetup_progress xp = {0};
        progress_init(&xp.pg, "plan", "reps", fl.quiet || !x.exec.is_root);
        pl.xp = &xp;
        struct capsearch_opts o = {.n_grid = pl.v.n, .maximize = maximize, .slo = pl.slo,
                                   .n_slo = pl.n_slo, .batch = (unsigned)batch,
                                   .max_reps = (unsigned)max_reps, .confidence = 0.95};
        struct capsearch_result r;
        int src = capsearch_run(&o, eval_point, &pl, &r, &err);
        progress_finish(&xp.pg);
        if (src != SIM_OK) {
            fprintf(stderr, "proxysim plan: %s\n", err.msg);
            rc = 2;
        } else if (x.exec.is_root) {
            char slos[512] = "";
            for (size_t j = 0; j < pl.n_slo; j++) {
                size_t used = strlen(slos);
                capsearch_slo_format(&pl.slo[j], slos + used + (j > 0), sizeof slos - used - 1);
                if (j > 0) {
                    slos[used] = ',';
                }
            }
            char wb[48];
            printf("plan %s  %s %s over %s..%s (%zu grid points)  SLO %s  master seed %" PRIu64
                   "  batches of %" PRIu64 " up to %" PRIu64 " reps  %s\n",
                   pl.scenario, maximize ? "largest" : "smallest", pl.v.key, pl.v.text[0],
                   pl.v.text[pl.v.n - 1], pl.v.n, slos, pl.seed, batch, max_reps,
                   xpsetup_workers(&x, wb, sizeof wb));
            if (r.found) {
                printf("answer: %s = %s", pl.v.key, pl.v.text[r.answer_k]);
                if (pl.v.step != 1.0 || pl.v.unit[0]) {
                    printf(" (grid step %.12g%s)", pl.v.step, pl.v.unit);
                }
                printf("\n");
            } else {
                printf("answer: none: %s does not meet the SLOs%s\n",
                       pl.v.text[maximize ? 0 : pl.v.n - 1],
                       r.n_points && r.points[0].status == CAPSEARCH_UNDECIDED
                           ? " (undecided at the cap)"
                           : "");
            }
            if (r.found || r.has_neighbour) {
                printf("evidence:\n"); /* with no answer the evaluated points are the evidence */
            }
            if (r.found) {
                print_point(&pl, capsearch_point_at(&r, r.answer_k));
            }
            if (r.has_neighbour) {
                print_point(&pl, capsearch_point_at(&r, r.neighbour_k));
            }
            printf("evaluated points (%zu, %u replications, %zu undecided):\n", r.n_points,
                   r.total_reps, r.n_undecided);
            for (size_t i = 0; i < r.n_points; i++) {
                print_point(&pl, &r.points[i]);
            }
            bool latency_slo = false;
            for (size_t j = 0; j < pl.n_slo; j++) {
                latency_slo = latency_slo || strncmp(results_metrics[pl.slo[j].metric].name,
                                                     "latency_", 8) == 0;
            }
            if (latency_slo && pl.post_sse_p > 0.0) {
                char json[32]; /* exact: the shares must sum to 1 */
                config_format_number(json, sizeof json, pl.post_json_p + pl.post_sse_p);
                printf("note: latency_* include the length of the POSTs answered with SSE streams "
                       "(mix.post_sse = %.3g); --set mix.post_sse=0 --set mix.post_json=%s "
                       "measures JSON round trips alone\n",
                       pl.post_sse_p, json);
            }
            if (r.n_undecided) {
                printf("note: undecided points (CI still straddling a bound at %" PRIu64
                       " replications) count as not meeting; raise --max-reps to decide them\n",
                       max_reps);
            }
            if (fl.out_dir) {
                char *path = xpsetup_path(fl.out_dir, "plan.csv");
                if (write_csv(&pl, &r, path) != 0) {
                    fprintf(stderr, "proxysim plan: writing %s failed\n", path);
                    rc = 2;
                }
                free(path);
                write_charts(&pl, &r, fl.out_dir);
            }
        }
        if (rc == 0) {
            rc = r.found && pl.n_failed == 0 ? 0 : 1;
        }
        capsearch_result_fini(&r);
    }
    xpsetup_close(&x);
done:
    vary_fini(&pl.v);
    return rc;
}
