/* SPDX-License-Identifier: MIT
 *
 * sse.c - SSE GET streams, trackers, persistence and reconnects; the model is
 * described in sse.h.
 *
 * Two entities: a stream (proxy side, one per GET: pump, keepalive, channel,
 * upstream connection; it may linger after its client left) and a subscriber
 * (client side, one per client that wants a stream: its lifetime, its
 * reconnect attempts, its Last-Event-ID gap, a per-session tracker).  A
 * stream may call back into proxy.c (proxy__request_finish), which may call
 * sse_client_closed, which may schedule the next attempt; nothing is freed
 * while a caller up the stack still holds the stream (the hold count).
 */
#include "models/sse.h"

#include "models/proxy_int.h"
#include "sim/check.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#define KEEPALIVE_BYTES 16.0 /* ": keepalive\n\n" and framing */
#define TRK_BUCKETS 8
#define RECOVERY_SHARE 0.99

/* The last max_ids event ids; with a TTL, counted in age buckets. */
struct sse_tracker {
    double ids;
    double t0_s; /* start of the newest bucket */
    uint32_t bucket[TRK_BUCKETS];
    unsigned head;
};

struct sse_sub {
    void *pool_link; /* first word: the free list writes here */
    /* Per session: kept across reconnects.  Per stream: emptied (or, retained,
     * forgotten with its bytes still held) when the client's GET ends, so one
     * tracker per subscriber serves both scopes. */
    struct sse_tracker trk;
    double end_s;           /* the client's own end of interest */
    double t_break_s;       /* start of the current outage (NAN: none) */
    double undelivered;     /* events the broken stream never delivered */
    double prev_delay_s;
    unsigned attempt; /* consecutive failed attempts */
    bool want_reconnect;
};

struct sse_worker {
    double queued, parked, taken, unflushed;
    double busy_until_s;
    sim_evid ev_flush, ev_done;
    bool busy;
};

struct sse_model {
    struct sim_pool subs;
    struct msgq_kind qk; /* every stream's channel */
    /* Reconnect attempts in the current 1 s window [w, w + 1) and the most in
     * any window so far: attempts come in time order, so a running maximum
     * needs no array (one window a simulated second was 8 GB at 10^9 s). */
    double attempts_w, attempts_in_w, attempts_peak_1s;
    struct sse_worker w;
    double healthy; /* streams delivering: client present, upstream connected */
    double recover_target, restart_t_s, recovery_s;
    bool recovering;
    double stream_queued_peak;
    uint64_t n_streams, n_attempts, n_reconnects, n_lost, n_replayed, n_gave_up;
    uint64_t n_persist_timeouts, n_persist_dropped;
};

struct sse_stream {
    void *pool_link; /* first word: the free list writes here */
    struct sse_stream *prev, *next;
    struct proxy *px;
    struct client *cl;  /* NULL once the client is gone */
    struct sse_sub *sub; /* cl->sub while cl is there: one pointer chase fewer per event */
    struct connpool_req up;
    struct upconn *conn;
    struct msgq q;
    /* One "slow" timer serves the client's end (t_end_s) and both keepalive
     * sources (ticks from ka_t0_s): a pending event is the largest per-stream
     * cost of the simulator (about 68 B).  ev_write and ev_wake exist only
     * while something waits behind the socket or the pump. */
    sim_evid ev_up, ev_slow, ev_write, ev_block, ev_aux, ev_wake, ev_idle, ev_recon;
    double t_end_s, ka_t0_s;
    double t_event_s; /* arrival of the event the pump is formatting */
    double pump_until_s; /* the pump's CPU for an event already on the wire ends */
    double write_t_s;     /* arrival of the event being written (< 0: a comment) */
    double write_until_s; /* ... and when its last byte leaves */
    double t_data_s;  /* last upstream data event (idle timeout) */
    double t_break_s; /* proxy-side reconnect */
    /* Floats and bit-fields where the precision is ample: this struct is most
     * of the simulator's memory per live stream (bench sse). */
    float drain_per_s;
    float fmt_bytes;      /* size of the event the pump is formatting (or is blocked on) */
    float q_data;         /* data messages in the channel */
    float up_undelivered, prev_delay_s; /* proxy-side reconnect */
    float pending;        /* upstream events waiting for the pump (exact below 2^24) */
    unsigned attempt, hold;
    bool has_tasks : 1, pump_live : 1, ka_live : 1, pump_busy : 1, blocked : 1, writing : 1;
    bool client_gone : 1, healthy : 1, acquiring : 1, up_lost : 1, drop_pending : 1;
    bool in_pump : 1;
};

static bool has_keepalive_source(const struct design *d)
{
    return (isfinite(d->sse.keepalive_s) && d->sse.keepalive_s > 0.0) ||
           (isfinite(d->sse.keepalive2_s) && d->sse.keepalive2_s > 0.0);
}

double sse_stream_tasks(const struct design *d)
{
    if (!d->spawn.per_stream.enabled) {
        return 0.0;
    }
    return has_keepalive_source(d) ? 2.0 : 1.0;
}

size_t sse_stream_size(void) { return sizeof(struct sse_stream); }

/* ---- the backoff schedule (pure) ---- */

double sse_reconnect_delay_s(const struct reconnect_params *p, const gsl_rng *r, unsigned attempt,
                             double prev_delay_s)
{
    double b = p->honour_retry_field && p->retry_field_s > 0.0 ? p->retry_field_s : p->base_s;
    double d;
    switch (p->kind) {
    case RECONNECT_NONE:
        return INFINITY;
    case RECONNECT_IMMEDIATE:
        return 0.0;
    case RECONNECT_FIXED:
        d = b;
        break;
    case RECONNECT_EXPONENTIAL:
    default:
        /* pow overflows to INFINITY for huge attempts; fmin keeps the cap. */
        d = b * pow(p->multiplier, (double)attempt);
        break;
    }
    d = fmin(d, p->cap_s);
    switch (p->jitter) {
    case JITTER_NONE:
        return d;
    case JITTER_FULL:
        return d * gsl_rng_uniform(r);
    case JITTER_EQUAL:
        return 0.5 * d + 0.5 * d * gsl_rng_uniform(r);
    case JITTER_DECORRELATED: {
        double hi = fmax(b, (prev_delay_s > 0.0 ? prev_delay_s : b) * p->multiplier);
        return fmin(p->cap_s, b + (hi - b) * gsl_rng_uniform(r));
    }
    case JITTER_PROPORTIONAL:
        return fmax(0.0, d * (1.0 + p->jitter_factor * (2.0 * gsl_rng_uniform(r) - 1.0)));
    }
    return d;
}

/* ---- trackers ---- */

static double trk_width_s(const struct tracker_params *tp)
{
    /* An id lands in the newest bucket and is evicted when its bucket is reused,
     * at an age uniform over [(B-1) w, B w): w = ttl / (B - 1/2) makes the mean ttl. */
    return tp->ttl_s / ((double)TRK_BUCKETS - 0.5);
}

static void trk_drop(struct proxy *px, struct sse_tracker *t, double n)
{
    t->ids -= n;
    memory_add(&px->mem, MEM_TRACKER, -n * px->d->tracker.id_bytes);
}

static void trk_expire(struct proxy *px, struct sse_tracker *t, double now)
{
    const struct tracker_params *tp = &px->d->tracker;
    double w = trk_width_s(tp);
    if (now - t->t0_s >= tp->ttl_s + w) {
        trk_drop(px, t, t->ids); /* everything is older than the TTL */
        memset(t->bucket, 0, sizeof t->bucket);
        t->t0_s = now;
        return;
    }
    while (now >= t->t0_s + w) {
        t->head = (t->head + 1) % TRK_BUCKETS;
        t->t0_s += w;
        trk_drop(px, t, t->bucket[t->head]);
        t->bucket[t->head] = 0;
    }
}

/* Records n ids; at max_ids each new id evicts the oldest. */
static void trk_add(struct proxy *px, struct sse_tracker *t, double n)
{
    const struct tracker_params *tp = &px->d->tracker;
    if (isfinite(tp->ttl_s)) {
        double now = sim_now(px->s);
        if (t->ids == 0.0) {
            t->t0_s = now;
        }
        trk_expire(px, t, now);
        double over = t->ids + n - tp->max_ids;
        for (unsigned k = 1; over > 0.0 && k <= TRK_BUCKETS; k++) {
            unsigned i = (t->head + k) % TRK_BUCKETS; /* oldest first */
            double take = fmin(over, (double)t->bucket[i]);
            t->bucket[i] -= (uint32_t)take;
            trk_drop(px, t, take);
            over -= take;
        }
        double add = fmin(n, tp->max_ids - t->ids);
        t->bucket[t->head] += (uint32_t)add;
        t->ids += add;
        memory_add(&px->mem, MEM_TRACKER, add * tp->id_bytes);
        return;
    }
    double add = fmin(n, tp->max_ids - t->ids);
    if (add > 0.0) {
        t->ids += add;
        memory_add(&px->mem, MEM_TRACKER, add * tp->id_bytes);
    }
}

/* ---- the persistence worker: one per proxy, behind a bounded channel ---- */

/* The worker's batch ends at busy_until_s (its CPU is solved on the executor
 * when it starts).  Like a client's write, the end is an event (ev_done) only
 * while ids wait behind the batch; otherwise it is settled when the worker is
 * next looked at (a send, a flush tick), since nothing else happens then. */
static void worker_kick(struct proxy *px);

static void worker_finish(struct sse_worker *w)
{
    w->busy = false;
    w->unflushed += w->taken;
    w->taken = 0.0;
}

static void worker_settle(struct proxy *px)
{
    struct sse_worker *w = &px->sse->w;
    if (w->busy && !w->ev_done && sim_now(px->s) >= w->busy_until_s) {
        worker_finish(w);
    }
}

static void worker_flush(struct sim *s, void *subject, void *object);

/* Ticks on a fixed grid, the first after t_s; a tick missed while idle is
 * skipped, not replayed. */
static void worker_flush_after(struct proxy *px, double t_s)
{
    struct sse_worker *w = &px->sse->w;
    double f = px->d->tracker.worker_flush_s;
    double at = ceil(t_s / f) * f;
    w->ev_flush = sim_schedule_at(px->s, at > t_s ? at : t_s + f, 2, worker_flush, px, NULL);
}

static void worker_flush(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct proxy *px = subject;
    struct sse_worker *w = &px->sse->w;
    w->ev_flush = 0;
    worker_settle(px);
    memory_add(&px->mem, MEM_TRACKER, -w->unflushed * px->d->tracker.id_bytes);
    w->unflushed = 0.0;
    if (w->busy) {
        worker_flush_after(px, w->busy_until_s); /* the batch in flight flushes later */
    }
}

static void worker_done(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct proxy *px = subject;
    struct sse_worker *w = &px->sse->w;
    w->ev_done = 0;
    worker_finish(w);
    if (w->parked > 0.0 && w->queued < px->d->tracker.worker_capacity) {
        w->parked = 0.0;
        w->queued += 1.0; /* its memory moves with it */
    }
    worker_kick(px);
}

/* Something waits for the batch in flight: its end becomes an event (or,
 * if it has already ended unseen, it is settled now). */
static void worker_wait_done(struct proxy *px)
{
    struct sse_worker *w = &px->sse->w;
    worker_settle(px);
    if (w->busy && !w->ev_done) {
        w->ev_done = sim_schedule_at(px->s, w->busy_until_s, 0, worker_done, px, NULL);
    }
}

static void worker_kick(struct proxy *px)
{
    struct sse_worker *w = &px->sse->w;
    if (w->busy || w->queued < 1.0) {
        return;
    }
    w->taken = fmin(w->queued, px->d->tracker.worker_batch);
    w->queued -= w->taken;
    double cost = w->taken * px->d->executor.cpu.session_lookup_s;
    w->busy = true;
    w->busy_until_s = cost > 0.0 ? executor_reserve(&px->ex, cost) : sim_now(px->s);
    if (!w->ev_flush) {
        worker_flush_after(px, w->busy_until_s);
    }
    if (w->queued >= 1.0 || w->parked > 0.0) {
        worker_wait_done(px);
    } else {
        worker_settle(px); /* a zero cost ends now */
    }
}

/* false: the channel is full (the sender waits its send timeout). */
static bool worker_send(struct proxy *px)
{
    struct sse_worker *w = &px->sse->w;
    worker_settle(px);
    if (w->queued >= px->d->tracker.worker_capacity) {
        return false;
    }
    w->queued += 1.0;
    memory_add(&px->mem, MEM_TRACKER, px->d->tracker.id_bytes);
    worker_wait_done(px);
    worker_kick(px);
    return true;
}

/* After a send timeout: the latest id waits in a watch slot, overwriting. */
static void worker_park(struct proxy *px)
{
    struct sse_worker *w = &px->sse->w;
    worker_settle(px); /* a batch that ended unseen frees the worker first */
    px->sse->n_persist_timeouts++;
    if (w->parked > 0.0) {
        px->sse->n_persist_dropped++;
        return;
    }
    w->parked = 1.0;
    memory_add(&px->mem, MEM_TRACKER, px->d->tracker.id_bytes);
    worker_wait_done(px); /* the end of the batch moves it into the channel */
}

/* ---- bookkeeping ---- */

static void count_attempt(struct proxy *px)
{
    struct sse_model *m = px->sse;
    double now = sim_now(px->s);
    m->n_attempts++;
    double w = floor(now);
    if (w != m->attempts_w) {
        m->attempts_peak_1s = fmax(m->attempts_peak_1s, m->attempts_in_w);
        m->attempts_w = w;
        m->attempts_in_w = 0.0;
    }
    m->attempts_in_w += 1.0;
    sim_tseries_count(&px->series[RS_SSE_RECONNECT_ATTEMPTS], now, 1.0);
}

static void set_healthy(struct sse_stream *st, bool on)
{
    struct sse_model *m = st->px->sse;
    if (st->healthy == on) {
        return;
    }
    st->healthy = on;
    m->healthy += on ? 1.0 : -1.0;
    if (on && m->recovering && m->healthy >= m->recover_target) {
        m->recovering = false;
        m->recovery_s = sim_now(st->px->s) - m->restart_t_s;
    }
}

/* Upstream events of one stream in an outage of dt seconds. */
static double outage_events(struct proxy *px, double dt)
{
    const struct sim_dist *g = &px->pf->sse.event_gap_s;
    gsl_rng *r = sim_rng(px->s, PS_SSE_EVENTS);
    if (!(dt > 0.0)) {
        return 0.0;
    }
    switch (g->kind) {
    case SIM_DIST_EXPONENTIAL:
        return g->a > 0.0 ? (double)gsl_ran_poisson(r, dt / g->a) : 0.0;
    case SIM_DIST_DETERMINISTIC:
        return g->a > 0.0 ? floor(dt / g->a + 1e-9) : 0.0;
    default: {
        double n = 0.0, t = sim_dist_sample(g, r);
        /* A renewal count; the bound only stops a zero-gap distribution. */
        while (t <= dt && n < 1e7) {
            n += 1.0;
            t += fmax(sim_dist_sample(g, r), 0.0);
        }
        return n;
    }
    }
}

static double undelivered(const struct sse_stream *st)
{
    return st->q_data + floor(st->pending) + (st->writing && st->write_t_s >= 0.0) +
           (double)st->blocked + (double)st->pump_busy;
}

static void upstream_event(struct sim *s, void *subject, void *object);
static void write_done(struct sim *s, void *subject, void *object);
static void write_settle(struct sse_stream *st);
static void pump_next(struct sse_stream *st);
static void pump_wake_at(struct sse_stream *st);

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

static void sub_free(struct proxy *px, struct sse_sub *sub)
{
    trk_drop(px, &sub->trk, sub->trk.ids);
    sim_pool_give(&px->sse->subs, sub);
}

static const struct msgq_kind *qk_of(const struct sse_stream *st) { return &st->px->sse->qk; }

static struct connpool *cp_of(const struct sse_stream *st)
{
    struct proxy *px = st->px;
    return px->d->sse.upstream_scope == SCOPE_SHARED ? &px->pool : &px->stream_pool;
}

static void maybe_free(struct sse_stream *st)
{
    if (!st->client_gone || st->pump_live || st->ka_live || st->pump_busy || st->acquiring ||
        st->hold) {
        return;
    }
    struct proxy *px = st->px;
    const struct design *d = px->d;
    memory_add(&px->mem, MEM_STREAMS, -d->memory.stream_bytes);
    sim_level_add(&px->sse_streams, sim_now(px->s), -1.0);
    msgq_fini(&st->q, qk_of(st));
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
    st->up_lost = false;
    set_healthy(st, false);
    cancel(px->s, &st->ev_up);
    cancel(px->s, &st->ev_block);
    cancel(px->s, &st->ev_wake);
    cancel(px->s, &st->ev_idle);
    cancel(px->s, &st->ev_recon);
    st->blocked = false;
    st->pending = 0.0;
    if (st->conn) {
        if (peer_closed) {
            connpool_discard(cp_of(st), st->conn);
        } else {
            /* An abandoned streaming response cannot be reused: closed, TIME_WAIT. */
            connpool_release(cp_of(st), st->conn, false);
        }
        st->conn = NULL;
    }
    if (st->has_tasks) {
        tasks_exit(&px->tk, TASK_STREAM);
    }
}

static bool ka_source(double k_s) { return isfinite(k_s) && k_s > 0.0; }

/* The next tick after now of either keepalive source, both started at t0. */
static double ka_next_s(const struct sse_params *p, double t0_s, double now_s)
{
    double best = INFINITY;
    const double k[2] = {p->keepalive_s, p->keepalive2_s};
    for (int i = 0; i < 2; i++) {
        if (ka_source(k[i])) {
            best = fmin(best, t0_s + (floor((now_s - t0_s) / k[i] + 1e-9) + 1.0) * k[i]);
        }
    }
    return best;
}

static void slow_timer(struct sim *s, void *subject, void *object);

/* (Re)arms the slow timer at the earlier of the client's end (while it is
 * there) and the next keepalive tick (while the keepalive task lives). */
static void slow_arm(struct sse_stream *st)
{
    struct proxy *px = st->px;
    double now = sim_now(px->s);
    cancel(px->s, &st->ev_slow);
    double t = st->client_gone ? INFINITY : st->t_end_s;
    if (st->ka_live) {
        t = fmin(t, ka_next_s(&px->d->sse, st->ka_t0_s, now));
    }
    if (isfinite(t)) {
        st->ev_slow = sim_schedule_at(px->s, t > now ? t : now, 0, slow_timer, st, NULL);
    }
}

static void ka_end(struct sse_stream *st)
{
    struct proxy *px = st->px;
    if (!st->ka_live) {
        return;
    }
    st->ka_live = false;
    slow_arm(st);
    if (st->has_tasks) {
        tasks_exit(&px->tk, TASK_STREAM);
    }
}

/* The client side ends (it left, or the proxy disconnected it); reconnect: the
 * client wants the stream back (a break, not the end of its interest). */
static void client_gone(struct sse_stream *st, bool immediate, bool ok, enum err_cause cause,
                        bool reconnect)
{
    struct proxy *px = st->px;
    if (st->client_gone) {
        return;
    }
    st->hold++;
    write_settle(st);
    st->client_gone = true;
    set_healthy(st, false);
    if (st->pump_live && sim_now(px->s) < st->pump_until_s) {
        pump_wake_at(st); /* its next send fails: the pump notices when its CPU work ends */
    }
    struct sse_sub *sub = st->sub;
    if (sub) {
        if (px->d->tracker.scope == TRACKER_PER_STREAM) {
            if (px->d->tracker.retained_after_close) {
                memset(&sub->trk, 0, sizeof sub->trk); /* forgotten, its bytes still held */
            } else {
                trk_drop(px, &sub->trk, sub->trk.ids);
                memset(&sub->trk, 0, sizeof sub->trk);
            }
        }
        sub->want_reconnect = reconnect;
        if (reconnect) {
            if (!isfinite(sub->t_break_s)) {
                /* A proxy-side outage already running is where the client's gap starts. */
                sub->t_break_s = st->up_lost ? st->t_break_s : sim_now(px->s);
            }
            sub->undelivered += undelivered(st) + (st->up_lost ? st->up_undelivered : 0.0);
        }
    }
    slow_arm(st); /* only the keepalive tick is left on it */
    cancel(px->s, &st->ev_write);
    st->writing = false;
    msgq_fini(&st->q, qk_of(st)); /* the receiver is dropped with the response body */
    st->q_data = 0.0;
    if (st->blocked || st->up_lost) {
        pump_end(st, false); /* its pending send fails at once; no upstream to wait for */
    }
    if (immediate) {
        pump_end(st, false);
        ka_end(st);
    }
    struct client *cl = st->cl;
    st->cl = NULL;
    st->sub = NULL;
    if (cl) {
        cl->stream = NULL;
        proxy__request_finish(px, cl, ok, cause);
    }
    st->hold--;
    maybe_free(st);
}

/* The write on the wire ends at write_until_s.  Its end is an event
 * (ev_write) only while a message waits behind it in the channel; otherwise
 * it is settled when the stream is next looked at: nothing else happens at
 * that instant. */
static void write_finish(struct sse_stream *st)
{
    st->writing = false;
    if (st->write_t_s >= 0.0) {
        sim_loghist_add(&st->px->sse_latency, st->write_until_s - st->write_t_s);
    }
}

static void write_settle(struct sse_stream *st)
{
    if (st->writing && !st->ev_write && sim_now(st->px->s) >= st->write_until_s) {
        write_finish(st);
    }
}

/* A message (t_s < 0: a comment) starts onto the client's socket at from_s. */
static void wire(struct sse_stream *st, double t_s, double bytes, double from_s)
{
    st->writing = true;
    st->write_t_s = t_s;
    st->write_until_s = from_s + (st->drain_per_s > 0.0 ? bytes / st->drain_per_s : 0.0);
}

/* The socket is free: the channel's head goes onto it. */
static void write_next(struct sse_stream *st)
{
    struct msgq_item it;
    if (!msgq_pop(&st->q, qk_of(st), &it)) {
        return;
    }
    if (it.t_s >= 0.0) {
        st->q_data -= 1.0;
    }
    wire(st, it.t_s, it.bytes, sim_now(st->px->s));
    if (msgq_len(&st->q) > 0) {
        st->ev_write = sim_schedule_at(st->px->s, st->write_until_s, 0, write_done, st, NULL);
    }
}

static void pump_process(struct sse_stream *st, double t_event_s);
static void block_timeout(struct sim *s, void *subject, void *object);

static void pump_formatted(struct sim *s, void *subject, void *object);

/* The pump's event was put on the wire from pump_until_s, but another message
 * comes before that instant, while the socket is still free: the event goes
 * back to the pump, which puts it when its format ends (pump_formatted), as
 * if there were no fast path, and the newcomer is written first. */
static void unwire(struct sse_stream *st)
{
    struct sim *s = st->px->s;
    SIM_ASSERT(!st->ev_write && st->write_t_s == st->t_event_s);
    st->writing = false;
    st->pump_busy = true;
    cancel(s, &st->ev_wake); /* pump_formatted feeds the pump instead */
    sim_schedule_at(s, st->pump_until_s, 0, pump_formatted, st, NULL);
    st->pump_until_s = sim_now(s);
}

/* A message that finds the socket free goes straight onto it, never queued. */
static void push(struct sse_stream *st, double t_s, double bytes, bool is_data)
{
    write_settle(st);
    if (st->writing && sim_now(st->px->s) < st->pump_until_s) {
        unwire(st);
    }
    if (!st->writing) {
        wire(st, is_data ? t_s : -1.0, bytes, sim_now(st->px->s));
        return;
    }
    msgq_push(&st->q, qk_of(st), is_data ? t_s : -1.0, bytes);
    if (is_data) {
        st->q_data += 1.0;
    }
    struct sse_model *m = st->px->sse;
    if (st->q.bytes > m->stream_queued_peak) {
        m->stream_queued_peak = st->q.bytes;
    }
    if (!st->ev_write) {
        st->ev_write = sim_schedule_at(st->px->s, st->write_until_s, 0, write_done, st, NULL);
    }
}

/* Puts a message into the channel under the design's full policy (may end the
 * client: callers hold the stream). */
static void put(struct sse_stream *st, double t_s, double bytes, bool is_data)
{
    struct proxy *px = st->px;
    const struct channel_params *ch = &px->d->sse.channel;
    if (st->client_gone) {
        if (is_data) {
            pump_end(st, false); /* the send fails: now the pump notices */
        }
        return;
    }
    if (msgq_is_full(&st->q, qk_of(st), bytes)) {
        if (!is_data) {
            return; /* a keepalive that does not fit is skipped */
        }
        switch (ch->on_full) {
        case FULL_BLOCK:
            SIM_ASSERT(t_s == st->t_event_s);
            st->blocked = true; /* on the event in t_event_s and fmt_bytes */
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
            while (msgq_is_full(&st->q, qk_of(st), bytes) &&
                   msgq_pop(&st->q, qk_of(st), &it)) {
                if (it.t_s >= 0.0) {
                    st->q_data -= 1.0;
                    px->n_sse_dropped++;
                }
            }
            break;
        }
        case FULL_DISCONNECT:
            px->n_sse_dropped++;
            /* The client sees its stream cut and reconnects like after any break. */
            client_gone(st, true, false, CAUSE_REJECTED_SLOW_CLIENT, true);
            return;
        }
    }
    push(st, t_s, bytes, is_data);
}

static void unblock(struct sse_stream *st)
{
    struct proxy *px = st->px;
    st->blocked = false;
    cancel(px->s, &st->ev_block);
    if (st->pump_live && st->conn && !st->client_gone) {
        schedule_upstream(st);
        pump_next(st);
    }
}

static void block_timeout(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_block = 0;
    st->px->n_sse_dropped++;
    st->hold++;
    unblock(st);
    st->hold--;
    maybe_free(st);
}

static void write_done(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_write = 0;
    write_finish(st);
    write_next(st);
    st->hold++;
    /* The receiver took a message out: a sender blocked on the full channel proceeds. */
    if (st->blocked && !msgq_is_full(&st->q, qk_of(st), st->fmt_bytes)) {
        push(st, st->t_event_s, st->fmt_bytes, true);
        unblock(st);
    }
    st->hold--;
    maybe_free(st);
}

static void pump_formatted(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->pump_busy = false;
    if (!st->pump_live) {
        maybe_free(st);
        return;
    }
    st->hold++;
    put(st, st->t_event_s, st->fmt_bytes, true);
    pump_next(st);
    st->hold--;
    maybe_free(st);
}

/* The pump formats its event on a runtime worker, done at f.  When the
 * client is there, its socket is free and nothing waits in its channel, the
 * event goes onto the wire now, from f, and no event is scheduled for f: the
 * pump is only busy until then (pump_until_s), which matters only if
 * something comes first: another upstream event (pump_wake_at), the client's
 * departure (likewise), or a keepalive comment, which takes the free socket
 * and sends the event back to the pump (unwire).  Otherwise pump_formatted
 * puts it at f. */
static void pump_format(struct sse_stream *st)
{
    struct proxy *px = st->px;
    double cost = px->d->executor.cpu.sse_event_s;
    double bytes = sim_dist_sample(&px->pf->sse.event_bytes, sim_rng(px->s, PS_SSE_EVENTS));
    double f = cost > 0.0 ? executor_reserve(&px->ex, cost) : sim_now(px->s);
    st->fmt_bytes = (float)bytes;
    write_settle(st);
    if (st->pump_live && !st->client_gone && !st->writing &&
        !msgq_is_full(&st->q, qk_of(st), bytes)) {
        st->pump_busy = false;
        st->pump_until_s = f;
        wire(st, st->t_event_s, bytes, f);
        return;
    }
    if (cost > 0.0) {
        sim_schedule_at(px->s, f, 0, pump_formatted, st, NULL);
    } else {
        pump_formatted(px->s, st, NULL);
    }
}

static void persist_waited(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_aux = 0;
    worker_park(st->px);
    pump_format(st);
}

/* The pump takes one event: tracks its id, persists it, formats it. */
static void pump_process(struct sse_stream *st, double t_event_s)
{
    struct proxy *px = st->px;
    const struct design *d = px->d;
    st->pump_busy = true;
    st->t_event_s = t_event_s;
    struct sse_sub *sub = st->sub;
    if (d->tracker.scope != TRACKER_NONE && sub) {
        trk_add(px, &sub->trk, 1.0);
    }
    if (d->tracker.persistence == PERSIST_WORKER && !worker_send(px)) {
        st->ev_aux = sim_schedule(px->s, d->tracker.worker_send_timeout_s, 0, persist_waited, st,
                                  NULL);
        return;
    }
    pump_format(st);
}

static void pump_wake(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_wake = 0;
    st->hold++;
    if (st->client_gone) {
        pump_end(st, false); /* the send fails: now the pump notices */
    } else {
        pump_next(st);
    }
    st->hold--;
    maybe_free(st);
}

static void pump_wake_at(struct sse_stream *st)
{
    if (!st->ev_wake) {
        st->ev_wake = sim_schedule_at(st->px->s, st->pump_until_s, 0, pump_wake, st, NULL);
    }
}

/* Feeds the pump its pending events; a zero format cost completes inline, so
 * the loop (not recursion) carries a long replay. */
static void pump_next(struct sse_stream *st)
{
    if (st->in_pump) {
        return; /* the frame below loops */
    }
    st->in_pump = true;
    while (st->pump_live && !st->pump_busy && !st->blocked && st->pending >= 1.0) {
        double now = sim_now(st->px->s);
        if (now < st->pump_until_s) {
            pump_wake_at(st); /* still formatting the event on the wire */
            break;
        }
        st->pending -= 1.0;
        pump_process(st, now);
    }
    st->in_pump = false;
}

/* One upstream data event reaches the pump (its schedule, or a fan-out). */
static void data_event(struct sse_stream *st)
{
    struct proxy *px = st->px;
    px->n_sse_events++;
    proxy__guard_tick(px);
    if (st->client_gone) {
        pump_end(st, false); /* the first data event after the client left */
        return;
    }
    st->t_data_s = sim_now(px->s);
    if (px->d->spawn.per_event.enabled) {
        tasks_fire(&px->tk, TASK_EVENT); /* spawned on receipt, as the legacy handler does */
    }
    st->pending += 1.0;
    pump_next(st);
}

static void upstream_event(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    /* The pump reads the subscriber's tracker a little later: start that miss now. */
    __builtin_prefetch(st->sub);
    st->ev_up = 0;
    st->hold++;
    data_event(st);
    if (st->pump_live && st->conn && !st->blocked) {
        schedule_upstream(st);
    }
    st->hold--;
    maybe_free(st);
}

/* A keepalive tick: each source whose tick it is puts a comment; after the
 * client left, the first tick's send fails and the keepalive task ends. */
static void keepalive_tick(struct sse_stream *st, double now)
{
    const struct sse_params *p = &st->px->d->sse;
    const double k[2] = {p->keepalive_s, p->keepalive2_s};
    for (int i = 0; i < 2; i++) {
        double m = ka_source(k[i]) ? (now - st->ka_t0_s) / k[i] : 0.0;
        if (m >= 0.5 && fabs(m - round(m)) < 1e-6 && st->ka_live) {
            if (st->client_gone) {
                ka_end(st);
            } else {
                put(st, now, KEEPALIVE_BYTES, false);
            }
        }
    }
}

/* ---- breaks and reconnects ---- */

/* A reconnect completed after an outage: Last-Event-ID, replay, loss. */
static void resumed(struct sse_stream *st, double t_break_s, double undelivered_n)
{
    struct proxy *px = st->px;
    struct sse_model *m = px->sse;
    double gap = undelivered_n + outage_events(px, sim_now(px->s) - t_break_s);
    double replay = fmin(gap, px->d->sse.replay_depth);
    m->n_reconnects++;
    m->n_lost += (uint64_t)(gap - replay);
    m->n_replayed += (uint64_t)replay;
    st->pending += (float)replay;
}

static void proxy_reconnect_fire(struct sim *s, void *subject, void *object);

static void proxy_schedule_reconnect(struct sse_stream *st)
{
    struct proxy *px = st->px;
    const struct reconnect_params *rp = &px->d->sse.proxy_reconnect;
    double dl = sse_reconnect_delay_s(rp, sim_rng(px->s, PS_RECONNECT), st->attempt,
                                      st->prev_delay_s);
    st->prev_delay_s = (float)dl;
    st->ev_recon = sim_schedule(px->s, dl, 0, proxy_reconnect_fire, st, NULL);
}

/* The upstream side of a live stream broke (error, restart, idle timeout). */
static void upstream_broken(struct sse_stream *st, bool peer_closed, enum err_cause cause)
{
    struct proxy *px = st->px;
    const struct sse_params *p = &px->d->sse;
    st->hold++;
    if (p->proxy_reconnects && p->proxy_reconnect.kind != RECONNECT_NONE && !st->client_gone &&
        p->proxy_reconnect.max_attempts > 0.0) {
        /* The proxy repairs it: the client keeps its stream, the pump its task. */
        if (peer_closed) {
            connpool_discard(cp_of(st), st->conn);
        } else {
            connpool_release(cp_of(st), st->conn, false);
        }
        st->conn = NULL;
        cancel(px->s, &st->ev_up);
        cancel(px->s, &st->ev_idle);
        cancel(px->s, &st->ev_block);
        st->up_undelivered = (float)(floor(st->pending) + (double)st->blocked);
        st->pending = 0.0;
        st->blocked = false;
        st->up_lost = true;
        st->t_break_s = sim_now(px->s);
        st->attempt = 0;
        st->prev_delay_s = 0.0;
        set_healthy(st, false);
        proxy_schedule_reconnect(st);
    } else {
        pump_end(st, peer_closed);
        client_gone(st, true, false, cause, true);
    }
    st->hold--;
    maybe_free(st);
}

static void idle_check(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sse_stream *st = subject;
    double idle = st->px->d->sse.idle_timeout_s;
    st->ev_idle = 0;
    double due = st->t_data_s + idle;
    if (sim_now(s) < due - 1e-9) {
        /* Re-armed lazily: one event per idle period, not one per data event. */
        st->ev_idle = sim_schedule_at(s, due, 0, idle_check, st, NULL);
        return;
    }
    upstream_broken(st, false, CAUSE_TIMEOUT);
}

static void upstream_up(struct sse_stream *st)
{
    struct proxy *px = st->px;
    double idle = px->d->sse.idle_timeout_s;
    st->t_data_s = sim_now(px->s);
    schedule_upstream(st);
    if (isfinite(idle)) {
        st->ev_idle = sim_schedule(px->s, idle, 0, idle_check, st, NULL);
    }
}

static void proxy_conn_ready(struct sim *s, void *who, struct upconn *c, enum connpool_status cs)
{
    (void)s;
    struct sse_stream *st = who;
    struct proxy *px = st->px;
    st->acquiring = false;
    st->hold++;
    if (!st->pump_live || st->client_gone) {
        if (c) {
            connpool_release(cp_of(st), c, false);
        }
    } else if (cs != CONNPOOL_OK) {
        st->attempt++;
        if ((double)st->attempt < px->d->sse.proxy_reconnect.max_attempts) {
            proxy_schedule_reconnect(st);
        } else {
            /* The proxy gives up: the client sees the break and reconnects itself. */
            client_gone(st, true, false, proxy__pool_cause(cs), true);
        }
    } else {
        st->conn = c;
        st->up_lost = false;
        st->attempt = 0;
        st->prev_delay_s = 0.0;
        set_healthy(st, true);
        resumed(st, st->t_break_s, st->up_undelivered);
        st->up_undelivered = 0.0;
        upstream_up(st);
        pump_next(st);
    }
    st->hold--;
    maybe_free(st);
}

static void proxy_reconnect_fire(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct sse_stream *st = subject;
    st->ev_recon = 0;
    count_attempt(st->px);
    st->acquiring = true;
    connpool_acquire(cp_of(st), &st->up, INFINITY, proxy_conn_ready, st);
}

static void slow_timer(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct sse_stream *st = subject;
    double now = sim_now(s);
    st->ev_slow = 0;
    st->hold++;
    if (!st->client_gone && now >= st->t_end_s) {
        bool immediate = st->px->d->sse.detect == DETECT_IMMEDIATE;
        /* A network drop breaks the stream (the client comes back); the end of
         * the client's interest does not. */
        client_gone(st, immediate, true, CAUSE_NONE, st->drop_pending);
    }
    keepalive_tick(st, now);
    slow_arm(st);
    st->hold--;
    maybe_free(st);
}

static void stream_conn_ready(struct sim *s, void *who, struct upconn *c, enum connpool_status cs)
{
    struct sse_stream *st = who;
    struct proxy *px = st->px;
    const struct design *d = px->d;
    const struct profile *pf = px->pf;
    st->acquiring = false;
    if (cs != CONNPOOL_OK) {
        /* The upstream refused (down) or the pool failed: a failed attempt. */
        client_gone(st, true, false, proxy__pool_cause(cs), true);
        return;
    }
    st->conn = c;
    /* Without a keepalive source there is no keepalive task (and nothing that
     * would ever notice a gone client on its behalf). */
    bool ka = has_keepalive_source(d);
    st->pump_live = true;
    st->ka_live = ka;
    if (d->spawn.per_stream.enabled) {
        double n_tasks = sse_stream_tasks(d);
        struct tasks_site *site = &px->tk.site[TASK_STREAM];
        bool room = !site->bounded || site->sem.available >= n_tasks;
        if (!room || tasks_live(&px->tk) + n_tasks > px->tk.max_tasks) {
            client_gone(st, true, false, CAUSE_REJECTED_TASKS, false); /* pump_end releases the conn */
            return;
        }
        tasks_spawn(&px->tk, TASK_STREAM, NULL, NULL, NULL);
        if (ka) {
            tasks_spawn(&px->tk, TASK_STREAM, NULL, NULL, NULL);
        }
        st->has_tasks = true;
    }
    gsl_rng *dr = sim_rng(s, PS_SSE_DRAIN);
    bool slow = pf->sse.slow_client_p > 0.0 && gsl_rng_uniform(dr) < pf->sse.slow_client_p;
    st->drain_per_s = (float)sim_dist_sample(
        slow ? &pf->sse.slow_drain_bytes_per_s : &pf->sse.drain_bytes_per_s, dr);
    struct sse_sub *sub = st->sub;
    double now = sim_now(s);
    double end = sub->end_s;
    if (pf->sse.client_drop_rate_per_s > 0.0) {
        double drop =
            now + sim_exp(sim_rng(s, PS_SSE_LIFETIME), 1.0 / pf->sse.client_drop_rate_per_s);
        st->drop_pending = drop < end;
        end = fmin(end, drop);
    }
    st->t_end_s = end;
    st->ka_t0_s = now;
    set_healthy(st, true);
    if (isfinite(sub->t_break_s)) {
        resumed(st, sub->t_break_s, sub->undelivered);
        sub->t_break_s = NAN;
        sub->undelivered = 0.0;
    }
    sub->attempt = 0;
    sub->prev_delay_s = 0.0;
    upstream_up(st);
    slow_arm(st);
    st->hold++;
    pump_next(st);
    st->hold--;
    maybe_free(st);
}

void sse_stream_start(struct proxy *px, struct client *cl)
{
    const struct design *d = px->d;
    struct sse_model *m = px->sse;
    struct sse_sub *sub = cl->sub;
    if (!sub) {
        sub = sim_pool_take(&m->subs);
        memset(sub, 0, sizeof *sub);
        double life = sim_dist_sample(&px->pf->sse.lifetime_s, sim_rng(px->s, PS_SSE_LIFETIME));
        sub->end_s = sim_now(px->s) + (life > 0.0 ? life : 0.0);
        sub->t_break_s = NAN;
        cl->sub = sub;
    }
    struct sse_stream *st = sim_pool_take(&px->streams);
    memset(st, 0, sizeof *st);
    st->px = px;
    st->cl = cl;
    st->sub = sub;
    st->t_end_s = INFINITY;
    cl->stream = st;
    m->n_streams++;
    msgq_init(&st->q);
    st->next = px->streams_head;
    if (px->streams_head) {
        px->streams_head->prev = st;
    }
    px->streams_head = st;
    sim_level_add(&px->sse_streams, sim_now(px->s), 1.0);
    memory_add(&px->mem, MEM_STREAMS, d->memory.stream_bytes);
    if (d->sse.new_session_per_stream && !sessions_open(&px->ss, &cl->sess)) {
        client_gone(st, true, false, CAUSE_REJECTED_SESSIONS, false); /* the store is full: 503 */
        return;
    }
    st->acquiring = true;
    connpool_acquire(cp_of(st), &st->up, INFINITY, stream_conn_ready, st);
}

static void reconnect_fire(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct client *cl = subject;
    count_attempt(cl->px);
    proxy__client_connect(cl->px, cl);
}

bool sse_client_closed(struct proxy *px, struct client *cl)
{
    struct sse_sub *sub = cl->sub;
    if (!sub) {
        return false;
    }
    const struct reconnect_params *rp = &px->d->sse.client_reconnect;
    double now = sim_now(px->s);
    if (sub->want_reconnect && rp->kind != RECONNECT_NONE && now < sub->end_s &&
        now < px->t_end_s) {
        if ((double)sub->attempt < rp->max_attempts) {
            double dl = sse_reconnect_delay_s(rp, sim_rng(px->s, PS_RECONNECT), sub->attempt,
                                              sub->prev_delay_s);
            sub->prev_delay_s = dl;
            sub->attempt++;
            sub->want_reconnect = false;
            sim_schedule(px->s, dl, 0, reconnect_fire, cl, NULL);
            return true;
        }
        px->sse->n_gave_up++;
    }
    sub_free(px, sub);
    cl->sub = NULL;
    return false;
}

bool sse_client_refused(struct proxy *px, struct client *cl)
{
    if (!cl->sub) {
        return false;
    }
    cl->sub->want_reconnect = true; /* a refused connect is a network error: retried */
    return sse_client_closed(px, cl);
}

/* ---- fan-outs and the upstream restart ---- */

static void fanout(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct proxy *px = subject;
    const struct sse_traffic *t = &px->pf->sse;
    gsl_rng *r = sim_rng(s, PS_SSE_LIFETIME);
    struct sse_stream *st = px->streams_head;
    while (st) {
        struct sse_stream *next = st->next;
        if (st->pump_live && st->conn && gsl_rng_uniform(r) < t->fanout_share_p) {
            st->hold++;
            data_event(st);
            st->hold--;
            maybe_free(st);
        }
        st = next;
    }
    double at = sim_now(s) + sim_exp(r, 1.0 / t->fanout_rate_per_s);
    if (at < px->t_end_s) {
        sim_schedule_at(s, at, 0, fanout, px, NULL);
    }
}

void sse_restart(struct proxy *px)
{
    struct sse_model *m = px->sse;
    if (m->healthy > 0.0) {
        m->recovering = true;
        m->restart_t_s = sim_now(px->s);
        m->recover_target = ceil(RECOVERY_SHARE * m->healthy - 1e-9);
        m->recovery_s = NAN;
    }
    struct sse_stream *st = px->streams_head;
    while (st) {
        struct sse_stream *next = st->next;
        if (st->pump_live && st->conn) {
            if (st->client_gone) {
                pump_end(st, true);
                maybe_free(st);
            } else {
                upstream_broken(st, true, CAUSE_UPSTREAM_ERROR);
            }
        }
        st = next;
    }
}

/* ---- lifecycle and results ---- */

void sse_init(struct proxy *px)
{
    struct sse_model *m = sim_xcalloc(1, sizeof *m);
    const struct profile *pf = px->pf;
    px->sse = m;
    sim_pool_init(&m->subs, sizeof(struct sse_sub));
    msgq_kind_init(&m->qk, &px->mem, &px->d->sse.channel, px->d->memory.queued_msg_overhead_bytes);
    m->recovery_s = NAN;
    if (pf->sse.fanout_rate_per_s > 0.0 && pf->sse.fanout_share_p > 0.0) {
        double at = sim_exp(sim_rng(px->s, PS_SSE_LIFETIME), 1.0 / pf->sse.fanout_rate_per_s);
        if (at < px->t_end_s) {
            sim_schedule_at(px->s, at, 0, fanout, px, NULL);
        }
    }
}

void sse_collect(struct proxy *px, double *metric, double end_s)
{
    struct sse_model *m = px->sse;
    double peak_1s = fmax(m->attempts_peak_1s, m->attempts_in_w);
    double streams = sim_level_mean(&px->sse_streams, end_s);
    double mem = sim_level_mean(&px->mem.total, end_s) - px->d->memory.base_bytes;
    metric[RM_SSE_EVENTS_LOST_ON_RECONNECT] = (double)m->n_lost;
    metric[RM_SSE_RECONNECTS] = (double)m->n_reconnects;
    metric[RM_SSE_RECONNECT_ATTEMPTS] = (double)m->n_attempts;
    metric[RM_SSE_RECONNECT_ATTEMPTS_PEAK_PER_S] = peak_1s;
    metric[RM_SSE_RECOVERY_TIME_S] = m->recovery_s;
    metric[RM_SSE_EVENTS_REPLAYED] = (double)m->n_replayed;
    metric[RM_SSE_GAVE_UP] = (double)m->n_gave_up;
    /* The warm-up resets the level: its peak before then is kept apart. */
    metric[RM_EVENT_TRACKER_BYTES_PEAK] =
        fmax(px->peak_pre[RS_MEM_TRACKER], px->mem.comp[MEM_TRACKER].max);
    metric[RM_SSE_MEMORY_PER_STREAM_BYTES] = streams > 0.0 ? mem / streams : NAN;
    metric[RM_SSE_STREAM_QUEUED_BYTES_PEAK] = m->stream_queued_peak;
    metric[RM_SSE_EVENTS_DROPPED_PER_STREAM] =
        m->n_streams ? (double)px->n_sse_dropped / (double)m->n_streams : NAN;
    metric[RM_SSE_PERSIST_TIMEOUTS] = (double)m->n_persist_timeouts;
    metric[RM_SSE_PERSIST_DROPPED] = (double)m->n_persist_dropped;
    metric[RM_SSE_EVENTS] = (double)px->n_sse_events;
}

void sse_settle(struct proxy *px)
{
    for (struct sse_stream *st = px->streams_head; st; st = st->next) {
        write_settle(st);
    }
}

void sse_fini(struct proxy *px)
{
    for (struct sse_stream *st = px->streams_head; st; st = st->next) {
        msgq_fini(&st->q, qk_of(st));
    }
    px->streams_head = NULL;
    if (px->sse) {
        sim_pool_fini(&px->sse->subs);
        free(px->sse);
        px->sse = NULL;
    }
}
