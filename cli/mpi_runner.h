/* SPDX-License-Identifier: MIT
 *
 * mpi_runner.h - a trials executor over MPI ranks (built with -DPROXYSIM_MPI=ON).
 *
 * Every rank runs the same subcommand on the same argv (SPMD).  When an
 * executor run starts, rank 0 becomes the master: its main thread hands out
 * trial indices one at a time to whichever rank asks (a rank that finishes
 * early asks again: dynamic distribution, no static split waiting for the
 * slowest), while a compute thread on rank 0 takes trials from the same
 * counter, so rank 0 is not idle.  A worker sends each result back as bytes
 * with its index and status, and asks for the next in the same message.  When
 * all are done, rank 0 broadcasts the whole results array, so every rank
 * holds the same bytes and takes the same next decision (the SLO search is
 * adaptive).  Only rank 0 prints and writes files; the others' stdout and
 * stderr go to /dev/null.
 *
 * Determinism: a trial's result depends only on its index, and rank 0 stores
 * it at its index, so the output is byte for byte the threaded run's.  The
 * ranks must run the same binary on the same architecture (results travel as
 * raw doubles).
 *
 * Only this file and mpi_runner.c include <mpi.h>; only rank 0's main thread
 * calls MPI (MPI_THREAD_FUNNELED).  The master polls with MPI_Test and a
 * short sleep instead of a blocking receive, because Open MPI's blocking
 * receive spins and would take a core from the compute thread.
 */
#ifndef CLI_MPI_RUNNER_H
#define CLI_MPI_RUNNER_H

#include "models/trials.h"

#include <stdbool.h>

/* True when the environment says an MPI launcher started this process
 * (mpirun/mpiexec of Open MPI or MPICH, Slurm's srun with PMI/PMIx). */
bool mpi_runner_launched(void);
/* Initialises MPI and fills *out; root_threads compute threads on rank 0
 * (0: 1).  Returns 0 or 2 with a message on stderr. */
int mpi_runner_open(unsigned root_threads, struct trials_exec *out);
/* Finalises MPI and frees the executor's state. */
void mpi_runner_close(struct trials_exec *x);

#endif
