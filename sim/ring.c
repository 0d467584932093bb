/* SPDX-License-Identifier: MIT */
#include "sim/ring.h"

#include "sim/check.h"

#include <stdlib.h>
#include <string.h>

void *sim_ring_grow(void *ring, size_t elem_size, size_t head, size_t cap, size_t new_cap)
{
    SIM_REQUIRE(new_cap > cap && head <= cap);
    char *to = sim_xreallocarray(NULL, new_cap, elem_size);
    if (cap > 0) {
        const char *from = ring;
        memcpy(to, from + head * elem_size, (cap - head) * elem_size);
        memcpy(to + (cap - head) * elem_size, from, head * elem_size);
    }
    free(ring);
    return to;
}
