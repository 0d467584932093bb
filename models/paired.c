/* SPDX-License-Identifier: MIT
 *
 * paired.c - paired and Welch comparisons, metric directions; see paired.h.
 */
#include "models/paired.h"

#include "models/results.h"
#include "sim/check.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#define L PAIRED_LOWER_BETTER
#define H PAIRED_HIGHER_BETTER
#define N PAIRED_NEUTRAL
/* Which way is better, beside each stable name.  Counts per second of work
 * the proxy chose to do (spawns, connects) are "lower is better": the same
 * traffic served with less churn.  Offered load is an input; sessions created
 * follow the traffic; CPU utilisation is a cost only near saturation, which
 * latency already shows. */
static const enum paired_direction metric_dirs[RM_N] = {
    [RM_LATENCY_P50_S] = L,           [RM_LATENCY_P90_S] = L,
    [RM_LATENCY_P99_S] = L,           [RM_LATENCY_P999_S] = L,
    [RM_LATENCY_MEAN_S] = L,          [RM_OFFERED_PER_S] = N,
    [RM_THROUGHPUT_PER_S] = H,        [RM_ERROR_RATE] = L,
    [RM_ERROR_RATE_TIMEOUT] = L,      [RM_ERROR_RATE_POOL_TIMEOUT] = L,
    [RM_ERROR_RATE_REJECTED] = L,     [RM_ERROR_RATE_RATE_LIMITED] = L,
    [RM_ERROR_RATE_CONNECT_ERROR] = L, [RM_ERROR_RATE_UPSTREAM_ERROR] = L,
    [RM_ERROR_RATE_REJECTED_CONNS] = L, [RM_ERROR_RATE_REJECTED_INFLIGHT] = L,
    [RM_ERROR_RATE_REJECTED_SHED] = L, [RM_ERROR_RATE_REJECTED_TASKS] = L,
    [RM_ERROR_RATE_REJECTED_SESSION_TASKS] = L, [RM_ERROR_RATE_REJECTED_SESSIONS] = L,
    [RM_ERROR_RATE_REJECTED_BLOCKING] = L, [RM_ERROR_RATE_REJECTED_BODY] = L,
    [RM_ERROR_RATE_REJECTED_SLOW_CLIENT] = L,
    [RM_TASKS_LIVE_PEAK] = L,         [RM_TASKS_LIVE_MEAN] = L,
    [RM_TASKS_SPAWNED_PER_S] = L,     [RM_TASKS_LEAKED] = L,
    [RM_CLIENT_CONNS_PEAK] = N,       [RM_UPSTREAM_CONNS_PEAK] = L, [RM_POOL_CONNS_PEAK] = L,
    [RM_UPSTREAM_CONNS_MEAN] = L,     [RM_UPSTREAM_CONNECTS_PER_S] = L,
    [RM_UPSTREAM_CONNS_LEAKED] = L,   [RM_TIME_WAIT_PEAK] = L,
    [RM_POOL_WAITERS_PEAK] = L,       [RM_POOL_WAIT_PROB] = L,
    [RM_POOL_WAIT_MEAN_S] = L,        [RM_POOL_WAIT_P99_S] = L,
    [RM_BUFFERS_IN_USE_PEAK] = L,     [RM_BUFFER_POOL_HIT_RATE] = H,
    [RM_BUFFERS_LEAKED] = L,          [RM_QUEUED_BYTES_PEAK] = L,
    [RM_SESSIONS_LIVE_PEAK] = L,      [RM_SESSIONS_LIVE_MEAN] = L,
    [RM_SESSIONS_CREATED_PER_S] = N,  [RM_SESSIONS_EVICTED_PER_S] = L,
    [RM_SESSIONS_LEAKED] = L,         [RM_SSE_STREAMS_LIVE_PEAK] = N,
    [RM_SSE_EVENT_LATENCY_P99_S] = L, [RM_SSE_EVENTS_DROPPED] = L,
    [RM_SSE_QUEUED_BYTES_PEAK] = L,   [RM_MEMORY_BYTES_PEAK] = L,
    [RM_MEMORY_BYTES_MEAN] = L,       [RM_MEMORY_GROWTH_BYTES_PER_S] = L,
    [RM_SSE_MEMORY_GROWTH_BYTES_PER_S] = L,
    [RM_CPU_UTILIZATION] = N,         [RM_STOPPED] = L,
    [RM_SSE_EVENTS_LOST_ON_RECONNECT] = L, [RM_SSE_RECONNECTS] = N,
    [RM_SSE_RECONNECT_ATTEMPTS] = L,  [RM_SSE_RECONNECT_ATTEMPTS_PEAK_PER_S] = L,
    [RM_SSE_RECOVERY_TIME_S] = L,     [RM_SSE_EVENTS_REPLAYED] = N,
    [RM_SSE_GAVE_UP] = L,             [RM_EVENT_TRACKER_BYTES_PEAK] = L,
    [RM_SSE_MEMORY_PER_STREAM_BYTES] = L, [RM_SSE_STREAM_QUEUED_BYTES_PEAK] = L,
    [RM_SSE_EVENTS_DROPPED_PER_STREAM] = L, [RM_SSE_PERSIST_TIMEOUTS] = L,
    [RM_SSE_PERSIST_DROPPED] = L,     [RM_SSE_EVENTS] = N,
    [RM_SESSION_TASKS_PEAK] = L,      [RM_DEGRADED_TIME_SHARE] = L,
    [RM_ESSENTIAL_TIME_SHARE] = L,    [RM_PROTECTIVE_TIME_SHARE] = L,
};
#undef L
#undef H
#undef N
/* A metric added to results.h without a direction here would silently be
 * "lower is better" (0); the count check catches additions at the end. */
static_assert(RM_STOPPED == RM_N - 1, "paired.c metric_dirs[]: give the new metric a direction");

enum paired_direction paired_metric_direction(int metric)
{
    SIM_REQUIRE(metric >= 0 && metric < RM_N);
    return metric_dirs[metric];
}

const char *paired_direction_name(enum paired_direction d)
{
    static const char *const names[] = {"lower", "higher", "none"};
    return names[d];
}

const char *paired_verdict_name(enum paired_verdict v)
{
    static const char *const names[] = {"no significant difference", "better", "worse", "higher",
                                        "lower", "n/a"};
    return names[v];
}

struct sim_ci paired_welch(const double *a, size_t na, const double *b, size_t nb, double conf)
{
    struct sim_ci ca = sim_ci_compute(a, na, conf), cb = sim_ci_compute(b, nb, conf);
    struct sim_ci ci = {cb.mean - ca.mean, NAN, NAN, NAN, ca.n < cb.n ? ca.n : cb.n};
    if (ca.n < 2 || cb.n < 2) {
        return ci;
    }
    /* Recover each sample variance from its t half-width rather than
     * re-scanning: s^2/n = (half / t)^2. */
    double ta = gsl_cdf_tdist_Pinv(0.5 + conf / 2.0, (double)(ca.n - 1));
    double tb = gsl_cdf_tdist_Pinv(0.5 + conf / 2.0, (double)(cb.n - 1));
    double va = (ca.half / ta) * (ca.half / ta), vb = (cb.half / tb) * (cb.half / tb);
    double se2 = va + vb;
    ci.lo = ci.hi = ci.mean;
    ci.half = 0.0;
    if (se2 <= 0.0) {
        return ci;
    }
    double df = se2 * se2 /
                (va * va / (double)(ca.n - 1) + vb * vb / (double)(cb.n - 1));
    ci.half = gsl_cdf_tdist_Pinv(0.5 + conf / 2.0, df) * sqrt(se2);
    ci.lo = ci.mean - ci.half;
    ci.hi = ci.mean + ci.half;
    return ci;
}

void paired_compare(const double *a, const double *b, size_t n, double conf,
                    enum paired_direction dir, struct paired_result *out)
{
    /* Keep only complete pairs, so A, B, the paired and the Welch interval
     * all describe the same replications. */
    double *xa = sim_xmalloc((n ? n : 1) * sizeof *xa);
    double *xb = sim_xmalloc((n ? n : 1) * sizeof *xb);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(a[i]) && !isnan(b[i])) {
            xa[m] = a[i];
            xb[m] = b[i];
            m++;
        }
    }
    out->diff = sim_ci_paired(xa, xb, m, conf);
    out->welch = paired_welch(xa, m, xb, m, conf);
    if (m == 0) {
        /* No pair at all (a metric one design does not have, such as the
         * degradation shares of a design without the ladder): nothing to
         * compare, but each side still shows its own value. */
        size_t ma = 0, mb = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isnan(a[i])) {
                xa[ma++] = a[i];
            }
            if (!isnan(b[i])) {
                xb[mb++] = b[i];
            }
        }
        out->a = sim_ci_compute(xa, ma, conf);
        out->b = sim_ci_compute(xb, mb, conf);
    } else {
        out->a = sim_ci_compute(xa, m, conf);
        out->b = sim_ci_compute(xb, m, conf);
    }
    free(xa);
    free(xb);
    out->rel_change = (m > 0 && out->a.mean != 0.0) ? out->diff.mean / fabs(out->a.mean) : NAN;
    double hp = out->diff.half, hw = out->welch.half;
    if (isnan(hp) || isnan(hw) || (hp == 0.0 && hw == 0.0)) {
        out->width_ratio = NAN;
    } else if (hp == 0.0) {
        out->width_ratio = INFINITY;
    } else {
        out->width_ratio = hw / hp;
    }
    if (m < 2) {
        out->verdict = PAIRED_UNKNOWN;
    } else if (!sim_ci_excludes(&out->diff, 0.0)) {
        /* A zero-width interval away from 0 (every pair moved by the same
         * amount) is a difference, and sim_ci_excludes sees it as one. */
        out->verdict = PAIRED_NO_DIFFERENCE;
    } else {
        bool up = out->diff.mean > 0.0;
        switch (dir) {
        case PAIRED_LOWER_BETTER: out->verdict = up ? PAIRED_WORSE : PAIRED_BETTER; break;
        case PAIRED_HIGHER_BETTER: out->verdict = up ? PAIRED_BETTER : PAIRED_WORSE; break;
        case PAIRED_NEUTRAL: out->verdict = up ? PAIRED_HIGHER : PAIRED_LOWER; break;
        }
    }
}
