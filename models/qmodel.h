/* SPDX-License-Identifier: MIT
 *
 * qmodel.h - the textbook queues of qtheory.h, simulated through the real
 * engine, so `proxysim validate` tests the event queue, the RNG streams, the
 * resource with its FIFO hand-over and timeouts, the pools and the
 * statistics exactly as the proxy model uses them.
 *
 * One replication is one struct sim.  Customers are taken from a sim_pool;
 * the c servers are one sim_resource (acquire with a timeout when customers
 * are impatient: the resource's own timeout is the abandonment).  Open
 * models draw Poisson arrivals as events; a finite room K rejects an arrival
 * that finds K customers present.  The closed model has N clients that
 * think for Exp(Z), queue, are served, and think again.  Service times come
 * from a sim_dist.  Each random purpose has its own stream (arrivals,
 * service, think), so changing one does not shift the others' draws.
 *
 * A run discards a warm-up (every statistic is reset at warmup_s) and then
 * measures for measure_s.  Counts are taken by the event that decides them
 * (a grant, a timeout, a departure) inside the window; customers still
 * present at the end are not in the per-customer tallies, an edge effect of
 * order 1/(customers measured).
 *
 * Cost: about three events and one pool take/give per customer; memory is
 * O(customers present) for the pool and the resource's waiters.
 */
#ifndef MODELS_QMODEL_H
#define MODELS_QMODEL_H

#include "sim/dist.h"

#include <stdbool.h>
#include <stdint.h>

enum qmodel_stream { QMODEL_ARRIVALS, QMODEL_SERVICE, QMODEL_THINK, QMODEL_N_STREAMS };

struct qmodel_params {
    unsigned servers;       /* c >= 1 */
    unsigned room;          /* K: most customers present at once; 0 = unlimited (open only) */
    double arrival_rate_per_s; /* open model: Poisson rate; 0 for the closed model */
    unsigned clients;       /* closed model: N >= 1 (arrival_rate_per_s must be 0) */
    double think_mean_s;    /* closed model: mean of the exponential think time */
    double patience_s;      /* acquire timeout; INFINITY: customers wait forever */
    struct sim_dist service;
    double warmup_s, measure_s;
};

/* What one replication measured over [warmup_s, warmup_s + measure_s). */
struct qmodel_result {
    uint64_t n_arrivals;  /* arrivals (think ends, for the closed model) */
    uint64_t n_blocked;   /* turned away because K were present */
    uint64_t n_granted;   /* reached a server */
    uint64_t n_abandoned; /* timed out waiting */
    uint64_t n_departed;  /* left (served or abandoned): the customers in the sojourn tally */
    double mean_wait_s;   /* wait of granted customers */
    double p_wait;        /* fraction of granted customers that waited at all */
    double wait_p50_s, wait_p90_s, wait_p99_s; /* from the resource's log histogram */
    double mean_sojourn_s;        /* all departures: served and abandoned */
    double mean_sojourn_served_s; /* served departures only */
    double frac_blocked;   /* n_blocked / n_arrivals */
    double frac_abandoned; /* n_abandoned / (n_abandoned + n_granted) */
    double throughput_per_s; /* served departures per second */
    double departure_rate_per_s; /* all departures per second (lambda_eff for Little) */
    double mean_in_system; /* time-average customers present (waiting + in service) */
    double mean_busy;      /* time-average busy servers */
    double little_ratio;   /* mean_in_system / (departure_rate * mean_sojourn): 1 by Little */
    uint64_t n_events;
};

/* False with a reason when the parameters are inconsistent (checked before any run). */
bool qmodel_params_check(const struct qmodel_params *p, const char **why);

/* Runs one replication on its own struct sim seeded from (master_seed, rep). */
void qmodel_run(const struct qmodel_params *p, uint64_t master_seed, uint64_t rep,
                struct qmodel_result *out);

#endif
