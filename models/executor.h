/* SPDX-License-Identifier: MIT
 *
 * executor.h - the async runtime's worker threads, as CPU.
 *
 * What it models: W runtime workers as a multi-server FIFO resource.  Every
 * piece of work the proxy does (accept a connection, parse a JSON body in
 * proportion to its size, run the interceptor chain, build the upstream
 * request, format an SSE event) is a job of a given CPU time: it waits for a
 * free worker, holds it for its cost, and then its continuation runs.  The
 * busy level gives CPU utilisation; the wait gives the scheduling delay a
 * saturated runtime adds to every request.  A separate blocking pool
 * (spawn_blocking) has its own threads and a queue that may be bounded.
 *
 * What it leaves out: work stealing and per-worker local queues (the global
 * FIFO is the fair limit of both), cooperative budget preemption (a job runs
 * to completion), cache effects, and the kernel's share of the CPU.  Work
 * that costs zero runs its continuation synchronously, with no event, which
 * is what makes a CPU-free reduction of the model an exact queueing model.
 *
 * Ownership: jobs are embedded in the entity that does the work (a request,
 * a stream); the executor never allocates.  Cost: one event per job, plus
 * O(1) queue operations.
 */
#ifndef MODELS_EXECUTOR_H
#define MODELS_EXECUTOR_H

#include "models/params.h"
#include "sim/resource.h"
#include "sim/sim.h"

struct executor;

/* One piece of CPU work; lives inside its owner. */
struct executor_job {
    struct executor *ex;
    sim_event_fn *fn; /* continuation: fn(s, subject, NULL) when the work is done */
    void *subject;
    double cost_s;
    bool blocking;
};

struct executor {
    struct sim *s;
    struct sim_resource workers;
    struct sim_resource blocking;
    double blocking_queue_max;
    uint64_t n_jobs, n_blocking_rejected;
    double cpu_s; /* CPU time of jobs started */
};

void executor_init(struct executor *ex, struct sim *s, const struct executor_params *p);
void executor_fini(struct executor *ex);

/* Runs cost_s of CPU on a runtime worker, then fn(s, subject, NULL).  With
 * cost_s == 0, fn runs now, before executor_submit returns. */
void executor_submit(struct executor *ex, struct executor_job *job, double cost_s,
                     sim_event_fn *fn, void *subject);
/* As executor_submit on the blocking pool; false (nothing runs) when its
 * queue is full. */
bool executor_submit_blocking(struct executor *ex, struct executor_job *job, double cost_s,
                              sim_event_fn *fn, void *subject);

/* Mean busy workers / W since the last reset. */
double executor_utilization(const struct executor *ex, double now_s);

#endif
