/* SPDX-License-Identifier: MIT
 *
 * proxy_int.h - the proxy's state, shared by proxy.c and sse.c only.
 *
 * Entities: a client (one client connection, with its one request in flight
 * embedded: an HTTP/1.1 client has at most one) and an SSE stream.  Both come
 * from free lists.  Requests waiting on the upstream are on an intrusive
 * list so an upstream restart can fail them all.
 */
#ifndef MODELS_PROXY_INT_H
#define MODELS_PROXY_INT_H

#include "models/backpressure.h"
#include "models/bufpool.h"
#include "models/connpool.h"
#include "models/executor.h"
#include "models/faults.h"
#include "models/guard.h"
#include "models/memory.h"
#include "models/proxy.h"
#include "models/sessions.h"
#include "models/tasks.h"
#include "models/traffic.h"

/* Why a request failed; each cause is an error_rate_* metric. */
enum err_cause {
    CAUSE_NONE,
    CAUSE_TIMEOUT,
    CAUSE_POOL_TIMEOUT,
    CAUSE_RATE_LIMITED,
    CAUSE_CONNECT_ERROR,
    CAUSE_UPSTREAM_ERROR,
    /* Refusals (503, 413, a slow client cut off), by the limit that refused;
     * error_rate_rejected is their sum. */
    CAUSE_REJECTED_CONNS,         /* server.max_client_conns, at accept */
    CAUSE_REJECTED_INFLIGHT,      /* server.max_inflight */
    CAUSE_REJECTED_SHED,          /* server.max_memory or the degradation ladder */
    CAUSE_REJECTED_TASKS,         /* spawn.max_tasks or a bounded spawn site */
    CAUSE_REJECTED_SESSION_TASKS, /* spawn.max_tasks_per_session */
    CAUSE_REJECTED_SESSIONS,      /* the session store full (sessions.on_full: reject) */
    CAUSE_REJECTED_BLOCKING,      /* executor.blocking_queue_max */
    CAUSE_REJECTED_BODY,          /* server.body_limit (413) */
    CAUSE_REJECTED_SLOW_CLIENT,   /* sse.channel.on_full: disconnect */
    CAUSE_N
};
#define CAUSE_REJECTED_FIRST CAUSE_REJECTED_CONNS

struct request {
    struct connpool_req up;
    struct request *prev, *next; /* waiting on the upstream */
    struct upconn *conn;
    struct connpool *cp;
    struct sim_waiter *task_waiter;
    struct session_ref task_sess; /* the session its handler task counts in (sess NULL: none) */
    sim_evid ev;
    double t_arrive_s, deadline_s;
    double req_bytes, resp_bytes;
    double buf_req_cap, buf_resp_cap; /* 0 when not held */
    double sse_events;                /* POST answered with SSE: events in the answer */
    enum request_kind kind;
    bool admitted, has_task, upstream_err, listed, counted;
};

struct sse_stream;
struct sse_sub;
struct sse_model;

struct client {
    void *pool_link; /* first word: the free list writes here */
    struct proxy *px;
    struct request rq;
    struct session_ref sess;
    double reqs_left;
    bool closed_loop, connected, has_conn_task, retiring;
    struct sse_stream *stream;
    struct sse_sub *sub; /* a GET subscriber: its reconnects come back through here */
};

struct proxy {
    struct sim *s;
    const struct experiment *e;
    const struct profile *pf;
    const struct design *d;

    struct memory mem;
    struct tasks tk;
    struct executor ex;
    struct uphost host;
    struct connpool pool;        /* requests (shared scope); one-shot for per-request scope */
    struct connpool stream_pool; /* SSE GET upstream connections */
    struct bufpool bp;
    struct admission adm;
    struct sessions ss;
    struct traffic tr;
    struct guard guard;

    struct sim_pool clients;
    struct sim_pool streams;
    struct request *inflight_head;
    struct sse_stream *streams_head;
    struct sse_model *sse; /* reconnects, trackers, persistence worker (sse.c) */

    struct sim_level client_conns;
    struct sim_level sse_streams;
    struct sim_tseries series[RS_N];
    struct sim_loghist latency; /* successful requests, GET streams excluded */
    struct sim_tally latency_tally;
    struct sim_loghist sse_latency;
    double peak_pre[RS_N]; /* level maxima before the warm-up reset */

    double clients_target, clients_active;
    double t_end_s;
    bool warm;
    bool session_tasks;          /* spawn.max_tasks_per_session is finite: count per session */
    double stream_session_tasks; /* tasks a GET stream spawns in its own fresh session */
    uint64_t guard_tick;

    /* counters; *_base snapshots at the warm-up */
    uint64_t n_started, n_ok, n_finished, n_err[CAUSE_N];
    uint64_t n_arrivals; /* open-loop arrivals (client connections) */
    uint64_t n_started_base, n_ok_base, n_finished_base, n_err_base[CAUSE_N];
    uint64_t n_spawned_base, n_connects_base, n_sess_created_base, n_sess_evicted_base;
    uint64_t n_site_spawned_base[TASK_N_SITES];
    uint64_t n_buf_hits_base, n_buf_takes_base;
    uint64_t n_sse_dropped, n_sse_events;
};

/* proxy.c, for sse.c */
void proxy__request_finish(struct proxy *px, struct client *cl, bool ok, enum err_cause cause);
enum err_cause proxy__pool_cause(enum connpool_status st);
void proxy__guard_tick(struct proxy *px);
/* Connects cl again (a subscriber's reconnect attempt): admission, task, accept. */
void proxy__client_connect(struct proxy *px, struct client *cl);

/* sse.c */
void sse_stream_start(struct proxy *px, struct client *cl);
void sse_restart(struct proxy *px);
/* Records the writes that ended by now without an event of their own (before
 * the latency histogram is reset or read). */
void sse_settle(struct proxy *px);
void sse_fini(struct proxy *px);
void sse_init(struct proxy *px);
void sse_collect(struct proxy *px, double *metric, double end_s);
/* The client connection of a GET subscriber closed (refused: at accept); true
 * when its reconnect is scheduled and the client must be kept. */
bool sse_client_closed(struct proxy *px, struct client *cl);
bool sse_client_refused(struct proxy *px, struct client *cl);
size_t sse_stream_size(void);

#endif
