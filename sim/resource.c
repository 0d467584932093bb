/* SPDX-License-Identifier: MIT */
#include "sim/resource.h"

#include "sim/check.h"

void sim_resource_init(struct sim_resource *r, struct sim *s, unsigned capacity)
{
    r->s = s;
    r->capacity = capacity;
    r->in_use = 0;
    sim_waitq_init(&r->waiters, s);
    sim_level_init(&r->busy, sim_now(s), 0.0);
    sim_tally_init(&r->wait);
    sim_loghist_init(&r->wait_hist);
    r->n_granted = 0;
    r->n_timeouts_base = 0;
}

void sim_resource_fini(struct sim_resource *r)
{
    sim_waitq_fini(&r->waiters);
    sim_level_fini(&r->busy);
    sim_loghist_fini(&r->wait_hist);
}

static inline void record_grant(struct sim_resource *r, double wait_s)
{
    r->n_granted++;
    sim_tally_add(&r->wait, wait_s);
    sim_loghist_add(&r->wait_hist, wait_s);
}

bool sim_resource_try_acquire(struct sim_resource *r)
{
    if (r->in_use >= r->capacity) {
        return false;
    }
    r->in_use++;
    sim_level_set(&r->busy, sim_now(r->s), (double)r->in_use);
    record_grant(r, 0.0);
    return true;
}

bool sim_resource_acquire(struct sim_resource *r, double timeout_s, sim_wake_fn *fn, void *who,
                          struct sim_waiter **waiter)
{
    if (sim_resource_try_acquire(r)) {
        return true;
    }
    struct sim_waiter *w = sim_waitq_push(&r->waiters, timeout_s, fn, who, NULL, 1.0);
    if (waiter) {
        *waiter = w;
    }
    return false;
}

void sim_resource_abandon(struct sim_resource *r, struct sim_waiter *w)
{
    sim_waitq_remove(&r->waiters, w);
}

/* Hands free units to waiters, head first, while any are free. */
static void serve_waiters(struct sim_resource *r)
{
    while (r->in_use < r->capacity && r->waiters.n > 0) {
        struct sim_waiter *w = sim_waitq_pop(&r->waiters);
        r->in_use++;
        double now = sim_now(r->s);
        record_grant(r, now - w->since_s);
        sim_wake_fn *fn = w->fn;
        void *who = w->who;
        sim_waitq_done(&r->waiters, w);
        sim_level_set(&r->busy, now, (double)r->in_use);
        fn(r->s, who, NULL, true);
    }
}

void sim_resource_release(struct sim_resource *r)
{
    SIM_REQUIRE(r->in_use > 0);
    if (r->waiters.n > 0 && r->in_use <= r->capacity) {
        /* Hand-over: the unit goes straight to the head waiter, so the number
         * of units in use does not change, not even for an instant. */
        struct sim_waiter *w = sim_waitq_pop(&r->waiters);
        record_grant(r, sim_now(r->s) - w->since_s);
        sim_wake_fn *fn = w->fn;
        void *who = w->who;
        sim_waitq_done(&r->waiters, w);
        fn(r->s, who, NULL, true);
        return;
    }
    r->in_use--;
    sim_level_set(&r->busy, sim_now(r->s), (double)r->in_use);
}

void sim_resource_set_capacity(struct sim_resource *r, unsigned capacity)
{
    r->capacity = capacity;
    serve_waiters(r);
}

void sim_resource_reset_stats(struct sim_resource *r)
{
    double now = sim_now(r->s);
    sim_level_reset(&r->busy, now);
    sim_level_reset(&r->waiters.len, now);
    sim_tally_init(&r->wait);
    sim_loghist_reset(&r->wait_hist);
    r->n_granted = 0;
    r->n_timeouts_base = r->waiters.n_timeouts;
}
