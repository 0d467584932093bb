/* SPDX-License-Identifier: MIT */
#include "models/executor.h"

#include <math.h>

void executor_init(struct executor *ex, struct sim *s, const struct executor_params *p)
{
    ex->s = s;
    sim_resource_init(&ex->workers, s, p->workers ? p->workers : 1);
    unsigned bt = isfinite(p->blocking_threads) && p->blocking_threads >= 1.0
                      ? (unsigned)p->blocking_threads
                      : 512u; /* tokio's default max_blocking_threads */
    sim_resource_init(&ex->blocking, s, bt);
    ex->blocking_queue_max = p->blocking_queue_max;
    ex->n_jobs = ex->n_blocking_rejected = 0;
    ex->cpu_s = 0.0;
}

void executor_fini(struct executor *ex)
{
    sim_resource_fini(&ex->workers);
    sim_resource_fini(&ex->blocking);
}

static void job_done(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct executor_job *job = subject;
    sim_resource_release(job->blocking ? &job->ex->blocking : &job->ex->workers);
    job->fn(s, job->subject, NULL);
}

static void job_granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)item;
    (void)ok; /* workers are waited for without a timeout */
    struct executor_job *job = who;
    sim_schedule(s, job->cost_s, 0, job_done, job, NULL);
}

static void submit(struct executor *ex, struct sim_resource *r, struct executor_job *job,
                   double cost_s, sim_event_fn *fn, void *subject, bool blocking)
{
    job->ex = ex;
    job->fn = fn;
    job->subject = subject;
    job->cost_s = cost_s;
    job->blocking = blocking;
    ex->n_jobs++;
    ex->cpu_s += cost_s;
    if (sim_resource_acquire(r, INFINITY, job_granted, job, NULL)) {
        sim_schedule(ex->s, cost_s, 0, job_done, job, NULL);
    }
}

void executor_submit(struct executor *ex, struct executor_job *job, double cost_s,
                     sim_event_fn *fn, void *subject)
{
    if (cost_s <= 0.0) {
        fn(ex->s, subject, NULL);
        return;
    }
    submit(ex, &ex->workers, job, cost_s, fn, subject, false);
}

bool executor_submit_blocking(struct executor *ex, struct executor_job *job, double cost_s,
                              sim_event_fn *fn, void *subject)
{
    if (ex->blocking.in_use >= ex->blocking.capacity &&
        (double)sim_resource_n_waiting(&ex->blocking) >= ex->blocking_queue_max) {
        ex->n_blocking_rejected++;
        return false;
    }
    if (cost_s <= 0.0) {
        fn(ex->s, subject, NULL);
        return true;
    }
    submit(ex, &ex->blocking, job, cost_s, fn, subject, true);
    return true;
}

double executor_utilization(const struct executor *ex, double now_s)
{
    return sim_level_mean(&ex->workers.busy, now_s) / (double)ex->workers.capacity;
}
