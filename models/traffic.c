/* SPDX-License-Identifier: MIT */
#include "models/traffic.h"

#include <gsl/gsl_randist.h>
#include <math.h>

void traffic_init(struct traffic *tr, const struct profile *p, const gsl_rng *r)
{
    tr->p = p;
    tr->rate_max_per_s = schedule_max(&p->rate_per_s);
    if (p->arrivals == ARRIVALS_ONOFF && p->off_rate_factor > 1.0) {
        tr->rate_max_per_s *= p->off_rate_factor; /* the envelope must cover both states */
    }
    tr->on = true;
    tr->next_flip_s = p->arrivals == ARRIVALS_ONOFF && p->on_mean_s > 0.0
                          ? gsl_ran_exponential(r, p->on_mean_s)
                          : INFINITY;
    tr->trace_i = 0;
    tr->trace_offset_s = 0.0;
}

static double trace_next(struct traffic *tr, double now_s)
{
    const struct traffic_trace *t = &tr->p->trace;
    double f = t->rate_factor > 0.0 ? t->rate_factor : 1.0;
    if (t->n == 0) {
        return INFINITY;
    }
    for (;;) {
        if (tr->trace_i >= t->n) {
            if (!t->loop) {
                return INFINITY;
            }
            /* One period is the span plus one mean gap, so the looped rate is the
             * trace's own (n - 1) / span and copies do not overlap at the seam. */
            if (t->n < 2 || t->t_s[t->n - 1] <= 0.0) {
                return INFINITY; /* a degenerate trace would loop forever */
            }
            tr->trace_i = 0;
            tr->trace_offset_s += t->t_s[t->n - 1] * ((double)t->n / (double)(t->n - 1)) / f;
        }
        double at = tr->trace_offset_s + t->t_s[tr->trace_i++] / f;
        if (at >= now_s) {
            return at;
        }
    }
}

double traffic_next_arrival_s(struct traffic *tr, const gsl_rng *r, double now_s)
{
    const struct profile *p = tr->p;
    if (p->arrivals == ARRIVALS_TRACE) {
        return trace_next(tr, now_s);
    }
    if (p->arrivals == ARRIVALS_CLOSED || !(tr->rate_max_per_s > 0.0)) {
        return INFINITY;
    }
    double t = now_s;
    for (;;) {
        t += gsl_ran_exponential(r, 1.0 / tr->rate_max_per_s);
        if (t > p->duration_s) {
            return INFINITY;
        }
        /* Flip the on/off state up to t: exponential periods are memoryless, so
         * drawing them lazily here gives the same process as flip events. */
        while (t >= tr->next_flip_s) {
            tr->on = !tr->on;
            double mean = tr->on ? p->on_mean_s : p->off_mean_s;
            tr->next_flip_s += mean > 0.0 ? gsl_ran_exponential(r, mean) : INFINITY;
        }
        double rate = schedule_value(&p->rate_per_s, t);
        if (!tr->on) {
            rate *= p->off_rate_factor;
        }
        if (rate >= tr->rate_max_per_s || gsl_rng_uniform(r) * tr->rate_max_per_s < rate) {
            return t;
        }
    }
}

enum request_kind traffic_request_kind(const struct traffic *tr, const gsl_rng *r)
{
    const struct request_mix *m = &tr->p->mix;
    double total = m->post_json_p + m->post_sse_p + m->get_sse_p;
    if (!(total > 0.0)) {
        return REQ_POST_JSON;
    }
    double u = gsl_rng_uniform(r) * total;
    if (u < m->post_json_p) {
        return REQ_POST_JSON;
    }
    if (u < m->post_json_p + m->post_sse_p) {
        return REQ_POST_SSE;
    }
    return REQ_GET_SSE;
}

double traffic_requests_per_conn(const struct traffic *tr, const gsl_rng *r)
{
    double k = round(sim_dist_sample(&tr->p->requests_per_conn, r));
    return k < 1.0 ? 1.0 : k;
}
