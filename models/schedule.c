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
