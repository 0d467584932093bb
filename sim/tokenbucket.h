/* SPDX-License-Identifier: MIT
 *
 * tokenbucket.h - a token-bucket rate limiter (GCRA-equivalent).
 *
 * Tokens accrue continuously at rate_per_s up to burst; a request takes n
 * tokens or is refused (HTTP 429 in the proxy model).  Pure arithmetic on
 * the clock, no events: refilling is computed lazily from the time of the
 * last call, so an idle limiter costs nothing.  Starts full.
 */
#ifndef SIM_TOKENBUCKET_H
#define SIM_TOKENBUCKET_H

#include <stdbool.h>
#include <stdint.h>

struct sim_tokenbucket {
    double rate_per_s;
    double burst;
    double tokens;
    double last_s;
    uint64_t n_taken, n_refused;
};

void sim_tokenbucket_init(struct sim_tokenbucket *tb, double rate_per_s, double burst,
                          double now_s);
/* Takes n tokens at now_s if there are enough; false (and nothing taken) otherwise. */
bool sim_tokenbucket_take(struct sim_tokenbucket *tb, double now_s, double n);
/* Seconds from now_s until n tokens will be there (0 if already). */
double sim_tokenbucket_wait_s(struct sim_tokenbucket *tb, double now_s, double n);

#endif
