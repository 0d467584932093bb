/* SPDX-License-Identifier: MIT */
#include "sim/fcfs.h"

#include "sim/check.h"
#include "sim/ring.h"

#include <stdlib.h>

void sim_fcfs_init(struct sim_fcfs *q, struct sim *s, unsigned servers)
{
    SIM_REQUIRE(servers >= 1);
    q->s = s;
    q->servers = servers;
    q->n_busy = 0;
    q->free_at = sim_xmalloc(servers * sizeof *q->free_at);
    q->cap = 16;
    q->starts = sim_xmalloc(q->cap * sizeof *q->starts);
    q->head = q->len = 0;
    sim_level_init(&q->busy, sim_now(s), 0.0);
    sim_level_init(&q->waiting, sim_now(s), 0.0);
    q->n_jobs = 0;
}

void sim_fcfs_fini(struct sim_fcfs *q)
{
    free(q->free_at);
    free(q->starts);
    sim_level_fini(&q->busy);
    sim_level_fini(&q->waiting);
}

/* Restores the heap below index i, whose key may have grown. */
static void sift_down(double *h, unsigned n, unsigned i)
{
    double x = h[i];
    for (;;) {
        unsigned c = 2 * i + 1;
        if (c >= n) {
            break;
        }
        if (c + 1 < n && h[c + 1] < h[c]) {
            c++;
        }
        if (!(h[c] < x)) {
            break;
        }
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static void sift_up(double *h, unsigned i)
{
    double x = h[i];
    while (i > 0 && x < h[(i - 1) / 2]) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

void sim_fcfs_settle(struct sim_fcfs *q, double t_s)
{
    while (q->n_busy > 0 && q->free_at[0] <= t_s) {
        double t = q->free_at[0];
        q->free_at[0] = q->free_at[--q->n_busy];
        sift_down(q->free_at, q->n_busy, 0);
        sim_level_set(&q->busy, t, (double)q->n_busy);
    }
    while (q->len > 0 && q->starts[q->head] <= t_s) {
        double t = q->starts[q->head];
        q->head = (q->head + 1) % q->cap;
        q->len--;
        sim_level_set(&q->waiting, t, (double)q->len);
    }
}

static void starts_push(struct sim_fcfs *q, double t_s)
{
    if (q->len == q->cap) {
        q->starts = sim_ring_grow(q->starts, sizeof *q->starts, q->head, q->cap, 2 * q->cap);
        q->cap *= 2;
        q->head = 0;
    }
    q->starts[(q->head + q->len) % q->cap] = t_s;
    q->len++;
}

double sim_fcfs_admit(struct sim_fcfs *q, double service_s)
{
    SIM_ASSERT(service_s >= 0.0);
    double now = sim_now(q->s);
    sim_fcfs_settle(q, now);
    q->n_jobs++;
    if (q->n_busy < q->servers) {
        q->free_at[q->n_busy] = now + service_s;
        sift_up(q->free_at, q->n_busy++);
        sim_level_set(&q->busy, now, (double)q->n_busy);
        return now + service_s;
    }
    /* All busy: the job takes the server that frees first, when it frees; the
     * hand-over leaves the number of busy servers unchanged. */
    double start = q->free_at[0];
    q->free_at[0] = start + service_s;
    sift_down(q->free_at, q->n_busy, 0);
    starts_push(q, start);
    sim_level_set(&q->waiting, now, (double)q->len);
    return start + service_s;
}

size_t sim_fcfs_waiting(struct sim_fcfs *q, double t_s)
{
    sim_fcfs_settle(q, t_s);
    return q->len;
}

void sim_fcfs_reset_stats(struct sim_fcfs *q, double t_s)
{
    sim_fcfs_settle(q, t_s);
    sim_level_reset(&q->busy, t_s);
    sim_level_reset(&q->waiting, t_s);
}
