/* SPDX-License-Identifier: MIT
 *
 * validate.c - `proxysim validate`: the engine against queueing theory.
 *
 * Each built-in model (models/qmodel.h) runs as R independent replications
 * through sim_replicate; every metric of every replication is one number, and
 * across replications it gets a Student-t interval.  The analytic value
 * (models/qtheory.h) must lie inside that interval at a family-wise level:
 * with m rows in the table, each row is tested at confidence 1 - 0.05/m
 * (Bonferroni), so on a correct engine the chance that any row at all FAILs
 * is at most 5%.  Nothing is tuned per row: the run lengths are chosen so the
 * known biases (warm-up, the histogram's bucket width for quantiles, the
 * edge effects of a finite window) are small against the interval, as
 * docs/VALIDATION.md argues.  The 95% interval is printed beside the family
 * one, for reading.
 *
 * Quantiles are estimated per replication (from that replication's wait
 * histogram) and the interval is across replications, like any other metric.
 * When the analytic value is 0 (a median wait with P(wait) < 0.5) the
 * relative error is undefined and the absolute difference is shown instead.
 *
 * Exit status: 0 every row PASSes, 1 some row FAILs or a replication failed,
 * 2 bad flags.  --out DIR also writes DIR/validate.csv.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "models/guard.h"
#include "models/qmodel.h"
#include "models/qtheory.h"
#include "plots/outfile.h"
#include "sim/check.h"
#include "sim/replicate.h"
#include "sim/stat.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FAMILY_ALPHA 0.05
#define SERVICE_MEAN_S 0.010 /* 10 ms: every model's time unit */

enum vkind { VK_MMC, VK_MMCK, VK_MG1, VK_CLOSED, VK_IMPATIENT };

enum vmetric {
    VM_P_WAIT,
    VM_WQ,
    VM_W,
    VM_WQ_P50,
    VM_WQ_P90,
    VM_WQ_P99,
    VM_BLOCK,
    VM_ABANDON,
    VM_X,
    VM_L,
    VM_LITTLE,
    VM_N_METRICS
};

static const char *const metric_names[VM_N_METRICS] = {
    [VM_P_WAIT] = "P(wait>0)", [VM_WQ] = "Wq_s",        [VM_W] = "W_s",
    [VM_WQ_P50] = "Wq_p50_s",  [VM_WQ_P90] = "Wq_p90_s", [VM_WQ_P99] = "Wq_p99_s",
    [VM_BLOCK] = "P(block)",   [VM_ABANDON] = "P(abandon)", [VM_X] = "X_per_s",
    [VM_L] = "L",              [VM_LITTLE] = "L/(lambda*W)",
};

/* A model of the suite: what to run, for how long (in expected customers, so
 * the precision is comparable across loads), and which metrics it reports. */
struct vmodel {
    const char *name;
    enum vkind kind;
    unsigned c, room, clients;
    double rho;      /* open models: lambda = rho c mu */
    double cv;       /* service coefficient of variation (M/G/1) */
    double think_s;  /* closed model */
    double tau_s;    /* patience (impatient model) */
    double warmup_customers, measure_customers;
    unsigned metrics; /* bit set of enum vmetric */
};

#define M(x) (1u << (x))
#define M_MMC (M(VM_P_WAIT) | M(VM_WQ) | M(VM_W) | M(VM_L) | M(VM_LITTLE))
#define M_Q (M(VM_WQ_P50) | M(VM_WQ_P90) | M(VM_WQ_P99))

/* Heaviest first: sim_replicate hands out trials in index order, so the long
 * ones start early and the short ones fill the gaps at the end. */
static const struct vmodel suite[] = {
    {"M/M/1 rho=0.9", VK_MMC, 1, 0, 0, 0.9, 1, 0, 0, 5e4, 3e6, M_MMC},
    {"M/G/1 cv=2 rho=0.7", VK_MG1, 1, 0, 0, 0.7, 2, 0, 0, 2e4, 1.5e6, M_MMC},
    {"M/M/8 rho=0.95", VK_MMC, 8, 0, 0, 0.95, 1, 0, 0, 5e4, 2e6, M_MMC | M_Q},
    {"M/M/8+D rho=1.1 tau=5S", VK_IMPATIENT, 8, 0, 0, 1.1, 1, 0, 0.050, 1e4, 1e6,
     M(VM_ABANDON) | M(VM_WQ) | M(VM_X) | M(VM_L) | M(VM_LITTLE)},
    {"M/M/8+D rho=0.95 tau=2S", VK_IMPATIENT, 8, 0, 0, 0.95, 1, 0, 0.020, 1e4, 1e6,
     M(VM_ABANDON) | M(VM_WQ) | M(VM_X) | M(VM_L) | M(VM_LITTLE)},
    {"M/M/8 rho=0.8", VK_MMC, 8, 0, 0, 0.8, 1, 0, 0, 1e4, 1e6, M_MMC | M_Q},
    {"M/M/4/10 rho=0.9", VK_MMCK, 4, 10, 0, 0.9, 1, 0, 0, 1e4, 7.5e5,
     M(VM_BLOCK) | M(VM_P_WAIT) | M(VM_WQ) | M(VM_W) | M(VM_L) | M(VM_LITTLE)},
    {"M/M/8/8 a=6.4 (Erlang B)", VK_MMCK, 8, 8, 0, 0.8, 1, 0, 0, 1e4, 5e5,
     M(VM_BLOCK) | M(VM_W) | M(VM_L) | M(VM_LITTLE)},
    {"M/D/1 rho=0.7", VK_MG1, 1, 0, 0, 0.7, 0, 0, 0, 1e4, 7.5e5, M_MMC},
    {"closed N=24 Z=5S c=4", VK_CLOSED, 4, 0, 24, 0, 1, 0.050, 0, 1e4, 7.5e5,
     M(VM_X) | M(VM_W) | M(VM_L) | M(VM_LITTLE)},
    {"M/M/1 rho=0.5", VK_MMC, 1, 0, 0, 0.5, 1, 0, 0, 1e4, 7.5e5, M_MMC},
};
#define N_MODELS (sizeof suite / sizeof suite[0])

static double lambda_of(const struct vmodel *v) { return v->rho * v->c / SERVICE_MEAN_S; }

/* The analytic value of every metric of a model (NAN where not defined). */
static bool analytic(const struct vmodel *v, double out[VM_N_METRICS])
{
    double mu = 1.0 / SERVICE_MEAN_S, lambda = lambda_of(v);
    for (int i = 0; i < VM_N_METRICS; i++) {
        out[i] = NAN;
    }
    out[VM_LITTLE] = 1.0;
    switch (v->kind) {
    case VK_MMC: {
        struct qtheory_mmc m;
        if (!qtheory_mmc(v->c, lambda, mu, &m)) {
            return false;
        }
        out[VM_P_WAIT] = m.p_wait;
        out[VM_WQ] = m.wq_s;
        out[VM_W] = m.w_s;
        out[VM_L] = m.l;
        out[VM_WQ_P50] = qtheory_mmc_wait_quantile(&m, 0.50);
        out[VM_WQ_P90] = qtheory_mmc_wait_quantile(&m, 0.90);
        out[VM_WQ_P99] = qtheory_mmc_wait_quantile(&m, 0.99);
        return true;
    }
    case VK_MMCK: {
        struct qtheory_mmck k;
        if (!qtheory_mmck(v->c, v->room, lambda, mu, &k)) {
            return false;
        }
        out[VM_BLOCK] = k.p_block;
        out[VM_P_WAIT] = k.p_wait;
        out[VM_WQ] = k.wq_s;
        out[VM_W] = k.w_s;
        out[VM_L] = k.l;
        return true;
    }
    case VK_MG1: {
        struct qtheory_mg1 g;
        if (!qtheory_mg1(lambda, SERVICE_MEAN_S, v->cv, &g)) {
            return false;
        }
        out[VM_P_WAIT] = g.p_wait;
        out[VM_WQ] = g.wq_s;
        out[VM_W] = g.w_s;
        out[VM_L] = g.l;
        return true;
    }
    case VK_CLOSED: {
        struct qtheory_closed cl;
        if (!qtheory_closed_mva(v->clients, v->think_s, v->c, SERVICE_MEAN_S, &cl)) {
            return false;
        }
        out[VM_X] = cl.x_per_s;
        out[VM_W] = cl.r_s;
        out[VM_L] = cl.l;
        return true;
    }
    case VK_IMPATIENT: {
        struct qtheory_impatient r;
        if (!qtheory_mmc_patience(v->c, lambda, mu, v->tau_s, &r)) {
            return false;
        }
        out[VM_ABANDON] = r.p_abandon;
        out[VM_WQ] = r.wq_served_s;
        out[VM_X] = r.throughput_per_s;
        out[VM_L] = r.l;
        return true;
    }
    }
    return false;
}

/* The engine's estimate of a metric from one replication. */
static double measured(const struct vmodel *v, const struct qmodel_result *r, enum vmetric m)
{
    switch (m) {
    case VM_P_WAIT:
        return r->p_wait;
    case VM_WQ:
        return r->mean_wait_s;
    case VM_W:
        /* Sojourn of those who entered: for M/M/c/K that excludes the blocked. */
        return v->kind == VK_IMPATIENT ? r->mean_sojourn_served_s : r->mean_sojourn_s;
    case VM_WQ_P50:
        return r->wait_p50_s;
    case VM_WQ_P90:
        return r->wait_p90_s;
    case VM_WQ_P99:
        return r->wait_p99_s;
    case VM_BLOCK:
        return r->frac_blocked;
    case VM_ABANDON:
        return r->frac_abandoned;
    case VM_X:
        return r->throughput_per_s;
    case VM_L:
        return r->mean_in_system;
    case VM_LITTLE:
        return r->little_ratio;
    case VM_N_METRICS:
        break;
    }
    return NAN;
}

static void params_of(const struct vmodel *v, double scale, struct qmodel_params *p)
{
    memset(p, 0, sizeof *p);
    p->servers = v->c;
    p->room = v->room;
    p->patience_s = v->kind == VK_IMPATIENT ? v->tau_s : INFINITY;
    if (v->kind == VK_MG1 && v->cv != 1.0) {
        if (v->cv == 0.0) {
            p->service = sim_dist_deterministic(SERVICE_MEAN_S);
        } else {
            bool ok = sim_dist_hyperexp_mean_cv(SERVICE_MEAN_S, v->cv, &p->service, NULL);
            SIM_REQUIRE(ok);
        }
    } else {
        p->service = sim_dist_exponential(SERVICE_MEAN_S);
    }
    double rate_per_s;
    if (v->kind == VK_CLOSED) {
        p->clients = v->clients;
        p->think_mean_s = v->think_s;
        struct qtheory_closed cl;
        bool ok = qtheory_closed_mva(v->clients, v->think_s, v->c, SERVICE_MEAN_S, &cl);
        SIM_REQUIRE(ok);
        rate_per_s = cl.x_per_s;
    } else {
        p->arrival_rate_per_s = lambda_of(v);
        rate_per_s = p->arrival_rate_per_s;
    }
    /* The warm-up is not scaled down in quick mode: its job is to remove bias. */
    p->warmup_s = v->warmup_customers / rate_per_s;
    p->measure_s = scale * v->measure_customers / rate_per_s;
}

struct vrun {
    struct qmodel_params params[N_MODELS];
    size_t reps;
    uint64_t seed;
    struct qmodel_result *res; /* [model * reps + rep] */
};

static int run_trial(void *ctx, size_t index, struct sim_err *err)
{
    (void)err;
    struct vrun *vr = ctx;
    size_t model = index / vr->reps;
    /* The replication number is the trial index, so every model and replication
     * has its own streams, and no two models share random numbers. */
    qmodel_run(&vr->params[model], vr->seed, index, &vr->res[index]);
    return 0;
}

struct vrow {
    const char *model;
    const char *metric;
    struct sim_ci ci95, family;
    double analytic;
    double err;   /* relative, or absolute when abs_err */
    bool abs_err;
    bool pass;
};

static int write_csv(const char *dir, const struct vrow *rows, size_t n_rows, double family_conf,
                     uint64_t seed, size_t reps)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/validate.csv", dir);
    struct outfile of; /* complete or not at all */
    struct sim_err err;
    sim_err_clear(&err);
    if (outfile_open(&of, path, &err) != SIM_OK) {
        fprintf(stderr, "proxysim validate: %s\n", err.msg);
        return -1;
    }
    FILE *f = of.fp;
    fprintf(f, "model,metric,sim_mean,ci_low,ci_high,n,analytic,rel_error,verdict,"
               "family_conf,family_low,family_high,master_seed,replications\n");
    for (size_t i = 0; i < n_rows; i++) {
        const struct vrow *r = &rows[i];
        fprintf(f, "\"%s\",%s,%.10g,%.10g,%.10g,%zu,%.10g,%s%.6g,%s,%.6f,%.10g,%.10g,%" PRIu64
                   ",%zu\n",
                r->model, r->metric, r->ci95.mean, r->ci95.lo, r->ci95.hi, r->ci95.n, r->analytic,
                r->abs_err ? "abs:" : "", r->err, r->pass ? "PASS" : "FAIL", family_conf,
                r->family.lo, r->family.hi, seed, reps);
    }
    if (outfile_commit(&of, &err) != SIM_OK) {
        fprintf(stderr, "proxysim validate: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static const char usage_line[] =
    "[--reps N] [--seed S] [--threads T] [--out DIR] [--quick]";

int cli_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"reps", required_argument, NULL, 'r'},   {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"quick", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t reps = 0, seed = 20240611, threads = 0;
    const char *out_dir = NULL;
    bool quick = false;
    int ch;
    /* 0, not 1: glibc and musl then reinitialise fully, so cli_validate can run
     * twice in one process (the validation test does). */
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = 0;
        switch (ch) {
        case 'r':
            rc = args_u64("validate", "--reps", optarg, 2, 100000, &reps);
            break;
        case 's':
            rc = args_u64("validate", "--seed", optarg, 0, UINT64_MAX, &seed);
            break;
        case 't':
            rc = args_u64("validate", "--threads", optarg, 0, 1024, &threads);
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 'q':
            quick = true;
            break;
        case 'h':
            printf("usage: proxysim validate %s\n\n"
                   "Runs the built-in queueing models through the engine and checks each metric\n"
                   "against queueing theory: the analytic value must lie in the replication CI\n"
                   "at family-wise level 95%% (Bonferroni over all rows).\n"
                   "  --reps N     replications per model (default 20; quick 10)\n"
                   "  --seed S     master seed (default 20240611)\n"
                   "  --threads T  worker threads (default: all cores)\n"
                   "  --out DIR    also write DIR/validate.csv\n"
                   "  --quick      shorter runs (the ctest validation check)\n",
                   usage_line);
            return 0;
        default:
            return args_bad_option("validate", argc, argv, opts);
        }
        if (rc != 0) {
            return rc;
        }
    }
    if (optind < argc) {
        return args_usage_error("validate", "unexpected argument '%s'", argv[optind]);
    }
    if (out_dir && args_out_dir("validate", out_dir) != 0) {
        return 2; /* before the models run */
    }
    if (reps == 0) {
        reps = quick ? 10 : 20;
    }
    double scale = quick ? 0.25 : 1.0;

    struct vrun vr;
    vr.reps = (size_t)reps;
    vr.seed = seed;
    for (size_t m = 0; m < N_MODELS; m++) {
        params_of(&suite[m], scale, &vr.params[m]);
    }
    size_t n_trials = N_MODELS * vr.reps;
    vr.res = sim_xcalloc(n_trials, sizeof *vr.res);
    struct sim_err *errs = sim_xcalloc(n_trials, sizeof *errs);
    unsigned n_threads = threads ? (unsigned)threads : sim_cpu_count();
    struct sim_replicate_opts ropts = {.n_threads = n_threads};

    printf("proxysim validate: master_seed=%" PRIu64 " replications=%zu threads=%u%s\n", seed,
           vr.reps, n_threads, quick ? " (quick)" : "");
    fflush(stdout);
    double t0 = guard_wall_s();
    size_t n_failed = sim_replicate(n_trials, run_trial, &vr, &ropts, errs);
    double elapsed = guard_wall_s() - t0;
    for (size_t i = 0; i < n_trials && n_failed > 0; i++) {
        if (errs[i].code != SIM_OK) {
            fprintf(stderr, "proxysim validate: trial %zu failed: %s\n", i, errs[i].msg);
        }
    }

    /* Rows: count first, for the Bonferroni level. */
    size_t n_rows = 0;
    for (size_t m = 0; m < N_MODELS; m++) {
        for (int k = 0; k < VM_N_METRICS; k++) {
            n_rows += (suite[m].metrics >> k) & 1u;
        }
    }
    double family_conf = 1.0 - FAMILY_ALPHA / (double)n_rows;
    struct vrow *rows = sim_xcalloc(n_rows, sizeof *rows);
    double *x = sim_xmalloc(vr.reps * sizeof *x);
    size_t row = 0, n_fail = 0;
    uint64_t n_events = 0, n_customers = 0;
    for (size_t i = 0; i < n_trials; i++) {
        n_events += vr.res[i].n_events;
        n_customers += vr.res[i].n_arrivals;
    }
    for (size_t m = 0; m < N_MODELS; m++) {
        const struct vmodel *v = &suite[m];
        double an[VM_N_METRICS];
        bool ok = analytic(v, an);
        SIM_REQUIRE(ok);
        for (int k = 0; k < VM_N_METRICS; k++) {
            if (!((v->metrics >> k) & 1u)) {
                continue;
            }
            for (size_t r = 0; r < vr.reps; r++) {
                x[r] = measured(v, &vr.res[m * vr.reps + r], (enum vmetric)k);
            }
            struct vrow *w = &rows[row++];
            w->model = v->name;
            w->metric = metric_names[k];
            w->ci95 = sim_ci_compute(x, vr.reps, 0.95);
            w->family = sim_ci_compute(x, vr.reps, family_conf);
            w->analytic = an[k];
            w->abs_err = an[k] == 0.0;
            w->err = w->abs_err ? w->ci95.mean - an[k] : (w->ci95.mean - an[k]) / an[k];
            /* Inside the closed interval; a degenerate interval (every replication
             * measured exactly the same, e.g. a median wait of 0) passes only on
             * exact agreement.  Fewer than 2 replications measured: FAIL. */
            w->pass = w->family.n >= 2 && !isnan(w->family.lo) && w->family.lo <= an[k] &&
                      an[k] <= w->family.hi;
            n_fail += !w->pass;
        }
    }
    free(x);

    char fam_head[32];
    snprintf(fam_head, sizeof fam_head, "%.4g%% CI (family)", 100.0 * family_conf);
    printf("%-26s %-13s %12s %27s %27s %12s %10s %s\n", "model", "metric", "sim_mean",
           "95% CI", fam_head, "analytic", "rel_err", "verdict");
    const char *prev = NULL;
    for (size_t i = 0; i < n_rows; i++) {
        const struct vrow *r = &rows[i];
        char ci95[64], fam[64], err[32];
        snprintf(ci95, sizeof ci95, "[%.6g, %.6g]", r->ci95.lo, r->ci95.hi);
        snprintf(fam, sizeof fam, "[%.6g, %.6g]", r->family.lo, r->family.hi);
        if (r->abs_err) {
            snprintf(err, sizeof err, "abs %+.2g", r->err);
        } else {
            snprintf(err, sizeof err, "%+.3f%%", 100.0 * r->err);
        }
        printf("%-26s %-13s %12.6g %27s %27s %12.6g %10s %s\n",
               prev && strcmp(prev, r->model) == 0 ? "" : r->model, r->metric, r->ci95.mean, ci95,
               fam, r->analytic, err, r->pass ? "PASS" : "FAIL");
        prev = r->model;
    }
    printf("\n%zu rows, %zu FAIL; family-wise level 95%% (each row at %.4f%%, Bonferroni); "
           "master_seed=%" PRIu64 " replications=%zu per model\n",
           n_rows, n_fail, 100.0 * family_conf, seed, vr.reps);
    printf("%.3g customers, %.3g events in %.1f s wall on %u threads%s\n", (double)n_customers,
           (double)n_events, elapsed, n_threads,
           n_failed ? "; SOME REPLICATIONS FAILED" : "");

    int status = (n_fail > 0 || n_failed > 0) ? 1 : 0;
    if (out_dir && write_csv(out_dir, rows, n_rows, family_conf, seed, vr.reps) != 0) {
        status = status ? status : 1;
    }
    free(rows);
    free(errs);
    free(vr.res);
    return status;
}
