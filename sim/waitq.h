/* SPDX-License-Identifier: MIT
 *
 * waitq.h - a FIFO of parked requests, with timeouts; the shared machinery
 * under sim_resource, sim_channel and sim_sem.
 *
 * A waiter is one pending request: whom to wake (callback and its `who`),
 * what it carries (an item for a channel put, an amount for a semaphore), when
 * it started waiting, and the handle of its timeout event if it has one.
 * Waiters are doubly linked so one that times out or gives up leaves from the
 * middle in O(1); their memory comes from the queue's free list.
 *
 * The owner (resource, channel, semaphore) decides when the head is served
 * and calls sim_waitq_pop; the queue itself only handles the timeout: when it
 * fires, the waiter is unlinked, counted, and woken with ok = false.  Wake
 * callbacks run synchronously, at the instant of the hand-over or timeout.
 */
#ifndef SIM_WAITQ_H
#define SIM_WAITQ_H

#include "sim/pool.h"
#include "sim/sim.h"
#include "sim/stat.h"

#include <stdbool.h>
#include <stdint.h>

/* ok: granted (true) or timed out (false); item: the channel item delivered or
 * returned, NULL for resources and semaphores. */
typedef void sim_wake_fn(struct sim *s, void *who, void *item, bool ok);

struct sim_waiter {
    struct sim_waiter *prev, *next;
    struct sim_waitq *q;
    sim_wake_fn *fn;
    void *who;
    void *item;
    double amount;
    double since_s;
    sim_evid timeout;
};

struct sim_waitq {
    struct sim *s;
    struct sim_waiter *head, *tail;
    size_t n;
    uint64_t n_timeouts;
    struct sim_level len; /* waiters over time */
    struct sim_pool nodes;
};

void sim_waitq_init(struct sim_waitq *q, struct sim *s);
void sim_waitq_fini(struct sim_waitq *q);
/* Parks a request at the tail; timeout_s = INFINITY waits forever. */
struct sim_waiter *sim_waitq_push(struct sim_waitq *q, double timeout_s, sim_wake_fn *fn,
                                  void *who, void *item, double amount);
/* Unlinks the head (cancelling its timeout) and returns it; the caller reads it,
 * then calls sim_waitq_done.  NULL when empty. */
struct sim_waiter *sim_waitq_pop(struct sim_waitq *q);
/* Removes a waiter that gives up (no callback). */
void sim_waitq_remove(struct sim_waitq *q, struct sim_waiter *w);
/* Returns a popped waiter's memory. */
void sim_waitq_done(struct sim_waitq *q, struct sim_waiter *w);

#endif
