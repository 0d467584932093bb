/* SPDX-License-Identifier: MIT
 *
 * sse.c - SSE GET streams; the model is described in sse.h.
 */
#include "models/sse.h"

#include "models/proxy_int.h"
#include "sim/check.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#define KEEPALIVE_BYTES 16.0 /* ": keepalive\n\n" and framing */

struct sse_stream {
    void *pool_link; /* first word: the free list writes here */
    struct sse_stream *prev, *next;
    struct proxy *px;
    struct client *cl; /* NULL once the client is gone */
    struct connpool_req up;
    struct upconn *conn;
    struct connpool *cp;
    struct msgq q;
    struct executor_job job;
    sim_evid ev_up, ev_ka[2], ev_end, ev_write, ev_block;
    double drain_per_s;
    double t_event_s; /* arrival of the event the pump is formatting */
    double pending;   /* upstream events waiting while the pump formats */
    double blocked_t_s, blocked_bytes;
    double write_t_s; /* enqueue instant of the message being written (< 0: a comment) */
    double tracker_ids;
    bool has_tasks, pump_live, ka_live, pump_busy, blocked, writing, client_gone;
};

size_t sse_stream_size(void) { return sizeof(struct sse_stream); }

static void upstream_event(struct sim *s, void *subject, void *object);
static void write_done(struct sim *s, void *subject, void *object);

static void cancel(struct sim *s, sim_evid *ev)
{
    if (*ev) {
        sim_cancel(s, *ev);
        *ev = 0;
    }
}

static void schedule_upstream(struct sse_stream *st)
{
    struct proxy *px = st->px;
    double gap = sim_dist_sample(&px->pf->sse.event_gap_s, sim_rng(px->s, PS_SSE_EVENTS));
    st->ev_up = sim_schedule(px->s, gap > 0.0 ? gap : 0.0, 0, upstream_event, st, NULL);
}

static void maybe_free(struct sse_stream *st)
{
    if (!st->client_gone || st->pump_live || st->ka_live || st->pump_busy) {
        return;
    }
    struct proxy *px = st->px;
    const struct design *d = px->d;
    memory_add(&px->mem, MEM_TRACKER, -st->tracker_ids * d->tracker.id_bytes);
    memory_add(&px->mem, MEM_STREAMS, -d->memory.stream_bytes);
    sim_level_add(&px->sse_streams, sim_now(px->s), -1.0);
    msgq_fini(&st->q);
    if (st->prev) {
        st->prev->next = st->next;
    } else {
        px->streams_head = st->next;
    }
    if (st->next) {
        st->next->prev = st->prev;
    }
    sim_pool_give(&px->streams, st);
}

/* The pump task ends; peer_closed: the upstream dropped the connection. */
static void pump_end(struct sse_stream *st, bool peer_closed)
{
    struct proxy *px = st->px;
    if (!st->pump_live) {
        return;
    }
    st->pump_live = false;
    cancel(px->s, &st->ev_up);
    cancel(px->s, &st->ev_block);
    st->blocked = false;
    st->pending = 0.0;
    if (st->conn) {
        if (peer_closed) {
            connpool_discard(st->cp, st->conn);
        } else {
            /* An abandoned streaming response cannot be reused: closed, TIME_WAIT. */
            connpool_release(st->cp, st->conn, false);
        }
        st->conn = NULL;
    }
    if (st->has_tasks) {
        tasks_exit(&px->tk, TASK_STREAM);
    }
}

static void ka_end(struct sse_stream *st)
{
    struct proxy *px = st->px;
    if (!st->ka_live) {
        return;
    }
    st->ka_live = false;
    cancel(px->s, &st->ev_ka[0]);
    cancel(px->s, &st->ev_ka[1]);
    if (st->has_tasks) {
        tasks_exit(&px->tk, TASK_STREAM);
    }
}

/* The client side ends (it left, or the proxy disconnected it). */
static void client_gone(struct sse_stream *st, bool immediate, bool ok, enum err_cause cause)
{
    struct proxy *px = st->px;
    if (st->client_gone) {
        return;
    }
    st->client_gone = true;
    cancel(px->s, &st->ev_end);
    cancel(px->s, &st->ev_write);
    st->writing = false;
    msgq_fini(&st->q); /* the receiver is dropped with the response body */
    if (st->blocked) {
        pump_end(st, false); /* its pending send fails at once */
    }
    if (immediate) {
        pump_end(st, false);
        ka_end(st);
    }
    struct client *cl = st->cl;
    st->cl = NULL;
    if (cl) {
        cl->stream = NULL;
        proxy__request_finish(px, cl, ok, cause);
    }
    maybe_free(st);
}

static void start_write(struct sse_stream *st)
{
    struct msgq_item it;
    if (st->writing || !msgq_pop(&st->q, &it)) {
        return;
    }
    st->writing = true;
    st->write_t_s = it.t_s;
    double dt = st->drain_per_s > 0.0 ? it.bytes / st->drain_per_s : 0.0;
    st->ev_write = sim_schedule(st->px->s, dt, 0, write_done, st, NULL);
}

static void pump_process(struct sse_stream *st, double t_event_s);
static void block_timeout(struct sim *s, void *subject, void *object);

/* Puts a message into the channel under the design's full policy. */
static void put(struct sse_stream *st, double t_s, double bytes, bool is_data)
{
    struct proxy *px = st->px;
    const struct channel_params *ch = &px->d->sse.channel;
    if (st->client_gone) {
        if (is_data) {
            pump_end(st, false); /* the send fails: now the pump notices */
            maybe_free(st);
        }
        return;
    }
    if (msgq_is_full(&st->q, bytes)) {
        if (!is_data) {
            return; /* a keepalive that does not fit is skipped */
        }
        switch (ch->on_full) {
        case FULL_BLOCK:
            st->blocked = true;
            st->blocked_t_s = t_s;
            st->blocked_bytes = bytes;
            cancel(px->s, &st->ev_up); /* the upstream now waits on TCP backpressure */
            if (isfinite(ch->send_timeout_s)) {
                st->ev_block = sim_schedule(px->s, ch->send_timeout_s, 0, block_timeout, st, NULL);
            }
            return;
        case FULL_DROP_NEWEST:
            px->n_sse_dropped++;
            return;
        case FULL_DROP_OLDEST: {
            struct msgq_item it;
            while (msgq_is_full(&st->q, bytes) && msgq_pop(&st->q, &it)) {
                px->n_sse_dropped++;
            }
            break;
        }
        case FULL_DISCONNECT:
            px->n_sse_dropped++;
            px->n_sse_disconnects++;
            client_gone(st, true, false, CAUSE_REJECTED);
            return;
        }
    }
    msgq_push(&st->q, is_data ? t_s : -1.0, bytes);
    start_write(st);
}

static void unblock(struct sse_stream *st)
{
    struct proxy *px = st->px;
    st->blocked = false;
    cancel(px->s, &st->ev_block);
    if (st->pump_live && !st->client_gone) {
        schedule_upstream(st);
        if (st->pending >= 1.0 && !st->pump_busy) {
            st->pending -= 1.0;
            pump_process(st, sim_now(px->s));
        }
    }
}

static void block_timeout(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_block = 0;
    st->px->n_sse_dropped++;
    unblock(st);
}

static void write_done(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sse_stream *st = subject;
    struct proxy *px = st->px;
    st->ev_write = 0;
    st->writing = false;
    if (st->write_t_s >= 0.0) {
        sim_loghist_add(&px->sse_latency, sim_now(s) - st->write_t_s);
    }
    if (st->blocked && !msgq_is_full(&st->q, st->blocked_bytes)) {
        msgq_push(&st->q, st->blocked_t_s, st->blocked_bytes);
        unblock(st);
    }
    start_write(st);
}

static void pump_formatted(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sse_stream *st = subject;
    struct proxy *px = st->px;
    st->pump_busy = false;
    if (!st->pump_live) {
        maybe_free(st);
        return;
    }
    double bytes = sim_dist_sample(&px->pf->sse.event_bytes, sim_rng(s, PS_SSE_EVENTS));
    put(st, st->t_event_s, bytes, true);
    if (st->pump_live && !st->blocked && st->pending >= 1.0) {
        st->pending -= 1.0;
        pump_process(st, sim_now(s));
    }
}

static void pump_process(struct sse_stream *st, double t_event_s)
{
    struct proxy *px = st->px;
    st->pump_busy = true;
    st->t_event_s = t_event_s;
    executor_submit(&px->ex, &st->job, px->d->executor.cpu.sse_event_s, pump_formatted, st);
}

static void upstream_event(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sse_stream *st = subject;
    struct proxy *px = st->px;
    const struct design *d = px->d;
    st->ev_up = 0;
    px->n_sse_events++;
    proxy__guard_tick(px);
    if (st->client_gone) {
        pump_end(st, false); /* the first data event after the client left */
        maybe_free(st);
        return;
    }
    if (d->spawn.per_event.enabled) {
        tasks_fire(&px->tk, TASK_EVENT);
    }
    if (d->tracker.scope != TRACKER_NONE && st->tracker_ids < d->tracker.max_ids) {
        st->tracker_ids += 1.0;
        memory_add(&px->mem, MEM_TRACKER, d->tracker.id_bytes);
    }
    if (st->pump_busy) {
        st->pending += 1.0;
    } else {
        pump_process(st, sim_now(s));
    }
    if (st->pump_live && !st->blocked) {
        schedule_upstream(st);
    }
}

static void keepalive(struct sim *s, void *subject, void *object)
{
    struct sse_stream *st = subject;
    int which = object ? 1 : 0;
    st->ev_ka[which] = 0;
    if (st->client_gone) {
        ka_end(st); /* its send fails */
        maybe_free(st);
        return;
    }
    put(st, sim_now(s), KEEPALIVE_BYTES, false);
    const struct sse_params *p = &st->px->d->sse;
    st->ev_ka[which] = sim_schedule(s, which ? p->keepalive2_s : p->keepalive_s, 0, keepalive,
                                    st, object);
}

static void stream_lifetime_end(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_end = 0;
    client_gone(st, st->px->d->sse.detect == DETECT_IMMEDIATE, true, CAUSE_NONE);
}

static void stream_conn_ready(struct sim *s, void *who, struct upconn *c, enum connpool_status st_)
{
    struct sse_stream *st = who;
    struct proxy *px = st->px;
    const struct design *d = px->d;
    const struct profile *pf = px->pf;
    if (st_ != CONNPOOL_OK) {
        client_gone(st, true, false, proxy__pool_cause(st_));
        return;
    }
    st->conn = c;
    st->pump_live = st->ka_live = true;
    if (d->spawn.per_stream.enabled) {
        struct tasks_site *site = &px->tk.site[TASK_STREAM];
        bool room = !site->bounded || site->sem.available >= 2.0;
        if (!room || tasks_live(&px->tk) + 2.0 > px->tk.max_tasks) {
            client_gone(st, true, false, CAUSE_REJECTED); /* pump_end releases the conn */
            return;
        }
        tasks_spawn(&px->tk, TASK_STREAM, NULL, NULL, NULL);
        tasks_spawn(&px->tk, TASK_STREAM, NULL, NULL, NULL);
        st->has_tasks = true;
    }
    gsl_rng *dr = sim_rng(s, PS_SSE_DRAIN);
    bool slow = pf->sse.slow_client_p > 0.0 && gsl_rng_uniform(dr) < pf->sse.slow_client_p;
    st->drain_per_s =
        sim_dist_sample(slow ? &pf->sse.slow_drain_bytes_per_s : &pf->sse.drain_bytes_per_s, dr);
    double life = sim_dist_sample(&pf->sse.lifetime_s, sim_rng(s, PS_SSE_LIFETIME));
    st->ev_end = sim_schedule(s, life > 0.0 ? life : 0.0, 0, stream_lifetime_end, st, NULL);
    schedule_upstream(st);
    if (isfinite(d->sse.keepalive_s) && d->sse.keepalive_s > 0.0) {
        st->ev_ka[0] = sim_schedule(s, d->sse.keepalive_s, 0, keepalive, st, NULL);
    }
    if (isfinite(d->sse.keepalive2_s) && d->sse.keepalive2_s > 0.0) {
        st->ev_ka[1] = sim_schedule(s, d->sse.keepalive2_s, 0, keepalive, st, st);
    }
}

void sse_stream_start(struct proxy *px, struct client *cl)
{
    const struct design *d = px->d;
    struct sse_stream *st = sim_pool_take(&px->streams);
    memset(st, 0, sizeof *st);
    st->px = px;
    st->cl = cl;
    cl->stream = st;
    msgq_init(&st->q, &px->mem, &d->sse.channel, d->memory.queued_msg_overhead_bytes);
    st->next = px->streams_head;
    if (px->streams_head) {
        px->streams_head->prev = st;
    }
    px->streams_head = st;
    sim_level_add(&px->sse_streams, sim_now(px->s), 1.0);
    memory_add(&px->mem, MEM_STREAMS, d->memory.stream_bytes);
    st->cp = d->sse.upstream_scope == SCOPE_SHARED ? &px->pool : &px->stream_pool;
    connpool_acquire(st->cp, &st->up, INFINITY, stream_conn_ready, st);
}

void sse_restart(struct proxy *px)
{
    struct sse_stream *st = px->streams_head;
    while (st) {
        struct sse_stream *next = st->next;
        if (st->pump_live) {
            pump_end(st, true);
            if (!st->client_gone) {
                client_gone(st, true, false, CAUSE_UPSTREAM_ERROR);
            } else {
                maybe_free(st);
            }
        }
        st = next;
    }
}

void sse_fini(struct proxy *px)
{
    for (struct sse_stream *st = px->streams_head; st; st = st->next) {
        msgq_fini(&st->q);
    }
    px->streams_head = NULL;
}
