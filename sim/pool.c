/* SPDX-License-Identifier: MIT */
#include "sim/pool.h"

#include "sim/check.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES (64u * 1024u)

void sim_pool_init(struct sim_pool *p, size_t obj_size)
{
    memset(p, 0, sizeof *p);
    /* Room for the free-list link, and every object aligned for any type. */
    size_t a = alignof(max_align_t);
    if (obj_size < sizeof(void *)) {
        obj_size = sizeof(void *);
    }
    p->obj_size = (obj_size + a - 1) / a * a;
}

void sim_pool__grow(struct sim_pool *p)
{
    size_t per = CHUNK_BYTES / p->obj_size;
    if (per < 8) {
        per = 8;
    }
    char *chunk = sim_xmalloc(per * p->obj_size);
    if (p->n_chunks == p->cap_chunks) {
        p->cap_chunks = p->cap_chunks ? 2 * p->cap_chunks : 8;
        p->chunks = sim_xreallocarray(p->chunks, p->cap_chunks, sizeof *p->chunks);
    }
    p->chunks[p->n_chunks++] = chunk;
    p->next = chunk;
    p->end = chunk + per * p->obj_size;
    p->n_total += per;
}

void sim_pool_fini(struct sim_pool *p)
{
    for (size_t i = 0; i < p->n_chunks; i++) {
        free(p->chunks[i]);
    }
    free(p->chunks);
    memset(p, 0, sizeof *p);
}
