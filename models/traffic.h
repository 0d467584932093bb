/* SPDX-License-Identifier: MIT
 *
 * traffic.h - when clients arrive and what they ask for.
 *
 * What it models.  Open loop: new client connections arrive as a
 * non-homogeneous Poisson process whose rate follows the profile's schedule,
 * sampled exactly by thinning against the schedule's maximum (Lewis and
 * Shedler); on/off traffic is an MMPP-2 whose state flips after exponential
 * on and off periods, folded into the same thinning (the off state accepts a
 * candidate with probability off_rate_factor), so no event is spent on state
 * changes; a trace replays recorded instants, scaled and optionally looped.
 * Closed loop: the proxy keeps clients(t) clients, each cycling through
 * connect, k requests with think time, close, think; the population follows
 * its schedule at the sampling grid (a client retires at the end of a cycle
 * when there are too many).  Each connection carries k requests
 * (requests_per_conn, keep-alive) one at a time, as an HTTP/1.1 client does.
 * Each request draws its kind from the mix (POST JSON, POST answered with SSE,
 * GET SSE) and its sizes from the profile's distributions.
 *
 * What it leaves out: pipelining, HTTP/2 client multiplexing (a client
 * connection has one request in flight), correlated sizes.
 *
 * Every draw comes from the stream its purpose owns (arrivals, mix, sizes),
 * so two designs run on one seed see the same traffic.  Costs: O(1)
 * expected per arrival (thinning rejects at most 1 - mean/max of candidates;
 * the schedule lookup is O(points)).
 */
#ifndef MODELS_TRAFFIC_H
#define MODELS_TRAFFIC_H

#include "models/params.h"

#include <gsl/gsl_rng.h>

enum request_kind { REQ_POST_JSON, REQ_POST_SSE, REQ_GET_SSE };

struct traffic {
    const struct profile *p;
    double rate_max_per_s; /* thinning envelope */
    bool on;               /* on/off: current state */
    double next_flip_s;    /* on/off: when the state next changes */
    size_t trace_i;        /* trace: next instant */
    double trace_offset_s; /* trace: added per loop */
};

void traffic_init(struct traffic *tr, const struct profile *p, const gsl_rng *r);
/* The next open-loop connection arrival after now_s; INFINITY when none.
 * Draws from r (the arrivals stream) only. */
double traffic_next_arrival_s(struct traffic *tr, const gsl_rng *r, double now_s);
enum request_kind traffic_request_kind(const struct traffic *tr, const gsl_rng *r);
/* Requests a connection carries, at least 1. */
double traffic_requests_per_conn(const struct traffic *tr, const gsl_rng *r);

#endif
