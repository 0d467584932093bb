/* SPDX-License-Identifier: MIT
 *
 * trials.c - (point x replication) trials on an executor; see trials.h.
 */
#include "models/trials.h"

#include "models/proxy.h"
#include "sim/check.h"
#include "sim/sim.h"

#include <math.h>
#include <string.h>

int trials_run_one(const struct experiment *e, unsigned rep, struct trials_out *out,
                   struct sim_err *err)
{
    (void)err;
    /* memset, not an initialiser: padding bytes are part of what an MPI
     * executor sends and what a byte-for-byte comparison sees. */
    memset(out, 0, sizeof *out);
    struct sim_opts so = {.master_seed = e->run.seed, .rep = rep, .n_streams = PROXY_N_STREAMS};
    struct sim *s = sim_create(&so);
    struct proxy *px = proxy_create(s, e);
    proxy_run(px);
    struct rep_result r;
    proxy_results_init(&e->profile, &r);
    proxy_collect(px, &r);
    memcpy(out->metric, r.metric, sizeof out->metric);
    out->stopped = r.stopped;
    out->status = SIM_OK;
    results_rep_fini(&r);
    proxy_destroy(px);
    sim_destroy(s);
    return SIM_OK;
}

struct batch_ctx {
    const struct trials_batch *b;
    struct trials_out *out;
};

static int batch_trial(void *vctx, size_t t, struct sim_err *err)
{
    struct batch_ctx *c = vctx;
    size_t nr = (size_t)(c->b->rep_hi - c->b->rep_lo);
    const struct experiment *e = &c->b->points[t / nr];
    int rc = trials_run_one(e, c->b->rep_lo + (unsigned)(t % nr), &c->out[t], err);
    c->out[t].status = rc;
    return rc;
}

size_t trials_run(const struct trials_exec *x, const struct trials_batch *b,
                  struct trials_out *out, struct sim_err *errs, sim_progress_fn *progress,
                  void *progress_ctx)
{
    SIM_REQUIRE(b->rep_hi > b->rep_lo);
    size_t n = trials_batch_size(b);
    struct batch_ctx c = {.b = b, .out = out};
    return x->run(x->self, n, batch_trial, &c, out, sizeof *out, errs, progress, progress_ctx);
}

void trials_metric_column(const struct trials_out *out, size_t point, unsigned reps, int m,
                          double *x)
{
    for (unsigned r = 0; r < reps; r++) {
        const struct trials_out *t = &out[point * reps + r];
        x[r] = t->status == SIM_OK ? t->metric[m] : NAN;
    }
}

static size_t threads_run(void *self, size_t n, sim_trial_fn *fn, void *ctx, void *results,
                          size_t result_bytes, struct sim_err *errs, sim_progress_fn *progress,
                          void *progress_ctx)
{
    /* The thread count travels in self's pointer value: the executor has no
     * other state, and a struct to hold one unsigned would need an owner. */
    (void)results;
    (void)result_bytes;
    struct sim_replicate_opts ro = {
        .n_threads = (unsigned)(uintptr_t)self, .progress = progress, .progress_ctx = progress_ctx};
    return sim_replicate(n, fn, ctx, &ro, errs);
}

struct trials_exec trials_exec_threads(unsigned n_threads)
{
    unsigned nt = n_threads ? n_threads : sim_cpu_count();
    return (struct trials_exec){.run = threads_run,
                                .self = (void *)(uintptr_t)nt,
                                .is_root = true,
                                .n_workers = nt,
                                .kind = "thread"};
}
