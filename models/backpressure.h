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
 * msgq: the FIFO of an mpsc channel from a producer (the SSE pump, a
 * keepalive task) to a consumer (the client writer), bounded in messages
 * and/or bytes or unbounded.  It holds the enqueue instant and size of each
 * message (for event latency and exact byte counts); what happens when it is
 * full (block the producer, drop newest, drop oldest, disconnect) is the
 * caller's decision, since each changes a different part of the stream.
 * Queued bytes (payload + per-message overhead) are charged to memory.
 *
 * Costs: O(1) amortised; the ring grows by doubling and is freed with the
 * queue (one allocation per queue that ever holds more than its inline slots).
 */
#ifndef MODELS_BACKPRESSURE_H
#define MODELS_BACKPRESSURE_H

#include "models/memory.h"
#include "models/params.h"
#include "sim/tokenbucket.h"

enum admission_verdict { ADMIT_OK, ADMIT_REJECTED, ADMIT_RATE_LIMITED };

struct admission {
    double max_conns, max_inflight;
    double conns, inflight;
    bool rate_limit;
    struct sim_tokenbucket tb;
    uint64_t n_conns_refused, n_rejected, n_rate_limited;
};

void admission_init(struct admission *a, const struct server_params *p, double now_s);
/* A client connection arrives: false (503 at accept) when over max_client_conns. */
bool admission_conn_open(struct admission *a);
void admission_conn_close(struct admission *a);
enum admission_verdict admission_request(struct admission *a, double now_s);
void admission_request_done(struct admission *a);

struct msgq_item {
    double t_s;
    double bytes;
};

#define MSGQ_INLINE 4

struct msgq {
    struct memory *mem;
    double overhead_bytes;
    double cap_msgs, cap_bytes;
    struct msgq_item *ring;
    size_t head, len, cap;
    double bytes;
    struct msgq_item inline_items[MSGQ_INLINE];
};

void msgq_init(struct msgq *q, struct memory *mem, const struct channel_params *p,
               double overhead_bytes);
/* Frees what is still queued (memory given back) and the ring. */
void msgq_fini(struct msgq *q);
/* True when a message of `bytes` does not fit. */
bool msgq_is_full(const struct msgq *q, double bytes);
/* Enqueues regardless of capacity (callers check msgq_is_full first). */
void msgq_push(struct msgq *q, double t_s, double bytes);
/* Dequeues the oldest; false when empty. */
bool msgq_pop(struct msgq *q, struct msgq_item *out);

static inline size_t msgq_len(const struct msgq *q) { return q->len; }

#endif
