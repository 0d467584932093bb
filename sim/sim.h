/* SPDX-License-Identifier: MIT
 *
 * sim.h - one replication's world: the clock, the pending events, the
 * random streams.
 *
 * Everything a replication touches hangs off its struct sim, passed
 * explicitly to every model function and event callback (as libuv passes its
 * loop).  There is no global or thread-local state anywhere in proxysim, so
 * replications run on any number of threads and give the same bytes.
 *
 * Time is simulated seconds in a double (`_s` names).  sim_run pops events in
 * (time, priority, sequence) order, advances the clock to each event's time
 * and calls its callback, which may schedule and cancel further events.  A
 * callback may call sim_stop to end the run after it returns.
 *
 * Random streams are created with the sim (opts.n_streams of them), each
 * seeded from (master seed, replication, stream number); see rng.h.
 *
 * Ownership: the sim owns its queue and streams and frees them in
 * sim_destroy.  Models own their entities; the sim never frees a subject or
 * object pointer it was given.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "sim/evq.h"

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

struct sim_opts {
    uint64_t master_seed;
    uint64_t rep;       /* replication number, part of every stream's seed */
    unsigned n_streams; /* random purposes the model uses, numbered 0..n-1 */
};

struct sim {
    double now_s;
    struct evq q;
    bool stopped;
    uint64_t n_events; /* callbacks run so far */
    uint64_t master_seed;
    uint64_t rep;
    unsigned n_streams;
    gsl_rng **rng;
};

struct sim *sim_create(const struct sim_opts *opts);
void sim_destroy(struct sim *s);

/* Runs events with time <= until_s (INFINITY: until none are left or sim_stop).
 * On return the clock reads until_s unless the run stopped or ran dry earlier. */
void sim_run(struct sim *s, double until_s);
void sim_stop(struct sim *s);

static inline double sim_now(const struct sim *s) { return s->now_s; }

static inline gsl_rng *sim_rng(const struct sim *s, unsigned stream)
{
    return s->rng[stream];
}

/* Schedules fn(s, subject, object) delay_s from now (delay_s >= 0).  Lower prio
 * fires first among events at the same instant. */
sim_evid sim_schedule(struct sim *s, double delay_s, unsigned prio, sim_event_fn *fn,
                      void *subject, void *object);
/* As sim_schedule at an absolute time t_s >= now. */
sim_evid sim_schedule_at(struct sim *s, double t_s, unsigned prio, sim_event_fn *fn,
                         void *subject, void *object);
/* Cancels a pending event; false if it already fired or was cancelled (then a no-op). */
bool sim_cancel(struct sim *s, sim_evid id);
/* Moves a pending event to now + delay_s; false if id is stale. */
bool sim_reschedule(struct sim *s, sim_evid id, double delay_s);

static inline size_t sim_pending(const struct sim *s) { return evq_size(&s->q); }

#endif
