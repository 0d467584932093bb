/* SPDX-License-Identifier: MIT
 *
 * reps.h - the model tests' shared helpers: the two reduced systems several
 * test files start from (one M/M/c queue, a set of never-ending SSE streams),
 * and running an experiment's replications (every one must succeed),
 * summarising them and freeing them.
 *
 * The set-ups keep their one schedule point in a static: the experiment
 * points at it, so the last set-up of a test file wins (each file has its
 * own copy, and cmocka runs the tests one at a time).
 */
#ifndef TESTS_REPS_H
#define TESTS_REPS_H

#include "models/presets.h"
#include "models/proxy.h"
#include "models/results.h"
#include "sim/check.h"
#include "tests/check.h"

#include <math.h>

/* The proxy reduced to one M/M/c queue: Poisson arrivals at lambda per second,
 * one request per connection, exponential upstream service of mean
 * service_mean_s, no CPU, instant connects, no TIME_WAIT, connections that
 * never expire, no session limit.  c is upstream.max_conns, the caller's. */
static inline void one_queue_experiment(struct experiment *e, double lambda, double service_mean_s)
{
    static struct schedule_point rate_pt[1];
    presets_default_experiment(e);
    struct profile *p = &e->profile;
    rate_pt[0] = (struct schedule_point){.at_s = 0.0, .value = lambda};
    p->rate_per_s = (struct schedule){1, rate_pt};
    p->upstream_service_s = sim_dist_exponential(service_mean_s);
    p->requests_per_conn = sim_dist_deterministic(1.0);
    struct design *d = &e->design;
    d->executor.cpu = (struct cpu_costs){0};
    d->upstream.connect_s = 0.0;
    d->upstream.idle_timeout_s = INFINITY;
    d->upstream.time_wait_s = 0.0;
    d->sessions.max_sessions = INFINITY;
}

/* n closed-loop clients, each holding a GET SSE stream that never ends on its
 * own, ev_per_s events per second on each (exponential gaps); no keepalives,
 * instant connects.  Which tasks are spawned is the caller's. */
static inline void streams_experiment(struct experiment *e, double n, double ev_per_s)
{
    static struct schedule_point clients_pt[1];
    presets_default_experiment(e);
    struct profile *p = &e->profile;
    p->arrivals = ARRIVALS_CLOSED;
    clients_pt[0] = (struct schedule_point){.at_s = 0.0, .value = n};
    p->clients = (struct schedule){1, clients_pt};
    p->think_s = sim_dist_deterministic(0.0);
    p->mix = (struct request_mix){.get_sse_p = 1.0};
    p->sse.lifetime_s = sim_dist_deterministic(1e9);
    p->sse.event_gap_s = sim_dist_exponential(1.0 / ev_per_s);
    struct design *d = &e->design;
    d->sse.keepalive_s = d->sse.keepalive2_s = INFINITY;
    d->upstream.connect_s = 0.0;
}

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
