/* SPDX-License-Identifier: MIT */
#include "models/memory.h"

const char *const memory_component_names[MEM_N] = {
    [MEM_BASE] = "base",
    [MEM_TASKS] = "tasks",
    [MEM_CLIENT_CONNS] = "client_conns",
    [MEM_UPSTREAM_CONNS] = "upstream_conns",
    [MEM_SESSIONS] = "sessions",
    [MEM_BUFFERS] = "buffers",
    [MEM_QUEUED] = "queued",
    [MEM_STREAMS] = "streams",
    [MEM_TRACKER] = "tracker",
};

void memory_init(struct memory *m, struct sim *s, double base_bytes)
{
    m->s = s;
    double now = sim_now(s);
    sim_level_init(&m->total, now, base_bytes);
    for (int c = 0; c < MEM_N; c++) {
        sim_level_init(&m->comp[c], now, c == MEM_BASE ? base_bytes : 0.0);
    }
}

void memory_fini(struct memory *m)
{
    sim_level_fini(&m->total);
    for (int c = 0; c < MEM_N; c++) {
        sim_level_fini(&m->comp[c]);
    }
}
