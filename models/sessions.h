/* SPDX-License-Identifier: MIT
 *
 * sessions.h - the proxy's session store: creation, reuse, expiry, eviction,
 * and the lock every request takes.
 *
 * What it models: an in-memory map of sessions behind one lock.  A request
 * either reuses its connection's session (its id is reused and known) or
 * creates a new one: every request does when the upstream hands out non-UUID
 * ids (shadowcat's parse_session_id maps them to a fresh UUID each time) or
 * when the client does not reuse ids.  Sessions live until removed on client
 * close (if the design does that), expired by the cleanup sweep (every
 * cleanup_interval_s, removing sessions idle longer than ttl_s; never, if the
 * interval is INFINITY, which is shadowcat's reverse proxy), or evicted when
 * the store is full (LRU evict, or reject the new session).  With cleanup off
 * and a new id per request the store grows linearly to max_sessions, then
 * evicts one session per request; with cleanup on it holds about
 * rate * (ttl + interval / 2).
 *
 * The lock: each request holds the store's lock for reads_per_request x
 * lock_read_s + writes_per_request x lock_write_s, as one FIFO critical
 * section on a single server (sim_fcfs: the hold is known when the request
 * asks, so the release is solved then and only the request's continuation
 * is an event).  This serialises readers (a RwLock would
 * let reads overlap): conservative, and exact when writes dominate, as they
 * do here (get_or_create_session writes on every request).  At high rates the
 * lock's queue is where contention shows.  A zero hold time costs no event.
 *
 * Leaks: an error path that fails to remove its session (remove_on_close
 * designs) leaves it to the TTL sweep or eviction, or forever when neither
 * runs: counted in n_leaked.
 *
 * Tasks per session (spawn.max_tasks_per_session): each session counts the
 * live tasks attributed to it, and sessions_task_add refuses one beyond the
 * cap.  The store only counts; proxy.c attributes a request's handler task
 * (spawn.per_request) to the session the request resolves to, once the
 * session id is parsed: a session already at the cap gets a 503 and the
 * task ends.  A leaked handler task keeps its place for good, so a session
 * whose error paths leak stops taking requests at the cap.  A GET stream's
 * pump and keepalive (spawn.per_stream) live in a session of their own
 * (sse.new_session_per_stream), so the stream is refused up front when they
 * alone exceed the cap (sessions_task_fits).  Not counted: the connection
 * task (spawned at accept, before any session is known) and fire-and-forget
 * tasks (per event, per release: detached, their JoinHandles dropped, so
 * nothing session-scoped sees them; their sites' max_live bounds them).  A
 * count dies with its session: a task that exits after its session was
 * evicted or expired finds the generation changed and leaves the count of
 * whatever reuses the entity alone.  Off (INFINITY), nothing is counted.
 *
 * Ownership: session entities come from the store's free list; a connection
 * refers to its session by pointer plus generation, so an evicted session is
 * recognised as gone.  Costs: O(1) per operation; the sweep O(expired), since
 * the LRU list is also ordered by last use.
 */
#ifndef MODELS_SESSIONS_H
#define MODELS_SESSIONS_H

#include "models/memory.h"
#include "models/params.h"
#include "sim/pool.h"
#include "sim/fcfs.h"
#include "sim/sim.h"
#include "sim/stat.h"

struct session {
    void *pool_link; /* first word: the free list writes here */
    struct session *prev, *next; /* LRU: head most recent */
    double last_s;
    uint32_t gen;
    uint32_t tasks; /* live tasks attributed to this session */
    bool leaked;
};

/* A session reference that survives eviction: valid while gen matches. */
struct session_ref {
    struct session *sess;
    uint32_t gen;
};

struct sessions {
    struct sim *s;
    struct memory *mem;
    const struct session_params *p;
    double session_bytes;
    struct sim_pool entities;
    struct session *head, *tail;
    double n_live;
    uint32_t next_gen;
    struct sim_fcfs lock;
    double hold_s;
    sim_evid sweep;
    struct sim_level live;
    double tasks_peak; /* most live tasks any one session held */
    uint64_t n_created, n_reused, n_evicted, n_expired, n_rejected, n_removed, n_leaked;
};

void sessions_init(struct sessions *ss, struct sim *s, struct memory *mem,
                   const struct session_params *p, double session_bytes);
void sessions_fini(struct sessions *ss);

/* The live session ref points to, touched; NULL if it is gone or expired. */
struct session *sessions_lookup(struct sessions *ss, const struct session_ref *ref);
/* A new session (evicting the least recent if full and LRU); NULL when the store is
 * full and rejects. */
struct session *sessions_open(struct sessions *ss, struct session_ref *ref);
void sessions_remove(struct sessions *ss, struct session *sess);
/* An error path forgets to remove sess. */
void sessions_leak(struct sessions *ss, struct session *sess);
/* Attributes one more live task to sess; false (nothing counted) when it
 * already holds max_tasks. */
bool sessions_task_add(struct sessions *ss, struct session *sess, double max_tasks);
/* Whether a fresh session may hold n tasks (false, counted as refused, over
 * max_tasks); n counts towards the peak. */
bool sessions_task_fits(struct sessions *ss, double n, double max_tasks);
/* A task attributed through ref ends (nothing if the session is gone). */
void sessions_task_exit(struct sessions *ss, const struct session_ref *ref);
/* Runs fn(s, subject, NULL) after the request's critical section on the store lock. */
void sessions_lock(struct sessions *ss, sim_event_fn *fn, void *subject);

#endif
