/* SPDX-License-Identifier: MIT
 *
 * bufpool.h - byte buffers: pools by size class, retention, growth.
 *
 * What it models: a BytesPool per size class (HTTP bodies, SSE parse and
 * format buffers), as shadowcat's buffer_pool.rs: take pops a retained buffer
 * (a hit) or allocates one at the nominal capacity (a miss); give keeps the
 * buffer only if the pool holds fewer than `retained` and its capacity is at
 * most keep_if_cap_le x nominal (the 2x rule), otherwise frees it.  A buffer
 * that grew to collect a large body is therefore freed on return, and with
 * more concurrent holders than the retention cap the excess buffers are
 * allocate-and-free: the hit rate falls towards cap / concurrency when holders
 * come and go in waves.  Under steady traffic, where takes and gives
 * interleave at equal rates, the retained count wanders between 0 and the
 * cap and most takes still hit (run high, ~1,000 buffers in use: 0.85 with a
 * cap of 4, 0.96 with 16).  With pooling off, every take allocates.
 *
 * Memory: retained and in-use buffers count at their capacity; a retained
 * buffer's capacity is taken as the mean capacity of what the pool retains
 * (the pool keeps no per-buffer record).  The pool's mutex is not modelled
 * (its hold time is far below anything that queues at these rates).
 *
 * Costs: O(1), no events.
 */
#ifndef MODELS_BUFPOOL_H
#define MODELS_BUFPOOL_H

#include "models/memory.h"
#include "models/params.h"
#include "sim/stat.h"

enum bufpool_class { BUF_HTTP, BUF_SSE, BUF_N_CLASSES };

struct bufpool_class_state {
    double nominal_bytes;
    double retained_n, retained_bytes;
    uint64_t n_hits, n_misses, n_freed;
};

struct bufpool {
    struct sim *s;
    struct memory *mem;
    bool pooled;
    double retain_max;
    double keep_factor;
    struct bufpool_class_state cls[BUF_N_CLASSES];
    struct sim_level in_use;
    uint64_t n_leaked;
};

void bufpool_init(struct bufpool *bp, struct sim *s, struct memory *mem,
                  const struct buffer_params *p);
void bufpool_fini(struct bufpool *bp);
/* A buffer of class c; returns its capacity in bytes. */
double bufpool_take(struct bufpool *bp, enum bufpool_class c);
/* Returns a buffer of capacity cap_bytes. */
void bufpool_give(struct bufpool *bp, enum bufpool_class c, double cap_bytes);
/* A held buffer grows from from_bytes to to_bytes of capacity (collecting a body). */
void bufpool_grow(struct bufpool *bp, double from_bytes, double to_bytes);
/* A held buffer is never given back. */
void bufpool_leak(struct bufpool *bp);
/* hits / takes over all classes; NAN before any take. */
double bufpool_hit_rate(const struct bufpool *bp);

#endif
