/* SPDX-License-Identifier: MIT
 *
 * sem.h - a counting semaphore with weighted, FIFO acquisition.
 *
 * Like tokio's Semaphore: permits are acquired in amounts (one task slot, or
 * a message's bytes against a byte budget) and granted strictly in arrival
 * order, so a large request at the head is not starved by small ones behind
 * it.  Unlike sim_resource there is no owner: any code may release permits,
 * and sim_sem_add can grow the total.  Timeouts as in sim_resource.
 */
#ifndef SIM_SEM_H
#define SIM_SEM_H

#include "sim/stat.h"
#include "sim/waitq.h"

struct sim_sem {
    struct sim *s;
    double available;
    double total;
    struct sim_waitq waiters;
    struct sim_level held; /* permits held over time */
};

void sim_sem_init(struct sim_sem *m, struct sim *s, double permits);
void sim_sem_fini(struct sim_sem *m);
/* Takes n permits if available and nobody waits; false otherwise. */
bool sim_sem_try_acquire(struct sim_sem *m, double n);
/* True: taken now.  False: parked (fn(s, who, NULL, ok) at grant or timeout). */
bool sim_sem_acquire(struct sim_sem *m, double n, double timeout_s, sim_wake_fn *fn, void *who,
                     struct sim_waiter **waiter);
void sim_sem_abandon(struct sim_sem *m, struct sim_waiter *w);
void sim_sem_release(struct sim_sem *m, double n);
/* Adds n permits to the total (n < 0 removes them as they come back). */
void sim_sem_add(struct sim_sem *m, double n);

#endif
