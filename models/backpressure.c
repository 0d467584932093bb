/* SPDX-License-Identifier: MIT */
#include "models/backpressure.h"

#include "sim/check.h"
#include "sim/ring.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double inverse(double limit) { return isfinite(limit) && limit > 0.0 ? 1.0 / limit : 0.0; }

void admission_init(struct admission *a, const struct design *d, const struct memory *mem,
                    const struct sim_level *tasks_live, double now_s)
{
    const struct server_params *p = &d->server;
    a->max_conns = p->max_client_conns;
    a->max_inflight = p->max_inflight;
    a->conns = a->inflight = 0.0;
    a->rate_limit = p->rate_limit && p->rate_limit_per_s > 0.0;
    sim_tokenbucket_init(&a->tb, a->rate_limit ? p->rate_limit_per_s : 1.0,
                         a->rate_limit ? fmax(p->rate_limit_burst, 1.0) : 1.0, now_s);
    a->n_conns_refused = a->n_rejected = a->n_rate_limited = 0;
    a->mem = mem;
    a->tasks_live = tasks_live;
    a->max_memory = p->max_memory_bytes;
    a->inv_conns = inverse(p->max_client_conns);
    a->inv_inflight = inverse(p->max_inflight);
    a->inv_tasks = inverse(d->spawn.max_tasks);
    a->inv_memory = inverse(p->max_memory_bytes);
    a->degrade = p->degradation.enabled;
    a->at[DEGRADE_FULL] = -INFINITY;
    a->at[DEGRADE_DEGRADED] = p->degradation.degraded_at;
    a->at[DEGRADE_ESSENTIAL] = p->degradation.essential_at;
    a->at[DEGRADE_PROTECTIVE] = p->degradation.protective_at;
    a->guarded = a->degrade || isfinite(a->max_memory);
    if (a->degrade) {
        sim_level_init(&a->level, now_s, (double)DEGRADE_FULL);
        /* Time at rungs 0, 1, 2 and >= 3: the last slot is the protective rung. */
        sim_level_track_levels(&a->level, DEGRADE_N - 1);
    }
}

void admission_fini(struct admission *a)
{
    if (a->degrade) {
        sim_level_fini(&a->level);
    }
}

double admission_load(const struct admission *a)
{
    double tasks = a->tasks_live ? a->tasks_live->value : 0.0;
    double mem = a->mem ? memory_bytes(a->mem) : 0.0;
    return fmax(fmax(a->conns * a->inv_conns, a->inflight * a->inv_inflight),
                fmax(tasks * a->inv_tasks, mem * a->inv_memory));
}

enum degrade_level admission_update(struct admission *a, double now_s)
{
    if (!a->degrade) {
        return DEGRADE_FULL;
    }
    double load = admission_load(a);
    int l = DEGRADE_FULL;
    while (l + 1 < DEGRADE_N && load >= a->at[l + 1]) {
        l++;
    }
    if ((double)l != a->level.value) {
        sim_level_set(&a->level, now_s, (double)l);
    }
    return (enum degrade_level)l;
}

/* The memory limit and the ladder: true when new work shed from rung
 * `shed_from` is refused now. */
static bool shed(struct admission *a, double now_s, enum degrade_level shed_from)
{
    enum degrade_level l = admission_update(a, now_s);
    if (a->mem && memory_bytes(a->mem) >= a->max_memory) {
        return true;
    }
    if (l >= shed_from) {
        return true;
    }
    return false;
}

enum admission_verdict admission_conn_open(struct admission *a, double now_s)
{
    if (a->conns >= a->max_conns) {
        a->n_conns_refused++;
        return ADMIT_REJECTED;
    }
    if (a->guarded && shed(a, now_s, DEGRADE_PROTECTIVE)) {
        a->n_conns_refused++;
        return ADMIT_SHED;
    }
    a->conns += 1.0;
    return ADMIT_OK;
}

void admission_conn_close(struct admission *a) { a->conns -= 1.0; }

enum admission_verdict admission_request(struct admission *a, double now_s,
                                         enum degrade_level shed_from)
{
    if (a->rate_limit && !sim_tokenbucket_take(&a->tb, now_s, 1.0)) {
        a->n_rate_limited++;
        return ADMIT_RATE_LIMITED;
    }
    if (a->inflight >= a->max_inflight) {
        a->n_rejected++;
        return ADMIT_REJECTED;
    }
    if (a->guarded && shed(a, now_s, shed_from)) {
        a->n_rejected++;
        return ADMIT_SHED;
    }
    a->inflight += 1.0;
    return ADMIT_OK;
}

void admission_request_done(struct admission *a) { a->inflight -= 1.0; }

void msgq_kind_init(struct msgq_kind *k, struct memory *mem, const struct channel_params *p,
                    double overhead_bytes)
{
    k->mem = mem;
    k->overhead_bytes = overhead_bytes;
    k->cap_msgs = p->capacity_msgs > 0.0 ? p->capacity_msgs : INFINITY;
    k->cap_bytes = p->capacity_bytes > 0.0 ? p->capacity_bytes : INFINITY;
}

void msgq_init(struct msgq *q) { memset(q, 0, sizeof *q); }

void msgq_fini(struct msgq *q, const struct msgq_kind *k)
{
    if (q->len > 0) {
        memory_add(k->mem, MEM_QUEUED, -(q->bytes + k->overhead_bytes * (double)q->len));
    }
    free(q->ring);
    msgq_init(q);
}

bool msgq_is_full(const struct msgq *q, const struct msgq_kind *k, double bytes)
{
    return (double)q->len + 1.0 > k->cap_msgs || q->bytes + bytes > k->cap_bytes;
}

void msgq_push(struct msgq *q, const struct msgq_kind *k, double t_s, double bytes)
{
    if (q->len == q->cap) {
        SIM_REQUIRE(q->cap < UINT32_MAX / 2);
        uint32_t cap = q->cap ? 2 * q->cap : 4;
        q->ring = sim_ring_grow(q->ring, sizeof *q->ring, q->head, q->cap, cap);
        q->cap = cap;
        q->head = 0;
    }
    if (q->len == 0) {
        q->t0_s = NAN; /* the first data message behind sets the origin */
    }
    if (t_s >= 0.0 && isnan(q->t0_s)) {
        q->t0_s = t_s;
    }
    /* The slot's float size is what is counted in and out, so memory cannot drift. */
    struct msgq_slot m = {.dt_s = t_s >= 0.0 ? (float)(t_s - q->t0_s) : -1.0f,
                          .bytes = (float)bytes};
    q->ring[(q->head + q->len) % q->cap] = m;
    q->len++;
    q->bytes += m.bytes;
    memory_add(k->mem, MEM_QUEUED, m.bytes + k->overhead_bytes);
}

bool msgq_pop(struct msgq *q, const struct msgq_kind *k, struct msgq_item *out)
{
    if (q->len == 0) {
        return false;
    }
    struct msgq_slot m = q->ring[q->head];
    out->t_s = m.dt_s >= 0.0f ? q->t0_s + m.dt_s : -1.0;
    out->bytes = m.bytes;
    q->head = (q->head + 1) % q->cap;
    q->len--;
    q->bytes -= out->bytes;
    if (q->len == 0) {
        q->bytes = 0.0; /* no drift from float sums */
    }
    memory_add(k->mem, MEM_QUEUED, -(out->bytes + k->overhead_bytes));
    return true;
}
