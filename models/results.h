/* SPDX-License-Identifier: MIT
 *
 * results.h - what one replication of the proxy model reports, and the
 * summary of many: plain data that cli/ and plots/ read without touching
 * model code.
 *
 * A replication yields scalars by stable metric id (results_metrics[] gives
 * each its stable name and unit: these names are an interface, documented in
 * docs/MODELS.md, never renamed), level time series on the profile's grid
 * (window means of [t0 + i dt, t0 + (i+1) dt)), the latency histogram of
 * successful requests (mergeable), and, when the divergence guard stopped
 * it, a finding in words.  A metric a replication cannot measure is NAN
 * (p99 of zero requests) and is skipped by the summary's CI.
 *
 * Warm-up: the profile's fixed `warmup`, or with `warmup_mser5` the MSER-5 truncation point
 * (sim_mser5) of a pilot replication with its own seed, the latest over the window means of live
 * tasks, client connections, memory and throughput (proxy_mser5_warmup_s); `proxysim run` prints
 * the warm-up it used.
 *
 * Conventions: rates and means are over the steady part (after the warm-up);
 * peaks (`_peak`) over the whole run; counts of leaks over the whole run;
 * memory_growth_bytes_per_s and sse_memory_growth_bytes_per_s (the same fit
 * over mem_streams_bytes + mem_tracker_bytes + mem_queued_bytes) from the
 * later of the warm-up and the offered load's last change
 * (profile_growth_from_s) to the end.
 * Series windows after a guard stop are NAN.
 *
 * Ownership: results_rep_init allocates the series and histogram;
 * results_rep_fini frees them.  The summary owns its arrays likewise.
 */
#ifndef MODELS_RESULTS_H
#define MODELS_RESULTS_H

#include "sim/stat.h"

#include <stdbool.h>
#include <stddef.h>

#define RESULTS_METRICS(X)                                                                         \
    X(LATENCY_P50_S, "latency_p50_s", "s")                                                         \
    X(LATENCY_P90_S, "latency_p90_s", "s")                                                         \
    X(LATENCY_P99_S, "latency_p99_s", "s")                                                         \
    X(LATENCY_P999_S, "latency_p999_s", "s")                                                       \
    X(LATENCY_MEAN_S, "latency_mean_s", "s")                                                       \
    X(OFFERED_PER_S, "offered_per_s", "1/s")                                                       \
    X(THROUGHPUT_PER_S, "throughput_per_s", "1/s")                                                 \
    X(ERROR_RATE, "error_rate", "1")                                                               \
    X(ERROR_RATE_TIMEOUT, "error_rate_timeout", "1")                                               \
    X(ERROR_RATE_POOL_TIMEOUT, "error_rate_pool_timeout", "1")                                     \
    X(ERROR_RATE_REJECTED, "error_rate_rejected", "1")                                             \
    X(ERROR_RATE_RATE_LIMITED, "error_rate_rate_limited", "1")                                     \
    X(ERROR_RATE_CONNECT_ERROR, "error_rate_connect_error", "1")                                   \
    X(ERROR_RATE_UPSTREAM_ERROR, "error_rate_upstream_error", "1")                                 \
    X(ERROR_RATE_REJECTED_CONNS, "error_rate_rejected_conns", "1")                                 \
    X(ERROR_RATE_REJECTED_INFLIGHT, "error_rate_rejected_inflight", "1")                           \
    X(ERROR_RATE_REJECTED_SHED, "error_rate_rejected_shed", "1")                                   \
    X(ERROR_RATE_REJECTED_TASKS, "error_rate_rejected_tasks", "1")                                 \
    X(ERROR_RATE_REJECTED_SESSION_TASKS, "error_rate_rejected_session_tasks", "1")                 \
    X(ERROR_RATE_REJECTED_SESSIONS, "error_rate_rejected_sessions", "1")                           \
    X(ERROR_RATE_REJECTED_BLOCKING, "error_rate_rejected_blocking", "1")                           \
    X(ERROR_RATE_REJECTED_BODY, "error_rate_rejected_body", "1")                                   \
    X(ERROR_RATE_REJECTED_SLOW_CLIENT, "error_rate_rejected_slow_client", "1")                     \
    X(TASKS_LIVE_PEAK, "tasks_live_peak", "tasks")                                                 \
    X(TASKS_LIVE_MEAN, "tasks_live_mean", "tasks")                                                 \
    X(TASKS_SPAWNED_PER_S, "tasks_spawned_per_s", "1/s")                                           \
    X(TASKS_LEAKED, "tasks_leaked", "tasks")                                                       \
    X(CLIENT_CONNS_PEAK, "client_conns_peak", "conns")                                             \
    X(UPSTREAM_CONNS_PEAK, "upstream_conns_peak", "conns")                                         \
    X(UPSTREAM_CONNS_MEAN, "upstream_conns_mean", "conns")                                         \
    X(POOL_CONNS_PEAK, "pool_conns_peak", "conns")                                                 \
    X(UPSTREAM_CONNECTS_PER_S, "upstream_connects_per_s", "1/s")                                   \
    X(UPSTREAM_CONNS_LEAKED, "upstream_conns_leaked", "conns")                                     \
    X(TIME_WAIT_PEAK, "time_wait_peak", "sockets")                                                 \
    X(POOL_WAITERS_PEAK, "pool_waiters_peak", "requests")                                          \
    X(POOL_WAIT_PROB, "pool_wait_prob", "1")                                                       \
    X(POOL_WAIT_MEAN_S, "pool_wait_mean_s", "s")                                                   \
    X(POOL_WAIT_P99_S, "pool_wait_p99_s", "s")                                                     \
    X(BUFFERS_IN_USE_PEAK, "buffers_in_use_peak", "buffers")                                       \
    X(BUFFER_POOL_HIT_RATE, "buffer_pool_hit_rate", "1")                                           \
    X(BUFFERS_LEAKED, "buffers_leaked", "buffers")                                                 \
    X(QUEUED_BYTES_PEAK, "queued_bytes_peak", "B")                                                 \
    X(SESSIONS_LIVE_PEAK, "sessions_live_peak", "sessions")                                        \
    X(SESSIONS_LIVE_MEAN, "sessions_live_mean", "sessions")                                        \
    X(SESSIONS_CREATED_PER_S, "sessions_created_per_s", "1/s")                                     \
    X(SESSIONS_EVICTED_PER_S, "sessions_evicted_per_s", "1/s")                                     \
    X(SESSIONS_LEAKED, "sessions_leaked", "sessions")                                              \
    X(SSE_STREAMS_LIVE_PEAK, "sse_streams_live_peak", "streams")                                   \
    X(SSE_EVENT_LATENCY_P99_S, "sse_event_latency_p99_s", "s")                                     \
    X(SSE_EVENTS_DROPPED, "sse_events_dropped", "events")                                          \
    X(SSE_QUEUED_BYTES_PEAK, "sse_queued_bytes_peak", "B")                                         \
    X(MEMORY_BYTES_PEAK, "memory_bytes_peak", "B")                                                 \
    X(MEMORY_BYTES_MEAN, "memory_bytes_mean", "B")                                                 \
    X(MEMORY_GROWTH_BYTES_PER_S, "memory_growth_bytes_per_s", "B/s")                               \
    X(SSE_MEMORY_GROWTH_BYTES_PER_S, "sse_memory_growth_bytes_per_s", "B/s")                       \
    X(CPU_UTILIZATION, "cpu_utilization", "1")                                                     \
    X(SSE_EVENTS_LOST_ON_RECONNECT, "sse_events_lost_on_reconnect", "events")                      \
    X(SSE_RECONNECTS, "sse_reconnects", "reconnects")                                              \
    X(SSE_RECONNECT_ATTEMPTS, "sse_reconnect_attempts", "attempts")                                \
    X(SSE_RECONNECT_ATTEMPTS_PEAK_PER_S, "sse_reconnect_attempts_peak_per_s", "1/s")               \
    X(SSE_RECOVERY_TIME_S, "sse_recovery_time_s", "s")                                             \
    X(SSE_EVENTS_REPLAYED, "sse_events_replayed", "events")                                        \
    X(SSE_GAVE_UP, "sse_gave_up", "streams")                                                       \
    X(EVENT_TRACKER_BYTES_PEAK, "event_tracker_bytes_peak", "B")                                   \
    X(SSE_MEMORY_PER_STREAM_BYTES, "sse_memory_per_stream_bytes", "B")                             \
    X(SSE_STREAM_QUEUED_BYTES_PEAK, "sse_stream_queued_bytes_peak", "B")                           \
    X(SSE_EVENTS_DROPPED_PER_STREAM, "sse_events_dropped_per_stream", "events")                    \
    X(SSE_PERSIST_TIMEOUTS, "sse_persist_timeouts", "events")                                      \
    X(SSE_PERSIST_DROPPED, "sse_persist_dropped", "events")                                        \
    X(SSE_EVENTS, "sse_events", "events")                                                          \
    X(SESSION_TASKS_PEAK, "session_tasks_peak", "tasks")                                           \
    X(DEGRADED_TIME_SHARE, "degraded_time_share", "1")                                             \
    X(ESSENTIAL_TIME_SHARE, "essential_time_share", "1")                                           \
    X(PROTECTIVE_TIME_SHARE, "protective_time_share", "1")                                         \
    X(STOPPED, "stopped", "1")

enum results_metric {
#define RESULTS_METRIC_ENUM(id, name, unit) RM_##id,
    RESULTS_METRICS(RESULTS_METRIC_ENUM)
#undef RESULTS_METRIC_ENUM
        RM_N
};

/* Level series, window means on the profile's grid. */
#define RESULTS_SERIES(X)                                                                          \
    X(TASKS_LIVE, "tasks_live", "tasks")                                                           \
    X(CLIENT_CONNS, "client_conns", "conns")                                                       \
    X(UPSTREAM_CONNS, "upstream_conns", "conns")                                                   \
    X(TIME_WAIT, "time_wait", "sockets")                                                           \
    X(POOL_WAITERS, "pool_waiters", "requests")                                                    \
    X(BUFFERS_IN_USE, "buffers_in_use", "buffers")                                                 \
    X(QUEUED_BYTES, "queued_bytes", "B")                                                           \
    X(SESSIONS_LIVE, "sessions_live", "sessions")                                                  \
    X(SSE_STREAMS, "sse_streams", "streams")                                                       \
    X(CPU_BUSY, "cpu_busy", "workers")                                                             \
    X(THROUGHPUT, "throughput_per_s", "1/s")                                                       \
    X(ERRORS, "errors_per_s", "1/s")                                                               \
    X(MEMORY, "memory_bytes", "B")                                                                 \
    X(MEM_TASKS, "mem_tasks_bytes", "B")                                                           \
    X(MEM_CLIENT_CONNS, "mem_client_conns_bytes", "B")                                             \
    X(MEM_UPSTREAM_CONNS, "mem_upstream_conns_bytes", "B")                                         \
    X(MEM_SESSIONS, "mem_sessions_bytes", "B")                                                     \
    X(MEM_BUFFERS, "mem_buffers_bytes", "B")                                                       \
    X(MEM_QUEUED, "mem_queued_bytes", "B")                                                         \
    X(MEM_STREAMS, "mem_streams_bytes", "B")                                                       \
    X(MEM_TRACKER, "mem_tracker_bytes", "B")                                                       \
    X(SSE_RECONNECT_ATTEMPTS, "sse_reconnect_attempts_per_s", "1/s")                              \
    X(SPAWNS, "tasks_spawned_per_s", "1/s")                                                      \
    X(OFFERED, "offered_per_s", "1/s")

enum results_series {
#define RESULTS_SERIES_ENUM(id, name, unit) RS_##id,
    RESULTS_SERIES(RESULTS_SERIES_ENUM)
#undef RESULTS_SERIES_ENUM
        RS_N
};

struct results_info {
    const char *name;
    const char *unit;
};

extern const struct results_info results_metrics[RM_N];
extern const struct results_info results_series[RS_N];

/* Spawn sites, in the order of enum task_site (models/tasks.h): per site, the steady-state
 * mean of live tasks and the spawn rate, so a report can say which site dominates. */
#define RESULTS_SITES(X)                                                                           \
    X(CONN, "connection")                                                                          \
    X(REQUEST, "request")                                                                          \
    X(STREAM, "stream")                                                                            \
    X(EVENT, "event")                                                                              \
    X(RELEASE, "pool release")                                                                     \
    X(UPSTREAM_CONN, "upstream conn driver")                                                       \
    X(BACKGROUND, "background")

enum results_site {
#define RESULTS_SITE_ENUM(id, name) RSITE_##id,
    RESULTS_SITES(RESULTS_SITE_ENUM)
#undef RESULTS_SITE_ENUM
        RSITE_N
};

extern const char *const results_site_names[RSITE_N];

#define RESULTS_FINDING_MAX 256

struct rep_result {
    double metric[RM_N];
    double t0_s, dt_s;
    size_t n_steps;
    double *series; /* RS_N x n_steps, series-major: series[k * n_steps + i] */
    struct sim_loghist latency;
    bool stopped;
    double stopped_at_s;
    char finding[RESULTS_FINDING_MAX];
    uint64_t n_events;
    uint64_t n_requests; /* requests finished, ok or not, whole run */
    uint64_t n_arrivals; /* client connections opened by the open-loop source, whole run */
    double site_live_mean[RSITE_N];     /* steady part */
    double site_spawned_per_s[RSITE_N]; /* steady part */
};

void results_rep_init(struct rep_result *r, double t0_s, double dt_s, size_t n_steps);
void results_rep_fini(struct rep_result *r);

struct exp_summary {
    size_t n_reps;
    double confidence;
    struct sim_ci metric[RM_N];
    double t0_s, dt_s;
    size_t n_steps;
    struct sim_ci *series; /* RS_N x n_steps */
    struct sim_loghist latency; /* merged */
    size_t n_stopped;
    char finding[RESULTS_FINDING_MAX]; /* the first stopped replication's */
    uint64_t n_events, n_requests, n_arrivals;
    struct sim_ci site_live_mean[RSITE_N], site_spawned_per_s[RSITE_N];
};

/* Summarises n replications (same grid) with Student-t CIs at confidence conf. */
/* The values a metric of this unit can take: [0, 1] for a share ("1"), any
 * for a growth slope ("B/s"), [0, inf) for the rest. */
void results_unit_range(const char *unit, double *lo, double *hi);
/* Clips a CI's bounds to results_unit_range: at least 0, and at most 1 for a
 * share ("1"); a slope ("B/s") keeps both.  The mean and
 * the half-width (the t interval's, for relative-precision targets) stay. */
void results_clip_ci(const char *unit, struct sim_ci *ci);
void results_summarize(const struct rep_result *reps, size_t n, double conf,
                       struct exp_summary *out);
void results_summary_fini(struct exp_summary *s);
/* Index of a metric by its stable name, or -1. */
int results_metric_find(const char *name);
/* The length of the longest metric name: the first column of a terminal table. */
int results_metric_name_width(void);
/* error_rate_rejected's parts, one per limit that refuses: terminal tables
 * leave out the parts that are 0 everywhere. */
static inline bool results_metric_is_refusal_part(int m)
{
    return m >= RM_ERROR_RATE_REJECTED_CONNS && m <= RM_ERROR_RATE_REJECTED_SLOW_CLIENT;
}
/* The part of error_rate_rejected with the largest mean, or -1 when none is
 * above zero: which limit refused most. */
int results_top_refusal_part(const struct exp_summary *s);

#endif
