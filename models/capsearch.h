/* SPDX-License-Identifier: MIT
 *
 * capsearch.h - service-level objectives and the search for the smallest (or
 * largest) setting that meets them.
 *
 * An SLO is "metric <= bound" or "metric >= bound" on a results metric
 * (latency_p99_s<=0.2).  A point of the search is one value of the varied
 * key on a grid lo, lo + step, ..., hi.  At a point the search asks its
 * evaluator for replications in batches and, after each batch, looks at the
 * confidence interval of every SLO's metric:
 *
 *   fails      some SLO's CI lies wholly on the wrong side of its bound
 *   meets      every SLO's CI lies on the right side (touching counts)
 *   undecided  neither, and the replication cap is reached
 *
 * so a point costs few replications when it is far from the boundary and
 * more near it; the cap keeps a point that sits on the boundary from eating
 * the budget, and the output says it was undecided.
 *
 * The search assumes the SLOs are monotone in the key (more connections never
 * make the p99 worse; a higher arrival rate never makes it better): with
 * --minimize the feasible values are a top segment of the grid, with
 * --maximize a bottom one.  It checks the favourable end first (nothing meets
 * there: no answer), then the other end (it meets: the answer is that end),
 * then bisects, keeping "not met" below and "met" above.  An undecided point
 * counts as not met, so the answer is conservative: the first point *shown*
 * to meet.  Bisection, not a root finder on a smoothed metric: the grid's
 * step is the tolerance, integer keys need no rounding, and the decision at
 * a point is a three-way CI test rather than a function value.  It costs
 * about log2(grid size) + 2 points.
 *
 * Replication r of every point uses the same seeds (common random numbers),
 * so neighbouring points are compared on the same traffic.
 *
 * Ownership: the result owns its point list (capsearch_result_fini); the
 * evaluator's context belongs to the caller.
 */
#ifndef MODELS_CAPSEARCH_H
#define MODELS_CAPSEARCH_H

#include "sim/err.h"
#include "sim/stat.h"

#include <stdbool.h>
#include <stddef.h>

#define CAPSEARCH_MAX_SLO 8

enum capsearch_op { CAPSEARCH_LE, CAPSEARCH_GE };

struct capsearch_slo {
    int metric;            /* enum results_metric */
    enum capsearch_op op;
    double bound;          /* in the metric's base unit */
};

/* Parses "m1<=b1,m2>=b2" (also < and >, read as <= and >=; spaces allowed).
 * A bound is a plain number in the metric's base unit or carries a unit of
 * the configs of the metric's kind ("latency_p99_s<=200ms",
 * "memory_bytes_peak<=512MiB"); counts and ratios take plain numbers.
 * flag names the option in errors ("--slo").  Returns SIM_OK or SIM_EINVAL
 * with one line: the flag, the text, what was expected (a metric name of
 * docs/MODELS.md, an operator, a number, a unit of the right kind). */
int capsearch_slo_parse(const char *flag, const char *text, struct capsearch_slo *out,
                        size_t *n_out, struct sim_err *err);
/* "latency_p99_s<=0.2" */
void capsearch_slo_format(const struct capsearch_slo *s, char *buf, size_t size);

enum capsearch_status { CAPSEARCH_MEETS, CAPSEARCH_FAILS, CAPSEARCH_UNDECIDED };
const char *capsearch_status_name(enum capsearch_status s);

/* Replications [rep_lo, rep_hi) at grid index k; values[(r - rep_lo) * n_slo + j]
 * receives SLO j's metric in replication r.  Returns SIM_OK or a negative
 * status with err set (the search stops). */
typedef int capsearch_eval_fn(void *ctx, size_t k, unsigned rep_lo, unsigned rep_hi,
                              double *values, struct sim_err *err);

struct capsearch_opts {
    size_t n_grid;          /* grid points 0..n_grid-1 (value lo + k step is the caller's) */
    bool maximize;          /* the largest feasible point instead of the smallest */
    const struct capsearch_slo *slo;
    size_t n_slo;
    unsigned batch;         /* replications added per round (>= 2) */
    unsigned max_reps;      /* cap per point (>= batch) */
    double confidence;      /* e.g. 0.95 */
};

struct capsearch_point {
    size_t k;
    unsigned n_reps;
    enum capsearch_status status;
    struct sim_ci ci[CAPSEARCH_MAX_SLO];
    bool slo_met[CAPSEARCH_MAX_SLO];   /* CI clear on the good side */
    bool slo_failed[CAPSEARCH_MAX_SLO]; /* CI clear on the bad side */
    size_t order;           /* evaluation order, 0 first */
};

struct capsearch_result {
    bool found;
    size_t answer_k;          /* valid when found */
    bool has_neighbour;       /* the last point not shown to meet, next to the answer */
    size_t neighbour_k;
    struct capsearch_point *points; /* evaluated points, sorted by k */
    size_t n_points;
    size_t n_undecided;
    unsigned total_reps;
};

int capsearch_run(const struct capsearch_opts *o, capsearch_eval_fn *eval, void *ctx,
                  struct capsearch_result *out, struct sim_err *err);
/* The evaluated point at grid index k, or NULL. */
const struct capsearch_point *capsearch_point_at(const struct capsearch_result *r, size_t k);
void capsearch_result_fini(struct capsearch_result *r);

#endif
