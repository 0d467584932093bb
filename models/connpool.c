/* SPDX-License-Identifier: MIT */
#include "models/connpool.h"

#include "sim/check.h"
#include "sim/ring.h"

#include <math.h>
#include <stdlib.h>

/* ---- host: ports and TIME_WAIT ---- */

void uphost_init(struct uphost *h, struct sim *s, const struct upstream_params *p)
{
    h->s = s;
    h->ports = p->ephemeral_ports > 0.0 ? p->ephemeral_ports : INFINITY;
    h->time_wait_s = p->time_wait_s > 0.0 ? p->time_wait_s : 0.0;
    h->n_open = 0.0;
    h->tw = NULL;
    h->tw_head = h->tw_len = h->tw_cap = 0;
    sim_level_init(&h->conns, sim_now(s), 0.0);
    sim_level_init(&h->time_wait, sim_now(s), 0.0);
    sim_pool_init(&h->entities, sizeof(struct upconn));
    h->down_until_s = -INFINITY;
    h->n_port_errors = h->n_refused = h->n_connects = 0;
}

void uphost_fini(struct uphost *h)
{
    free(h->tw);
    sim_level_fini(&h->conns);
    sim_level_fini(&h->time_wait);
    sim_pool_fini(&h->entities);
}

void uphost_purge(struct uphost *h)
{
    double now = sim_now(h->s);
    /* Expiries are pushed in close order with one constant TIME_WAIT, so the ring is
     * sorted; each expiry is recorded at its own instant, keeping the level exact. */
    while (h->tw_len > 0 && h->tw[h->tw_head] <= now) {
        sim_level_add(&h->time_wait, h->tw[h->tw_head], -1.0);
        h->tw_head = (h->tw_head + 1) % h->tw_cap;
        h->tw_len--;
    }
}

static void tw_push(struct uphost *h, double expiry_s)
{
    if (h->tw_len == h->tw_cap) {
        size_t cap = h->tw_cap ? 2 * h->tw_cap : 1024;
        h->tw = sim_ring_grow(h->tw, sizeof *h->tw, h->tw_head, h->tw_cap, cap);
        h->tw_cap = cap;
        h->tw_head = 0;
    }
    h->tw[(h->tw_head + h->tw_len) % h->tw_cap] = expiry_s;
    h->tw_len++;
    sim_level_add(&h->time_wait, sim_now(h->s), 1.0);
}

/* A port for a new socket; false when every port is open or in TIME_WAIT. */
static bool port_take(struct uphost *h)
{
    uphost_purge(h);
    if (h->n_open + (double)h->tw_len >= h->ports) {
        h->n_port_errors++;
        return false;
    }
    h->n_open += 1.0;
    return true;
}

static void port_give(struct uphost *h, bool time_wait)
{
    uphost_purge(h);
    h->n_open -= 1.0;
    if (time_wait && h->time_wait_s > 0.0) {
        tw_push(h, sim_now(h->s) + h->time_wait_s);
    }
}

/* ---- pool ---- */

void connpool_init(struct connpool *cp, struct sim *s, struct uphost *h,
                   const struct upstream_params *p, struct tasks *tk, struct memory *mem,
                   bool oneshot, double conn_bytes)
{
    cp->s = s;
    cp->host = h;
    cp->tk = tk;
    cp->mem = mem;
    cp->p = p;
    cp->oneshot = oneshot;
    cp->max_conns = oneshot ? INFINITY : p->max_conns;
    cp->max_idle = p->max_idle;
    cp->max_streams = p->http2 && p->max_streams_per_conn >= 1.0 ? p->max_streams_per_conn : 1.0;
    cp->conn_bytes = conn_bytes;
    cp->head = cp->tail = NULL;
    cp->n_open = cp->n_idle = cp->n_open_peak = 0.0;
    sim_waitq_init(&cp->waiters, s);
    cp->reaper = 0;
    sim_tally_init(&cp->wait);
    sim_loghist_init(&cp->wait_hist);
    cp->n_acquires = cp->n_waited = cp->n_timeouts = cp->n_exhausted = 0;
    cp->n_connect_errors = cp->n_connect_timeouts = cp->n_reused = cp->n_closed = 0;
    cp->n_leaked = 0;
}

void connpool_fini(struct connpool *cp)
{
    sim_waitq_fini(&cp->waiters);
    sim_loghist_fini(&cp->wait_hist);
}

static void unlist(struct connpool *cp, struct upconn *c)
{
    if (!c->listed) {
        return;
    }
    if (c->prev) {
        c->prev->next = c->next;
    } else {
        cp->head = c->next;
    }
    if (c->next) {
        c->next->prev = c->prev;
    } else {
        cp->tail = c->prev;
    }
    c->prev = c->next = NULL;
    c->listed = false;
}

static void list_front(struct connpool *cp, struct upconn *c)
{
    c->prev = NULL;
    c->next = cp->head;
    if (cp->head) {
        cp->head->prev = c;
    } else {
        cp->tail = c;
    }
    cp->head = c;
    c->listed = true;
}

static void record_wait(struct connpool *cp, double wait_s)
{
    sim_tally_add(&cp->wait, wait_s);
    sim_loghist_add(&cp->wait_hist, wait_s);
}

static void open_for(struct connpool *cp, struct connpool_req *rq);

/* Closes c.  we_close: the proxy closes first, so its socket enters TIME_WAIT. */
static void conn_close(struct connpool *cp, struct upconn *c, bool we_close)
{
    struct uphost *h = cp->host;
    unlist(cp, c); /* callers have already taken an idle connection out of n_idle */
    cp->n_open -= 1.0;
    cp->n_closed++;
    sim_level_add(&h->conns, sim_now(cp->s), -1.0);
    memory_add(cp->mem, MEM_UPSTREAM_CONNS, -cp->conn_bytes);
    tasks_exit(cp->tk, TASK_UPSTREAM_CONN);
    port_give(h, we_close);
    sim_pool_give(&h->entities, c);
    /* A slot opened: the head waiter connects for itself. */
    if (cp->waiters.n > 0 && cp->n_open < cp->max_conns) {
        struct sim_waiter *w = sim_waitq_pop(&cp->waiters);
        struct connpool_req *rq = w->who;
        sim_waitq_done(&cp->waiters, w);
        record_wait(cp, sim_now(cp->s) - rq->t_s);
        open_for(cp, rq);
    }
}

static void take_idle_count(struct connpool *cp, struct upconn *c)
{
    if (c->streams == 0) {
        cp->n_idle -= 1.0;
    }
}

/* Puts one stream of c in use for rq and calls it back. */
static void grant(struct connpool *cp, struct upconn *c, struct connpool_req *rq)
{
    take_idle_count(cp, c);
    c->streams++;
    if ((double)c->streams >= cp->max_streams) {
        unlist(cp, c);
    }
    rq->fn(cp->s, rq->who, c, CONNPOOL_OK);
}

/* c, opened for rq, is up: its first stream serves rq, and with HTTP/2 its
 * other streams are offered to later requests. */
static void connected(struct connpool *cp, struct upconn *c, struct connpool_req *rq)
{
    c->streams = 1;
    if ((double)c->streams < cp->max_streams) {
        list_front(cp, c);
    }
    rq->fn(cp->s, rq->who, c, CONNPOOL_OK);
}

/* The request a scheduled connect was opened for; c holds it only until the
 * connect completes or times out. */
static struct connpool_req *take_req(struct upconn *c)
{
    struct connpool_req *rq = c->rq;
    c->rq = NULL;
    return rq;
}

static void connect_done(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct upconn *c = subject;
    struct connpool_req *rq = take_req(c);
    connected(c->cp, c, rq);
}

static void connect_timed_out(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    struct upconn *c = subject;
    struct connpool *cp = c->cp;
    struct connpool_req *rq = take_req(c);
    cp->n_connect_timeouts++;
    /* The handshake never completed: no TIME_WAIT on our side. */
    conn_close(cp, c, false);
    rq->fn(cp->s, rq->who, NULL, CONNPOOL_CONNECT_TIMEOUT);
}

static void open_for(struct connpool *cp, struct connpool_req *rq)
{
    struct uphost *h = cp->host;
    double now = sim_now(cp->s);
    if (now < h->down_until_s) {
        h->n_refused++;
        cp->n_connect_errors++;
        rq->fn(cp->s, rq->who, NULL, CONNPOOL_CONNECT_ERROR);
        return;
    }
    if (!port_take(h)) {
        cp->n_connect_errors++;
        rq->fn(cp->s, rq->who, NULL, CONNPOOL_CONNECT_ERROR);
        return;
    }
    h->n_connects++;
    struct upconn *c = sim_pool_take(&h->entities);
    c->prev = c->next = NULL;
    c->cp = cp;
    c->rq = NULL;
    c->opened_s = c->idle_since_s = now;
    c->streams = 0;
    c->listed = c->doomed = c->leaked = false;
    cp->n_open += 1.0;
    cp->n_open_peak = fmax(cp->n_open_peak, cp->n_open); /* one compare per connect */
    sim_level_add(&h->conns, now, 1.0);
    memory_add(cp->mem, MEM_UPSTREAM_CONNS, cp->conn_bytes);
    tasks_start(cp->tk, TASK_UPSTREAM_CONN);
    double cost = cp->p->connect_s + cp->p->tls_s;
    if (cost > cp->p->connect_timeout_s) {
        c->rq = rq;
        sim_schedule(cp->s, cp->p->connect_timeout_s, 0, connect_timed_out, c, NULL);
        return;
    }
    if (cost <= 0.0) {
        connected(cp, c, rq);
        return;
    }
    c->rq = rq;
    sim_schedule(cp->s, cost, 0, connect_done, c, NULL);
}

static void waiter_wake(struct sim *s, void *who, void *item, bool ok)
{
    (void)s;
    (void)item;
    struct connpool_req *rq = who;
    SIM_ASSERT(!ok); /* grants are served by hand (serve_waiter), never through here */
    (void)ok;
    rq->cp->n_timeouts++;
    rq->fn(rq->cp->s, rq->who, NULL, CONNPOOL_TIMEOUT);
}

static bool is_expired(const struct connpool *cp, const struct upconn *c, double now)
{
    return now - c->opened_s >= cp->p->max_lifetime_s;
}

void connpool_acquire(struct connpool *cp, struct connpool_req *rq, double wait_s,
                      connpool_ready_fn *fn, void *who)
{
    double now = sim_now(cp->s);
    rq->cp = cp;
    rq->fn = fn;
    rq->who = who;
    rq->t_s = now;
    rq->waiter = NULL;
    cp->n_acquires++;
    if (!cp->oneshot) {
        while (cp->head) {
            struct upconn *c = cp->head;
            if (is_expired(cp, c, now) && c->streams == 0) {
                cp->n_idle -= 1.0;
                conn_close(cp, c, true);
                continue;
            }
            cp->n_reused++;
            record_wait(cp, 0.0);
            grant(cp, c, rq);
            return;
        }
    }
    if (cp->n_open < cp->max_conns || cp->p->on_exhausted == EXHAUST_OPEN_BEYOND) {
        record_wait(cp, 0.0);
        open_for(cp, rq);
        return;
    }
    if (cp->p->on_exhausted == EXHAUST_FAIL_FAST) {
        cp->n_exhausted++;
        fn(cp->s, who, NULL, CONNPOOL_EXHAUSTED);
        return;
    }
    double limit = fmin(wait_s, cp->p->acquire_timeout_s);
    if (limit <= 0.0) {
        cp->n_timeouts++;
        fn(cp->s, who, NULL, CONNPOOL_TIMEOUT);
        return;
    }
    cp->n_waited++;
    rq->waiter = sim_waitq_push(&cp->waiters, limit, waiter_wake, rq, NULL, 1.0);
}

/* Hands c (with a free stream) to the head waiter; false if nobody waits. */
static bool serve_waiter(struct connpool *cp, struct upconn *c)
{
    if (cp->waiters.n == 0) {
        return false;
    }
    struct sim_waiter *w = sim_waitq_pop(&cp->waiters);
    struct connpool_req *rq = w->who;
    sim_waitq_done(&cp->waiters, w);
    record_wait(cp, sim_now(cp->s) - rq->t_s);
    cp->n_reused++;
    if (c->streams == 0) {
        cp->n_idle += 1.0; /* idle for an instant: grant takes it out again */
    }
    grant(cp, c, rq);
    return true;
}

static void reap(struct sim *s, void *subject, void *object);

static void arm_reaper(struct connpool *cp)
{
    if (cp->reaper || !isfinite(cp->p->idle_timeout_s) || !cp->tail || cp->tail->streams > 0) {
        return;
    }
    double at = cp->tail->idle_since_s + cp->p->idle_timeout_s;
    double now = sim_now(cp->s);
    cp->reaper = sim_schedule_at(cp->s, at > now ? at : now, 1, reap, cp, NULL);
}

static void reap(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct connpool *cp = subject;
    cp->reaper = 0;
    double now = sim_now(s);
    while (cp->tail && cp->tail->streams == 0 &&
           cp->tail->idle_since_s + cp->p->idle_timeout_s <= now) {
        cp->n_idle -= 1.0;
        conn_close(cp, cp->tail, true);
    }
    arm_reaper(cp);
}

void connpool_release(struct connpool *cp, struct upconn *c, bool reusable)
{
    SIM_ASSERT(c->streams > 0);
    double now = sim_now(cp->s);
    c->streams--;
    if (!reusable || cp->oneshot || is_expired(cp, c, now) || now < cp->host->down_until_s) {
        c->doomed = true;
    }
    if (c->doomed) {
        if (c->streams == 0) {
            conn_close(cp, c, true);
        } else {
            unlist(cp, c);
        }
        return;
    }
    if (serve_waiter(cp, c)) {
        return;
    }
    if (c->streams == 0) {
        if (cp->n_idle >= cp->max_idle) {
            conn_close(cp, c, true);
            return;
        }
        cp->n_idle += 1.0;
        c->idle_since_s = now;
    }
    if (!c->listed) {
        list_front(cp, c);
    } else if (cp->head != c) {
        unlist(cp, c);
        list_front(cp, c);
    }
    arm_reaper(cp);
}

void connpool_discard(struct connpool *cp, struct upconn *c)
{
    SIM_ASSERT(c->streams > 0);
    c->streams--;
    c->doomed = true;
    if (c->streams == 0) {
        conn_close(cp, c, false);
    } else {
        unlist(cp, c);
    }
}

void connpool_leak(struct connpool *cp, struct upconn *c)
{
    unlist(cp, c);
    c->leaked = true;
    cp->n_leaked++;
}

void connpool_drop_idle(struct connpool *cp)
{
    struct upconn *c = cp->head;
    while (c) {
        struct upconn *next = c->next;
        if (c->streams == 0) {
            cp->n_idle -= 1.0;
            conn_close(cp, c, false);
        } else {
            c->doomed = true;
            unlist(cp, c);
        }
        c = next;
    }
    if (cp->reaper) {
        sim_cancel(cp->s, cp->reaper);
        cp->reaper = 0;
    }
}
