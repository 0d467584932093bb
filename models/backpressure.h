/* SPDX-License-Identifier: MIT
 *
 * backpressure.h - admission control, rate limits, and the message queue
 * between a producer task and a slow consumer.
 *
 * Admission: a proxy may refuse a client connection beyond max_client_conns
 * and answer 503 to a request beyond max_inflight; a token bucket
 * (rate_limit_per_s, burst; GCRA-equivalent) answers 429.  None of them
 * queues: over-capacity work is shed at once, which is the point of having
 * them.  The defaults (INFINITY, rate limit off) are shadowcat's: no
 * admission control anywhere, overload shows up as queueing instead.
 *
 * Memory: with a finite max_memory, a new connection or request that finds
 * the modelled memory (models/memory.h total) at or over it gets 503.  Only
 * new work is refused: what is admitted keeps growing (its buffers, queues,
 * sessions), so the peak may pass the limit by what the work in flight at
 * the crossing adds after its admission.
 *
 * Degradation ladder: load is the fullest of the finite limits as a fraction
 * (client conns / max_client_conns, in flight / max_inflight, live tasks /
 * spawn.max_tasks, memory / max_memory; 0 with none).  Rungs: full below
 * degraded_at; degraded: new GET SSE streams refused; essential: POSTs
 * answered with SSE refused too (plain JSON-RPC only); protective: new
 * connections refused too, while the connections already admitted keep their
 * plain JSON-RPC service (refusing that as well would turn a saturated proxy
 * into one that serves nobody).  The rung is evaluated at each admission
 * decision and on the sampling grid (so an idle spell is timed too), which
 * is when a proxy that checks its load on the accept path would see it; the
 * time at each rung is kept for the results.
 *
 * Both are consulted only when configured: without them admission costs one
 * flag test more than before, and no event.
 *
 * msgq: the FIFO of an mpsc channel from a producer (the SSE pump, a
 * keepalive task) to a consumer (the client writer), bounded in messages
 * and/or bytes or unbounded.  It holds the enqueue instant and size of each
 * message (for event latency and exact byte counts); what happens when it is
 * full (block the producer, drop newest, drop oldest, disconnect) is the
 * caller's decision, since each changes a different part of the stream.
 * Queued bytes (payload + per-message overhead) are charged to memory.
 *
 * What all the queues of one channel kind share (limits, per-message
 * overhead, where memory is charged) is a msgq_kind, passed to each call,
 * so an empty queue costs 40 bytes and a queued message 8: a live SSE stream carries one.
 *
 * Costs: O(1) amortised; the ring is allocated at the first push, grows by
 * doubling and is freed with the queue, so a queue that never holds a
 * message never allocates.
 */
#ifndef MODELS_BACKPRESSURE_H
#define MODELS_BACKPRESSURE_H

#include "models/memory.h"
#include "models/params.h"
#include "sim/tokenbucket.h"

/* ADMIT_REJECTED: over a count limit (max_client_conns, max_inflight);
 * ADMIT_SHED: refused by server.max_memory or the degradation ladder. */
enum admission_verdict { ADMIT_OK, ADMIT_REJECTED, ADMIT_SHED, ADMIT_RATE_LIMITED };

/* The rungs of the degradation ladder.  A class of new work names the rung
 * from which it is shed: GET SSE streams DEGRADE_DEGRADED, POSTs answered
 * with SSE DEGRADE_ESSENTIAL, new connections DEGRADE_PROTECTIVE; DEGRADE_N
 * means never (the proxy model passes it for JSON POSTs). */
enum degrade_level {
    DEGRADE_FULL,
    DEGRADE_DEGRADED,
    DEGRADE_ESSENTIAL,
    DEGRADE_PROTECTIVE,
    DEGRADE_N
};

struct admission {
    double max_conns, max_inflight;
    double conns, inflight;
    bool rate_limit;
    struct sim_tokenbucket tb;
    bool guarded; /* max_memory or the ladder is set: consult them */
    bool degrade;
    const struct memory *mem;
    const struct sim_level *tasks_live;
    double max_memory;
    double at[DEGRADE_N]; /* load from which each rung holds (at[DEGRADE_FULL] unused) */
    /* 1 / limit for each load term, 0 when the limit is absent. */
    double inv_conns, inv_inflight, inv_tasks, inv_memory;
    struct sim_level level; /* the rung over time (degrade only) */
    uint64_t n_conns_refused, n_rejected, n_rate_limited;
};

/* mem and tasks_live (the live-task level of models/tasks.h) are read for
 * the memory limit and the ladder's load; both must outlive the admission. */
void admission_init(struct admission *a, const struct design *d, const struct memory *mem,
                    const struct sim_level *tasks_live, double now_s);
void admission_fini(struct admission *a);
/* A client connection arrives: refused (503 at accept) when over
 * max_client_conns (ADMIT_REJECTED), at the memory limit or on the protective
 * rung (ADMIT_SHED). */
enum admission_verdict admission_conn_open(struct admission *a, double now_s);
void admission_conn_close(struct admission *a);
/* A request of a class shed from rung `shed_from` arrives. */
enum admission_verdict admission_request(struct admission *a, double now_s,
                                         enum degrade_level shed_from);
void admission_request_done(struct admission *a);
/* The fullest finite limit as a fraction (0 with none). */
double admission_load(const struct admission *a);
/* Re-evaluates the ladder's rung at now_s and returns it (DEGRADE_FULL when off). */
enum degrade_level admission_update(struct admission *a, double now_s);

/* What msgq_pop hands back: the enqueue instant (negative for a comment,
 * which has no latency) and the size. */
struct msgq_item {
    double t_s;
    double bytes;
};

struct msgq_kind {
    struct memory *mem;
    double overhead_bytes;      /* charged per queued message, besides its payload */
    double cap_msgs, cap_bytes; /* INFINITY: unbounded */
};

/* A queued message in 8 bytes, as a slow client's queue may hold millions:
 * its enqueue instant as an offset from the queue's t0, the first data
 * message since the queue was last empty (exact to 6e-8 of the time since),
 * or -1 for a comment; and its size. */
struct msgq_slot {
    float dt_s;
    float bytes;
};

struct msgq {
    struct msgq_slot *ring; /* NULL until the first push */
    uint32_t head, len, cap;
    double t0_s;  /* the offsets' origin (NAN until a data message is queued) */
    double bytes; /* payload queued */
};

void msgq_kind_init(struct msgq_kind *k, struct memory *mem, const struct channel_params *p,
                    double overhead_bytes);
void msgq_init(struct msgq *q);
/* Frees what is still queued (memory given back) and the ring. */
void msgq_fini(struct msgq *q, const struct msgq_kind *k);
/* True when a message of `bytes` does not fit. */
bool msgq_is_full(const struct msgq *q, const struct msgq_kind *k, double bytes);
/* Enqueues regardless of capacity (callers check msgq_is_full first). */
void msgq_push(struct msgq *q, const struct msgq_kind *k, double t_s, double bytes);
/* Dequeues the oldest; false when empty. */
bool msgq_pop(struct msgq *q, const struct msgq_kind *k, struct msgq_item *out);

static inline size_t msgq_len(const struct msgq *q) { return q->len; }

#endif
