/* SPDX-License-Identifier: MIT
 *
 * dist.h - the probability distributions of model inputs (service times,
 * sizes, think times, lifetimes), sampled through GSL.
 *
 * A struct sim_dist is plain data: a kind and up to three parameters in the
 * form GSL's samplers take them, so sampling is one switch and one gsl_ran_*
 * call.  Constructors convert the forms people state ("lognormal with mean
 * 20 ms and cv 1.5", "median 5 ms, p99 80 ms", "hyperexponential with mean m
 * and cv 2") into those parameters; they return false with a message when
 * the request is impossible (a hyperexponential cannot have cv < 1).
 *
 * Conventions: normal is truncated at 0 by resampling (a duration or a size
 * is never negative); pareto is bounded to [lo, hi] by inversion of the
 * truncated CDF; hyperexponential is the two-phase form with balanced means
 * (p1 m1 = p2 m2); empirical draws one of its samples uniformly (the samples
 * are borrowed: whoever built the dist keeps them alive and frees them).
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

enum sim_dist_kind {
    SIM_DIST_DETERMINISTIC, /* a = value */
    SIM_DIST_EXPONENTIAL,   /* a = mean */
    SIM_DIST_UNIFORM,       /* a = lo, b = hi */
    SIM_DIST_NORMAL,        /* a = mean, b = sd, truncated at 0 */
    SIM_DIST_LOGNORMAL,     /* a = mu (of log), b = sigma (of log) */
    SIM_DIST_GAMMA,         /* a = shape k, b = scale theta */
    SIM_DIST_WEIBULL,       /* a = scale lambda, b = shape k */
    SIM_DIST_PARETO,        /* a = shape alpha, b = lo (scale), c = hi (bound, INFINITY if none) */
    SIM_DIST_HYPEREXP,      /* a = p of phase 1, b = mean 1, c = mean 2 */
    SIM_DIST_EMPIRICAL,     /* samples[0..n_samples-1] */
    SIM_DIST_N_KINDS
};

struct sim_dist {
    enum sim_dist_kind kind;
    double a, b, c;
    const double *samples;
    size_t n_samples;
};

const char *sim_dist_kind_name(enum sim_dist_kind kind);
/* Kind from its config name ("exponential", ...); false if unknown. */
bool sim_dist_kind_parse(const char *name, enum sim_dist_kind *out);

double sim_dist_sample(const struct sim_dist *d, const gsl_rng *r);

/* An exponential variate by inversion, -mean log(U) with U uniform on (0, 1).
 * gsl_ran_exponential computes -mean log1p(-U): the same law (U and 1 - U are
 * both uniform), but glibc's log1p costs several times its log, and on the
 * engine's hot path that was a third of the time per event. */
static inline double sim_exp(const gsl_rng *r, double mean)
{
    return -mean * log(gsl_rng_uniform_pos(r));
}
double sim_dist_mean(const struct sim_dist *d);
double sim_dist_var(const struct sim_dist *d);
/* P(X <= x), for goodness-of-fit; the truncated normal's included. */
double sim_dist_cdf(const struct sim_dist *d, double x);
double sim_dist_pdf(const struct sim_dist *d, double x);
/* The p-quantile (inverse CDF), 0 < p < 1, for Q-Q plots and quantile tables.  Closed forms
 * where they exist; the hyperexponential is inverted numerically (Brent on the CDF); the
 * empirical form needs its samples sorted ascending.  NAN for p outside (0, 1). */
double sim_dist_quantile(const struct sim_dist *d, double p);

struct sim_dist sim_dist_deterministic(double value);
struct sim_dist sim_dist_exponential(double mean);
/* Each returns false with a reason in why[] (which may be NULL) when impossible. */
bool sim_dist_lognormal_mean_cv(double mean, double cv, struct sim_dist *out, const char **why);
bool sim_dist_lognormal_median_p99(double median, double p99, struct sim_dist *out,
                                   const char **why);
bool sim_dist_gamma_mean_cv(double mean, double cv, struct sim_dist *out, const char **why);
bool sim_dist_hyperexp_mean_cv(double mean, double cv, struct sim_dist *out, const char **why);

#endif
