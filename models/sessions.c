/* SPDX-License-Identifier: MIT */
#include "models/sessions.h"

#include <math.h>

static void sweep(struct sim *s, void *subject, void *object);

void sessions_init(struct sessions *ss, struct sim *s, struct memory *mem,
                   const struct session_params *p, double session_bytes)
{
    ss->s = s;
    ss->mem = mem;
    ss->p = p;
    ss->session_bytes = session_bytes;
    sim_pool_init(&ss->entities, sizeof(struct session));
    ss->head = ss->tail = NULL;
    ss->n_live = 0.0;
    ss->next_gen = 1;
    sim_fcfs_init(&ss->lock, s, 1);
    ss->hold_s = p->reads_per_request * p->lock_read_s + p->writes_per_request * p->lock_write_s;
    sim_level_init(&ss->live, sim_now(s), 0.0);
    ss->n_created = ss->n_reused = ss->n_evicted = ss->n_expired = 0;
    ss->n_rejected = ss->n_removed = ss->n_leaked = 0;
    ss->tasks_peak = 0.0;
    ss->sweep = 0;
    if (isfinite(p->cleanup_interval_s) && p->cleanup_interval_s > 0.0) {
        ss->sweep = sim_schedule(s, p->cleanup_interval_s, 2, sweep, ss, NULL);
    }
}

void sessions_fini(struct sessions *ss)
{
    sim_pool_fini(&ss->entities);
    sim_fcfs_fini(&ss->lock);
    sim_level_fini(&ss->live);
}

static void unlink_sess(struct sessions *ss, struct session *x)
{
    if (x->prev) {
        x->prev->next = x->next;
    } else {
        ss->head = x->next;
    }
    if (x->next) {
        x->next->prev = x->prev;
    } else {
        ss->tail = x->prev;
    }
}

static void link_front(struct sessions *ss, struct session *x)
{
    x->prev = NULL;
    x->next = ss->head;
    if (ss->head) {
        ss->head->prev = x;
    } else {
        ss->tail = x;
    }
    ss->head = x;
}

static void drop(struct sessions *ss, struct session *x)
{
    unlink_sess(ss, x);
    x->gen = 0; /* stale for every ref */
    ss->n_live -= 1.0;
    sim_level_add(&ss->live, sim_now(ss->s), -1.0);
    memory_add(ss->mem, MEM_SESSIONS, -ss->session_bytes);
    sim_pool_give(&ss->entities, x);
}

static bool is_expired(const struct sessions *ss, const struct session *x, double now)
{
    return now - x->last_s > ss->p->ttl_s;
}

struct session *sessions_lookup(struct sessions *ss, const struct session_ref *ref)
{
    struct session *x = ref->sess;
    if (!x || x->gen != ref->gen || is_expired(ss, x, sim_now(ss->s))) {
        return NULL;
    }
    x->last_s = sim_now(ss->s);
    unlink_sess(ss, x);
    link_front(ss, x);
    ss->n_reused++;
    return x;
}

struct session *sessions_open(struct sessions *ss, struct session_ref *ref)
{
    if (ss->n_live >= ss->p->max_sessions) {
        if (ss->p->on_full == EVICT_REJECT || !ss->tail) {
            ss->n_rejected++;
            ref->sess = NULL;
            return NULL;
        }
        ss->n_evicted++;
        drop(ss, ss->tail);
    }
    struct session *x = sim_pool_take(&ss->entities);
    x->last_s = sim_now(ss->s);
    x->gen = ss->next_gen++;
    if (ss->next_gen == 0) {
        ss->next_gen = 1;
    }
    x->leaked = false;
    x->tasks = 0;
    link_front(ss, x);
    ss->n_live += 1.0;
    ss->n_created++;
    sim_level_add(&ss->live, sim_now(ss->s), 1.0);
    memory_add(ss->mem, MEM_SESSIONS, ss->session_bytes);
    ref->sess = x;
    ref->gen = x->gen;
    return x;
}

void sessions_remove(struct sessions *ss, struct session *sess)
{
    ss->n_removed++;
    drop(ss, sess);
}

void sessions_leak(struct sessions *ss, struct session *sess)
{
    if (!sess->leaked) {
        sess->leaked = true;
        ss->n_leaked++;
    }
}

bool sessions_task_add(struct sessions *ss, struct session *sess, double max_tasks)
{
    if ((double)sess->tasks + 1.0 > max_tasks) {
        return false;
    }
    sess->tasks++;
    if ((double)sess->tasks > ss->tasks_peak) {
        ss->tasks_peak = (double)sess->tasks;
    }
    return true;
}

bool sessions_task_fits(struct sessions *ss, double n, double max_tasks)
{
    if (n > max_tasks) {
        return false;
    }
    if (n > ss->tasks_peak) {
        ss->tasks_peak = n;
    }
    return true;
}

void sessions_task_exit(struct sessions *ss, const struct session_ref *ref)
{
    (void)ss;
    struct session *x = ref->sess;
    if (x && x->gen == ref->gen && x->tasks > 0) {
        x->tasks--;
    }
}

static void sweep(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sessions *ss = subject;
    double now = sim_now(s);
    while (ss->tail && is_expired(ss, ss->tail, now)) {
        ss->n_expired++;
        drop(ss, ss->tail);
    }
    ss->sweep = sim_schedule(s, ss->p->cleanup_interval_s, 2, sweep, ss, NULL);
}

void sessions_lock(struct sessions *ss, sim_event_fn *fn, void *subject)
{
    if (ss->hold_s <= 0.0) {
        fn(ss->s, subject, NULL);
        return;
    }
    sim_schedule_at(ss->s, sim_fcfs_admit(&ss->lock, ss->hold_s), 0, fn, subject, NULL);
}
