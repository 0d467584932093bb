/* SPDX-License-Identifier: MIT */
#include "sim/evq.h"

#include "sim/check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ARITY 4 /* 4-ary: half the depth of a binary heap, and 4 x 16 bytes = one cache line */
#define HEAP_OFFSET 3
/* Entries past the last hold SENTINEL, so a sift-down always compares four
 * children: the array keeps PAD spare entries beyond its capacity, enough
 * that the lines it prefetches for the next level (up to index n - 1 + 12)
 * are inside the allocation too. */
#define PAD (ARITY * ARITY)
static const struct evq_entry SENTINEL = {INFINITY, UINT64_MAX};
#define NO_SLOT UINT32_MAX
#define POS_NEXT UINT32_MAX /* the position of the imminent event, held outside the heap */
#define SLOT_BITS 24
#define SEQ_BITS 36
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)
#define SEQ_LIMIT (UINT64_C(1) << SEQ_BITS)

/* The order as one 128-bit unsigned key: a non-negative double's bits grow with
 * its value, so (time bits, word) compares without a branch. */
__extension__ typedef unsigned __int128 evq_key;

static inline evq_key entry_key(const struct evq_entry *e)
{
    uint64_t bits;
    memcpy(&bits, &e->t_s, sizeof bits);
    return (evq_key)bits << 64 | e->word;
}

static inline bool entry_less(const struct evq_entry *a, const struct evq_entry *b)
{
    return entry_key(a) < entry_key(b);
}

/* The earlier of two heap indices, chosen with a conditional move: which child
 * is smallest is a coin toss the branch predictor loses half the time. */
static inline size_t earlier(const struct evq_entry *h, size_t a, size_t b)
{
    size_t take_b = (size_t)0 - (size_t)entry_less(&h[b], &h[a]); /* all ones or zero */
    return a ^ ((a ^ b) & take_b);
}

/* The earliest of the four siblings h[c..c+3].  With SSE2 (every x86-64) the
 * four times are compared at once: the lanes equal to their minimum give a
 * bit mask, and a single set bit names the child without a 128-bit compare
 * per pair.  Equal times (rare: times are sampled from continuous
 * distributions) fall back to the full keys, so the order is unchanged. */
static inline size_t earliest_child(const struct evq_entry *h, size_t c)
{
#if defined(__SSE2__)
    __m128d lo = _mm_loadh_pd(_mm_load_sd(&h[c].t_s), &h[c + 1].t_s);
    __m128d hi = _mm_loadh_pd(_mm_load_sd(&h[c + 2].t_s), &h[c + 3].t_s);
    __m128d m = _mm_min_pd(lo, hi);
    m = _mm_min_pd(m, _mm_shuffle_pd(m, m, 1));
    unsigned at_min = (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(lo, m)) |
                      (unsigned)_mm_movemask_pd(_mm_cmpeq_pd(hi, m)) << 2;
    if (__builtin_expect((at_min & (at_min - 1)) == 0, 1)) {
        return c + (size_t)__builtin_ctz(at_min);
    }
#endif
    return earlier(h, earlier(h, c, c + 1), earlier(h, c + 2, c + 3));
}

static inline uint32_t entry_slot(const struct evq_entry *e) { return (uint32_t)(e->word & SLOT_MASK); }

/* Records where e now lies.  The position shares the slot record's last word
 * with the free-list link (a slot is either live or free), so the write lands
 * on the record the event's pop will read rather than on a table of its own:
 * run high has 15% fewer last-level read misses (cachegrind). */
static inline void set_pos(struct evq *q, const struct evq_entry *e, uint32_t i)
{
    q->rec[entry_slot(e)].pos = i;
}

static inline uint64_t make_word(uint64_t prio, uint64_t seq, uint32_t slot)
{
    return prio << (SEQ_BITS + SLOT_BITS) | seq << SLOT_BITS | slot;
}

/* A heap array whose element HEAP_OFFSET + 1 starts a cache line, entries
 * from `used` on set to SENTINEL. */
static struct evq_entry *heap_alloc(size_t cap, size_t used, struct evq_entry **mem)
{
    size_t bytes = (cap + HEAP_OFFSET + PAD) * sizeof(struct evq_entry);
    bytes = (bytes + 63) / 64 * 64;
    *mem = aligned_alloc(64, bytes);
    if (*mem == NULL) {
        sim_oom(bytes);
    }
    struct evq_entry *h = *mem + HEAP_OFFSET;
    for (size_t i = used; i < cap + PAD; i++) {
        h[i] = SENTINEL;
    }
    return h;
}

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    q->cap = 64;
    q->heap = heap_alloc(q->cap, 0, &q->mem);
    q->cap_slots = 64;
    q->rec = sim_xmalloc(q->cap_slots * sizeof *q->rec);
    q->free_head = NO_SLOT;
}

void evq_fini(struct evq *q)
{
    free(q->mem);
    free(q->rec);
    memset(q, 0, sizeof *q);
}

size_t evq_footprint_bytes(const struct evq *q)
{
    return sizeof *q + (q->cap + HEAP_OFFSET + PAD) * sizeof *q->heap +
           q->cap_slots * sizeof *q->rec;
}

static uint32_t slot_alloc(struct evq *q)
{
    if (q->free_head != NO_SLOT) {
        uint32_t slot = q->free_head;
        q->free_head = q->rec[slot].next_free;
        return slot;
    }
    if (q->n_slots == q->cap_slots) {
        SIM_REQUIRE(q->cap_slots < SIM_EVQ_PENDING_MAX); /* more pending events than slot bits */
        q->cap_slots *= 2;
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

void evq_reset(struct evq *q)
{
    if (q->hole) {
        evq__fill_root(q);
    }
    if (q->has_next) {
        slot_free(q, entry_slot(&q->next));
        q->has_next = false;
    }
    for (size_t i = 0; i < q->n; i++) {
        slot_free(q, entry_slot(&q->heap[i]));
        q->heap[i] = SENTINEL;
    }
    q->n = 0;
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
        set_pos(q, &h[i], (uint32_t)i);
        i = parent;
    }
    h[i] = e;
    set_pos(q, &e, (uint32_t)i);
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
        size_t g = ARITY * c + 1;
        if (g < n) {
            /* The next level's line is one of these four: fetch them all now, so the
             * walk down does not wait on one cache miss per level. */
            for (size_t k = 0; k < ARITY; k++) {
                __builtin_prefetch(&h[g + ARITY * k]);
            }
        }
        /* Past n the array holds sentinels that never win (see PAD). */
        size_t m = earliest_child(h, c);
        if (!entry_less(&h[m], &e)) {
            break;
        }
        h[i] = h[m];
        set_pos(q, &h[i], (uint32_t)i);
        i = m;
    }
    h[i] = e;
    set_pos(q, &e, (uint32_t)i);
}

static int fired_order(const void *a, const void *b)
{
    const struct evq_entry *x = a, *y = b;
    return entry_less(x, y) ? -1 : entry_less(y, x) ? 1 : 0;
}

static inline uint64_t renumbered(const struct evq_entry *e, uint64_t seq)
{
    return make_word(e->word >> (SEQ_BITS + SLOT_BITS), seq, entry_slot(e));
}

/* The sequence counter reached 2^36: renumber the pending events in their
 * firing order, the imminent one (earliest of all) first.  A sorted array is
 * a valid heap, so only the positions need rebuilding.  O(n log n), once per
 * 68 billion events. */
static void renumber(struct evq *q)
{
    if (q->hole) {
        evq__fill_root(q);
    }
    uint64_t seq = 0;
    if (q->has_next) {
        q->next.word = renumbered(&q->next, seq++);
    }
    qsort(q->heap, q->n, sizeof *q->heap, fired_order);
    for (size_t i = 0; i < q->n; i++) {
        struct evq_entry *e = &q->heap[i];
        e->word = renumbered(e, seq++);
        set_pos(q, e, (uint32_t)i);
    }
    q->seq = seq;
}

static inline uint64_t next_seq(struct evq *q)
{
    if (q->seq == SEQ_LIMIT) {
        renumber(q);
    }
    return q->seq++;
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

/* The root's subject, fetched while other events run: usually an entity last
 * touched long ago (a client that has thought for seconds), and its event's
 * callback reads it first thing. */
static inline void prefetch_root_subject(const struct evq *q)
{
    if (q->n > 64) { /* with few events pending, their entities are in the cache */
        __builtin_prefetch(q->rec[entry_slot(&q->heap[0])].subject);
    }
}

void evq__fill_root(struct evq *q)
{
    SIM_ASSERT(q->hole);
    q->hole = false;
    struct evq_entry last = q->heap[--q->n];
    q->heap[q->n] = SENTINEL;
    if (q->n > 0) {
        sift_down(q, 0, last);
        prefetch_root_subject(q);
    }
}

static void heap_insert(struct evq *q, struct evq_entry e)
{
    if (q->hole) {
        /* The other half of the last pop: e fills the vacant root and sinks to
         * its place, one sift-down where a pop and a push cost two sifts. */
        q->hole = false;
        sift_down(q, 0, e);
        prefetch_root_subject(q);
        return;
    }
    if (q->n == q->cap) {
        struct evq_entry *old_mem = q->mem, *old = q->heap;
        q->heap = heap_alloc(2 * q->cap, q->n, &q->mem);
        memcpy(q->heap, old, q->n * sizeof *q->heap);
        free(old_mem);
        q->cap *= 2;
    }
    sift_up(q, q->n++, e);
}

/* Files an entry whose slot is in neither place: as the imminent event when it
 * is earlier than everything pending (the previous imminent one, if any, moves
 * to the heap), in the heap otherwise.  A vacant root takes e whatever its
 * time: one sift-down puts it in place, and keeps it at the root if it is the
 * earliest.  Past the heap's end lies a sentinel, so an empty heap needs no
 * test. */
static void place(struct evq *q, struct evq_entry e)
{
    bool imminent = q->has_next ? entry_less(&e, &q->next)
                                : !q->hole && entry_less(&e, &q->heap[0]);
    if (!imminent) {
        heap_insert(q, e);
        return;
    }
    if (q->has_next) {
        heap_insert(q, q->next);
    }
    q->next = e;
    q->has_next = true;
    set_pos(q, &e, POS_NEXT);
}

/* Takes a live entry out of wherever it is; its slot stays allocated. */
static void unplace(struct evq *q, uint32_t slot)
{
    size_t i = q->rec[slot].pos;
    if (i == POS_NEXT) {
        q->has_next = false;
        return;
    }
    struct evq_entry last = q->heap[--q->n];
    q->heap[q->n] = SENTINEL;
    if (q->n > i) {
        settle(q, i, last);
    }
}

sim_evid evq_push(struct evq *q, double t_s, unsigned prio, sim_event_fn *fn, void *subject,
                  void *object)
{
    SIM_REQUIRE(prio <= SIM_EVQ_PRIO_MAX);
    SIM_REQUIRE(t_s >= 0.0); /* the key's order needs a non-negative time, not NaN */
    t_s += 0.0;              /* -0.0 becomes +0.0, whose bits sort first */
    uint32_t slot = slot_alloc(q);
    struct evq_rec *r = &q->rec[slot];
    r->fn = fn;
    r->subject = subject;
    r->object = object;
    place(q, (struct evq_entry){t_s, make_word(prio, next_seq(q), slot)});
    return ((uint64_t)r->gen << 32) | slot;
}

bool evq_pop(struct evq *q, struct evq_fired *out)
{
    uint32_t slot;
    if (q->has_next) {
        /* Scheduled moments ago, so its record is still in the cache. */
        slot = entry_slot(&q->next);
        out->t_s = q->next.t_s;
        q->has_next = false;
    } else {
        if (q->hole) {
            evq__fill_root(q);
        }
        if (q->n == 0) {
            return false;
        }
        slot = entry_slot(&q->heap[0]);
        out->t_s = q->heap[0].t_s;
        /* The root leaves a hole: the callback nearly always schedules an event,
         * which fills it (see heap_insert); if not, the next look fills it.
         * A heap of one level is cheaper to fix at once: a sift there is one
         * comparison, and an empty root would keep events out of the
         * imminent slot (see place). */
        q->hole = true;
        if (q->n <= ARITY + 1) {
            evq__fill_root(q);
        } else {
            /* The earliest child is the next root unless the callback schedules
             * something earlier: fetch its subject while the callback runs. */
            const struct evq_entry *h = q->heap;
            size_t c = earliest_child(h, 1);
            __builtin_prefetch(q->rec[entry_slot(&h[c])].subject);
        }
    }
    const struct evq_rec *r = &q->rec[slot];
    out->fn = r->fn;
    out->subject = r->subject;
    out->object = r->object;
    slot_free(q, slot);
    return true;
}

/* The entry of a live handle, or NULL when it is stale. */
static const struct evq_entry *live_entry(const struct evq *q, sim_evid id)
{
    uint32_t slot = (uint32_t)id;
    if (id == 0 || slot >= q->n_slots || q->rec[slot].gen != (uint32_t)(id >> 32)) {
        return NULL;
    }
    size_t i = q->rec[slot].pos;
    const struct evq_entry *e = i == POS_NEXT ? (q->has_next ? &q->next : NULL)
                                              : (i < q->n ? &q->heap[i] : NULL);
    return e != NULL && entry_slot(e) == slot ? e : NULL;
}

bool evq_cancel(struct evq *q, sim_evid id)
{
    if (q->hole) {
        evq__fill_root(q); /* the heap whole before an entry moves in it */
    }
    if (live_entry(q, id) == NULL) {
        return false;
    }
    unplace(q, (uint32_t)id); /* reads the position, which slot_free overwrites */
    slot_free(q, (uint32_t)id);
    return true;
}

bool evq_reschedule(struct evq *q, sim_evid id, double t_s)
{
    if (q->hole) {
        evq__fill_root(q);
    }
    const struct evq_entry *old = live_entry(q, id);
    if (old == NULL) {
        return false;
    }
    SIM_REQUIRE(t_s >= 0.0);
    t_s += 0.0;
    uint64_t prio = old->word >> (SEQ_BITS + SLOT_BITS);
    uint64_t seq = next_seq(q); /* may renumber, moving the entry */
    unplace(q, (uint32_t)id);
    place(q, (struct evq_entry){t_s, make_word(prio, seq, (uint32_t)id)});
    return true;
}

void evq__set_seq(struct evq *q, uint64_t seq)
{
    SIM_REQUIRE(seq >= q->seq && seq <= SEQ_LIMIT);
    q->seq = seq;
}

double evq_time(const struct evq *q, sim_evid id)
{
    const struct evq_entry *e = live_entry(q, id);
    return e == NULL ? -1.0 : e->t_s;
}
