/* SPDX-License-Identifier: MIT
 *
 * channel.h - a FIFO channel of items between producer and consumer tasks,
 * bounded or unbounded, with parked putters and getters.
 *
 * An mpsc channel in an async proxy: the SSE pump puts events, the client
 * writer gets them.  Capacity is in items (SIZE_MAX: unbounded).  A put that
 * finds a parked getter hands the item over directly; a put on a full channel
 * parks the producer with its item (or fails with try_put, for drop
 * policies); a get on an empty channel parks the consumer.  When a get makes
 * room, the head putter's item enters the queue and the putter is woken in
 * the same instant.  Timeouts work as in sim_resource.
 *
 * Items are opaque pointers the channel never dereferences or frees.
 * The ring grows by doubling; memory O(peak length).
 */
#ifndef SIM_CHANNEL_H
#define SIM_CHANNEL_H

#include "sim/stat.h"
#include "sim/waitq.h"

#include <stddef.h>

#define SIM_CHANNEL_UNBOUNDED SIZE_MAX

struct sim_channel {
    struct sim *s;
    size_t capacity;
    void **ring;
    size_t head, len, cap;
    struct sim_waitq getters; /* consumers waiting for an item */
    struct sim_waitq putters; /* producers waiting for room, item in waiter->item */
    struct sim_level length;  /* items queued over time */
    uint64_t n_put, n_got;
};

void sim_channel_init(struct sim_channel *ch, struct sim *s, size_t capacity);
void sim_channel_fini(struct sim_channel *ch);

/* Enqueues (or hands to a parked getter) unless full; false when full. */
bool sim_channel_try_put(struct sim_channel *ch, void *item);
/* True: accepted now.  False: parked until room (fn(s, who, item, true)) or
 * timeout (fn(s, who, item, false): the item is handed back). */
bool sim_channel_put(struct sim_channel *ch, void *item, double timeout_s, sim_wake_fn *fn,
                     void *who, struct sim_waiter **waiter);
/* Dequeues into *item; false when empty. */
bool sim_channel_try_get(struct sim_channel *ch, void **item);
/* True: *item filled now.  False: parked until an item arrives (fn(s, who, item,
 * true)) or timeout (fn(s, who, NULL, false)). */
bool sim_channel_get(struct sim_channel *ch, void **item, double timeout_s, sim_wake_fn *fn,
                     void *who, struct sim_waiter **waiter);
/* Removes a parked putter or getter without waking it. */
void sim_channel_abandon(struct sim_channel *ch, struct sim_waiter *w);
/* Drops the oldest queued item into *item (drop-oldest policy); false if empty. */
bool sim_channel_drop_oldest(struct sim_channel *ch, void **item);

static inline size_t sim_channel_len(const struct sim_channel *ch) { return ch->len; }
static inline bool sim_channel_is_full(const struct sim_channel *ch)
{
    return ch->len >= ch->capacity;
}

#endif
