/* SPDX-License-Identifier: MIT
 *
 * faults.h - what goes wrong upstream, and error paths that leak.
 *
 * What it models: an upstream that answers a request with an error (5xx)
 * with probability upstream_error_p; a latency spike that multiplies a
 * request's service time with probability latency_spike_p; a stall, a window
 * [stall_at_s, stall_at_s + stall_s) in which the upstream answers nothing
 * (a response due inside the window, or a request sent inside it, is held
 * until the window ends); and a restart at restart_at_s that drops every
 * upstream connection at one instant and refuses connects for
 * restart_down_s (the proxy performs the drop: see proxy.c).
 *
 * Because a request's response instant is known when it is sent, stalls,
 * spikes and timeouts are resolved then: a request whose response would come
 * after its deadline gets a single timeout event instead of a response event
 * (no event is spent on a timer that is later cancelled).
 *
 * Leaks: an error path (any request that ends in an error) fails to release
 * what it holds with the design's probabilities: its task, its upstream
 * connection, its buffers, its session (only in a design that removes
 * sessions on close: elsewhere nothing would have removed it anyway).
 * faults_leak draws from the leak stream so leak decisions never shift the
 * traffic's random numbers.
 *
 * What it leaves out: partial responses, errors correlated in time (other
 * than the stall), slow-loris clients.
 */
#ifndef MODELS_FAULTS_H
#define MODELS_FAULTS_H

#include "models/params.h"

#include <gsl/gsl_rng.h>
#include <stdbool.h>

/* When, after now_s, the upstream answers a request needing service_s. */
double faults_response_at_s(const struct fault_profile *f, const gsl_rng *r, double now_s,
                            double service_s);
bool faults_upstream_error(const struct fault_profile *f, const gsl_rng *r);
static inline bool faults_leak(const gsl_rng *r, double p)
{
    return p > 0.0 && gsl_rng_uniform(r) < p;
}

#endif
