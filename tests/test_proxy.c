/* SPDX-License-Identifier: MIT
 *
 * test_proxy.c - the proxy model against numbers it must reproduce: M/M/c
 * when reduced to one pool, port exhaustion at ports / TIME_WAIT, Little's
 * law for tasks per event, buffer-pool hit rates, session growth and
 * cleanup, leak rates, the divergence guard, and the review's limits (tasks
 * per session, memory admission as an Erlang loss system, the degradation
 * ladder).  Each test runs seeded
 * replications and asserts the expected value lies within the 99% CI (or
 * within a stated model tolerance, printed with both values).
 */
#include "models/backpressure.h"
#include "models/bufpool.h"
#include "models/guard.h"
#include "models/presets.h"
#include "models/proxy.h"
#include "models/qtheory.h"
#include "models/results.h"
#include "sim/check.h"
#include "tests/reps.h"

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>

/* Expected value inside the CI of metric m. */
#define CHECK_IN_CI(sum, m, expected)                                                              \
    do {                                                                                           \
        const struct sim_ci *ci_ = &(sum)->metric[m];                                              \
        double e_ = (expected);                                                                    \
        printf("  %s = %.6g [%.6g, %.6g] n=%zu, expected %.6g\n", results_metrics[m].name,         \
               ci_->mean, ci_->lo, ci_->hi, ci_->n, e_);                                           \
        if (!(e_ >= ci_->lo && e_ <= ci_->hi)) {                                                   \
            fail_msg("%s = %.6g, CI [%.6g, %.6g] excludes expected %.6g",                          \
                     results_metrics[m].name, ci_->mean, ci_->lo, ci_->hi, e_);                    \
        }                                                                                          \
    } while (0)

/* One queue (reps.h) judged at 99%. */
static void one_queue(struct experiment *e, double lambda, double service_mean_s)
{
    one_queue_experiment(e, lambda, service_mean_s);
    e->run.confidence = 0.99;
}

static void run(const struct experiment *e, unsigned threads, struct exp_summary *sum)
{
    free_reps(e, run_reps_on(e, threads, sum));
}

static void mmc_erlang_c(void **state)
{
    (void)state;
    struct experiment e;
    const unsigned c = 5;
    const double lambda = 40.0, svc = 0.1; /* a = 4 erlangs, rho = 0.8 */
    one_queue(&e, lambda, svc);
    e.design.upstream.max_conns = c;
    /* P(wait) is steep in the offered rate: 10,000 s per replication keeps the
     * replications' own rate noise well inside the interval. */
    e.profile.duration_s = 10000.0;
    e.profile.warmup_s = 200.0;
    e.run.reps = 10;
    struct exp_summary sum;
    run(&e, 2, &sum);
    struct qtheory_mmc q;
    assert_true(qtheory_mmc(c, lambda, 1.0 / svc, &q));
    CHECK_IN_CI(&sum, RM_POOL_WAIT_PROB, q.p_wait);
    CHECK_IN_CI(&sum, RM_POOL_WAIT_MEAN_S, q.wq_s);
    CHECK_IN_CI(&sum, RM_LATENCY_MEAN_S, q.w_s);
    CHECK_IN_CI(&sum, RM_UPSTREAM_CONNS_PEAK, (double)c);
    results_summary_fini(&sum);
}

/* The session lock alone: Poisson requests hold it for a fixed h, so it is an
 * M/D/1 queue (Pollaczek-Khinchine: Wq = lambda h^2 / (2 (1 - lambda h))), and
 * the request's latency is Wq + h + its upstream service (an unbounded pool). */
static void session_lock_md1(void **state)
{
    (void)state;
    struct experiment e;
    const double lambda = 800.0, h = 0.001, svc = 0.005; /* rho = 0.8 */
    one_queue(&e, lambda, svc);
    e.design.sessions.lock_write_s = h;
    e.design.sessions.writes_per_request = 1.0;
    e.design.sessions.reads_per_request = 0.0;
    e.profile.duration_s = 500.0;
    e.profile.warmup_s = 20.0;
    e.run.reps = 4;
    struct exp_summary sum;
    run(&e, 2, &sum);
    double wq = lambda * h * h / (2.0 * (1.0 - lambda * h));
    CHECK_IN_CI(&sum, RM_LATENCY_MEAN_S, wq + h + svc);
    results_summary_fini(&sum);
}

/* The blocking pool: c threads each held a fixed w per POST.  With no queue
 * it is an M/D/c/c loss system, whose refused share is Erlang B at a = lambda
 * w whatever the holding time's law (insensitivity); with one thread and an
 * unbounded queue it is M/D/1 as the lock above. */
static void blocking_pool(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 40.0, w = 0.1, svc = 0.005; /* a = 4 erlangs */
    one_queue(&e, lambda, svc);
    e.design.executor.blocking_threads = 5.0;
    e.design.executor.blocking_queue_max = 0.0;
    e.design.executor.blocking_work_s = w;
    e.profile.duration_s = 2000.0;
    e.profile.warmup_s = 20.0;
    e.run.reps = 4;
    run(&e, 2, &sum);
    CHECK_IN_CI(&sum, RM_ERROR_RATE_REJECTED, qtheory_erlang_b(5, lambda * w));
    CHECK_REFUSED_BY(&sum, RM_ERROR_RATE_REJECTED_BLOCKING);
    results_summary_fini(&sum);

    one_queue(&e, 8.0, svc);
    e.design.executor.blocking_threads = 1.0;
    e.design.executor.blocking_work_s = w; /* rho = 0.8, queue unbounded */
    e.profile.duration_s = 4000.0;
    e.profile.warmup_s = 100.0;
    e.run.reps = 16;
    run(&e, 2, &sum);
    double wq = 8.0 * w * w / (2.0 * (1.0 - 8.0 * w));
    CHECK_IN_CI(&sum, RM_LATENCY_MEAN_S, wq + w + svc);
    CHECK_NEAR(sum.metric[RM_ERROR_RATE_REJECTED].mean, 0.0, 0.0);
    results_summary_fini(&sum);
}

/* A transient run has no steady-state slope; the same run marked steady has one. */
static void transient_no_slope(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    one_queue(&e, 50.0, 0.01);
    e.profile.duration_s = 60.0;
    e.profile.warmup_s = 0.0;
    e.run.reps = 2;
    run(&e, 2, &sum);
    assert_true(isfinite(sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S].mean));
    results_summary_fini(&sum);
    e.profile.transient = true;
    run(&e, 2, &sum);
    assert_true(isnan(sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S].mean));
    assert_true(sum.metric[RM_THROUGHPUT_PER_S].mean > 0.0);
    results_summary_fini(&sum);
}

/* memory_growth_bytes_per_s is fitted after the load's last change: an open
 * loop ramping 20 -> 200 connections/s over [10, 40] s grows memory with the
 * load, and the fit over [40, 100] s sees the stationary level after it (no
 * slope); a ramp that lasts to the end of the run leaves nothing to fit. */
static void growth_after_ramp(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    one_queue(&e, 20.0, 0.01);
    static struct schedule_point pts[2];
    pts[0] = (struct schedule_point){.at_s = 0.0, .value = 20.0};
    pts[1] = (struct schedule_point){.at_s = 10.0, .value = 200.0, .ramp_s = 30.0};
    e.profile.rate_per_s = (struct schedule){2, pts};
    /* Nothing else accumulates: sessions go with their connections, and idle
     * upstream connections close (never closed, the pool would grow as the
     * running maximum of concurrent requests, a fill that is not the ramp). */
    e.design.sessions.remove_on_close = true;
    e.design.upstream.idle_timeout_s = 2.0;
    e.profile.duration_s = 100.0;
    e.profile.warmup_s = 5.0;
    e.profile.sample_dt_s = 1.0;
    e.run.reps = 6;
    assert_true(profile_load_settled_s(&e.profile) == 40.0);
    assert_true(profile_growth_from_s(&e.profile) == 40.0);
    e.profile.warmup_s = 50.0;
    assert_true(profile_growth_from_s(&e.profile) == 50.0);
    e.profile.warmup_s = 5.0;
    run(&e, 2, &sum);
    const struct sim_ci *g = &sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S];
    print_message("  growth after the ramp: %g B/s [%g, %g]\n", g->mean, g->lo, g->hi);
    assert_true(isfinite(g->mean));
    assert_false(sim_ci_excludes(g, 0.0));
    results_summary_fini(&sum);
    /* The ramp ends with the run: NaN, not the ramp's slope. */
    pts[1].ramp_s = 89.0;
    run(&e, 2, &sum);
    assert_true(isnan(sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S].mean));
    results_summary_fini(&sum);
    /* A trace or a constant load: the fit starts at the warm-up. */
    e.profile.rate_per_s = (struct schedule){1, pts};
    assert_true(profile_load_settled_s(&e.profile) == 0.0);
    assert_true(profile_growth_from_s(&e.profile) == 5.0);
}

/* sse_memory_growth_bytes_per_s: the slope of SSE state alone (streams,
 * trackers, queued events), fitted like memory_growth_bytes_per_s.  N GET
 * streams that never end, E events/s each, per-stream trackers of 64 B ids:
 * with no cap on ids (and no TTL) the trackers grow by exactly N E 64 B/s, the
 * known rate of an unbounded tracker; with max_ids 20 they are full after
 * about 20 / E = 10 s, and over [30, 200] s SSE memory is level (CI includes
 * 0) while the same numbers fitted over the total stay available. */
static void sse_memory_growth(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double n = 100.0, ev = 2.0;
    streams_experiment(&e, n, ev);
    e.profile.duration_s = 200.0;
    e.profile.warmup_s = 30.0;
    e.profile.sample_dt_s = 1.0;
    e.design.tracker.scope = TRACKER_PER_STREAM;
    e.design.tracker.id_bytes = 64.0;
    e.design.tracker.ttl_s = INFINITY;
    e.design.tracker.max_ids = INFINITY;
    e.run.reps = 5;
    e.run.confidence = 0.99;
    run(&e, 2, &sum);
    /* Each replication's slope estimates N E 64 with the Poisson noise of its
     * event count: well inside 2%. */
    const struct sim_ci *g = &sum.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S];
    printf("  unbounded tracker: sse_memory_growth_bytes_per_s = %g [%g, %g], expected %g\n",
           g->mean, g->lo, g->hi, n * ev * 64.0);
    CHECK_NEAR(g->mean, n * ev * 64.0, 0.02 * n * ev * 64.0);
    assert_true(g->lo > 0.0);
    /* SSE state is part of the total: the total grows at least as fast, within noise. */
    assert_true(sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S].hi >= g->lo);
    results_summary_fini(&sum);

    e.design.tracker.max_ids = 20.0;
    run(&e, 2, &sum);
    g = &sum.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S];
    printf("  bounded tracker: sse_memory_growth_bytes_per_s = %g [%g, %g]\n", g->mean, g->lo,
           g->hi);
    assert_true(isfinite(g->mean));
    assert_false(sim_ci_excludes(g, 0.0));
    assert_true(fabs(g->mean) < 0.01 * n * ev * 64.0);
    results_summary_fini(&sum);

    /* NaN where memory_growth_bytes_per_s is: a transient run, or too few windows. */
    e.profile.transient = true;
    run(&e, 2, &sum);
    assert_true(isnan(sum.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S].mean));
    assert_true(isnan(sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S].mean));
    results_summary_fini(&sum);
    e.profile.transient = false;
    e.profile.warmup_s = 198.5;
    run(&e, 2, &sum);
    assert_true(isnan(sum.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S].mean));
    assert_true(isnan(sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S].mean));
    results_summary_fini(&sum);
}

static void ports(struct experiment *e, enum client_scope scope, double lambda)
{
    one_queue(e, lambda, 0.010);
    e->design.upstream.scope = scope;
    e->design.upstream.time_wait_s = 60.0;
    e->design.upstream.ephemeral_ports = 28232.0;
    /* Deterministic TIME_WAIT makes successes periodic (period 60 s: ports fill, then
     * free in the order they were taken); the steady state is a time average over
     * whole periods, so the measured window [160, 400) is four of them. */
    e->profile.duration_s = 400.0;
    e->profile.warmup_s = 160.0;
    e->run.reps = 4;
}

static void port_exhaustion(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;

    ports(&e, SCOPE_PER_REQUEST, 300.0);
    run(&e, 2, &sum);
    CHECK_NEAR(sum.metric[RM_ERROR_RATE_CONNECT_ERROR].mean, 0.0, 0.0);
    results_summary_fini(&sum);

    ports(&e, SCOPE_PER_REQUEST, 700.0);
    run(&e, 2, &sum);
    /* In steady state successful connects are ports / TIME_WAIT per second (the few
     * ports held by open connections shift it by lambda * service / ports < 0.03%). */
    double expect = 1.0 - (28232.0 / 60.0) / 700.0;
    const struct sim_ci *ci = &sum.metric[RM_ERROR_RATE_CONNECT_ERROR];
    CHECK_NEAR(ci->mean, expect, fmax(ci->half, 0.005));
    CHECK_NEAR(sum.metric[RM_TIME_WAIT_PEAK].mean, 28232.0, 10.0);
    results_summary_fini(&sum);

    ports(&e, SCOPE_SHARED, 700.0);
    run(&e, 2, &sum);
    CHECK_NEAR(sum.metric[RM_ERROR_RATE_CONNECT_ERROR].mean, 0.0, 0.0);
    results_summary_fini(&sum);
}

/* N GET streams living forever, E events/s each, a task per event living L. */
static void streams(struct experiment *e, double n, double ev_per_s, double life_s)
{
    streams_experiment(e, n, ev_per_s);
    e->profile.duration_s = 200.0;
    e->profile.warmup_s = 10.0;
    struct design *d = &e->design;
    d->spawn.per_conn.enabled = false;
    d->spawn.per_stream.enabled = false;
    d->spawn.per_upstream_conn.enabled = false;
    d->spawn.per_event = (struct spawn_site){.enabled = true, .max_live = INFINITY,
                                             .lifetime_s = life_s};
    e->run.reps = 5;
    e->run.confidence = 0.99;
}

static void task_growth(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double n = 100.0, ev = 20.0, life = 0.05;
    streams(&e, n, ev, life);
    run(&e, 2, &sum);
    /* Little's law on the spawn site: live event tasks = spawn rate x lifetime, and
     * the driver task of each stream's upstream connection is counted too.  The
     * spawn rate itself is checked against N E with the Poisson standard error of
     * a count over the measured window (sd of one replication's rate =
     * sqrt(N E / T)), at 99% for the mean of the replications.  (Checked with
     * 40 replications: their sd is 3.11/s against the Poisson 3.24/s.  The
     * tolerance uses the Poisson figure, since five replications estimate
     * their own sd poorly.) */
    double window_s = e.profile.duration_s - e.profile.warmup_s;
    double se_rate = sqrt(n * ev / window_s) / sqrt((double)e.run.reps);
    CHECK_NEAR(sum.metric[RM_TASKS_SPAWNED_PER_S].mean, n * ev, 2.576 * se_rate);
    CHECK_NEAR(sum.metric[RM_TASKS_LIVE_MEAN].mean,
               sum.metric[RM_TASKS_SPAWNED_PER_S].mean * life + n, 0.002 * (n * ev * life + n));
    CHECK_NEAR(sum.metric[RM_UPSTREAM_CONNS_MEAN].mean, n, 1e-9);
    /* By site: the event tasks obey Little's law alone, the drivers are one per
     * connection, and the sites add up to the totals. */
    const struct sim_ci *live = sum.site_live_mean, *rate = sum.site_spawned_per_s;
    CHECK_NEAR(live[RSITE_EVENT].mean, rate[RSITE_EVENT].mean * life, 0.002 * n * ev * life);
    CHECK_NEAR(live[RSITE_UPSTREAM_CONN].mean, n, 1e-9);
    double live_sum = 0.0, rate_sum = 0.0;
    for (int k = 0; k < RSITE_N; k++) {
        live_sum += live[k].mean;
        rate_sum += rate[k].mean;
    }
    CHECK_NEAR(live_sum, sum.metric[RM_TASKS_LIVE_MEAN].mean, 1e-9 * live_sum);
    CHECK_NEAR(rate_sum, sum.metric[RM_TASKS_SPAWNED_PER_S].mean, 1e-9 * rate_sum);
    /* The spawn-rate series over the steady windows counts the same spawns. */
    size_t w0 = (size_t)(e.profile.warmup_s / sum.dt_s + 0.5), w1 = sum.n_steps;
    double series_mean = 0.0;
    for (size_t i = w0; i < w1; i++) {
        series_mean += sum.series[(size_t)RS_SPAWNS * sum.n_steps + i].mean / (double)(w1 - w0);
    }
    CHECK_NEAR(series_mean, sum.metric[RM_TASKS_SPAWNED_PER_S].mean, 1e-9 * series_mean);
    results_summary_fini(&sum);

    streams(&e, n, ev, life);
    e.design.spawn.per_event.max_live = 50.0;
    run(&e, 2, &sum);
    printf("  bounded: tasks_live_peak = %g (bound 50 + %g drivers)\n",
           sum.metric[RM_TASKS_LIVE_PEAK].hi, n);
    assert_true(sum.metric[RM_TASKS_LIVE_PEAK].hi <= 50.0 + n + 1e-9);
    assert_true(sum.metric[RM_TASKS_LIVE_PEAK].mean >= 50.0 + n - 1e-9);
    results_summary_fini(&sum);

    /* A zero lifetime: every event task is counted and reaches the peak (the n
     * drivers plus the one task of that instant), but no task is ever live for
     * any time, so the mean is the drivers alone. */
    streams(&e, n, ev, 0.0);
    run(&e, 2, &sum);
    CHECK_NEAR(sum.metric[RM_TASKS_SPAWNED_PER_S].mean, n * ev, 2.576 * se_rate);
    CHECK_NEAR(sum.metric[RM_TASKS_LIVE_MEAN].mean, n, 1e-9);
    CHECK_NEAR(sum.site_live_mean[RSITE_EVENT].mean, 0.0, 1e-12);
    CHECK_NEAR(sum.metric[RM_TASKS_LIVE_PEAK].mean, n + 1.0, 1e-9);
    results_summary_fini(&sum);
}

static void buffer_pool(void **state)
{
    (void)state;
    /* Waves of N holders with a retention cap R: every wave after the first hits R times. */
    struct sim_opts so = {.master_seed = 1, .rep = 0, .n_streams = 1};
    struct sim *s = sim_create(&so);
    struct memory mem;
    memory_init(&mem, s, 0.0);
    struct buffer_params bp_params = {.pooled = true, .http_bytes = 16384.0, .sse_bytes = 8192.0,
                                      .retained = 16.0, .keep_if_cap_le = 2.0};
    struct bufpool bp;
    bufpool_init(&bp, s, &mem, &bp_params);
    const int waves = 1000, holders = 64;
    double caps[64];
    for (int w = 0; w < waves; w++) {
        for (int i = 0; i < holders; i++) {
            caps[i] = bufpool_take(&bp, BUF_HTTP);
        }
        for (int i = 0; i < holders; i++) {
            bufpool_give(&bp, BUF_HTTP, caps[i]);
        }
    }
    CHECK_NEAR(bufpool_hit_rate(&bp), 16.0 / 64.0, 16.0 / 64.0 / waves + 1e-12);
    /* A buffer grown past 2x nominal is freed on return, never retained. */
    double cap = bufpool_take(&bp, BUF_HTTP);
    bufpool_grow(&bp, cap, 65536.0);
    double before = bp.cls[BUF_HTTP].retained_n;
    bufpool_give(&bp, BUF_HTTP, 65536.0);
    CHECK_NEAR(bp.cls[BUF_HTTP].retained_n, before, 0.0);
    bufpool_fini(&bp);
    memory_fini(&mem);
    sim_destroy(s);

    /* The full model below the cap: every take after the first few hits. */
    struct experiment e;
    struct exp_summary sum;
    one_queue(&e, 50.0, 0.02);
    e.design.buffers.pooled = true;
    /* Bodies within 2x nominal: no growth, so the 2x rule never frees a buffer here. */
    e.profile.response_bytes = sim_dist_deterministic(4096.0);
    e.run.reps = 4;
    run(&e, 2, &sum);
    CHECK_NEAR(sum.metric[RM_BUFFER_POOL_HIT_RATE].mean, 1.0, 1e-3);
    results_summary_fini(&sum);
}

/* The pool's exhaustion policies on c = 5 HTTP/1.1 connections at a = 4
 * erlangs.  fail_fast refuses a request that finds all c busy: an M/M/c/c loss
 * system, whose refused share is Erlang B.  open_beyond opens another
 * connection instead: nobody waits (M/M/infinity), and more than c open. */
static void pool_policies(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const unsigned c = 5;
    const double lambda = 40.0, svc = 0.1;
    one_queue(&e, lambda, svc);
    e.design.upstream.max_conns = c;
    e.design.upstream.http2 = false;
    e.design.upstream.max_streams_per_conn = 1.0;
    e.design.upstream.on_exhausted = EXHAUST_FAIL_FAST;
    e.profile.duration_s = 2000.0;
    e.profile.warmup_s = 20.0;
    e.run.reps = 6;
    run(&e, 2, &sum);
    CHECK_IN_CI(&sum, RM_ERROR_RATE_POOL_TIMEOUT, qtheory_erlang_b(c, lambda * svc));
    results_summary_fini(&sum);

    e.design.upstream.on_exhausted = EXHAUST_OPEN_BEYOND;
    e.run.reps = 4;
    run(&e, 2, &sum);
    CHECK_NEAR(sum.metric[RM_POOL_WAIT_PROB].mean, 0.0, 0.0);
    CHECK_NEAR(sum.metric[RM_ERROR_RATE].mean, 0.0, 0.0);
    CHECK_IN_CI(&sum, RM_LATENCY_MEAN_S, svc);
    assert_true(sum.metric[RM_UPSTREAM_CONNS_PEAK].mean > (double)c);
    results_summary_fini(&sum);
}

/* HTTP/2: one connection carrying up to m = 5 streams is an M/M/5 queue on
 * its streams, so the wait probability is Erlang C, as for five HTTP/1.1
 * connections (mmc_erlang_c), with one connection open. */
static void http2_streams(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 40.0, svc = 0.1;
    one_queue(&e, lambda, svc);
    e.design.upstream.max_conns = 1.0;
    e.design.upstream.http2 = true;
    e.design.upstream.max_streams_per_conn = 5.0;
    e.profile.duration_s = 10000.0;
    e.profile.warmup_s = 200.0;
    e.run.reps = 10;
    run(&e, 2, &sum);
    struct qtheory_mmc q;
    assert_true(qtheory_mmc(5, lambda, 1.0 / svc, &q));
    CHECK_IN_CI(&sum, RM_POOL_WAIT_PROB, q.p_wait);
    CHECK_IN_CI(&sum, RM_POOL_WAIT_MEAN_S, q.wq_s);
    CHECK_NEAR(sum.metric[RM_UPSTREAM_CONNS_PEAK].mean, 1.0, 0.0);
    results_summary_fini(&sum);
}

/* A token bucket of rate R under Poisson arrivals at lambda = 2R: the bucket
 * is nearly always empty, so it admits R per second and answers 429 to the
 * rest, a share 1 - R / lambda. */
static void rate_limit(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 200.0, r = 100.0;
    one_queue(&e, lambda, 0.01);
    e.design.server.rate_limit = true;
    e.design.server.rate_limit_per_s = r;
    e.design.server.rate_limit_burst = 10.0;
    e.profile.duration_s = 500.0;
    e.profile.warmup_s = 10.0;
    e.run.reps = 6;
    run(&e, 2, &sum);
    CHECK_IN_CI(&sum, RM_ERROR_RATE_RATE_LIMITED, 1.0 - r / lambda);
    CHECK_IN_CI(&sum, RM_THROUGHPUT_PER_S, r);
    /* The offered-rate series counts every request asked for, the refused ones
     * too: over the steady windows it is the offered_per_s metric exactly, and
     * lambda within the CI; the throughput series stays near r. */
    size_t w0 = (size_t)(e.profile.warmup_s / sum.dt_s + 0.5), w1 = sum.n_steps;
    double offered = 0.0, served = 0.0;
    for (size_t i = w0; i < w1; i++) {
        offered += sum.series[(size_t)RS_OFFERED * sum.n_steps + i].mean / (double)(w1 - w0);
        served += sum.series[(size_t)RS_THROUGHPUT * sum.n_steps + i].mean / (double)(w1 - w0);
    }
    CHECK_NEAR(offered, sum.metric[RM_OFFERED_PER_S].mean, 1e-9 * offered);
    CHECK_IN_CI(&sum, RM_OFFERED_PER_S, lambda);
    CHECK_NEAR(served, r, 0.02 * r);
    results_summary_fini(&sum);
}

/* On/off arrivals (MMPP-2): rate lambda during on periods of mean 2 s and
 * 0.2 lambda during off periods of mean 3 s, so lambda (2 + 0.2 x 3) / 5 on
 * average; an unbounded pool serves them all. */
static void onoff_rate(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 100.0;
    one_queue(&e, lambda, 0.01);
    e.profile.arrivals = ARRIVALS_ONOFF;
    e.profile.on_mean_s = 2.0;
    e.profile.off_mean_s = 3.0;
    e.profile.off_rate_factor = 0.2;
    e.design.upstream.max_conns = INFINITY;
    e.profile.duration_s = 1000.0;
    e.profile.warmup_s = 10.0;
    e.run.reps = 8;
    run(&e, 2, &sum);
    CHECK_IN_CI(&sum, RM_THROUGHPUT_PER_S, lambda * (2.0 + 0.2 * 3.0) / 5.0);
    results_summary_fini(&sum);
}

/* Latency spikes: a share p of responses takes F times its service time, so
 * the mean latency is svc (1 + p (F - 1)) with an unbounded pool. */
static void latency_spikes(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 50.0, svc = 0.02, p = 0.1, f = 10.0;
    one_queue(&e, lambda, svc);
    e.design.upstream.max_conns = INFINITY;
    e.profile.faults.latency_spike_p = p;
    e.profile.faults.latency_spike_factor = f;
    e.profile.duration_s = 1000.0;
    e.profile.warmup_s = 10.0;
    e.run.reps = 6;
    run(&e, 2, &sum);
    CHECK_IN_CI(&sum, RM_LATENCY_MEAN_S, svc * (1.0 + p * (f - 1.0)));
    results_summary_fini(&sum);
}

/* A stall of S = 10 s from t0 = 40 s with a request timeout T = 1 s and an
 * unbounded pool (exponential service of mean svc).  A response due in the
 * stall waits for its end, so these time out: the lambda svc requests in
 * service at t0 (each is pushed back by S > T), every request sent in
 * [t0, t0 + S - T), and one sent at t0 + S - T + u when its service exceeds
 * u, svc (1 - exp(-T / svc)) of them per unit rate.  Over a run of D = 100 s
 * the timeout share is lambda (svc + S - T + svc (1 - exp(-T / svc))) /
 * (lambda D). */
static void upstream_stall(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 100.0, svc = 0.05, s_stall = 10.0, t_out = 1.0, d = 100.0;
    one_queue(&e, lambda, svc);
    e.design.upstream.max_conns = INFINITY;
    e.design.upstream.request_timeout_s = t_out;
    e.profile.faults.stall_at_s = 40.0;
    e.profile.faults.stall_s = s_stall;
    e.profile.duration_s = d;
    e.profile.warmup_s = 0.0;
    e.run.reps = 8;
    run(&e, 2, &sum);
    double timeouts = lambda * (svc + s_stall - t_out + svc * (1.0 - exp(-t_out / svc)));
    CHECK_IN_CI(&sum, RM_ERROR_RATE_TIMEOUT, timeouts / (lambda * d));
    results_summary_fini(&sum);
}

static void sessions_growth(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 50.0;
    one_queue(&e, lambda, 0.01);
    e.profile.session_ids_uuid = false; /* a new session per request */
    e.design.sessions.max_sessions = 1000.0;
    e.design.sessions.cleanup_interval_s = INFINITY;
    e.profile.duration_s = 100.0;
    e.profile.warmup_s = 40.0;
    e.run.reps = 5;
    run(&e, 2, &sum);
    /* Linear growth at lambda until the cap (t = 20 s), then one eviction per request. */
    double at10 = sum.series[(size_t)RS_SESSIONS_LIVE * sum.n_steps + 9].mean; /* window [9,10) */
    CHECK_NEAR(at10, lambda * 9.5, 3.0 * sqrt(lambda * 9.5));
    CHECK_NEAR(sum.metric[RM_SESSIONS_LIVE_PEAK].mean, 1000.0, 0.0);
    CHECK_IN_CI(&sum, RM_SESSIONS_EVICTED_PER_S, lambda);
    results_summary_fini(&sum);

    /* Cleanup every C = 1 s with TTL T = 20 s: about lambda (T + C/2) live. */
    one_queue(&e, lambda, 0.01);
    e.profile.session_ids_uuid = false;
    e.design.sessions.max_sessions = INFINITY;
    e.design.sessions.ttl_s = 20.0;
    e.design.sessions.cleanup_interval_s = 1.0;
    e.profile.duration_s = 400.0;
    e.profile.warmup_s = 50.0;
    e.run.reps = 8;
    run(&e, 2, &sum);
    CHECK_IN_CI(&sum, RM_SESSIONS_LIVE_MEAN, lambda * (20.0 + 0.5));
    results_summary_fini(&sum);
}

/* Leaked objects over the run against p * r * duration, inside the replications' CI. */
static void check_leak_rate(const struct exp_summary *sum, enum results_metric m, double p,
                            double r, double d)
{
    const struct sim_ci *c = &sum->metric[m];
    printf("  %s per s = %.4f [%.4f, %.4f], expected %.4f\n", results_metrics[m].name, c->mean / d,
           c->lo / d, c->hi / d, p * r);
    assert_true(p * r * d >= c->lo && p * r * d <= c->hi);
}

static void leaks(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    const double lambda = 100.0, err_p = 0.1;
    one_queue(&e, lambda, 0.01);
    e.profile.faults.upstream_error_p = err_p;
    e.design.spawn.per_request.enabled = true;
    e.design.sessions.remove_on_close = true; /* a session leaks only where it is removed */
    /* Leaked connections must not exhaust the pool (more errors of another cause). */
    e.design.upstream.max_conns = INFINITY;
    e.design.leaks = (struct leak_params){
        .task_p = 0.2, .upstream_conn_p = 0.3, .buffer_p = 0.4, .session_p = 0.5};
    e.profile.duration_s = 500.0;
    e.profile.warmup_s = 0.0;
    e.run.reps = 8;
    run(&e, 2, &sum);
    /* The leak counters cover the whole run.  Each request failed upstream (rate
     * r = err_p * lambda) holds a task, a connection, its request buffer (the
     * response's is taken after the status is known) and a session, and leaks
     * each with its own probability. */
    const double r = err_p * lambda, d = e.profile.duration_s;
    CHECK_IN_CI(&sum, RM_ERROR_RATE_UPSTREAM_ERROR, err_p);
    check_leak_rate(&sum, RM_TASKS_LEAKED, 0.2, r, d);
    check_leak_rate(&sum, RM_UPSTREAM_CONNS_LEAKED, 0.3, r, d);
    check_leak_rate(&sum, RM_BUFFERS_LEAKED, 0.4, r, d);
    check_leak_rate(&sum, RM_SESSIONS_LEAKED, 0.5, r, d);
    results_summary_fini(&sum);
}

static void divergence(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    one_queue(&e, 200.0, 0.1);
    e.design.upstream.max_conns = 5.0; /* capacity 50/s, offered 200/s, waits forever */
    e.design.guard.max_memory_bytes = 200e6;
    e.design.guard.max_wall_s = 20.0;
    e.profile.duration_s = 100000.0;
    e.profile.sample_dt_s = 10.0;
    e.run.reps = 2;
    double t0 = guard_wall_s();
    run(&e, 2, &sum);
    double wall = guard_wall_s() - t0;
    printf("  finding: %s (wall %.2f s)\n", sum.finding, wall);
    CHECK_NEAR(sum.metric[RM_STOPPED].mean, 1.0, 0.0);
    assert_non_null(strstr(sum.finding, "memory grows without bound"));
    assert_true(wall < 20.0);
    results_summary_fini(&sum);

    /* Where it stops: at the first check past the limit.  Memory is checked at
     * every sample, so with samples 1 s apart it overshoots by at most 1 s of
     * growth (about 8 MB/s here): within 10% of the limit. */
    e.profile.duration_s = 1000.0;
    e.profile.sample_dt_s = 1.0;
    run(&e, 2, &sum);
    double peak = sum.metric[RM_MEMORY_BYTES_PEAK].mean;
    printf("  %s; peak %.1f MB against a limit of %.1f MB\n", sum.finding, peak / 1e6,
           e.design.guard.max_memory_bytes / 1e6);
    CHECK_NEAR(sum.metric[RM_STOPPED].mean, 1.0, 0.0);
    assert_true(peak > e.design.guard.max_memory_bytes);
    assert_true(peak <= 1.1 * e.design.guard.max_memory_bytes);
    results_summary_fini(&sum);

    /* A zero-time loop: closed-loop clients with no think time whose every
     * request is refused at once (413) ask again at the same instant for
     * ever.  The guard sees the clock stand still and stops the replication
     * within a second or so, not at the wall-time budget. */
    static const struct schedule_point ten[] = {{.at_s = 0.0, .value = 10.0}};
    one_queue(&e, 0.0, 0.01);
    e.profile.arrivals = ARRIVALS_CLOSED;
    e.profile.clients = (struct schedule){1, (struct schedule_point *)ten};
    e.profile.think_s = sim_dist_deterministic(0.0);
    e.profile.request_bytes = sim_dist_deterministic(2000.0);
    e.design.server.body_limit_bytes = 1000.0;
    e.design.guard.max_wall_s = 60.0;
    e.profile.duration_s = 100.0;
    e.run.reps = 2;
    t0 = guard_wall_s();
    run(&e, 2, &sum);
    wall = guard_wall_s() - t0;
    printf("  finding: %s (wall %.2f s)\n", sum.finding, wall);
    CHECK_NEAR(sum.metric[RM_STOPPED].mean, 1.0, 0.0);
    assert_non_null(strstr(sum.finding, "simulated time stands still at t = 0 s"));
    assert_true(wall < 60.0);
    results_summary_fini(&sum);
}

/* Leaky handlers on reused sessions: a request that fails upstream (p = 0.5)
 * leaks its handler task (p = 0.5), which stays in its session for good.
 * With a cap of 3 per session, a connection's request i is refused once 3
 * of the i - 1 before it leaked: a share (1/k) sum_{i<k} P(Bin(i, 1/4) >= 3)
 * of k = 20 requests (0.4237).  Without the cap nothing is refused and
 * sessions pile up more (a cap of 1e9 counts without binding). */
static void session_task_cap(void **state)
{
    (void)state;
    const double k = 20.0, p_leak = 0.5 * 0.5;
    struct experiment e;
    struct exp_summary sum;
    double caps[3] = {3.0, INFINITY, 1e9};
    for (int c = 0; c < 3; c++) {
        one_queue(&e, 10.0, 0.01);
        e.profile.requests_per_conn = sim_dist_deterministic(k);
        e.profile.think_s = sim_dist_exponential(0.1);
        e.profile.faults.upstream_error_p = 0.5;
        e.profile.duration_s = 400.0;
        e.profile.warmup_s = 50.0;
        e.design.spawn.per_request.enabled = true;
        e.design.leaks.task_p = 0.5;
        e.design.spawn.max_tasks_per_session = caps[c];
        e.run.reps = 6;
        printf("  max_tasks_per_session = %g\n", caps[c]);
        struct rep_result *res = run_reps(&e, &sum);
        const struct sim_ci *rej = &sum.metric[RM_ERROR_RATE_REJECTED];
        if (c == 0) {
            double expect = 0.0;
            for (unsigned i = 0; i < (unsigned)k; i++) {
                expect += (1.0 - gsl_cdf_binomial_P(2, p_leak, i)) / k;
            }
            CHECK_IN_CI(&sum, RM_ERROR_RATE_REJECTED, expect);
            CHECK_REFUSED_BY(&sum, RM_ERROR_RATE_REJECTED_SESSION_TASKS);
            for (unsigned r = 0; r < e.run.reps; r++) {
                /* Every replication has sessions at the cap, none over it. */
                CHECK_NEAR(res[r].metric[RM_SESSION_TASKS_PEAK], 3.0, 0.0);
            }
        } else {
            CHECK_NEAR(rej->mean, 0.0, 0.0);
            CHECK_NEAR(rej->hi, 0.0, 0.0);
        }
        if (c == 1) {
            assert_true(isnan(res[0].metric[RM_SESSION_TASKS_PEAK])); /* not counted */
        }
        if (c == 2) {
            /* 20 requests leaking a quarter of the time: several sessions per run
             * hold 8 or more (P(Bin(19, 1/4) >= 7) = 0.1 per connection). */
            for (unsigned r = 0; r < e.run.reps; r++) {
                printf("  rep %u: session_tasks_peak = %g\n", r,
                       res[r].metric[RM_SESSION_TASKS_PEAK]);
                assert_true(res[r].metric[RM_SESSION_TASKS_PEAK] >= 8.0);
            }
        }
        free_reps(&e, res);
        results_summary_fini(&sum);
    }
}

/* Memory admission as a loss system: every client connection holds C bytes
 * (all else is free), so with max_memory = base + 60.5 C a connection is
 * admitted while fewer than 61 are open, and its request while fewer than
 * 61 with itself: at most 60 are served, an M/M/60/60 queue whose blocking
 * probability is Erlang B(60, lambda / mu).  The peak stays within one
 * connection of the limit; without it nothing is refused and the peak
 * passes the limit. */
static void memory_limit(void **state)
{
    (void)state;
    const double lambda = 100.0, svc = 0.5, base = 1e6, conn = 1048576.0 + 768.0;
    const double limit = base + 60.5 * conn;
    struct experiment e;
    struct exp_summary sum;
    for (int limited = 1; limited >= 0; limited--) {
        one_queue(&e, lambda, svc);
        e.design.memory = (struct memory_params){.base_bytes = base, .client_conn_bytes = 768.0};
        e.design.buffers.per_conn_bytes = 1048576.0;
        e.design.buffers.http_bytes = 1.0; /* unpooled: a byte per take */
        e.design.upstream.response_body = BODY_STREAM;
        e.design.server.max_memory_bytes = limited ? limit : INFINITY;
        e.profile.duration_s = 2000.0;
        e.profile.warmup_s = 100.0;
        e.run.reps = 5;
        struct rep_result *res = run_reps(&e, &sum);
        const struct sim_ci *pk = &sum.metric[RM_MEMORY_BYTES_PEAK];
        printf("  max_memory %s: memory_bytes_peak = %.6g [%.6g, %.6g], limit %.6g\n",
               limited ? "set" : "unlimited", pk->mean, pk->lo, pk->hi, limit);
        if (limited) {
            CHECK_IN_CI(&sum, RM_ERROR_RATE_REJECTED, qtheory_erlang_b(60, lambda * svc));
            CHECK_REFUSED_BY(&sum, RM_ERROR_RATE_REJECTED_SHED); /* server.max_memory */
            CHECK_NEAR(sum.metric[RM_ERROR_RATE].mean, sum.metric[RM_ERROR_RATE_REJECTED].mean,
                       1e-12);
            /* Every replication filled up to the limit and stayed within one
             * connection of it (61 connections for an instant: the 61st is
             * admitted below the limit, and its request refused). */
            for (unsigned r = 0; r < e.run.reps; r++) {
                double peak = res[r].metric[RM_MEMORY_BYTES_PEAK];
                CHECK_NEAR(peak, base + 61.0 * conn, 1024.0);
                assert_true(peak <= limit + conn);
            }
        } else {
            CHECK_NEAR(sum.metric[RM_ERROR_RATE_REJECTED].mean, 0.0, 0.0);
            assert_true(pk->lo > limit + conn);
        }
        free_reps(&e, res);
        results_summary_fini(&sum);
    }
}

/* The ladder on a load pinned by memory: a base of 85%, 92% or 96% of
 * max_memory (everything else free) holds the proxy on one rung for the
 * whole run.  Degraded: GET streams refused, POSTs served; essential: POSTs
 * answered with SSE refused too; protective: new connections refused too (each
 * request here comes on a new connection, so nothing is served). */
static void degradation_ladder(void **state)
{
    (void)state;
    const double lambda = 50.0, max_mem = 100e6;
    const struct request_mix mix = {.post_json_p = 0.6, .post_sse_p = 0.2, .get_sse_p = 0.2};
    const struct {
        bool on;
        double base;
        int metric;      /* the rung's time share, 1 */
        double rejected; /* share of requests refused */
    } cases[] = {
        {false, 0.96 * max_mem, -1, 0.0},
        {true, 0.85 * max_mem, RM_DEGRADED_TIME_SHARE, mix.get_sse_p},
        {true, 0.92 * max_mem, RM_ESSENTIAL_TIME_SHARE, mix.get_sse_p + mix.post_sse_p},
        {true, 0.96 * max_mem, RM_PROTECTIVE_TIME_SHARE, 1.0},
    };
    struct experiment e;
    struct exp_summary sum;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        one_queue(&e, lambda, 0.01);
        e.profile.mix = mix;
        e.profile.sse.lifetime_s = sim_dist_deterministic(1.0);
        e.profile.sse.event_gap_s = sim_dist_exponential(0.5);
        e.design.memory = (struct memory_params){.base_bytes = cases[i].base};
        e.design.buffers.per_conn_bytes = 0.0;
        e.design.buffers.http_bytes = 1.0;
        e.design.upstream.response_body = BODY_STREAM;
        e.design.server.max_memory_bytes = max_mem;
        e.design.server.degradation.enabled = cases[i].on;
        e.profile.duration_s = 300.0;
        e.profile.warmup_s = 10.0;
        e.run.reps = 5;
        printf("  degradation %s, load %.2f\n", cases[i].on ? "on" : "off",
               cases[i].base / max_mem);
        struct rep_result *res = run_reps(&e, &sum);
        const struct sim_ci *rej = &sum.metric[RM_ERROR_RATE_REJECTED];
        printf("  error_rate_rejected = %.6g [%.6g, %.6g], sse_streams_live_peak = %g, "
               "throughput_per_s = %.6g\n", rej->mean, rej->lo, rej->hi,
               sum.metric[RM_SSE_STREAMS_LIVE_PEAK].mean, sum.metric[RM_THROUGHPUT_PER_S].mean);
        /* Every refusal is the ladder's: no other error. */
        CHECK_NEAR(sum.metric[RM_ERROR_RATE].mean, rej->mean, 1e-12);
        CHECK_REFUSED_BY(&sum, RM_ERROR_RATE_REJECTED_SHED);
        if (!cases[i].on) {
            CHECK_NEAR(rej->hi, 0.0, 0.0);
            assert_true(sum.metric[RM_SSE_STREAMS_LIVE_PEAK].mean > 0.0);
            assert_true(isnan(res[0].metric[RM_DEGRADED_TIME_SHARE]));
        } else {
            for (unsigned r = 0; r < e.run.reps; r++) {
                CHECK_NEAR(res[r].metric[cases[i].metric], 1.0, 1e-12);
            }
            /* Not one GET stream got through. */
            CHECK_NEAR(sum.metric[RM_SSE_STREAMS_LIVE_PEAK].mean, 0.0, 0.0);
            if (cases[i].rejected < 1.0) {
                CHECK_IN_CI(&sum, RM_ERROR_RATE_REJECTED, cases[i].rejected);
                /* The JSON POSTs (and, degraded, the SSE POSTs) are all served. */
                CHECK_NEAR(sum.metric[RM_THROUGHPUT_PER_S].mean /
                               sum.metric[RM_OFFERED_PER_S].mean,
                           1.0 - rej->mean, 2e-3);
            } else {
                CHECK_NEAR(rej->mean, 1.0, 0.0);
                CHECK_NEAR(sum.metric[RM_THROUGHPUT_PER_S].mean, 0.0, 0.0);
            }
        }
        free_reps(&e, res);
        results_summary_fini(&sum);
    }
}

/* Protective mode refuses new connections, not the plain JSON-RPC of the clients
 * already connected: 10 keep-alive clients fill max_client_conns = 10 (load 1,
 * protective for good) and are all served. */
static void degradation_protective_keeps_clients(void **state)
{
    (void)state;
    static const struct schedule_point clients[] = {{.at_s = 0.0, .value = 10.0}};
    struct experiment e;
    struct exp_summary sum;
    one_queue(&e, 0.0, 0.01);
    e.profile.arrivals = ARRIVALS_CLOSED;
    e.profile.clients = (struct schedule){1, (struct schedule_point *)clients};
    e.profile.think_s = sim_dist_exponential(0.1);
    e.profile.requests_per_conn = sim_dist_deterministic(1e9);
    e.profile.mix = (struct request_mix){.post_json_p = 1.0};
    e.design.server.max_client_conns = 10.0;
    e.design.server.degradation.enabled = true;
    e.profile.duration_s = 120.0;
    e.profile.warmup_s = 20.0;
    e.run.reps = 3;
    struct rep_result *res = run_reps(&e, &sum);
    printf("  protective_time_share = %g, throughput_per_s = %g, error_rate = %g\n",
           sum.metric[RM_PROTECTIVE_TIME_SHARE].mean, sum.metric[RM_THROUGHPUT_PER_S].mean,
           sum.metric[RM_ERROR_RATE].mean);
    CHECK_NEAR(sum.metric[RM_PROTECTIVE_TIME_SHARE].mean, 1.0, 1e-12);
    CHECK_NEAR(sum.metric[RM_ERROR_RATE].hi, 0.0, 0.0);
    /* Each client cycles think (0.1 s) + service (about 0.01 s): about 10 / 0.11 req/s. */
    assert_true(sum.metric[RM_THROUGHPUT_PER_S].mean > 0.8 * 10.0 / 0.11);
    free_reps(&e, res);
    results_summary_fini(&sum);
}

/* refusal_causes' system: one_queue with 1,000 s after a 20 s warm-up, 4 replications. */
static void loss_queue(struct experiment *e, double lambda, double svc)
{
    one_queue(e, lambda, svc);
    e->profile.duration_s = 1000.0;
    e->profile.warmup_s = 20.0;
    e->run.reps = 4;
}

/* Each limit's refusals land in its own part of error_rate_rejected.  One
 * request per connection and no CPU: a request holds its connection, its
 * in-flight slot and its handler task for exactly its upstream time, so a
 * limit of c on any of them is an M/G/c/c loss system refusing Erlang B of
 * a = lambda s (insensitive to the service law).  A store of 5 sessions that
 * rejects when full, with a new id per request and no sweep, refuses every
 * request after the fifth. */
static void refusal_causes(void **state)
{
    (void)state;
    const double lambda = 20.0, svc = 0.1, c = 3.0; /* a = 2 erlangs */
    const int part[] = {RM_ERROR_RATE_REJECTED_INFLIGHT, RM_ERROR_RATE_REJECTED_CONNS,
                        RM_ERROR_RATE_REJECTED_TASKS, RM_ERROR_RATE_REJECTED_SESSIONS};
    for (size_t k = 0; k < sizeof part / sizeof part[0]; k++) {
        struct experiment e;
        struct exp_summary sum;
        loss_queue(&e, lambda, svc);
        switch (part[k]) {
        case RM_ERROR_RATE_REJECTED_INFLIGHT:
            e.design.server.max_inflight = c;
            break;
        case RM_ERROR_RATE_REJECTED_CONNS:
            e.design.server.max_client_conns = c;
            break;
        case RM_ERROR_RATE_REJECTED_TASKS:
            /* Two tasks a request: its handler, and the driver of the upstream
             * connection it opens (a client per request), which hyper spawns
             * uncapped; no connection or release tasks.  The (c+1)th handler is
             * refused at 2c live tasks. */
            e.design.spawn.per_conn.enabled = false;
            e.design.spawn.per_release.enabled = false;
            e.design.spawn.per_request.enabled = true;
            e.design.upstream.scope = SCOPE_PER_REQUEST;
            e.design.spawn.max_tasks = 2.0 * c;
            break;
        default:
            e.design.sessions.max_sessions = 5.0;
            e.design.sessions.on_full = EVICT_REJECT;
            e.design.sessions.cleanup_interval_s = INFINITY;
            e.profile.session_reuse_p = 0.0;
            break;
        }
        run(&e, 2, &sum);
        const struct sim_ci *rej = &sum.metric[RM_ERROR_RATE_REJECTED];
        printf("  %s = %.6g [%.6g, %.6g]\n", results_metrics[part[k]].name, rej->mean, rej->lo,
               rej->hi);
        CHECK_REFUSED_BY(&sum, part[k]);
        if (part[k] == RM_ERROR_RATE_REJECTED_SESSIONS) {
            CHECK_NEAR(rej->mean, 1.0, 0.0); /* the store filled before the warm-up ended */
        } else {
            CHECK_IN_CI(&sum, RM_ERROR_RATE_REJECTED, qtheory_erlang_b((unsigned)c, lambda * svc));
        }
        results_summary_fini(&sum);
    }
    /* Two limits at once: the in-flight cap, then bodies over their mean
     * refused (413) among the admitted; the parts add up to the whole. */
    struct experiment e;
    struct exp_summary sum;
    loss_queue(&e, lambda, svc);
    e.design.server.max_inflight = c;
    e.profile.request_bytes = sim_dist_exponential(1000.0);
    e.design.server.body_limit_bytes = 1000.0;
    run(&e, 2, &sum);
    double parts = 0.0;
    for (int m = RM_ERROR_RATE_REJECTED_CONNS; m <= RM_ERROR_RATE_REJECTED_SLOW_CLIENT; m++) {
        parts += sum.metric[m].mean;
    }
    printf("  inflight %.6g + body %.6g = rejected %.6g\n",
           sum.metric[RM_ERROR_RATE_REJECTED_INFLIGHT].mean,
           sum.metric[RM_ERROR_RATE_REJECTED_BODY].mean, sum.metric[RM_ERROR_RATE_REJECTED].mean);
    assert_true(sum.metric[RM_ERROR_RATE_REJECTED_INFLIGHT].lo > 0.0);
    assert_true(sum.metric[RM_ERROR_RATE_REJECTED_BODY].lo > 0.0);
    CHECK_NEAR(parts, sum.metric[RM_ERROR_RATE_REJECTED].mean, 1e-12);
    CHECK_NEAR(sum.metric[RM_ERROR_RATE].mean, sum.metric[RM_ERROR_RATE_REJECTED].mean, 1e-12);
    results_summary_fini(&sum);
}

/* server.body_limit: with exponential request bodies of mean m and a limit of m, a
 * share exp(-1) of the POSTs is refused (413, counted as rejected). */
static void body_limit(void **state)
{
    (void)state;
    struct experiment e;
    struct exp_summary sum;
    one_queue(&e, 100.0, 0.01);
    e.profile.request_bytes = sim_dist_exponential(1000.0);
    e.design.server.body_limit_bytes = 1000.0;
    e.profile.duration_s = 200.0;
    e.run.reps = 5;
    run(&e, 2, &sum);
    printf("  error_rate_rejected = %g [%g, %g] (exp(-1) = %g)\n",
           sum.metric[RM_ERROR_RATE_REJECTED].mean, sum.metric[RM_ERROR_RATE_REJECTED].lo,
           sum.metric[RM_ERROR_RATE_REJECTED].hi, exp(-1.0));
    CHECK_IN_CI(&sum, RM_ERROR_RATE_REJECTED, exp(-1.0));
    CHECK_NEAR(sum.metric[RM_ERROR_RATE].mean, sum.metric[RM_ERROR_RATE_REJECTED].mean, 1e-12);
    CHECK_REFUSED_BY(&sum, RM_ERROR_RATE_REJECTED_BODY);
    results_summary_fini(&sum);
}

/* profile.warmup_mser5: with the population ramped over 60 s, MSER-5 on the pilot never
 * truncates inside the ramp (live tasks and connections still climb there), stays within
 * half the run, and the replications use what it found: their steady-state mean of live
 * tasks leaves the ramp out. */
static void mser5_warmup(void **state)
{
    (void)state;
    static const struct schedule_point ramp[] = {{.at_s = 0.0, .value = 0.0},
                                                 {.at_s = 0.0, .value = 200.0, .ramp_s = 60.0}};
    struct experiment e;
    presets_default_experiment(&e);
    e.profile.arrivals = ARRIVALS_CLOSED;
    e.profile.clients = (struct schedule){2, (struct schedule_point *)ramp};
    e.profile.think_s = sim_dist_exponential(1.0);
    e.profile.requests_per_conn = sim_dist_exponential(20.0);
    e.profile.mix = (struct request_mix){.post_json_p = 1.0};
    e.profile.duration_s = 400.0;
    e.profile.warmup_s = 0.0;
    e.profile.sample_dt_s = 1.0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        e.run.seed = seed;
        double w = proxy_mser5_warmup_s(&e);
        printf("  seed %" PRIu64 ": MSER-5 warm-up %g s (ramp 60 s)\n", seed, w);
        assert_true(w >= 60.0 - 5.0 && w <= 200.0);
        CHECK_NEAR(fmod(w, 5.0), 0.0, 1e-9); /* batches of five 1 s windows */
    }
    e.run.reps = 2;
    struct exp_summary fixed, detected;
    run(&e, 2, &fixed);
    double w_expected = proxy_mser5_warmup_s(&e), w_used = NAN;
    e.profile.warmup_mser5 = true;
    struct rep_result res[2];
    struct proxy_run_opts ro = {.threads = 2, .warmup_s_out = &w_used};
    assert_int_equal(proxy_replicate(&e, &ro, res, NULL), 0);
    results_summarize(res, 2, 0.95, &detected);
    CHECK_NEAR(w_used, w_expected, 0.0);
    printf("  tasks_live_mean: %g with no warm-up, %g after MSER-5's %g s\n",
           fixed.metric[RM_TASKS_LIVE_MEAN].mean, detected.metric[RM_TASKS_LIVE_MEAN].mean, w_used);
    assert_true(detected.metric[RM_TASKS_LIVE_MEAN].mean > fixed.metric[RM_TASKS_LIVE_MEAN].mean);
    for (int i = 0; i < 2; i++) {
        results_rep_fini(&res[i]);
    }
    results_summary_fini(&fixed);
    results_summary_fini(&detected);
}

/* The ladder's load is the fullest finite limit, and each rung sheds its
 * class of work from its threshold on (admission alone, exact). */
static void degradation_load(void **state)
{
    (void)state;
    struct sim_opts so = {.master_seed = 1, .rep = 0, .n_streams = 1};
    struct sim *s = sim_create(&so);
    struct memory mem;
    memory_init(&mem, s, 0.0);
    struct sim_level tasks;
    sim_level_init(&tasks, 0.0, 0.0);
    struct design d;
    presets_default_design(&d);
    d.server.max_client_conns = 100.0;
    d.server.max_inflight = 10.0;
    d.spawn.max_tasks = 1000.0;
    d.server.max_memory_bytes = 1e6;
    d.server.degradation.enabled = true;
    struct admission a;
    admission_init(&a, &d, &mem, &tasks, 0.0);
    /* Connections: the 80th is admitted at a load of 0.79; then 0.80 is degraded. */
    for (int i = 0; i < 80; i++) {
        assert_int_equal(admission_conn_open(&a, 0.0), ADMIT_OK);
    }
    CHECK_NEAR(admission_load(&a), 0.80, 1e-12);
    assert_int_equal(admission_update(&a, 0.0), DEGRADE_DEGRADED);
    assert_int_equal(admission_request(&a, 0.0, DEGRADE_DEGRADED), ADMIT_SHED);
    assert_int_equal(admission_request(&a, 0.0, DEGRADE_ESSENTIAL), ADMIT_OK);
    assert_int_equal(admission_request(&a, 0.0, DEGRADE_PROTECTIVE), ADMIT_OK);
    /* Connections are shed only when protective. */
    assert_int_equal(admission_conn_open(&a, 0.0), ADMIT_OK);
    /* In flight dominates: 9 of 10 is essential. */
    for (int i = 0; i < 7; i++) {
        assert_int_equal(admission_request(&a, 1.0, DEGRADE_PROTECTIVE), ADMIT_OK);
    }
    CHECK_NEAR(admission_load(&a), 0.9, 1e-12);
    assert_int_equal(admission_request(&a, 1.0, DEGRADE_ESSENTIAL), ADMIT_SHED);
    assert_int_equal(admission_request(&a, 1.0, DEGRADE_PROTECTIVE), ADMIT_OK);
    for (int i = 0; i < 10; i++) {
        admission_request_done(&a);
    }
    /* Tasks dominate: 950 of 1000 is protective; new connections are refused too. */
    sim_level_set(&tasks, 2.0, 950.0);
    assert_int_equal(admission_conn_open(&a, 2.0), ADMIT_SHED);
    assert_int_equal(admission_request(&a, 2.0, DEGRADE_PROTECTIVE), ADMIT_SHED);
    sim_level_set(&tasks, 3.0, 0.0);
    for (int i = 0; i < 81; i++) {
        admission_conn_close(&a);
    }
    assert_int_equal(admission_update(&a, 3.0), DEGRADE_FULL);
    /* Memory: the ladder sees its share, and at the limit everything is refused. */
    memory_add(&mem, MEM_SESSIONS, 0.85e6);
    assert_int_equal(admission_update(&a, 4.0), DEGRADE_DEGRADED);
    memory_add(&mem, MEM_SESSIONS, 0.15e6);
    assert_int_equal(admission_conn_open(&a, 4.0), ADMIT_SHED);
    assert_int_equal(admission_request(&a, 4.0, DEGRADE_PROTECTIVE), ADMIT_SHED);
    memory_add(&mem, MEM_SESSIONS, -1e6);
    assert_int_equal(admission_update(&a, 5.0), DEGRADE_FULL);
    /* Time at each rung over [0, 5): degraded [0, 1), essential [1, 2), protective
     * [2, 3) and [4, 5) (degraded for no time at 4 s), full [3, 4). */
    CHECK_NEAR(sim_level_frac_at(&a.level, 5.0, DEGRADE_FULL), 0.2, 1e-12);
    CHECK_NEAR(sim_level_frac_at(&a.level, 5.0, DEGRADE_DEGRADED), 0.2, 1e-12);
    CHECK_NEAR(sim_level_frac_at(&a.level, 5.0, DEGRADE_ESSENTIAL), 0.2, 1e-12);
    CHECK_NEAR(sim_level_frac_at(&a.level, 5.0, DEGRADE_PROTECTIVE), 0.4, 1e-12);
    admission_fini(&a);
    sim_level_fini(&tasks);
    memory_fini(&mem);
    sim_destroy(s);
}

/* Same replications for any thread count, and when a run is extended. */
static void threads_identical(void **state)
{
    (void)state;
    struct experiment e;
    one_queue(&e, 300.0, 0.05);
    e.design.upstream.max_conns = 20.0;
    e.profile.duration_s = 60.0;
    e.run.reps = 6;
    struct rep_result a[6], b[6];
    struct proxy_run_opts o1 = {.threads = 1}, o3 = {.threads = 3};
    proxy_replicate(&e, &o1, a, NULL);
    /* b: 2 replications, then extended to 6 (as the report's sequential procedure does). */
    e.run.reps = 2;
    proxy_replicate(&e, &o3, b, NULL);
    e.run.reps = 6;
    o3.first_rep = 2;
    proxy_replicate(&e, &o3, b, NULL);
    for (int i = 0; i < 6; i++) {
        assert_memory_equal(a[i].metric, b[i].metric, sizeof a[i].metric);
        assert_memory_equal(a[i].series, b[i].series, RS_N * a[i].n_steps * sizeof(double));
        results_rep_fini(&a[i]);
        results_rep_fini(&b[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mmc_erlang_c),    cmocka_unit_test(session_lock_md1),
        cmocka_unit_test(blocking_pool),   cmocka_unit_test(transient_no_slope),
        cmocka_unit_test(growth_after_ramp), cmocka_unit_test(sse_memory_growth),
        cmocka_unit_test(port_exhaustion),
        cmocka_unit_test(task_growth),     cmocka_unit_test(buffer_pool),
        cmocka_unit_test(sessions_growth), cmocka_unit_test(leaks),
        cmocka_unit_test(divergence),      cmocka_unit_test(threads_identical),
        cmocka_unit_test(session_task_cap), cmocka_unit_test(memory_limit),
        cmocka_unit_test(degradation_ladder),
        cmocka_unit_test(degradation_protective_keeps_clients), cmocka_unit_test(body_limit),
        cmocka_unit_test(refusal_causes),
        cmocka_unit_test(mser5_warmup), cmocka_unit_test(degradation_load),
        cmocka_unit_test(pool_policies), cmocka_unit_test(http2_streams),
        cmocka_unit_test(rate_limit),    cmocka_unit_test(onoff_rate),
        cmocka_unit_test(latency_spikes), cmocka_unit_test(upstream_stall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
