/* SPDX-License-Identifier: MIT
 *
 * reps.h - the model tests' replication helpers: run an experiment's replications
 * (every one must succeed), summarise them, and free them.
 */
#ifndef TESTS_REPS_H
#define TESTS_REPS_H

#include "models/proxy.h"
#include "models/results.h"
#include "sim/check.h"
#include "tests/check.h"

/* e->run.reps replications on `threads` threads, summarised into sum; the caller
 * frees the replications with free_reps. */
static inline struct rep_result *run_reps_on(const struct experiment *e, unsigned threads,
                                             struct exp_summary *sum)
{
    struct rep_result *res = sim_xcalloc(e->run.reps, sizeof *res);
    struct proxy_run_opts ro = {.threads = threads};
    assert_int_equal(proxy_replicate(e, &ro, res, NULL), 0);
    results_summarize(res, e->run.reps, e->run.confidence, sum);
    return res;
}

static inline struct rep_result *run_reps(const struct experiment *e, struct exp_summary *sum)
{
    return run_reps_on(e, 2, sum);
}

static inline void free_reps(const struct experiment *e, struct rep_result *res)
{
    for (unsigned i = 0; i < e->run.reps; i++) {
        results_rep_fini(&res[i]);
    }
    free(res);
}

#endif
