/* SPDX-License-Identifier: MIT
 *
 * findings.h - what a concurrency review concludes from the numbers: the
 * resource utilization matrix's figures and limits, each design's binding
 * limit, and answers to the seven questions of the 2025-08-18 review.
 *
 * Input is plain data: a design, and for each profile its params and the
 * summary of its replications (models/results.h).  Output is plain data
 * too: verdicts with the evidence behind them (metric, profile, mean and
 * CI), never text, so the report (cli/report.c) words them and a test can
 * check them.  A verdict is only as strong as its CI: "grows" means the CI
 * of the growth rate excludes zero, "leaks" that the CI of a leak count
 * does.
 *
 * Limits.  A matrix figure is coloured by how close it is to a limit: the
 * design's own bound where it has one (spawn.max_tasks, server.max_memory,
 * upstream.max_conns, server.max_client_conns, upstream.acquire_timeout_s), otherwise the
 * review's recommended limit (limits_proposed in reference/shadowcat.md:
 * 3,000 tasks, 1,000 connections, 512 MiB), the 28,232 ephemeral ports
 * towards one upstream, a 200 ms p99 latency SLO and a 1% error budget.
 * A cap is compared only with what it governs: upstream.max_conns with the
 * shared request pool's own peak (pool_conns_peak), never with every
 * upstream socket, which also counts the clients a design builds per SSE
 * stream or per request outside that pool; all sockets go against the
 * ephemeral ports.
 * FINDINGS_* below name them so the report can print its yardsticks.
 *
 * Pure functions, no allocation, no state.
 */
#ifndef MODELS_FINDINGS_H
#define MODELS_FINDINGS_H

#include "models/params.h"
#include "models/results.h"

#include <stdbool.h>
#include <stddef.h>

#define FINDINGS_REVIEW_MAX_TASKS 3000.0
#define FINDINGS_REVIEW_MAX_CONNS 1000.0
#define FINDINGS_REVIEW_MAX_MEMORY_BYTES (512.0 * 1024 * 1024)
#define FINDINGS_LATENCY_SLO_S 0.200
#define FINDINGS_ERROR_BUDGET 0.01
#define FINDINGS_HIT_RATE_TARGET 0.80 /* phase3-review: buffer pool hit rate > 80% */

/* The columns of the resource utilization matrix. */
enum findings_col {
    FC_TASKS,          /* tasks_live_peak */
    FC_MEMORY,         /* memory_bytes_peak */
    FC_CLIENT_CONNS,   /* client_conns_peak */
    FC_UPSTREAM_CONNS, /* upstream_conns_peak: every socket towards the upstream */
    FC_POOL_CONNS,     /* pool_conns_peak: the request pool's own, what upstream.max_conns caps */
    FC_POOL_UTIL,      /* pool_wait_prob: share of acquires that found every connection busy */
    FC_POOL_WAIT_P99,  /* pool_wait_p99_s */
    FC_LATENCY_P99,    /* latency_p99_s */
    FC_ERROR_RATE,     /* error_rate */
    FC_N
};

struct findings_col_info {
    const char *title;   /* "peak tasks" */
    int metric;          /* enum results_metric, or -1 when derived */
    int unit;            /* enum axis_unit value, kept as int: models/ does not include plots/ */
    double near_zero;    /* |mean| below this is "near zero" for the CI-width target */
};

extern const struct findings_col_info findings_cols[FC_N];

/* A limit and where it comes from. */
struct findings_limit {
    double value;        /* INFINITY: none */
    bool from_design;    /* the design's own bound, not a review yardstick */
    const char *what;    /* "spawn.max_tasks", "review limit", "SLO", ... */
};

struct findings_limit findings_col_limit(const struct design *d, enum findings_col c);
/* The figure with its CI. */
struct sim_ci findings_col_value(const struct design *d, const struct exp_summary *s,
                                 enum findings_col c);
/* value / limit (past 1 when over it), NaN when there is no limit or value. */
double findings_share(const struct design *d, const struct exp_summary *s, enum findings_col c);
/* The share clamped to [0, 1], for a colour scale. */
double findings_closeness(const struct design *d, const struct exp_summary *s,
                          enum findings_col c);

/* A design's worst profile and binding limit: the (profile, column) closest
 * to its limit; among those at or past it, the design's own bound, then the
 * first column (resources before latency and errors); profile and col are SIZE_MAX / FC_N when nothing has a
 * limit.  The p99 latency of a profile with POSTs answered by SSE streams is
 * the length of those streams, not a delay, so it never binds there. */
struct findings_binding {
    size_t profile;
    enum findings_col col;
    double share; /* findings_share of that figure */
};
struct findings_binding findings_binding(const struct design *d, const struct profile *const *pr,
                                         const struct exp_summary *const *s, size_t n_profiles);

/* ---- the seven questions ---- */

enum findings_question {
    FQ_SPAWN,          /* unbounded task spawning? */
    FQ_BACKPRESSURE,   /* backpressure present? */
    FQ_BUFFERS,        /* buffers reused (hit rate)? */
    FQ_SESSIONS,       /* session cleanup deterministic? */
    FQ_SSE_LEAKS,      /* memory leaks on long-lived SSE? */
    FQ_POOL,           /* pool exhaustion handled gracefully? */
    FQ_ERROR_PATHS,    /* error paths cleaning up? */
    FQ_N
};

enum findings_verdict {
    FV_OK,       /* the numbers show no problem */
    FV_CONCERN,  /* a mechanism is missing but the profiles did not push it over a limit */
    FV_PROBLEM,  /* the numbers show the problem */
    FV_UNTESTED, /* no profile exercised it (e.g. no SSE profile selected) */
};

/* Why a verdict is what it is, where one question has several causes that
 * call for different fixes (the report words each; FCAUSE_NONE elsewhere). */
enum findings_cause {
    FCAUSE_NONE,
    /* FQ_SESSIONS */
    FCAUSE_SESS_NO_CLEANUP, /* no removal on close and no cleanup task: only LRU eviction at
                               the store's cap empties it */
    FCAUSE_SESS_LEAK,       /* error paths leave sessions behind (sessions_leaked) */
    FCAUSE_SESS_CAPACITY,   /* removal on close and/or the sweep are there, but live sessions
                               plus those clients abandoned within the TTL fill the store:
                               sessions.max_sessions (or ttl) is the fix, not cleanup */
    /* FQ_POOL */
    FCAUSE_POOL_NO_CAP,     /* no capped shared pool (per-request clients, or max_conns
                               unlimited) and the upstream sockets near the ports */
    FCAUSE_POOL_PER_STREAM, /* the sockets near the ports are mostly per-stream SSE clients
                               (sse.upstream_scope), outside the request pool */
    FCAUSE_POOL_CHURN,      /* a capped shared pool, yet its connections churn into
                               TIME_WAIT towards the port limit */
    FCAUSE_POOL_NO_TIMEOUT, /* acquires wait past the SLO with no acquire timeout */
    /* FQ_SSE_LEAKS */
    FCAUSE_SSE_FILLING,     /* SSE memory grows, but the design bounds SSE state and it
                               settles (findings_sse_settle_s) only after half the fit window
                               or more: the fill, not yet a leak; run longer */
};

struct findings_evidence {
    int metric;     /* enum results_metric; -1: unused slot */
    size_t profile; /* index into the caller's profiles */
    struct sim_ci ci;
};

#define FINDINGS_MAX_EVIDENCE 4

struct findings_answer {
    enum findings_verdict verdict;
    bool has_mechanism; /* the design has the bound/pool/cleanup the question asks about */
    enum findings_cause cause;
    size_t n_ev;
    struct findings_evidence ev[FINDINGS_MAX_EVIDENCE];
};

extern const char *const findings_question_text[FQ_N];
extern const char *const findings_verdict_text[4];
/* A few words for a cause, after the verdict ("concern: store cap reached, ..."); "" for none. */
extern const char *const findings_cause_text[];

/* profiles[i] and s[i] belong together; s[i] may be NULL (the cell failed). */
void findings_answer_all(const struct design *d, const struct profile *const *profiles,
                         const struct exp_summary *const *s, size_t n_profiles,
                         struct findings_answer out[FQ_N]);

/* How long SSE state takes to settle under profile pf once the streams are
 * open, when design d bounds it: the longer of the profile's mean GET stream
 * lifetime (the live streams, and all a per-stream tracker and channel hold,
 * go with their stream) and the tracker TTL when finite.  INFINITY when SSE
 * state can outlive its stream with no time bound: trackers retained after
 * close, or per-session trackers with no TTL.  The SSE-leak question calls
 * growth "still filling" when this is at least half the window
 * sse_memory_growth_bytes_per_s is fitted over (findings_sse_filling). */
double findings_sse_settle_s(const struct design *d, const struct profile *pf);
/* The fit window of the growth metrics under pf: from profile_growth_from_s to the end. */
double findings_growth_window_s(const struct profile *pf);
bool findings_sse_filling(const struct design *d, const struct profile *pf);

/* True when every enabled spawn site is bounded, or a global cap exists. */
bool findings_spawn_bounded(const struct design *d);

#endif
