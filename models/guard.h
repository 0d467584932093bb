/* SPDX-License-Identifier: MIT
 *
 * guard.h - the divergence guard: stop an unstable replication in time and
 * say why, instead of eating the machine.
 *
 * An overloaded design with unbounded queues has no steady state: its
 * simulated memory and pending events grow for as long as it runs, and so
 * do the simulator's own memory and time.  The guard is checked on the
 * sampling grid and every few thousand arrivals; when simulated memory
 * exceeds max_memory_bytes, pending events exceed max_pending_events, the
 * simulated clock stands still (GUARD_STILL_CHECKS checks in a row at one
 * instant: a zero-time loop, such as clients with no think time asking again
 * at once after a refusal), or the replication's wall time exceeds
 * max_wall_s, it stops the run and writes a finding such as "memory grows
 * without bound at 324.5 MiB/min from t = 12 s (stopped at 1024.3 MiB >
 * guard.max_memory 1024 MiB, t = 180.0 s)".  The slope is a least-squares line
 * (gsl_fit_linear) through the memory window means from the last time
 * memory was at its lowest, which is where the growth began.
 *
 * A stop is a result, not an error: the replication's metrics cover the run
 * up to the stop and its `stopped` metric is 1.  The wall-time limit is the
 * one thing in the model that depends on the machine; it only matters when
 * it fires.
 */
#ifndef MODELS_GUARD_H
#define MODELS_GUARD_H

#include "models/params.h"
#include "sim/sim.h"
#include "sim/stat.h"

#include <stdbool.h>

/* Checks in a row at one simulated instant before the clock is taken to stand
 * still: the proxy model checks every 4,096 requests, so about a million
 * requests at one instant, which no design with time-consuming work reaches. */
#define GUARD_STILL_CHECKS 256u

struct guard {
    const struct guard_params *p;
    double wall_start_s;
    double still_at_s;     /* the instant of the last check */
    unsigned still_checks; /* checks in a row at still_at_s */
    bool tripped;
    double at_s;
    char finding[256];
};

void guard_init(struct guard *g, const struct guard_params *p);
/* Checks the limits; on a trip stops the sim, fills the finding, returns true.
 * mem_series holds window integrals of memory (sim_level series) on a grid of dt_s. */
bool guard_check(struct guard *g, struct sim *s, double memory_bytes,
                 const struct sim_tseries *mem_series);
/* The fewest windows a growth slope is fitted over. */
#define GUARD_SLOPE_MIN_WINDOWS 3
/* Least-squares slope (per second) of a level series' window means over
 * windows [from, to); NAN with fewer than GUARD_SLOPE_MIN_WINDOWS. */
double guard_slope_per_s(const struct sim_tseries *ts, size_t from, size_t to);
/* Seconds on the monotonic wall clock, from an arbitrary origin: for the wall
 * budget and the elapsed times commands print, never for simulated time. */
double guard_wall_s(void);

#endif
