/* SPDX-License-Identifier: MIT */
#include "sim/channel.h"

#include "sim/check.h"
#include "sim/ring.h"

#include <stdlib.h>

void sim_channel_init(struct sim_channel *ch, struct sim *s, size_t capacity)
{
    ch->s = s;
    ch->capacity = capacity;
    ch->cap = 8;
    ch->ring = sim_xmalloc(ch->cap * sizeof *ch->ring);
    ch->head = ch->len = 0;
    sim_waitq_init(&ch->getters, s);
    sim_waitq_init(&ch->putters, s);
    sim_level_init(&ch->length, sim_now(s), 0.0);
    ch->n_put = ch->n_got = 0;
}

void sim_channel_fini(struct sim_channel *ch)
{
    sim_waitq_fini(&ch->getters);
    sim_waitq_fini(&ch->putters);
    sim_level_fini(&ch->length);
    free(ch->ring);
    ch->ring = NULL;
}

static void ring_push(struct sim_channel *ch, void *item)
{
    if (ch->len == ch->cap) {
        ch->ring = sim_ring_grow(ch->ring, sizeof *ch->ring, ch->head, ch->cap, 2 * ch->cap);
        ch->head = 0;
        ch->cap *= 2;
    }
    ch->ring[(ch->head + ch->len) % ch->cap] = item;
    ch->len++;
    sim_level_set(&ch->length, sim_now(ch->s), (double)ch->len);
}

static void *ring_pop(struct sim_channel *ch)
{
    void *item = ch->ring[ch->head];
    ch->head = (ch->head + 1) % ch->cap;
    ch->len--;
    sim_level_set(&ch->length, sim_now(ch->s), (double)ch->len);
    return item;
}

/* Wakes a popped waiter and returns its node. */
static void wake(struct sim_waitq *q, struct sim_waiter *w, void *item)
{
    sim_wake_fn *fn = w->fn;
    void *who = w->who;
    sim_waitq_done(q, w);
    fn(q->s, who, item, true);
}

bool sim_channel_try_put(struct sim_channel *ch, void *item)
{
    if (ch->getters.n > 0) {
        ch->n_put++;
        ch->n_got++;
        wake(&ch->getters, sim_waitq_pop(&ch->getters), item);
        return true;
    }
    if (ch->len >= ch->capacity || ch->putters.n > 0) {
        return false;
    }
    ch->n_put++;
    ring_push(ch, item);
    return true;
}

bool sim_channel_put(struct sim_channel *ch, void *item, double timeout_s, sim_wake_fn *fn,
                     void *who, struct sim_waiter **waiter)
{
    if (sim_channel_try_put(ch, item)) {
        return true;
    }
    struct sim_waiter *w = sim_waitq_push(&ch->putters, timeout_s, fn, who, item, 1.0);
    if (waiter) {
        *waiter = w;
    }
    return false;
}

/* After a get made room: the head putter's item moves into the queue. */
static void admit_putter(struct sim_channel *ch)
{
    if (ch->putters.n > 0 && ch->len < ch->capacity) {
        struct sim_waiter *w = sim_waitq_pop(&ch->putters);
        void *item = w->item;
        ch->n_put++;
        ring_push(ch, item);
        wake(&ch->putters, w, item);
    }
}

bool sim_channel_try_get(struct sim_channel *ch, void **item)
{
    if (ch->len > 0) {
        *item = ring_pop(ch);
        ch->n_got++;
        admit_putter(ch);
        return true;
    }
    if (ch->putters.n > 0) { /* capacity 0: a rendezvous */
        struct sim_waiter *w = sim_waitq_pop(&ch->putters);
        *item = w->item;
        ch->n_put++;
        ch->n_got++;
        wake(&ch->putters, w, w->item);
        return true;
    }
    return false;
}

bool sim_channel_get(struct sim_channel *ch, void **item, double timeout_s, sim_wake_fn *fn,
                     void *who, struct sim_waiter **waiter)
{
    if (sim_channel_try_get(ch, item)) {
        return true;
    }
    struct sim_waiter *w = sim_waitq_push(&ch->getters, timeout_s, fn, who, NULL, 1.0);
    if (waiter) {
        *waiter = w;
    }
    return false;
}

void sim_channel_abandon(struct sim_channel *ch, struct sim_waiter *w)
{
    sim_waitq_remove(w->q == &ch->getters ? &ch->getters : &ch->putters, w);
}

bool sim_channel_drop_oldest(struct sim_channel *ch, void **item)
{
    if (ch->len == 0) {
        return false;
    }
    *item = ring_pop(ch);
    admit_putter(ch);
    return true;
}
