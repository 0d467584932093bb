/* SPDX-License-Identifier: MIT */
#include "models/executor.h"

#include <math.h>

void executor_init(struct executor *ex, struct sim *s, const struct executor_params *p)
{
    ex->s = s;
    sim_fcfs_init(&ex->workers, s, p->workers ? p->workers : 1);
    unsigned bt = isfinite(p->blocking_threads) && p->blocking_threads >= 1.0
                      ? (unsigned)p->blocking_threads
                      : 512u; /* tokio's default max_blocking_threads */
    sim_fcfs_init(&ex->blocking, s, bt);
    ex->blocking_queue_max = p->blocking_queue_max;
}

void executor_fini(struct executor *ex)
{
    sim_fcfs_fini(&ex->workers);
    sim_fcfs_fini(&ex->blocking);
}

double executor_reserve(struct executor *ex, double cost_s)
{
    return sim_fcfs_admit(&ex->workers, cost_s);
}

void executor_submit(struct executor *ex, double cost_s, sim_event_fn *fn, void *subject)
{
    if (cost_s <= 0.0) {
        fn(ex->s, subject, NULL);
        return;
    }
    sim_schedule_at(ex->s, executor_reserve(ex, cost_s), 0, fn, subject, NULL);
}

bool executor_submit_blocking(struct executor *ex, double cost_s, sim_event_fn *fn,
                              void *subject)
{
    struct sim_fcfs *b = &ex->blocking;
    if ((double)sim_fcfs_waiting(b, sim_now(ex->s)) >= ex->blocking_queue_max &&
        b->n_busy >= b->servers) {
        return false;
    }
    if (cost_s <= 0.0) {
        fn(ex->s, subject, NULL);
        return true;
    }
    sim_schedule_at(ex->s, sim_fcfs_admit(b, cost_s), 0, fn, subject, NULL);
    return true;
}

void executor_settle(struct executor *ex, double t_s)
{
    sim_fcfs_settle(&ex->workers, t_s);
    sim_fcfs_settle(&ex->blocking, t_s);
}

void executor_reset_stats(struct executor *ex, double t_s)
{
    sim_fcfs_reset_stats(&ex->workers, t_s);
    sim_fcfs_reset_stats(&ex->blocking, t_s);
}

double executor_utilization(struct executor *ex, double t_s)
{
    sim_fcfs_settle(&ex->workers, t_s);
    return sim_level_mean(&ex->workers.busy, t_s) / (double)ex->workers.servers;
}
