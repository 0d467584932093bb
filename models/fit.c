/* SPDX-License-Identifier: MIT */
#include "models/fit.h"

#include "sim/check.h"
#include "sim/replicate.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const enum sim_dist_kind fit_kinds[6] = {SIM_DIST_EXPONENTIAL, SIM_DIST_LOGNORMAL,
                                         SIM_DIST_GAMMA,       SIM_DIST_WEIBULL,
                                         SIM_DIST_HYPEREXP,    SIM_DIST_PARETO};

/* EM and the Weibull Newton start on this many order statistics (every k-th of the sorted
 * sample: a stratified subsample whose empirical CDF is within 1/200000 of the full one), then
 * take a few steps on all samples.  Iterating to convergence over 10 million would cost tens of
 * seconds for EM, whose convergence is only linear. */
enum { SUBSAMPLE_MAX = 200000, EM_MAX_STEPS = 400 };

void fit_sample_init(struct fit_sample *fs, const double *sorted, size_t n)
{
    SIM_REQUIRE(n >= 1);
    *fs = (struct fit_sample){.x = sorted, .n = n, .min = sorted[0], .max = sorted[n - 1]};
    /* Shifted sums (by the first value) keep the variance free of cancellation. */
    double shift = sorted[n / 2], s = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = sorted[i] - shift;
        s += d;
        s2 += d * d;
        fs->n_zero += sorted[i] == 0.0;
    }
    double dn = (double)n;
    fs->mean = shift + s / dn;
    fs->sum = fs->mean * dn;
    fs->var = n > 1 ? (s2 - s * s / dn) / (dn - 1.0) : 0.0;
    fs->mean_log = fs->var_log = NAN;
    if (fs->n_zero > 0) {
        return;
    }
    fs->logs = sim_xmalloc(n * sizeof *fs->logs);
    double lshift = log(sorted[n / 2]);
    s = s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double l = log(sorted[i]);
        fs->logs[i] = l;
        s += l - lshift;
        s2 += (l - lshift) * (l - lshift);
    }
    fs->mean_log = lshift + s / dn;
    fs->var_log = (s2 - s * s / dn) / dn;
}

void fit_sample_fini(struct fit_sample *fs)
{
    free(fs->logs);
    fs->logs = NULL;
}

/* ---- goodness of fit ------------------------------------------------------------------ */

void fit_gof(const struct fit_sample *fs, const struct sim_dist *d, double *ks_d, double *ad)
{
    /* A^2 = -n - (1/n) sum_i [(2i-1) ln F(x_i) + (2(n-i)+1) ln(1 - F(x_i))], the usual
     * formula with its second sum re-indexed so each F(x_i) is computed once.  F is clamped
     * away from 0 and 1: a bounded fit (pareto at its lo) puts F = 0 on a sample. */
    const double eps = 1e-300, one_minus = 1.0 - 1e-16;
    double n = (double)fs->n, dmax = 0.0, acc = 0.0;
    for (size_t i = 0; i < fs->n; i++) {
        double f = sim_dist_cdf(d, fs->x[i]);
        double lo = f - (double)i / n, hi = (double)(i + 1) / n - f;
        dmax = lo > dmax ? lo : dmax;
        dmax = hi > dmax ? hi : dmax;
        double fc = f < eps ? eps : (f > one_minus ? one_minus : f);
        acc += (2.0 * (double)i + 1.0) * log(fc) + (2.0 * (n - (double)i) - 1.0) * log1p(-fc);
    }
    *ks_d = dmax;
    *ad = -n - acc / n;
}

double fit_ks_pvalue(double d, size_t n)
{
    /* GSL has no Kolmogorov distribution: Q(l) = 2 sum (-1)^(j-1) exp(-2 j^2 l^2), with
     * Stephens' (1970) correction of l for finite n. */
    double sn = sqrt((double)n);
    double l = (sn + 0.12 + 0.11 / sn) * d;
    if (l < 0.2) {
        return 1.0;
    }
    double q = 0.0, sign = 1.0;
    for (int j = 1; j <= 100; j++) {
        double term = exp(-2.0 * j * j * l * l);
        q += sign * term;
        sign = -sign;
        if (term < 1e-16) {
            break;
        }
    }
    q *= 2.0;
    return q < 0.0 ? 0.0 : (q > 1.0 ? 1.0 : q);
}

/* ---- the families --------------------------------------------------------------------- */

static void fail(struct fit_result *r, const char *note)
{
    r->ok = false;
    snprintf(r->note, sizeof r->note, "%s", note);
}

static void fit_exponential(const struct fit_sample *fs, struct fit_result *r)
{
    double n = (double)fs->n, m = fs->mean;
    if (!(m > 0.0)) {
        fail(r, "all samples are 0");
        return;
    }
    r->dist = sim_dist_exponential(m);
    r->n_params = 1;
    r->loglik = -n * log(m) - n;
    r->ok = true;
}

static void fit_lognormal(const struct fit_sample *fs, struct fit_result *r)
{
    double n = (double)fs->n, sigma = sqrt(fs->var_log);
    if (!(sigma > 0.0)) {
        fail(r, "all samples are equal");
        return;
    }
    r->dist = (struct sim_dist){.kind = SIM_DIST_LOGNORMAL, .a = fs->mean_log, .b = sigma};
    r->n_params = 2;
    r->loglik = -n * fs->mean_log - n * log(sigma) - 0.5 * n * log(2.0 * M_PI) - 0.5 * n;
    r->ok = true;
}

/* Brent on a bracketed root; false when the bracket does not hold a sign change. */
static bool brent(gsl_function *f, double lo, double hi, double rel_tol, double *root)
{
    double flo = GSL_FN_EVAL(f, lo), fhi = GSL_FN_EVAL(f, hi);
    if (!(flo * fhi <= 0.0)) {
        return false;
    }
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL) {
        return false;
    }
    bool ok = gsl_root_fsolver_set(s, f, lo, hi) == GSL_SUCCESS;
    for (int i = 0; ok && i < 200; i++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS) {
            ok = false;
            break;
        }
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0.0,
                                   rel_tol) == GSL_SUCCESS) {
            break;
        }
    }
    *root = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return ok;
}

static double gamma_score(double k, void *params)
{
    double s = *(const double *)params;
    return log(k) - gsl_sf_psi(k) - s;
}

static void fit_gamma(const struct fit_sample *fs, struct fit_result *r)
{
    /* The shape solves log k - psi(k) = s = log(mean) - mean(log x) > 0 (Jensen), and
     * 1/(2k) < log k - psi(k) < 1/k brackets it in (1/(2s), 1/s): sufficient statistics only,
     * no pass over the data. */
    double s = log(fs->mean) - fs->mean_log, n = (double)fs->n, k;
    if (!(s > 0.0) || !isfinite(s)) {
        fail(r, "all samples are equal");
        return;
    }
    gsl_function f = {.function = gamma_score, .params = &s};
    if (!brent(&f, 0.5 / s * (1.0 - 1e-9), 1.0 / s * (1.0 + 1e-9), 1e-13, &k)) {
        fail(r, "shape equation has no root");
        return;
    }
    double theta = fs->mean / k;
    r->dist = (struct sim_dist){.kind = SIM_DIST_GAMMA, .a = k, .b = theta};
    r->n_params = 2;
    r->loglik =
        (k - 1.0) * n * fs->mean_log - n * fs->mean / theta - n * k * log(theta) - n * gsl_sf_lngamma(k);
    r->ok = true;
}

/* Weibull profile likelihood in the shape k, with the logs centred (d = log x - mean log x,
 * so x^k sums neither overflow nor underflow):  g(k) = A/B - 1/k,  g'(k) = C/B - (A/B)^2 + 1/k^2
 * with B = sum e^(k d), A = sum d e^(k d), C = sum d^2 e^(k d).  g is increasing, so the root
 * is unique and Newton from the log-variance estimate converges in a few steps. */
struct weibull_data {
    const double *logs;
    size_t n, stride;
    double mean_log;
};

static void weibull_sums(const struct weibull_data *w, double k, double *a, double *b, double *c,
                         size_t *m)
{
    double sa = 0.0, sb = 0.0, sc = 0.0;
    size_t cnt = 0;
    for (size_t i = w->stride / 2; i < w->n; i += w->stride) {
        double d = w->logs[i] - w->mean_log, e = exp(k * d);
        sb += e;
        sa += d * e;
        sc += d * d * e;
        cnt++;
    }
    *a = sa;
    *b = sb;
    *c = sc;
    *m = cnt;
}

static double weibull_g(double k, void *params)
{
    double a, b, c;
    size_t m;
    weibull_sums(params, k, &a, &b, &c, &m);
    return a / b - 1.0 / k;
}

static double weibull_dg(double k, void *params)
{
    double a, b, c;
    size_t m;
    weibull_sums(params, k, &a, &b, &c, &m);
    return c / b - (a / b) * (a / b) + 1.0 / (k * k);
}

static void weibull_gdg(double k, void *params, double *g, double *dg)
{
    double a, b, c;
    size_t m;
    weibull_sums(params, k, &a, &b, &c, &m);
    *g = a / b - 1.0 / k;
    *dg = c / b - (a / b) * (a / b) + 1.0 / (k * k);
}

/* Newton (gsl_root_fdfsolver_newton) from k0; on a step outside (0, inf) or no convergence,
 * Brent on a bracket grown around k0.  Returns false when neither finds the root. */
static bool weibull_shape(struct weibull_data *w, double k0, double rel_tol, double *k_out)
{
    gsl_function_fdf fdf = {.f = weibull_g, .df = weibull_dg, .fdf = weibull_gdg, .params = w};
    gsl_root_fdfsolver *s = gsl_root_fdfsolver_alloc(gsl_root_fdfsolver_newton);
    bool ok = false;
    if (s != NULL && gsl_root_fdfsolver_set(s, &fdf, k0) == GSL_SUCCESS) {
        double k = k0;
        for (int i = 0; i < 50; i++) {
            if (gsl_root_fdfsolver_iterate(s) != GSL_SUCCESS) {
                break;
            }
            double prev = k;
            k = gsl_root_fdfsolver_root(s);
            if (!(k > 0.0) || !isfinite(k)) {
                break;
            }
            if (gsl_root_test_delta(k, prev, 0.0, rel_tol) == GSL_SUCCESS) {
                ok = true;
                *k_out = k;
                break;
            }
        }
    }
    if (s != NULL) {
        gsl_root_fdfsolver_free(s);
    }
    if (ok) {
        return true;
    }
    gsl_function f = {.function = weibull_g, .params = w};
    double lo = k0, hi = k0;
    for (int i = 0; i < 60 && weibull_g(lo, w) > 0.0; i++) {
        lo /= 2.0;
    }
    for (int i = 0; i < 60 && weibull_g(hi, w) < 0.0; i++) {
        hi *= 2.0;
    }
    return brent(&f, lo, hi, rel_tol, k_out);
}

static void fit_weibull(const struct fit_sample *fs, struct fit_result *r)
{
    if (!(fs->var_log > 0.0)) {
        fail(r, "all samples are equal");
        return;
    }
    struct weibull_data w = {.logs = fs->logs, .n = fs->n, .stride = 1, .mean_log = fs->mean_log};
    /* var(log X) = pi^2 / (6 k^2) for a Weibull: the moment estimate starts Newton. */
    double k = M_PI / sqrt(6.0 * fs->var_log);
    if (fs->n > SUBSAMPLE_MAX) {
        w.stride = fs->n / (SUBSAMPLE_MAX / 2);
        if (!weibull_shape(&w, k, 1e-8, &k)) {
            k = M_PI / sqrt(6.0 * fs->var_log);
        }
        w.stride = 1;
    }
    if (!weibull_shape(&w, k, 1e-11, &k)) {
        fail(r, "shape equation did not converge");
        return;
    }
    double a, b, c;
    size_t m;
    weibull_sums(&w, k, &a, &b, &c, &m);
    double n = (double)fs->n;
    double lambda = exp(fs->mean_log + log(b / n) / k);
    r->dist = (struct sim_dist){.kind = SIM_DIST_WEIBULL, .a = lambda, .b = k};
    r->n_params = 2;
    /* sum (x/lambda)^k = e^(k (mean_log - log lambda)) B = n at the optimum. */
    double sum_pow = exp(k * (fs->mean_log - log(lambda))) * b;
    r->loglik = n * log(k) - n * k * log(lambda) + (k - 1.0) * n * fs->mean_log - sum_pow;
    r->ok = true;
}

/* One EM step of the two-phase exponential mixture over every stride-th sample; returns the
 * new (p, m1, m2) through the pointers.  The responsibility of phase 1 is 1 / (1 + c e^(x delta))
 * with c = (1-p) m1 / (p m2), delta = 1/m1 - 1/m2: one exp per sample instead of two. */
static void hyperexp_em_step(const double *x, size_t n, size_t stride, double *p, double *m1,
                             double *m2)
{
    double c = (1.0 - *p) * *m1 / (*p * *m2), delta = 1.0 / *m1 - 1.0 / *m2;
    double w_sum = 0.0, wx_sum = 0.0, x_sum = 0.0;
    size_t cnt = 0;
    for (size_t i = stride / 2; i < n; i += stride) {
        double w = 1.0 / (1.0 + c * exp(x[i] * delta));
        w_sum += w;
        wx_sum += w * x[i];
        x_sum += x[i];
        cnt++;
    }
    double dn = (double)cnt;
    *p = w_sum / dn;
    *m1 = wx_sum / w_sum;
    *m2 = (x_sum - wx_sum) / (dn - w_sum);
}

static double hyperexp_loglik(const double *x, size_t n, double p, double m1, double m2)
{
    double ll = 0.0;
    for (size_t i = 0; i < n; i++) {
        ll += log(p / m1 * exp(-x[i] / m1) + (1.0 - p) / m2 * exp(-x[i] / m2));
    }
    return ll;
}

/* EM until the parameters move by less than rel_tol (relative), at most max_iter steps. */
static int hyperexp_em(const double *x, size_t n, size_t stride, double rel_tol, int max_iter,
                       double *p, double *m1, double *m2)
{
    int it = 0;
    for (; it < max_iter; it++) {
        double p0 = *p, a0 = *m1, b0 = *m2;
        hyperexp_em_step(x, n, stride, p, m1, m2);
        if (!(*p > 1e-12 && *p < 1.0 - 1e-12) || !(*m1 > 0.0) || !(*m2 > 0.0)) {
            break; /* collapsed to one phase */
        }
        double ch = fmax(fabs(*p - p0) / p0, fmax(fabs(*m1 - a0) / a0, fabs(*m2 - b0) / b0));
        if (ch < rel_tol) {
            break;
        }
    }
    return it;
}

static void fit_hyperexp(const struct fit_sample *fs, struct fit_result *r)
{
    double cv = sqrt(fs->var) / fs->mean;
    if (!(cv > 1.0)) {
        snprintf(r->note, sizeof r->note, "sample cv %.3g <= 1: a hyperexponential reduces to an "
                                          "exponential",
                 cv);
        r->ok = false;
        return;
    }
    /* Start from the balanced-means fit of the sample's mean and cv: the right answer when
     * the data came from the config's own form, and a sensible one otherwise. */
    struct sim_dist start;
    sim_dist_hyperexp_mean_cv(fs->mean, cv, &start, NULL);
    double p = start.a, m1 = start.b, m2 = start.c;
    /* EM crawls when the phases are hard to tell apart (cv near 1, or data that is not a
     * mixture at all); there the likelihood is flat and more steps change nothing visible, so
     * the steps are capped and the cap is reported. */
    size_t stride = fs->n > SUBSAMPLE_MAX ? fs->n / SUBSAMPLE_MAX : 1;
    int it = hyperexp_em(fs->x, fs->n, stride, 1e-9, EM_MAX_STEPS, &p, &m1, &m2);
    if (stride > 1) {
        hyperexp_em(fs->x, fs->n, 1, 1e-9, 8, &p, &m1, &m2);
    }
    if (!(p > 1e-9 && p < 1.0 - 1e-9) || !(m1 > 0.0) || !(m2 > 0.0) || !isfinite(m2)) {
        fail(r, "EM collapsed to a single exponential phase");
        return;
    }
    if (m1 > m2) {
        double t = m1;
        m1 = m2;
        m2 = t;
        p = 1.0 - p;
    }
    r->dist = (struct sim_dist){.kind = SIM_DIST_HYPEREXP, .a = p, .b = m1, .c = m2};
    r->n_params = 3;
    r->loglik = hyperexp_loglik(fs->x, fs->n, p, m1, m2);
    r->ok = true;
    if (it >= EM_MAX_STEPS) {
        snprintf(r->note, sizeof r->note, "EM stopped after %d steps (phases barely distinct)",
                 EM_MAX_STEPS);
    }
}

struct pareto_data {
    double n, t, log_r; /* t = sum log(x / lo), log_r = log(lo / hi) < 0 */
};

/* Score of the pareto bounded to [lo, hi] in alpha:  n/a + n r^a ln r / (1 - r^a) - t. */
static double pareto_score(double a, void *params)
{
    const struct pareto_data *d = params;
    double ra = exp(a * d->log_r);
    return d->n / a + d->n * ra * d->log_r / -expm1(a * d->log_r) - d->t;
}

static void fit_pareto(const struct fit_sample *fs, struct fit_result *r)
{
    double lo = fs->min, hi = fs->max, n = (double)fs->n;
    if (!(hi > lo)) {
        fail(r, "all samples are equal");
        return;
    }
    struct pareto_data d = {.n = n, .t = n * (fs->mean_log - log(lo)), .log_r = log(lo / hi)};
    /* The closed form (Hill) n / t is the MLE without the upper bound; it starts the search. */
    double hill = n / d.t, alpha;
    gsl_function f = {.function = pareto_score, .params = &d};
    double a_lo = 1e-6, a_hi = fmax(4.0 * hill, 1.0);
    if (pareto_score(a_lo, &d) < 0.0) {
        fail(r, "no alpha > 0: the samples are not densest near their minimum");
        return;
    }
    for (int i = 0; i < 60 && pareto_score(a_hi, &d) > 0.0; i++) {
        a_hi *= 2.0;
    }
    if (!brent(&f, a_lo, a_hi, 1e-12, &alpha)) {
        fail(r, "alpha equation has no root");
        return;
    }
    r->dist = (struct sim_dist){.kind = SIM_DIST_PARETO, .a = alpha, .b = lo, .c = hi};
    r->n_params = 3;
    r->loglik = n * log(alpha) + n * alpha * log(lo) - (alpha + 1.0) * n * fs->mean_log -
                n * log(-expm1(alpha * d.log_r));
    r->ok = true;
}

void fit_one(const struct fit_sample *fs, enum sim_dist_kind kind, struct fit_result *out)
{
    *out = (struct fit_result){.kind = kind, .ks_d = NAN, .ks_p = NAN, .ad = NAN, .aic = NAN,
                               .loglik = NAN, .balanced_ks_d = NAN, .balanced_ks_p = NAN};
    bool needs_positive = kind == SIM_DIST_LOGNORMAL || kind == SIM_DIST_GAMMA ||
                          kind == SIM_DIST_WEIBULL || kind == SIM_DIST_PARETO;
    if (needs_positive && fs->n_zero > 0) {
        snprintf(out->note, sizeof out->note, "needs every sample > 0 (%zu are 0)", fs->n_zero);
        return;
    }
    if (fs->n < FIT_MIN_SAMPLES) {
        fail(out, "needs at least 2 samples");
        return;
    }
    switch (kind) {
    case SIM_DIST_EXPONENTIAL:
        fit_exponential(fs, out);
        break;
    case SIM_DIST_LOGNORMAL:
        fit_lognormal(fs, out);
        break;
    case SIM_DIST_GAMMA:
        fit_gamma(fs, out);
        break;
    case SIM_DIST_WEIBULL:
        fit_weibull(fs, out);
        break;
    case SIM_DIST_HYPEREXP:
        fit_hyperexp(fs, out);
        break;
    case SIM_DIST_PARETO:
        fit_pareto(fs, out);
        break;
    default:
        SIM_REQUIRE(!"fit_one: kind is not fittable");
    }
    if (!out->ok) {
        return;
    }
    out->aic = 2.0 * out->n_params - 2.0 * out->loglik;
    fit_gof(fs, &out->dist, &out->ks_d, &out->ad);
    out->ks_p = fit_ks_pvalue(out->ks_d, fs->n);
    if (kind == SIM_DIST_HYPEREXP) {
        double m = sim_dist_mean(&out->dist), cv = sqrt(sim_dist_var(&out->dist)) / m, ad;
        if (sim_dist_hyperexp_mean_cv(m, cv, &out->balanced, NULL)) {
            fit_gof(fs, &out->balanced, &out->balanced_ks_d, &ad);
            out->balanced_ks_p = fit_ks_pvalue(out->balanced_ks_d, fs->n);
            /* "Fits well": as good as the KS test can tell, or within 20% of the MLE's D. */
            out->balanced_ok =
                out->balanced_ks_p >= 0.01 || out->balanced_ks_d <= 1.2 * out->ks_d;
        }
    }
}

/* ---- fitting several families on threads ---------------------------------------------- */

struct fit_job {
    const struct fit_sample *fs;
    const enum sim_dist_kind *kinds;
    struct fit_result *out;
};

static int fit_trial(void *ctx, size_t i, struct sim_err *err)
{
    (void)err; /* a family that does not fit is an outcome (ok = false), not an error */
    const struct fit_job *job = ctx;
    fit_one(job->fs, job->kinds[i], &job->out[i]);
    return 0;
}

void fit_all(const struct fit_sample *fs, const enum sim_dist_kind *kinds, size_t n,
             unsigned n_threads, struct fit_result *out)
{
    /* The fits only read fs and each writes its own out[i]: sim_replicate's
     * pool runs them (its 0 threads would mean every core; here the caller's
     * thread alone, as before). */
    struct fit_job job = {.fs = fs, .kinds = kinds, .out = out};
    struct sim_replicate_opts o = {.n_threads = n_threads ? n_threads : 1};
    sim_replicate(n, fit_trial, &job, &o, NULL);
    fit_rank(out, n);
}

/* ---- ranking -------------------------------------------------------------------------- */

static size_t rank_of(const struct fit_result *r, size_t n, size_t i, bool by_aic)
{
    size_t rank = 1;
    double v = by_aic ? r[i].aic : r[i].ks_d;
    for (size_t j = 0; j < n; j++) {
        if (j == i || !r[j].ok) {
            continue;
        }
        double w = by_aic ? r[j].aic : r[j].ks_d;
        rank += w < v || (w == v && j < i); /* ties: the order given */
    }
    return rank;
}

void fit_rank(struct fit_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        r[i].rank_aic = r[i].ok ? rank_of(r, n, i, true) : 0;
        r[i].rank_ks = r[i].ok ? rank_of(r, n, i, false) : 0;
    }
}

size_t fit_best(const struct fit_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i].ok && r[i].rank_aic == 1) {
            return i;
        }
    }
    return n;
}

/* ---- YAML ----------------------------------------------------------------------------- */

/* v with 4 significant digits, fixed notation (the config reader wants "12340s", not
 * "1.234e+04s"), trailing zeros dropped. */
static void format_sig(double v, char *buf, size_t size)
{
    if (v == 0.0 || !isfinite(v)) {
        snprintf(buf, size, "%g", v);
        return;
    }
    int mag = (int)floor(log10(fabs(v)));
    int decimals = 3 - mag;
    if (decimals < 0) {
        decimals = 0;
    }
    if (decimals > 12) {
        snprintf(buf, size, "%.4g", v);
        return;
    }
    snprintf(buf, size, "%.*f", decimals, v);
    if (strchr(buf, '.') != NULL) {
        size_t len = strlen(buf);
        while (len > 0 && buf[len - 1] == '0') {
            buf[--len] = '\0';
        }
        if (len > 0 && buf[len - 1] == '.') {
            buf[--len] = '\0';
        }
    }
}

void fit_format_value(double v, const struct samples_unit *unit, char *buf, size_t size)
{
    char num[64];
    const char *suffix = "";
    double scaled = v;
    if (unit != NULL && unit->kind == SAMPLES_UNIT_TIME) {
        double a = fabs(v);
        if (a >= 1.0 || a == 0.0) {
            suffix = "s";
        } else if (a >= 1e-3) {
            scaled = v * 1e3;
            suffix = "ms";
        } else {
            scaled = v * 1e6;
            suffix = "us";
        }
    } else if (unit != NULL && unit->kind == SAMPLES_UNIT_SIZE) {
        double a = fabs(v);
        if (a >= 1073741824.0) {
            scaled = v / 1073741824.0;
            suffix = "GiB";
        } else if (a >= 1048576.0) {
            scaled = v / 1048576.0;
            suffix = "MiB";
        } else if (a >= 1024.0) {
            scaled = v / 1024.0;
            suffix = "KiB";
        } else {
            suffix = "B";
        }
    }
    format_sig(scaled, num, sizeof num);
    if (snprintf(buf, size, "%s%s", num, suffix) >= (int)size) {
        /* Cannot happen with the callers' 64-byte buffers; a prefix is still a string. */
        buf[size - 1] = '\0';
    }
}

void fit_yaml(const struct fit_result *r, const struct samples_unit *unit, char *buf,
              size_t size)
{
    char v1[64], v2[64], v3[64];
    const struct sim_dist *d = &r->dist;
    double mean = sim_dist_mean(d), cv = sqrt(sim_dist_var(d)) / mean;
    switch (r->kind) {
    case SIM_DIST_EXPONENTIAL:
        fit_format_value(d->a, unit, v1, sizeof v1);
        snprintf(buf, size, "{dist: exponential, mean: %s}", v1);
        return;
    case SIM_DIST_HYPEREXP:
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_GAMMA:
        if (r->kind == SIM_DIST_HYPEREXP && !r->balanced_ok) {
            /* The balanced (mean, cv) form fits worse: the config takes the
             * three fitted parameters too. */
            format_sig(d->a, v1, sizeof v1);
            fit_format_value(d->b, unit, v2, sizeof v2);
            fit_format_value(d->c, unit, v3, sizeof v3);
            snprintf(buf, size, "{dist: hyperexponential, p: %s, mean1: %s, mean2: %s}", v1, v2,
                     v3);
            return;
        }
        fit_format_value(mean, unit, v1, sizeof v1);
        format_sig(cv, v2, sizeof v2);
        snprintf(buf, size, "{dist: %s, mean: %s, cv: %s}", sim_dist_kind_name(r->kind), v1, v2);
        return;
    case SIM_DIST_WEIBULL:
        format_sig(d->b, v1, sizeof v1);
        fit_format_value(d->a, unit, v2, sizeof v2);
        snprintf(buf, size, "{dist: weibull, shape: %s, scale: %s}", v1, v2);
        return;
    case SIM_DIST_PARETO:
        format_sig(d->a, v1, sizeof v1);
        fit_format_value(d->b, unit, v2, sizeof v2);
        fit_format_value(d->c, unit, v3, sizeof v3);
        snprintf(buf, size, "{dist: pareto, alpha: %s, lo: %s, hi: %s}", v1, v2, v3);
        return;
    default:
        break;
    }
    snprintf(buf, size, "{dist: %s}", sim_dist_kind_name(r->kind));
}

void fit_yaml_empirical(const char *file, const char *column, const struct samples_unit *unit,
                        char *buf, size_t size)
{
    int w = snprintf(buf, size, "{dist: empirical, file: %s", file);
    if (column != NULL && column[0] != '\0' && w >= 0 && (size_t)w < size) {
        w += snprintf(buf + w, size - (size_t)w, ", column: %s", column);
    }
    if (unit != NULL && unit->kind != SAMPLES_UNIT_NONE && w >= 0 && (size_t)w < size) {
        w += snprintf(buf + w, size - (size_t)w, ", unit: %s", unit->name);
    }
    if (w >= 0 && (size_t)w < size) {
        snprintf(buf + w, size - (size_t)w, "}");
    }
}

/* ---- arrival rates -------------------------------------------------------------------- */

/* Sub-windows per window for the index of dispersion: 50 gives ~49 degrees of freedom per
 * window, so even a 5-window trace estimates it to about +-0.1. */
enum { FIT_SUBWINDOWS = 50 };
/* A window observed for 95% of its length counts as whole: the first arrival comes a gap after
 * the trace really started, so the first window is almost never observed from its very start. */
static const double FIT_WHOLE = 0.95;

/* Quantile p of Gamma(k, 1).  GSL's inversion does not converge for some
 * large k (NaN at k = 1,160 for p = 0.975, and beyond 10^5): there the
 * Wilson-Hilferty cube, accurate to parts per million once k is in the
 * hundreds, stands in. */
static double gamma_quantile(double p, double k)
{
    double x = gsl_cdf_gamma_Pinv(p, k, 1.0);
    if (isfinite(x) && fabs(gsl_cdf_gamma_P(x, k, 1.0) - p) < 1e-9) {
        return x;
    }
    double c = 1.0 / (9.0 * k), r = 1.0 - c + gsl_cdf_ugaussian_Pinv(p) * sqrt(c);
    return k * r * r * r;
}

/* The exact (Garwood) interval of a Poisson mean from a count k. */
static void poisson_ci(size_t k, double conf, double *lo, double *hi)
{
    double a = 1.0 - conf;
    *lo = k == 0 ? 0.0 : gamma_quantile(a / 2.0, (double)k);
    *hi = gamma_quantile(1.0 - a / 2.0, (double)k + 1.0);
}

/* The coarsest of 1 s, 100, 10 and 1 ms that every timestamp is a whole number
 * of (within a thousandth of one: an epoch time in seconds carries ~2e-7 s of
 * rounding), or 0. */
static double timestamp_grain(const double *t, size_t n)
{
    static const double grains[] = {1.0, 0.1, 0.01, 0.001};
    for (size_t g = 0; g < sizeof grains / sizeof *grains; g++) {
        size_t i = 0;
        while (i < n && fabs(t[i] / grains[g] - round(t[i] / grains[g])) < 1e-3) {
            i++;
        }
        if (i == n) {
            return grains[g];
        }
    }
    return 0.0;
}

/* Sub-windows of whole grains: as many as fit in the window at up to
 * FIT_SUBWINDOWS, each ceil(grains / FIT_SUBWINDOWS) grains wide (the grains
 * left over at a window's end are in no sub-window).  0 when the window is
 * not a whole number of grains (sub-windows would cut grains) or under two. */
static size_t grain_sub_windows(double window_s, double grain_s, double *width_s)
{
    double units = round(window_s / grain_s);
    if (fabs(units * grain_s - window_s) > 1e-9 * window_s || units < 2.0) {
        return 0;
    }
    double per = ceil(units / FIT_SUBWINDOWS);
    *width_s = per * grain_s;
    return (size_t)floor(units / per);
}

int fit_rates_compute(struct fit_rates *fr, const double *t, size_t n, double window_s,
                      double conf, struct sim_err *err)
{
    *fr = (struct fit_rates){0};
    if (n < 2 || !(t[n - 1] > t[0])) {
        return sim_err_set(err, SIM_EINVAL,
                           "need at least 2 distinct arrival times to estimate a rate (got %zu)",
                           n);
    }
    if (!(window_s > 0.0)) {
        return sim_err_set(err, SIM_EINVAL, "window must be > 0 (got %g)", window_s);
    }
    double first = t[0], last = t[n - 1];
    double t0 = floor(first / window_s) * window_s;
    double nw_d = floor((last - t0) / window_s) + 1.0;
    if (nw_d > 1e7) {
        return sim_err_set(err, SIM_EINVAL,
                           "%.0f windows of %gs: choose a longer --window (the trace spans %gs)",
                           nw_d, window_s, last - first);
    }
    size_t nw = (size_t)nw_d;
    double mean_gap = (last - first) / (double)(n - 1), grain = timestamp_grain(t, n);
    grain = grain > 0.1 * mean_gap ? grain : 0.0;
    double sub_s = window_s / FIT_SUBWINDOWS;
    size_t n_sub = grain > 0.0 ? grain_sub_windows(window_s, grain, &sub_s) : FIT_SUBWINDOWS;
    *fr = (struct fit_rates){.n_windows = nw, .n_arrivals = n, .t0_s = t0, .first_s = first,
                             .last_s = last, .window_s = window_s, .conf = conf,
                             .n_sub = n_sub, .sub_window_s = n_sub ? sub_s : NAN,
                             .grain_s = grain};
    fr->w = sim_xcalloc(nw, sizeof *fr->w);
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)((t[i] - t0) / window_s);
        fr->w[k < nw ? k : nw - 1].count++;
    }
    for (size_t k = 0; k < nw; k++) {
        struct fit_window *w = &fr->w[k];
        double b = t0 + (double)k * window_s, e = b + window_s;
        w->start_s = (double)k * window_s;
        w->dur_s = fmax(fmin(e, last) - fmax(b, first), 0.0);
        /* A window observed for no time (the last arrival on its start edge)
         * stays partial; its rate is the count over the whole window. */
        double span = w->dur_s > 0.0 ? w->dur_s : window_s;
        poisson_ci(w->count, conf, &w->lo_per_s, &w->hi_per_s);
        w->rate_per_s = (double)w->count / span;
        w->lo_per_s /= span;
        w->hi_per_s /= span;
    }
    /* Gaps, raw and time-rescaled by the fitted piecewise rate: Lambda(t) =
     * the arrivals of the windows before t's plus t's window's rate times the
     * time since its observed start, so z = Lambda(t[i+1]) - Lambda(t[i]) is
     * Exp(1) for Poisson arrivals at that rate, across window edges too. */
    double *lam0 = sim_xmalloc(nw * sizeof *lam0);
    for (size_t k = 0, before = 0; k < nw; k++) {
        lam0[k] = (double)before;
        before += fr->w[k].count;
    }
    double s = 0.0, s2 = 0.0, z = 0.0, z2 = 0.0;
    double lam_prev = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)((t[i] - t0) / window_s);
        k = k < nw ? k : nw - 1;
        double from = fmax(t0 + (double)k * window_s, first);
        double lam = lam0[k] + fr->w[k].rate_per_s * (t[i] - from);
        if (i == 0) {
            lam_prev = lam;
            continue;
        }
        double g = t[i] - t[i - 1], zg = lam - lam_prev;
        lam_prev = lam;
        s += g - mean_gap;
        s2 += (g - mean_gap) * (g - mean_gap);
        z += zg;
        z2 += zg * zg;
    }
    double m = (double)(n - 1);
    fr->gap_cv = sqrt(fmax(s2 / m - (s / m) * (s / m), 0.0)) / mean_gap;
    double zm = z / m;
    fr->gap_cv_norm = sqrt(fmax(z2 / m - zm * zm, 0.0)) / zm;
    if (grain > 0.0) {
        fr->gap_cv = fr->gap_cv_norm = NAN;
    }
    free(lam0);
    /* Sub-window counts, only sub-windows wholly inside [first, last]: each
     * window's Pearson statistic sum (c - mean)^2 / mean is chi-squared with
     * (sub-windows - 1) degrees of freedom for Poisson counts given the
     * window's total; their sum over windows, over the summed df, is the index. */
    double pearson = 0.0, df = 0.0;
    size_t *c = sim_xcalloc(FIT_SUBWINDOWS, sizeof *c);
    const double *p = t;
    const double *end = t + n;
    /* With a grain, the edges sit half a grain early: no timestamp is near one. */
    double shift = grain / 2.0;
    for (size_t k = 0; k < nw && n_sub >= 2; k++) {
        double b = t0 + (double)k * window_s;
        size_t m_in = 0, total = 0;
        for (size_t j = 0; j < n_sub; j++) {
            double sb = b + (double)j * fr->sub_window_s, se = sb + fr->sub_window_s;
            c[j] = 0;
            while (p < end && *p < sb - shift) {
                p++;
            }
            while (p < end && *p < se - shift) {
                c[j]++;
                p++;
            }
            if (sb >= first && se <= last) {
                c[m_in++] = c[j];
                total += c[j];
            }
        }
        double mean = m_in ? (double)total / (double)m_in : 0.0;
        if (m_in >= 2 && mean > 0.0) {
            for (size_t j = 0; j < m_in; j++) {
                pearson += ((double)c[j] - mean) * ((double)c[j] - mean) / mean;
            }
            df += (double)(m_in - 1);
        }
    }
    free(c);
    fr->idc_within = df > 0.0 ? pearson / df : NAN;
    fr->idc_df = df;
    /* Across whole windows (the partial first and last are left out). */
    double cs = 0.0, cs2 = 0.0;
    size_t nf = 0;
    for (size_t k = 0; k < nw; k++) {
        if (fr->w[k].dur_s >= FIT_WHOLE * window_s) {
            cs += (double)fr->w[k].count;
            cs2 += (double)fr->w[k].count * (double)fr->w[k].count;
            nf++;
        }
    }
    if (nf >= 2 && cs > 0.0) {
        double cm = cs / (double)nf;
        fr->idc_across = (cs2 - cs * cm) / ((double)nf - 1.0) / cm;
    } else {
        fr->idc_across = NAN;
    }
    return SIM_OK;
}

void fit_rates_fini(struct fit_rates *fr)
{
    free(fr->w);
    fr->w = NULL;
    fr->n_windows = 0;
}

size_t fit_rates_scheduled(const struct fit_rates *fr)
{
    size_t n = fr->n_windows;
    return n > 1 && fr->w[n - 1].dur_s < FIT_WHOLE * fr->window_s ? n - 1 : n;
}

char *fit_rates_yaml(const struct fit_rates *fr)
{
    const struct samples_unit seconds = {"s", SAMPLES_UNIT_TIME, 1.0};
    size_t size = 32 + fr->n_windows * 64;
    char *buf = sim_xmalloc(size);
    size_t used = (size_t)snprintf(buf, size, "rate: [");
    for (size_t k = 0; k < fit_rates_scheduled(fr); k++) {
        char at[64], v[64];
        fit_format_value(fr->w[k].start_s, &seconds, at, sizeof at);
        format_sig(fr->w[k].rate_per_s, v, sizeof v);
        used += (size_t)snprintf(buf + used, size - used, "%s{at: %s, value: %s/s}",
                                 k ? ", " : "", at, v);
    }
    snprintf(buf + used, size - used, "]");
    return buf;
}

enum fit_arrival_shape fit_rates_shape(const struct fit_rates *fr)
{
    const double alpha = 0.01, idc_margin = 0.2, cv_margin = 0.1, min_per_window = 20.0;
    /* With few arrivals a window, rates estimated from the same arrivals pull
     * the rescaled gaps' cv down (0.93 at 6 a window): no cv verdict then. */
    double n_gaps = (double)fr->n_arrivals - 1.0;
    bool enough = (double)fr->n_arrivals >= min_per_window * (double)fr->n_windows;
    bool idc_ok = fr->idc_df >= 1.0 && isfinite(fr->idc_within);
    bool cv_ok = enough && n_gaps >= 2.0 && isfinite(fr->gap_cv_norm);
    if (!idc_ok && !cv_ok) {
        return FIT_SHAPE_UNTESTED;
    }
    if (idc_ok && fabs(fr->idc_within - 1.0) >= idc_margin) {
        double x = fr->idc_df * fr->idc_within;
        double p_low = gsl_cdf_chisq_P(x, fr->idc_df), p_high = gsl_cdf_chisq_Q(x, fr->idc_df);
        if (2.0 * fmin(p_low, p_high) < alpha) {
            return fr->idc_within > 1.0 ? FIT_SHAPE_BURSTIER : FIT_SHAPE_MORE_REGULAR;
        }
    }
    if (cv_ok && fabs(fr->gap_cv_norm - 1.0) >= cv_margin) {
        double z = (fr->gap_cv_norm - 1.0) * sqrt(n_gaps);
        if (2.0 * gsl_cdf_ugaussian_Q(fabs(z)) < alpha) {
            return z > 0.0 ? FIT_SHAPE_BURSTIER : FIT_SHAPE_MORE_REGULAR;
        }
    }
    return FIT_SHAPE_POISSON;
}
