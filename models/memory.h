/* SPDX-License-Identifier: MIT
 *
 * memory.h - simulated memory of the proxy, by component, over time.
 *
 * What it models: the resident bytes an async proxy holds because of the
 * entities alive in it.  Every module that creates or frees an entity calls
 * memory_add with the bytes the design says that entity costs (a task, a
 * client or upstream connection, a session, a buffer's capacity, a queued
 * message, a collected response body, a tracked event id), so the total is a
 * sum of counts times per-entity sizes plus a fixed base.
 *
 * What it leaves out: allocator overhead and fragmentation, the kernel's
 * socket buffers, code and thread stacks (in the base), and memory the
 * allocator keeps after a free: freed bytes count as returned at once.
 *
 * Each component and the total are sim_levels, so the replication gets
 * time-weighted means, peaks and window averages on the profile's grid for
 * free.  Cost: two level updates per call, O(1).
 */
#ifndef MODELS_MEMORY_H
#define MODELS_MEMORY_H

#include "sim/sim.h"
#include "sim/stat.h"

enum memory_component {
    MEM_BASE,
    MEM_TASKS,
    MEM_CLIENT_CONNS,
    MEM_UPSTREAM_CONNS,
    MEM_SESSIONS,
    MEM_BUFFERS, /* pooled and unpooled buffers, in use or retained, at capacity
                  * (a body collected whole grows its buffer to the body's size) */
    MEM_QUEUED,  /* messages queued in channels (payload + per-message overhead) */
    MEM_STREAMS, /* per live SSE stream state */
    MEM_TRACKER, /* tracked event ids */
    MEM_N
};

/* Stable names ("tasks", "sessions", ...) used in metric and series names. */
extern const char *const memory_component_names[MEM_N];

struct memory {
    struct sim *s;
    struct sim_level total;
    struct sim_level comp[MEM_N];
};

void memory_init(struct memory *m, struct sim *s, double base_bytes);
void memory_fini(struct memory *m);

static inline void memory_add(struct memory *m, enum memory_component c, double delta_bytes)
{
    if (delta_bytes == 0.0) {
        return;
    }
    double now = sim_now(m->s);
    sim_level_add(&m->comp[c], now, delta_bytes);
    sim_level_add(&m->total, now, delta_bytes);
}

/* delta_bytes held for an instant: seen by the peaks only (sim_level_blip). */
static inline void memory_blip(struct memory *m, enum memory_component c, double delta_bytes)
{
    sim_level_blip(&m->comp[c], delta_bytes);
    sim_level_blip(&m->total, delta_bytes);
}

static inline double memory_bytes(const struct memory *m) { return m->total.value; }

#endif
