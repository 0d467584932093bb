/* SPDX-License-Identifier: MIT */
#include "sim/evq.h"

#include "sim/check.h"

#include <stdlib.h>
#include <string.h>

#define ARITY 4 /* 4-ary: half the depth of a binary heap, children share a cache line pair */
#define NO_SLOT UINT32_MAX
#define SEQ_MASK ((UINT64_C(1) << 56) - 1)

static inline bool entry_less(const struct evq_entry *a, const struct evq_entry *b)
{
    return a->t_s < b->t_s || (a->t_s == b->t_s && a->key < b->key);
}

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    q->cap = 64;
    q->heap = sim_xmalloc(q->cap * sizeof *q->heap);
    q->cap_slots = 64;
    q->pos = sim_xmalloc(q->cap_slots * sizeof *q->pos);
    q->rec = sim_xmalloc(q->cap_slots * sizeof *q->rec);
    q->free_head = NO_SLOT;
}

void evq_fini(struct evq *q)
{
    free(q->heap);
    free(q->pos);
    free(q->rec);
    memset(q, 0, sizeof *q);
}

void evq_reset(struct evq *q)
{
    for (size_t i = 0; i < q->n; i++) {
        uint32_t slot = q->heap[i].slot;
        q->rec[slot].gen++;
        q->rec[slot].next_free = q->free_head;
        q->free_head = slot;
    }
    q->n = 0;
}

size_t evq_footprint_bytes(const struct evq *q)
{
    return sizeof *q + q->cap * sizeof *q->heap +
           q->cap_slots * (sizeof *q->pos + sizeof *q->rec);
}

static uint32_t slot_alloc(struct evq *q)
{
    if (q->free_head != NO_SLOT) {
        uint32_t slot = q->free_head;
        q->free_head = q->rec[slot].next_free;
        return slot;
    }
    if (q->n_slots == q->cap_slots) {
        SIM_REQUIRE(q->cap_slots < UINT32_MAX / 2);
        q->cap_slots *= 2;
        q->pos = sim_xreallocarray(q->pos, q->cap_slots, sizeof *q->pos);
        q->rec = sim_xreallocarray(q->rec, q->cap_slots, sizeof *q->rec);
    }
    q->rec[q->n_slots].gen = 1;
    return q->n_slots++;
}

static inline void slot_free(struct evq *q, uint32_t slot)
{
    struct evq_rec *r = &q->rec[slot];
    r->gen++;
    if (r->gen == 0) {
        r->gen = 1; /* keep handles non-zero after 2^32 reuses */
    }
    r->next_free = q->free_head;
    q->free_head = slot;
}

static inline void sift_up(struct evq *q, size_t i, struct evq_entry e)
{
    struct evq_entry *h = q->heap;
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!entry_less(&e, &h[parent])) {
            break;
        }
        h[i] = h[parent];
        q->pos[h[i].slot] = (uint32_t)i;
        i = parent;
    }
    h[i] = e;
    q->pos[e.slot] = (uint32_t)i;
}

static inline void sift_down(struct evq *q, size_t i, struct evq_entry e)
{
    struct evq_entry *h = q->heap;
    size_t n = q->n;
    for (;;) {
        size_t c = ARITY * i + 1;
        if (c >= n) {
            break;
        }
        size_t m = c;
        size_t end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++) {
            if (entry_less(&h[k], &h[m])) {
                m = k;
            }
        }
        if (!entry_less(&h[m], &e)) {
            break;
        }
        h[i] = h[m];
        q->pos[h[i].slot] = (uint32_t)i;
        i = m;
    }
    h[i] = e;
    q->pos[e.slot] = (uint32_t)i;
}

sim_evid evq_push(struct evq *q, double t_s, unsigned prio, sim_event_fn *fn, void *subject,
                  void *object)
{
    SIM_ASSERT(prio <= SIM_EVQ_PRIO_MAX);
    if (q->n == q->cap) {
        q->cap *= 2;
        q->heap = sim_xreallocarray(q->heap, q->cap, sizeof *q->heap);
    }
    uint32_t slot = slot_alloc(q);
    struct evq_rec *r = &q->rec[slot];
    r->fn = fn;
    r->subject = subject;
    r->object = object;
    struct evq_entry e = {t_s, ((uint64_t)prio << 56) | (q->seq++ & SEQ_MASK), slot};
    sift_up(q, q->n++, e);
    return ((uint64_t)r->gen << 32) | slot;
}

bool evq_pop(struct evq *q, struct evq_fired *out)
{
    if (q->n == 0) {
        return false;
    }
    uint32_t slot = q->heap[0].slot;
    out->t_s = q->heap[0].t_s;
    /* With many pending events the slot's record is far from the cache; fetch it
     * while the sift-down below runs, rather than stall on it afterwards. */
    __builtin_prefetch(&q->rec[slot]);
    if (--q->n > 0) {
        sift_down(q, 0, q->heap[q->n]);
    }
    const struct evq_rec *r = &q->rec[slot];
    out->fn = r->fn;
    out->subject = r->subject;
    out->object = r->object;
    slot_free(q, slot);
    return true;
}

/* The heap index of a live handle, or SIZE_MAX when it is stale. */
static size_t live_index(const struct evq *q, sim_evid id)
{
    uint32_t slot = (uint32_t)id;
    if (id == 0 || slot >= q->n_slots || q->rec[slot].gen != (uint32_t)(id >> 32)) {
        return SIZE_MAX;
    }
    size_t i = q->pos[slot];
    if (i >= q->n || q->heap[i].slot != slot) {
        return SIZE_MAX;
    }
    return i;
}

/* Puts e at index i (a hole) and restores the heap order around it. */
static void settle(struct evq *q, size_t i, struct evq_entry e)
{
    if (i > 0 && entry_less(&e, &q->heap[(i - 1) / ARITY])) {
        sift_up(q, i, e);
    } else {
        sift_down(q, i, e);
    }
}

bool evq_cancel(struct evq *q, sim_evid id)
{
    size_t i = live_index(q, id);
    if (i == SIZE_MAX) {
        return false;
    }
    slot_free(q, q->heap[i].slot);
    if (--q->n > i) {
        settle(q, i, q->heap[q->n]);
    }
    return true;
}

bool evq_reschedule(struct evq *q, sim_evid id, double t_s)
{
    size_t i = live_index(q, id);
    if (i == SIZE_MAX) {
        return false;
    }
    struct evq_entry e = q->heap[i];
    e.t_s = t_s;
    e.key = (e.key & ~SEQ_MASK) | (q->seq++ & SEQ_MASK);
    settle(q, i, e);
    return true;
}

double evq_time(const struct evq *q, sim_evid id)
{
    size_t i = live_index(q, id);
    return i == SIZE_MAX ? -1.0 : q->heap[i].t_s;
}
