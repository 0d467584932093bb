/* SPDX-License-Identifier: MIT */
#include "models/presets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static struct sim_dist lognormal(double mean, double cv)
{
    struct sim_dist d;
    if (!sim_dist_lognormal_mean_cv(mean, cv, &d, NULL)) {
        d = sim_dist_exponential(mean);
    }
    return d;
}

void presets_default_profile(struct profile *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "default");
    p->duration_s = 300.0;
    p->warmup_s = 30.0;
    p->sample_dt_s = 1.0;
    p->arrivals = ARRIVALS_POISSON;
    p->off_rate_factor = 0.0;
    p->think_s = sim_dist_exponential(1.0);
    p->requests_per_conn = sim_dist_deterministic(1.0);
    p->mix = (struct request_mix){.post_json_p = 1.0};
    p->request_bytes = lognormal(2048.0, 1.0);
    p->response_bytes = lognormal(4096.0, 1.5);
    p->upstream_service_s = lognormal(0.020, 1.0);
    p->session_reuse_p = 1.0;
    p->session_ids_uuid = true;
    p->sse = (struct sse_traffic){
        .lifetime_s = sim_dist_exponential(300.0),
        .event_gap_s = sim_dist_exponential(0.1),
        .event_bytes = lognormal(512.0, 1.0),
        .post_events = sim_dist_deterministic(5.0),
        .drain_bytes_per_s = sim_dist_deterministic(1e6),
        .slow_client_p = 0.0,
        .slow_drain_bytes_per_s = sim_dist_deterministic(2048.0),
    };
    p->faults = (struct fault_profile){
        .latency_spike_factor = 1.0,
        .stall_at_s = INFINITY,
        .restart_at_s = INFINITY,
    };
}

static const struct spawn_site SITE_ON = {.enabled = true, .max_live = INFINITY};
static const struct spawn_site SITE_OFF = {.enabled = false, .max_live = INFINITY};

void presets_default_design(struct design *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "default");
    d->executor = (struct executor_params){
        .workers = 4,
        .blocking_threads = 512.0,
        .blocking_queue_max = INFINITY,
        .blocking_work_s = 0.0,
        .cpu = {.accept_s = 20e-6,
                .parse_base_s = 20e-6,
                .parse_per_kib_s = 5e-6,
                .interceptor_s = 10e-6,
                .forward_s = 20e-6,
                .sse_event_s = 10e-6,
                .session_lookup_s = 2e-6},
    };
    d->spawn = (struct spawn_params){
        .per_conn = SITE_ON,
        .per_request = SITE_OFF,
        .per_stream = SITE_ON,
        .per_event = SITE_OFF,
        .per_release = SITE_OFF,
        .per_upstream_conn = SITE_ON,
        .max_tasks = INFINITY,
        .max_tasks_per_session = INFINITY,
    };
    d->spawn.per_event.lifetime_s = 0.001;
    d->spawn.per_release.lifetime_s = 0.0001;
    d->server = (struct server_params){
        .max_client_conns = INFINITY,
        .max_inflight = INFINITY,
        .request_timeout_s = INFINITY,
        .body_limit_bytes = 10485760.0,
        .rate_limit = false,
        .rate_limit_per_s = INFINITY,
        .rate_limit_burst = 20.0,
        .max_memory_bytes = INFINITY,
        .degradation = {.enabled = false,
                        .degraded_at = 0.8,
                        .essential_at = 0.9,
                        .protective_at = 0.95},
    };
    d->upstream = (struct upstream_params){
        .scope = SCOPE_SHARED,
        .max_conns = INFINITY,
        .max_idle = INFINITY,
        .idle_timeout_s = 90.0,
        .max_lifetime_s = INFINITY,
        .connect_s = 0.001,
        .tls_s = 0.0,
        .http2 = false,
        .max_streams_per_conn = 1.0,
        .acquire_timeout_s = INFINITY,
        .on_exhausted = EXHAUST_WAIT,
        .connect_timeout_s = INFINITY,
        .request_timeout_s = INFINITY,
        .time_wait_s = 60.0,
        .ephemeral_ports = 28232.0,
        .response_body = BODY_COLLECT,
    };
    d->buffers = (struct buffer_params){
        .pooled = false,
        .http_bytes = 16384.0,
        .sse_bytes = 8192.0,
        .retained = 16.0,
        .keep_if_cap_le = 2.0,
        .per_conn_bytes = 8192.0,
    };
    d->sessions = (struct session_params){
        .max_sessions = 1000.0,
        .ttl_s = 300.0,
        .cleanup_interval_s = INFINITY,
        .on_full = EVICT_LRU,
        .lock_read_s = 0.0,
        .lock_write_s = 0.0,
        .reads_per_request = 1.0,
        .writes_per_request = 1.0,
        .remove_on_close = false,
    };
    d->sse = (struct sse_params){
        .keepalive_s = 30.0,
        .keepalive2_s = 15.0,
        .detect = DETECT_ON_NEXT_WRITE,
        .upstream_scope = SCOPE_PER_STREAM,
        .channel = {.capacity_msgs = INFINITY,
                    .capacity_bytes = INFINITY,
                    .on_full = FULL_BLOCK,
                    .send_timeout_s = INFINITY},
        .client_reconnect = {.kind = RECONNECT_NONE, .cap_s = 60.0, .multiplier = 2.0,
                             .max_attempts = INFINITY},
        .proxy_reconnect = {.kind = RECONNECT_NONE, .cap_s = 60.0, .multiplier = 2.0,
                            .max_attempts = INFINITY},
        .idle_timeout_s = INFINITY,
    };
    d->tracker = (struct tracker_params){
        .scope = TRACKER_PER_STREAM,
        .max_ids = 1000.0,
        .id_bytes = 64.0,
        .ttl_s = INFINITY,
        .persistence = PERSIST_NONE,
        .worker_capacity = 1000.0,
        .worker_send_timeout_s = 0.1,
        .worker_batch = 50.0,
        .worker_flush_s = 0.1,
    };
    d->memory = (struct memory_params){
        .base_bytes = 50e6,
        .task_bytes = 4096.0,
        .client_conn_bytes = 768.0,
        .upstream_conn_bytes = 16384.0,
        .session_bytes = 10240.0,
        .queued_msg_overhead_bytes = 64.0,
        .stream_bytes = 18432.0,
    };
    d->guard = (struct guard_params){
        .max_memory_bytes = 8e9,
        .max_pending_events = 2e7,
        .max_wall_s = 120.0,
    };
}

void presets_default_experiment(struct experiment *e)
{
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "default");
    presets_default_profile(&e->profile);
    presets_default_design(&e->design);
    e->run = (struct run_params){.reps = 5, .seed = 20251101, .threads = 0, .confidence = 0.95};
}
