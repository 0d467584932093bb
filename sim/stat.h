/* SPDX-License-Identifier: MIT
 *
 * stat.h - what a replication measures, and how replications are combined.
 *
 * sim_tally      observations (a wait, a latency): count, mean, variance, min,
 *                max, from shifted sums, mergeable.  Not
 *                gsl_rstat: its add also runs the P^2 median estimator, which
 *                would cost more than the engine's whole event; quantiles
 *                come from sim_loghist instead.
 * sim_level      a level over time (tasks live, queue length, bytes queued):
 *                time-weighted mean, min and max, optionally the time spent at
 *                each level 0..k-1 (and at >= k), optionally window averages
 *                on a fixed time grid (a sim_tseries).
 * sim_loghist    a log-bucketed histogram for quantiles, 64 buckets per
 *                octave over [2^-20, 2^12) s, i.e. about 0.95 us to 68 min,
 *                relative error <= 0.8% at the bucket midpoint; zeros,
 *                underflow and overflow are counted apart.  Storage is a
 *                gsl_histogram with those ranges, so merging is
 *                gsl_histogram_add; the bucket index comes from the bits of
 *                the double (no log() per sample).
 * sim_tseries    values on a fixed grid of windows [t0 + i dt, t0 + (i+1) dt):
 *                window time-averages of a level, or counts per window.
 * sim_ci         a mean and its Student-t confidence interval across
 *                replications (gsl_cdf_tdist_Pinv).
 *
 * All are plain structs owned by the caller; *_init/_fini pair up, and no
 * function allocates after init.  Nothing here knows about events.
 */
#ifndef SIM_STAT_H
#define SIM_STAT_H

#include <gsl/gsl_histogram.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_tally {
    uint64_t n;
    double shift;  /* the first observation: sums are of (x - shift) */
    double s1, s2; /* sum of (x - shift) and of its square */
    double min, max;
};

void sim_tally_init(struct sim_tally *t);
/* Shifted sums rather than Welford's update: no division on the hot path (it
 * was the largest single cost of an M/M/1 event), and shifting by the first
 * observation keeps the variance free of catastrophic cancellation as long
 * as the data are not wildly non-stationary (Chan, Golub, LeVeque 1983). */
static inline void sim_tally_add(struct sim_tally *t, double x)
{
    if (t->n++ == 0) {
        t->shift = x;
    }
    double d = x - t->shift;
    t->s1 += d;
    t->s2 += d * d;
    if (x < t->min) {
        t->min = x;
    }
    if (x > t->max) {
        t->max = x;
    }
}
void sim_tally_merge(struct sim_tally *dst, const struct sim_tally *src);
double sim_tally_mean(const struct sim_tally *t); /* NAN when n == 0 */
double sim_tally_var(const struct sim_tally *t); /* sample variance, NAN when n < 2 */

struct sim_tseries {
    double t0_s, dt_s;
    size_t n;
    double *v;
    /* The window last integrated into and the span of times it covers, from a
     * time the division put in it to its computed end: a level changes many
     * times per window, and this spares each change a division.  A time within
     * a rounding error below that end counts in this window, where the
     * division alone could put it in the next. */
    size_t cur_w;
    double cur_lo_s, cur_hi_s;
};

void sim_tseries_init(struct sim_tseries *ts, double t0_s, double dt_s, size_t n);
/* [a, b) lies inside the cached window, so its integral goes to v[cur_w]. */
static inline bool sim_tseries__in_cached(const struct sim_tseries *ts, double a, double b)
{
    return a >= ts->cur_lo_s && b <= ts->cur_hi_s;
}
void sim_tseries_fini(struct sim_tseries *ts);
/* Adds k to the window holding t_s (times outside the grid are ignored). */
void sim_tseries_count(struct sim_tseries *ts, double t_s, double k);

struct sim_level {
    double value;
    double last_t_s, start_t_s;
    double area; /* integral of value since start */
    double min, max;
    double *time_at; /* time at level 0..n_at-1, last slot >= n_at-1; NULL if not tracked */
    unsigned n_at;
    struct sim_tseries *series; /* window averages; NULL if not tracked */
};

void sim_level_init(struct sim_level *l, double t_s, double value);
void sim_level_fini(struct sim_level *l);
/* Tracks the time at each integer level 0..k-1 and >= k (k >= 1). */
void sim_level_track_levels(struct sim_level *l, unsigned k);
/* Accumulates window averages into ts (not owned); ts->v[i] becomes the
 * integral over window i, so divide by dt (sim_level_series_mean does). */
void sim_level_track_series(struct sim_level *l, struct sim_tseries *ts);
void sim_level__advance_tracked(struct sim_level *l, double t_s);
/* The level changes to value at t_s (t_s never decreases).  Inline: models
 * call it several times per event, and the untracked case is a few flops. */
static inline void sim_level_set(struct sim_level *l, double t_s, double value)
{
    struct sim_tseries *ts = l->series;
    if (t_s == l->last_t_s) {
        /* A second change at the same instant (common: one callback moves a
         * level twice): no time has passed, nothing to integrate. */
    } else if (ts && !l->time_at && t_s > l->last_t_s &&
               sim_tseries__in_cached(ts, l->last_t_s, t_s)) {
        /* The common tracked case, inline: the whole step in the cached window. */
        double dt = t_s - l->last_t_s;
        l->area += l->value * dt;
        ts->v[ts->cur_w] += l->value * dt;
        l->last_t_s = t_s;
    } else if (l->time_at || ts) {
        sim_level__advance_tracked(l, t_s);
    } else {
        l->area += l->value * (t_s - l->last_t_s);
        l->last_t_s = t_s;
    }
    l->value = value;
    if (value < l->min) {
        l->min = value;
    }
    if (value > l->max) {
        l->max = value;
    }
}
static inline void sim_level_add(struct sim_level *l, double t_s, double delta)
{
    sim_level_set(l, t_s, l->value + delta);
}
/* value + delta for an instant (something that ends as it starts): it reaches
 * the peak (or the minimum), but no mean or window, which it occupies for no time. */
static inline void sim_level_blip(struct sim_level *l, double delta)
{
    double v = l->value + delta;
    if (v > l->max) {
        l->max = v;
    }
    if (v < l->min) {
        l->min = v;
    }
}
/* Forgets the past (warm-up): the mean restarts at t_s, min and max at the current value. */
void sim_level_reset(struct sim_level *l, double t_s);
double sim_level_mean(const struct sim_level *l, double t_s);
/* Fraction of time since start spent at level k (k == n_at-1 means >= k). */
double sim_level_frac_at(const struct sim_level *l, double t_s, unsigned k);

#define SIM_LOGHIST_OCTAVE_BITS 6
#define SIM_LOGHIST_EXP_MIN (-20)
#define SIM_LOGHIST_EXP_MAX 12
#define SIM_LOGHIST_BINS                                                                           \
    ((size_t)(SIM_LOGHIST_EXP_MAX - SIM_LOGHIST_EXP_MIN) << SIM_LOGHIST_OCTAVE_BITS)

struct sim_loghist {
    gsl_histogram *h;
    uint64_t n_zero;      /* samples <= 0 */
    uint64_t n_underflow; /* 0 < x < 2^EXP_MIN */
    uint64_t n_overflow;  /* x >= 2^EXP_MAX */
    uint64_t n;
};

void sim_loghist_init(struct sim_loghist *lh);
void sim_loghist_fini(struct sim_loghist *lh);
void sim_loghist_reset(struct sim_loghist *lh);
void sim_loghist_add(struct sim_loghist *lh, double x);
void sim_loghist_merge(struct sim_loghist *dst, const struct sim_loghist *src);
/* The p-quantile (0 <= p <= 1); zeros and underflow count as 0 and the lowest
 * edge, overflow as the highest.  NAN when empty. */
double sim_loghist_quantile(const struct sim_loghist *lh, double p);
/* Fraction of samples <= x. */
double sim_loghist_cdf(const struct sim_loghist *lh, double x);

struct sim_ci {
    double mean;
    double half; /* half-width; NAN when n < 2 */
    double lo, hi;
    size_t n;
};

/* Mean of x[0..n-1] with a two-sided Student-t interval at confidence conf (e.g. 0.95).
 * NAN entries are skipped (a metric a replication could not measure). */
struct sim_ci sim_ci_compute(const double *x, size_t n, double conf);
/* Paired difference b - a over the same replications. */
struct sim_ci sim_ci_paired(const double *a, const double *b, size_t n, double conf);
/* True when the interval excludes v. */
bool sim_ci_excludes(const struct sim_ci *ci, double v);

/* MSER-5 warm-up detection on a series of observations (or window means):
 * the truncation point d (a multiple of 5, d <= n/2) that minimises the
 * standard error of the mean of the batch means after d. */
size_t sim_mser5(const double *x, size_t n);

#endif
