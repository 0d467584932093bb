/* SPDX-License-Identifier: MIT
 *
 * xpsetup.c - shared set-up of the experiment subcommands; see xpsetup.h.
 */
#include "cli/xpsetup.h"

#include "cli/args.h"
#include "models/config.h"
#include "models/guard.h"
#include "models/results.h"
#include "sim/check.h"

#ifdef PROXYSIM_MPI
#include "cli/mpi_runner.h"
#endif

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int xpsetup_flag(const char *cmd, int ch, const char *arg, uint64_t reps_lo, uint64_t reps_hi,
                 struct xpsetup_flags *f)
{
    switch (ch) {
    case 'r':
        return args_u64(cmd, "--reps", arg, reps_lo, reps_hi, &f->reps);
    case 's':
        f->have_seed = true;
        return args_u64(cmd, "--seed", arg, 0, UINT64_MAX, &f->seed);
    case 't':
        return args_u64(cmd, "--threads", arg, 0, 1024, &f->threads);
    case 'S':
        if (f->n_sets == XPSETUP_MAX_SETS) {
            fprintf(stderr, "proxysim %s: --set: too many (expected at most %d)\n", cmd,
                    XPSETUP_MAX_SETS);
            return 2;
        }
        f->sets[f->n_sets++] = arg;
        return 0;
    case 'o':
        f->out_dir = arg;
        return 0;
    case 'q':
        f->quiet = true;
        return 0;
    default:
        return -1;
    }
}

int xpsetup_open(struct xpsetup *x, const char *cmd, unsigned threads)
{
    memset(x, 0, sizeof *x);
    x->cmd = cmd;
#ifdef PROXYSIM_MPI
    if (mpi_runner_launched()) {
        x->mpi = true;
        return mpi_runner_open(threads, &x->exec);
    }
#endif
    x->threads_given = threads != 0;
    x->exec = trials_exec_threads(threads);
    return 0;
}

const char *xpsetup_workers(const struct xpsetup *x, char *buf, size_t size)
{
    snprintf(buf, size, "%u %s%s", x->exec.n_workers, x->exec.kind,
             x->exec.n_workers == 1 ? "" : "s");
    return buf;
}

void xpsetup_apply_run_threads(struct xpsetup *x, const struct experiment *base)
{
    if (!x->mpi && !x->threads_given && base->run.threads) {
        x->exec = trials_exec_threads(base->run.threads);
    }
}

void xpsetup_close(struct xpsetup *x)
{
#ifdef PROXYSIM_MPI
    if (x->mpi) {
        mpi_runner_close(&x->exec);
    }
#endif
    x->mpi = false;
}

int xpsetup_load(const char *cmd, const char *scenario, const char *const *sets, size_t n_sets,
                 const char *const *extra, size_t n_extra, struct experiment *out)
{
    const char **all = sim_xcalloc(n_sets + n_extra + 1, sizeof *all);
    for (size_t i = 0; i < n_sets; i++) {
        all[i] = sets[i];
    }
    for (size_t i = 0; i < n_extra; i++) {
        all[n_sets + i] = extra[i];
    }
    struct config_overrides ov = {.sets = all, .n_sets = n_sets + n_extra};
    struct sim_err err;
    sim_err_clear(&err);
    int rc;
    /* PROFILE:DESIGN, either of them a file (compare's low:/tmp/my-capped.yaml,
     * configs/profiles/low.yaml:bounded-target), split at the first colon as
     * run does; unless the whole text names a file. */
    const char *colon = strchr(scenario, ':');
    if (colon && access(scenario, F_OK) != 0) {
        char prof[256];
        snprintf(prof, sizeof prof, "%.*s", (int)(colon - scenario), scenario);
        rc = config_build_experiment(prof, colon + 1, &ov, out, &err);
    } else if (config_builtin_find(CONFIG_PROFILE, scenario)) {
        rc = config_build_experiment(scenario, "legacy-reverse", &ov, out, &err);
    } else {
        rc = config_load_experiment(scenario, &ov, out, &err);
    }
    free(all);
    if (rc != SIM_OK) {
        fprintf(stderr, "proxysim %s: %s\n", cmd, err.msg);
        return 2;
    }
    return 0;
}

int xpsetup_check_vary(const char *cmd, const char *scenario, const char *const *sets,
                       size_t n_sets, const char *const *assignments, size_t n)
{
    struct experiment e;
    if (xpsetup_load(cmd, scenario, sets, n_sets, NULL, 0, &e) != 0) {
        return 2;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct sim_err err;
        sim_err_clear(&err);
        if (config_apply_set(&e, assignments[i], &err) != SIM_OK) {
            /* The loader says "--set:1:COL: key: ..."; the flag here is --vary. */
            const char *msg = err.msg;
            if (strncmp(msg, "--set:", 6) == 0) {
                const char *c = strchr(msg + 6, ':');
                c = c ? strchr(c + 1, ':') : NULL;
                msg = c ? c + 1 + (c[1] == ' ') : msg;
            }
            fprintf(stderr, "proxysim %s: --vary %s: %s\n", cmd, assignments[i], msg);
            rc = 2;
        }
    }
    config_free_experiment(&e);
    return rc;
}

void xpsetup_pair_points(struct xpsetup *x, const struct xpsetup_flags *fl,
                        struct experiment *points, size_t n_points, uint64_t *seed,
                        unsigned *reps, double *conf)
{
    const struct run_params *first = &points[0].run;
    *seed = fl->have_seed ? fl->seed : first->seed;
    *reps = fl->reps ? (unsigned)fl->reps : (first->reps >= 2 ? first->reps : 2);
    *conf = first->confidence > 0 ? first->confidence : 0.95;
    xpsetup_apply_run_threads(x, &points[0]);
    for (size_t i = 0; i < n_points; i++) {
        points[i].run.seed = *seed;
    }
}

size_t xpsetup_run_points(const struct xpsetup *x, const struct experiment *points,
                          size_t n_points, unsigned reps, bool quiet, struct trials_out *out,
                          double *wall_s)
{
    struct trials_batch b = {.points = points, .n_points = n_points, .rep_lo = 0, .rep_hi = reps};
    size_t n = trials_batch_size(&b);
    struct sim_err *errs = sim_xcalloc(n, sizeof *errs);
    struct xpsetup_progress xp = {.reps_per_point = reps, .points_total = n_points};
    progress_init(&xp.pg, x->cmd, "reps", quiet || !x->exec.is_root);
    double t0 = guard_wall_s();
    size_t failed = trials_run(&x->exec, &b, out, errs, xpsetup_progress_fn, &xp);
    *wall_s = guard_wall_s() - t0;
    progress_finish(&xp.pg);
    for (size_t i = 0; i < n; i++) {
        if (errs[i].code != SIM_OK) {
            fprintf(stderr, "proxysim %s: %s, replication %zu (seed %" PRIu64 "): %s\n", x->cmd,
                    points[i / reps].name, i % reps, points[i / reps].run.seed, errs[i].msg);
        }
    }
    free(errs);
    return failed;
}

char *xpsetup_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = sim_xmalloc(len);
    snprintf(p, len, "%s/%s", dir, name);
    return p;
}

void xpsetup_num(char *buf, size_t size, double v)
{
    if (v != v) {
        buf[0] = '\0';
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            return;
        }
    }
}

void xpsetup_progress_fn(void *ctx, size_t done, size_t total)
{
    struct xpsetup_progress *xp = ctx;
    size_t per = xp->reps_per_point ? xp->reps_per_point : 1;
    progress_set_outer(&xp->pg, xp->points_before + done / per, xp->points_total, "points");
    progress_update(&xp->pg, done, total);
}

