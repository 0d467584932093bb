/* SPDX-License-Identifier: MIT
 *
 * ring.h - growing a FIFO ring buffer.
 *
 * The engine's and the models' FIFOs (channel items, queued SSE messages,
 * FCFS start times, TIME_WAIT expiries) are rings of head, length and
 * capacity over one array, each of its own element type; when one is full it
 * doubles, unrolled so its oldest element lands at index 0.  That step is the
 * same for all of them and lives here.
 */
#ifndef SIM_RING_H
#define SIM_RING_H

#include <stddef.h>

/* A full ring (cap elements of elem_size, the oldest at head) moved to a new
 * array of new_cap > cap elements, oldest first: the caller then sets head to
 * 0 and cap to new_cap.  The old array (NULL when cap is 0) is freed. */
void *sim_ring_grow(void *ring, size_t elem_size, size_t head, size_t cap, size_t new_cap);

#endif
