/* SPDX-License-Identifier: MIT */
#include "models/guard.h"

#include "sim/check.h"

#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double guard_wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void guard_init(struct guard *g, const struct guard_params *p)
{
    g->p = p;
    g->wall_start_s = guard_wall_s();
    g->still_at_s = NAN;
    g->still_checks = 0;
    g->tripped = false;
    g->at_s = NAN;
    g->finding[0] = '\0';
}

double guard_slope_per_s(const struct sim_tseries *ts, size_t from, size_t to)
{
    if (to > ts->n) {
        to = ts->n;
    }
    if (to < from + GUARD_SLOPE_MIN_WINDOWS) {
        return NAN;
    }
    size_t n = to - from;
    double *x = sim_xcalloc(n, sizeof *x);
    double *y = sim_xcalloc(n, sizeof *y);
    for (size_t i = 0; i < n; i++) {
        x[i] = ts->t0_s + ts->dt_s * ((double)(from + i) + 0.5);
        y[i] = ts->v[from + i] / ts->dt_s;
    }
    double c0, c1, cov00, cov01, cov11, sumsq;
    int rc = gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    free(x);
    free(y);
    return rc == 0 ? c1 : NAN;
}

/* Where growth began: the last window at which memory was at its lowest. */
static size_t growth_start(const struct sim_tseries *ts, size_t done)
{
    size_t at = 0;
    double lo = INFINITY;
    for (size_t i = done; i-- > 0;) {
        if (ts->v[i] < lo) {
            lo = ts->v[i];
            at = i;
        }
    }
    return at;
}

bool guard_check(struct guard *g, struct sim *s, double memory_bytes,
                 const struct sim_tseries *mem_series)
{
    if (g->tripped) {
        return true;
    }
    double now = sim_now(s);
    if (now != g->still_at_s) {
        g->still_at_s = now;
        g->still_checks = 0;
    }
    size_t done = (size_t)floor((now - mem_series->t0_s) / mem_series->dt_s);
    if (done > mem_series->n) {
        done = mem_series->n;
    }
    if (memory_bytes > g->p->max_memory_bytes) {
        size_t from = growth_start(mem_series, done);
        double slope = guard_slope_per_s(mem_series, from, done);
        if (!isfinite(slope)) {
            slope = memory_bytes / fmax(now, 1e-9);
        }
        /* MiB, as every table and the guard's own key have it. */
        snprintf(g->finding, sizeof g->finding,
                 "memory grows without bound at %.1f MiB/min from t = %.0f s (stopped at %.5g MiB "
                 "> guard.max_memory %.5g MiB, t = %.1f s)",
                 slope * 60.0 / 1048576.0, mem_series->t0_s + mem_series->dt_s * (double)from,
                 memory_bytes / 1048576.0, g->p->max_memory_bytes / 1048576.0, now);
    } else if ((double)sim_pending(s) > g->p->max_pending_events) {
        snprintf(g->finding, sizeof g->finding,
                 "pending events grow without bound: %zu at t = %.1f s (%.0f per simulated s)",
                 sim_pending(s), now, (double)sim_pending(s) / fmax(now, 1e-9));
    } else if (now == g->still_at_s && ++g->still_checks >= GUARD_STILL_CHECKS) {
        snprintf(g->finding, sizeof g->finding,
                 "simulated time stands still at t = %.6g s: a zero-time loop (e.g. clients "
                 "with no think time asking again at once after a refusal)", now);
    } else if (guard_wall_s() - g->wall_start_s > g->p->max_wall_s) {
        snprintf(g->finding, sizeof g->finding,
                 "wall-time budget of %.3g s exhausted at simulated t = %.1f s", g->p->max_wall_s,
                 now);
    } else {
        return false;
    }
    g->tripped = true;
    g->at_s = now;
    sim_stop(s);
    return true;
}
