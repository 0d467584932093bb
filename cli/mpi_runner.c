/* SPDX-License-Identifier: MIT
 *
 * mpi_runner.c - trials over MPI ranks: rank 0 hands out indices, everyone
 * computes, rank 0 broadcasts the results; see mpi_runner.h.
 *
 * Message protocol (all MPI_BYTE, tags below):
 *   worker -> 0  TAG_RESULT  [header: index (-1 = first request), status, msg][result bytes]
 *   0 -> worker  TAG_WORK    int64 index, or -1: no more work in this batch
 * then MPI_Bcast of the results and statuses from rank 0.  One outstanding
 * trial per worker: a trial is a whole replication (tenths of a second and
 * up), so the round trip to ask for the next (microseconds on a LAN) is
 * noise and prefetching would only make the last trials finish later.
 */
#include "cli/mpi_runner.h"

#include "sim/check.h"

#include <mpi.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_RESULT = 71, TAG_WORK = 72 };

struct result_header {
    int64_t index;
    struct sim_err err;
};

struct mpi_runner {
    int rank, size;
    unsigned root_threads;
};

bool mpi_runner_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK",
                                       "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        if (getenv(vars[i])) {
            return true;
        }
    }
    return false;
}

/* Rank 0's shared state while a batch runs. */
struct master {
    size_t n;
    atomic_size_t next;
    sim_trial_fn *fn;
    void *ctx;
    struct sim_err *errs;
    size_t n_failed_local;
    pthread_mutex_t lock;
    size_t done;
    sim_progress_fn *progress;
    void *progress_ctx;
};

static void master_done(struct master *m)
{
    pthread_mutex_lock(&m->lock);
    m->done++;
    if (m->progress) {
        m->progress(m->progress_ctx, m->done, m->n);
    }
    pthread_mutex_unlock(&m->lock);
}

static void *root_compute(void *arg)
{
    struct master *m = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&m->next, 1);
        if (i >= m->n) {
            return NULL;
        }
        sim_err_clear(&m->errs[i]);
        int rc = m->fn(m->ctx, i, &m->errs[i]);
        if (rc != 0 && m->errs[i].code == SIM_OK) {
            sim_err_set(&m->errs[i], rc, "trial %zu failed: %s", i, sim_strerror(rc));
        }
        master_done(m);
    }
}

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = us * 1000};
    nanosleep(&ts, NULL);
}

static void run_master(struct mpi_runner *r, struct master *m, unsigned char *results,
                       size_t result_bytes)
{
    unsigned nt = r->root_threads ? r->root_threads : 1;
    pthread_t *th = sim_xcalloc(nt, sizeof *th);
    for (unsigned t = 0; t < nt; t++) {
        if (pthread_create(&th[t], NULL, root_compute, m) != 0) {
            SIM_REQUIRE(!"pthread_create failed");
        }
    }
    size_t msg_bytes = sizeof(struct result_header) + result_bytes;
    unsigned char *msg = sim_xmalloc(msg_bytes);
    int active = r->size - 1;
    while (active > 0) {
        MPI_Request req;
        MPI_Status st;
        MPI_Irecv(msg, (int)msg_bytes, MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &req);
        int flag = 0;
        /* Polling with a sleep: a blocking receive spins in Open MPI and would
         * take a core from the compute thread. */
        for (;;) {
            MPI_Test(&req, &flag, &st);
            if (flag) {
                break;
            }
            sleep_us(200);
        }
        struct result_header h;
        memcpy(&h, msg, sizeof h);
        if (h.index >= 0) {
            size_t i = (size_t)h.index;
            memcpy(results + i * result_bytes, msg + sizeof h, result_bytes);
            m->errs[i] = h.err;
            master_done(m);
        }
        size_t next = atomic_fetch_add(&m->next, 1);
        int64_t give = next < m->n ? (int64_t)next : -1;
        MPI_Send(&give, (int)sizeof give, MPI_BYTE, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
        if (give < 0) {
            active--;
        }
    }
    for (unsigned t = 0; t < nt; t++) {
        pthread_join(th[t], NULL);
    }
    free(th);
    free(msg);
}

static void run_worker(sim_trial_fn *fn, void *ctx, const unsigned char *results,
                       size_t result_bytes)
{
    size_t msg_bytes = sizeof(struct result_header) + result_bytes;
    unsigned char *msg = sim_xcalloc(1, msg_bytes);
    struct result_header h;
    memset(&h, 0, sizeof h);
    h.index = -1;
    for (;;) {
        memcpy(msg, &h, sizeof h);
        if (h.index >= 0) {
            memcpy(msg + sizeof h, results + (size_t)h.index * result_bytes, result_bytes);
        }
        MPI_Send(msg, (int)msg_bytes, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        int64_t idx;
        MPI_Recv(&idx, (int)sizeof idx, MPI_BYTE, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (idx < 0) {
            break;
        }
        memset(&h, 0, sizeof h);
        h.index = idx;
        sim_err_clear(&h.err);
        int rc = fn(ctx, (size_t)idx, &h.err);
        if (rc != 0 && h.err.code == SIM_OK) {
            sim_err_set(&h.err, rc, "trial %lld failed: %s", (long long)idx, sim_strerror(rc));
        }
    }
    free(msg);
}

/* MPI counts are int: broadcast in chunks so a huge batch cannot overflow one. */
static void bcast_bytes(void *buf, size_t bytes)
{
    const size_t chunk = (size_t)1 << 30;
    for (size_t off = 0; off < bytes; off += chunk) {
        size_t len = bytes - off < chunk ? bytes - off : chunk;
        MPI_Bcast((unsigned char *)buf + off, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
}

static size_t mpi_run(void *self, size_t n, sim_trial_fn *fn, void *ctx, void *results,
                      size_t result_bytes, struct sim_err *errs, sim_progress_fn *progress,
                      void *progress_ctx)
{
    struct mpi_runner *r = self;
    struct sim_err *e = errs ? errs : sim_xcalloc(n ? n : 1, sizeof *e);
    if (r->rank == 0) {
        struct master m = {.n = n, .fn = fn, .ctx = ctx, .errs = e, .progress = progress,
                           .progress_ctx = progress_ctx};
        atomic_init(&m.next, 0);
        pthread_mutex_init(&m.lock, NULL);
        run_master(r, &m, results, result_bytes);
        pthread_mutex_destroy(&m.lock);
    } else {
        run_worker(fn, ctx, results, result_bytes);
    }
    bcast_bytes(results, n * result_bytes);
    bcast_bytes(e, n * sizeof *e);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        failed += e[i].code != SIM_OK;
    }
    if (!errs) {
        free(e);
    }
    return failed;
}

int mpi_runner_open(unsigned root_threads, struct trials_exec *out)
{
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS ||
        provided < MPI_THREAD_FUNNELED) {
        fprintf(stderr, "proxysim: MPI_Init_thread failed (or no MPI_THREAD_FUNNELED support)\n");
        return 2;
    }
    struct mpi_runner *r = sim_xcalloc(1, sizeof *r);
    MPI_Comm_rank(MPI_COMM_WORLD, &r->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r->size);
    r->root_threads = root_threads;
    if (r->rank != 0) {
        /* Every rank runs the whole command; only rank 0 speaks. */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
            SIM_REQUIRE(!"cannot redirect a worker's output to /dev/null");
        }
    }
    *out = (struct trials_exec){.run = mpi_run,
                                .self = r,
                                .is_root = r->rank == 0,
                                .n_workers = (unsigned)r->size,
                                .kind = "mpi rank"};
    return 0;
}

void mpi_runner_close(struct trials_exec *x)
{
    free(x->self);
    x->self = NULL;
    MPI_Finalize();
}
