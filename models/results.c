/* SPDX-License-Identifier: MIT */
#include "models/results.h"

#include "sim/check.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const struct results_info results_metrics[RM_N] = {
#define RESULTS_METRIC_INFO(id, name, unit) [RM_##id] = {name, unit},
    RESULTS_METRICS(RESULTS_METRIC_INFO)
#undef RESULTS_METRIC_INFO
};

const struct results_info results_series[RS_N] = {
#define RESULTS_SERIES_INFO(id, name, unit) [RS_##id] = {name, unit},
    RESULTS_SERIES(RESULTS_SERIES_INFO)
#undef RESULTS_SERIES_INFO
};

const char *const results_site_names[RSITE_N] = {
#define RESULTS_SITE_NAME(id, name) [RSITE_##id] = name,
    RESULTS_SITES(RESULTS_SITE_NAME)
#undef RESULTS_SITE_NAME
};

void results_rep_init(struct rep_result *r, double t0_s, double dt_s, size_t n_steps)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < RM_N; i++) {
        r->metric[i] = NAN;
    }
    for (int i = 0; i < RSITE_N; i++) {
        r->site_live_mean[i] = r->site_spawned_per_s[i] = NAN;
    }
    r->t0_s = t0_s;
    r->dt_s = dt_s;
    r->n_steps = n_steps;
    r->series = sim_xcalloc(RS_N * (n_steps ? n_steps : 1), sizeof *r->series);
    sim_loghist_init(&r->latency);
}

void results_rep_fini(struct rep_result *r)
{
    free(r->series);
    r->series = NULL;
    sim_loghist_fini(&r->latency);
}

void results_unit_range(const char *unit, double *lo, double *hi)
{
    bool slope = strcmp(unit, "B/s") == 0; /* a growth slope: either sign */
    *lo = slope ? -INFINITY : 0.0;
    *hi = strcmp(unit, "1") == 0 ? 1.0 : INFINITY;
}

void results_clip_ci(const char *unit, struct sim_ci *ci)
{
    /* A t interval over few replications can reach past what the quantity
     * can be ("95.3% [64.4, 126]"); the truncated interval covers at least as
     * often. */
    if (isnan(ci->half)) {
        return;
    }
    double lo, hi;
    results_unit_range(unit, &lo, &hi);
    ci->lo = fmax(ci->lo, lo);
    ci->hi = fmin(ci->hi, hi);
}

void results_summarize(const struct rep_result *reps, size_t n, double conf,
                       struct exp_summary *out)
{
    memset(out, 0, sizeof *out);
    out->n_reps = n;
    out->confidence = conf;
    sim_loghist_init(&out->latency);
    if (n == 0) {
        return;
    }
    double *x = sim_xcalloc(n, sizeof *x);
    for (int m = 0; m < RM_N; m++) {
        for (size_t i = 0; i < n; i++) {
            x[i] = reps[i].metric[m];
        }
        out->metric[m] = sim_ci_compute(x, n, conf);
        results_clip_ci(results_metrics[m].unit, &out->metric[m]);
    }
    for (int k = 0; k < RSITE_N; k++) {
        for (size_t i = 0; i < n; i++) {
            x[i] = reps[i].site_live_mean[k];
        }
        out->site_live_mean[k] = sim_ci_compute(x, n, conf);
        results_clip_ci("tasks", &out->site_live_mean[k]);
        for (size_t i = 0; i < n; i++) {
            x[i] = reps[i].site_spawned_per_s[k];
        }
        out->site_spawned_per_s[k] = sim_ci_compute(x, n, conf);
        results_clip_ci("1/s", &out->site_spawned_per_s[k]);
    }
    out->t0_s = reps[0].t0_s;
    out->dt_s = reps[0].dt_s;
    out->n_steps = reps[0].n_steps;
    out->series = sim_xcalloc(RS_N * (out->n_steps ? out->n_steps : 1), sizeof *out->series);
    for (int k = 0; k < RS_N; k++) {
        for (size_t t = 0; t < out->n_steps; t++) {
            for (size_t i = 0; i < n; i++) {
                x[i] = reps[i].series[(size_t)k * reps[i].n_steps + t];
            }
            out->series[(size_t)k * out->n_steps + t] = sim_ci_compute(x, n, conf);
            results_clip_ci(results_series[k].unit, &out->series[(size_t)k * out->n_steps + t]);
        }
    }
    free(x);
    for (size_t i = 0; i < n; i++) {
        sim_loghist_merge(&out->latency, &reps[i].latency);
        out->n_events += reps[i].n_events;
        out->n_requests += reps[i].n_requests;
        out->n_arrivals += reps[i].n_arrivals;
        if (reps[i].stopped) {
            if (out->n_stopped == 0) {
                memcpy(out->finding, reps[i].finding, sizeof out->finding);
            }
            out->n_stopped++;
        }
    }
}

void results_summary_fini(struct exp_summary *s)
{
    free(s->series);
    s->series = NULL;
    sim_loghist_fini(&s->latency);
}

int results_top_refusal_part(const struct exp_summary *s)
{
    int top = -1;
    for (int m = RM_ERROR_RATE_REJECTED_CONNS; m <= RM_ERROR_RATE_REJECTED_SLOW_CLIENT; m++) {
        if (s->metric[m].mean > 0.0 && (top < 0 || s->metric[m].mean > s->metric[top].mean)) {
            top = m;
        }
    }
    return top;
}

int results_metric_find(const char *name)
{
    for (int i = 0; i < RM_N; i++) {
        if (strcmp(results_metrics[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

int results_metric_name_width(void)
{
    size_t w = 0;
    for (int i = 0; i < RM_N; i++) {
        size_t len = strlen(results_metrics[i].name);
        w = len > w ? len : w;
    }
    return (int)w;
}
