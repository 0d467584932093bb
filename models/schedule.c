/* SPDX-License-Identifier: MIT
 *
 * schedule.c - piecewise step/ramp schedules of params.h.
 */
#include "models/params.h"

#include <math.h>

double schedule_value(const struct schedule *sch, double t_s)
{
    if (sch->n == 0) {
        return 0.0;
    }
    double prev = sch->pts[0].value;
    double v = prev;
    for (size_t i = 0; i < sch->n; i++) {
        const struct schedule_point *p = &sch->pts[i];
        if (t_s < p->at_s) {
            break;
        }
        if (p->ramp_s > 0.0 && t_s < p->at_s + p->ramp_s) {
            v = prev + (p->value - prev) * (t_s - p->at_s) / p->ramp_s;
            break;
        }
        v = p->value;
        prev = p->value;
    }
    return v;
}

double schedule_max(const struct schedule *sch)
{
    double m = 0.0;
    for (size_t i = 0; i < sch->n; i++) {
        m = fmax(m, sch->pts[i].value);
    }
    return m;
}

double schedule_settled_s(const struct schedule *sch)
{
    double t = 0.0;
    for (size_t i = 0; i < sch->n; i++) {
        t = fmax(t, sch->pts[i].at_s + fmax(sch->pts[i].ramp_s, 0.0));
    }
    return t;
}

double profile_load_settled_s(const struct profile *pf)
{
    switch (pf->arrivals) {
    case ARRIVALS_CLOSED:
        return schedule_settled_s(&pf->clients);
    case ARRIVALS_POISSON:
    case ARRIVALS_ONOFF:
        return schedule_settled_s(&pf->rate_per_s);
    case ARRIVALS_TRACE:
        break;
    }
    return 0.0;
}

double profile_growth_from_s(const struct profile *pf)
{
    return fmax(fmax(pf->warmup_s, 0.0), profile_load_settled_s(pf));
}

void profile_growth_windows(const struct profile *pf, double warm_s, double end_s, double dt_s,
                            size_t *from, size_t *to)
{
    double g0 = fmax(warm_s, profile_load_settled_s(pf));
    *from = (size_t)ceil(g0 / dt_s - 1e-9);
    *to = (size_t)floor(end_s / dt_s + 1e-9);
}
