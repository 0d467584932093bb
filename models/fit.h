/* SPDX-License-Identifier: MIT
 *
 * fit.h - maximum-likelihood fits of model input distributions to measured
 * samples, with goodness of fit, ranking and the YAML to paste into a config.
 *
 * A struct fit_sample borrows the samples, sorted ascending (samples_sort),
 * and computes once what every fit needs: n, sum, min, max, and the mean and
 * variance of log x with the logs themselves (when all samples are > 0).
 * Each fit then costs O(1) or a few O(n) passes:
 *   exponential   mean = sample mean                      closed form
 *   lognormal     mu, sigma of log x                      closed form
 *   gamma         log k - psi(k) = log(mean) - mean(log x) Brent on sufficient statistics
 *   weibull       profile likelihood in the shape k       Newton, O(n) per step, ~4 steps
 *   hyperexp.     two-phase mixture (p, m1, m2)           EM on a stratified subsample of at most
 *                                                         200,000 order statistics, then polished
 *                                                         by EM steps on all samples
 *   pareto        lo = min, hi = max, alpha of the bounded pareto   Brent on the score
 * and the goodness of fit is one more O(n) pass per fit over the sorted
 * samples: the Kolmogorov-Smirnov distance D (with the asymptotic p-value;
 * conservative, since the parameters come from the same data) and the
 * Anderson-Darling A^2.  fit_all runs the candidates on worker threads (the
 * fits only read the sample), so on 2 cores 10 million samples take seconds.
 *
 * Families that need x > 0 (lognormal, gamma, weibull, pareto) are skipped,
 * with a note, when the sample has zeros; a hyperexponential needs cv > 1.
 * Those are outcomes (ok = false), not errors.
 *
 * Ownership: fit_sample owns only its log array (fit_sample_fini frees it);
 * results are plain data; an empirical dist borrows the sorted samples.
 */
#ifndef MODELS_FIT_H
#define MODELS_FIT_H

#include "models/samples.h"
#include "sim/dist.h"

#include <stdbool.h>
#include <stddef.h>

/* Samples a fit needs: every family estimates a spread as well as a mean, and one sample has
 * none (`proxysim fit` refuses fewer, exit 2). */
#define FIT_MIN_SAMPLES 2

struct fit_sample {
    const double *x; /* borrowed, sorted ascending, all >= 0 */
    size_t n;
    size_t n_zero;   /* samples equal to 0 */
    double sum, mean, var, min, max;
    double *logs;    /* owned: log x[i], NULL when n_zero > 0 */
    double mean_log, var_log; /* of log x (MLE variance, divisor n); NAN when n_zero > 0 */
};

/* sorted must stay alive and unchanged while fs is used.  n >= 1.  O(n), n doubles for logs. */
void fit_sample_init(struct fit_sample *fs, const double *sorted, size_t n);
void fit_sample_fini(struct fit_sample *fs);

struct fit_result {
    enum sim_dist_kind kind;
    bool ok;           /* false: not fitted, see note */
    char note[160];    /* why not fitted, or a remark on the fit */
    struct sim_dist dist;
    int n_params;
    double loglik, aic;
    double ks_d, ks_p; /* Kolmogorov-Smirnov distance and its asymptotic p-value */
    double ad;         /* Anderson-Darling A^2 */
    size_t rank_aic, rank_ks; /* 1 = best; 0 when !ok */
    /* Hyperexponential only: the balanced-means form with the fit's mean and cv (the config
     * syntax), its KS distance, and whether it fits about as well as the 3-parameter MLE. */
    struct sim_dist balanced;
    double balanced_ks_d, balanced_ks_p;
    bool balanced_ok;
};

/* The fittable kinds, in the order the CLI lists them. */
extern const enum sim_dist_kind fit_kinds[6];

/* Fits one family and its goodness of fit.  kind must be one of fit_kinds. */
void fit_one(const struct fit_sample *fs, enum sim_dist_kind kind, struct fit_result *out);

/* Fits kinds[0..n-1] into out[0..n-1] on up to n_threads threads, then ranks them. */
void fit_all(const struct fit_sample *fs, const enum sim_dist_kind *kinds, size_t n,
             unsigned n_threads, struct fit_result *out);

/* KS distance and A^2 of d against the sorted sample, one pass. */
void fit_gof(const struct fit_sample *fs, const struct sim_dist *d, double *ks_d, double *ad);
/* P(D_n > d) for the Kolmogorov distribution, Stephens' small-n correction. */
double fit_ks_pvalue(double d, size_t n);
/* Sets rank_aic and rank_ks (1-based) over the results that are ok. */
void fit_rank(struct fit_result *r, size_t n);
/* Index of the result ranked first by AIC; n when none is ok. */
size_t fit_best(const struct fit_result *r, size_t n);

/* A value in base units (seconds or bytes) as proxysim's config writes it: "20.03ms", "1.5KiB",
 * or a plain number for unit kind none; 4 significant digits. */
void fit_format_value(double v, const struct samples_unit *unit, char *buf, size_t size);
/* The flow-style YAML of a fitted dist, e.g. "{dist: lognormal, mean: 20ms, cv: 1.5}". */
void fit_yaml(const struct fit_result *r, const struct samples_unit *unit, char *buf,
              size_t size);
/* "{dist: empirical, file: F, column: C, unit: U}" (column and unit omitted when empty). */
void fit_yaml_empirical(const char *file, const char *column, const struct samples_unit *unit,
                        char *buf, size_t size);

/* ---- arrival rates from a trace ---- */

struct fit_window {
    double start_s;    /* from the start of the first window */
    double dur_s;      /* observed part of the window: its overlap with [first, last arrival] */
    size_t count;
    double rate_per_s, lo_per_s, hi_per_s; /* estimate and exact (Garwood) Poisson CI */
};

/* Windows are aligned to multiples of window_s (whole minutes of the epoch for 60 s), so the
 * schedule's "at" times are round; the first and last windows count only their observed part. */
struct fit_rates {
    struct fit_window *w; /* owned; fit_rates_fini frees */
    size_t n_windows, n_arrivals;
    double t0_s;          /* absolute start of window 0 (aligned) */
    double first_s, last_s, window_s, conf;
    double gap_cv;        /* cv of all inter-arrival times (1 for one Poisson rate) */
    double gap_cv_norm;   /* cv of the gaps time-rescaled by the piecewise rate (1 for Poisson) */
    double sub_window_s;  /* window_s / 50, or a whole number of grains */
    size_t n_sub;         /* sub-windows a window: 50, or up to 50 of whole grains (0: none) */
    /* The timestamps' grain (1 s for an access log's whole seconds, 0.001 s for
     * milliseconds) when it is coarse against the mean gap (over a tenth of
     * it), else 0.  Then several arrivals share an instant: the gap cvs are
     * NAN (gaps of 0 and 1 s say nothing of Poisson), and sub-windows hold
     * whole grains, so their counts are exact. */
    double grain_s;
    double idc_within;    /* sum of the windows' Pearson dispersion statistics over idc_df (1 Poisson) */
    double idc_df;        /* its degrees of freedom: sum over windows of sub-windows - 1 */
    double idc_across;    /* var/mean of the full windows' counts (1 if the rate is constant) */
};

/* What the dispersion says of the arrivals within windows.  Poisson unless a
 * test rejects it at the 1% level by a material margin (two tests: about 2%
 * of Poisson traces in all): the within-window index of dispersion
 * (idc_df * idc ~ chi-squared(idc_df) for Poisson counts; off by at least
 * 0.2), then the rescaled gaps' cv (sd about 1/sqrt(n) for exponential gaps;
 * off by at least 0.1; only with 20 or more arrivals a window, below which
 * the fitted rates bias it low).  The verdict's direction is that of the
 * test that rejected. */
enum fit_arrival_shape {
    FIT_SHAPE_POISSON,
    FIT_SHAPE_BURSTIER,
    FIT_SHAPE_MORE_REGULAR,
    FIT_SHAPE_UNTESTED /* neither test could run: no sub-windows and too few gaps */
};
enum fit_arrival_shape fit_rates_shape(const struct fit_rates *fr);

/* t_sorted[0..n-1]: arrival instants in seconds, ascending (samples_read_timestamps).  Needs
 * n >= 2 and a span > 0; SIM_EINVAL with a message otherwise.  conf in (0, 1), e.g. 0.95. */
int fit_rates_compute(struct fit_rates *fr, const double *t_sorted, size_t n, double window_s,
                      double conf, struct sim_err *err);
void fit_rates_fini(struct fit_rates *fr);
/* Windows the schedule takes: all but a partial last one (observed for under
 * 95% of a window, often a fraction of a second: its rate is noise, and a
 * schedule keeps its last value for the rest of a longer run). */
size_t fit_rates_scheduled(const struct fit_rates *fr);
/* "rate: [{at: 0s, value: 120/s}, ...]" over the scheduled windows, into a
 * malloc'd string the caller frees. */
char *fit_rates_yaml(const struct fit_rates *fr);

#endif
