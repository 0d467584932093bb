/* SPDX-License-Identifier: MIT
 *
 * config.c - the YAML loader (the only file that includes <yaml.h>).
 *
 * How a load runs: a source (built-in or file) is read whole, checked for
 * binary data, parsed by libyaml's document loader (which keeps line and
 * column marks on every node), and walked against the key table below.  The
 * walk is schema-directed: it descends into a mapping only when the dotted
 * path so far is a section of some key, so its depth is bounded by the
 * table's and no YAML input (aliases included) can make it loop.  `base:` is
 * resolved first by loading the base into the same struct; the file's keys
 * then overwrite what differs.  Cross-field rules (the request mix sums to 1,
 * the arrival kind has what it needs, a trace file is read) run once, after
 * every file and override has been applied.
 *
 * Costs: one libyaml parse per file, O(keys) per key lookup (about 200 rows;
 * loading is not a hot path), and defaults are reapplied per load.
 */
/* realpath() is XSI, beyond the project-wide _POSIX_C_SOURCE. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include "models/config.h"
#include "models/samples.h"

#include "sim/check.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define CONFIG_MAX_DEPTH 16    /* base: chains */
#define CONFIG_MAX_FILES 24    /* distinct file names remembered for error locations */
#define CONFIG_PATH_MAX 160    /* longest dotted key path */
#define CONFIG_MAX_POINTS 100000
#define CONFIG_MAX_SAMPLES 10000000

enum ktype { KT_STR, KT_NUM, KT_UINT, KT_U64, KT_BOOL, KT_ENUM, KT_DIST, KT_SCHED };
enum kunit { U_NONE, U_TIME, U_SIZE, U_RATE, U_BYTERATE };
enum {
    KF_UNLIMITED = 1u << 0, /* `unlimited`/`null` is allowed and stored as INFINITY */
    KF_POS = 1u << 1,       /* strictly greater than lo */
    KF_INT = 1u << 2,       /* a whole number */
    KF_PATH = 1u << 3,      /* a file name, resolved against the YAML file's directory */
};

struct key {
    enum config_kind kind;
    const char *path;
    enum ktype type;
    size_t off, size;
    enum kunit unit;
    unsigned flags;
    double lo, hi;
    const char *const *names; /* KT_ENUM, NULL-terminated */
    const char *def;          /* default, in the config language */
    const char *doc;
};
/* ---- the key table ----
 *
 * One row per key.  Defaults are text in the config language itself, applied
 * through the same parser as a file, so the docs show exactly what a user
 * would write and a default can never bypass validation.  Rows of one
 * section must be contiguous: the printer opens a YAML block per section and
 * a section printed twice would reload as a duplicate key (a test checks). */

#define KEY(k_, st_, path_, type_, field_, unit_, flags_, lo_, hi_, def_, doc_)                    \
    {.kind = (k_), .path = (path_), .type = (type_), .off = offsetof(st_, field_),                \
     .size = sizeof(((st_ *)0)->field_), .unit = (unit_), .flags = (flags_), .lo = (lo_),        \
     .hi = (hi_), .def = (def_), .doc = (doc_)}
#define KEYE(k_, st_, path_, field_, names_, def_, doc_)                                           \
    {.kind = (k_), .path = (path_), .type = KT_ENUM, .off = offsetof(st_, field_),                \
     .size = sizeof(((st_ *)0)->field_), .names = (names_), .def = (def_), .doc = (doc_)}

#define P(path, type, field, unit, flags, lo, hi, def, doc)                                        \
    KEY(CONFIG_PROFILE, struct profile, path, type, field, unit, flags, lo, hi, def, doc)
#define PE(path, field, names, def, doc) KEYE(CONFIG_PROFILE, struct profile, path, field, names, def, doc)
#define D(path, type, field, unit, flags, lo, hi, def, doc)                                        \
    KEY(CONFIG_DESIGN, struct design, path, type, field, unit, flags, lo, hi, def, doc)
#define DE(path, field, names, def, doc) KEYE(CONFIG_DESIGN, struct design, path, field, names, def, doc)
#define S(path, type, field, unit, flags, lo, hi, def, doc)                                        \
    KEY(CONFIG_SCENARIO, struct experiment, path, type, field, unit, flags, lo, hi, def, doc)

#define INF INFINITY
/* Shorthands for the common shapes. */
#define PSTR(path, field, def, doc) P(path, KT_STR, field, U_NONE, 0, 0, 0, def, doc)
#define DSTR(path, field, def, doc) D(path, KT_STR, field, U_NONE, 0, 0, 0, def, doc)
#define PBOOL(path, field, def, doc) P(path, KT_BOOL, field, U_NONE, 0, 0, 1, def, doc)
#define DBOOL(path, field, def, doc) D(path, KT_BOOL, field, U_NONE, 0, 0, 1, def, doc)
#define PDUR(path, field, flags, def, doc) P(path, KT_NUM, field, U_TIME, flags, 0, INF, def, doc)
#define DDUR(path, field, flags, def, doc) D(path, KT_NUM, field, U_TIME, flags, 0, INF, def, doc)
#define PPROB(path, field, def, doc) P(path, KT_NUM, field, U_NONE, 0, 0, 1, def, doc)
#define DPROB(path, field, def, doc) D(path, KT_NUM, field, U_NONE, 0, 0, 1, def, doc)
#define DSIZE(path, field, flags, def, doc) D(path, KT_NUM, field, U_SIZE, flags, 0, INF, def, doc)
#define DCOUNT(path, field, flags, lo, def, doc)                                                   \
    D(path, KT_NUM, field, U_NONE, (flags) | KF_INT, lo, INF, def, doc)
#define PDIST(path, field, unit, def, doc) P(path, KT_DIST, field, unit, 0, 0, INF, def, doc)

/* A spawn site: three keys. */
#define SPAWN(nm_, fld_, en_, doc_)                                                                \
    DBOOL("spawn." nm_ ".enabled", spawn.fld_.enabled, en_, "the proxy spawns a task " doc_),     \
    DCOUNT("spawn." nm_ ".max_live", spawn.fld_.max_live, KF_UNLIMITED, 1, "unlimited",   \
           "semaphore bound on live tasks of this site; over it the work waits"),                  \
    DDUR("spawn." nm_ ".lifetime", spawn.fld_.lifetime_s, 0, "0s",                                 \
         "how long a fire-and-forget task of this site lives (0: as long as its work)")

/* A reconnect policy: nine keys. */
#define RECONNECT(pfx_, fld_, kind_, base_, cap_, mult_, jit_, jf_, maxa_, honour_, who_)          \
    DE(pfx_ ".kind", fld_.kind, reconnect_names, kind_, who_ " reconnect policy"),                 \
    DDUR(pfx_ ".base", fld_.base_s, 0, base_, "first reconnect delay"),                            \
    DDUR(pfx_ ".cap", fld_.cap_s, KF_UNLIMITED, cap_, "largest reconnect delay"),                  \
    D(pfx_ ".multiplier", KT_NUM, fld_.multiplier, U_NONE, 0, 1, 1000, mult_,                      \
      "exponential: delay grows by this factor per failed attempt"),                               \
    DE(pfx_ ".jitter", fld_.jitter, jitter_names, jit_, "randomisation of each delay"),            \
    DPROB(pfx_ ".jitter_factor", fld_.jitter_factor, jf_,                                          \
          "proportional jitter: +- this share of the delay"),                                      \
    DCOUNT(pfx_ ".max_attempts", fld_.max_attempts, KF_UNLIMITED, 0, maxa_,                        \
           "attempts before giving up"),                                                           \
    DBOOL(pfx_ ".honour_retry_field", fld_.honour_retry_field, honour_,                            \
          "the SSE `retry:` field sent by the upstream replaces base"),                            \
    DDUR(pfx_ ".retry_field", fld_.retry_field_s, 0, "0s",                                         \
         "the `retry:` value the upstream sends (0: none)")

static const char *const arrival_names[] = {"poisson", "onoff", "closed", "trace", NULL};
static const char *const scope_names[] = {"shared", "per_request", "per_stream", NULL};
static const char *const exhaust_names[] = {"wait", "fail_fast", "open_beyond", NULL};
static const char *const full_names[] = {"block", "drop_newest", "drop_oldest", "disconnect", NULL};
static const char *const jitter_names[] = {"none", "full", "equal", "decorrelated", "proportional",
                                           NULL};
static const char *const reconnect_names[] = {"none", "immediate", "fixed", "exponential", NULL};
static const char *const persist_names[] = {"none", "task_per_event", "worker", NULL};
static const char *const tracker_names[] = {"none", "per_stream", "per_session", NULL};
static const char *const evict_names[] = {"lru", "reject", NULL};
static const char *const detect_names[] = {"immediate", "on_next_write", NULL};
static const char *const body_names[] = {"stream", "collect", NULL};

/* The enums of params.h are stored through an int; this holds on every ABI we build for. */
_Static_assert(sizeof(enum arrival_kind) == sizeof(int), "enum size");
_Static_assert(sizeof(enum client_scope) == sizeof(int), "enum size");
_Static_assert(sizeof(enum full_policy) == sizeof(int), "enum size");

static const struct key keys[] = {
    /* ---- profile ---- */
    PSTR("name", name, "default", "short name, shown in tables and charts"),
    PSTR("description", description, "", "one line shown by `proxysim list`"),
    PDUR("duration", duration_s, KF_POS, "60s", "simulated time of one replication"),
    PDUR("warmup", warmup_s, 0, "10s", "discarded from steady-state metrics; less than duration"),
    PBOOL("warmup_mser5", warmup_mser5, "false",
          "detect the warm-up with MSER-5 instead of the fixed warmup: one pilot replication "
          "(own seed), the latest MSER-5 truncation of live tasks, client conns, memory and "
          "throughput, at most half the run"),
    PDUR("sample_dt", sample_dt_s, KF_POS, "1s", "time-series sampling grid"),
    PBOOL("transient", transient, "false",
          "a terminating run with no steady state (burst): needs warmup 0s, has no memory growth "
          "slope, and `run` shows each series' peak window with its CI"),
    PE("arrivals.kind", arrivals, arrival_names, "poisson",
       "arrival process: open-loop poisson, bursty onoff (MMPP-2), closed-loop clients, trace replay"),
    P("arrivals.rate", KT_SCHED, rate_per_s, U_RATE, 0, 0, INF, "10/s",
      "poisson/onoff: new client connections per second (schedule)"),
    PDUR("arrivals.on_mean", on_mean_s, KF_POS, "10s", "onoff: mean length of an on period"),
    PDUR("arrivals.off_mean", off_mean_s, KF_POS, "30s", "onoff: mean length of an off period"),
    P("arrivals.off_rate_factor", KT_NUM, off_rate_factor, U_NONE, 0, 0, 1, "0.1",
      "onoff: rate during off periods = rate x factor"),
    P("arrivals.clients", KT_SCHED, clients, U_NONE, KF_INT, 0, INF, "null",
      "closed: client population (schedule); required when kind is closed"),
    PDIST("arrivals.think", think_s, U_TIME, "{dist: exponential, mean: 1s}",
          "think time between a response and the next request on the same connection, open "
          "or closed loop (with requests_per_conn it sets how long a connection stays open); "
          "closed: also between a close and the next connect"),
    P("arrivals.trace.file", KT_STR, trace.path, U_NONE, KF_PATH, 0, 0, "",
         "trace: file of arrival instants (relative to the YAML file): seconds, ISO 8601 or access-log "
         "times, as `proxysim fit --arrivals` reads them; the replay starts at the first instant; "
         "required for trace"),
    PSTR("arrivals.trace.column", trace.column, "", "trace: CSV column (empty: `ts`, else the only column, else an access-log time in the line)"),
    P("arrivals.trace.rate_factor", KT_NUM, trace.rate_factor, U_NONE, KF_POS, 0, 1e6, "1",
      "trace: replay speed-up (3 replays at three times the rate)"),
    PBOOL("arrivals.trace.loop", trace.loop, "false", "trace: start over at the end (period: the span plus one mean gap)"),
    P("requests_per_conn", KT_DIST, requests_per_conn, U_NONE, 0, 0, INF, "10",
      "requests a client sends on one connection before closing it (rounded, at least 1)"),
    PPROB("mix.post_json", mix.post_json_p, "0.9", "share of POSTs answered with one JSON body"),
    PPROB("mix.post_sse", mix.post_sse_p, "0.05",
          "share of POSTs answered with an SSE stream (pull, backpressured)"),
    PPROB("mix.get_sse", mix.get_sse_p, "0.05",
          "share of GET SSE streams (push, long-lived); the three shares sum to 1"),
    PDIST("request_bytes", request_bytes, U_SIZE, "{dist: lognormal, mean: 1KiB, cv: 1}",
          "size of a request body"),
    PDIST("response_bytes", response_bytes, U_SIZE, "{dist: lognormal, mean: 4KiB, cv: 1.5}",
          "size of a JSON response body"),
    PDIST("upstream_service", upstream_service_s, U_TIME, "{dist: lognormal, mean: 20ms, cv: 1}",
          "upstream time to answer one request"),
    PPROB("session_reuse", session_reuse_p, "0.9",
          "a request reuses its connection's session id (else it opens a new session)"),
    PBOOL("session_ids_uuid", session_ids_uuid, "true",
          "the upstream hands out UUID session ids (false: a new session per request)"),
    PDIST("sse.lifetime", sse.lifetime_s, U_TIME, "{dist: exponential, mean: 60s}",
          "how long a client keeps a GET SSE stream open"),
    PDIST("sse.event_gap", sse.event_gap_s, U_TIME, "{dist: exponential, mean: 1s}",
          "upstream inter-event time on one stream"),
    PDIST("sse.event_bytes", sse.event_bytes, U_SIZE, "512B", "size of one SSE event"),
    P("sse.post_events", KT_DIST, sse.post_events, U_NONE, 0, 0, INF, "5",
      "events in a POST answered with SSE"),
    P("sse.fanout_rate", KT_NUM, sse.fanout_rate_per_s, U_RATE, 0, 0, INF, "0/s",
      "correlated bursts: notification fan-outs per second"),
    PPROB("sse.fanout_share", sse.fanout_share_p, "0",
          "share of live streams each fan-out reaches"),
    PDIST("sse.drain_rate", sse.drain_bytes_per_s, U_BYTERATE, "10MiB/s",
          "how fast a normal client reads its stream"),
    PPROB("sse.slow_client", sse.slow_client_p, "0", "share of very slow clients"),
    PDIST("sse.slow_drain_rate", sse.slow_drain_bytes_per_s, U_BYTERATE, "10KiB/s",
          "how fast a slow client reads its stream"),
    P("sse.client_drop_rate", KT_NUM, sse.client_drop_rate_per_s, U_RATE, 0, 0, INF, "0/s",
      "network drops per live stream per second (the client reconnects)"),
    PPROB("faults.upstream_error", faults.upstream_error_p, "0",
          "a request fails upstream (5xx)"),
    PPROB("faults.latency_spike", faults.latency_spike_p, "0",
          "a request's service time is multiplied by latency_spike_factor"),
    P("faults.latency_spike_factor", KT_NUM, faults.latency_spike_factor, U_NONE, 0, 1, 1e6, "10",
      "multiplier of a latency spike"),
    PDUR("faults.stall_at", faults.stall_at_s, KF_UNLIMITED, "never",
         "the upstream stops answering at this instant ('never': no stall)"),
    PDUR("faults.stall", faults.stall_s, 0, "0s", "how long the stall lasts"),
    PDUR("faults.restart_at", faults.restart_at_s, KF_UNLIMITED, "never",
         "the upstream restarts at this instant: every upstream connection and stream drops"),
    PDUR("faults.restart_down", faults.restart_down_s, 0, "5s",
         "after a restart, connections are refused for this long"),

    /* ---- design ---- */
    DSTR("name", name, "default", "short name, shown in tables and charts"),
    DSTR("description", description, "", "one line shown by `proxysim list`"),
    D("executor.workers", KT_UINT, executor.workers, U_NONE, 0, 1, 1024, "4",
      "runtime worker threads (tokio: one per core)"),
    DCOUNT("executor.blocking_threads", executor.blocking_threads, KF_UNLIMITED, 1, "512",
           "blocking pool size (tokio default 512)"),
    DCOUNT("executor.blocking_queue_max", executor.blocking_queue_max, KF_UNLIMITED, 0, "unlimited",
           "blocking pool queue; a POST that finds it full gets a 503"),
    DDUR("executor.blocking_work", executor.blocking_work_s, 0, "0s",
         "time each POST spends in spawn_blocking (a synchronous call), holding a blocking thread"),
    DDUR("executor.cpu.accept", executor.cpu.accept_s, 0, "20us", "CPU per accepted client connection"),
    DDUR("executor.cpu.parse_base", executor.cpu.parse_base_s, 0, "50us",
         "CPU to parse a JSON-RPC request, fixed part"),
    DDUR("executor.cpu.parse_per_kib", executor.cpu.parse_per_kib_s, 0, "5us",
         "CPU to parse a JSON-RPC request, per KiB of body"),
    DDUR("executor.cpu.interceptor", executor.cpu.interceptor_s, 0, "5us",
         "CPU of the interceptor chain per message (evaluated even when empty)"),
    DDUR("executor.cpu.forward", executor.cpu.forward_s, 0, "20us",
         "CPU to build and send the upstream request"),
    DDUR("executor.cpu.sse_event", executor.cpu.sse_event_s, 0, "10us",
         "CPU to parse and format one SSE event"),
    DDUR("executor.cpu.session_lookup", executor.cpu.session_lookup_s, 0, "2us",
         "CPU of session store work per request (besides the lock)"),
    SPAWN("per_conn", per_conn, "true", "per client connection (server connection task)"),
    SPAWN("per_request", per_request, "false", "per request (a handler task)"),
    SPAWN("per_stream", per_stream, "true", "pair per GET SSE stream (keepalive + pump)"),
    SPAWN("per_event", per_event, "false", "per SSE event (fire-and-forget persistence)"),
    SPAWN("per_release", per_release, "false", "per upstream pool release"),
    SPAWN("per_upstream_conn", per_upstream_conn, "true",
          "per upstream connection (hyper's connection driver)"),
    DCOUNT("spawn.max_tasks", spawn.max_tasks, KF_UNLIMITED, 1, "unlimited",
           "global cap on live tasks; a spawn over it is refused and its work fails (503); "
           "hyper's connection drivers and spawns already parked on a site's semaphore are not "
           "refused, so the peak may pass it by a few"),
    DCOUNT("spawn.max_tasks_per_session", spawn.max_tasks_per_session, KF_UNLIMITED, 1,
           "unlimited",
           "live tasks one session may hold (its request handler tasks, leaked ones included, and "
           "a GET stream's pump and keepalive); a request or stream over it is refused (503)"),
    DCOUNT("server.max_client_conns", server.max_client_conns, KF_UNLIMITED, 1, "unlimited",
           "admission control: connections over this are refused (503)"),
    DCOUNT("server.max_inflight", server.max_inflight, KF_UNLIMITED, 1, "unlimited",
           "admission control: requests in flight over this get 503"),
    DDUR("server.request_timeout", server.request_timeout_s, KF_UNLIMITED | KF_POS, "unlimited",
         "whole-request timeout (504)"),
    DSIZE("server.body_limit", server.body_limit_bytes, KF_UNLIMITED | KF_POS, "10MiB",
          "largest request body: a POST above it is refused (413, counted in "
          "error_rate_rejected_body, a part of error_rate_rejected); axum DefaultBodyLimit"),
    DBOOL("server.rate_limit", server.rate_limit, "false", "token-bucket rate limit (429 when empty)"),
    D("server.rate_limit_rate", KT_NUM, server.rate_limit_per_s, U_RATE, KF_POS, 0, INF, "100/s",
      "token refill rate"),
    DCOUNT("server.rate_limit_burst", server.rate_limit_burst, 0, 1, "20", "bucket size"),
    DSIZE("server.max_memory", server.max_memory_bytes, KF_UNLIMITED | KF_POS, "unlimited",
          "admission control: while modelled memory is at or over this, new connections and "
          "requests are refused (503)"),
    DBOOL("server.degradation.enabled", server.degradation.enabled, "false",
          "degradation ladder: shed classes of new work as the load (the fullest finite limit, "
          "as a fraction) rises"),
    D("server.degradation.degraded_at", KT_NUM, server.degradation.degraded_at, U_NONE,
      KF_POS | KF_UNLIMITED, 0, 1, "0.8", "load from which new GET SSE streams are refused"),
    D("server.degradation.essential_at", KT_NUM, server.degradation.essential_at, U_NONE,
      KF_POS | KF_UNLIMITED, 0, 1, "0.9",
      "load from which POSTs answered with SSE are refused too (plain JSON-RPC only)"),
    D("server.degradation.protective_at", KT_NUM, server.degradation.protective_at, U_NONE,
      KF_POS | KF_UNLIMITED, 0, 1, "0.95",
      "load from which new client connections are refused too (JSON-RPC POSTs on admitted "
      "connections are still served)"),
    DE("upstream.scope", upstream.scope, scope_names, "shared",
       "lifetime of the upstream HTTP client and its pool: per process, per request, per stream"),
    DCOUNT("upstream.max_conns", upstream.max_conns, KF_UNLIMITED, 1, "unlimited",
           "connections per pool"),
    DCOUNT("upstream.max_idle", upstream.max_idle, KF_UNLIMITED, 0, "unlimited",
           "idle connections kept per pool (hyper pool_max_idle_per_host)"),
    DDUR("upstream.idle_timeout", upstream.idle_timeout_s, KF_UNLIMITED, "90s",
         "an idle connection is closed after this (hyper pool_idle_timeout)"),
    DDUR("upstream.max_lifetime", upstream.max_lifetime_s, KF_UNLIMITED | KF_POS, "unlimited",
         "a connection is retired at this age"),
    DDUR("upstream.connect", upstream.connect_s, 0, "1ms", "TCP connect cost (one round trip)"),
    DDUR("upstream.tls", upstream.tls_s, 0, "0s", "TLS handshake cost (0: plain TCP)"),
    DBOOL("upstream.http2", upstream.http2, "false", "HTTP/2: several requests share a connection"),
    DCOUNT("upstream.max_streams_per_conn", upstream.max_streams_per_conn, KF_UNLIMITED, 1,
           "1",
           "concurrent requests per connection (1 for HTTP/1.1; more than 1 with http2: true)"),
    DDUR("upstream.acquire_timeout", upstream.acquire_timeout_s, KF_UNLIMITED, "unlimited",
         "wait policy: a request waiting for a pool slot fails after this"),
    DE("upstream.on_exhausted", upstream.on_exhausted, exhaust_names, "wait",
       "what a request does when the pool is at max_conns"),
    DDUR("upstream.connect_timeout", upstream.connect_timeout_s, KF_UNLIMITED | KF_POS, "unlimited",
         "an upstream connect fails after this"),
    DDUR("upstream.request_timeout", upstream.request_timeout_s, KF_UNLIMITED | KF_POS, "unlimited",
         "an upstream request fails after this"),
    DDUR("upstream.time_wait", upstream.time_wait_s, 0, "60s",
         "TIME_WAIT after the proxy closes a connection (holds a local port)"),
    DCOUNT("upstream.ephemeral_ports", upstream.ephemeral_ports, KF_UNLIMITED, 1, "28232",
           "local ports towards one upstream ip:port (Linux 32768-60999)"),
    DE("upstream.response_body", upstream.response_body, body_names, "collect",
       "stream the upstream body through, or collect it in memory first"),
    DBOOL("buffers.pooled", buffers.pooled, "false", "body and SSE buffers come from a pool"),
    DSIZE("buffers.http", buffers.http_bytes, KF_POS, "16KiB", "nominal HTTP body buffer"),
    DSIZE("buffers.sse", buffers.sse_bytes, KF_POS, "8KiB", "nominal SSE parse/format buffer"),
    DCOUNT("buffers.retained", buffers.retained, KF_UNLIMITED, 0, "16", "buffers kept per pool"),
    D("buffers.keep_if_cap_le", KT_NUM, buffers.keep_if_cap_le, U_NONE, KF_UNLIMITED, 1, INF, "2",
      "a returned buffer is kept only if its capacity <= this x nominal"),
    DSIZE("buffers.per_conn", buffers.per_conn_bytes, 0, "8KiB",
          "unpooled buffers held by each client connection"),
    DCOUNT("sessions.max_sessions", sessions.max_sessions, KF_UNLIMITED, 1, "1000",
           "session store capacity"),
    DDUR("sessions.ttl", sessions.ttl_s, KF_UNLIMITED | KF_POS, "300s",
         "an idle session expires after this: a lookup no longer finds it, but only the "
         "cleanup sweep frees it (without cleanup_interval expired sessions stay in memory)"),
    DDUR("sessions.cleanup_interval", sessions.cleanup_interval_s, KF_UNLIMITED | KF_POS,
         "unlimited", "period of the cleanup task ('unlimited': it never runs)"),
    DE("sessions.on_full", sessions.on_full, evict_names, "lru",
       "store full: evict the least recently used session, or reject the new one"),
    DDUR("sessions.lock_read", sessions.lock_read_s, 0, "1us", "hold time of the store lock per read"),
    DDUR("sessions.lock_write", sessions.lock_write_s, 0, "2us",
         "hold time of the store lock per write"),
    D("sessions.reads_per_request", KT_NUM, sessions.reads_per_request, U_NONE, 0, 0, 1000, "1",
      "store reads per request"),
    D("sessions.writes_per_request", KT_NUM, sessions.writes_per_request, U_NONE, 0, 0, 1000, "1",
      "store writes per request"),
    DBOOL("sessions.remove_on_close", sessions.remove_on_close, "false",
          "deterministic cleanup: a session is removed when its client goes"),
    DDUR("sse.keepalive", sse.keepalive_s, KF_UNLIMITED | KF_POS, "30s",
         "keepalive comment period on GET streams"),
    DDUR("sse.keepalive2", sse.keepalive2_s, KF_UNLIMITED | KF_POS, "15s",
         "a second keepalive source (axum KeepAlive::default)"),
    DE("sse.detect", sse.detect, detect_names, "on_next_write",
       "when the proxy notices a client has gone"),
    DE("sse.upstream_scope", sse.upstream_scope, scope_names, "per_stream",
       "upstream client used by GET streams"),
    DCOUNT("sse.channel.capacity_msgs", sse.channel.capacity_msgs, KF_UNLIMITED, 1,
           "unlimited", "pump -> client writer channel capacity in messages"),
    DSIZE("sse.channel.capacity_bytes", sse.channel.capacity_bytes, KF_UNLIMITED | KF_POS,
          "unlimited", "... and in bytes"),
    DE("sse.channel.on_full", sse.channel.on_full, full_names, "block", "policy when the channel is full"),
    DDUR("sse.channel.send_timeout", sse.channel.send_timeout_s, KF_UNLIMITED, "unlimited",
         "block: the producer gives up after this"),
    RECONNECT("sse.client_reconnect", sse.client_reconnect, "fixed", "3s", "3s", "1", "none", "0",
              "unlimited", "true", "client (EventSource)"),
    DBOOL("sse.proxy_reconnects", sse.proxy_reconnects, "false",
          "the proxy itself reconnects towards the upstream when a stream breaks"),
    RECONNECT("sse.proxy_reconnect", sse.proxy_reconnect, "exponential", "1s", "60s", "2",
              "proportional", "0.1", "5", "true", "proxy -> upstream"),
    DCOUNT("sse.replay_depth", sse.replay_depth, KF_UNLIMITED, 0, "0",
           "events the proxy can replay after Last-Event-ID"),
    DDUR("sse.idle_timeout", sse.idle_timeout_s, KF_UNLIMITED | KF_POS, "unlimited",
         "a stream with no event for this long is closed"),
    DBOOL("sse.new_session_per_stream", sse.new_session_per_stream, "true",
          "a GET without a session id creates a session"),
    DE("tracker.scope", tracker.scope, tracker_names, "per_stream",
       "event-id tracker for Last-Event-ID: none, per stream, per session"),
    DCOUNT("tracker.max_ids", tracker.max_ids, KF_UNLIMITED, 0, "1000", "ids kept per tracker"),
    DSIZE("tracker.id_bytes", tracker.id_bytes, 0, "64B", "memory per tracked id"),
    DDUR("tracker.ttl", tracker.ttl_s, KF_UNLIMITED | KF_POS, "unlimited", "time-based eviction of ids"),
    DBOOL("tracker.retained_after_close", tracker.retained_after_close, "false",
          "a per-stream tracker outlives its stream (nothing cleans it up)"),
    DE("tracker.persistence", tracker.persistence, persist_names, "task_per_event",
       "how tracked events are persisted: not at all, a task per event, one worker"),
    DCOUNT("tracker.worker_capacity", tracker.worker_capacity, KF_UNLIMITED, 1, "1000",
           "worker: channel capacity"),
    DDUR("tracker.worker_send_timeout", tracker.worker_send_timeout_s, KF_UNLIMITED, "100ms",
         "worker: a send gives up after this (the event is dropped)"),
    DCOUNT("tracker.worker_batch", tracker.worker_batch, 0, 1, "50", "worker: events per batch"),
    DDUR("tracker.worker_flush", tracker.worker_flush_s, KF_POS, "100ms", "worker: flush period"),
    DSIZE("memory.base", memory.base_bytes, 0, "50MB", "resident memory of an idle proxy"),
    DSIZE("memory.task", memory.task_bytes, 0, "4KiB", "per live task"),
    DSIZE("memory.client_conn", memory.client_conn_bytes, 0, "768B",
          "per client connection (besides buffers)"),
    DSIZE("memory.upstream_conn", memory.upstream_conn_bytes, 0, "16KiB", "per upstream connection"),
    DSIZE("memory.session", memory.session_bytes, 0, "10KiB", "per live session"),
    DSIZE("memory.queued_msg_overhead", memory.queued_msg_overhead_bytes, 0, "64B",
          "per queued message, besides its payload"),
    DSIZE("memory.stream", memory.stream_bytes, 0, "2KiB",
          "per live SSE stream, besides buffers and queue"),
    DPROB("leaks.task", leaks.task_p, "0", "an error path leaks its task"),
    DPROB("leaks.upstream_conn", leaks.upstream_conn_p, "0", "an error path leaks its upstream connection"),
    DPROB("leaks.buffer", leaks.buffer_p, "0", "an error path leaks its buffer"),
    DPROB("leaks.session", leaks.session_p, "0", "an error path leaks its session"),
    DSIZE("guard.max_memory", guard.max_memory_bytes, KF_UNLIMITED | KF_POS, "16GiB",
          "a replication stops when simulated memory exceeds this"),
    DCOUNT("guard.max_pending_events", guard.max_pending_events, KF_UNLIMITED, 1, "10000000",
           "... or the event queue exceeds this"),
    DDUR("guard.max_wall", guard.max_wall_s, KF_UNLIMITED | KF_POS, "120s",
         "... or it has run this long in wall-clock time"),

    /* ---- scenario ---- */
    S("name", KT_STR, name, U_NONE, 0, 0, 0, "", "short name (default: the file name)"),
    S("description", KT_STR, description, U_NONE, 0, 0, 0, "", "one line shown by `proxysim list`"),
    S("run.reps", KT_UINT, run.reps, U_NONE, 0, 1, 100000, "10", "independent replications"),
    S("run.seed", KT_U64, run.seed, U_NONE, 0, 0, 0, "1", "master seed; every stream derives from it"),
    S("run.threads", KT_UINT, run.threads, U_NONE, 0, 0, 1024, "0", "worker threads (0: all cores)"),
    S("run.confidence", KT_NUM, run.confidence, U_NONE, 0, 0.5, 0.9999, "0.95",
      "confidence level of every interval"),
};

#define N_KEYS (sizeof keys / sizeof keys[0])

/* ---- load state ---- */

struct where {
    int file; /* index into load.files; -1: never set from a file */
    int line, col;
};

/* Everything one public call needs; lives on its stack. */
struct load {
    struct sim_err *err;
    char files[CONFIG_MAX_FILES][512]; /* file names for error locations */
    int n_files;
    struct where locs[N_KEYS];         /* where each key was last set */
    int chain_file[CONFIG_MAX_DEPTH];  /* sources being loaded, outermost first */
    char chain_id[CONFIG_MAX_DEPTH][1024]; /* identities; longer paths are cut */
    int n_chain;
};

/* One parsed YAML text: a file, a built-in, a --set value or a default. */
struct doc {
    struct load *ld;
    int file;
    char dir[PATH_MAX]; /* relative paths resolve here ("": the working directory) */
    yaml_document_t *y;
    int col_offset;     /* --set: where the value starts in the assignment */
    unsigned char seen[N_KEYS]; /* keys set by this document: a second one is a duplicate */
};

/* Who named a source, for errors about it. */
struct ref {
    struct doc *d;
    const yaml_node_t *node;
    const char *key;
};

/* A scenario needs a profile and a design from somewhere. */
struct scen {
    bool have_profile, have_design;
    struct where where; /* the scenario's root, for "missing required key" */
};

static void load_init(struct load *ld, struct sim_err *err)
{
    memset(ld, 0, sizeof *ld);
    ld->err = err;
    for (size_t i = 0; i < N_KEYS; i++) {
        ld->locs[i].file = -1;
    }
    if (err) {
        sim_err_clear(err);
    }
}

static int intern_file(struct load *ld, const char *name)
{
    for (int i = 0; i < ld->n_files; i++) {
        if (strcmp(ld->files[i], name) == 0) {
            return i;
        }
    }
    /* Past capacity the last slot is reused: only an old location's name suffers. */
    int i = ld->n_files < CONFIG_MAX_FILES ? ld->n_files++ : CONFIG_MAX_FILES - 1;
    snprintf(ld->files[i], sizeof ld->files[i], "%s", name);
    return i;
}

/* A scalar shown inside an error: short, printable, never a newline. */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t j = 0;
    for (size_t i = 0; s[i] != '\0' && j + 4 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        if (i >= 48 && s[i + 1] != '\0') {
            memcpy(buf + j, "...", 3);
            j += 3;
            break;
        }
    }
    buf[j] = '\0';
    return buf;
}

static int verr_at(struct load *ld, const char *file, long line, long col, const char *key,
                   const char *fmt, va_list ap)
{
    char msg[384], full[sizeof ld->err->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(full, sizeof full, "%s:%ld:%ld: %s: %s", file, line, col, key, msg);
    /* One line, whatever the input: a key (or file name) may hold newlines and
     * control bytes, which the fuzzer found in keys spanning several lines. */
    for (char *c = full; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f) {
            *c = '?';
        }
    }
    return sim_err_set(ld->err, SIM_EINVAL, "%s", full);
}

static int err_at(struct load *ld, const char *file, long line, long col, const char *key,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int err_at(struct load *ld, const char *file, long line, long col, const char *key,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = verr_at(ld, file, line, col, key, fmt, ap);
    va_end(ap);
    return rc;
}

/* An error at node n of document d (n NULL: the start of the text). */
static int errn(struct doc *d, const yaml_node_t *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int errn(struct doc *d, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
    long line = n ? (long)n->start_mark.line + 1 : 1;
    long col = (n ? (long)n->start_mark.column + 1 : 1) + d->col_offset;
    va_list ap;
    va_start(ap, fmt);
    int rc = verr_at(d->ld, d->ld->files[d->file], line, col, key, fmt, ap);
    va_end(ap);
    return rc;
}

static void note_where(struct doc *d, size_t ki, const yaml_node_t *n)
{
    d->ld->locs[ki].file = d->file;
    d->ld->locs[ki].line = n ? (int)n->start_mark.line + 1 : 1;
    d->ld->locs[ki].col = (n ? (int)n->start_mark.column + 1 : 1) + d->col_offset;
}

/* ---- the table, searched ---- */

static long key_find(enum config_kind kind, const char *path)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        if (keys[i].kind == kind && strcmp(keys[i].path, path) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static bool key_is_section(enum config_kind kind, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < N_KEYS; i++) {
        if (keys[i].kind == kind && strncmp(keys[i].path, path, n) == 0 && keys[i].path[n] == '.') {
            return true;
        }
    }
    return false;
}

static void *field(const struct key *k, void *base)
{
    return (char *)base + k->off;
}

static const void *cfield(const struct key *k, const void *base)
{
    return (const char *)base + k->off;
}

/* Optimal string alignment distance (Levenshtein plus transpositions), capped inputs. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63) {
        return SIZE_MAX;
    }
    size_t dp[64][64];
    for (size_t i = 0; i <= n; i++) {
        dp[i][0] = i;
    }
    for (size_t j = 0; j <= m; j++) {
        dp[0][j] = j;
    }
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = dp[i - 1][j - 1] + cost;
            if (dp[i - 1][j] + 1 < v) {
                v = dp[i - 1][j] + 1;
            }
            if (dp[i][j - 1] + 1 < v) {
                v = dp[i][j - 1] + 1;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                dp[i - 2][j - 2] + 1 < v) {
                v = dp[i - 2][j - 2] + 1;
            }
            dp[i][j] = v;
        }
    }
    return dp[n][m];
}

struct best {
    char name[CONFIG_PATH_MAX];
    size_t dist;
};

static void best_offer(struct best *b, const char *want, const char *cand, size_t cand_len)
{
    char c[CONFIG_PATH_MAX];
    if (cand_len >= sizeof c) {
        return;
    }
    memcpy(c, cand, cand_len);
    c[cand_len] = '\0';
    size_t dist = edit_distance(want, c);
    if (dist < b->dist) {
        b->dist = dist;
        memcpy(b->name, c, cand_len + 1);
    }
}

static size_t suggest_limit(const char *want)
{
    size_t n = strlen(want);
    return n <= 3 ? 1 : n <= 6 ? 2 : 3;
}

const char *config_closest(const char *want, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_dist = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t dist = edit_distance(want, names[i]);
        if (dist < best_dist) {
            best_dist = dist;
            best = names[i];
        }
    }
    return best_dist > 0 && best_dist <= suggest_limit(want) ? best : NULL;
}

/* "; did you mean 'x'?" for a misspelt key, or "" when nothing is close; with
 * whole_path (a --set, where the key is written in full) the suggestion is
 * the whole dotted path, otherwise the name within its section. */
static void suggest_key(enum config_kind kind, const char *full, bool whole_path, char *out,
                        size_t size)
{
    out[0] = '\0';
    const char *dot = strrchr(full, '.');
    size_t plen = dot ? (size_t)(dot - full) : 0;
    const char *leaf = dot ? dot + 1 : full;
    struct best b = {.dist = SIZE_MAX};
    for (size_t i = 0; i < N_KEYS; i++) {
        const char *p = keys[i].path;
        if (keys[i].kind != kind) {
            continue;
        }
        if (plen > 0 && !(strncmp(p, full, plen) == 0 && p[plen] == '.')) {
            continue;
        }
        const char *comp = p + (plen ? plen + 1 : 0);
        const char *end = strchr(comp, '.');
        best_offer(&b, leaf, comp, end ? (size_t)(end - comp) : strlen(comp));
    }
    if (plen == 0) {
        static const char *const specials[] = {"kind", "base", "profile", "design", "run"};
        for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
            if (kind == CONFIG_SCENARIO || i < 2) {
                best_offer(&b, leaf, specials[i], strlen(specials[i]));
            }
        }
    }
    if (b.dist <= suggest_limit(leaf)) {
        if (whole_path && plen > 0) {
            snprintf(out, size, "; did you mean '%.*s.%s'?", (int)plen, full, b.name);
        } else {
            snprintf(out, size, "; did you mean '%s'?", b.name);
        }
        return;
    }
    /* The right leaf in the wrong section: `max_conns` at the top means upstream.max_conns. */
    for (size_t i = 0; i < N_KEYS; i++) {
        const char *p = keys[i].path;
        const char *last = strrchr(p, '.');
        if (keys[i].kind == kind && last && strcmp(last + 1, leaf) == 0) {
            snprintf(out, size, "; did you mean '%s'?", p);
            return;
        }
    }
}

/* ---- quantities ---- */

/* value = number * mul / div: one of the two is 1, so each conversion is a single correctly
 * rounded operation and "20us" is exactly the double nearest 2e-5. */
struct unit_def {
    const char *name;
    double mul, div;
};

static const struct unit_def time_units[] = {
    {"ns", 1, 1e9}, {"us", 1, 1e6}, {"\xc2\xb5s", 1, 1e6}, {"ms", 1, 1e3}, {"s", 1, 1},
    {"sec", 1, 1},  {"min", 60, 1}, {"h", 3600, 1},         {"d", 86400, 1}, {NULL, 0, 0},
};
static const struct unit_def size_units[] = {
    {"B", 1, 1},      {"KB", 1e3, 1},          {"kB", 1e3, 1},  {"KiB", 1024, 1},
    {"MB", 1e6, 1},   {"MiB", 1048576.0, 1},   {"GB", 1e9, 1},  {"GiB", 1073741824.0, 1},
    {"TB", 1e12, 1},  {"TiB", 1099511627776.0, 1}, {NULL, 0, 0},
};

static bool unit_lookup(const struct unit_def *u, const char *s, size_t n, double *mul, double *div)
{
    for (; u->name; u++) {
        if (strlen(u->name) == n && strncmp(u->name, s, n) == 0) {
            *mul = u->mul;
            *div = u->div;
            return true;
        }
    }
    return false;
}

/* A decimal number at the start of s (no hex, inf or nan); 0 if none. */
static size_t scan_number(const char *s, double *out)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-') {
        i++;
    }
    while (isdigit((unsigned char)s[i])) {
        i++, digits++;
    }
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i])) {
            i++, digits++;
        }
    }
    if (digits == 0) {
        return 0;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-') {
            j++;
        }
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j])) {
                j++;
            }
            i = j;
        }
    }
    char buf[64];
    if (i >= sizeof buf) {
        return 0;
    }
    memcpy(buf, s, i);
    buf[i] = '\0';
    *out = strtod(buf, NULL);
    return i;
}

static bool is_absent_word(const char *s)
{
    static const char *const words[] = {"", "~", "null", "Null", "NULL", "unlimited", "none", "never"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(s, words[i]) == 0) {
            return true;
        }
    }
    return false;
}

enum qstat { Q_OK, Q_ABSENT, Q_NOT_NUMBER, Q_BAD_UNIT };

/* "20ms" -> 0.02 for U_TIME; plain numbers are in the base unit (s, B, /s, B/s). */
static enum qstat parse_quantity(const char *s, enum kunit unit, double *out, const char **unit_at)
{
    if (is_absent_word(s)) {
        return Q_ABSENT;
    }
    double v = 0.0;
    size_t n = scan_number(s, &v);
    if (n == 0) {
        return Q_NOT_NUMBER;
    }
    const char *u = s + n;
    while (*u == ' ') {
        u++;
    }
    *unit_at = u;
    double mul = 1.0, div = 1.0;
    if (*u != '\0') {
        const char *slash = strchr(u, '/');
        switch (unit) {
        case U_NONE:
            return Q_BAD_UNIT;
        case U_TIME:
            if (!unit_lookup(time_units, u, strlen(u), &mul, &div)) {
                return Q_BAD_UNIT;
            }
            break;
        case U_SIZE:
            if (!unit_lookup(size_units, u, strlen(u), &mul, &div)) {
                return Q_BAD_UNIT;
            }
            break;
        case U_RATE: /* per time: the time unit's mul and div swap */
            if (u[0] != '/' || !unit_lookup(time_units, u + 1, strlen(u + 1), &div, &mul)) {
                return Q_BAD_UNIT;
            }
            break;
        case U_BYTERATE: {
            double smul = 1.0, sdiv = 1.0, tmul = 1.0, tdiv = 1.0;
            if (slash == NULL ||
                (slash > u && !unit_lookup(size_units, u, (size_t)(slash - u), &smul, &sdiv)) ||
                !unit_lookup(time_units, slash + 1, strlen(slash + 1), &tmul, &tdiv)) {
                return Q_BAD_UNIT;
            }
            mul = smul * tdiv;
            div = tmul;
            break;
        }
        }
    }
    *out = mul != 1.0 ? v * mul : v;
    *out = div != 1.0 ? *out / div : *out;
    return Q_OK;
}

bool config_unit_factor(const char *suffix, double *factor, int *family)
{
    char one[48];
    /* A suffix that would continue the number ("1" + ".5ms" reads 1.5 ms) is no unit. */
    if ((suffix[0] != '\0' && strchr("0123456789.eE+-", suffix[0]) != NULL) ||
        snprintf(one, sizeof one, "1%s", suffix) >= (int)sizeof one) {
        return false;
    }
    for (enum kunit u = U_NONE; u <= U_BYTERATE; u++) {
        const char *unit_at = NULL;
        if (parse_quantity(one, u, factor, &unit_at) == Q_OK) {
            *family = (int)u;
            return true;
        }
    }
    return false;
}

bool config_parse_quantity(const char *text, int family, double *out)
{
    const char *unit_at = NULL;
    if (family < (int)U_NONE || family > (int)U_BYTERATE) {
        return false;
    }
    return parse_quantity(text, (enum kunit)family, out, &unit_at) == Q_OK;
}

static const char *unit_suffix(enum kunit u)
{
    static const char *const sfx[] = {"", "s", "B", "/s", "B/s"};
    return sfx[u];
}

void config_format_number(char *buf, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v); /* 2000, not 2e+03 */
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            return;
        }
    }
}

/* A duration below 1 s in ms, us or ns (20us, not 2e-05s), as the shortest text that the loader
 * reads back to exactly v; false when none does (v is then written in seconds). */
static bool fmt_time_sub_second(char *buf, size_t size, double v)
{
    static const struct {
        const char *name;
        double per_s;
    } units[] = {{"ms", 1e3}, {"us", 1e6}, {"ns", 1e9}};
    double a = fabs(v);
    if (!(a > 0.0 && a < 1.0)) {
        return false;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (a * units[i].per_s < 1.0 && i + 1 < sizeof units / sizeof units[0]) {
            continue;
        }
        for (int prec = 1; prec <= 17; prec++) {
            char t[64];
            snprintf(t, sizeof t, "%.*g%s", prec, v * units[i].per_s, units[i].name);
            double back = 0.0;
            const char *unit_at = NULL;
            if (strchr(t, 'e') == NULL && parse_quantity(t, U_TIME, &back, &unit_at) == Q_OK &&
                back == v) {
                snprintf(buf, size, "%s", t);
                return true;
            }
        }
        return false;
    }
    return false;
}

static void fmt_qty(char *buf, size_t size, double v, enum kunit u, const char *inf_word)
{
    if (isinf(v) && v > 0) {
        snprintf(buf, size, "%s", inf_word);
        return;
    }
    if (u == U_TIME && fmt_time_sub_second(buf, size, v)) {
        return;
    }
    char num[40];
    config_format_number(num, sizeof num, v);
    snprintf(buf, size, "%s%s", num, unit_suffix(u));
}

static void describe(enum kunit u, unsigned flags, double lo, double hi, char *buf, size_t size)
{
    static const char *const what[] = {
        "a number", "a duration (250us, 20ms, 1.5s, 5min, 2h)", "a size (512B, 8KiB, 16KB, 1MiB, 2GiB)",
        "a rate (400/s, 10/min)", "a byte rate (64KiB/s, 10MB/s)"};
    char l[40], h[40], r[100] = "";
    fmt_qty(l, sizeof l, lo, u, "unlimited");
    fmt_qty(h, sizeof h, hi, u, "unlimited");
    if (isinf(hi)) {
        snprintf(r, sizeof r, " %s %s", (flags & KF_POS) ? ">" : ">=", l);
    } else {
        snprintf(r, sizeof r, " in %s%s, %s]", (flags & KF_POS) ? "(" : "[", l, h);
    }
    snprintf(buf, size, "%s%s%s%s", (flags & KF_INT) ? "a whole number" : what[u], r,
             (flags & KF_INT) && u != U_NONE ? unit_suffix(u) : "",
             (flags & KF_UNLIMITED) ? " or 'unlimited'" : "");
}

/* Parses and range-checks one quantity; *out is INFINITY for 'unlimited' where allowed. */
static int get_quantity(struct doc *d, const yaml_node_t *n, const char *path, const char *text,
                        enum kunit u, unsigned flags, double lo, double hi, double *out)
{
    char want[160], got[64];
    const char *unit_at = "";
    double v = 0.0;
    switch (parse_quantity(text, u, &v, &unit_at)) {
    case Q_ABSENT:
        if (flags & KF_UNLIMITED) {
            *out = INFINITY;
            return SIM_OK;
        }
        describe(u, flags, lo, hi, want, sizeof want);
        return errn(d, n, path, "wrong type (got '%s', expected %s)", shown(text, got, sizeof got),
                    want);
    case Q_NOT_NUMBER:
        describe(u, flags, lo, hi, want, sizeof want);
        return errn(d, n, path, "wrong type (got '%s', expected %s)", shown(text, got, sizeof got),
                    want);
    case Q_BAD_UNIT: {
        char ub[64];
        describe(u, flags, lo, hi, want, sizeof want);
        if (u == U_NONE) {
            /* A count or a factor has no unit to get wrong: 5x is not a number. */
            return errn(d, n, path, "wrong type (got '%s', expected %s, without a unit)",
                        shown(text, got, sizeof got), want);
        }
        return errn(d, n, path, "bad unit '%s' (got '%s', expected %s)", shown(unit_at, ub, sizeof ub),
                    shown(text, got, sizeof got), want);
    }
    case Q_OK:
        break;
    }
    bool ok = isfinite(v) && v >= lo && v <= hi && (!(flags & KF_POS) || v > lo) &&
              (!(flags & KF_INT) || v == floor(v));
    if (!ok) {
        describe(u, flags, lo, hi, want, sizeof want);
        return errn(d, n, path, "out of range (got %s, expected %s)", shown(text, got, sizeof got),
                    want);
    }
    *out = v;
    return SIM_OK;
}

/* The text of a scalar node, or NULL if n is not a scalar or holds a NUL. */
static const char *scalar_text(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE) {
        return NULL;
    }
    const char *s = (const char *)n->data.scalar.value;
    return strlen(s) == n->data.scalar.length ? s : NULL;
}

static const char *node_type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_SCALAR_NODE:
        return strlen((const char *)n->data.scalar.value) == n->data.scalar.length
                   ? "a scalar"
                   : "a string with a NUL character";
    default:
        return "nothing";
    }
}

/* ---- files ---- */

/* Reads a whole regular file; never blocks on a FIFO or a device. */
static int read_file(const char *path, char **out, size_t *len, char *why, size_t why_size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_size, "%s", strerror(errno));
        return SIM_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "not a regular file");
        close(fd);
        return SIM_EIO;
    }
    if ((uintmax_t)st.st_size > CONFIG_MAX_FILE_BYTES) {
        snprintf(why, why_size, "larger than %u bytes", CONFIG_MAX_FILE_BYTES);
        close(fd);
        return SIM_EIO;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = sim_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > CONFIG_MAX_FILE_BYTES) {
                snprintf(why, why_size, "larger than %u bytes", CONFIG_MAX_FILE_BYTES);
                free(buf);
                close(fd);
                return SIM_EIO;
            }
            cap *= 2;
            buf = sim_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            snprintf(why, why_size, "%s", strerror(errno));
            free(buf);
            close(fd);
            return SIM_EIO;
        }
        if (r == 0) {
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return SIM_OK;
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* dir/rel, or rel alone when absolute or dir is empty; cut to size (a cut path fails to open). */
static void path_join(char *out, size_t size, const char *dir, const char *rel)
{
    size_t used = 0;
    if (rel[0] != '/' && dir[0] != '\0' && strcmp(dir, ".") != 0) {
        size_t dl = strnlen(dir, size - 2);
        memcpy(out, dir, dl);
        out[dl] = '/';
        used = dl + 1;
    }
    size_t rl = strnlen(rel, size - 1 - used);
    memcpy(out + used, rel, rl);
    out[used + rl] = '\0';
}

/* The directory of a file on disk: "." for a bare file name (child.yaml lives in the working
 * directory, as ./child.yaml does).  Only a built-in or the command line has no directory (""),
 * where a bare name is a built-in name. */
static void path_dir(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(out, size, ".");
    } else if (slash == path) {
        snprintf(out, size, "/");
    } else {
        snprintf(out, size, "%.*s", (int)(slash - path), path);
    }
}

/* "configs/designs/legacy-reverse.yaml" -> "legacy-reverse". */
static void path_stem(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".yaml") == 0) {
        n -= 5;
    } else if (n > 4 && strcmp(b + n - 4, ".yml") == 0) {
        n -= 4;
    }
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, b, n);
    out[n] = '\0';
}

/* Samples or arrival instants from a file, read by models/samples.c (the reader `proxysim fit`
 * uses: CSV or one value a line, gzip, access-log times).  Its "file:line:col: why" becomes a
 * config error naming the key; a file it cannot open is reported at the key's place in the YAML. */
static int read_samples_file(struct load *ld, const char *path, const char *column, bool timestamps,
                             double factor, const char *key, double **out, size_t *n_out,
                             const char *ref_file, long ref_line, long ref_col)
{
    struct samples sm;
    struct sim_err e;
    sim_err_clear(&e);
    struct samples_unit unit = {"config", SAMPLES_UNIT_NONE, factor};
    const char *col = column[0] ? column : NULL;
    int rc = timestamps ? samples_read_timestamps(&sm, path, col, &e)
                        : samples_read(&sm, path, col, &unit, &e);
    if (rc != SIM_OK) {
        size_t plen = strlen(path);
        const char *m = e.msg;
        long line = 0, c = 1;
        if (strncmp(m, path, plen) == 0 && m[plen] == ':' && isdigit((unsigned char)m[plen + 1])) {
            char *end;
            line = strtol(m + plen + 1, &end, 10);
            if (*end == ':' && isdigit((unsigned char)end[1])) {
                c = strtol(end + 1, &end, 10);
            }
            m = end + (strncmp(end, ": ", 2) == 0 ? 2 : 0);
        }
        if (line > 0) {
            return err_at(ld, path, line, c, key, "%s", m);
        }
        return err_at(ld, ref_file, ref_line, ref_col, key, "%s", m);
    }
    if (sm.n > CONFIG_MAX_SAMPLES) {
        samples_fini(&sm);
        return err_at(ld, ref_file, ref_line, ref_col, key,
                      "too many samples in '%s' (expected at most %d)", path, CONFIG_MAX_SAMPLES);
    }
    for (size_t i = 0; i < sm.n; i++) {
        if (!isfinite(sm.x[i])) {
            samples_fini(&sm);
            return err_at(ld, ref_file, ref_line, ref_col, key,
                          "out of range (a sample in '%s' overflows the unit, expected finite)",
                          path);
        }
    }
    *out = sm.x;
    *n_out = sm.n;
    return SIM_OK;
}

/* ---- distributions ---- */

enum dparam {
    DP_DIST, DP_VALUE, DP_MEAN, DP_CV, DP_LO, DP_HI, DP_SD, DP_MEDIAN, DP_P99, DP_MU, DP_SIGMA,
    DP_SHAPE, DP_SCALE, DP_ALPHA, DP_P, DP_MEAN1, DP_MEAN2, DP_FILE, DP_COLUMN, DP_UNIT, DP_SAMPLES,
    DP_N
};

static const struct {
    const char *name;
    bool quantity; /* in the key's unit; otherwise dimensionless */
} dparams[DP_N] = {
    [DP_DIST] = {"dist", false},    [DP_VALUE] = {"value", true},   [DP_MEAN] = {"mean", true},
    [DP_CV] = {"cv", false},        [DP_LO] = {"lo", true},         [DP_HI] = {"hi", true},
    [DP_SD] = {"sd", true},         [DP_MEDIAN] = {"median", true}, [DP_P99] = {"p99", true},
    [DP_MU] = {"mu", false},        [DP_SIGMA] = {"sigma", false},  [DP_SHAPE] = {"shape", false},
    [DP_SCALE] = {"scale", true},   [DP_ALPHA] = {"alpha", false},  [DP_P] = {"p", false},
    [DP_MEAN1] = {"mean1", true},   [DP_MEAN2] = {"mean2", true},   [DP_FILE] = {"file", false},
    [DP_COLUMN] = {"column", false}, [DP_UNIT] = {"unit", false},   [DP_SAMPLES] = {"samples", false},
};

#define B(p) (1u << (p))
struct dform {
    unsigned req, opt;
};
/* The parameter sets each distribution accepts, in the order the docs list them. */
static const struct dform dforms[SIM_DIST_N_KINDS][3] = {
    [SIM_DIST_DETERMINISTIC] = {{B(DP_VALUE), 0}},
    [SIM_DIST_EXPONENTIAL] = {{B(DP_MEAN), 0}},
    [SIM_DIST_UNIFORM] = {{B(DP_LO) | B(DP_HI), 0}},
    [SIM_DIST_NORMAL] = {{B(DP_MEAN) | B(DP_SD), 0}},
    [SIM_DIST_LOGNORMAL] = {{B(DP_MEAN) | B(DP_CV), 0}, {B(DP_MEDIAN) | B(DP_P99), 0},
                            {B(DP_MU) | B(DP_SIGMA), 0}},
    [SIM_DIST_GAMMA] = {{B(DP_MEAN) | B(DP_CV), 0}, {B(DP_SHAPE) | B(DP_SCALE), 0}},
    [SIM_DIST_WEIBULL] = {{B(DP_SHAPE) | B(DP_SCALE), 0}},
    [SIM_DIST_PARETO] = {{B(DP_ALPHA) | B(DP_LO) | B(DP_HI), 0}},
    [SIM_DIST_HYPEREXP] = {{B(DP_MEAN) | B(DP_CV), 0}, {B(DP_P) | B(DP_MEAN1) | B(DP_MEAN2), 0}},
    [SIM_DIST_EMPIRICAL] = {{B(DP_FILE), B(DP_COLUMN) | B(DP_UNIT)}, {B(DP_SAMPLES), B(DP_UNIT)}},
};

static void dform_text(enum sim_dist_kind kind, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int f = 0; f < 3 && dforms[kind][f].req; f++) {
        used += (size_t)snprintf(buf + used, size - used, "%s{", f ? " or " : "");
        bool first = true;
        for (int p = 0; p < DP_N && used < size; p++) {
            if ((dforms[kind][f].req | dforms[kind][f].opt) & B(p)) {
                used += (size_t)snprintf(buf + used, size - used, "%s%s%s", first ? "" : ", ",
                                         dparams[p].name, (dforms[kind][f].opt & B(p)) ? "?" : "");
                first = false;
            }
        }
        if (used < size) {
            used += (size_t)snprintf(buf + used, size - used, "}");
        }
        if (used >= size) {
            break;
        }
    }
}

static void free_dist(struct sim_dist *dist)
{
    if (dist->kind == SIM_DIST_EMPIRICAL) {
        free((void *)dist->samples);
    }
    dist->samples = NULL;
    dist->n_samples = 0;
}

static const char *const dist_kind_list =
    "deterministic, exponential, uniform, normal, lognormal, gamma, weibull, pareto, "
    "hyperexponential, empirical";

/* One pair of a mapping: its key node, value node and key text.  libyaml takes
 * any node as a key; ours are plain scalars, so another key (or a pair with no
 * value) is refused here, at path, as not being `expected`.  Returns SIM_OK or
 * that error. */
static int pair_read(struct doc *d, const yaml_node_pair_t *pr, const char *path,
                     const char *expected, const yaml_node_t **kn, const yaml_node_t **vn,
                     const char **name)
{
    *kn = yaml_document_get_node(d->y, pr->key);
    *vn = yaml_document_get_node(d->y, pr->value);
    *name = scalar_text(*kn);
    if (*name == NULL || *vn == NULL) {
        return errn(d, *kn, path, "wrong type (got %s as a key, expected %s)",
                    *kn ? node_type_name(*kn) : "nothing", expected);
    }
    return SIM_OK;
}

/* {dist: kind, params...} -> *out (empirical samples owned by *out). */
static int parse_dist(struct doc *d, const struct key *k, const yaml_node_t *map, const char *path,
                      struct sim_dist *out)
{
    const yaml_node_t *pn[DP_N] = {0};
    unsigned mask = 0;
    char sub[CONFIG_PATH_MAX + 16], got[64];
    for (const yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        const yaml_node_t *kn, *vn;
        const char *name;
        int rc = pair_read(d, pr, path, "a parameter name", &kn, &vn, &name);
        if (rc != SIM_OK) {
            return rc;
        }
        int p = 0;
        while (p < DP_N && strcmp(dparams[p].name, name) != 0) {
            p++;
        }
        snprintf(sub, sizeof sub, "%s.%s", path, name);
        if (p == DP_N) {
            struct best b = {.dist = SIZE_MAX};
            for (int q = 0; q < DP_N; q++) {
                best_offer(&b, name, dparams[q].name, strlen(dparams[q].name));
            }
            char hint[CONFIG_PATH_MAX + 32] = "";
            if (b.dist <= suggest_limit(name)) {
                snprintf(hint, sizeof hint, "; did you mean '%s'?", b.name);
            }
            return errn(d, kn, sub, "unknown key (got '%s', expected a distribution parameter%s)",
                        shown(name, got, sizeof got), hint);
        }
        if (mask & B(p)) {
            return errn(d, kn, sub, "duplicate key (got '%s' twice, expected each key once)", name);
        }
        mask |= B(p);
        pn[p] = vn;
    }
    if (!(mask & B(DP_DIST))) {
        return errn(d, map, path, "missing required key (got no 'dist', expected dist: one of %s)",
                    dist_kind_list);
    }
    snprintf(sub, sizeof sub, "%s.dist", path);
    const char *kname = scalar_text(pn[DP_DIST]);
    enum sim_dist_kind kind = SIM_DIST_DETERMINISTIC;
    if (kname == NULL || !sim_dist_kind_parse(kname, &kind)) {
        struct best b = {.dist = SIZE_MAX};
        for (unsigned q = 0; q < SIM_DIST_N_KINDS; q++) {
            const char *nm = sim_dist_kind_name((enum sim_dist_kind)q);
            best_offer(&b, kname ? kname : "", nm, strlen(nm));
        }
        char hint[CONFIG_PATH_MAX + 32] = "";
        if (kname && b.dist <= suggest_limit(kname)) {
            snprintf(hint, sizeof hint, "; did you mean '%s'?", b.name);
        }
        return errn(d, pn[DP_DIST], sub, "unknown distribution (got '%s', expected one of %s%s)",
                    kname ? shown(kname, got, sizeof got) : node_type_name(pn[DP_DIST]),
                    dist_kind_list, hint);
    }
    unsigned given = mask & ~B(DP_DIST);
    int form = -1;
    unsigned allowed = 0;
    for (int f = 0; f < 3 && dforms[kind][f].req; f++) {
        const struct dform *df = &dforms[kind][f];
        allowed |= df->req | df->opt;
        if ((given & df->req) == df->req && (given & ~(df->req | df->opt)) == 0) {
            form = f;
            break;
        }
    }
    if (form < 0) {
        char forms[200];
        dform_text(kind, forms, sizeof forms);
        for (int p = 1; p < DP_N; p++) {
            if ((given & B(p)) && !(allowed & B(p))) {
                snprintf(sub, sizeof sub, "%s.%s", path, dparams[p].name);
                return errn(d, pn[p], sub, "unknown key for %s (got '%s', expected %s)", kname,
                            dparams[p].name, forms);
            }
        }
        return errn(d, map, path, "missing required key for %s (expected %s)", kname, forms);
    }
    /* Numbers: quantities in the key's unit, the rest dimensionless. */
    double v[DP_N] = {0};
    for (int p = DP_VALUE; p <= DP_MEAN2; p++) {
        if (!(given & B(p))) {
            continue;
        }
        snprintf(sub, sizeof sub, "%s.%s", path, dparams[p].name);
        const char *t = scalar_text(pn[p]);
        if (t == NULL) {
            return errn(d, pn[p], sub, "wrong type (got %s, expected a number)",
                        node_type_name(pn[p]));
        }
        bool mu = p == DP_MU;
        unsigned fl = (p == DP_HI && kind == SIM_DIST_PARETO) ? KF_UNLIMITED : 0;
        int rc = get_quantity(d, pn[p], sub, t, dparams[p].quantity ? k->unit : U_NONE, fl,
                              mu ? -700.0 : 0.0, mu ? 700.0 : INFINITY, &v[p]);
        if (rc != SIM_OK) {
            return rc;
        }
    }
    /* Parameters that must be strictly positive where given. */
    static const int positive[] = {DP_CV, DP_MEDIAN, DP_P99, DP_SHAPE, DP_SCALE, DP_ALPHA, DP_MEAN1, DP_MEAN2};
    for (size_t i = 0; i < sizeof positive / sizeof positive[0]; i++) {
        int p = positive[i];
        if ((given & B(p)) && !(v[p] > 0.0)) {
            snprintf(sub, sizeof sub, "%s.%s", path, dparams[p].name);
            return errn(d, pn[p], sub, "out of range (got %s, expected a value > 0)",
                        shown(scalar_text(pn[p]), got, sizeof got));
        }
    }
    const char *why = NULL;
    struct sim_dist r = {.kind = kind};
    bool ok = true;
    const yaml_node_t *bad = map;
    switch (kind) {
    case SIM_DIST_DETERMINISTIC:
        r = sim_dist_deterministic(v[DP_VALUE]);
        break;
    case SIM_DIST_EXPONENTIAL:
        ok = v[DP_MEAN] > 0.0;
        why = "mean > 0";
        bad = pn[DP_MEAN];
        r = sim_dist_exponential(v[DP_MEAN]);
        break;
    case SIM_DIST_UNIFORM:
        ok = v[DP_LO] <= v[DP_HI];
        why = "lo <= hi";
        bad = pn[DP_HI];
        r.a = v[DP_LO];
        r.b = v[DP_HI];
        break;
    case SIM_DIST_NORMAL:
        r.a = v[DP_MEAN];
        r.b = v[DP_SD];
        break;
    case SIM_DIST_LOGNORMAL:
        if (form == 0) {
            ok = sim_dist_lognormal_mean_cv(v[DP_MEAN], v[DP_CV], &r, &why);
        } else if (form == 1) {
            ok = sim_dist_lognormal_median_p99(v[DP_MEDIAN], v[DP_P99], &r, &why);
        } else {
            r.a = v[DP_MU];
            r.b = v[DP_SIGMA];
        }
        break;
    case SIM_DIST_GAMMA:
        if (form == 0) {
            ok = sim_dist_gamma_mean_cv(v[DP_MEAN], v[DP_CV], &r, &why);
        } else {
            r.a = v[DP_SHAPE];
            r.b = v[DP_SCALE];
        }
        break;
    case SIM_DIST_WEIBULL:
        r.a = v[DP_SCALE];
        r.b = v[DP_SHAPE];
        break;
    case SIM_DIST_PARETO:
        ok = v[DP_LO] > 0.0 && v[DP_HI] > v[DP_LO];
        why = "0 < lo < hi";
        r.a = v[DP_ALPHA];
        r.b = v[DP_LO];
        r.c = v[DP_HI];
        break;
    case SIM_DIST_HYPEREXP:
        if (form == 0) {
            ok = sim_dist_hyperexp_mean_cv(v[DP_MEAN], v[DP_CV], &r, &why);
        } else {
            ok = v[DP_P] > 0.0 && v[DP_P] < 1.0;
            why = "0 < p < 1";
            bad = pn[DP_P];
            r.a = v[DP_P];
            r.b = v[DP_MEAN1];
            r.c = v[DP_MEAN2];
        }
        break;
    case SIM_DIST_EMPIRICAL:
    case SIM_DIST_N_KINDS:
        break;
    }
    if (!ok) {
        return errn(d, bad, path, "out of range (expected %s)", why ? why : "valid parameters");
    }
    if (!isfinite(r.a) || !isfinite(r.b) || (kind != SIM_DIST_PARETO && !isfinite(r.c))) {
        return errn(d, map, path, "out of range (expected parameters that give finite values)");
    }
    if (kind == SIM_DIST_EMPIRICAL) {
        double factor = 1.0;
        if (given & B(DP_UNIT)) {
            snprintf(sub, sizeof sub, "%s.unit", path);
            const char *t = scalar_text(pn[DP_UNIT]);
            char one[80];
            const char *unit_at = "";
            snprintf(one, sizeof one, "1%s", t ? t : "?");
            if (t == NULL || strlen(t) > 40 || k->unit == U_NONE ||
                parse_quantity(one, k->unit, &factor, &unit_at) != Q_OK) {
                char want[160];
                describe(k->unit, 0, 0, INFINITY, want, sizeof want);
                return errn(d, pn[DP_UNIT], sub, "bad unit '%s' (expected the unit of %s)",
                            t ? shown(t, got, sizeof got) : node_type_name(pn[DP_UNIT]), want);
            }
        }
        double *s = NULL;
        size_t n = 0;
        if (given & B(DP_FILE)) {
            snprintf(sub, sizeof sub, "%s.file", path);
            const char *file = scalar_text(pn[DP_FILE]);
            const char *col = (given & B(DP_COLUMN)) ? scalar_text(pn[DP_COLUMN]) : "";
            if (file == NULL || file[0] == '\0' || col == NULL) {
                return errn(d, file ? pn[DP_COLUMN] : pn[DP_FILE], sub,
                            "wrong type (expected a file name and a column name)");
            }
            char full[PATH_MAX];
            path_join(full, sizeof full, d->dir, file);
            int rc = read_samples_file(d->ld, full, col, false, factor, sub, &s, &n, d->ld->files[d->file],
                                     (long)pn[DP_FILE]->start_mark.line + 1,
                                     (long)pn[DP_FILE]->start_mark.column + 1 + d->col_offset);
            if (rc != SIM_OK) {
                return rc;
            }
        } else {
            snprintf(sub, sizeof sub, "%s.samples", path);
            const yaml_node_t *seq = pn[DP_SAMPLES];
            if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top == seq->data.sequence.items.start) {
                return errn(d, seq, sub, "wrong type (got %s, expected a non-empty list of samples)",
                            node_type_name(seq));
            }
            size_t cnt = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
            if (cnt > CONFIG_MAX_SAMPLES) {
                return errn(d, seq, sub, "too many samples (expected at most %d)", CONFIG_MAX_SAMPLES);
            }
            s = sim_xmalloc(cnt * sizeof *s);
            for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
                 it++) {
                const yaml_node_t *en = yaml_document_get_node(d->y, *it);
                const char *t = scalar_text(en);
                double x = 0.0;
                int rc = t ? get_quantity(d, en, sub, t, k->unit, 0, 0.0, INFINITY, &x)
                           : errn(d, en, sub, "wrong type (got %s, expected a sample)",
                                  en ? node_type_name(en) : "nothing");
                if (rc == SIM_OK && !isfinite(x * factor)) {
                    rc = errn(d, en, sub, "out of range (expected a finite sample)");
                }
                if (rc != SIM_OK) {
                    free(s);
                    return rc;
                }
                s[n++] = x * factor;
            }
        }
        r = (struct sim_dist){.kind = SIM_DIST_EMPIRICAL, .samples = s, .n_samples = n};
    }
    *out = r;
    return SIM_OK;
}

/* ---- schedules ---- */

static void free_schedule(struct schedule *s)
{
    free(s->pts);
    s->pts = NULL;
    s->n = 0;
}

static int parse_schedule(struct doc *d, const struct key *k, const yaml_node_t *seq, const char *path,
                          struct schedule *out)
{
    size_t cnt = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (cnt == 0 || cnt > CONFIG_MAX_POINTS) {
        return errn(d, seq, path, "wrong length (got %zu points, expected 1 to %d)", cnt,
                    CONFIG_MAX_POINTS);
    }
    struct schedule s = {.n = 0, .pts = sim_xcalloc(cnt, sizeof *s.pts)};
    char sub[CONFIG_PATH_MAX + 40], got[64];
    int rc = SIM_OK;
    for (size_t i = 0; i < cnt && rc == SIM_OK; i++) {
        const yaml_node_t *pt = yaml_document_get_node(d->y, seq->data.sequence.items.start[i]);
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        if (pt == NULL || pt->type != YAML_MAPPING_NODE) {
            rc = errn(d, pt, sub, "wrong type (got %s, expected {at: TIME, value: V, ramp: TIME})",
                      pt ? node_type_name(pt) : "nothing");
            break;
        }
        const yaml_node_t *at = NULL, *val = NULL, *ramp = NULL;
        for (const yaml_node_pair_t *pr = pt->data.mapping.pairs.start;
             pr < pt->data.mapping.pairs.top && rc == SIM_OK; pr++) {
            const yaml_node_t *kn = yaml_document_get_node(d->y, pr->key);
            const yaml_node_t *vn = yaml_document_get_node(d->y, pr->value);
            const char *name = scalar_text(kn);
            const yaml_node_t **slot = NULL;
            if (name && strcmp(name, "at") == 0) {
                slot = &at;
            } else if (name && strcmp(name, "value") == 0) {
                slot = &val;
            } else if (name && strcmp(name, "ramp") == 0) {
                slot = &ramp;
            }
            if (slot == NULL) {
                struct best b = {.dist = SIZE_MAX};
                best_offer(&b, name ? name : "", "at", 2);
                best_offer(&b, name ? name : "", "value", 5);
                best_offer(&b, name ? name : "", "ramp", 4);
                char hint[CONFIG_PATH_MAX + 32] = "";
                if (name && b.dist <= suggest_limit(name)) {
                    snprintf(hint, sizeof hint, "; did you mean '%s'?", b.name);
                }
                rc = errn(d, kn, sub, "unknown key (got '%s', expected at, value or ramp%s)",
                          name ? shown(name, got, sizeof got) : "?", hint);
            } else if (*slot) {
                rc = errn(d, kn, sub, "duplicate key (got '%s' twice, expected each key once)", name);
            } else {
                *slot = vn;
            }
        }
        if (rc != SIM_OK) {
            break;
        }
        if (at == NULL || val == NULL) {
            rc = errn(d, pt, sub, "missing required key (got no '%s', expected {at: TIME, value: V})",
                      at ? "value" : "at");
            break;
        }
        struct schedule_point *p = &s.pts[i];
        const char *t;
        char leaf[CONFIG_PATH_MAX + 48];
        snprintf(leaf, sizeof leaf, "%s.at", sub);
        rc = (t = scalar_text(at)) ? get_quantity(d, at, leaf, t, U_TIME, 0, 0, INFINITY, &p->at_s)
                                   : errn(d, at, leaf, "wrong type (expected a time)");
        if (rc == SIM_OK) {
            snprintf(leaf, sizeof leaf, "%s.value", sub);
            rc = (t = scalar_text(val))
                     ? get_quantity(d, val, leaf, t, k->unit, k->flags & ~KF_UNLIMITED, k->lo, k->hi,
                                    &p->value)
                     : errn(d, val, leaf, "wrong type (expected a value)");
        }
        if (rc == SIM_OK && ramp) {
            snprintf(leaf, sizeof leaf, "%s.ramp", sub);
            rc = (t = scalar_text(ramp)) ? get_quantity(d, ramp, leaf, t, U_TIME, 0, 0, INFINITY, &p->ramp_s)
                                         : errn(d, ramp, leaf, "wrong type (expected a time)");
        }
        if (rc == SIM_OK && i > 0 && p->at_s < s.pts[i - 1].at_s) {
            snprintf(leaf, sizeof leaf, "%s.at", sub);
            rc = errn(d, at, leaf, "out of order (got %s, expected a time >= the previous point's)",
                      shown(scalar_text(at), got, sizeof got));
        } else if (rc == SIM_OK && i > 0 && p->at_s < s.pts[i - 1].at_s + s.pts[i - 1].ramp_s) {
            /* A point inside the previous ramp would never take effect: the ramp runs on. */
            snprintf(leaf, sizeof leaf, "%s.at", sub);
            rc = errn(d, at, leaf, "overlaps the previous ramp (got %s, expected a time >= %gs, "
                      "where the ramp from %gs ends)", shown(scalar_text(at), got, sizeof got),
                      s.pts[i - 1].at_s + s.pts[i - 1].ramp_s, s.pts[i - 1].at_s);
        }
        s.n = i + 1;
    }
    if (rc != SIM_OK) {
        free_schedule(&s);
        return rc;
    }
    *out = s;
    return SIM_OK;
}

/* ---- applying one value ---- */

static int parse_text_doc(struct load *ld, int file, const char *data, size_t len,
                          yaml_document_t *y, bool *empty);

/* A scalar (file, --set or default) into key k of base. */
static int set_scalar(struct doc *d, const struct key *k, void *base, const yaml_node_t *n,
                      const char *text)
{
    void *f = field(k, base);
    char got[64], want[160];
    switch (k->type) {
    case KT_STR: {
        if (strlen(text) >= k->size) {
            return errn(d, n, k->path, "too long (got %zu characters, expected at most %zu)",
                        strlen(text), k->size - 1);
        }
        if ((k->flags & KF_PATH) && text[0] != '\0') {
            char full[PATH_MAX], real[PATH_MAX];
            path_join(full, sizeof full, d->dir, text);
            const char *use = realpath(full, real) ? real : full;
            if (strlen(use) >= k->size) {
                return errn(d, n, k->path, "too long (got a %zu-character path, expected at most %zu)",
                            strlen(use), k->size - 1);
            }
            memcpy(f, use, strlen(use) + 1);
            return SIM_OK;
        }
        memcpy(f, text, strlen(text) + 1);
        return SIM_OK;
    }
    case KT_NUM:
        return get_quantity(d, n, k->path, text, k->unit, k->flags, k->lo, k->hi, (double *)f);
    case KT_UINT: {
        double v = 0.0;
        int rc = get_quantity(d, n, k->path, text, U_NONE, KF_INT, k->lo, k->hi, &v);
        if (rc == SIM_OK) {
            *(unsigned *)f = (unsigned)v;
        }
        return rc;
    }
    case KT_U64: {
        const char *p = text;
        uint64_t v = 0;
        bool ok = *p != '\0';
        for (; *p && ok; p++) {
            unsigned dgt = (unsigned)(*p - '0');
            ok = dgt <= 9 && v <= (UINT64_MAX - dgt) / 10;
            v = v * 10 + dgt;
        }
        if (!ok) {
            return errn(d, n, k->path, "wrong type (got '%s', expected an integer in [0, %" PRIu64 "])",
                        shown(text, got, sizeof got), UINT64_MAX);
        }
        *(uint64_t *)f = v;
        return SIM_OK;
    }
    case KT_BOOL: {
        static const char *const t[] = {"true", "True", "TRUE", "yes", "on"};
        static const char *const fa[] = {"false", "False", "FALSE", "no", "off"};
        for (size_t i = 0; i < 5; i++) {
            if (strcmp(text, t[i]) == 0 || strcmp(text, fa[i]) == 0) {
                *(bool *)f = strcmp(text, t[i]) == 0;
                return SIM_OK;
            }
        }
        return errn(d, n, k->path, "wrong type (got '%s', expected true or false)",
                    shown(text, got, sizeof got));
    }
    case KT_ENUM: {
        size_t used = 0;
        want[0] = '\0';
        struct best b = {.dist = SIZE_MAX};
        for (int i = 0; k->names[i]; i++) {
            if (strcmp(text, k->names[i]) == 0) {
                *(int *)f = i;
                return SIM_OK;
            }
        }
        for (int i = 0; k->names[i]; i++) {
            best_offer(&b, text, k->names[i], strlen(k->names[i]));
            used += (size_t)snprintf(want + used, sizeof want - used, "%s%s", i ? ", " : "", k->names[i]);
            if (used >= sizeof want) {
                used = sizeof want - 1;
            }
        }
        char hint[CONFIG_PATH_MAX + 32] = "";
        if (b.dist <= suggest_limit(text)) {
            snprintf(hint, sizeof hint, "; did you mean '%s'?", b.name);
        }
        return errn(d, n, k->path, "unknown value (got '%s', expected one of %s%s)",
                    shown(text, got, sizeof got), want, hint);
    }
    case KT_DIST: {
        double v = 0.0;
        int rc = get_quantity(d, n, k->path, text, k->unit, 0, 0.0, INFINITY, &v);
        if (rc != SIM_OK) {
            return rc;
        }
        free_dist(f);
        *(struct sim_dist *)f = sim_dist_deterministic(v);
        return SIM_OK;
    }
    case KT_SCHED: {
        struct schedule *s = f;
        double v = 0.0;
        if (is_absent_word(text)) {
            free_schedule(s);
            return SIM_OK;
        }
        int rc = get_quantity(d, n, k->path, text, k->unit, k->flags & ~KF_UNLIMITED, k->lo, k->hi, &v);
        if (rc != SIM_OK) {
            return rc;
        }
        free_schedule(s);
        s->pts = sim_xmalloc(sizeof *s->pts);
        s->pts[0] = (struct schedule_point){.at_s = 0.0, .value = v, .ramp_s = 0.0};
        s->n = 1;
        return SIM_OK;
    }
    }
    return SIM_EINVAL;
}

static int set_node(struct doc *d, size_t ki, void *base, const yaml_node_t *n)
{
    const struct key *k = &keys[ki];
    int rc;
    if (n->type == YAML_SCALAR_NODE) {
        const char *t = scalar_text(n);
        rc = t ? set_scalar(d, k, base, n, t)
               : errn(d, n, k->path, "wrong type (got a string with a NUL character, expected text)");
    } else if (n->type == YAML_MAPPING_NODE && k->type == KT_DIST) {
        struct sim_dist dist;
        rc = parse_dist(d, k, n, k->path, &dist);
        if (rc == SIM_OK) {
            free_dist(field(k, base));
            *(struct sim_dist *)field(k, base) = dist;
        }
    } else if (n->type == YAML_SEQUENCE_NODE && k->type == KT_SCHED) {
        struct schedule s;
        rc = parse_schedule(d, k, n, k->path, &s);
        if (rc == SIM_OK) {
            free_schedule(field(k, base));
            *(struct schedule *)field(k, base) = s;
        }
    } else {
        char want[200];
        if (k->type == KT_DIST) {
            snprintf(want, sizeof want, "a quantity or {dist: NAME, ...}");
        } else if (k->type == KT_SCHED) {
            snprintf(want, sizeof want, "a number or a list of {at, value, ramp}");
        } else {
            snprintf(want, sizeof want, "a scalar");
        }
        rc = errn(d, n, k->path, "wrong type (got %s, expected %s)", node_type_name(n), want);
    }
    if (rc == SIM_OK) {
        note_where(d, ki, n);
    }
    return rc;
}

/* Value text as YAML ("{dist: exponential, mean: 5ms}", "'a b'", "64"), for --set and defaults. */
static int set_text(struct doc *parent, size_t ki, void *base, const char *text, int file, int col_offset)
{
    struct doc d = {.ld = parent->ld, .file = file, .col_offset = col_offset};
    yaml_document_t y;
    bool empty = false;
    int rc = parse_text_doc(parent->ld, file, text, strlen(text), &y, &empty);
    if (rc != SIM_OK) {
        return rc;
    }
    d.y = &y;
    if (empty) {
        rc = set_scalar(&d, &keys[ki], base, NULL, "");
        if (rc == SIM_OK) {
            note_where(&d, ki, NULL);
        }
    } else {
        rc = set_node(&d, ki, base, yaml_document_get_root_node(&y));
    }
    yaml_document_delete(&y);
    return rc;
}

/* ---- defaults ---- */

/* "{dist: lognormal, mean: 20ms, cv: 1}" as a YAML document, built through libyaml's
 * document API instead of its parser: the table's defaults are flat flow mappings of
 * plain scalars, so splitting at ", " and ": " is enough. */
static bool flow_default_doc(const char *text, yaml_document_t *y)
{
    char buf[160];
    size_t n = strlen(text);
    if (n < 2 || n - 2 >= sizeof buf || text[n - 1] != '}') {
        return false;
    }
    memcpy(buf, text + 1, n - 2);
    buf[n - 2] = '\0';
    if (!yaml_document_initialize(y, NULL, NULL, NULL, 1, 1)) {
        return false;
    }
    int map = yaml_document_add_mapping(y, NULL, YAML_FLOW_MAPPING_STYLE);
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        if (colon == NULL) {
            yaml_document_delete(y);
            return false;
        }
        *colon = '\0';
        char *k = item, *v = colon + 1;
        while (*k == ' ') {
            k++;
        }
        while (*v == ' ') {
            v++;
        }
        int kn = yaml_document_add_scalar(y, NULL, (yaml_char_t *)k, (int)strlen(k), YAML_PLAIN_SCALAR_STYLE);
        int vn = yaml_document_add_scalar(y, NULL, (yaml_char_t *)v, (int)strlen(v), YAML_PLAIN_SCALAR_STYLE);
        if (!map || !kn || !vn || !yaml_document_append_mapping_pair(y, map, kn, vn)) {
            yaml_document_delete(y);
            return false;
        }
    }
    return true;
}

static void apply_defaults(enum config_kind kind, void *base)
{
    struct sim_err err;
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, &err);
    struct doc d = {.ld = ld, .file = intern_file(ld, "(default)")};
    for (size_t i = 0; i < N_KEYS; i++) {
        if (keys[i].kind != kind) {
            continue;
        }
        int rc;
        /* Defaults need no YAML parser: they are applied on every load, so their cost
         * is the floor of every load (and of every fuzz input). */
        if (keys[i].def[0] == '{') {
            yaml_document_t y;
            SIM_REQUIRE(flow_default_doc(keys[i].def, &y));
            d.y = &y;
            rc = set_node(&d, i, base, yaml_document_get_root_node(&y));
            d.y = NULL;
            yaml_document_delete(&y);
        } else {
            rc = set_scalar(&d, &keys[i], base, NULL, keys[i].def);
        }
        if (rc != SIM_OK) {
            fprintf(stderr, "config: bad default: %s\n", err.msg);
        }
        SIM_REQUIRE(rc == SIM_OK);
    }
    free(ld);
}

void config_default_profile(struct profile *out)
{
    memset(out, 0, sizeof *out);
    apply_defaults(CONFIG_PROFILE, out);
}

void config_default_design(struct design *out)
{
    memset(out, 0, sizeof *out);
    apply_defaults(CONFIG_DESIGN, out);
}

void config_default_run(struct run_params *out)
{
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    apply_defaults(CONFIG_SCENARIO, ex);
    *out = ex->run;
    free(ex);
}

static void free_kind(enum config_kind kind, void *base)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        if (keys[i].kind != kind) {
            continue;
        }
        if (keys[i].type == KT_DIST) {
            free_dist(field(&keys[i], base));
        } else if (keys[i].type == KT_SCHED) {
            free_schedule(field(&keys[i], base));
        }
    }
}

void config_free_profile(struct profile *p)
{
    free_kind(CONFIG_PROFILE, p);
    free(p->trace.t_s);
    p->trace.t_s = NULL;
    p->trace.n = 0;
}

void config_free_design(struct design *d)
{
    free_kind(CONFIG_DESIGN, d);
}

void config_free_experiment(struct experiment *ex)
{
    config_free_profile(&ex->profile);
    config_free_design(&ex->design);
}

static void reset_kind(enum config_kind kind, void *base)
{
    if (kind == CONFIG_PROFILE) {
        config_free_profile(base);
        config_default_profile(base);
    } else if (kind == CONFIG_DESIGN) {
        config_free_design(base);
        config_default_design(base);
    } else {
        struct experiment *ex = base;
        config_free_experiment(ex);
        memset(ex, 0, sizeof *ex);
        apply_defaults(CONFIG_SCENARIO, ex);
        config_default_profile(&ex->profile);
        config_default_design(&ex->design);
    }
}

/* ---- documents ---- */

/* Parses data as one YAML document.  *empty (when non-NULL) reports a text with
 * no document instead of failing; otherwise that is an error. */
static int parse_text_doc(struct load *ld, int file, const char *data, size_t len,
                          yaml_document_t *y, bool *empty)
{
    const char *fname = ld->files[file];
    const char *nul = memchr(data, '\0', len);
    if (nul != NULL) {
        long line = 1, col = 1;
        for (const char *p = data; p < nul; p++) {
            line += *p == '\n';
            col = *p == '\n' ? 1 : col + 1;
        }
        return err_at(ld, fname, line, col, "(document)",
                      "binary data (got a NUL byte, expected UTF-8 YAML text)");
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        return err_at(ld, fname, 1, 1, "(document)", "out of memory in the YAML parser");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    if (!yaml_parser_load(&p, y)) {
        yaml_mark_t reader_mark = {0};
        const yaml_mark_t *m = &p.problem_mark;
        if (p.error == YAML_READER_ERROR) {
            /* Encoding errors carry a byte offset, not a mark. */
            for (size_t i = 0; i < p.problem_offset && i < len; i++) {
                reader_mark.line += data[i] == '\n';
                reader_mark.column = data[i] == '\n' ? 0 : reader_mark.column + 1;
            }
            m = &reader_mark;
        }
        char what[200];
        if (p.context) {
            snprintf(what, sizeof what, "%s %s (line %zu, column %zu)", p.problem ? p.problem : "error",
                     p.context, p.context_mark.line + 1, p.context_mark.column + 1);
        } else {
            snprintf(what, sizeof what, "%s", p.problem ? p.problem : "error");
        }
        int rc = err_at(ld, fname, (long)m->line + 1, (long)m->column + 1, "(document)",
                        "YAML syntax error: %s", what);
        yaml_parser_delete(&p);
        return rc;
    }
    if (yaml_document_get_root_node(y) == NULL) {
        yaml_document_delete(y);
        yaml_parser_delete(&p);
        if (empty) {
            *empty = true;
            yaml_document_initialize(y, NULL, NULL, NULL, 1, 1);
            return SIM_OK;
        }
        return err_at(ld, fname, 1, 1, "(document)",
                      "empty file (got no YAML document, expected a mapping of keys)");
    }
    /* A second document would be silently ignored; say so instead. */
    yaml_document_t extra;
    int rc = SIM_OK;
    if (!yaml_parser_load(&p, &extra)) {
        const yaml_mark_t *m = &p.problem_mark;
        rc = err_at(ld, fname, (long)m->line + 1, (long)m->column + 1, "(document)",
                    "YAML syntax error: %s", p.problem ? p.problem : "error");
    } else {
        const yaml_node_t *r2 = yaml_document_get_root_node(&extra);
        if (r2 != NULL) {
            rc = err_at(ld, fname, (long)r2->start_mark.line + 1, (long)r2->start_mark.column + 1,
                        "(document)", "more than one document (expected exactly one)");
        }
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&p);
    if (rc != SIM_OK) {
        yaml_document_delete(y);
    }
    return rc;
}

/* A resolved source: where its text is and what to call it. */
struct source {
    int file;
    char dir[PATH_MAX];
    char id[PATH_MAX];
    char stem[PARAMS_NAME_MAX];
    const char *data;
    size_t len;
    char *owned;
    enum config_kind builtin_kind; /* CONFIG_N_KINDS: a file */
};

static bool looks_like_path(const char *t)
{
    size_t n = strlen(t);
    return strchr(t, '/') != NULL || (n > 5 && strcmp(t + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(t + n - 4, ".yml") == 0);
}

static const char *const kind_dirs[CONFIG_N_KINDS] = {"profiles", "designs", "scenarios"};

static void builtin_names(enum config_kind kind, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < config_builtin_count() && used < size; i++) {
        const struct config_builtin *b = config_builtin_at(i);
        if (kind == CONFIG_N_KINDS || b->kind == kind) {
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", b->name);
        }
    }
}

/* "; did you mean 'x'?" for a misspelt built-in name, or "". */
static void suggest_builtin(enum config_kind kind, const char *want, char *out, size_t size)
{
    struct best b = {.dist = SIZE_MAX};
    for (size_t i = 0; i < config_builtin_count(); i++) {
        const struct config_builtin *c = config_builtin_at(i);
        if (kind == CONFIG_N_KINDS || c->kind == kind) {
            best_offer(&b, want, c->name, strlen(c->name));
        }
    }
    out[0] = '\0';
    if (b.dist > 0 && b.dist <= suggest_limit(want)) {
        snprintf(out, size, "; did you mean '%s'?", b.name);
    }
}

static int ref_error(struct load *ld, const struct ref *from, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int ref_error(struct load *ld, const struct ref *from, const char *text, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc;
    if (from) {
        const yaml_node_t *n = from->node;
        rc = verr_at(ld, ld->files[from->d->file], n ? (long)n->start_mark.line + 1 : 1,
                     (n ? (long)n->start_mark.column + 1 : 1) + from->d->col_offset, from->key, fmt, ap);
    } else {
        rc = verr_at(ld, text, 1, 1, "(file)", fmt, ap);
    }
    va_end(ap);
    return rc;
}

/* Finds a built-in or a file for text; kind CONFIG_N_KINDS accepts any kind. */
static int source_open(struct load *ld, enum config_kind kind, const char *text, const char *rel_dir,
                       const struct ref *from, struct source *s)
{
    memset(s, 0, sizeof *s);
    s->builtin_kind = CONFIG_N_KINDS;
    char got[64];
    if (text[0] == '\0' || strlen(text) >= 480) {
        return ref_error(ld, from, text, "wrong type (got '%s', expected a name or a path)",
                         shown(text, got, sizeof got));
    }
    char path[PATH_MAX] = "";
    bool pathy = looks_like_path(text);
    if (pathy) {
        path_join(path, sizeof path, rel_dir, text);
    } else if (rel_dir[0] != '\0') {
        /* A bare name next to the file that names it wins over the built-in, so an edited
         * checkout of configs/ is used as a whole. */
        char cand[PATH_MAX], rel[PATH_MAX];
        snprintf(rel, sizeof rel, "%s.yaml", text);
        path_join(cand, sizeof cand, rel_dir, rel);
        if (file_exists(cand)) {
            snprintf(path, sizeof path, "%s", cand);
        } else if (kind != CONFIG_N_KINDS) {
            snprintf(rel, sizeof rel, "../%s/%s.yaml", kind_dirs[kind], text);
            path_join(cand, sizeof cand, rel_dir, rel);
            if (file_exists(cand)) {
                snprintf(path, sizeof path, "%s", cand);
            }
        }
    }
    if (path[0] == '\0' || (!pathy && !file_exists(path))) {
        const struct config_builtin *b = NULL;
        for (int kk = 0; kk < CONFIG_N_KINDS && b == NULL; kk++) {
            if (kind == CONFIG_N_KINDS || kind == (enum config_kind)kk) {
                b = config_builtin_find((enum config_kind)kk, text);
            }
        }
        if (b) {
            s->file = intern_file(ld, b->path);
            s->builtin_kind = b->kind;
            snprintf(s->id, sizeof s->id, "builtin:%s", b->path);
            snprintf(s->stem, sizeof s->stem, "%s", b->name);
            s->data = (const char *)b->data;
            s->len = b->len;
            return SIM_OK;
        }
        if (file_exists(text)) {
            snprintf(path, sizeof path, "%s", text);
        } else {
            char names[400], hint[CONFIG_PATH_MAX + 32];
            builtin_names(kind, names, sizeof names);
            suggest_builtin(kind, text, hint, sizeof hint);
            const char *what = kind == CONFIG_N_KINDS ? "config" : config_kind_name(kind);
            if (!from) {
                /* A name from the command line: no file to point into. */
                return sim_err_set(ld->err, SIM_EINVAL,
                                   "unknown %s '%s' (expected a built-in name (%s) or a path to a "
                                   ".yaml file)%s",
                                   what, shown(text, got, sizeof got), names, hint);
            }
            return ref_error(ld, from, text,
                             "unknown %s (got '%s', expected a built-in name (%s) or a path to a .yaml file)%s",
                             what, shown(text, got, sizeof got), names, hint);
        }
    }
    char why[160];
    size_t len = 0;
    if (read_file(path, &s->owned, &len, why, sizeof why) != SIM_OK) {
        if (from) {
            return ref_error(ld, from, text, "cannot read '%s': %s", path, why);
        }
        return err_at(ld, path, 1, 1, "(file)", "cannot read: %s", why);
    }
    s->data = s->owned;
    s->len = len;
    s->file = intern_file(ld, path);
    path_dir(path, s->dir, sizeof s->dir);
    path_stem(path, s->stem, sizeof s->stem);
    char real[PATH_MAX];
    snprintf(s->id, sizeof s->id, "%s", realpath(path, real) ? real : path);
    return SIM_OK;
}

static int apply_root(struct doc *d, enum config_kind kind, const yaml_node_t *root, void *out,
                      const char *stem, bool reset_without_base, struct scen *sc);

/* Applies the parsed source s as kind to out; s stays on the chain meanwhile. */
static int source_apply(struct load *ld, enum config_kind kind, struct source *s,
                        yaml_document_t *y, void *out, struct scen *sc)
{
    snprintf(ld->chain_id[ld->n_chain], sizeof ld->chain_id[0], "%.1023s", s->id);
    ld->chain_file[ld->n_chain++] = s->file;
    struct doc *d = sim_xcalloc(1, sizeof *d);
    d->ld = ld;
    d->file = s->file;
    d->y = y;
    snprintf(d->dir, sizeof d->dir, "%s", s->dir);
    int rc = apply_root(d, kind, yaml_document_get_root_node(y), out, s->stem, true, sc);
    free(d);
    ld->n_chain--;
    return rc;
}

/* Opens, parses and applies a named source: a file, a built-in, or a `base:`. */
static int load_source(struct load *ld, enum config_kind kind, const char *text, const char *rel_dir,
                       const struct ref *from, void *out, struct scen *sc)
{
    struct source s;
    int rc = source_open(ld, kind, text, rel_dir, from, &s);
    if (rc != SIM_OK) {
        return rc;
    }
    for (int i = 0; i < ld->n_chain && rc == SIM_OK; i++) {
        if (strcmp(ld->chain_id[i], s.id) == 0) {
            char cyc[600];
            size_t used = 0;
            for (int j = i; j < ld->n_chain && used < sizeof cyc; j++) {
                used += (size_t)snprintf(cyc + used, sizeof cyc - used, "%s -> ",
                                         ld->files[ld->chain_file[j]]);
            }
            if (used < sizeof cyc) {
                snprintf(cyc + used, sizeof cyc - used, "%s", ld->files[s.file]);
            }
            rc = ref_error(ld, from, text, "inheritance cycle (got %s, expected a chain that ends)", cyc);
        }
    }
    if (rc == SIM_OK && ld->n_chain >= CONFIG_MAX_DEPTH) {
        rc = ref_error(ld, from, text, "inheritance too deep (expected at most %d levels)",
                       CONFIG_MAX_DEPTH);
    }
    yaml_document_t y;
    if (rc == SIM_OK) {
        rc = parse_text_doc(ld, s.file, s.data, s.len, &y, NULL);
        if (rc == SIM_OK) {
            rc = source_apply(ld, kind, &s, &y, out, sc);
            yaml_document_delete(&y);
        }
    }
    free(s.owned);
    return rc;
}

static const yaml_node_t *map_get(const yaml_document_t *y, const yaml_node_t *map, const char *name,
                                  const yaml_node_t **key_out)
{
    for (const yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        const yaml_node_t *kn = yaml_document_get_node((yaml_document_t *)y, pr->key);
        const char *t = scalar_text(kn);
        if (t && strcmp(t, name) == 0) {
            if (key_out) {
                *key_out = kn;
            }
            return yaml_document_get_node((yaml_document_t *)y, pr->value);
        }
    }
    return NULL;
}

static int walk(struct doc *d, enum config_kind kind, void *out, const yaml_node_t *map,
                const char *prefix, struct scen *sc);

/* The scenario's `profile:` / `design:`: a name, a path, or an inline mapping. */
static int scenario_part(struct doc *d, enum config_kind kind, const yaml_node_t *kn,
                         const yaml_node_t *vn, struct experiment *ex, struct scen *sc)
{
    const char *name = config_kind_name(kind);
    void *out = kind == CONFIG_PROFILE ? (void *)&ex->profile : (void *)&ex->design;
    int rc;
    (void)kn;
    if (vn->type == YAML_MAPPING_NODE) {
        rc = apply_root(d, kind, vn, out, NULL, false, NULL);
    } else if (scalar_text(vn) && !is_absent_word(scalar_text(vn))) {
        struct ref from = {.d = d, .node = vn, .key = name};
        rc = load_source(d->ld, kind, scalar_text(vn), d->dir, &from, out, NULL);
    } else {
        rc = errn(d, vn, name, "wrong type (got %s, expected a %s name, a path or a mapping)",
                  node_type_name(vn), name);
    }
    if (rc == SIM_OK) {
        if (kind == CONFIG_PROFILE) {
            sc->have_profile = true;
        } else {
            sc->have_design = true;
        }
    }
    return rc;
}

static int walk(struct doc *d, enum config_kind kind, void *out, const yaml_node_t *map,
                const char *prefix, struct scen *sc)
{
    char full[CONFIG_PATH_MAX], got[64];
    for (const yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
         pr++) {
        const yaml_node_t *kn, *vn;
        const char *name;
        int rc = pair_read(d, pr, prefix[0] ? prefix : "(document)", "a plain key", &kn, &vn,
                           &name);
        if (rc != SIM_OK) {
            return rc;
        }
        if (prefix[0] && strlen(prefix) + strlen(name) + 2 > sizeof full) {
            return errn(d, kn, prefix, "unknown key (got '%s', expected a key of %s)",
                        shown(name, got, sizeof got), prefix);
        }
        if (!prefix[0] && strlen(name) + 1 > sizeof full) {
            return errn(d, kn, "(document)", "unknown key (got '%s')", shown(name, got, sizeof got));
        }
        snprintf(full, sizeof full, "%s%s%s", prefix, prefix[0] ? "." : "", name);
        for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
            const char *other = scalar_text(yaml_document_get_node(d->y, q->key));
            if (other && strcmp(other, name) == 0) {
                return errn(d, kn, full, "duplicate key (got '%s' twice, expected each key once)",
                            shown(name, got, sizeof got));
            }
        }
        if (!prefix[0]) {
            if (strcmp(name, "base") == 0) {
                continue; /* applied first, by apply_root */
            }
            if (strcmp(name, "kind") == 0) {
                continue; /* checked first, by apply_root */
            }
            if (kind == CONFIG_SCENARIO &&
                (strcmp(name, "profile") == 0 || strcmp(name, "design") == 0)) {
                rc = scenario_part(d, name[0] == 'p' ? CONFIG_PROFILE : CONFIG_DESIGN, kn, vn,
                                   out, sc);
                if (rc != SIM_OK) {
                    return rc;
                }
                continue;
            }
        }
        long ki = key_find(kind, full);
        if (ki >= 0) {
            if (d->seen[ki]) {
                return errn(d, kn, full, "duplicate key (got '%s' twice, expected each key once)", full);
            }
            d->seen[ki] = 1;
            rc = set_node(d, (size_t)ki, out, vn);
            if (rc != SIM_OK) {
                return rc;
            }
            continue;
        }
        if (key_is_section(kind, full)) {
            if (vn->type == YAML_MAPPING_NODE) {
                rc = walk(d, kind, out, vn, full, sc);
                if (rc != SIM_OK) {
                    return rc;
                }
                continue;
            }
            if (vn->type == YAML_SCALAR_NODE && scalar_text(vn) && scalar_text(vn)[0] == '\0') {
                continue; /* `upstream:` with nothing under it */
            }
            return errn(d, vn, full, "wrong type (got %s, expected a mapping of %s keys)",
                        node_type_name(vn), full);
        }
        char hint[CONFIG_PATH_MAX + 40];
        suggest_key(kind, full, false, hint, sizeof hint);
        return errn(d, kn, full, "unknown key (got '%s', expected a %s key%s)",
                    shown(name, got, sizeof got), config_kind_name(kind), hint);
    }
    return SIM_OK;
}

/* A document's root (or an inline mapping): `base:` first, then every key. */
static int apply_root(struct doc *d, enum config_kind kind, const yaml_node_t *root, void *out,
                      const char *stem, bool reset_without_base, struct scen *sc)
{
    if (root->type != YAML_MAPPING_NODE) {
        return errn(d, root, "(document)", "wrong type (got %s, expected a mapping of %s keys)",
                    node_type_name(root), config_kind_name(kind));
    }
    /* The kind before the base: a design given where a profile goes would
     * otherwise fail on its base ("unknown profile 'refactored-hardened'"). */
    const yaml_node_t *kkey = NULL;
    const yaml_node_t *kv = map_get(d->y, root, "kind", &kkey);
    const char *kt = kv ? scalar_text(kv) : NULL;
    if (kv && (kt == NULL || strcmp(kt, config_kind_name(kind)) != 0)) {
        char got[64];
        return errn(d, kv, "kind", "wrong kind (got '%s', expected '%s' here)",
                    kt ? shown(kt, got, sizeof got) : node_type_name(kv), config_kind_name(kind));
    }
    const yaml_node_t *bkey = NULL;
    const yaml_node_t *bn = map_get(d->y, root, "base", &bkey);
    if (bn != NULL) {
        const char *t = scalar_text(bn);
        if (t == NULL || is_absent_word(t)) {
            return errn(d, bn, "base", "wrong type (got %s, expected a %s name or path)",
                        node_type_name(bn), config_kind_name(kind));
        }
        struct ref from = {.d = d, .node = bn, .key = "base"};
        int rc = load_source(d->ld, kind, t, d->dir, &from, out, sc);
        if (rc != SIM_OK) {
            return rc;
        }
        if (kind == CONFIG_DESIGN) {
            snprintf(((struct design *)out)->base, PARAMS_NAME_MAX, "%.*s", PARAMS_NAME_MAX - 1, t);
        }
    } else if (reset_without_base) {
        reset_kind(kind, out);
    }
    if (stem) {
        /* The name defaults to the file's stem; a `name:` key below overrides it. */
        char *name = kind == CONFIG_PROFILE  ? ((struct profile *)out)->name
                     : kind == CONFIG_DESIGN ? ((struct design *)out)->name
                                             : ((struct experiment *)out)->name;
        snprintf(name, PARAMS_NAME_MAX, "%s", stem);
    }
    if (sc && kind == CONFIG_SCENARIO && sc->where.file < 0) {
        sc->where = (struct where){d->file, (int)root->start_mark.line + 1, (int)root->start_mark.column + 1};
    }
    return walk(d, kind, out, root, "", sc);
}

/* ---- rules across keys, checked once everything is applied ---- */

static int err_key(struct load *ld, enum config_kind kind, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int err_key(struct load *ld, enum config_kind kind, const char *path, const char *fmt, ...)
{
    long ki = key_find(kind, path);
    SIM_REQUIRE(ki >= 0);
    const struct where *w = &ld->locs[ki];
    const char *file = w->file >= 0 ? ld->files[w->file] : ld->n_files ? ld->files[0] : "(default)";
    va_list ap;
    va_start(ap, fmt);
    int rc = verr_at(ld, file, w->file >= 0 ? w->line : 1, w->file >= 0 ? w->col : 1, path, fmt, ap);
    va_end(ap);
    return rc;
}

static int finalize_profile(struct load *ld, struct profile *p)
{
    char a[40], b[40];
    double sum = p->mix.post_json_p + p->mix.post_sse_p + p->mix.get_sse_p;
    if (fabs(sum - 1.0) > 1e-6) {
        snprintf(a, sizeof a, "%.6g", sum);
        return err_key(ld, CONFIG_PROFILE, "mix.post_json",
                       "out of range (got post_json + post_sse + get_sse = %s, expected a sum of 1)", a);
    }
    if (!(p->warmup_s < p->duration_s)) {
        fmt_qty(a, sizeof a, p->warmup_s, U_TIME, "");
        fmt_qty(b, sizeof b, p->duration_s, U_TIME, "");
        return err_key(ld, CONFIG_PROFILE, "warmup", "out of range (got %s, expected less than duration %s)",
                       a, b);
    }
    if (p->transient && (p->warmup_s > 0.0 || p->warmup_mser5)) {
        fmt_qty(a, sizeof a, p->warmup_s, U_TIME, "");
        /* Point at the warm-up key, the one to change, where it was set (the
         * profile, a scenario's override or --set); at transient when the
         * warm-up is the default. */
        const char *key = p->warmup_s > 0.0 ? "warmup" : "warmup_mser5";
        const char *with = "transient: true";
        if (ld->locs[key_find(CONFIG_PROFILE, key)].file < 0) {
            key = "transient";
            with = "the warm-up";
        }
        return err_key(ld, CONFIG_PROFILE, key,
                       "conflicts with %s (got warmup %s%s, expected warmup: 0s%s: a transient run "
                       "has no steady state to discard a warm-up before)",
                       with, a, p->warmup_mser5 ? " and warmup_mser5: true" : "",
                       p->warmup_mser5 ? " and warmup_mser5: false" : "");
    }
    if (p->sample_dt_s > p->duration_s) {
        fmt_qty(a, sizeof a, p->sample_dt_s, U_TIME, "");
        return err_key(ld, CONFIG_PROFILE, "sample_dt",
                       "out of range (got %s, expected at most the duration)", a);
    }
    if (ceil(p->duration_s / p->sample_dt_s - 1e-9) > CONFIG_MAX_SAMPLE_WINDOWS) { /* as proxy.c */
        char least[64];
        fmt_qty(a, sizeof a, p->sample_dt_s, U_TIME, "");
        fmt_qty(least, sizeof least, p->duration_s / CONFIG_MAX_SAMPLE_WINDOWS, U_TIME, "");
        return err_key(ld, CONFIG_PROFILE, "sample_dt",
                       "out of range (got %s, expected at least duration / %d = %s: the time "
                       "series keep at most %d windows)",
                       a, CONFIG_MAX_SAMPLE_WINDOWS, least, CONFIG_MAX_SAMPLE_WINDOWS);
    }
    const char *kind = arrival_names[p->arrivals];
    if ((p->arrivals == ARRIVALS_POISSON || p->arrivals == ARRIVALS_ONOFF) && p->rate_per_s.n == 0) {
        return err_key(ld, CONFIG_PROFILE, "arrivals.kind",
                       "missing required key (got kind %s without arrivals.rate, expected a rate schedule)",
                       kind);
    }
    if (p->arrivals == ARRIVALS_CLOSED && p->clients.n == 0) {
        return err_key(ld, CONFIG_PROFILE, "arrivals.kind",
                       "missing required key (got kind closed without arrivals.clients, expected a "
                       "client population)");
    }
    if (p->arrivals == ARRIVALS_TRACE) {
        if (p->trace.path[0] == '\0') {
            return err_key(ld, CONFIG_PROFILE, "arrivals.kind",
                           "missing required key (got kind trace without arrivals.trace.file, expected "
                           "a CSV file)");
        }
        long ki = key_find(CONFIG_PROFILE, "arrivals.trace.file");
        const struct where *w = &ld->locs[ki];
        double *t = NULL;
        size_t n = 0;
        int rc = read_samples_file(ld, p->trace.path, p->trace.column, true, 1.0,
                                   "arrivals.trace.file", &t, &n,
                                   w->file >= 0 ? ld->files[w->file] : "(default)", w->line, w->col);
        if (rc != SIM_OK) {
            return rc;
        }
        /* The reader sorts the instants.  Access-log times are absolute (seconds since
         * 1970): the replay starts the trace at its first arrival, at 0 s of the run. */
        double first = t[0];
        for (size_t i = 0; i < n; i++) {
            t[i] -= first;
        }
        free(p->trace.t_s);
        p->trace.t_s = t;
        p->trace.n = n;
    }
    return SIM_OK;
}

static int finalize_design(struct load *ld, struct design *d)
{
    const struct degradation_params *g = &d->server.degradation;
    if (g->enabled) {
        char a[40], b[40];
        /* The rungs come in order; an absent one ('unlimited') is never reached. */
        if (g->essential_at < g->degraded_at || g->protective_at < g->essential_at) {
            bool first = g->essential_at < g->degraded_at;
            fmt_qty(a, sizeof a, first ? g->essential_at : g->protective_at, U_NONE, "unlimited");
            fmt_qty(b, sizeof b, first ? g->degraded_at : g->essential_at, U_NONE, "unlimited");
            return err_key(ld, CONFIG_DESIGN,
                           first ? "server.degradation.essential_at"
                                 : "server.degradation.protective_at",
                           "out of range (got %s, expected at least %s %s)", a,
                           first ? "degraded_at" : "essential_at", b);
        }
        /* Load is a fraction of the design's own limits: without one it is always 0. */
        if (!isfinite(d->server.max_client_conns) && !isfinite(d->server.max_inflight) &&
            !isfinite(d->spawn.max_tasks) && !isfinite(d->server.max_memory_bytes)) {
            return err_key(ld, CONFIG_DESIGN, "server.degradation.enabled",
                           "out of range (got true with no limit to measure load against, expected "
                           "a finite server.max_client_conns, server.max_inflight, spawn.max_tasks "
                           "or server.max_memory)");
        }
    }
    /* connpool.c would run it as HTTP/1.1, which is surely not what was meant. */
    if (d->upstream.http2 && d->upstream.max_streams_per_conn <= 1.0) {
        /* At the stream count where one was written, else at http2 (the
         * default of 1 stream was not written anywhere). */
        const char *key = "upstream.max_streams_per_conn";
        if (ld->locs[key_find(CONFIG_DESIGN, key)].file >= 0) {
            return err_key(ld, CONFIG_DESIGN, key,
                           "out of range (got 1 with upstream.http2: true, expected more than 1 "
                           "concurrent stream per connection, e.g. 100; or http2: false)");
        }
        return err_key(ld, CONFIG_DESIGN, "upstream.http2",
                       "conflicts with upstream.max_streams_per_conn (got true with 1 stream per "
                       "connection, expected upstream.max_streams_per_conn above 1, e.g. 100)");
    }
    const struct {
        const struct reconnect_params *r;
        const char *key;
    } rc[] = {{&d->sse.client_reconnect, "sse.client_reconnect.base"},
              {&d->sse.proxy_reconnect, "sse.proxy_reconnect.base"}};
    for (size_t i = 0; i < 2; i++) {
        if (rc[i].r->base_s > rc[i].r->cap_s) {
            char a[40], b[40];
            fmt_qty(a, sizeof a, rc[i].r->base_s, U_TIME, "");
            fmt_qty(b, sizeof b, rc[i].r->cap_s, U_TIME, "");
            return err_key(ld, CONFIG_DESIGN, rc[i].key, "out of range (got %s, expected at most cap %s)",
                           a, b);
        }
    }
    return SIM_OK;
}

/* ---- overrides ---- */

static int apply_set(struct load *ld, struct experiment *ex, const char *assignment,
                     enum config_kind *touched)
{
    int file = intern_file(ld, "--set");
    const char *eq = strchr(assignment, '=');
    char got[64];
    if (eq == NULL || eq == assignment) {
        return err_at(ld, "--set", 1, 1, "(--set)", "wrong syntax (got '%s', expected key.path=value)",
                      shown(assignment, got, sizeof got));
    }
    char key[CONFIG_PATH_MAX];
    size_t klen = (size_t)(eq - assignment);
    if (klen >= sizeof key) {
        return err_at(ld, "--set", 1, 1, "(--set)", "unknown key (got '%s')",
                      shown(assignment, got, sizeof got));
    }
    memcpy(key, assignment, klen);
    key[klen] = '\0';
    const char *value = eq + 1;
    int col = (int)(value - assignment);
    bool kinds[CONFIG_N_KINDS] = {true, true, true};
    const char *path = key;
    static const char *const pfx[CONFIG_N_KINDS] = {"profile.", "design.", "scenario."};
    for (int k = 0; k < CONFIG_N_KINDS; k++) {
        if (strncmp(key, pfx[k], strlen(pfx[k])) == 0) {
            path = key + strlen(pfx[k]);
            for (int j = 0; j < CONFIG_N_KINDS; j++) {
                kinds[j] = j == k;
            }
        }
    }
    struct doc *d = sim_xcalloc(1, sizeof *d);
    d->ld = ld;
    d->file = file;
    d->col_offset = col;
    int rc = SIM_OK;
    if (kinds[CONFIG_SCENARIO] && (strcmp(path, "profile") == 0 || strcmp(path, "design") == 0)) {
        /* --set design=refactored-hardened (or scenario.design=...) swaps the whole design. */
        enum config_kind k = path[0] == 'p' ? CONFIG_PROFILE : CONFIG_DESIGN;
        struct ref from = {.d = d, .node = NULL, .key = key};
        void *out = k == CONFIG_PROFILE ? (void *)&ex->profile : (void *)&ex->design;
        rc = load_source(ld, k, value, "", &from, out, NULL);
        *touched = k;
        free(d);
        return rc;
    }
    long found = -1;
    int n_found = 0;
    char names[200] = "";
    for (int k = 0; k < CONFIG_N_KINDS; k++) {
        long ki = kinds[k] ? key_find((enum config_kind)k, path) : -1;
        if (ki >= 0) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s%s", n_found ? " or " : "", pfx[k], path);
            found = ki;
            n_found++;
        }
    }
    const char *first_under = NULL; /* --set mix={...}: a section is set key by key */
    for (size_t i = 0; n_found == 0 && i < N_KEYS && !first_under; i++) {
        size_t n = strlen(path);
        if (kinds[keys[i].kind] && strncmp(keys[i].path, path, n) == 0 && keys[i].path[n] == '.') {
            first_under = keys[i].path;
        }
    }
    /* Errors name the key as typed, design. prefix and all. */
    int plen = (int)(path - key);
    if (first_under) {
        rc = err_at(ld, "--set", 1, 1, key,
                    "is a section (got '%s', expected one of its keys per --set, such as %.*s%s)",
                    shown(key, got, sizeof got), plen, key, first_under);
    } else if (n_found == 0) {
        char hint[CONFIG_PATH_MAX + 40] = "";
        for (int k = 0; k < CONFIG_N_KINDS && hint[0] == '\0'; k++) {
            if (kinds[k]) {
                suggest_key((enum config_kind)k, path, true, hint, sizeof hint);
            }
        }
        const char *q = strchr(hint, '\''); /* "; did you mean 'KEY'?": KEY gets the prefix */
        rc = err_at(ld, "--set", 1, 1, key,
                    "unknown key (got '%s', expected a key of docs/CONFIG.md%.*s%.*s%s)",
                    shown(key, got, sizeof got), q ? (int)(q + 1 - hint) : 0, hint,
                    q ? plen : 0, key, q ? q + 1 : "");
    } else if (n_found > 1) {
        rc = err_at(ld, "--set", 1, 1, key, "ambiguous key (got '%s', expected %s)", key, names);
    } else {
        enum config_kind k = keys[found].kind;
        void *base = k == CONFIG_PROFILE ? (void *)&ex->profile
                     : k == CONFIG_DESIGN ? (void *)&ex->design
                                          : (void *)ex;
        rc = set_text(d, (size_t)found, base, value, file, col);
        *touched = k;
    }
    free(d);
    return rc;
}

/* Every assignment of ov in order; the rules across keys are left to the
 * caller's finalize, so they hold for the result and not after each step
 * (setting a mix takes two --set, and the sum is 1 only after both).  A
 * document of kind `only` (CONFIG_N_KINDS: any) refuses a key of another
 * kind, which nothing would read.  *touched (may be NULL) gets the kinds set. */
static int apply_overrides(struct load *ld, struct experiment *ex, const struct config_overrides *ov,
                           enum config_kind only, bool touched_kind[CONFIG_N_KINDS])
{
    for (size_t i = 0; ov && i < ov->n_sets; i++) {
        const char *a = ov->sets[i];
        enum config_kind touched = CONFIG_SCENARIO;
        int rc = apply_set(ld, ex, a, &touched);
        if (rc == SIM_OK && only < CONFIG_N_KINDS && touched != only &&
            touched != CONFIG_SCENARIO) {
            const char *eq = strchr(a, '=');
            char key[CONFIG_PATH_MAX];
            snprintf(key, sizeof key, "%.*s", (int)(eq - a), a);
            rc = err_at(ld, "--set", 1, 1, key, "wrong kind (got a %s key, expected a %s key: "
                        "the document is a %s)", config_kind_name(touched),
                        config_kind_name(only), config_kind_name(only));
        }
        if (rc != SIM_OK) {
            return rc;
        }
        if (touched_kind) {
            touched_kind[touched] = true;
        }
    }
    return SIM_OK;
}

static int finalize_all(struct load *ld, struct experiment *ex)
{
    int rc = finalize_profile(ld, &ex->profile);
    return rc != SIM_OK ? rc : finalize_design(ld, &ex->design);
}

/* ---- public entry points ---- */

const char *config_kind_name(enum config_kind kind)
{
    static const char *const names[] = {"profile", "design", "scenario"};
    return (unsigned)kind < CONFIG_N_KINDS ? names[kind] : "config";
}

static int fail_clean(struct experiment *ex, int rc)
{
    config_free_experiment(ex);
    memset(ex, 0, sizeof *ex);
    return rc;
}

/* A profile or a design on its own, no scenario around it; out is zeroed on error. */
static int load_alone(enum config_kind kind, const char *name_or_path, void *out, size_t size,
                      struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    memset(out, 0, size);
    int rc = load_source(ld, kind, name_or_path, "", NULL, out, NULL);
    if (rc == SIM_OK) {
        rc = kind == CONFIG_PROFILE ? finalize_profile(ld, out) : finalize_design(ld, out);
    }
    if (rc != SIM_OK) {
        if (kind == CONFIG_PROFILE) {
            config_free_profile(out);
        } else {
            config_free_design(out);
        }
        memset(out, 0, size);
    }
    free(ld);
    return rc;
}

int config_load_profile(const char *name_or_path, struct profile *out, struct sim_err *err)
{
    return load_alone(CONFIG_PROFILE, name_or_path, out, sizeof *out, err);
}

int config_load_design(const char *name_or_path, struct design *out, struct sim_err *err)
{
    return load_alone(CONFIG_DESIGN, name_or_path, out, sizeof *out, err);
}

static int scenario_check(struct load *ld, const struct scen *sc)
{
    if (sc->have_profile && sc->have_design) {
        return SIM_OK;
    }
    const char *file = sc->where.file >= 0 ? ld->files[sc->where.file] : "(scenario)";
    return err_at(ld, file, sc->where.line, sc->where.col, sc->have_profile ? "design" : "profile",
                  "missing required key (got a scenario without '%s', expected a %s name, path or "
                  "mapping)",
                  sc->have_profile ? "design" : "profile", sc->have_profile ? "design" : "profile");
}

int config_load_experiment(const char *name_or_path, const struct config_overrides *ov,
                           struct experiment *out, struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    memset(out, 0, sizeof *out);
    struct scen sc = {.where = {.file = -1}};
    int rc = load_source(ld, CONFIG_SCENARIO, name_or_path, "", NULL, out, &sc);
    if (rc == SIM_OK) {
        rc = scenario_check(ld, &sc);
    }
    if (rc == SIM_OK) {
        rc = apply_overrides(ld, out, ov, CONFIG_N_KINDS, NULL);
    }
    if (rc == SIM_OK) {
        rc = finalize_all(ld, out);
    }
    free(ld);
    return rc == SIM_OK ? rc : fail_clean(out, rc);
}

int config_build_experiment(const char *profile, const char *design,
                            const struct config_overrides *ov, struct experiment *out,
                            struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    memset(out, 0, sizeof *out);
    reset_kind(CONFIG_SCENARIO, out);
    int rc = load_source(ld, CONFIG_PROFILE, profile, "", NULL, &out->profile, NULL);
    if (rc == SIM_OK) {
        rc = load_source(ld, CONFIG_DESIGN, design, "", NULL, &out->design, NULL);
    }
    if (rc == SIM_OK) {
        snprintf(out->name, sizeof out->name, "%.31s+%.31s", out->profile.name, out->design.name);
        rc = apply_overrides(ld, out, ov, CONFIG_N_KINDS, NULL);
    }
    if (rc == SIM_OK) {
        rc = finalize_all(ld, out);
    }
    free(ld);
    return rc == SIM_OK ? rc : fail_clean(out, rc);
}

int config_apply_set(struct experiment *ex, const char *assignment, struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    struct config_overrides one = {.sets = &assignment, .n_sets = 1};
    bool touched[CONFIG_N_KINDS] = {false};
    int rc = apply_overrides(ld, ex, &one, CONFIG_N_KINDS, touched);
    if (rc == SIM_OK && touched[CONFIG_PROFILE]) {
        rc = finalize_profile(ld, &ex->profile);
    } else if (rc == SIM_OK && touched[CONFIG_DESIGN]) {
        rc = finalize_design(ld, &ex->design);
    }
    free(ld);
    return rc;
}

/* Without `kind:`, the keys tell: profile/design/run mean a scenario, otherwise the
 * first key that belongs to only one of profile and design decides. */
static int guess_kind(struct load *ld, int file, const yaml_document_t *y, enum config_kind *kind)
{
    const yaml_node_t *root = yaml_document_get_root_node((yaml_document_t *)y);
    if (root->type != YAML_MAPPING_NODE) {
        return err_at(ld, ld->files[file], (long)root->start_mark.line + 1,
                      (long)root->start_mark.column + 1, "(document)",
                      "wrong type (got %s, expected a mapping of keys)", node_type_name(root));
    }
    const yaml_node_t *kn = NULL;
    const yaml_node_t *kv = map_get(y, root, "kind", &kn);
    if (kv) {
        const char *t = scalar_text(kv);
        for (int k = 0; t && k < CONFIG_N_KINDS; k++) {
            if (strcmp(t, config_kind_name((enum config_kind)k)) == 0) {
                *kind = (enum config_kind)k;
                return SIM_OK;
            }
        }
        char got[64];
        static const char *const kinds[] = {"profile", "design", "scenario"};
        const char *near = t ? config_closest(t, kinds, 3) : NULL;
        return err_at(ld, ld->files[file], (long)kv->start_mark.line + 1, (long)kv->start_mark.column + 1,
                      "kind", "unknown value (got '%s', expected one of profile, design, scenario%s%s%s)",
                      t ? shown(t, got, sizeof got) : node_type_name(kv), near ? "; did you mean '" : "",
                      near ? near : "", near ? "'?" : "");
    }
    for (const yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        const char *t = scalar_text(yaml_document_get_node((yaml_document_t *)y, pr->key));
        if (t == NULL) {
            continue;
        }
        if (strcmp(t, "profile") == 0 || strcmp(t, "design") == 0 || strcmp(t, "run") == 0 ||
            strncmp(t, "run.", 4) == 0) {
            *kind = CONFIG_SCENARIO;
            return SIM_OK;
        }
        char first[CONFIG_PATH_MAX];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(t, "."), t);
        bool in_p = key_find(CONFIG_PROFILE, first) >= 0 || key_is_section(CONFIG_PROFILE, first);
        bool in_d = key_find(CONFIG_DESIGN, first) >= 0 || key_is_section(CONFIG_DESIGN, first);
        if (in_p != in_d) {
            *kind = in_p ? CONFIG_PROFILE : CONFIG_DESIGN;
            return SIM_OK;
        }
    }
    return err_at(ld, ld->files[file], (long)root->start_mark.line + 1, (long)root->start_mark.column + 1,
                  "kind", "missing required key (got no 'kind', expected kind: profile, design or "
                  "scenario)");
}

static int load_any_source(struct load *ld, struct source *s, const struct config_overrides *ov,
                           enum config_kind *kind_out, struct experiment *out)
{
    memset(out, 0, sizeof *out);
    reset_kind(CONFIG_SCENARIO, out);
    yaml_document_t y;
    int rc = parse_text_doc(ld, s->file, s->data, s->len, &y, NULL);
    if (rc != SIM_OK) {
        return fail_clean(out, rc);
    }
    enum config_kind kind = s->builtin_kind;
    if (kind == CONFIG_N_KINDS) {
        rc = guess_kind(ld, s->file, &y, &kind);
    }
    struct scen sc = {.have_profile = kind != CONFIG_SCENARIO,
                      .have_design = kind != CONFIG_SCENARIO,
                      .where = {.file = -1}};
    if (rc == SIM_OK) {
        void *target = kind == CONFIG_PROFILE  ? (void *)&out->profile
                       : kind == CONFIG_DESIGN ? (void *)&out->design
                                               : (void *)out;
        rc = source_apply(ld, kind, s, &y, target, &sc);
    }
    yaml_document_delete(&y);
    if (rc == SIM_OK) {
        rc = scenario_check(ld, &sc);
    }
    if (rc == SIM_OK) {
        rc = apply_overrides(ld, out, ov, kind == CONFIG_SCENARIO ? CONFIG_N_KINDS : kind, NULL);
    }
    if (rc == SIM_OK) {
        rc = finalize_all(ld, out);
    }
    if (rc == SIM_OK && kind != CONFIG_SCENARIO) {
        const char *nm = kind == CONFIG_PROFILE ? out->profile.name : out->design.name;
        snprintf(out->name, sizeof out->name, "%s", nm);
    }
    if (kind_out) {
        *kind_out = kind;
    }
    return rc == SIM_OK ? rc : fail_clean(out, rc);
}

int config_kind_of(const char *name_or_path, enum config_kind *kind, struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    struct source s;
    int rc = source_open(ld, CONFIG_N_KINDS, name_or_path, "", NULL, &s);
    if (rc == SIM_OK) {
        *kind = s.builtin_kind;
        yaml_document_t y;
        if (*kind == CONFIG_N_KINDS) {
            rc = parse_text_doc(ld, s.file, s.data, s.len, &y, NULL);
            if (rc == SIM_OK) {
                rc = guess_kind(ld, s.file, &y, kind);
                yaml_document_delete(&y);
            }
        }
        free(s.owned);
    }
    free(ld);
    return rc;
}

int config_load_any(const char *name_or_path, enum config_kind *kind_out, struct experiment *out,
                    struct sim_err *err)
{
    return config_load_any_with(name_or_path, NULL, kind_out, out, err);
}

int config_load_any_with(const char *name_or_path, const struct config_overrides *ov,
                         enum config_kind *kind_out, struct experiment *out, struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    struct source s;
    int rc = source_open(ld, CONFIG_N_KINDS, name_or_path, "", NULL, &s);
    if (rc == SIM_OK) {
        rc = load_any_source(ld, &s, ov, kind_out, out);
        free(s.owned);
    } else {
        memset(out, 0, sizeof *out);
    }
    free(ld);
    return rc;
}

int config_load_buffer(const char *display_name, const char *data, size_t len,
                       enum config_kind *kind_out, struct experiment *out, struct sim_err *err)
{
    struct load *ld = sim_xmalloc(sizeof *ld);
    load_init(ld, err);
    struct source s;
    memset(&s, 0, sizeof s);
    s.builtin_kind = CONFIG_N_KINDS;
    s.file = intern_file(ld, display_name);
    s.data = data;
    s.len = len;
    /* A buffer named without a directory is not a file of the working directory: its bare
     * names stay built-in names (the fuzzer's inputs never read the disk that way). */
    if (strchr(display_name, '/')) {
        path_dir(display_name, s.dir, sizeof s.dir);
    }
    path_stem(display_name, s.stem, sizeof s.stem);
    snprintf(s.id, sizeof s.id, "buffer:%s", display_name);
    int rc = load_any_source(ld, &s, NULL, kind_out, out);
    free(ld);
    return rc;
}

/* ---- printing ---- */

static void print_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\x%02x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

static void print_num(FILE *f, double v, enum kunit u, const char *def)
{
    char buf[64];
    fmt_qty(buf, sizeof buf, v, u, def && strcmp(def, "never") == 0 ? "never" : "unlimited");
    fputs(buf, f);
}

/* The {mean, cv} a lognormal, gamma or hyperexponential was most likely written with, when the
 * loader turns it back into exactly d's parameters (a short mean and cv at 6, 9, 12 or 15
 * digits); false when only the exact parameters round-trip. */
static bool dist_mean_cv_exact(const struct sim_dist *d, double *mean_out, double *cv_out)
{
    double mean = sim_dist_mean(d), cv = sqrt(sim_dist_var(d)) / mean;
    if (!isfinite(mean) || !isfinite(cv) || !(mean > 0.0)) {
        return false;
    }
    for (int prec = 6; prec <= 15; prec += 3) {
        char t[40];
        snprintf(t, sizeof t, "%.*g", prec, mean);
        double m = strtod(t, NULL);
        snprintf(t, sizeof t, "%.*g", prec, cv);
        double c = strtod(t, NULL);
        struct sim_dist r = {.kind = d->kind};
        const char *why = NULL;
        bool ok = d->kind == SIM_DIST_LOGNORMAL ? sim_dist_lognormal_mean_cv(m, c, &r, &why)
                  : d->kind == SIM_DIST_GAMMA   ? sim_dist_gamma_mean_cv(m, c, &r, &why)
                                                : sim_dist_hyperexp_mean_cv(m, c, &r, &why);
        if (ok && r.a == d->a && r.b == d->b && (d->kind != SIM_DIST_HYPEREXP || r.c == d->c)) {
            *mean_out = m;
            *cv_out = c;
            return true;
        }
    }
    return false;
}

/* Writes d in the key's unit, durations below 1 s in ms, us or ns; every number is the
 * shortest text that reads back to the same double, so a reload gives d bit for bit.  True
 * when the form written is {mean, cv} (no comment needed to say what it means). */
static bool print_dist(FILE *f, const struct sim_dist *d, enum kunit u)
{
    char a[64], b[64], c[64], qa[64], qb[64], qc[64];
    config_format_number(a, sizeof a, d->a);
    config_format_number(b, sizeof b, d->b);
    config_format_number(c, sizeof c, d->c);
    fmt_qty(qa, sizeof qa, d->a, u, "unlimited");
    fmt_qty(qb, sizeof qb, d->b, u, "unlimited");
    fmt_qty(qc, sizeof qc, d->c, u, "unlimited");
    double mean, cv;
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC:
        fprintf(f, "{dist: deterministic, value: %s}", qa);
        return false;
    case SIM_DIST_EXPONENTIAL:
        fprintf(f, "{dist: exponential, mean: %s}", qa);
        return false;
    case SIM_DIST_UNIFORM:
        fprintf(f, "{dist: uniform, lo: %s, hi: %s}", qa, qb);
        return false;
    case SIM_DIST_NORMAL:
        fprintf(f, "{dist: normal, mean: %s, sd: %s}", qa, qb);
        return false;
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_GAMMA:
    case SIM_DIST_HYPEREXP:
        if (dist_mean_cv_exact(d, &mean, &cv)) {
            fmt_qty(qa, sizeof qa, mean, u, "unlimited");
            config_format_number(a, sizeof a, cv);
            fprintf(f, "{dist: %s, mean: %s, cv: %s}", sim_dist_kind_name(d->kind), qa, a);
            return true;
        }
        if (d->kind == SIM_DIST_LOGNORMAL) { /* mu and sigma of ln(x in base units): exact */
            fprintf(f, "{dist: lognormal, mu: %s, sigma: %s}", a, b);
        } else if (d->kind == SIM_DIST_GAMMA) {
            fprintf(f, "{dist: gamma, shape: %s, scale: %s}", a, qb);
        } else {
            fprintf(f, "{dist: hyperexponential, p: %s, mean1: %s, mean2: %s}", a, qb, qc);
        }
        return false;
    case SIM_DIST_WEIBULL:
        fprintf(f, "{dist: weibull, shape: %s, scale: %s}", b, qa);
        return false;
    case SIM_DIST_PARETO:
        fprintf(f, "{dist: pareto, alpha: %s, lo: %s, hi: ", a, qb);
        print_num(f, d->c, u, NULL);
        fputc('}', f);
        return false;
    case SIM_DIST_EMPIRICAL:
        fprintf(f, "{dist: empirical, samples: [");
        for (size_t i = 0; i < d->n_samples; i++) {
            fmt_qty(qa, sizeof qa, d->samples[i], u, "unlimited");
            fprintf(f, "%s%s", i ? ", " : "", qa);
        }
        fprintf(f, "]}");
        return false;
    case SIM_DIST_N_KINDS:
        break;
    }
    fprintf(f, "null");
    return false;
}

static void print_value(FILE *f, const struct key *k, const void *base)
{
    const void *p = cfield(k, base);
    switch (k->type) {
    case KT_STR:
        print_string(f, p);
        return;
    case KT_NUM:
        print_num(f, *(const double *)p, k->unit, k->def);
        return;
    case KT_UINT:
        fprintf(f, "%u", *(const unsigned *)p);
        return;
    case KT_U64:
        fprintf(f, "%" PRIu64, *(const uint64_t *)p);
        return;
    case KT_BOOL:
        fputs(*(const bool *)p ? "true" : "false", f);
        return;
    case KT_ENUM: {
        int v = *(const int *)p, n = 0;
        while (k->names[n]) {
            n++;
        }
        SIM_REQUIRE(v >= 0 && v < n);
        fputs(k->names[v], f);
        return;
    }
    case KT_DIST: {
        const struct sim_dist *d = p;
        bool plain = print_dist(f, d, k->unit);
        if (!plain &&
            (d->kind == SIM_DIST_LOGNORMAL || d->kind == SIM_DIST_GAMMA || d->kind == SIM_DIST_HYPEREXP)) {
            /* The exact form is not the one people write; say what it means. */
            char m[64], cv[40];
            double mean = sim_dist_mean(d);
            /* 12 digits: exp(mu + s^2/2) of a mean written as 8KiB reads 8192, not
             * 8191.9999999999945 (the comment explains; the value above is exact). */
            char r12[40];
            snprintf(r12, sizeof r12, "%.12g", mean);
            fmt_qty(m, sizeof m, strtod(r12, NULL), k->unit, "unlimited");
            snprintf(cv, sizeof cv, "%.3g", sqrt(sim_dist_var(d)) / mean);
            fprintf(f, "  # mean %s, cv %s", m, cv);
        }
        return;
    }
    case KT_SCHED: {
        const struct schedule *s = p;
        if (s->n == 0) {
            fputs("null", f);
        } else if (s->n == 1 && s->pts[0].at_s == 0.0 && s->pts[0].ramp_s == 0.0) {
            print_num(f, s->pts[0].value, k->unit, NULL);
        } else {
            fputc('[', f);
            for (size_t i = 0; i < s->n; i++) {
                fprintf(f, "%s{at: ", i ? ", " : "");
                print_num(f, s->pts[i].at_s, U_TIME, NULL);
                fputs(", value: ", f);
                print_num(f, s->pts[i].value, k->unit, NULL);
                fputs(", ramp: ", f);
                print_num(f, s->pts[i].ramp_s, U_TIME, NULL);
                fputc('}', f);
            }
            fputc(']', f);
        }
        return;
    }
    }
}

/* Number of leading dot-separated components a and b share (b's section path). */
static size_t common_components(const char *a, const char *b)
{
    size_t n = 0, i = 0;
    for (;; i++) {
        bool ea = a[i] == '\0' || a[i] == '.', eb = b[i] == '\0' || b[i] == '.';
        if (ea && eb) {
            n++;
            if (a[i] == '\0' || b[i] == '\0') {
                return n;
            }
            continue;
        }
        if (a[i] != b[i]) {
            return n;
        }
    }
}

/* Keys of kind as nested YAML blocks; sections are contiguous in the table (a test checks),
 * so each section is opened once. */
static void print_keys(FILE *f, enum config_kind kind, const void *base, int indent)
{
    char open[CONFIG_PATH_MAX] = ""; /* the section path currently open */
    for (size_t i = 0; i < N_KEYS; i++) {
        const struct key *k = &keys[i];
        if (k->kind != kind) {
            continue;
        }
        const char *leaf = strrchr(k->path, '.');
        char sect[CONFIG_PATH_MAX];
        snprintf(sect, sizeof sect, "%.*s", leaf ? (int)(leaf - k->path) : 0, k->path);
        size_t have = (open[0] && sect[0]) ? common_components(open, sect) : 0;
        /* Open the components of sect beyond the shared ones. */
        size_t comp = 0;
        for (const char *c = sect; sect[0] && *c; comp++) {
            size_t len = strcspn(c, ".");
            if (comp >= have) {
                fprintf(f, "%*s%.*s:\n", indent + 2 * (int)comp, "", (int)len, c);
            }
            c += len + (c[len] == '.');
        }
        snprintf(open, sizeof open, "%s", sect);
        fprintf(f, "%*s%s: ", indent + 2 * (int)comp, "", leaf ? leaf + 1 : k->path);
        print_value(f, k, base);
        fputc('\n', f);
    }
}

void config_print_profile(FILE *f, const struct profile *p)
{
    fprintf(f, "kind: profile\n");
    print_keys(f, CONFIG_PROFILE, p, 0);
}

/* Resolved output carries every key, so reloading must not apply the base again:
 * the inheritance is kept as a comment. */
static void print_base_comment(FILE *f, const struct design *d, int indent)
{
    if (d->base[0]) {
        fprintf(f, "%*s# base: %s (inherited keys resolved below)\n", indent, "", d->base);
    }
}

void config_print_design(FILE *f, const struct design *d)
{
    fprintf(f, "kind: design\n");
    print_base_comment(f, d, 0);
    print_keys(f, CONFIG_DESIGN, d, 0);
}

void config_print(FILE *f, const struct experiment *ex)
{
    fprintf(f, "# proxysim resolved config: units normalised to s, B and /s; reloads to the same "
               "params\nkind: scenario\n");
    print_keys(f, CONFIG_SCENARIO, ex, 0);
    fprintf(f, "profile:\n");
    print_keys(f, CONFIG_PROFILE, &ex->profile, 2);
    fprintf(f, "design:\n");
    print_base_comment(f, &ex->design, 2);
    print_keys(f, CONFIG_DESIGN, &ex->design, 2);
}

/* ---- built-ins and the table, for tools ---- */

extern const struct config_builtin config_builtin_table[];
extern const size_t config_builtin_table_len;

size_t config_builtin_count(void)
{
    return config_builtin_table_len;
}

const struct config_builtin *config_builtin_at(size_t i)
{
    return i < config_builtin_table_len ? &config_builtin_table[i] : NULL;
}

const struct config_builtin *config_builtin_find(enum config_kind kind, const char *name)
{
    for (size_t i = 0; i < config_builtin_table_len; i++) {
        if (config_builtin_table[i].kind == kind && strcmp(config_builtin_table[i].name, name) == 0) {
            return &config_builtin_table[i];
        }
    }
    return NULL;
}

void config_builtin_description(const struct config_builtin *b, char *buf, size_t size)
{
    buf[0] = '\0';
    yaml_parser_t p;
    yaml_document_t y;
    if (!yaml_parser_initialize(&p)) {
        return;
    }
    yaml_parser_set_input_string(&p, b->data, b->len);
    if (yaml_parser_load(&p, &y)) {
        const yaml_node_t *root = yaml_document_get_root_node(&y);
        if (root && root->type == YAML_MAPPING_NODE) {
            const char *t = scalar_text(map_get(&y, root, "description", NULL));
            if (t) {
                snprintf(buf, size, "%s", t);
            }
        }
        yaml_document_delete(&y);
    }
    yaml_parser_delete(&p);
}

size_t config_key_count(void)
{
    return N_KEYS;
}

const char *config_key_path(size_t i)
{
    return i < N_KEYS ? keys[i].path : NULL;
}

enum config_kind config_key_kind(size_t i)
{
    return i < N_KEYS ? keys[i].kind : CONFIG_N_KINDS;
}

const char *config_key_doc(size_t i)
{
    return i < N_KEYS ? keys[i].doc : NULL;
}

const char *config_key_default(size_t i)
{
    return i < N_KEYS ? keys[i].def : NULL;
}

void config_key_type(size_t i, char *buf, size_t size)
{
    const struct key *k = &keys[i];
    static const char *const units[] = {"", "duration", "size", "rate", "byte rate"};
    switch (k->type) {
    case KT_STR:
        snprintf(buf, size, (k->flags & KF_PATH) ? "path" : "string");
        return;
    case KT_BOOL:
        snprintf(buf, size, "bool");
        return;
    case KT_U64:
        snprintf(buf, size, "integer, 64-bit");
        return;
    case KT_ENUM: {
        size_t used = (size_t)snprintf(buf, size, "enum:");
        for (int j = 0; k->names[j] && used < size; j++) {
            used += (size_t)snprintf(buf + used, size - used, "%s %s", j ? "," : "", k->names[j]);
        }
        return;
    }
    case KT_DIST:
        snprintf(buf, size, "distribution%s%s", k->unit ? " of " : "", k->unit ? units[k->unit] : "");
        return;
    case KT_SCHED:
        snprintf(buf, size, "schedule of %s", k->unit ? units[k->unit] : "counts");
        return;
    case KT_NUM:
    case KT_UINT:
        describe(k->unit, k->flags | (k->type == KT_UINT ? KF_INT : 0), k->lo, k->hi, buf, size);
        return;
    }
}
