/* SPDX-License-Identifier: MIT */
#include "models/bufpool.h"

#include <math.h>

void bufpool_init(struct bufpool *bp, struct sim *s, struct memory *mem,
                  const struct buffer_params *p)
{
    bp->s = s;
    bp->mem = mem;
    bp->pooled = p->pooled;
    bp->retain_max = p->retained;
    bp->keep_factor = p->keep_if_cap_le > 0.0 ? p->keep_if_cap_le : INFINITY;
    double nominal[BUF_N_CLASSES] = {[BUF_HTTP] = p->http_bytes, [BUF_SSE] = p->sse_bytes};
    for (int c = 0; c < BUF_N_CLASSES; c++) {
        bp->cls[c] = (struct bufpool_class_state){.nominal_bytes = nominal[c]};
    }
    sim_level_init(&bp->in_use, sim_now(s), 0.0);
    bp->n_leaked = 0;
}

void bufpool_fini(struct bufpool *bp) { sim_level_fini(&bp->in_use); }

double bufpool_take(struct bufpool *bp, enum bufpool_class c)
{
    struct bufpool_class_state *k = &bp->cls[c];
    sim_level_add(&bp->in_use, sim_now(bp->s), 1.0);
    if (bp->pooled && k->retained_n >= 1.0) {
        double cap = k->retained_bytes / k->retained_n;
        k->retained_n -= 1.0;
        k->retained_bytes -= cap;
        k->n_hits++;
        return cap;
    }
    k->n_misses++;
    memory_add(bp->mem, MEM_BUFFERS, k->nominal_bytes);
    return k->nominal_bytes;
}

void bufpool_give(struct bufpool *bp, enum bufpool_class c, double cap_bytes)
{
    struct bufpool_class_state *k = &bp->cls[c];
    sim_level_add(&bp->in_use, sim_now(bp->s), -1.0);
    if (bp->pooled && k->retained_n < bp->retain_max &&
        cap_bytes <= bp->keep_factor * k->nominal_bytes) {
        k->retained_n += 1.0;
        k->retained_bytes += cap_bytes;
        return;
    }
    k->n_freed++;
    memory_add(bp->mem, MEM_BUFFERS, -cap_bytes);
}

void bufpool_grow(struct bufpool *bp, double from_bytes, double to_bytes)
{
    if (to_bytes > from_bytes) {
        memory_add(bp->mem, MEM_BUFFERS, to_bytes - from_bytes);
    }
}

void bufpool_leak(struct bufpool *bp) { bp->n_leaked++; }

double bufpool_hit_rate(const struct bufpool *bp)
{
    double hits = 0.0, takes = 0.0;
    for (int c = 0; c < BUF_N_CLASSES; c++) {
        hits += (double)bp->cls[c].n_hits;
        takes += (double)(bp->cls[c].n_hits + bp->cls[c].n_misses);
    }
    return takes > 0.0 ? hits / takes : NAN;
}
