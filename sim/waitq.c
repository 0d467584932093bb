/* SPDX-License-Identifier: MIT */
#include "sim/waitq.h"

#include "sim/check.h"

#include <math.h>

/* Timeouts fire after anything else at the same instant (a release at exactly
 * the deadline still serves the waiter). */
#define TIMEOUT_PRIO SIM_EVQ_PRIO_MAX

void sim_waitq_init(struct sim_waitq *q, struct sim *s)
{
    q->s = s;
    q->head = q->tail = NULL;
    q->n = 0;
    q->n_timeouts = 0;
    sim_level_init(&q->len, sim_now(s), 0.0);
    sim_pool_init(&q->nodes, sizeof(struct sim_waiter));
}

void sim_waitq_fini(struct sim_waitq *q)
{
    for (struct sim_waiter *w = q->head; w; w = w->next) {
        sim_cancel(q->s, w->timeout);
    }
    sim_pool_fini(&q->nodes);
    sim_level_fini(&q->len);
    q->head = q->tail = NULL;
    q->n = 0;
}

static void unlink_waiter(struct sim_waitq *q, struct sim_waiter *w)
{
    if (w->prev) {
        w->prev->next = w->next;
    } else {
        q->head = w->next;
    }
    if (w->next) {
        w->next->prev = w->prev;
    } else {
        q->tail = w->prev;
    }
    q->n--;
    sim_level_set(&q->len, sim_now(q->s), (double)q->n);
}

static void on_timeout(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sim_waiter *w = subject;
    struct sim_waitq *q = w->q;
    w->timeout = 0;
    unlink_waiter(q, w);
    q->n_timeouts++;
    sim_wake_fn *fn = w->fn;
    void *who = w->who, *item = w->item;
    sim_pool_give(&q->nodes, w);
    fn(s, who, item, false);
}

struct sim_waiter *sim_waitq_push(struct sim_waitq *q, double timeout_s, sim_wake_fn *fn,
                                  void *who, void *item, double amount)
{
    struct sim_waiter *w = sim_pool_take(&q->nodes);
    w->q = q;
    w->fn = fn;
    w->who = who;
    w->item = item;
    w->amount = amount;
    w->since_s = sim_now(q->s);
    w->timeout = isfinite(timeout_s) ? sim_schedule(q->s, timeout_s, TIMEOUT_PRIO, on_timeout, w, NULL)
                                     : 0;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail) {
        q->tail->next = w;
    } else {
        q->head = w;
    }
    q->tail = w;
    q->n++;
    sim_level_set(&q->len, w->since_s, (double)q->n);
    return w;
}

struct sim_waiter *sim_waitq_pop(struct sim_waitq *q)
{
    struct sim_waiter *w = q->head;
    if (w == NULL) {
        return NULL;
    }
    unlink_waiter(q, w);
    if (w->timeout) {
        sim_cancel(q->s, w->timeout);
        w->timeout = 0;
    }
    return w;
}

void sim_waitq_remove(struct sim_waitq *q, struct sim_waiter *w)
{
    SIM_REQUIRE(w->q == q);
    unlink_waiter(q, w);
    if (w->timeout) {
        sim_cancel(q->s, w->timeout);
    }
    sim_pool_give(&q->nodes, w);
}

void sim_waitq_done(struct sim_waitq *q, struct sim_waiter *w) { sim_pool_give(&q->nodes, w); }
