/* SPDX-License-Identifier: MIT
 *
 * xpsetup.h - what compare, sweep and plan share: choosing the executor
 * (threads, or MPI ranks when the binary was built with MPI and started by a
 * launcher), loading the base experiment, output directories and the
 * progress line.
 *
 * A SCENARIO argument is a scenario name or file, a profile name (run with
 * the legacy-reverse design) or PROFILE:DESIGN.  Errors are printed as one
 * line "proxysim CMD: ..." and the functions return 2 (bad input).
 */
#ifndef CLI_XPSETUP_H
#define CLI_XPSETUP_H

#include "cli/progress.h"
#include "models/params.h"
#include "models/trials.h"
#include "plots/axis.h"
#include "sim/stat.h"

#include <stdbool.h>
#include <stddef.h>

#define XPSETUP_MAX_SETS 64

/* The flags the experiment commands share: --reps, --seed, --threads, --set,
 * --out and --quiet, as the getopt_long values 'r' 's' 't' 'S' 'o' 'q'. */
struct xpsetup_flags {
    uint64_t reps, seed, threads; /* 0 when not given (the seed: have_seed) */
    bool have_seed, quiet;
    const char *out_dir;
    const char *sets[XPSETUP_MAX_SETS];
    size_t n_sets;
};

/* Their lines of --help, --reps, --out and --quiet aside (those say what a
 * command does with them). */
#define XPSETUP_FLAGS_HELP                                                                         \
    "  --seed S           master seed (default: the config's run.seed, 1)\n"                     \
    "  --threads T        worker threads (default, or 0: the scenario's run.threads,\n"            \
    "                     else all cores); results do not depend on it\n"                          \
    "  --set key=value    override a profile, design or run key (docs/CONFIG.md);\n"               \
    "                     repeatable\n"

/* Takes getopt_long's ch when it is one of the shared flags: 0 taken, 2 a bad
 * value (one error line printed), -1 not a shared flag.  --reps must lie in
 * [reps_lo, reps_hi]. */
int xpsetup_flag(const char *cmd, int ch, const char *arg, uint64_t reps_lo, uint64_t reps_hi,
                 struct xpsetup_flags *f);

struct xpsetup {
    const char *cmd;
    struct trials_exec exec;
    bool mpi;
    bool threads_given; /* --threads was given: the scenario's run.threads does not apply */
};

/* threads: --threads (0: the scenario's, see xpsetup_apply_run_threads, else all
 * cores).  Returns 0 or 2. */
int xpsetup_open(struct xpsetup *x, const char *cmd, unsigned threads);
/* Once the base experiment is loaded: without --threads, its run.threads
 * (when set) sizes the thread executor, as for `proxysim run`.  MPI ranks
 * keep theirs. */
void xpsetup_apply_run_threads(struct xpsetup *x, const struct experiment *base);
/* "1 thread", "2 threads", "4 mpi ranks": the executor as the headers show it. */
const char *xpsetup_workers(const struct xpsetup *x, char *buf, size_t size);
void xpsetup_close(struct xpsetup *x);

/* The base experiment of SCENARIO with sets[] then extra (may be NULL)
 * applied.  Returns 0 or 2 (message printed). */
int xpsetup_load(const char *cmd, const char *scenario, const char *const *sets, size_t n_sets,
                 const char *const *extra, size_t n_extra, struct experiment *out);

/* Checks that each assignment ("KEY=value" of a --vary) applies to the base
 * experiment; on error prints "proxysim CMD: --vary KEY=value: what is wrong"
 * and returns 2. */
int xpsetup_check_vary(const char *cmd, const char *scenario, const char *const *sets,
                       size_t n_sets, const char *const *assignments, size_t n);

/* Pairs the points of compare and sweep: every point gets one master seed
 * and one replication count, so that they see the same random numbers and
 * their differences are paired.  The seed is --seed, else the first point's
 * run.seed; the count --reps, else its run.reps but at least 2 (a CI needs
 * two); *conf its run.confidence, else 0.95.  Its run.threads sizes the
 * executor (xpsetup_apply_run_threads).  (Each command creates --out's
 * directory itself, before it loads its points.) */
void xpsetup_pair_points(struct xpsetup *x, const struct xpsetup_flags *fl,
                        struct experiment *points, size_t n_points, uint64_t *seed,
                        unsigned *reps, double *conf);

/* Runs replications [0, reps) of each point on x's executor, replication r
 * of point i into out[i * reps + r], behind the progress line (none when
 * quiet, nor off the root), then prints one line per failed replication with
 * its point and seed.  *wall_s: how long the batch took.  Returns the number
 * of failed replications. */
size_t xpsetup_run_points(const struct xpsetup *x, const struct experiment *points,
                          size_t n_points, unsigned reps, bool quiet, struct trials_out *out,
                          double *wall_s);

/* dir/name in a new buffer (free it). */
char *xpsetup_path(const char *dir, const char *name);
/* Full precision, the shortest text that reads back to the same double; empty for NAN. */
void xpsetup_num(char *buf, size_t size, double v);

/* The progress line of a batch of trials: reps done out of the batch and
 * points done (trials of a point are consecutive, so points done is about
 * reps done / reps per point, plus the points of earlier batches). */
struct xpsetup_progress {
    struct progress pg;
    size_t reps_per_point;
    size_t points_before, points_total;
};
void xpsetup_progress_fn(void *ctx, size_t done, size_t total);

#endif
