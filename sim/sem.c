/* SPDX-License-Identifier: MIT */
#include "sim/sem.h"

void sim_sem_init(struct sim_sem *m, struct sim *s, double permits)
{
    m->s = s;
    m->available = m->total = permits;
    sim_waitq_init(&m->waiters, s);
    sim_level_init(&m->held, sim_now(s), 0.0);
}

void sim_sem_fini(struct sim_sem *m)
{
    sim_waitq_fini(&m->waiters);
    sim_level_fini(&m->held);
}

static void take(struct sim_sem *m, double n)
{
    m->available -= n;
    sim_level_set(&m->held, sim_now(m->s), m->total - m->available);
}

bool sim_sem_try_acquire(struct sim_sem *m, double n)
{
    if (m->waiters.n > 0 || m->available < n) {
        return false;
    }
    take(m, n);
    return true;
}

bool sim_sem_acquire(struct sim_sem *m, double n, double timeout_s, sim_wake_fn *fn, void *who,
                     struct sim_waiter **waiter)
{
    if (sim_sem_try_acquire(m, n)) {
        return true;
    }
    struct sim_waiter *w = sim_waitq_push(&m->waiters, timeout_s, fn, who, NULL, n);
    if (waiter) {
        *waiter = w;
    }
    return false;
}

void sim_sem_abandon(struct sim_sem *m, struct sim_waiter *w)
{
    sim_waitq_remove(&m->waiters, w);
}

static void serve(struct sim_sem *m)
{
    while (m->waiters.head && m->waiters.head->amount <= m->available) {
        struct sim_waiter *w = sim_waitq_pop(&m->waiters);
        take(m, w->amount);
        sim_wake_fn *fn = w->fn;
        void *who = w->who;
        sim_waitq_done(&m->waiters, w);
        fn(m->s, who, NULL, true);
    }
}

void sim_sem_release(struct sim_sem *m, double n)
{
    m->available += n;
    sim_level_set(&m->held, sim_now(m->s), m->total - m->available);
    serve(m);
}

void sim_sem_add(struct sim_sem *m, double n)
{
    m->total += n;
    m->available += n;
    serve(m);
}
