/* SPDX-License-Identifier: MIT
 *
 * replicate.h - independent replications on worker threads.
 *
 * A trial is one unit of work (a replication, or a (point, replication) pair
 * of a sweep) identified by its index.  Workers take the next index from a
 * shared atomic counter (dynamic distribution: a fast worker takes more), run
 * the trial, and the trial writes its result into the caller's storage at its
 * own index.  Because a trial's inputs are a pure function of its index (its
 * struct sim is created inside it, its seeds derive from master seed and
 * index), the results do not depend on the number of threads or on which
 * thread ran what: 1, 2 or 8 threads give the same bytes.
 *
 * A trial that fails (returns non-zero) is recorded with its message; the
 * others go on.  An optional progress callback is called, serialised under a
 * mutex, after each trial.
 */
#ifndef SIM_REPLICATE_H
#define SIM_REPLICATE_H

#include "sim/err.h"

#include <stddef.h>

/* Runs trial `index`; returns 0 (SIM_OK) or a negative status with err filled. */
typedef int sim_trial_fn(void *ctx, size_t index, struct sim_err *err);
typedef void sim_progress_fn(void *pctx, size_t done, size_t total);

struct sim_replicate_opts {
    unsigned n_threads; /* 0: one per online core */
    sim_progress_fn *progress;
    void *progress_ctx;
};

/* Runs trials 0..n-1; errs (n entries, may be NULL) receives each trial's
 * status.  Returns the number of failed trials. */
size_t sim_replicate(size_t n, sim_trial_fn *fn, void *ctx, const struct sim_replicate_opts *opts,
                     struct sim_err *errs);
/* Online cores, at least 1. */
unsigned sim_cpu_count(void);

#endif
