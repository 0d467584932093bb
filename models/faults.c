/* SPDX-License-Identifier: MIT */
#include "models/faults.h"

#include <math.h>

double faults_response_at_s(const struct fault_profile *f, const gsl_rng *r, double now_s,
                            double service_s)
{
    if (f->latency_spike_p > 0.0 && gsl_rng_uniform(r) < f->latency_spike_p) {
        service_s *= f->latency_spike_factor;
    }
    double at = now_s + service_s;
    if (isfinite(f->stall_at_s) && f->stall_s > 0.0) {
        double end = f->stall_at_s + f->stall_s;
        if (at >= f->stall_at_s && now_s < end) {
            at += end - fmax(now_s, f->stall_at_s);
        }
    }
    return at;
}

bool faults_upstream_error(const struct fault_profile *f, const gsl_rng *r)
{
    return f->upstream_error_p > 0.0 && gsl_rng_uniform(r) < f->upstream_error_p;
}
