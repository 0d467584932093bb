/* SPDX-License-Identifier: MIT */
#include "sim/tokenbucket.h"

#include <math.h>

void sim_tokenbucket_init(struct sim_tokenbucket *tb, double rate_per_s, double burst,
                          double now_s)
{
    tb->rate_per_s = rate_per_s;
    tb->burst = burst;
    tb->tokens = burst;
    tb->last_s = now_s;
    tb->n_taken = tb->n_refused = 0;
}

static void refill(struct sim_tokenbucket *tb, double now_s)
{
    if (now_s > tb->last_s) {
        tb->tokens = fmin(tb->burst, tb->tokens + (now_s - tb->last_s) * tb->rate_per_s);
        tb->last_s = now_s;
    }
}

bool sim_tokenbucket_take(struct sim_tokenbucket *tb, double now_s, double n)
{
    refill(tb, now_s);
    if (tb->tokens + 1e-12 < n) {
        tb->n_refused++;
        return false;
    }
    tb->tokens -= n;
    tb->n_taken++;
    return true;
}

double sim_tokenbucket_wait_s(struct sim_tokenbucket *tb, double now_s, double n)
{
    refill(tb, now_s);
    if (tb->tokens >= n) {
        return 0.0;
    }
    return tb->rate_per_s > 0.0 ? (n - tb->tokens) / tb->rate_per_s : INFINITY;
}
