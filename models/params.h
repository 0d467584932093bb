/* SPDX-License-Identifier: MIT
 *
 * params.h - the typed, validated parameters of a run: a traffic profile, a
 * proxy design, and the scenario that pairs them.
 *
 * This is the contract between the config loader (models/config.c, the only
 * code that sees YAML) and the models: the loader fills these structs with
 * units already resolved (seconds, bytes, per second) and every value checked;
 * the models read them through const pointers and never see a key string.
 * docs/CONFIG.md documents every field under its YAML key.
 *
 * Conventions: `_s` seconds, `_bytes` bytes, `_per_s` rates, `_p` a
 * probability.  A limit that can be absent is a double holding INFINITY
 * (`unlimited` or `null` in YAML).  Counts that are plain numbers are
 * doubles too when they may be unlimited.  Distributions are struct sim_dist
 * (empirical samples are owned by the loaded config and freed with it).
 *
 * Ownership: a struct experiment and everything it points to belongs to
 * whoever called config_load; config_free releases it.  Models copy nothing
 * and keep const pointers for the length of a replication.
 */
#ifndef MODELS_PARAMS_H
#define MODELS_PARAMS_H

#include "sim/dist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARAMS_NAME_MAX 64
#define PARAMS_TEXT_MAX 256

/* ---- time-varying values ---- */

/* A piecewise schedule: value[i] holds from at_s[i]; with ramp_s[i] > 0 the
 * change from the previous value is linear over [at_s[i], at_s[i] + ramp_s[i]]. */
struct schedule_point {
    double at_s;
    double value;
    double ramp_s;
};

struct schedule {
    size_t n; /* 0: the schedule is absent */
    struct schedule_point *pts;
};

double schedule_value(const struct schedule *sch, double t_s);
double schedule_max(const struct schedule *sch);
/* The instant of the schedule's last change: the latest at_s + ramp_s (0 for
 * an absent or constant schedule); the value holds from then on. */
double schedule_settled_s(const struct schedule *sch);

/* ---- traffic profile ---- */

enum arrival_kind {
    ARRIVALS_POISSON, /* open loop: connections arrive at rate_per_s(t) */
    ARRIVALS_ONOFF,   /* open loop, bursty: MMPP-2 alternating on/off periods */
    ARRIVALS_CLOSED,  /* closed loop: clients(t) clients, each with think time */
    ARRIVALS_TRACE,   /* replay of recorded arrival instants */
};

/* What a client connection asks for. */
struct request_mix {
    double post_json_p; /* POST answered with one JSON body */
    double post_sse_p;  /* POST answered with an SSE stream (pull) */
    double get_sse_p;   /* GET SSE stream (push, long-lived) */
};

struct sse_traffic {
    struct sim_dist lifetime_s;     /* how long a client keeps a GET stream */
    struct sim_dist event_gap_s;    /* upstream inter-event time per stream */
    struct sim_dist event_bytes;    /* size of one event */
    struct sim_dist post_events;    /* events in a POST-answered-with-SSE response */
    double fanout_rate_per_s;       /* correlated bursts: notification fan-outs per second */
    double fanout_share_p;          /* share of live streams that each fan-out reaches */
    struct sim_dist drain_bytes_per_s; /* client drain rate of a normal client */
    double slow_client_p;           /* share of very slow clients */
    struct sim_dist slow_drain_bytes_per_s;
    double client_drop_rate_per_s;  /* network drops per live stream per second */
};

struct fault_profile {
    double upstream_error_p;     /* a request fails upstream (5xx) */
    double latency_spike_p;      /* a request's service time is multiplied ... */
    double latency_spike_factor; /* ... by this */
    double stall_at_s;           /* upstream stops answering at this instant (INFINITY: never) */
    double stall_s;              /* for this long */
    double restart_at_s;         /* upstream restarts: every connection drops (INFINITY: never) */
    double restart_down_s;       /* and connections are refused for this long */
};

struct traffic_trace {
    char path[PARAMS_TEXT_MAX];
    char column[PARAMS_NAME_MAX];
    double rate_factor; /* 3.0 replays at three times the rate */
    bool loop;
    double *t_s; /* loaded arrival instants, sorted; owned by the config */
    size_t n;
};

struct profile {
    char name[PARAMS_NAME_MAX];
    char description[PARAMS_TEXT_MAX];
    double duration_s; /* simulated time of one replication */
    double warmup_s;   /* discarded from steady-state metrics (0 with MSER-5 below) */
    bool warmup_mser5; /* detect the warm-up with MSER-5 instead of warmup_s */
    double sample_dt_s; /* time-series grid */
    bool transient;     /* terminating: no warm-up, no steady-state slope (burst) */

    enum arrival_kind arrivals;
    struct schedule rate_per_s;  /* open loop: new client connections per second */
    double on_mean_s, off_mean_s; /* on/off: mean period lengths */
    double off_rate_factor;       /* on/off: rate during off = rate * factor */
    struct schedule clients;      /* closed loop: population */
    struct sim_dist think_s;      /* closed loop: think time between requests */
    struct traffic_trace trace;

    struct sim_dist requests_per_conn; /* keep-alive: requests before the client closes */
    struct request_mix mix;
    struct sim_dist request_bytes;
    struct sim_dist response_bytes;
    struct sim_dist upstream_service_s; /* upstream time to answer one request */
    double session_reuse_p;             /* a request reuses its connection's session id */
    bool session_ids_uuid;              /* false: the upstream hands out non-UUID ids */

    struct sse_traffic sse;
    struct fault_profile faults;
};

/* When the offered load stops changing: the last change of the client
 * population (closed loop) or of the connection rate (open loop, on/off
 * included: its periods are stationary); 0 for a trace, which has no
 * schedule.  Growth while the load still ramps up is the load, not a leak. */
double profile_load_settled_s(const struct profile *pf);
/* Where memory_growth_bytes_per_s's fit starts: after the warm-up and after
 * profile_load_settled_s (docs/MODELS.md); it ends with the run. */
double profile_growth_from_s(const struct profile *pf);
/* The series windows [*from, *to) the growth fit reads, windows of dt_s:
 * from the later of warm_s and profile_load_settled_s to end_s.  proxy_collect
 * passes the replication's own warm-up and end, the report the profile's. */
void profile_growth_windows(const struct profile *pf, double warm_s, double end_s, double dt_s,
                            size_t *from, size_t *to);

/* ---- proxy design ---- */

enum client_scope {
    SCOPE_SHARED,      /* one client (and pool) per process */
    SCOPE_PER_REQUEST, /* a new client per request: its pool dies with the request */
    SCOPE_PER_STREAM,  /* a new client per SSE stream */
};

enum exhaustion_policy {
    EXHAUST_WAIT,        /* wait for a connection, up to acquire_timeout_s */
    EXHAUST_FAIL_FAST,   /* fail the request at once */
    EXHAUST_OPEN_BEYOND, /* open an extra connection beyond max_conns */
};

enum full_policy {
    FULL_BLOCK,       /* the producer waits (backpressure reaches the upstream) */
    FULL_DROP_NEWEST, /* the new message is dropped */
    FULL_DROP_OLDEST, /* the oldest queued message is dropped */
    FULL_DISCONNECT,  /* the slow consumer is disconnected */
};

enum jitter_kind { JITTER_NONE, JITTER_FULL, JITTER_EQUAL, JITTER_DECORRELATED, JITTER_PROPORTIONAL };

enum reconnect_kind { RECONNECT_NONE, RECONNECT_IMMEDIATE, RECONNECT_FIXED, RECONNECT_EXPONENTIAL };

enum persistence_kind {
    PERSIST_NONE,
    PERSIST_TASK_PER_EVENT, /* a spawned task per event with an id */
    PERSIST_WORKER,         /* one worker behind a bounded channel */
};

enum tracker_scope { TRACKER_NONE, TRACKER_PER_STREAM, TRACKER_PER_SESSION };

enum eviction_policy { EVICT_LRU, EVICT_REJECT };

enum disconnect_detection { DETECT_IMMEDIATE, DETECT_ON_NEXT_WRITE };

enum body_mode { BODY_STREAM, BODY_COLLECT };

/* CPU cost of each piece of work, run on an executor worker. */
struct cpu_costs {
    double accept_s;         /* accept + TLS-less handshake of a client connection */
    double parse_base_s;     /* JSON parse of a request, fixed part */
    double parse_per_kib_s;  /* ... and per KiB of body */
    double interceptor_s;    /* interceptor chain per message */
    double forward_s;        /* build and send the upstream request */
    double sse_event_s;      /* parse + format one SSE event */
    double session_lookup_s; /* session store work per request (besides the lock) */
};

struct executor_params {
    unsigned workers;           /* W runtime worker threads */
    double blocking_threads;    /* blocking pool size */
    double blocking_queue_max;  /* blocking pool queue (INFINITY: unbounded) */
    double blocking_work_s;     /* time each POST holds a blocking thread (0: none) */
    struct cpu_costs cpu;
};

/* One place where the proxy spawns tasks. */
struct spawn_site {
    bool enabled;
    double max_live;    /* semaphore bound on live tasks of this site (INFINITY: unbounded) */
    double lifetime_s;  /* for fire-and-forget tasks (per event, per release): how long one lives */
};

struct spawn_params {
    struct spawn_site per_conn;       /* server connection task */
    struct spawn_site per_request;    /* handler task per request */
    struct spawn_site per_stream;     /* SSE GET: keepalive + pump (2 tasks) */
    struct spawn_site per_event;      /* fire-and-forget task per SSE event (persistence) */
    struct spawn_site per_release;    /* task per pool release */
    struct spawn_site per_upstream_conn; /* connection driver task per upstream connection */
    double max_tasks;                 /* global cap (INFINITY: none) */
    double max_tasks_per_session;     /* live tasks one session may hold (INFINITY: none) */
};

/* The degradation ladder: the proxy sheds classes of new work as its load
 * (the fullest of its finite limits, as a fraction) crosses each threshold. */
struct degradation_params {
    bool enabled;
    double degraded_at;   /* new GET SSE streams refused (INFINITY: never) */
    double essential_at;  /* ... and POSTs answered with SSE: plain JSON-RPC only */
    double protective_at; /* new connections refused too (admitted ones keep JSON-RPC) */
};

struct server_params {
    double max_client_conns;  /* admission: connections over this are refused (503) */
    double max_inflight;      /* admission: requests in flight over this get 503 */
    double request_timeout_s; /* whole-request timeout (INFINITY: none) */
    double body_limit_bytes;
    bool rate_limit;
    double rate_limit_per_s;  /* token bucket (429 when empty) */
    double rate_limit_burst;
    double max_memory_bytes;  /* admission: at or over this modelled memory, 503 (INFINITY: none) */
    struct degradation_params degradation;
};

struct upstream_params {
    enum client_scope scope;
    double max_conns;          /* per pool (INFINITY: unlimited) */
    double max_idle;           /* idle connections kept per pool */
    double idle_timeout_s;
    double max_lifetime_s;
    double connect_s;          /* TCP connect cost */
    double tls_s;              /* TLS handshake cost (0: plain) */
    bool http2;
    double max_streams_per_conn; /* HTTP/2 multiplexing (1 for HTTP/1.1) */
    double acquire_timeout_s;
    enum exhaustion_policy on_exhausted;
    double connect_timeout_s;
    double request_timeout_s;
    double time_wait_s;        /* TIME_WAIT after the proxy closes a connection */
    double ephemeral_ports;    /* local ports towards one upstream ip:port */
    enum body_mode response_body;
};

struct buffer_params {
    bool pooled;
    double http_bytes;      /* nominal size of an HTTP body buffer */
    double sse_bytes;       /* nominal size of an SSE parse/format buffer */
    double retained;        /* buffers kept per pool */
    double keep_if_cap_le;  /* a returned buffer is kept only if capacity <= this x nominal */
    double per_conn_bytes;  /* unpooled buffers held per client connection */
};

struct channel_params {
    double capacity_msgs;   /* INFINITY: unbounded */
    double capacity_bytes;  /* INFINITY: unbounded */
    enum full_policy on_full;
    double send_timeout_s;  /* FULL_BLOCK: the producer gives up after this */
};

struct session_params {
    double max_sessions;
    double ttl_s;
    double cleanup_interval_s; /* INFINITY: the cleanup task never runs */
    enum eviction_policy on_full;
    double lock_read_s;        /* hold time of the shared store lock per read */
    double lock_write_s;       /* ... per write */
    double reads_per_request;
    double writes_per_request;
    bool remove_on_close;      /* deterministic cleanup when the client goes */
};

struct reconnect_params {
    enum reconnect_kind kind;
    double base_s;
    double cap_s;
    double multiplier;
    enum jitter_kind jitter;
    double jitter_factor;   /* JITTER_PROPORTIONAL: +- this share of the delay */
    double max_attempts;    /* INFINITY: forever */
    bool honour_retry_field;
    double retry_field_s;   /* the SSE retry: value the upstream sends (0: none) */
};

struct sse_params {
    double keepalive_s;        /* comment every K seconds (INFINITY: none) */
    double keepalive2_s;       /* a second keepalive source (axum's default) */
    enum disconnect_detection detect;
    enum client_scope upstream_scope;
    struct channel_params channel; /* pump -> client writer (GET streams) */
    struct reconnect_params client_reconnect;
    bool proxy_reconnects;     /* the proxy itself reconnects towards the upstream */
    struct reconnect_params proxy_reconnect;
    double replay_depth;       /* events the proxy can replay after Last-Event-ID */
    double idle_timeout_s;
    bool new_session_per_stream; /* a GET without a session id creates one */
};

struct tracker_params {
    enum tracker_scope scope;
    double max_ids;
    double id_bytes;
    double ttl_s;                /* time-based eviction (INFINITY: none) */
    bool retained_after_close;   /* a per-stream tracker outlives its stream (kept in a
                                  * store nothing cleans: grows with every reconnect) */
    enum persistence_kind persistence;
    double worker_capacity;      /* PERSIST_WORKER channel capacity */
    double worker_send_timeout_s;
    double worker_batch;
    double worker_flush_s;
};

struct memory_params {
    double base_bytes;
    double task_bytes;
    double client_conn_bytes;
    double upstream_conn_bytes;
    double session_bytes;
    double queued_msg_overhead_bytes;
    double stream_bytes;         /* per live SSE stream, besides buffers and queue */
};

/* Error paths that fail to release what they hold, with a probability. */
struct leak_params {
    double task_p;
    double upstream_conn_p;
    double buffer_p;
    double session_p;
};

/* Stops an unstable replication before it eats the machine. */
struct guard_params {
    double max_memory_bytes;  /* simulated memory */
    double max_pending_events;
    double max_wall_s;
};

struct design {
    char name[PARAMS_NAME_MAX];
    char description[PARAMS_TEXT_MAX];
    char base[PARAMS_NAME_MAX]; /* the design it inherits from ("" if none) */
    struct executor_params executor;
    struct spawn_params spawn;
    struct server_params server;
    struct upstream_params upstream;
    struct buffer_params buffers;
    struct session_params sessions;
    struct sse_params sse;
    struct tracker_params tracker;
    struct memory_params memory;
    struct leak_params leaks;
    struct guard_params guard;
};

/* ---- scenario: what to run ---- */

struct run_params {
    unsigned reps;
    uint64_t seed;
    unsigned threads; /* 0: all cores */
    double confidence; /* for CIs, e.g. 0.95 */
};

struct experiment {
    char name[PARAMS_NAME_MAX];
    char description[PARAMS_TEXT_MAX];
    struct profile profile;
    struct design design;
    struct run_params run;
};

#endif
