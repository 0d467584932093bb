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
 * (spawn_blocking) has its own threads and a queue that may be bounded: a
 * design whose handler makes a synchronous call holds one of its threads for
 * executor.blocking_work per POST, and a POST that finds the queue full is
 * refused (503).
 *
 * What it leaves out: work stealing and per-worker local queues (the global
 * FIFO is the fair limit of both), cooperative budget preemption (a job runs
 * to completion), cache effects, and the kernel's share of the CPU.  Work
 * that costs zero runs its continuation synchronously, with no event, which
 * is what makes a CPU-free reduction of the model an exact queueing model.
 *
 * The workers are a sim_fcfs station: a job's CPU time is known when it is
 * submitted, so its completion instant is known then too.  executor_submit
 * schedules the continuation at that instant (one event per job);
 * executor_reserve only reserves the CPU and returns the instant, for a caller
 * that can settle what happens then without an event of its own (the SSE
 * pump's fast path).  The levels are settled lazily: readers call
 * executor_settle first.
 */
#ifndef MODELS_EXECUTOR_H
#define MODELS_EXECUTOR_H

#include "models/params.h"
#include "sim/fcfs.h"
#include "sim/sim.h"

struct executor {
    struct sim *s;
    struct sim_fcfs workers;
    struct sim_fcfs blocking;
    double blocking_queue_max;
};

void executor_init(struct executor *ex, struct sim *s, const struct executor_params *p);
void executor_fini(struct executor *ex);

/* Reserves cost_s (> 0) of CPU on a runtime worker, FIFO behind the work
 * already submitted, and returns the instant it is done. */
double executor_reserve(struct executor *ex, double cost_s);
/* Runs cost_s of CPU on a runtime worker, then fn(s, subject, NULL).  With
 * cost_s <= 0, fn runs now, before executor_submit returns. */
void executor_submit(struct executor *ex, double cost_s, sim_event_fn *fn, void *subject);
/* As executor_submit on the blocking pool; false (nothing runs) when its
 * queue is full. */
bool executor_submit_blocking(struct executor *ex, double cost_s, sim_event_fn *fn,
                              void *subject);

/* Brings the busy and queue levels up to t_s; before reading or resetting them. */
void executor_settle(struct executor *ex, double t_s);
void executor_reset_stats(struct executor *ex, double t_s);
/* Mean busy workers / W from the last reset to t_s. */
double executor_utilization(struct executor *ex, double t_s);

#endif
