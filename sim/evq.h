/* SPDX-License-Identifier: MIT
 *
 * evq.h - the pending-event set: an indexed 4-ary min-heap with handles.
 *
 * Every future event of a replication lives here.  Events are ordered by
 * (time, priority, insertion sequence), the order libuv's timer heap uses:
 * equal times fire by priority (lower first), then in the order they were
 * scheduled, so a run is a deterministic function of its seed and never of
 * heap layout or addresses.
 *
 * The heap array holds 16-byte by-value entries {time, word}, where the word
 * packs priority (4 bits), insertion sequence (36 bits) and slot (24 bits).
 * The array is offset so that the four children of every node share one
 * 64-byte cache line: a sift-down reads one line per level, fewer than a
 * bare (time, sequence, data) heap of 24-byte entries.  What an event does
 * (callback and its two arguments) lives in a separate slot table, whose
 * records also hold each live event's heap position (in the word the free
 * list uses while a slot is free); that position is what makes cancel and
 * reschedule true O(log n) removals rather than tombstones that pile up (a
 * proxy model cancels a timeout for nearly every request it serves).  Kept
 * in the record rather than in a table of its own, the position written at
 * every level of a sift lands on a line the event's pop reads anyway.
 *
 * Branch-free sifting.  Which child is smallest is a coin toss that a branch
 * predictor loses half the time, so a sift-down picks it without branches:
 * (time, word) compares as one 128-bit unsigned key (a non-negative double's
 * bits grow with its value), the index is chosen with a mask, and sentinel
 * entries past the end let every node compare four children.  With SSE2
 * (every x86-64) the four times are compared at once and the full keys only
 * on a tie, 5% fewer instructions in run high.  It also
 * prefetches the four lines the next level may be on.  At 7,000 pending
 * events this took the hold benchmark from ~145 to ~93 ns per event.
 *
 * The imminent event.  An event scheduled earlier than everything pending
 * (the end of a CPU slice microseconds away, while the next arrival is
 * milliseconds away) waits in one slot outside the heap and fires from
 * there, with no sift at all.  In the high profile a third of all events
 * are such.  If a second one comes along, the earlier of the two keeps the
 * slot and the other joins the heap.
 *
 * The vacant root.  A pop takes the root and leaves its place empty instead
 * of sifting the last entry down at once: the callback nearly always
 * schedules an event, and that event fills the root and sinks to its place
 * in one sift-down, where a pop and a push would cost a sift each (an event
 * due soon, a response 25 ms away among thousands of think timers, stops
 * near the top).  While the root is vacant every new event goes there, the
 * earliest too (the imminent slot stays empty).  A peek, pop, cancel,
 * reschedule, reset or renumbering fills the root with the last entry first,
 * so part of a pop's cost moves to whichever of them comes next.  A heap of
 * one level is fixed at once.  run high executes 7% fewer instructions.
 *
 * Prefetching the next subject.  A model's entity (a client that has been
 * thinking for seconds) is rarely still in the cache when its event fires,
 * and the callback's first act is to read it.  So a pop that leaves the root
 * vacant prefetches the subject of the root's earliest child (the next event
 * unless the callback schedules an earlier one), and each fill of the root
 * (with more than 64 events pending) prefetches the new root's subject.
 * Both read another event's slot record early, which stalls when the record
 * table is out of cache.  Models gain (run high x1.13 and x1.07 for the two
 * steps, bench sse x1.08 and x1.06, paired alternating runs); the hold
 * benchmark, whose callbacks do nothing else, pays: with all of the above
 * it runs x1.54 faster than before at 1,000 pending events but only x1.20 at
 * 100,000 and x1.08 at 1,000,000 (bench/README.md).
 *
 * Why still a heap.  Every pop costs one sift-down, of the event the callback
 * schedules or of the last entry, and it is the far events (think times, SSE
 * gaps) that sink deep.  Keeping them out of the heap has been tried three
 * ways, with the same firing order, and each lost on `run high`
 * (bench/README.md): a timing wheel in front of the heap (x0.71), a
 * three-tier calendar (near heap, 4,096 buckets, far heap: 10% fewer
 * instructions but x0.79 to x1.00 in three layouts, from cache misses,
 * mispredicted branches and chains of dependent loads), and
 * exponential clocks merged into one event per set (x0.88; held beside the
 * heap instead, 5% more instructions: the sift-downs only moved to filling
 * the vacant root with the last entry).
 *
 * Handles are (generation << 32 | slot).  A slot's generation is bumped each
 * time the slot is freed, so a stale handle (event already fired or
 * cancelled) is recognised and cancelling it is a harmless no-op.  Handle 0
 * is never issued.
 *
 * Limits: times are non-negative (NaN is refused, -0.0 is stored as +0.0;
 * infinity is accepted, so a peek of infinity may be an event there);
 * 16 priorities, 2^24 (16.7 million) pending events; the sequence counter is
 * renumbered in order when it reaches 2^36, so it never wraps.
 * Memory: 16 + 32 = 48 bytes per slot of capacity; the arrays grow by
 * doubling and never shrink, so up to twice that per pending event (50.3 B
 * at 1,000,000 pending), plus 16 sentinels; no allocation per event in
 * steady state.
 * Costs: schedule, pop, cancel and reschedule O(log n); peek O(1), or
 * O(log n) when it fills a vacant root.
 */
#ifndef SIM_EVQ_H
#define SIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;
/* An event callback: subject and object are the two pointers given at schedule time
 * (by convention the entity the event happens to, and a second participant or NULL). */
typedef void sim_event_fn(struct sim *s, void *subject, void *object);

typedef uint64_t sim_evid; /* 0 is never a valid handle */

#define SIM_EVQ_PRIO_MAX 15u
#define SIM_EVQ_PENDING_MAX (UINT32_C(1) << 24)

struct evq_entry {
    double t_s;
    uint64_t word; /* priority << 60 | sequence << 24 | slot */
};

struct evq_rec {
    sim_event_fn *fn;
    void *subject;
    void *object;
    uint32_t gen;       /* bumped when the slot is freed */
    union {
        uint32_t next_free; /* free-list link while the slot is unused */
        uint32_t pos;       /* heap index while the slot is live */
    };
};

struct evq {
    struct evq_entry *mem;  /* the allocation, 64-byte aligned */
    struct evq_entry *heap; /* mem + 3: children 4i+1..4i+4 start on a cache line */
    size_t n, cap;
    struct evq_rec *rec; /* slot -> what to do */
    uint32_t n_slots, cap_slots;
    uint32_t free_head;
    uint64_t seq;
    /* The imminent event: earlier than every heap entry, held outside the heap
     * while has_next (see "The imminent event" above). */
    struct evq_entry next;
    bool has_next;
    /* The root has fired and its place is vacant: the next insertion fills it
     * from the top (see "The vacant root" above). */
    bool hole;
};

/* What evq_pop hands back: the fired event, already removed. */
struct evq_fired {
    double t_s;
    sim_event_fn *fn;
    void *subject;
    void *object;
};

void evq_init(struct evq *q);
void evq_fini(struct evq *q);
/* Drops every pending event (handles become stale); keeps the memory. */
void evq_reset(struct evq *q);

sim_evid evq_push(struct evq *q, double t_s, unsigned prio, sim_event_fn *fn, void *subject,
                  void *object);
/* Removes the earliest event into *out; false when the set is empty. */
bool evq_pop(struct evq *q, struct evq_fired *out);
/* Removes a pending event; false (and nothing happens) when id is stale. */
bool evq_cancel(struct evq *q, sim_evid id);
/* Moves a pending event to t_s, keeping its handle; it is ordered as if newly
 * scheduled.  False when id is stale. */
bool evq_reschedule(struct evq *q, sim_evid id, double t_s);
/* Time of a pending event, or a negative value when id is stale. */
double evq_time(const struct evq *q, sim_evid id);

/* Moves the heap's last entry into a vacant root (the deferred end of a pop). */
void evq__fill_root(struct evq *q);

static inline size_t evq_size(const struct evq *q) { return q->n - q->hole + q->has_next; }
/* Time of the earliest pending event (infinity when there is none). */
static inline double evq_peek_time(struct evq *q)
{
    if (q->has_next) {
        return q->next.t_s;
    }
    if (q->hole) {
        evq__fill_root(q);
    }
    return q->heap[0].t_s;
}
/* For tests: jumps the sequence counter (to exercise its renumbering at 2^36). */
void evq__set_seq(struct evq *q, uint64_t seq);
/* Bytes the queue holds now (arrays at their current capacity). */
size_t evq_footprint_bytes(const struct evq *q);

#endif
