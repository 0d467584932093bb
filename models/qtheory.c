/* SPDX-License-Identifier: MIT */
#include "models/qtheory.h"

#include "sim/check.h"

#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

double qtheory_erlang_b(unsigned c, double a)
{
    SIM_REQUIRE(a >= 0.0);
    /* B(k) = a B(k-1) / (k + a B(k-1)): every step is a ratio of positive numbers,
     * so no factorial or power ever overflows, whatever c is. */
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++) {
        b = a * b / ((double)k + a * b);
    }
    return b;
}

double qtheory_erlang_c(unsigned c, double a)
{
    SIM_REQUIRE(c >= 1 && a >= 0.0);
    if (a >= (double)c) {
        return 1.0;
    }
    double b = qtheory_erlang_b(c, a);
    double rho = a / (double)c;
    return b / (1.0 - rho * (1.0 - b));
}

bool qtheory_mmc(unsigned c, double lambda_per_s, double mu_per_s, struct qtheory_mmc *out)
{
    if (c < 1 || !(lambda_per_s > 0.0) || !(mu_per_s > 0.0) ||
        !(lambda_per_s < (double)c * mu_per_s)) {
        return false;
    }
    double a = lambda_per_s / mu_per_s;
    struct qtheory_mmc m;
    m.rho = a / (double)c;
    m.p_wait = qtheory_erlang_c(c, a);
    m.decay_per_s = (double)c * mu_per_s - lambda_per_s;
    m.wq_s = m.p_wait / m.decay_per_s;
    m.w_s = m.wq_s + 1.0 / mu_per_s;
    m.lq = lambda_per_s * m.wq_s;
    m.l = lambda_per_s * m.w_s;
    *out = m;
    return true;
}

double qtheory_mmc_wait_ccdf(const struct qtheory_mmc *m, double t_s)
{
    if (t_s < 0.0) {
        return 1.0;
    }
    return m->p_wait * exp(-m->decay_per_s * t_s);
}

double qtheory_mmc_wait_quantile(const struct qtheory_mmc *m, double p)
{
    SIM_REQUIRE(p >= 0.0 && p < 1.0);
    double tail = 1.0 - p;
    if (tail >= m->p_wait) {
        return 0.0;
    }
    return log(m->p_wait / tail) / m->decay_per_s;
}

/* Unnormalised log-probabilities of the M/M/c/K chain relative to state 0:
 * log p_n/p_0 = n log a - ln n! (n <= c), then + (n - c) log rho.  Normalised by
 * subtracting the largest before exponentiating, so K and c in the thousands work. */
bool qtheory_mmck(unsigned c, unsigned k, double lambda_per_s, double mu_per_s,
                  struct qtheory_mmck *out)
{
    if (c < 1 || k < c || !(lambda_per_s > 0.0) || !(mu_per_s > 0.0)) {
        return false;
    }
    double a = lambda_per_s / mu_per_s;
    double log_a = log(a), log_rho = log(a / (double)c);
    double *lp = sim_xmalloc(((size_t)k + 1) * sizeof *lp);
    double top = -INFINITY;
    for (unsigned n = 0; n <= k; n++) {
        lp[n] = n <= c ? (double)n * log_a - gsl_sf_lnfact(n)
                       : (double)c * log_a - gsl_sf_lnfact(c) + (double)(n - c) * log_rho;
        top = GSL_MAX(top, lp[n]);
    }
    double sum = 0.0, l = 0.0, lq = 0.0, waiting = 0.0;
    for (unsigned n = 0; n <= k; n++) {
        double p = exp(lp[n] - top);
        sum += p;
        l += (double)n * p;
        if (n > c) {
            lq += (double)(n - c) * p;
        }
        if (n >= c && n < k) {
            waiting += p;
        }
    }
    struct qtheory_mmck r;
    r.p_block = exp(lp[k] - top) / sum;
    r.l = l / sum;
    r.lq = lq / sum;
    r.lambda_eff_per_s = lambda_per_s * (1.0 - r.p_block);
    r.w_s = r.l / r.lambda_eff_per_s;
    r.wq_s = r.lq / r.lambda_eff_per_s;
    /* Admitted arrivals see n < K; they wait when n >= c. */
    r.p_wait = (waiting / sum) / (1.0 - r.p_block);
    free(lp);
    *out = r;
    return true;
}

bool qtheory_mg1(double lambda_per_s, double service_mean_s, double service_cv,
                 struct qtheory_mg1 *out)
{
    if (!(lambda_per_s > 0.0) || !(service_mean_s > 0.0) || !(service_cv >= 0.0)) {
        return false;
    }
    double rho = lambda_per_s * service_mean_s;
    if (!(rho < 1.0)) {
        return false;
    }
    struct qtheory_mg1 r;
    r.rho = rho;
    r.p_wait = rho;
    r.wq_s = rho * (1.0 + service_cv * service_cv) / 2.0 * service_mean_s / (1.0 - rho);
    r.w_s = r.wq_s + service_mean_s;
    r.lq = lambda_per_s * r.wq_s;
    r.l = lambda_per_s * r.w_s;
    *out = r;
    return true;
}

bool qtheory_closed_mva(unsigned n_clients, double think_s, unsigned c, double service_s,
                        struct qtheory_closed *out)
{
    if (n_clients < 1 || c < 1 || !(think_s >= 0.0) || !(service_s > 0.0)) {
        return false;
    }
    /* Load-dependent MVA in the multi-server form: by the arrival theorem an
     * arrival at population n sees the station as at n-1, and finding k there
     * it leaves after max(k + 1 - c, 0) queue departures at rate c/S plus its
     * own service, so
     *     R(n) = S/c [1 + Q(n-1) + sum_{k=0}^{c-2} (c-1-k) p(k | n-1)].
     * Only p(k) for k < c is carried.  p(0) is NOT taken as 1 - sum_{k>0} p(k)
     * (nor from the busy-server identity): near saturation both subtract
     * numbers that nearly cancel, and the error is multiplied by up to
     * (c)^c/c! on its way back through p(1..c-1) at every step, the classic
     * instability of load-dependent MVA (with c = 16 it returned X = 69 for a
     * true 106.6).  Instead the complement-network identity
     *     p(0 | n) = p(0 | n-1) X(n) / X_comp(n),
     * where the complement network (the station removed) is the think stage
     * alone, X_comp(n) = n/Z, gives p(0 | n) = p(0 | n-1) X(n) Z / n: products
     * of positive numbers only, stable for any N and c.  Z = 0 (no think
     * stage) makes the station never empty for n >= 1, which the same product
     * gives. */
    double *p = sim_xcalloc(c, sizeof *p); /* p[k] = P(k at the station), k < c */
    p[0] = 1.0;
    double x = 0.0, r = 0.0, q = 0.0;
    double s_per_c = service_s / (double)c;
    for (unsigned n = 1; n <= n_clients; n++) {
        double corr = 0.0;
        for (unsigned k = 0; k + 1 < c; k++) {
            corr += (double)(c - 1 - k) * p[k];
        }
        r = s_per_c * (1.0 + q + corr);
        x = (double)n / (think_s + r);
        q = x * r;
        /* p(k | n) = X(n) S / k * p(k-1 | n-1) for 1 <= k < c, highest k first so
         * p[k-1] still holds the n-1 value when read. */
        for (unsigned k = c - 1; k >= 1; k--) {
            p[k] = x * service_s / (double)k * p[k - 1];
        }
        p[0] *= x * think_s / (double)n;
    }
    free(p);
    out->x_per_s = x;
    out->r_s = r;
    out->l = q;
    out->util = x * service_s / (double)c;
    return true;
}

bool qtheory_closed_birth_death(unsigned n_clients, double think_s, unsigned c, double service_s,
                                struct qtheory_closed *out)
{
    if (n_clients < 1 || c < 1 || !(think_s > 0.0) || !(service_s > 0.0)) {
        return false;
    }
    /* State k = customers at the station: birth (N - k)/Z, death min(k, c)/S.
     * Unnormalised weights in log space, then one normalising pass. */
    double *lw = sim_xmalloc(((size_t)n_clients + 1) * sizeof *lw);
    lw[0] = 0.0;
    double top = 0.0;
    for (unsigned k = 1; k <= n_clients; k++) {
        lw[k] = lw[k - 1] + log((double)(n_clients - k + 1) / think_s) -
                log((double)GSL_MIN(k, c) / service_s);
        top = GSL_MAX(top, lw[k]);
    }
    double sum = 0.0, l = 0.0, busy = 0.0;
    for (unsigned k = 0; k <= n_clients; k++) {
        double w = exp(lw[k] - top);
        sum += w;
        l += (double)k * w;
        busy += (double)GSL_MIN(k, c) * w;
    }
    free(lw);
    l /= sum;
    busy /= sum;
    out->x_per_s = busy / service_s;
    out->l = l;
    out->r_s = l / out->x_per_s;
    out->util = busy / (double)c;
    return true;
}

/* -expm1(-u)/u, continuous at u = 0 (value 1). */
static double frac_expm1(double u)
{
    if (fabs(u) < 1e-8) {
        return 1.0 - u / 2.0;
    }
    return -expm1(-u) / u;
}

/* (1 - e^{-u}(1 + u)) / u^2, continuous at u = 0 (value 1/2); the series avoids
 * the cancellation of the closed form for small u. */
static double frac_mean(double u)
{
    if (fabs(u) < 1e-3) {
        return 0.5 - u / 3.0 + u * u / 8.0;
    }
    return (1.0 - exp(-u) * (1.0 + u)) / (u * u);
}

/* The derivation is in docs/VALIDATION.md.  While all c servers are busy the
 * offered wait V (what an arrival with infinite patience would wait) falls at
 * rate 1 and jumps by Exp(c mu) at each arrival that finds V < tau; arrivals
 * that find V >= tau abandon at tau and leave V alone (FIFO: they delay nobody).
 * Level crossing gives, with theta = c mu - lambda and q = p_{c-1}:
 *   f(x) = lambda q e^{-theta x}              0 < x < tau
 *   f(x) = f(tau) e^{-c mu (x - tau)}         x > tau
 *   p_n  = p_0 a^n / n!                       n < c
 * so P(abandon) = P(V > tau) = lambda q e^{-theta tau} / (c mu) by PASTA. */
bool qtheory_mmc_patience(unsigned c, double lambda_per_s, double mu_per_s, double tau_s,
                          struct qtheory_impatient *out)
{
    if (c < 1 || !(lambda_per_s > 0.0) || !(mu_per_s > 0.0) || !(tau_s >= 0.0)) {
        return false;
    }
    double cmu = (double)c * mu_per_s;
    double theta = cmu - lambda_per_s;
    if (isinf(tau_s) && !(theta > 0.0)) {
        return false;
    }
    double a = lambda_per_s / mu_per_s;
    /* Work relative to q = p_{c-1}: r_n = p_n / q = ((c-1)!/n!) a^{n-(c-1)}, in log space. */
    double lf_top = gsl_sf_lnfact(c - 1);
    double sum_r = 0.0, busy_r = 0.0;
    for (unsigned n = 0; n < c; n++) {
        double r = exp(lf_top - gsl_sf_lnfact(n) + ((double)n - (double)(c - 1)) * log(a));
        sum_r += r;
        busy_r += (double)n * r;
    }
    /* Mass of the continuous part, below and above tau, relative to q. */
    double below, above, mean_below;
    if (isinf(tau_s)) {
        below = lambda_per_s / theta;
        above = 0.0;
        mean_below = lambda_per_s / (theta * theta);
    } else {
        double u = theta * tau_s;
        below = lambda_per_s * tau_s * frac_expm1(u);
        above = lambda_per_s * exp(-u) / cmu;
        mean_below = lambda_per_s * tau_s * tau_s * frac_mean(u);
    }
    double q = 1.0 / (sum_r + below + above);
    struct qtheory_impatient r;
    r.p_abandon = q * above;
    r.p_wait = q * (below + above);
    r.wq_served_s = q * mean_below / (1.0 - r.p_abandon);
    r.w_served_s = r.wq_served_s + 1.0 / mu_per_s;
    r.throughput_per_s = lambda_per_s * (1.0 - r.p_abandon);
    double ab_rate = lambda_per_s * r.p_abandon;
    r.lq = r.throughput_per_s * r.wq_served_s + (isinf(tau_s) ? 0.0 : ab_rate * tau_s);
    r.l = r.lq + r.throughput_per_s / mu_per_s;
    r.busy = q * busy_r + (double)c * r.p_wait;
    *out = r;
    return true;
}
