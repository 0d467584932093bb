/* SPDX-License-Identifier: MIT */
#include "sim/replicate.h"

#include "sim/check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct runner {
    size_t n;
    sim_trial_fn *fn;
    void *ctx;
    struct sim_err *errs;
    atomic_size_t next;
    atomic_size_t n_failed;
    pthread_mutex_t lock;
    size_t done;
    const struct sim_replicate_opts *opts;
};

static void *worker(void *arg)
{
    struct runner *r = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->n) {
            return NULL;
        }
        struct sim_err local;
        struct sim_err *e = r->errs ? &r->errs[i] : &local;
        sim_err_clear(e);
        int rc = r->fn(r->ctx, i, e);
        if (rc != 0) {
            if (e->code == SIM_OK) {
                sim_err_set(e, rc, "trial %zu failed: %s", i, sim_strerror(rc));
            }
            atomic_fetch_add(&r->n_failed, 1);
        }
        if (r->opts && r->opts->progress) {
            pthread_mutex_lock(&r->lock);
            r->done++;
            r->opts->progress(r->opts->progress_ctx, r->done, r->n);
            pthread_mutex_unlock(&r->lock);
        }
    }
}

unsigned sim_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

size_t sim_replicate(size_t n, sim_trial_fn *fn, void *ctx, const struct sim_replicate_opts *opts,
                     struct sim_err *errs)
{
    struct runner r = {.n = n, .fn = fn, .ctx = ctx, .errs = errs, .opts = opts};
    atomic_init(&r.next, 0);
    atomic_init(&r.n_failed, 0);
    pthread_mutex_init(&r.lock, NULL);
    unsigned nt = opts && opts->n_threads ? opts->n_threads : sim_cpu_count();
    if (nt > n) {
        nt = n ? (unsigned)n : 1u;
    }
    if (nt <= 1) {
        worker(&r);
    } else {
        pthread_t *th = sim_xmalloc(nt * sizeof *th);
        unsigned started = 0;
        for (unsigned t = 0; t < nt; t++) {
            if (pthread_create(&th[t], NULL, worker, &r) == 0) {
                started++;
            } else {
                break; /* fewer threads still finish every trial */
            }
        }
        if (started == 0) {
            worker(&r);
        }
        for (unsigned t = 0; t < started; t++) {
            pthread_join(th[t], NULL);
        }
        free(th);
    }
    pthread_mutex_destroy(&r.lock);
    return atomic_load(&r.n_failed);
}
