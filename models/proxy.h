/* SPDX-License-Identifier: MIT
 *
 * proxy.h - the proxy model: one replication of a design under a traffic
 * profile.
 *
 * The proxy composes the mechanism modules and owns nothing they own:
 * traffic (arrivals, mix, sizes), executor (CPU), tasks (spawn sites),
 * connpool (upstream host, ports, TIME_WAIT; a pool for requests and one for
 * SSE streams), bufpool (buffers), backpressure (admission, rate limit, the
 * SSE channel), sessions (store and lock), memory (by component), faults
 * (errors, stalls, restart, leaks), sse (GET streams: pump, keepalive, slow
 * consumers), guard (divergence).  A request's path:
 *
 *   client connects (admission: conns, memory, protective rung; per-connection
 *      task, accept CPU)
 *   -> request (admission 503: in flight, memory, degradation rung for its
 *      kind; rate limit 429; a POST body over server.body_limit 413;
 *      per-request task)
 *   -> parse CPU (base + per KiB + interceptor + session work + forward)
 *   -> session resolve (the handler task joins its session: 503 over
 *      max_tasks_per_session) and store lock
 *   -> request buffer, upstream connection (pool, connect, ports)
 *   -> upstream service (faults; timeout resolved at send)
 *   -> response buffer (collected body grows it), release connection
 *      (per-release task), response CPU -> done; next request after think
 *      time, or the client closes after its k requests.
 *
 * Every error ends in one error path (proxy.c rq_fail) where the design's
 * leak probabilities apply.  Warm-up: at profile.warmup_s means, rates and
 * histograms restart; peaks and leak counts cover the whole run.
 *
 * Lifecycle: proxy_create(s, e) builds everything on the caller's sim (which
 * must have PROXY_N_STREAMS random streams); proxy_run runs to
 * profile.duration_s or a guard stop; proxy_collect fills a results struct
 * initialised on the profile's grid (proxy_results_init does that);
 * proxy_destroy frees everything.  The experiment must outlive the proxy.
 */
#ifndef MODELS_PROXY_H
#define MODELS_PROXY_H

#include "models/params.h"
#include "models/results.h"
#include "sim/err.h"
#include "sim/replicate.h"
#include "sim/sim.h"

/* Random streams, one per purpose (common random numbers across designs). */
enum proxy_stream {
    PS_ARRIVALS,
    PS_MIX,
    PS_SIZES,
    PS_SERVICE,
    PS_THINK,
    PS_CONN,
    PS_SESSIONS,
    PS_FAULTS,
    PS_LEAKS,
    PS_SSE_EVENTS,
    PS_SSE_DRAIN,
    PS_SSE_LIFETIME,
    PS_RECONNECT,
    PROXY_N_STREAMS
};

struct proxy;

struct proxy *proxy_create(struct sim *s, const struct experiment *e);
void proxy_run(struct proxy *px);
void proxy_collect(struct proxy *px, struct rep_result *out);
void proxy_destroy(struct proxy *px);

/* A results struct on the profile's time grid. */
void proxy_results_init(const struct profile *p, struct rep_result *out);

/* Runs e->run.reps replications of e on threads (results by index, identical
 * for any thread count); out has e->run.reps entries, those run initialised here.
 * Replication i is seeded by (run.seed, i), so a run extended by first_rep gives
 * the same replications as one run of the full count.
 * Returns the number of failed replications. */
struct proxy_run_opts {
    unsigned threads;
    size_t first_rep; /* run reps first_rep..reps-1 only (extending an earlier run) */
    double *warmup_s_out; /* if not NULL: the warm-up used (MSER-5's when the profile asks) */
    sim_progress_fn *progress;
    void *progress_ctx;
};
size_t proxy_replicate(const struct experiment *e, const struct proxy_run_opts *opts,
                       struct rep_result *out, struct sim_err *errs);

/* profile.warmup_mser5: one pilot replication (its own seed, no warm-up) and MSER-5
 * (sim_mser5) on the window means of live tasks, client connections, memory and
 * throughput; the warm-up is the latest of their truncation points (at most half the
 * run).  proxy_replicate applies it to every replication. */
double proxy_mser5_warmup_s(const struct experiment *e);

#endif
