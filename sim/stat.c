/* SPDX-License-Identifier: MIT */
#include "sim/stat.h"

#include "sim/check.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- tally ---- */

void sim_tally_init(struct sim_tally *t)
{
    t->n = 0;
    t->shift = t->s1 = t->s2 = 0.0;
    t->min = INFINITY;
    t->max = -INFINITY;
}

double sim_tally_mean(const struct sim_tally *t)
{
    return t->n ? t->shift + t->s1 / (double)t->n : NAN;
}

/* Sum of squared deviations from the mean. */
static double tally_m2(const struct sim_tally *t)
{
    double m2 = t->s2 - t->s1 * t->s1 / (double)t->n;
    return m2 > 0.0 ? m2 : 0.0;
}

void sim_tally_merge(struct sim_tally *dst, const struct sim_tally *src)
{
    if (src->n == 0) {
        return;
    }
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    /* Combine means and squared deviations (Chan et al.), then re-express the
     * result as sums shifted by dst's shift. */
    double na = (double)dst->n, nb = (double)src->n, n = na + nb;
    double ma = sim_tally_mean(dst), mb = sim_tally_mean(src);
    double m2 = tally_m2(dst) + tally_m2(src) + (mb - ma) * (mb - ma) * na * nb / n;
    double mean = ma + (mb - ma) * nb / n;
    double d = mean - dst->shift;
    dst->n += src->n;
    dst->s1 = d * n;
    dst->s2 = m2 + d * d * n;
    dst->min = GSL_MIN(dst->min, src->min);
    dst->max = GSL_MAX(dst->max, src->max);
}

double sim_tally_var(const struct sim_tally *t)
{
    return t->n < 2 ? NAN : tally_m2(t) / (double)(t->n - 1);
}

/* ---- time series ---- */

void sim_tseries_init(struct sim_tseries *ts, double t0_s, double dt_s, size_t n)
{
    SIM_REQUIRE(dt_s > 0.0);
    ts->t0_s = t0_s;
    ts->dt_s = dt_s;
    ts->n = n;
    ts->v = sim_xcalloc(n ? n : 1, sizeof *ts->v);
    ts->cur_w = 0;
    ts->cur_lo_s = INFINITY; /* an empty span: nothing cached yet */
    ts->cur_hi_s = -INFINITY;
}

void sim_tseries_fini(struct sim_tseries *ts)
{
    free(ts->v);
    ts->v = NULL;
    ts->n = 0;
    ts->cur_lo_s = INFINITY; /* no cached window: nothing is integrated any more */
    ts->cur_hi_s = -INFINITY;
}

void sim_tseries_count(struct sim_tseries *ts, double t_s, double k)
{
    double w = (t_s - ts->t0_s) / ts->dt_s;
    if (w >= 0.0 && w < (double)ts->n) {
        ts->v[(size_t)w] += k;
    }
}

/* Adds the integral of a constant `value` over [a, b) to the windows it covers. */
static void tseries_integrate(struct sim_tseries *ts, double a, double b, double value)
{
    if (value == 0.0 || b <= a) {
        return;
    }
    if (sim_tseries__in_cached(ts, a, b)) {
        ts->v[ts->cur_w] += value * (b - a);
        return;
    }
    double end = ts->t0_s + ts->dt_s * (double)ts->n;
    a = GSL_MAX(a, ts->t0_s);
    b = GSL_MIN(b, end);
    while (a < b) {
        size_t w = (size_t)((a - ts->t0_s) / ts->dt_s);
        double w_end = ts->t0_s + ts->dt_s * (double)(w + 1);
        if (w_end <= a) {
            /* Rounding put a (at a window edge) in the window before: without
             * this step a would never advance (dt = 1/3 hung a run). */
            w++;
            w_end = ts->t0_s + ts->dt_s * (double)(w + 1);
        }
        if (w >= ts->n) {
            break;
        }
        double upto = GSL_MIN(b, w_end);
        ts->v[w] += value * (upto - a);
        ts->cur_w = w;
        ts->cur_lo_s = a; /* a time this loop put in window w */
        ts->cur_hi_s = w_end;
        a = upto;
    }
}

/* ---- level ---- */

void sim_level_init(struct sim_level *l, double t_s, double value)
{
    memset(l, 0, sizeof *l);
    l->value = value;
    l->last_t_s = l->start_t_s = t_s;
    l->min = l->max = value;
}

void sim_level_fini(struct sim_level *l)
{
    free(l->time_at);
    l->time_at = NULL;
}

void sim_level_track_levels(struct sim_level *l, unsigned k)
{
    SIM_REQUIRE(k >= 1 && l->time_at == NULL);
    l->n_at = k + 1;
    l->time_at = sim_xcalloc(l->n_at, sizeof *l->time_at);
}

void sim_level_track_series(struct sim_level *l, struct sim_tseries *ts) { l->series = ts; }

static void level_advance(struct sim_level *l, double t_s)
{
    double dt = t_s - l->last_t_s;
    if (dt <= 0.0) {
        return;
    }
    l->area += l->value * dt;
    if (l->time_at) {
        double v = l->value < 0.0 ? 0.0 : l->value;
        unsigned k = v >= (double)(l->n_at - 1) ? l->n_at - 1 : (unsigned)v;
        l->time_at[k] += dt;
    }
    if (l->series) {
        tseries_integrate(l->series, l->last_t_s, t_s, l->value);
    }
    l->last_t_s = t_s;
}

void sim_level__advance_tracked(struct sim_level *l, double t_s) { level_advance(l, t_s); }

void sim_level_reset(struct sim_level *l, double t_s)
{
    level_advance(l, t_s);
    l->area = 0.0;
    l->start_t_s = l->last_t_s = t_s;
    l->min = l->max = l->value;
    if (l->time_at) {
        memset(l->time_at, 0, l->n_at * sizeof *l->time_at);
    }
}

double sim_level_mean(const struct sim_level *l, double t_s)
{
    double span = t_s - l->start_t_s;
    if (span <= 0.0) {
        return l->value;
    }
    double tail = t_s > l->last_t_s ? l->value * (t_s - l->last_t_s) : 0.0;
    return (l->area + tail) / span;
}

double sim_level_frac_at(const struct sim_level *l, double t_s, unsigned k)
{
    SIM_REQUIRE(l->time_at != NULL && k < l->n_at);
    double span = t_s - l->start_t_s;
    if (span <= 0.0) {
        return NAN;
    }
    double t = l->time_at[k];
    double v = l->value < 0.0 ? 0.0 : l->value;
    unsigned cur = v >= (double)(l->n_at - 1) ? l->n_at - 1 : (unsigned)v;
    if (cur == k && t_s > l->last_t_s) {
        t += t_s - l->last_t_s;
    }
    return t / span;
}

/* ---- log histogram ---- */

void sim_loghist_init(struct sim_loghist *lh)
{
    memset(lh, 0, sizeof *lh);
    /* calloc, not alloc: gsl_histogram_alloc leaves the bins uninitialised,
     * and a histogram that is never reset (no warm-up) then starts from the
     * previous replication's freed memory: results depended on which thread
     * ran what before. */
    lh->h = gsl_histogram_calloc(SIM_LOGHIST_BINS);
    SIM_REQUIRE(lh->h != NULL);
    /* Edges 2^e (1 + m/64): exact in binary floating point, so the index computed
     * from the bits below always agrees with the ranges GSL holds. */
    double *r = lh->h->range;
    size_t i = 0;
    for (int e = SIM_LOGHIST_EXP_MIN; e < SIM_LOGHIST_EXP_MAX; e++) {
        double base = ldexp(1.0, e);
        for (unsigned m = 0; m < (1u << SIM_LOGHIST_OCTAVE_BITS); m++) {
            r[i++] = base * (1.0 + (double)m / (double)(1u << SIM_LOGHIST_OCTAVE_BITS));
        }
    }
    r[i] = ldexp(1.0, SIM_LOGHIST_EXP_MAX);
}

void sim_loghist_fini(struct sim_loghist *lh)
{
    gsl_histogram_free(lh->h);
    lh->h = NULL;
}

void sim_loghist_reset(struct sim_loghist *lh)
{
    gsl_histogram_reset(lh->h);
    lh->n = lh->n_zero = lh->n_underflow = lh->n_overflow = 0;
}

void sim_loghist_add(struct sim_loghist *lh, double x)
{
    lh->n++;
    if (!(x > 0.0)) {
        lh->n_zero++;
        return;
    }
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    if (e < SIM_LOGHIST_EXP_MIN) {
        lh->n_underflow++;
        return;
    }
    if (e >= SIM_LOGHIST_EXP_MAX) {
        lh->n_overflow++;
        return;
    }
    size_t m = (size_t)((bits >> (52 - SIM_LOGHIST_OCTAVE_BITS)) &
                        ((1u << SIM_LOGHIST_OCTAVE_BITS) - 1));
    size_t idx = ((size_t)(e - SIM_LOGHIST_EXP_MIN) << SIM_LOGHIST_OCTAVE_BITS) | m;
    lh->h->bin[idx] += 1.0;
}

void sim_loghist_merge(struct sim_loghist *dst, const struct sim_loghist *src)
{
    int rc = gsl_histogram_add(dst->h, src->h);
    SIM_REQUIRE(rc == 0);
    dst->n += src->n;
    dst->n_zero += src->n_zero;
    dst->n_underflow += src->n_underflow;
    dst->n_overflow += src->n_overflow;
}

double sim_loghist_quantile(const struct sim_loghist *lh, double p)
{
    if (lh->n == 0) {
        return NAN;
    }
    double target = p * (double)lh->n;
    double below = (double)lh->n_zero;
    if (target <= below && lh->n_zero > 0) {
        return 0.0;
    }
    below += (double)lh->n_underflow;
    if (target <= below && lh->n_underflow > 0) {
        return lh->h->range[0];
    }
    for (size_t i = 0; i < lh->h->n; i++) {
        double c = lh->h->bin[i];
        if (c > 0.0 && below + c >= target) {
            /* Linear interpolation inside the bucket: the rank falls a fraction f of the way in. */
            double f = (target - below) / c;
            return lh->h->range[i] + f * (lh->h->range[i + 1] - lh->h->range[i]);
        }
        below += c;
    }
    return lh->h->range[lh->h->n];
}

double sim_loghist_cdf(const struct sim_loghist *lh, double x)
{
    if (lh->n == 0) {
        return NAN;
    }
    if (x < 0.0) {
        return 0.0;
    }
    double below = (double)lh->n_zero;
    if (x >= lh->h->range[0]) {
        below += (double)lh->n_underflow;
    }
    for (size_t i = 0; i < lh->h->n && lh->h->range[i] <= x; i++) {
        double lo = lh->h->range[i], hi = lh->h->range[i + 1];
        double c = lh->h->bin[i];
        below += x >= hi ? c : c * (x - lo) / (hi - lo);
    }
    if (x >= lh->h->range[lh->h->n]) {
        below += (double)lh->n_overflow;
    }
    return below / (double)lh->n;
}

/* ---- confidence intervals ---- */

struct sim_ci sim_ci_compute(const double *x, size_t n, double conf)
{
    struct sim_ci ci = {NAN, NAN, NAN, NAN, 0};
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(x[i])) {
            sum += x[i];
            ci.n++;
        }
    }
    if (ci.n == 0) {
        return ci;
    }
    ci.mean = sum / (double)ci.n;
    if (ci.n < 2) {
        ci.lo = ci.hi = ci.mean;
        return ci;
    }
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(x[i])) {
            ss += (x[i] - ci.mean) * (x[i] - ci.mean);
        }
    }
    double sd = sqrt(ss / (double)(ci.n - 1));
    double t = gsl_cdf_tdist_Pinv(0.5 + conf / 2.0, (double)(ci.n - 1));
    ci.half = t * sd / sqrt((double)ci.n);
    ci.lo = ci.mean - ci.half;
    ci.hi = ci.mean + ci.half;
    return ci;
}

struct sim_ci sim_ci_paired(const double *a, const double *b, size_t n, double conf)
{
    double *d = sim_xmalloc((n ? n : 1) * sizeof *d);
    for (size_t i = 0; i < n; i++) {
        d[i] = b[i] - a[i];
    }
    struct sim_ci ci = sim_ci_compute(d, n, conf);
    free(d);
    return ci;
}

bool sim_ci_excludes(const struct sim_ci *ci, double v)
{
    return !isnan(ci->half) && (v < ci->lo || v > ci->hi);
}

/* ---- MSER-5 ---- */

size_t sim_mser5(const double *x, size_t n)
{
    size_t nb = n / 5;
    if (nb < 2) {
        return 0;
    }
    double *bm = sim_xmalloc(nb * sizeof *bm);
    for (size_t b = 0; b < nb; b++) {
        double s = 0.0;
        for (size_t k = 0; k < 5; k++) {
            s += x[b * 5 + k];
        }
        bm[b] = s / 5.0;
    }
    /* Suffix sums give every candidate truncation's mean and variance in O(nb). */
    double best = INFINITY;
    size_t best_d = 0;
    double s1 = 0.0, s2 = 0.0;
    size_t dmax = nb / 2;
    double *stat = sim_xmalloc(nb * sizeof *stat);
    for (size_t b = nb; b-- > 0;) {
        s1 += bm[b];
        s2 += bm[b] * bm[b];
        size_t m = nb - b;
        double mean = s1 / (double)m;
        double ss = s2 - (double)m * mean * mean;
        stat[b] = (ss < 0.0 ? 0.0 : ss) / ((double)m * (double)m);
    }
    for (size_t d = 0; d <= dmax; d++) {
        if (stat[d] < best) {
            best = stat[d];
            best_d = d;
        }
    }
    free(stat);
    free(bm);
    return best_d * 5;
}
