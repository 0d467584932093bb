/* SPDX-License-Identifier: MIT
 *
 * resource.h - a multi-server resource: c identical units, FIFO waiters,
 * acquire with timeout.
 *
 * Executor workers, upstream pool slots, a session-store lock: anything of
 * which at most `capacity` holders exist at once.  sim_resource_acquire
 * either grants at once (returns true; the callback is not called) or parks
 * the request.  On release, if anyone waits, the unit passes directly to the
 * head waiter at the same instant and its callback runs before release
 * returns: there is no moment in which the unit looks free while someone
 * waits, so no later arrival can overtake (atomic hand-over).  A waiter whose
 * timeout fires first leaves the queue, is counted in n_timeouts, and is
 * woken with ok = false.
 *
 * Statistics kept: units busy (and, in waiters.len, the queue length) as time-weighted levels, the
 * wait of every granted request (0 when granted at once) as a tally and a
 * log histogram, grants and timeouts counted.  sim_resource_reset_stats
 * forgets them at the end of a warm-up.
 */
#ifndef SIM_RESOURCE_H
#define SIM_RESOURCE_H

#include "sim/stat.h"
#include "sim/waitq.h"

struct sim_resource {
    struct sim *s;
    unsigned capacity;
    unsigned in_use;
    struct sim_waitq waiters;
    struct sim_level busy;  /* units in use */
    struct sim_tally wait;  /* waits of granted requests, seconds */
    struct sim_loghist wait_hist;
    uint64_t n_granted;
    uint64_t n_timeouts_base; /* waiters.n_timeouts at the last stats reset */
};

void sim_resource_init(struct sim_resource *r, struct sim *s, unsigned capacity);
void sim_resource_fini(struct sim_resource *r);

/* True when a unit is free and now held; false when none is free (nothing queued). */
bool sim_resource_try_acquire(struct sim_resource *r);
/* True: granted now.  False: parked; fn(s, who, NULL, true) at the hand-over or
 * fn(s, who, NULL, false) after timeout_s (INFINITY: wait forever).  *waiter (if
 * not NULL) receives the parked request, for sim_resource_abandon. */
bool sim_resource_acquire(struct sim_resource *r, double timeout_s, sim_wake_fn *fn, void *who,
                          struct sim_waiter **waiter);
/* A parked request gives up (its owner went away): no callback. */
void sim_resource_abandon(struct sim_resource *r, struct sim_waiter *w);
void sim_resource_release(struct sim_resource *r);
/* Grows or shrinks the number of units; growth serves waiters at once,
 * shrinking takes effect as holders release. */
void sim_resource_set_capacity(struct sim_resource *r, unsigned capacity);

static inline size_t sim_resource_n_waiting(const struct sim_resource *r)
{
    return r->waiters.n;
}
static inline uint64_t sim_resource_n_timeouts(const struct sim_resource *r)
{
    return r->waiters.n_timeouts - r->n_timeouts_base;
}
void sim_resource_reset_stats(struct sim_resource *r);

#endif
