/* SPDX-License-Identifier: MIT
 *
 * trials.h - the work of an experiment: (point x replication) trials, run by
 * an executor, results by index.
 *
 * A *point* is one fully built struct experiment (a profile and design with a
 * sweep's values applied, or one side of a comparison).  A *batch* is a set of
 * points and a range of replication numbers [rep_lo, rep_hi); trial t of the
 * batch is point t / (rep_hi - rep_lo), replication rep_lo + t % (rep_hi -
 * rep_lo), point-major so that a sweep's points finish roughly in order.  A
 * trial creates its own struct sim seeded from (the point's master seed,
 * replication, stream), runs the proxy model and keeps only the scalar
 * metrics: struct trials_out is plain fixed-size data, so an executor may move
 * it between processes as bytes.
 *
 * Invariants: a trial's result is a pure function of (point, replication), so
 * the results array is the same bytes whatever ran it: 1 thread, 8 threads or
 * MPI ranks on several machines.  Replication r of two points draws the same
 * random numbers for every purpose (common random numbers), which is what
 * makes comparisons paired and sweep curves smooth.
 *
 * The executor is a small vtable so that models/ never depends on MPI:
 * trials_exec_threads() runs on sim_replicate's dynamic thread pool;
 * cli/mpi_runner.c provides one that hands trial indices to ranks.  Every
 * process of an MPI job calls the same functions in the same order (SPMD) and
 * receives the full results array, so adaptive drivers (the SLO search) take
 * the same decisions on every rank; only the root writes output.
 *
 * Ownership: the caller owns points and output arrays; nothing here keeps a
 * pointer after a call returns.  Cost: one proxy replication per trial plus a
 * results struct allocated and freed inside it (series and histogram).
 */
#ifndef MODELS_TRIALS_H
#define MODELS_TRIALS_H

#include "models/params.h"
#include "models/results.h"
#include "sim/err.h"
#include "sim/replicate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What one trial hands back.  Plain bytes: no pointers (executors copy it). */
struct trials_out {
    double metric[RM_N]; /* NAN where the replication could not measure */
    int32_t status;      /* SIM_OK, or the trial's failure */
    int32_t stopped;     /* the divergence guard stopped the replication */
};

/* Runs trials 0..n-1 of fn; trial i writes result_bytes bytes at
 * results + i * result_bytes (fn does that itself, through its ctx) and its
 * status into errs[i].  On return every participating process holds all n
 * results and statuses.  Returns the number of failed trials. */
typedef size_t trials_exec_fn(void *self, size_t n, sim_trial_fn *fn, void *ctx, void *results,
                              size_t result_bytes, struct sim_err *errs,
                              sim_progress_fn *progress, void *progress_ctx);

struct trials_exec {
    trials_exec_fn *run;
    void *self;
    bool is_root;       /* the process that prints and writes files */
    unsigned n_workers; /* threads or ranks, for the output's header */
    const char *kind;   /* "thread" or "mpi rank": the noun for one worker */
};

/* Threads of this process (0: one per online core).  self is unused. */
struct trials_exec trials_exec_threads(unsigned n_threads);

struct trials_batch {
    const struct experiment *points; /* n_points entries */
    size_t n_points;
    unsigned rep_lo, rep_hi;         /* replications [rep_lo, rep_hi) of every point */
};

static inline size_t trials_batch_size(const struct trials_batch *b)
{
    return b->n_points * (size_t)(b->rep_hi - b->rep_lo);
}

/* Runs the batch; out[p * (rep_hi - rep_lo) + (r - rep_lo)] is replication r
 * of point p; errs (same indexing, may be NULL) gets each status.  progress
 * receives trials done and total.  Returns the number of failed trials. */
size_t trials_run(const struct trials_exec *x, const struct trials_batch *b,
                  struct trials_out *out, struct sim_err *errs, sim_progress_fn *progress,
                  void *progress_ctx);

/* Metric m of replications 0..reps-1 of point `point`, from the out of a batch
 * of reps replications a point, into x[0..reps-1]; NAN for a replication that
 * failed, so that a CI skips it (sim_ci_compute) instead of counting it. */
void trials_metric_column(const struct trials_out *out, size_t point, unsigned reps, int m,
                          double *x);

/* One trial, in the caller's thread: replication rep of experiment e. */
int trials_run_one(const struct experiment *e, unsigned rep, struct trials_out *out,
                   struct sim_err *err);

#endif
