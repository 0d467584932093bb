/* SPDX-License-Identifier: MIT */
#include "models/proxy_int.h"
#include "models/sse.h"
#include "sim/check.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_EVERY 4096u

static void client_connect(struct sim *s, void *subject, void *object);
static void client_next_request(struct proxy *px, struct client *cl);
static void rq_fail(struct proxy *px, struct client *cl, enum err_cause cause, bool reusable);

static double kib(double bytes) { return bytes / 1024.0; }

/* ---- clients ---- */

static struct client *client_new(struct proxy *px, bool closed_loop)
{
    struct client *cl = sim_pool_take(&px->clients);
    memset(cl, 0, sizeof *cl);
    cl->px = px;
    cl->closed_loop = closed_loop;
    if (closed_loop) {
        px->clients_active += 1.0;
    }
    return cl;
}

static void client_free(struct proxy *px, struct client *cl)
{
    if (cl->closed_loop) {
        px->clients_active -= 1.0;
    }
    sim_pool_give(&px->clients, cl);
}

static double think_s(struct proxy *px)
{
    double t = sim_dist_sample(&px->pf->think_s, sim_rng(px->s, PS_THINK));
    return t > 0.0 ? t : 0.0;
}

static void client_think_done(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct client *cl = subject;
    client_next_request(cl->px, cl);
}

static void client_close(struct proxy *px, struct client *cl)
{
    const struct design *d = px->d;
    struct session *x = d->sessions.remove_on_close ? cl->sess.sess : NULL;
    if (x && x->gen == cl->sess.gen && !x->leaked) {
        sessions_remove(&px->ss, x);
    }
    cl->sess.sess = NULL;
    if (cl->has_conn_task) {
        tasks_exit(&px->tk, TASK_CONN);
        cl->has_conn_task = false;
    }
    cl->connected = false;
    sim_level_add(&px->client_conns, sim_now(px->s), -1.0);
    memory_add(&px->mem, MEM_CLIENT_CONNS,
               -(d->memory.client_conn_bytes + d->buffers.per_conn_bytes));
    admission_conn_close(&px->adm);
    if (cl->sub && sse_client_closed(px, cl)) {
        return; /* a GET subscriber reconnects after its backoff */
    }
    if (!cl->closed_loop) {
        client_free(px, cl);
        return;
    }
    if (cl->retiring || px->clients_active > px->clients_target) {
        client_free(px, cl);
        return;
    }
    sim_schedule(px->s, think_s(px), 0, client_connect, cl, NULL);
}

/* A connection refused at accept: one failed request, then the client goes. */
static void client_refused(struct proxy *px, struct client *cl, enum err_cause cause)
{
    px->n_started++;
    sim_tseries_count(&px->series[RS_OFFERED], sim_now(px->s), 1.0);
    px->n_finished++;
    px->n_err[cause]++;
    sim_tseries_count(&px->series[RS_ERRORS], sim_now(px->s), 1.0);
    if (cl->sub && sse_client_refused(px, cl)) {
        return;
    }
    if (cl->closed_loop && !(px->clients_active > px->clients_target)) {
        sim_schedule(px->s, think_s(px), 0, client_connect, cl, NULL);
        return;
    }
    client_free(px, cl);
}

static void client_accepted(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct client *cl = subject;
    client_next_request(cl->px, cl);
}

static void client_admitted(struct proxy *px, struct client *cl)
{
    const struct design *d = px->d;
    cl->connected = true;
    cl->reqs_left = traffic_requests_per_conn(&px->tr, sim_rng(px->s, PS_CONN));
    cl->sess.sess = NULL;
    sim_level_add(&px->client_conns, sim_now(px->s), 1.0);
    memory_add(&px->mem, MEM_CLIENT_CONNS,
               d->memory.client_conn_bytes + d->buffers.per_conn_bytes);
    executor_submit(&px->ex, d->executor.cpu.accept_s, client_accepted, cl);
}

static void conn_task_granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)s;
    (void)item;
    (void)ok;
    struct client *cl = who;
    tasks_granted(&cl->px->tk, TASK_CONN);
    cl->has_conn_task = true;
    client_admitted(cl->px, cl);
}

static void client_connect(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct client *cl = subject;
    struct proxy *px = cl->px;
    proxy__guard_tick(px);
    switch (admission_conn_open(&px->adm, sim_now(s))) {
    case ADMIT_OK:
        break;
    case ADMIT_SHED:
        client_refused(px, cl, CAUSE_REJECTED_SHED);
        return;
    default: /* ADMIT_REJECTED */
        client_refused(px, cl, CAUSE_REJECTED_CONNS);
        return;
    }
    if (px->d->spawn.per_conn.enabled) {
        switch (tasks_spawn(&px->tk, TASK_CONN, conn_task_granted, cl, NULL)) {
        case TASKS_SPAWNED:
            cl->has_conn_task = true;
            break;
        case TASKS_PARKED:
            return;
        case TASKS_REFUSED:
            admission_conn_close(&px->adm);
            client_refused(px, cl, CAUSE_REJECTED_TASKS);
            return;
        }
    }
    client_admitted(px, cl);
}

void proxy__client_connect(struct proxy *px, struct client *cl)
{
    client_connect(px->s, cl, NULL);
}

static void open_arrival(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct proxy *px = subject;
    struct client *cl = client_new(px, false);
    px->n_arrivals++;
    client_connect(s, cl, NULL);
    double next = traffic_next_arrival_s(&px->tr, sim_rng(s, PS_ARRIVALS), sim_now(s));
    if (next < px->t_end_s) {
        sim_schedule_at(s, next, 0, open_arrival, px, NULL);
    }
}

/* Closed loop: grow the population to its target (it shrinks at cycle ends). */
static void population_adjust(struct proxy *px)
{
    if (px->pf->arrivals != ARRIVALS_CLOSED) {
        return;
    }
    px->clients_target = floor(schedule_value(&px->pf->clients, sim_now(px->s)));
    while (px->clients_active < px->clients_target) {
        struct client *cl = client_new(px, true);
        /* Staggered by one think time so the population does not start in lockstep. */
        sim_schedule(px->s, think_s(px), 0, client_connect, cl, NULL);
    }
}

/* ---- requests ---- */

static void rq_unlist(struct proxy *px, struct request *rq)
{
    if (!rq->listed) {
        return;
    }
    if (rq->prev) {
        rq->prev->next = rq->next;
    } else {
        px->inflight_head = rq->next;
    }
    if (rq->next) {
        rq->next->prev = rq->prev;
    }
    rq->listed = false;
}

static void rq_list(struct proxy *px, struct request *rq)
{
    rq->prev = NULL;
    rq->next = px->inflight_head;
    if (px->inflight_head) {
        px->inflight_head->prev = rq;
    }
    px->inflight_head = rq;
    rq->listed = true;
}

static struct client *client_of(struct request *rq)
{
    return (struct client *)((char *)rq - offsetof(struct client, rq));
}

void proxy__request_finish(struct proxy *px, struct client *cl, bool ok, enum err_cause cause)
{
    struct request *rq = &cl->rq;
    double now = sim_now(px->s);
    if (rq->admitted) {
        admission_request_done(&px->adm);
        rq->admitted = false;
    }
    if (rq->has_task) {
        tasks_exit(&px->tk, TASK_REQUEST);
        rq->has_task = false;
    }
    if (rq->task_sess.sess) {
        sessions_task_exit(&px->ss, &rq->task_sess);
        rq->task_sess.sess = NULL;
    }
    px->n_finished++;
    if (ok) {
        px->n_ok++;
        sim_tseries_count(&px->series[RS_THROUGHPUT], now, 1.0);
        if (rq->kind != REQ_GET_SSE) {
            sim_loghist_add(&px->latency, now - rq->t_arrive_s);
            sim_tally_add(&px->latency_tally, now - rq->t_arrive_s);
        }
    } else {
        px->n_err[cause]++;
        sim_tseries_count(&px->series[RS_ERRORS], now, 1.0);
    }
    if (cl->reqs_left > 0.0 && cl->connected && rq->kind != REQ_GET_SSE) {
        sim_schedule(px->s, think_s(px), 0, client_think_done, cl, NULL);
        return;
    }
    client_close(px, cl);
}

static void rq_give_buffers(struct proxy *px, struct request *rq, bool may_leak)
{
    gsl_rng *lr = sim_rng(px->s, PS_LEAKS);
    double caps[2] = {rq->buf_req_cap, rq->buf_resp_cap};
    for (int i = 0; i < 2; i++) {
        if (caps[i] <= 0.0) {
            continue;
        }
        if (may_leak && faults_leak(lr, px->d->leaks.buffer_p)) {
            bufpool_leak(&px->bp);
        } else {
            bufpool_give(&px->bp, BUF_HTTP, caps[i]);
        }
    }
    rq->buf_req_cap = rq->buf_resp_cap = 0.0;
}

/* The one error path: what the request holds is released, or leaked with the
 * design's probabilities (an error branch that forgets a drop or a join). */
static void rq_fail(struct proxy *px, struct client *cl, enum err_cause cause, bool reusable)
{
    struct request *rq = &cl->rq;
    const struct leak_params *lk = &px->d->leaks;
    gsl_rng *lr = sim_rng(px->s, PS_LEAKS);
    rq_unlist(px, rq);
    if (rq->conn) {
        if (faults_leak(lr, lk->upstream_conn_p)) {
            connpool_leak(rq->cp, rq->conn);
        } else {
            connpool_release(rq->cp, rq->conn, reusable);
        }
        rq->conn = NULL;
    }
    rq_give_buffers(px, rq, true);
    if (rq->has_task && faults_leak(lr, lk->task_p)) {
        tasks_leak(&px->tk, TASK_REQUEST);
        rq->has_task = false;      /* it stays live: never exits, */
        rq->task_sess.sess = NULL; /* and keeps its place in its session's count */
    }
    struct session *x = cl->sess.sess;
    if (x && x->gen == cl->sess.gen && px->d->sessions.remove_on_close &&
        faults_leak(lr, lk->session_p)) {
        sessions_leak(&px->ss, x);
    }
    proxy__request_finish(px, cl, false, cause);
}

enum err_cause proxy__pool_cause(enum connpool_status st)
{
    switch (st) {
    case CONNPOOL_TIMEOUT:
    case CONNPOOL_EXHAUSTED:
        return CAUSE_POOL_TIMEOUT;
    case CONNPOOL_CONNECT_ERROR:
        return CAUSE_CONNECT_ERROR;
    case CONNPOOL_CONNECT_TIMEOUT:
        return CAUSE_TIMEOUT;
    case CONNPOOL_OK:
        break;
    }
    return CAUSE_NONE;
}

static void rq_done(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct client *cl = subject;
    struct proxy *px = cl->px;
    rq_give_buffers(px, &cl->rq, false);
    proxy__request_finish(px, cl, true, CAUSE_NONE);
}

static void rq_response(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct client *cl = subject;
    struct proxy *px = cl->px;
    struct request *rq = &cl->rq;
    const struct design *d = px->d;
    rq->ev = 0;
    rq_unlist(px, rq);
    if (rq->upstream_err) {
        /* A 5xx leaves the connection healthy: reusable. */
        rq_fail(px, cl, CAUSE_UPSTREAM_ERROR, true);
        return;
    }
    rq->buf_resp_cap = bufpool_take(&px->bp, BUF_HTTP);
    if (d->upstream.response_body == BODY_COLLECT && rq->resp_bytes > rq->buf_resp_cap) {
        /* BytesMut grows by doubling: the capacity ends at the next power of two. */
        double cap = exp2(ceil(log2(rq->resp_bytes)));
        bufpool_grow(&px->bp, rq->buf_resp_cap, cap);
        rq->buf_resp_cap = cap;
    }
    connpool_release(rq->cp, rq->conn, true);
    rq->conn = NULL;
    if (d->spawn.per_release.enabled) {
        tasks_fire(&px->tk, TASK_RELEASE);
    }
    const struct cpu_costs *c = &d->executor.cpu;
    double cost = c->interceptor_s + c->parse_per_kib_s * kib(rq->resp_bytes);
    if (rq->kind == REQ_POST_SSE) {
        cost += rq->sse_events * (c->sse_event_s + c->interceptor_s);
    }
    executor_submit(&px->ex, cost, rq_done, cl);
    (void)s;
}

static void rq_timeout(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct client *cl = subject;
    cl->rq.ev = 0;
    /* HTTP/1.1 cannot abandon a response mid-flight: the connection is closed. */
    rq_fail(cl->px, cl, CAUSE_TIMEOUT, false);
}

/* How long the upstream holds the connection for this request. */
static double rq_service_s(struct proxy *px, struct request *rq)
{
    const struct profile *pf = px->pf;
    gsl_rng *r = sim_rng(px->s, PS_SERVICE);
    double svc = sim_dist_sample(&pf->upstream_service_s, r);
    if (rq->kind == REQ_POST_SSE) {
        /* Pull stream: each event leaves at the slower of the upstream's pace and the
         * client's drain, so backpressure reaches the upstream and nothing queues. */
        gsl_rng *re = sim_rng(px->s, PS_SSE_EVENTS);
        double n = round(sim_dist_sample(&pf->sse.post_events, re));
        double drain = sim_dist_sample(&pf->sse.drain_bytes_per_s, sim_rng(px->s, PS_SSE_DRAIN));
        rq->sse_events = n > 0.0 ? n : 0.0;
        for (double i = 0.0; i < rq->sse_events; i += 1.0) {
            double gap = sim_dist_sample(&pf->sse.event_gap_s, re);
            double bytes = sim_dist_sample(&pf->sse.event_bytes, re);
            svc += fmax(gap, drain > 0.0 ? bytes / drain : 0.0);
        }
    }
    return svc;
}

static void rq_conn_ready(struct sim *s, void *who, struct upconn *c, enum connpool_status st)
{
    struct client *cl = who;
    struct proxy *px = cl->px;
    struct request *rq = &cl->rq;
    if (st != CONNPOOL_OK) {
        rq_fail(px, cl, proxy__pool_cause(st), true);
        return;
    }
    rq->conn = c;
    double now = sim_now(s);
    double svc = rq_service_s(px, rq);
    const struct fault_profile *f = &px->pf->faults;
    gsl_rng *fr = sim_rng(s, PS_FAULTS);
    double at = faults_response_at_s(f, fr, now, svc);
    rq->upstream_err = faults_upstream_error(f, fr);
    double deadline = fmin(rq->deadline_s, now + px->d->upstream.request_timeout_s);
    rq_list(px, rq);
    if (at > deadline) {
        rq->ev = sim_schedule_at(s, deadline, 0, rq_timeout, cl, NULL);
    } else {
        rq->ev = sim_schedule_at(s, at, 0, rq_response, cl, NULL);
    }
}

static void rq_acquire(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct client *cl = subject;
    struct proxy *px = cl->px;
    struct request *rq = &cl->rq;
    rq->buf_req_cap = bufpool_take(&px->bp, BUF_HTTP);
    rq->cp = &px->pool;
    connpool_acquire(&px->pool, &rq->up, rq->deadline_s - sim_now(s), rq_conn_ready, cl);
}

/* Work the handler hands to spawn_blocking: a blocking thread for
 * blocking_work_s, FIFO behind the pool's queue; a full queue refuses the
 * request (503).  Then the request goes upstream. */
static void rq_blocking(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct client *cl = subject;
    struct proxy *px = cl->px;
    double w = px->d->executor.blocking_work_s;
    if (w <= 0.0) {
        rq_acquire(s, cl, NULL);
    } else if (!executor_submit_blocking(&px->ex, w, rq_acquire, cl)) {
        rq_fail(px, cl, CAUSE_REJECTED_BLOCKING, true);
    }
}

static void rq_session(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct client *cl = subject;
    struct proxy *px = cl->px;
    const struct profile *pf = px->pf;
    bool reuse = pf->session_ids_uuid &&
                 gsl_rng_uniform(sim_rng(s, PS_SESSIONS)) < pf->session_reuse_p;
    struct session *x = reuse ? sessions_lookup(&px->ss, &cl->sess) : NULL;
    if (!x) {
        /* The old session (if any) stays in the store: nothing removes it but the
         * sweep, eviction, or the connection's close. */
        x = sessions_open(&px->ss, &cl->sess);
        if (!x) {
            rq_fail(px, cl, CAUSE_REJECTED_SESSIONS, true);
            return;
        }
    }
    if (cl->rq.has_task && px->session_tasks) {
        /* The handler task was spawned on arrival; it joins its session once the
         * id is parsed, and a session already at its cap gets a 503. */
        if (!sessions_task_add(&px->ss, x, px->d->spawn.max_tasks_per_session)) {
            rq_fail(px, cl, CAUSE_REJECTED_SESSION_TASKS, true);
            return;
        }
        cl->rq.task_sess = cl->sess;
    }
    sessions_lock(&px->ss, rq_blocking, cl);
}

static void rq_spawned(struct proxy *px, struct client *cl)
{
    const struct cpu_costs *c = &px->d->executor.cpu;
    struct request *rq = &cl->rq;
    double cost = c->parse_base_s + c->parse_per_kib_s * kib(rq->req_bytes) + c->interceptor_s +
                  c->session_lookup_s + c->forward_s;
    executor_submit(&px->ex, cost, rq_session, cl);
}

static void rq_task_granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)s;
    (void)item;
    (void)ok;
    struct client *cl = who;
    tasks_granted(&cl->px->tk, TASK_REQUEST);
    cl->rq.has_task = true;
    rq_spawned(cl->px, cl);
}

/* The rung of the degradation ladder from which each kind of request is shed:
 * long-lived pushes first, then pulled streams.  Plain JSON-RPC on a connection
 * already admitted is the essential service and is never shed by the ladder
 * (DEGRADE_N): protective mode refuses new connections instead, so a saturated
 * proxy keeps serving the clients it has rather than refusing everyone. */
static const enum degrade_level shed_from[] = {
    [REQ_POST_JSON] = DEGRADE_N,
    [REQ_POST_SSE] = DEGRADE_ESSENTIAL,
    [REQ_GET_SSE] = DEGRADE_DEGRADED,
};

static void client_next_request(struct proxy *px, struct client *cl)
{
    struct sim *s = px->s;
    struct request *rq = &cl->rq;
    double now = sim_now(s);
    proxy__guard_tick(px);
    cl->reqs_left -= 1.0;
    rq->conn = NULL;
    rq->cp = NULL;
    rq->ev = 0;
    rq->buf_req_cap = rq->buf_resp_cap = 0.0;
    rq->sse_events = 0.0;
    rq->admitted = rq->has_task = rq->upstream_err = rq->listed = false;
    rq->task_sess.sess = NULL;
    rq->t_arrive_s = now;
    rq->deadline_s = now + px->d->server.request_timeout_s;
    rq->kind = cl->sub ? REQ_GET_SSE : traffic_request_kind(&px->tr, sim_rng(s, PS_MIX));
    gsl_rng *zr = sim_rng(s, PS_SIZES);
    rq->req_bytes = sim_dist_sample(&px->pf->request_bytes, zr);
    rq->resp_bytes = sim_dist_sample(&px->pf->response_bytes, zr);
    px->n_started++;
    sim_tseries_count(&px->series[RS_OFFERED], now, 1.0); /* the rate the traffic asked for */
    switch (admission_request(&px->adm, now, shed_from[rq->kind])) {
    case ADMIT_REJECTED:
        proxy__request_finish(px, cl, false, CAUSE_REJECTED_INFLIGHT);
        return;
    case ADMIT_SHED:
        proxy__request_finish(px, cl, false, CAUSE_REJECTED_SHED);
        return;
    case ADMIT_RATE_LIMITED:
        proxy__request_finish(px, cl, false, CAUSE_RATE_LIMITED);
        return;
    case ADMIT_OK:
        rq->admitted = true;
        break;
    }
    if (rq->kind != REQ_GET_SSE && rq->req_bytes > px->d->server.body_limit_bytes) {
        /* 413 Payload Too Large: axum's DefaultBodyLimit refuses the body. */
        proxy__request_finish(px, cl, false, CAUSE_REJECTED_BODY);
        return;
    }
    if (rq->kind == REQ_GET_SSE) {
        /* Its pump and keepalive will live in a session of its own: over the
         * per-session cap the stream is refused before it starts. */
        if (px->session_tasks && !sessions_task_fits(&px->ss, px->stream_session_tasks,
                                                     px->d->spawn.max_tasks_per_session)) {
            proxy__request_finish(px, cl, false, CAUSE_REJECTED_SESSION_TASKS);
            return;
        }
        sse_stream_start(px, cl);
        return;
    }
    if (px->d->spawn.per_request.enabled) {
        switch (tasks_spawn(&px->tk, TASK_REQUEST, rq_task_granted, cl, &rq->task_waiter)) {
        case TASKS_SPAWNED:
            rq->has_task = true;
            break;
        case TASKS_PARKED:
            return;
        case TASKS_REFUSED:
            proxy__request_finish(px, cl, false, CAUSE_REJECTED_TASKS);
            return;
        }
    }
    rq_spawned(px, cl);
}

/* ---- upstream restart ---- */

static void restart(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct proxy *px = subject;
    px->host.down_until_s = sim_now(s) + px->pf->faults.restart_down_s;
    while (px->inflight_head) {
        struct request *rq = px->inflight_head;
        struct client *cl = client_of(rq);
        sim_cancel(s, rq->ev);
        rq->ev = 0;
        rq_unlist(px, rq);
        connpool_discard(rq->cp, rq->conn);
        rq->conn = NULL;
        rq_fail(px, cl, CAUSE_UPSTREAM_ERROR, false);
    }
    connpool_drop_idle(&px->pool);
    connpool_drop_idle(&px->stream_pool);
    sse_restart(px);
}

/* ---- sampling grid, warm-up, guard ---- */

void proxy__guard_tick(struct proxy *px)
{
    if (++px->guard_tick % GUARD_EVERY == 0) {
        guard_check(&px->guard, px->s, memory_bytes(&px->mem), &px->series[RS_MEMORY]);
    }
}

static void sample(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct proxy *px = subject;
    uphost_purge(&px->host);
    population_adjust(px);
    admission_update(&px->adm, sim_now(s)); /* the ladder's rung through idle spells too */
    if (guard_check(&px->guard, s, memory_bytes(&px->mem), &px->series[RS_MEMORY])) {
        return;
    }
    double next = sim_now(s) + px->pf->sample_dt_s;
    if (next < px->t_end_s) {
        sim_schedule_at(s, next, 3, sample, px, NULL);
    }
}

/* The levels behind the series, in series order (NULL: a count series). */
static struct sim_level *series_level(struct proxy *px, int k)
{
    switch ((enum results_series)k) {
    case RS_TASKS_LIVE: return &px->tk.live;
    case RS_CLIENT_CONNS: return &px->client_conns;
    case RS_UPSTREAM_CONNS: return &px->host.conns;
    case RS_TIME_WAIT: return &px->host.time_wait;
    case RS_POOL_WAITERS: return &px->pool.waiters.len;
    case RS_BUFFERS_IN_USE: return &px->bp.in_use;
    case RS_QUEUED_BYTES: return &px->mem.comp[MEM_QUEUED];
    case RS_SESSIONS_LIVE: return &px->ss.live;
    case RS_SSE_STREAMS: return &px->sse_streams;
    case RS_CPU_BUSY: return &px->ex.workers.busy;
    case RS_THROUGHPUT: return NULL;
    case RS_ERRORS: return NULL;
    case RS_MEMORY: return &px->mem.total;
    case RS_MEM_TASKS: return &px->mem.comp[MEM_TASKS];
    case RS_MEM_CLIENT_CONNS: return &px->mem.comp[MEM_CLIENT_CONNS];
    case RS_MEM_UPSTREAM_CONNS: return &px->mem.comp[MEM_UPSTREAM_CONNS];
    case RS_MEM_SESSIONS: return &px->mem.comp[MEM_SESSIONS];
    case RS_MEM_BUFFERS: return &px->mem.comp[MEM_BUFFERS];
    case RS_MEM_QUEUED: return &px->mem.comp[MEM_QUEUED];
    case RS_MEM_STREAMS: return &px->mem.comp[MEM_STREAMS];
    case RS_MEM_TRACKER: return &px->mem.comp[MEM_TRACKER];
    case RS_SSE_RECONNECT_ATTEMPTS: return NULL;
    case RS_SPAWNS: return NULL;
    case RS_OFFERED: return NULL;
    case RS_N: break;
    }
    return NULL;
}

static void buf_counts(const struct bufpool *bp, uint64_t *hits, uint64_t *takes)
{
    *hits = *takes = 0;
    for (int c = 0; c < BUF_N_CLASSES; c++) {
        *hits += bp->cls[c].n_hits;
        *takes += bp->cls[c].n_hits + bp->cls[c].n_misses;
    }
}

static void warmup_end(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct proxy *px = subject;
    double now = sim_now(s);
    px->warm = true;
    executor_settle(&px->ex, now); /* its levels lag until read */
    sse_settle(px);
    for (int k = 0; k < RS_N; k++) {
        struct sim_level *l = series_level(px, k);
        if (l) {
            px->peak_pre[k] = l->max;
            sim_level_reset(l, now);
        }
    }
    if (px->adm.degrade) {
        sim_level_reset(&px->adm.level, now);
    }
    executor_reset_stats(&px->ex, now);
    sim_tally_init(&px->pool.wait);
    sim_loghist_reset(&px->pool.wait_hist);
    sim_loghist_reset(&px->latency);
    sim_tally_init(&px->latency_tally);
    sim_loghist_reset(&px->sse_latency);
    px->n_started_base = px->n_started;
    px->n_ok_base = px->n_ok;
    px->n_finished_base = px->n_finished;
    memcpy(px->n_err_base, px->n_err, sizeof px->n_err);
    px->n_spawned_base = px->tk.n_spawned;
    for (int i = 0; i < TASK_N_SITES; i++) {
        sim_level_reset(&px->tk.site[i].live, now);
        px->n_site_spawned_base[i] = px->tk.site[i].n_spawned;
    }
    px->n_connects_base = px->host.n_connects;
    px->n_sess_created_base = px->ss.n_created;
    px->n_sess_evicted_base = px->ss.n_evicted;
    buf_counts(&px->bp, &px->n_buf_hits_base, &px->n_buf_takes_base);
}

/* ---- lifecycle ---- */

struct proxy *proxy_create(struct sim *s, const struct experiment *e)
{
    SIM_REQUIRE(s->n_streams >= PROXY_N_STREAMS);
    struct proxy *px = sim_xcalloc(1, sizeof *px);
    const struct profile *pf = &e->profile;
    const struct design *d = &e->design;
    px->s = s;
    px->e = e;
    px->pf = pf;
    px->d = d;
    px->t_end_s = pf->duration_s;
    memory_init(&px->mem, s, d->memory.base_bytes);
    tasks_init(&px->tk, s, &px->mem, &d->spawn, d->memory.task_bytes);
    px->tk.spawns = &px->series[RS_SPAWNS];
    executor_init(&px->ex, s, &d->executor);
    uphost_init(&px->host, s, &d->upstream);
    connpool_init(&px->pool, s, &px->host, &d->upstream, &px->tk, &px->mem,
                  d->upstream.scope != SCOPE_SHARED, d->memory.upstream_conn_bytes);
    connpool_init(&px->stream_pool, s, &px->host, &d->upstream, &px->tk, &px->mem,
                  d->sse.upstream_scope != SCOPE_SHARED, d->memory.upstream_conn_bytes);
    bufpool_init(&px->bp, s, &px->mem, &d->buffers);
    admission_init(&px->adm, d, &px->mem, &px->tk.live, sim_now(s));
    px->session_tasks = isfinite(d->spawn.max_tasks_per_session);
    px->stream_session_tasks = d->sse.new_session_per_stream ? sse_stream_tasks(d) : 0.0;
    sessions_init(&px->ss, s, &px->mem, &d->sessions, d->memory.session_bytes);
    traffic_init(&px->tr, pf, sim_rng(s, PS_ARRIVALS));
    guard_init(&px->guard, &d->guard);
    sim_pool_init(&px->clients, sizeof(struct client));
    sim_pool_init(&px->streams, sse_stream_size());
    sim_level_init(&px->client_conns, sim_now(s), 0.0);
    sim_level_init(&px->sse_streams, sim_now(s), 0.0);
    sim_loghist_init(&px->latency);
    sim_tally_init(&px->latency_tally);
    sim_loghist_init(&px->sse_latency);
    sse_init(px);
    size_t n_steps = (size_t)ceil(pf->duration_s / pf->sample_dt_s - 1e-9);
    for (int k = 0; k < RS_N; k++) {
        sim_tseries_init(&px->series[k], 0.0, pf->sample_dt_s, n_steps);
        struct sim_level *l = series_level(px, k);
        /* A level feeds one series: queued_bytes is the same level as
         * mem_queued_bytes and is copied from it in proxy_collect. */
        if (l && k != RS_QUEUED_BYTES) {
            sim_level_track_series(l, &px->series[k]);
        }
        px->peak_pre[k] = -INFINITY;
    }

    if (pf->arrivals == ARRIVALS_CLOSED) {
        population_adjust(px);
    } else {
        double first = traffic_next_arrival_s(&px->tr, sim_rng(s, PS_ARRIVALS), sim_now(s));
        if (first < px->t_end_s) {
            sim_schedule_at(s, first, 0, open_arrival, px, NULL);
        }
    }
    sim_schedule(s, pf->sample_dt_s, 3, sample, px, NULL);
    if (pf->warmup_s > 0.0 && pf->warmup_s < pf->duration_s) {
        sim_schedule_at(s, pf->warmup_s, 3, warmup_end, px, NULL);
    } else {
        px->warm = true;
    }
    if (isfinite(pf->faults.restart_at_s) && pf->faults.restart_at_s < pf->duration_s) {
        sim_schedule_at(s, pf->faults.restart_at_s, 1, restart, px, NULL);
    }
    return px;
}

void proxy_run(struct proxy *px)
{
    sim_run(px->s, px->t_end_s);
    double end = px->guard.tripped ? px->guard.at_s : px->t_end_s;
    /* Bring every level's integral (and its series) up to the end of the run. */
    uphost_purge(&px->host);
    executor_settle(&px->ex, end);
    sse_settle(px);
    for (int k = 0; k < RS_N; k++) {
        struct sim_level *l = series_level(px, k);
        if (l) {
            sim_level_add(l, end, 0.0);
        }
    }
}

static double peak(const struct proxy *px, int k, const struct sim_level *l)
{
    return fmax(px->peak_pre[k], l->max);
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : NAN; }

void proxy_collect(struct proxy *px, struct rep_result *out)
{
    const struct profile *pf = px->pf;
    double *m = out->metric;
    double end = px->guard.tripped ? px->guard.at_s : px->t_end_s;
    double t0 = px->warm && pf->warmup_s < end ? fmax(pf->warmup_s, 0.0) : 0.0;
    double span = end - t0;

    m[RM_LATENCY_P50_S] = sim_loghist_quantile(&px->latency, 0.50);
    m[RM_LATENCY_P90_S] = sim_loghist_quantile(&px->latency, 0.90);
    m[RM_LATENCY_P99_S] = sim_loghist_quantile(&px->latency, 0.99);
    m[RM_LATENCY_P999_S] = sim_loghist_quantile(&px->latency, 0.999);
    uint64_t fin = px->n_finished - px->n_finished_base;
    uint64_t ok = px->n_ok - px->n_ok_base;
    m[RM_OFFERED_PER_S] = (double)(px->n_started - px->n_started_base) / span;
    m[RM_THROUGHPUT_PER_S] = (double)ok / span;
    m[RM_ERROR_RATE] = ratio(fin - ok, fin);
    static const int cause_metric[CAUSE_N] = {
        [CAUSE_NONE] = -1,
        [CAUSE_TIMEOUT] = RM_ERROR_RATE_TIMEOUT,
        [CAUSE_POOL_TIMEOUT] = RM_ERROR_RATE_POOL_TIMEOUT,
        [CAUSE_RATE_LIMITED] = RM_ERROR_RATE_RATE_LIMITED,
        [CAUSE_CONNECT_ERROR] = RM_ERROR_RATE_CONNECT_ERROR,
        [CAUSE_UPSTREAM_ERROR] = RM_ERROR_RATE_UPSTREAM_ERROR,
        [CAUSE_REJECTED_CONNS] = RM_ERROR_RATE_REJECTED_CONNS,
        [CAUSE_REJECTED_INFLIGHT] = RM_ERROR_RATE_REJECTED_INFLIGHT,
        [CAUSE_REJECTED_SHED] = RM_ERROR_RATE_REJECTED_SHED,
        [CAUSE_REJECTED_TASKS] = RM_ERROR_RATE_REJECTED_TASKS,
        [CAUSE_REJECTED_SESSION_TASKS] = RM_ERROR_RATE_REJECTED_SESSION_TASKS,
        [CAUSE_REJECTED_SESSIONS] = RM_ERROR_RATE_REJECTED_SESSIONS,
        [CAUSE_REJECTED_BLOCKING] = RM_ERROR_RATE_REJECTED_BLOCKING,
        [CAUSE_REJECTED_BODY] = RM_ERROR_RATE_REJECTED_BODY,
        [CAUSE_REJECTED_SLOW_CLIENT] = RM_ERROR_RATE_REJECTED_SLOW_CLIENT,
    };
    uint64_t rejected = 0;
    for (int c = 1; c < CAUSE_N; c++) {
        uint64_t n = px->n_err[c] - px->n_err_base[c];
        m[cause_metric[c]] = ratio(n, fin);
        rejected += c >= CAUSE_REJECTED_FIRST ? n : 0;
    }
    m[RM_ERROR_RATE_REJECTED] = ratio(rejected, fin);
    m[RM_TASKS_LIVE_PEAK] = peak(px, RS_TASKS_LIVE, &px->tk.live);
    m[RM_TASKS_LIVE_MEAN] = sim_level_mean(&px->tk.live, end);
    m[RM_TASKS_SPAWNED_PER_S] = (double)(px->tk.n_spawned - px->n_spawned_base) / span;
    m[RM_TASKS_LEAKED] = (double)px->tk.n_leaked;
    _Static_assert((int)RSITE_N == (int)TASK_N_SITES, "results sites follow enum task_site");
    for (int i = 0; i < TASK_N_SITES; i++) {
        out->site_live_mean[i] = sim_level_mean(&px->tk.site[i].live, end);
        out->site_spawned_per_s[i] =
            (double)(px->tk.site[i].n_spawned - px->n_site_spawned_base[i]) / span;
    }
    m[RM_CLIENT_CONNS_PEAK] = peak(px, RS_CLIENT_CONNS, &px->client_conns);
    m[RM_UPSTREAM_CONNS_PEAK] = peak(px, RS_UPSTREAM_CONNS, &px->host.conns);
    m[RM_UPSTREAM_CONNS_MEAN] = sim_level_mean(&px->host.conns, end);
    /* The request pool's own peak: what upstream.max_conns caps (GET streams
     * included when they share it), without per-stream clients' connections. */
    m[RM_POOL_CONNS_PEAK] = px->pool.n_open_peak;
    m[RM_UPSTREAM_CONNECTS_PER_S] = (double)(px->host.n_connects - px->n_connects_base) / span;
    m[RM_UPSTREAM_CONNS_LEAKED] = (double)(px->pool.n_leaked + px->stream_pool.n_leaked);
    m[RM_TIME_WAIT_PEAK] = peak(px, RS_TIME_WAIT, &px->host.time_wait);
    m[RM_POOL_WAITERS_PEAK] = peak(px, RS_POOL_WAITERS, &px->pool.waiters.len);
    const struct sim_loghist *wh = &px->pool.wait_hist;
    m[RM_POOL_WAIT_PROB] = wh->n ? 1.0 - (double)wh->n_zero / (double)wh->n : NAN;
    m[RM_POOL_WAIT_MEAN_S] = sim_tally_mean(&px->pool.wait);
    m[RM_POOL_WAIT_P99_S] = sim_loghist_quantile(wh, 0.99);
    m[RM_BUFFERS_IN_USE_PEAK] = peak(px, RS_BUFFERS_IN_USE, &px->bp.in_use);
    uint64_t hits, takes;
    buf_counts(&px->bp, &hits, &takes);
    m[RM_BUFFER_POOL_HIT_RATE] = ratio(hits - px->n_buf_hits_base, takes - px->n_buf_takes_base);
    m[RM_BUFFERS_LEAKED] = (double)px->bp.n_leaked;
    m[RM_QUEUED_BYTES_PEAK] = peak(px, RS_QUEUED_BYTES, &px->mem.comp[MEM_QUEUED]);
    m[RM_SESSIONS_LIVE_PEAK] = peak(px, RS_SESSIONS_LIVE, &px->ss.live);
    m[RM_SESSIONS_LIVE_MEAN] = sim_level_mean(&px->ss.live, end);
    m[RM_SESSIONS_CREATED_PER_S] = (double)(px->ss.n_created - px->n_sess_created_base) / span;
    m[RM_SESSIONS_EVICTED_PER_S] = (double)(px->ss.n_evicted - px->n_sess_evicted_base) / span;
    m[RM_SESSIONS_LEAKED] = (double)px->ss.n_leaked;
    m[RM_SSE_STREAMS_LIVE_PEAK] = peak(px, RS_SSE_STREAMS, &px->sse_streams);
    m[RM_SSE_EVENT_LATENCY_P99_S] = sim_loghist_quantile(&px->sse_latency, 0.99);
    m[RM_SSE_EVENTS_DROPPED] = (double)px->n_sse_dropped;
    m[RM_SSE_QUEUED_BYTES_PEAK] = m[RM_QUEUED_BYTES_PEAK];
    m[RM_MEMORY_BYTES_PEAK] = peak(px, RS_MEMORY, &px->mem.total);
    m[RM_MEMORY_BYTES_MEAN] = sim_level_mean(&px->mem.total, end);
    const struct sim_tseries *ms = &px->series[RS_MEMORY];
    /* The fit starts after the warm-up and after the last change of the
     * offered load (profile_growth_from_s): memory that follows a ramp in
     * clients is the load, not a leak.  Fewer than three windows left: NaN. */
    size_t from, to;
    profile_growth_windows(pf, t0, end, ms->dt_s, &from, &to);
    /* A steady-state slope; a transient run (a burst and its recovery) has none. */
    m[RM_MEMORY_GROWTH_BYTES_PER_S] = pf->transient ? NAN : guard_slope_per_s(ms, from, to);
    /* The same fit over SSE state alone (streams, event trackers, queued
     * channel bytes): what an SSE leak grows, without the request backlog
     * or the buffer pool.  Summed here from the series the run kept. */
    struct sim_tseries sse = {.t0_s = ms->t0_s, .dt_s = ms->dt_s, .n = ms->n};
    sse.v = sim_xcalloc(ms->n ? ms->n : 1, sizeof *sse.v);
    static const int sse_parts[] = {RS_MEM_STREAMS, RS_MEM_TRACKER, RS_MEM_QUEUED};
    for (size_t k = 0; k < sizeof sse_parts / sizeof sse_parts[0]; k++) {
        const struct sim_tseries *part = &px->series[sse_parts[k]];
        for (size_t i = 0; i < ms->n && i < part->n; i++) {
            sse.v[i] += part->v[i];
        }
    }
    m[RM_SSE_MEMORY_GROWTH_BYTES_PER_S] = pf->transient ? NAN : guard_slope_per_s(&sse, from, to);
    free(sse.v);
    m[RM_CPU_UTILIZATION] = executor_utilization(&px->ex, end);
    m[RM_STOPPED] = px->guard.tripped ? 1.0 : 0.0;
    m[RM_LATENCY_MEAN_S] = sim_tally_mean(&px->latency_tally);
    m[RM_SESSION_TASKS_PEAK] = px->session_tasks ? px->ss.tasks_peak : NAN;
    static const int rung_metric[DEGRADE_N] = {
        [DEGRADE_FULL] = -1,
        [DEGRADE_DEGRADED] = RM_DEGRADED_TIME_SHARE,
        [DEGRADE_ESSENTIAL] = RM_ESSENTIAL_TIME_SHARE,
        [DEGRADE_PROTECTIVE] = RM_PROTECTIVE_TIME_SHARE,
    };
    for (int l = DEGRADE_DEGRADED; l < DEGRADE_N; l++) {
        m[rung_metric[l]] =
            px->adm.degrade ? sim_level_frac_at(&px->adm.level, end, (unsigned)l) : NAN;
    }
    sse_collect(px, m, end);

    /* Series: window means; windows past the end of the run are NAN. */
    size_t n = out->n_steps < ms->n ? out->n_steps : ms->n;
    for (int k = 0; k < RS_N; k++) {
        for (size_t i = 0; i < n; i++) {
            double w0 = ms->t0_s + ms->dt_s * (double)i;
            double covered = fmin(ms->dt_s, end - w0);
            int src = k == RS_QUEUED_BYTES ? RS_MEM_QUEUED : k;
            out->series[(size_t)k * out->n_steps + i] =
                covered > 0.0 ? px->series[src].v[i] / covered : NAN;
        }
        for (size_t i = n; i < out->n_steps; i++) {
            out->series[(size_t)k * out->n_steps + i] = NAN;
        }
    }
    sim_loghist_merge(&out->latency, &px->latency);
    out->stopped = px->guard.tripped;
    out->stopped_at_s = px->guard.tripped ? px->guard.at_s : NAN;
    memcpy(out->finding, px->guard.finding, sizeof out->finding);
    out->n_events = px->s->n_events;
    out->n_requests = px->n_finished;
    out->n_arrivals = px->n_arrivals;
}

void proxy_destroy(struct proxy *px)
{
    sse_fini(px);
    for (int k = 0; k < RS_N; k++) {
        sim_tseries_fini(&px->series[k]);
    }
    sim_loghist_fini(&px->latency);
    sim_loghist_fini(&px->sse_latency);
    sim_level_fini(&px->client_conns);
    sim_level_fini(&px->sse_streams);
    sim_pool_fini(&px->clients);
    sim_pool_fini(&px->streams);
    sessions_fini(&px->ss);
    admission_fini(&px->adm);
    bufpool_fini(&px->bp);
    connpool_fini(&px->pool);
    connpool_fini(&px->stream_pool);
    uphost_fini(&px->host);
    executor_fini(&px->ex);
    tasks_fini(&px->tk);
    memory_fini(&px->mem);
    free(px);
}

void proxy_results_init(const struct profile *p, struct rep_result *out)
{
    size_t n_steps = (size_t)ceil(p->duration_s / p->sample_dt_s - 1e-9);
    results_rep_init(out, 0.0, p->sample_dt_s, n_steps);
}

/* ---- replications ---- */

struct rep_ctx {
    const struct experiment *e;
    struct rep_result *out;
    size_t first;      /* trial i is replication first + i, written to out[first + i] */
    uint64_t seed_rep; /* added to the replication number in the seeds (the pilot's) */
};

static int rep_trial(void *ctx, size_t index, struct sim_err *err)
{
    (void)err;
    struct rep_ctx *rc = ctx;
    index += rc->first;
    struct sim_opts so = {.master_seed = rc->e->run.seed,
                          .rep = rc->seed_rep + index,
                          .n_streams = PROXY_N_STREAMS};
    struct sim *s = sim_create(&so);
    struct proxy *px = proxy_create(s, rc->e);
    proxy_run(px);
    proxy_collect(px, &rc->out[index]);
    proxy_destroy(px);
    sim_destroy(s);
    return SIM_OK;
}

/* The pilot of the MSER-5 warm-up: a replication numbered apart from 0..reps-1, so its
 * random streams are independent of theirs. */
#define MSER5_PILOT_REP (UINT64_C(1) << 40)

double proxy_mser5_warmup_s(const struct experiment *e)
{
    struct experiment pilot = *e;
    pilot.profile.warmup_s = 0.0;
    pilot.profile.warmup_mser5 = false;
    struct rep_result r;
    proxy_results_init(&pilot.profile, &r);
    struct rep_ctx rc = {.e = &pilot, .out = &r, .first = 0, .seed_rep = MSER5_PILOT_REP};
    rep_trial(&rc, 0, NULL);
    /* The levels the steady-state figures describe, and the throughput: the warm-up
     * ends when the slowest of them has settled. */
    static const int settle[] = {RS_TASKS_LIVE, RS_CLIENT_CONNS, RS_MEMORY, RS_THROUGHPUT};
    size_t d = 0;
    for (size_t k = 0; k < sizeof settle / sizeof settle[0]; k++) {
        const double *x = r.series + (size_t)settle[k] * r.n_steps;
        size_t n = 0;
        while (n < r.n_steps && isfinite(x[n])) {
            n++; /* a guard stop ends the series */
        }
        size_t dk = sim_mser5(x, n);
        d = dk > d ? dk : d;
    }
    double w = (double)d * r.dt_s;
    results_rep_fini(&r);
    return w;
}

size_t proxy_replicate(const struct experiment *e, const struct proxy_run_opts *opts,
                       struct rep_result *out, struct sim_err *errs)
{
    size_t first = opts ? opts->first_rep : 0;
    if (first >= e->run.reps) {
        return 0;
    }
    struct experiment detected;
    if (e->profile.warmup_mser5) {
        detected = *e; /* shares e's arrays: read only */
        detected.profile.warmup_s = proxy_mser5_warmup_s(e);
        e = &detected;
    }
    if (opts && opts->warmup_s_out) {
        *opts->warmup_s_out = e->profile.warmup_s;
    }
    for (size_t i = first; i < e->run.reps; i++) {
        proxy_results_init(&e->profile, &out[i]);
    }
    struct rep_ctx rc = {.e = e, .out = out, .first = first};
    struct sim_replicate_opts ro = {
        .n_threads = opts ? opts->threads : 1,
        .progress = opts ? opts->progress : NULL,
        .progress_ctx = opts ? opts->progress_ctx : NULL,
    };
    return sim_replicate(e->run.reps - first, rep_trial, &rc, &ro, errs ? errs + first : NULL);
}
