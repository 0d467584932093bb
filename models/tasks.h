/* SPDX-License-Identifier: MIT
 *
 * tasks.h - where the proxy spawns tasks, how many live, what they cost.
 *
 * What it models: tokio-style tasks as counted entities.  A task holds no
 * stack, only its future's state (task_bytes of memory) and, while it runs,
 * an executor worker (CPU is charged by the executor, not here).  Each spawn
 * site of a design (per client connection, per request, per SSE stream, per
 * event, per pool release, per upstream connection driver, background) is
 * counted apart: live tasks, spawns, leaks.
 *
 * Bounds: a site with a finite max_live spawns through a FIFO semaphore; a
 * spawn that finds it exhausted parks until a task of that site exits (as
 * `semaphore.acquire().await; tokio::spawn(..)` does), so live tasks of the
 * site never exceed the bound and the wait shows up as latency.  The global
 * max_tasks is a load-shedding cap: a spawn beyond it is refused and the
 * caller fails its work (503).  It is checked when a spawn is asked for, so
 * a spawn parked on its site's semaphore is granted later even at the cap,
 * and tasks_start's library tasks are never refused: the live count may pass
 * max_tasks by a few.  Unbounded sites just count.  The cap per
 * session (max_tasks_per_session) is kept by the session store, which knows
 * sessions (models/sessions.h).
 *
 * Lifetimes: long-lived tasks (connection, request, stream) are ended by
 * their owner with tasks_exit.  Fire-and-forget tasks (an event's
 * persistence, a pool release) are spawned with tasks_fire and exit on their
 * own after the site's lifetime_s: with spawns at rate E and lifetime L they
 * hold E*L live tasks on average (Little), the failure mode of a task per
 * event under a fast stream.
 *
 * Leaks: tasks_leak marks a live task as never exiting (an error path that
 * drops its JoinHandle and leaves the future parked forever): it stays live,
 * keeps its memory and, on a bounded site, its permit.
 *
 * Costs: O(1) per call; one event per fire-and-forget task with a lifetime.
 * One with a zero lifetime on an unbounded site ends as it starts: it is
 * counted and reaches the peaks (sim_level_blip), with no event.
 */
#ifndef MODELS_TASKS_H
#define MODELS_TASKS_H

#include "models/memory.h"
#include "models/params.h"
#include "sim/sem.h"
#include "sim/sim.h"
#include "sim/stat.h"

enum task_site {
    TASK_CONN,
    TASK_REQUEST,
    TASK_STREAM,
    TASK_EVENT,
    TASK_RELEASE,
    TASK_UPSTREAM_CONN,
    TASK_BACKGROUND,
    TASK_N_SITES
};

enum tasks_spawn_result { TASKS_SPAWNED, TASKS_PARKED, TASKS_REFUSED };

struct tasks;

struct tasks_site {
    struct tasks *tk;
    bool bounded;
    double lifetime_s;
    struct sim_sem sem; /* initialised only when bounded */
    struct sim_level live; /* time-weighted: which sites dominate, not only how many */
    uint64_t n_spawned, n_leaked, n_parked;
};

struct tasks {
    struct sim *s;
    struct memory *mem;
    double task_bytes;
    double max_tasks;
    struct tasks_site site[TASK_N_SITES];
    struct sim_level live; /* all sites */
    struct sim_tseries *spawns; /* spawns per window (may be NULL) */
    uint64_t n_spawned, n_refused, n_leaked;
};

void tasks_init(struct tasks *tk, struct sim *s, struct memory *mem, const struct spawn_params *p,
                double task_bytes);
void tasks_fini(struct tasks *tk);

/* Spawns a task at `site`.  SPAWNED: live now.  PARKED: the site's bound is
 * reached; fn(s, who, NULL, true) runs when the task is spawned (*waiter may
 * be given to tasks_abandon).  REFUSED: the global cap is reached; nothing
 * happens. */
enum tasks_spawn_result tasks_spawn(struct tasks *tk, enum task_site site, sim_wake_fn *fn,
                                    void *who, struct sim_waiter **waiter);
/* A PARKED spawn's callback calls this first: the task becomes live.  (The
 * wake callback carries only `who`, so the count cannot be taken for it.) */
void tasks_granted(struct tasks *tk, enum task_site site);
/* Counts a task that library code spawns whatever the design says (hyper's
 * connection driver): no bound, no cap. */
void tasks_start(struct tasks *tk, enum task_site site);
/* A parked spawn gives up. */
void tasks_abandon(struct tasks *tk, enum task_site site, struct sim_waiter *w);
/* A live task of `site` exits. */
void tasks_exit(struct tasks *tk, enum task_site site);
/* A live task of `site` will never exit. */
void tasks_leak(struct tasks *tk, enum task_site site);
/* A fire-and-forget task: spawned (at once or when the site's bound allows) and
 * exits by itself after the site's lifetime_s.  False if refused by the cap. */
bool tasks_fire(struct tasks *tk, enum task_site site);

static inline double tasks_live(const struct tasks *tk) { return tk->live.value; }

#endif
