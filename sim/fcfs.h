/* SPDX-License-Identifier: MIT
 *
 * fcfs.h - c identical servers behind one FIFO queue, for jobs whose service
 * time is known when they arrive: the station is solved on arrival and has
 * no events of its own.
 *
 * Under first-come first-served a job starts at max(its arrival, the earliest
 * instant a server frees), and that server is then busy until start +
 * service (Kiefer and Wolfowitz's workload recursion).  sim_fcfs_admit
 * therefore returns a job's completion time at once; the caller schedules its
 * continuation there, or, when nothing observable happens at that instant,
 * schedules nothing.  This is the same queue as a sim_resource held for the
 * service time (the same start of every job, the same levels), without the
 * acquire and release events or a waiter record per queued job.
 *
 * The busy servers' free times are a min-heap; the start times of the jobs
 * still queued form a FIFO, nondecreasing under FCFS.  The two levels (servers
 * busy, jobs waiting) change at instants that have already been decided, so
 * they are brought up to date lazily and in time order by sim_fcfs_settle,
 * which every operation calls first.  A reader of the levels settles them to
 * its instant before reading (a level only needs its own updates in time
 * order, not the engine's).
 *
 * Does not fit: service that depends on the start instant, priorities,
 * jobs that abandon the queue, a number of servers that changes.
 * Costs: admit O(log c), settle O(k log c) for k instants passed; memory
 * 8 bytes per server and per queued job.
 */
#ifndef SIM_FCFS_H
#define SIM_FCFS_H

#include "sim/sim.h"
#include "sim/stat.h"

#include <stddef.h>
#include <stdint.h>

struct sim_fcfs {
    struct sim *s;
    unsigned servers;
    unsigned n_busy;
    double *free_at; /* min-heap: when each busy server frees, n_busy entries */
    double *starts;  /* ring of the queued jobs' start times, oldest first */
    size_t head, len, cap;
    struct sim_level busy;    /* servers busy */
    struct sim_level waiting; /* jobs queued, not started */
    uint64_t n_jobs;
};

void sim_fcfs_init(struct sim_fcfs *q, struct sim *s, unsigned servers);
void sim_fcfs_fini(struct sim_fcfs *q);

/* A job of service_s (>= 0) arrives now; returns when it completes. */
double sim_fcfs_admit(struct sim_fcfs *q, double service_s);
/* Applies every start and every server freeing up to t_s (>= the last settle). */
void sim_fcfs_settle(struct sim_fcfs *q, double t_s);
/* Jobs queued at t_s (settles to t_s). */
size_t sim_fcfs_waiting(struct sim_fcfs *q, double t_s);
/* Forgets the levels' past at t_s (the end of a warm-up). */
void sim_fcfs_reset_stats(struct sim_fcfs *q, double t_s);

#endif
