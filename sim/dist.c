/* SPDX-License-Identifier: MIT */
#include "sim/dist.h"

#include "sim/check.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <string.h>

static const char *const kind_names[SIM_DIST_N_KINDS] = {
    [SIM_DIST_DETERMINISTIC] = "deterministic", [SIM_DIST_EXPONENTIAL] = "exponential",
    [SIM_DIST_UNIFORM] = "uniform",             [SIM_DIST_NORMAL] = "normal",
    [SIM_DIST_LOGNORMAL] = "lognormal",         [SIM_DIST_GAMMA] = "gamma",
    [SIM_DIST_WEIBULL] = "weibull",             [SIM_DIST_PARETO] = "pareto",
    [SIM_DIST_HYPEREXP] = "hyperexponential",   [SIM_DIST_EMPIRICAL] = "empirical",
};

const char *sim_dist_kind_name(enum sim_dist_kind kind)
{
    return (unsigned)kind < SIM_DIST_N_KINDS ? kind_names[kind] : "?";
}

bool sim_dist_kind_parse(const char *name, enum sim_dist_kind *out)
{
    for (unsigned k = 0; k < SIM_DIST_N_KINDS; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (enum sim_dist_kind)k;
            return true;
        }
    }
    return false;
}

double sim_dist_sample(const struct sim_dist *d, const gsl_rng *r)
{
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
        return sim_exp(r, d->a);
    case SIM_DIST_UNIFORM:
        return gsl_ran_flat(r, d->a, d->b);
    case SIM_DIST_NORMAL:
        if (d->b <= 0.0) {
            return d->a > 0.0 ? d->a : 0.0;
        }
        /* Resampling is exact truncation; give up after many misses (mean far below 0). */
        for (int i = 0; i < 1000; i++) {
            double x = d->a + gsl_ran_gaussian_ziggurat(r, d->b);
            if (x >= 0.0) {
                return x;
            }
        }
        return 0.0;
    case SIM_DIST_LOGNORMAL:
        /* The ziggurat normal: gsl_ran_lognormal's polar method costs two
         * uniforms, a log and a sqrt per draw (3 draws per request). */
        return exp(d->a + gsl_ran_gaussian_ziggurat(r, d->b));
    case SIM_DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case SIM_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->a, d->b);
    case SIM_DIST_PARETO: {
        if (!isfinite(d->c)) {
            return gsl_ran_pareto(r, d->a, d->b);
        }
        /* Inverse of the CDF truncated to [lo, hi]. */
        double u = gsl_rng_uniform(r);
        double ratio = pow(d->b / d->c, d->a);
        return d->b * pow(1.0 - u * (1.0 - ratio), -1.0 / d->a);
    }
    case SIM_DIST_HYPEREXP:
        return sim_exp(r, gsl_rng_uniform(r) < d->a ? d->b : d->c);
    case SIM_DIST_EMPIRICAL:
        return d->samples[gsl_rng_uniform_int(r, d->n_samples)];
    case SIM_DIST_N_KINDS:
        break;
    }
    SIM_REQUIRE(!"unknown distribution kind");
    return NAN;
}

/* Moments of a normal truncated to [0, inf). */
static void truncnormal_moments(double mu, double sd, double *mean, double *var)
{
    if (sd <= 0.0) {
        *mean = mu > 0.0 ? mu : 0.0;
        *var = 0.0;
        return;
    }
    double alpha = -mu / sd;
    double z = gsl_cdf_ugaussian_Q(alpha);
    double lam = gsl_ran_ugaussian_pdf(alpha) / z;
    *mean = mu + sd * lam;
    *var = sd * sd * (1.0 + alpha * lam - lam * lam);
}

double sim_dist_mean(const struct sim_dist *d)
{
    double m, v;
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC:
    case SIM_DIST_EXPONENTIAL:
        return d->a;
    case SIM_DIST_UNIFORM:
        return (d->a + d->b) / 2.0;
    case SIM_DIST_NORMAL:
        truncnormal_moments(d->a, d->b, &m, &v);
        return m;
    case SIM_DIST_LOGNORMAL:
        return exp(d->a + d->b * d->b / 2.0);
    case SIM_DIST_GAMMA:
        return d->a * d->b;
    case SIM_DIST_WEIBULL:
        return d->a * gsl_sf_gamma(1.0 + 1.0 / d->b);
    case SIM_DIST_PARETO: {
        double a = d->a, lo = d->b, hi = d->c;
        if (!isfinite(hi)) {
            return a > 1.0 ? a * lo / (a - 1.0) : INFINITY;
        }
        double norm = 1.0 - pow(lo / hi, a);
        if (fabs(a - 1.0) < 1e-12) {
            return lo * log(hi / lo) / norm;
        }
        return a * pow(lo, a) / (a - 1.0) * (pow(lo, 1.0 - a) - pow(hi, 1.0 - a)) / norm;
    }
    case SIM_DIST_HYPEREXP:
        return d->a * d->b + (1.0 - d->a) * d->c;
    case SIM_DIST_EMPIRICAL: {
        double s = 0.0;
        for (size_t i = 0; i < d->n_samples; i++) {
            s += d->samples[i];
        }
        return d->n_samples ? s / (double)d->n_samples : NAN;
    }
    case SIM_DIST_N_KINDS:
        break;
    }
    return NAN;
}

double sim_dist_var(const struct sim_dist *d)
{
    double m, v;
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC:
        return 0.0;
    case SIM_DIST_EXPONENTIAL:
        return d->a * d->a;
    case SIM_DIST_UNIFORM:
        return (d->b - d->a) * (d->b - d->a) / 12.0;
    case SIM_DIST_NORMAL:
        truncnormal_moments(d->a, d->b, &m, &v);
        return v;
    case SIM_DIST_LOGNORMAL:
        return (exp(d->b * d->b) - 1.0) * exp(2.0 * d->a + d->b * d->b);
    case SIM_DIST_GAMMA:
        return d->a * d->b * d->b;
    case SIM_DIST_WEIBULL: {
        double g1 = gsl_sf_gamma(1.0 + 1.0 / d->b), g2 = gsl_sf_gamma(1.0 + 2.0 / d->b);
        return d->a * d->a * (g2 - g1 * g1);
    }
    case SIM_DIST_PARETO: {
        double a = d->a, lo = d->b, hi = d->c;
        m = sim_dist_mean(d);
        if (!isfinite(hi)) {
            return a > 2.0 ? lo * lo * a / ((a - 1.0) * (a - 1.0) * (a - 2.0)) : INFINITY;
        }
        double norm = 1.0 - pow(lo / hi, a);
        double m2 = fabs(a - 2.0) < 1e-12
                        ? 2.0 * lo * lo * log(hi / lo) / norm
                        : a * pow(lo, a) / (a - 2.0) * (pow(lo, 2.0 - a) - pow(hi, 2.0 - a)) / norm;
        return m2 - m * m;
    }
    case SIM_DIST_HYPEREXP: {
        double m2 = 2.0 * (d->a * d->b * d->b + (1.0 - d->a) * d->c * d->c);
        m = sim_dist_mean(d);
        return m2 - m * m;
    }
    case SIM_DIST_EMPIRICAL: {
        if (d->n_samples < 2) {
            return NAN;
        }
        m = sim_dist_mean(d);
        double s = 0.0;
        for (size_t i = 0; i < d->n_samples; i++) {
            s += (d->samples[i] - m) * (d->samples[i] - m);
        }
        return s / (double)(d->n_samples - 1);
    }
    case SIM_DIST_N_KINDS:
        break;
    }
    return NAN;
}

double sim_dist_cdf(const struct sim_dist *d, double x)
{
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC:
        return x >= d->a ? 1.0 : 0.0;
    case SIM_DIST_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, d->a);
    case SIM_DIST_UNIFORM:
        return gsl_cdf_flat_P(x, d->a, d->b);
    case SIM_DIST_NORMAL: {
        if (x < 0.0) {
            return 0.0;
        }
        double z0 = gsl_cdf_gaussian_P(-d->a, d->b);
        return (gsl_cdf_gaussian_P(x - d->a, d->b) - z0) / (1.0 - z0);
    }
    case SIM_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_P(x, d->a, d->b);
    case SIM_DIST_GAMMA:
        return gsl_cdf_gamma_P(x, d->a, d->b);
    case SIM_DIST_WEIBULL:
        return gsl_cdf_weibull_P(x, d->a, d->b);
    case SIM_DIST_PARETO: {
        if (x < d->b) {
            return 0.0;
        }
        if (isfinite(d->c) && x >= d->c) {
            return 1.0;
        }
        double norm = isfinite(d->c) ? 1.0 - pow(d->b / d->c, d->a) : 1.0;
        return (1.0 - pow(d->b / x, d->a)) / norm;
    }
    case SIM_DIST_HYPEREXP:
        return d->a * gsl_cdf_exponential_P(x, d->b) +
               (1.0 - d->a) * gsl_cdf_exponential_P(x, d->c);
    case SIM_DIST_EMPIRICAL: {
        size_t k = 0;
        for (size_t i = 0; i < d->n_samples; i++) {
            k += d->samples[i] <= x;
        }
        return d->n_samples ? (double)k / (double)d->n_samples : NAN;
    }
    case SIM_DIST_N_KINDS:
        break;
    }
    return NAN;
}

double sim_dist_pdf(const struct sim_dist *d, double x)
{
    switch (d->kind) {
    case SIM_DIST_EXPONENTIAL:
        return gsl_ran_exponential_pdf(x, d->a);
    case SIM_DIST_UNIFORM:
        return gsl_ran_flat_pdf(x, d->a, d->b);
    case SIM_DIST_NORMAL: {
        if (x < 0.0) {
            return 0.0;
        }
        double z0 = gsl_cdf_gaussian_P(-d->a, d->b);
        return gsl_ran_gaussian_pdf(x - d->a, d->b) / (1.0 - z0);
    }
    case SIM_DIST_LOGNORMAL:
        return gsl_ran_lognormal_pdf(x, d->a, d->b);
    case SIM_DIST_GAMMA:
        return gsl_ran_gamma_pdf(x, d->a, d->b);
    case SIM_DIST_WEIBULL:
        return gsl_ran_weibull_pdf(x, d->a, d->b);
    case SIM_DIST_PARETO: {
        if (x < d->b || (isfinite(d->c) && x > d->c)) {
            return 0.0;
        }
        double norm = isfinite(d->c) ? 1.0 - pow(d->b / d->c, d->a) : 1.0;
        return gsl_ran_pareto_pdf(x, d->a, d->b) / norm;
    }
    case SIM_DIST_HYPEREXP:
        return d->a * gsl_ran_exponential_pdf(x, d->b) +
               (1.0 - d->a) * gsl_ran_exponential_pdf(x, d->c);
    case SIM_DIST_DETERMINISTIC:
    case SIM_DIST_EMPIRICAL:
    case SIM_DIST_N_KINDS:
        break;
    }
    return NAN; /* no density */
}

struct sim_dist sim_dist_deterministic(double value)
{
    return (struct sim_dist){.kind = SIM_DIST_DETERMINISTIC, .a = value};
}

struct sim_dist sim_dist_exponential(double mean)
{
    return (struct sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = mean};
}

static bool fail(const char **why, const char *msg)
{
    if (why) {
        *why = msg;
    }
    return false;
}

bool sim_dist_lognormal_mean_cv(double mean, double cv, struct sim_dist *out, const char **why)
{
    if (!(mean > 0.0) || !(cv > 0.0)) {
        return fail(why, "lognormal needs mean > 0 and cv > 0");
    }
    double s2 = log(1.0 + cv * cv);
    *out = (struct sim_dist){.kind = SIM_DIST_LOGNORMAL, .a = log(mean) - s2 / 2.0, .b = sqrt(s2)};
    return true;
}

bool sim_dist_lognormal_median_p99(double median, double p99, struct sim_dist *out,
                                   const char **why)
{
    if (!(median > 0.0) || !(p99 > median)) {
        return fail(why, "lognormal needs 0 < median < p99");
    }
    double z99 = gsl_cdf_ugaussian_Pinv(0.99);
    *out = (struct sim_dist){
        .kind = SIM_DIST_LOGNORMAL, .a = log(median), .b = log(p99 / median) / z99};
    return true;
}

bool sim_dist_gamma_mean_cv(double mean, double cv, struct sim_dist *out, const char **why)
{
    if (!(mean > 0.0) || !(cv > 0.0)) {
        return fail(why, "gamma needs mean > 0 and cv > 0");
    }
    double k = 1.0 / (cv * cv);
    *out = (struct sim_dist){.kind = SIM_DIST_GAMMA, .a = k, .b = mean / k};
    return true;
}

bool sim_dist_hyperexp_mean_cv(double mean, double cv, struct sim_dist *out, const char **why)
{
    if (!(mean > 0.0) || !(cv >= 1.0)) {
        return fail(why, "hyperexponential needs mean > 0 and cv >= 1");
    }
    /* Balanced means: p1 m1 = p2 m2 = mean/2 (Whitt's standard two-moment fit). */
    double c2 = cv * cv;
    double p1 = 0.5 * (1.0 + sqrt((c2 - 1.0) / (c2 + 1.0)));
    *out = (struct sim_dist){.kind = SIM_DIST_HYPEREXP,
                             .a = p1,
                             .b = mean / (2.0 * p1),
                             .c = mean / (2.0 * (1.0 - p1))};
    return true;
}

/* Brent on cdf(x) - p over a bracket grown from the mean: the hyperexponential has no closed
 * quantile, and this is only called for plots and tables (hundreds of points), not per sample. */
struct quantile_target {
    const struct sim_dist *d;
    double p;
};

static double quantile_residual(double x, void *params)
{
    const struct quantile_target *t = params;
    return sim_dist_cdf(t->d, x) - t->p;
}

static double quantile_by_root(const struct sim_dist *d, double p)
{
    struct quantile_target t = {d, p};
    double lo = 0.0, hi = sim_dist_mean(d);
    if (!(hi > 0.0) || !isfinite(hi)) {
        return NAN;
    }
    for (int i = 0; i < 200 && quantile_residual(hi, &t) < 0.0; i++) {
        lo = hi;
        hi *= 2.0;
    }
    gsl_function f = {.function = quantile_residual, .params = &t};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL || gsl_root_fsolver_set(s, &f, lo, hi) != GSL_SUCCESS) {
        if (s) {
            gsl_root_fsolver_free(s);
        }
        return NAN;
    }
    double x = NAN;
    for (int i = 0; i < 200; i++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS) {
            break;
        }
        x = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0.0,
                                   1e-12) == GSL_SUCCESS) {
            break;
        }
    }
    gsl_root_fsolver_free(s);
    return x;
}

double sim_dist_quantile(const struct sim_dist *d, double p)
{
    if (!(p > 0.0 && p < 1.0)) {
        return NAN;
    }
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
        return gsl_cdf_exponential_Pinv(p, d->a);
    case SIM_DIST_UNIFORM:
        return gsl_cdf_flat_Pinv(p, d->a, d->b);
    case SIM_DIST_NORMAL: {
        double z0 = gsl_cdf_gaussian_P(-d->a, d->b);
        return d->a + gsl_cdf_gaussian_Pinv(z0 + p * (1.0 - z0), d->b);
    }
    case SIM_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(p, d->a, d->b);
    case SIM_DIST_GAMMA:
        return gsl_cdf_gamma_Pinv(p, d->a, d->b);
    case SIM_DIST_WEIBULL:
        return gsl_cdf_weibull_Pinv(p, d->a, d->b);
    case SIM_DIST_PARETO: {
        double ratio = isfinite(d->c) ? pow(d->b / d->c, d->a) : 0.0;
        return d->b * pow(1.0 - p * (1.0 - ratio), -1.0 / d->a);
    }
    case SIM_DIST_HYPEREXP:
        return quantile_by_root(d, p);
    case SIM_DIST_EMPIRICAL: {
        if (d->n_samples == 0) {
            return NAN;
        }
        /* Type 7 (linear interpolation between order statistics), as R's default. */
        double h = (double)(d->n_samples - 1) * p;
        size_t i = (size_t)h;
        if (i + 1 >= d->n_samples) {
            return d->samples[d->n_samples - 1];
        }
        return d->samples[i] + (h - (double)i) * (d->samples[i + 1] - d->samples[i]);
    }
    case SIM_DIST_N_KINDS:
        break;
    }
    return NAN;
}
