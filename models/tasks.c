/* SPDX-License-Identifier: MIT */
#include "models/tasks.h"

#include "sim/check.h"

#include <math.h>

void tasks_init(struct tasks *tk, struct sim *s, struct memory *mem, const struct spawn_params *p,
                double task_bytes)
{
    tk->s = s;
    tk->mem = mem;
    tk->task_bytes = task_bytes;
    tk->max_tasks = p->max_tasks;
    tk->n_spawned = tk->n_refused = tk->n_leaked = 0;
    tk->spawns = NULL;
    sim_level_init(&tk->live, sim_now(s), 0.0);
    const struct spawn_site *sites[TASK_N_SITES] = {
        [TASK_CONN] = &p->per_conn,       [TASK_REQUEST] = &p->per_request,
        [TASK_STREAM] = &p->per_stream,   [TASK_EVENT] = &p->per_event,
        [TASK_RELEASE] = &p->per_release, [TASK_UPSTREAM_CONN] = &p->per_upstream_conn,
        [TASK_BACKGROUND] = NULL,
    };
    for (int i = 0; i < TASK_N_SITES; i++) {
        struct tasks_site *ts = &tk->site[i];
        ts->tk = tk;
        sim_level_init(&ts->live, sim_now(s), 0.0);
        ts->n_spawned = ts->n_leaked = ts->n_parked = 0;
        /* hyper spawns its connection drivers itself: no design can bound them. */
        ts->bounded = sites[i] && i != TASK_UPSTREAM_CONN && isfinite(sites[i]->max_live);
        ts->lifetime_s = sites[i] ? sites[i]->lifetime_s : 0.0;
        if (ts->bounded) {
            sim_sem_init(&ts->sem, s, sites[i]->max_live);
        }
    }
}

void tasks_fini(struct tasks *tk)
{
    sim_level_fini(&tk->live);
    for (int i = 0; i < TASK_N_SITES; i++) {
        sim_level_fini(&tk->site[i].live);
        if (tk->site[i].bounded) {
            sim_sem_fini(&tk->site[i].sem);
        }
    }
}

static void count_started(struct tasks *tk, struct tasks_site *ts)
{
    ts->n_spawned++;
    tk->n_spawned++;
    if (tk->spawns) {
        sim_tseries_count(tk->spawns, sim_now(tk->s), 1.0);
    }
}

static void count_spawn(struct tasks *tk, struct tasks_site *ts)
{
    double now = sim_now(tk->s);
    count_started(tk, ts);
    sim_level_add(&ts->live, now, 1.0);
    sim_level_add(&tk->live, now, 1.0);
    memory_add(tk->mem, MEM_TASKS, tk->task_bytes);
}

enum tasks_spawn_result tasks_spawn(struct tasks *tk, enum task_site site, sim_wake_fn *fn,
                                    void *who, struct sim_waiter **waiter)
{
    struct tasks_site *ts = &tk->site[site];
    if (tk->live.value >= tk->max_tasks) {
        tk->n_refused++;
        return TASKS_REFUSED;
    }
    if (ts->bounded && !sim_sem_acquire(&ts->sem, 1.0, INFINITY, fn, who, waiter)) {
        /* The permit comes later; the task is counted when fn runs (see parked_grant). */
        ts->n_parked++;
        return TASKS_PARKED;
    }
    count_spawn(tk, ts);
    return TASKS_SPAWNED;
}

void tasks_abandon(struct tasks *tk, enum task_site site, struct sim_waiter *w)
{
    sim_sem_abandon(&tk->site[site].sem, w);
}

void tasks_exit(struct tasks *tk, enum task_site site)
{
    struct tasks_site *ts = &tk->site[site];
    SIM_ASSERT(ts->live.value >= 1.0);
    double now = sim_now(tk->s);
    sim_level_add(&ts->live, now, -1.0);
    sim_level_add(&tk->live, now, -1.0);
    memory_add(tk->mem, MEM_TASKS, -tk->task_bytes);
    if (ts->bounded) {
        sim_sem_release(&ts->sem, 1.0);
    }
}

void tasks_leak(struct tasks *tk, enum task_site site)
{
    tk->site[site].n_leaked++;
    tk->n_leaked++;
}

void tasks_start(struct tasks *tk, enum task_site site) { count_spawn(tk, &tk->site[site]); }

void tasks_granted(struct tasks *tk, enum task_site site) { count_spawn(tk, &tk->site[site]); }

static void fire_exit(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct tasks_site *ts = subject;
    tasks_exit(ts->tk, (enum task_site)(ts - ts->tk->site));
}

static void fire_granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)item;
    (void)ok; /* no timeout on spawn permits */
    struct tasks_site *ts = who;
    struct tasks *tk = ts->tk;
    count_spawn(tk, ts);
    sim_schedule(s, ts->lifetime_s, 0, fire_exit, ts, NULL);
}

bool tasks_fire(struct tasks *tk, enum task_site site)
{
    struct tasks_site *ts = &tk->site[site];
    if (ts->lifetime_s <= 0.0 && !ts->bounded) {
        /* A zero lifetime ends at the instant it starts: counted, and on the
         * peaks, with no level change and no event (legacy-reverse's task per
         * SSE event). */
        if (tk->live.value >= tk->max_tasks) {
            tk->n_refused++;
            return false;
        }
        count_started(tk, ts);
        sim_level_blip(&ts->live, 1.0);
        sim_level_blip(&tk->live, 1.0);
        memory_blip(tk->mem, MEM_TASKS, tk->task_bytes);
        return true;
    }
    enum tasks_spawn_result r = tasks_spawn(tk, site, fire_granted, ts, NULL);
    if (r == TASKS_REFUSED) {
        return false;
    }
    if (r == TASKS_SPAWNED) {
        if (ts->lifetime_s <= 0.0) {
            tasks_exit(tk, site); /* a bounded site's permit is still taken and returned */
        } else {
            sim_schedule(tk->s, ts->lifetime_s, 0, fire_exit, ts, NULL);
        }
    }
    return true;
}
