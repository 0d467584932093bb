/* SPDX-License-Identifier: MIT
 *
 * pool.h - a free list of fixed-size objects (entities, waiters, buffers).
 *
 * Objects are carved in address order from chunks of 64 KiB, as they are
 * first needed (so a chunk's untouched tail costs no resident memory), and
 * given back onto a free list; take pops the free list or carves the next
 * object, give pushes, all O(1) and inline.  Nothing is returned to the
 * system until sim_pool_fini ("no memory is freed until DESTROY", as SQLite's
 * rowset says), so a model that churns through millions of requests costs no
 * malloc per request after its peak.  Objects come back uninitialised.
 *
 * n_live counts objects taken and not given back: a leak check for tests.
 */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stddef.h>
#include <stdint.h>

struct sim_pool {
    size_t obj_size;
    void *free; /* singly linked through the first word of each free object */
    char *next, *end; /* the current chunk's objects not carved yet */
    void **chunks;
    size_t n_chunks, cap_chunks;
    size_t n_live;
    size_t n_total; /* objects the chunks hold, carved or not */
};

void sim_pool_init(struct sim_pool *p, size_t obj_size);
void sim_pool_fini(struct sim_pool *p);
void sim_pool__grow(struct sim_pool *p);

static inline void *sim_pool_take(struct sim_pool *p)
{
    void *obj = p->free;
    if (obj) {
        p->free = *(void **)obj;
    } else {
        if (p->next == p->end) {
            sim_pool__grow(p);
        }
        obj = p->next;
        p->next += p->obj_size;
    }
    p->n_live++;
    return obj;
}

static inline void sim_pool_give(struct sim_pool *p, void *obj)
{
    *(void **)obj = p->free;
    p->free = obj;
    p->n_live--;
}

static inline size_t sim_pool_footprint_bytes(const struct sim_pool *p)
{
    return p->n_total * p->obj_size;
}

#endif
