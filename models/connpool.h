/* SPDX-License-Identifier: MIT
 *
 * connpool.h - upstream connections: pools, connect cost, TIME_WAIT, ports.
 *
 * What it models.  An upstream host (struct uphost: one ip:port) owns the
 * proxy's finite range of ephemeral ports.  A socket holds a port while open,
 * and a connection the proxy closes first holds it for time_wait_s more
 * (TIME_WAIT); a connect that finds every port held fails at once
 * (EADDRNOTAVAIL), so a design that opens a connection per request runs out
 * of ports above ports / time_wait_s requests per second (28,232 / 60 s = 470
 * per second) while a pooled design does not.  A connect costs connect_s +
 * tls_s of latency (not CPU) and fails when the host is down (restart) or
 * takes longer than connect_timeout_s.
 *
 * A pool (struct connpool) is one hyper-like client: connections with
 * spare stream capacity sit in a most-recently-used list (HTTP/1.1: one
 * request per connection; HTTP/2: up to max_streams_per_conn); acquire takes
 * the most recent, opens a new one while below max_conns, or applies the
 * exhaustion policy: wait FIFO up to a timeout (release hands the connection
 * straight to the head waiter), fail fast, or open beyond the limit.  Idle
 * connections beyond max_idle are closed on return; one reaper event closes
 * idle connections at idle_timeout_s (the least recent is always at the tail,
 * so the reaper needs no per-connection timer); max_lifetime_s is checked on
 * return and on reuse.  Each open connection counts one driver task.  A
 * one-shot pool (client scope per request or per stream) never reuses: every
 * acquire connects and every release closes into TIME_WAIT.
 *
 * What it leaves out: TCP slow start, DNS, SYN retries, half-open
 * connections, the upstream's own accept backlog, and the fact that HTTP/2
 * streams on one connection share its bandwidth.
 *
 * Ownership: connection entities come from the host's free list; a pool
 * owns the connections it opened until they are closed or leaked (a leaked
 * connection stays open and counts against max_conns forever).  Costs:
 * O(1) per acquire/release, TIME_WAIT expiry amortised O(1) (a FIFO of
 * expiry instants, purged lazily: time_wait_s is the same for every socket).
 */
#ifndef MODELS_CONNPOOL_H
#define MODELS_CONNPOOL_H

#include "models/memory.h"
#include "models/params.h"
#include "models/tasks.h"
#include "sim/pool.h"
#include "sim/sim.h"
#include "sim/stat.h"
#include "sim/waitq.h"

struct uphost {
    struct sim *s;
    double ports;
    double time_wait_s;
    double n_open;       /* sockets holding a port, including connecting and leaked */
    double *tw;          /* TIME_WAIT expiry instants, ascending (a ring) */
    size_t tw_head, tw_len, tw_cap;
    struct sim_level conns;     /* upstream connections open */
    struct sim_level time_wait; /* sockets in TIME_WAIT */
    struct sim_pool entities;
    double down_until_s;        /* connects are refused before this */
    uint64_t n_port_errors, n_refused, n_connects;
};

void uphost_init(struct uphost *h, struct sim *s, const struct upstream_params *p);
void uphost_fini(struct uphost *h);
/* Expires TIME_WAIT sockets up to now (also done by every connect and close). */
void uphost_purge(struct uphost *h);

enum connpool_status {
    CONNPOOL_OK,
    CONNPOOL_TIMEOUT,         /* waited acquire_timeout_s for a connection */
    CONNPOOL_EXHAUSTED,       /* fail-fast policy, pool at max_conns */
    CONNPOOL_CONNECT_ERROR,   /* no free port, or the host refused (down) */
    CONNPOOL_CONNECT_TIMEOUT, /* connect took longer than connect_timeout_s */
};

struct upconn;
typedef void connpool_ready_fn(struct sim *s, void *who, struct upconn *c,
                               enum connpool_status st);

/* One acquire in progress; lives inside its owner (a request, a stream). */
struct connpool_req {
    struct connpool *cp;
    connpool_ready_fn *fn;
    void *who;
    double t_s; /* when the acquire started */
    struct sim_waiter *waiter;
};

struct upconn {
    void *pool_link; /* first word: the free list writes here */
    struct upconn *prev, *next;
    struct connpool *cp;
    struct connpool_req *rq; /* while connecting */
    double opened_s, idle_since_s;
    unsigned streams;
    bool listed, doomed, leaked;
};

struct connpool {
    struct sim *s;
    struct uphost *host;
    struct tasks *tk;
    struct memory *mem;
    const struct upstream_params *p;
    bool oneshot;
    double max_conns, max_idle, max_streams, conn_bytes;
    struct upconn *head, *tail; /* connections with a spare stream, most recent first */
    double n_open, n_idle;
    double n_open_peak; /* the most connections this pool held open at once (whole run) */
    struct sim_waitq waiters;
    sim_evid reaper;
    struct sim_tally wait;        /* waits of granted acquires */
    struct sim_loghist wait_hist;
    uint64_t n_acquires, n_waited, n_timeouts, n_exhausted, n_connect_errors,
        n_connect_timeouts, n_reused, n_closed, n_leaked;
};

/* oneshot: a client per request or per stream (no reuse, no limit). */
void connpool_init(struct connpool *cp, struct sim *s, struct uphost *h,
                   const struct upstream_params *p, struct tasks *tk, struct memory *mem,
                   bool oneshot, double conn_bytes);
void connpool_fini(struct connpool *cp);

/* Asks for a connection: rq->fn(s, who, conn, status) runs exactly once, maybe
 * before connpool_acquire returns.  Waits at most wait_s (capped by the
 * pool's acquire_timeout_s) under the wait policy. */
void connpool_acquire(struct connpool *cp, struct connpool_req *rq, double wait_s,
                      connpool_ready_fn *fn, void *who);
/* Gives back one stream of c; reusable false closes it (proxy side: TIME_WAIT). */
void connpool_release(struct connpool *cp, struct upconn *c, bool reusable);
/* The peer closed c while a stream was on it (upstream restart): no TIME_WAIT here. */
void connpool_discard(struct connpool *cp, struct upconn *c);
/* An error path never gives c back: it stays open, holding its slot and port. */
void connpool_leak(struct connpool *cp, struct upconn *c);
/* Upstream restart: idle connections are closed by the peer. */
void connpool_drop_idle(struct connpool *cp);

static inline size_t connpool_n_waiting(const struct connpool *cp) { return cp->waiters.n; }

#endif
