/* SPDX-License-Identifier: MIT
 *
 * capsearch.c - SLO parsing and the bisection search; see capsearch.h.
 */
#include "models/capsearch.h"

#include "models/config.h"
#include "models/results.h"
#include "sim/check.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The unit family (as config_unit_factor numbers them: 1 time, 2 size, 3 rate,
 * 4 byte rate) of a metric's base unit; 0 for counts and ratios, which take
 * plain numbers only. */
static int metric_unit_family(int metric)
{
    static const char *const base[] = {"", "s", "B", "1/s", "B/s"};
    const char *unit = results_metrics[metric].unit;
    for (int f = 1; f < (int)(sizeof base / sizeof base[0]); f++) {
        if (strcmp(unit, base[f]) == 0) {
            return f;
        }
    }
    return 0;
}

static const char *unit_kind_example(int family)
{
    static const char *const text[] = {
        "a plain number", "a time such as 0.2 or 200ms", "a size such as 512MiB",
        "a rate such as 100/s", "a byte rate such as 10MiB/s"};
    return text[family];
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

int capsearch_slo_parse(const char *flag, const char *text, struct capsearch_slo *out,
                        size_t *n_out, struct sim_err *err)
{
    size_t n = 0;
    const char *s = text;
    for (;;) {
        s = skip_ws(s);
        const char *name = s;
        while (isalnum((unsigned char)*s) || *s == '_') {
            s++;
        }
        size_t len = (size_t)(s - name);
        char mname[64];
        if (len == 0 || len >= sizeof mname) {
            return sim_err_set(err, SIM_EINVAL,
                               "%s '%s': expected a metric name at '%s' (e.g. latency_p99_s<=0.2)",
                               flag, text, name);
        }
        memcpy(mname, name, len);
        mname[len] = '\0';
        int m = results_metric_find(mname);
        if (m < 0) {
            const char *names[RM_N];
            for (int i = 0; i < RM_N; i++) {
                names[i] = results_metrics[i].name;
            }
            const char *near = config_closest(mname, names, RM_N);
            return sim_err_set(err, SIM_EINVAL,
                               "%s '%s': unknown metric (got '%s', expected a metric of "
                               "docs/MODELS.md such as latency_p99_s or error_rate)%s%s%s",
                               flag, text, mname, near ? "; did you mean '" : "", near ? near : "",
                               near ? "'?" : "");
        }
        s = skip_ws(s);
        enum capsearch_op op;
        if (*s == '<') {
            op = CAPSEARCH_LE;
        } else if (*s == '>') {
            op = CAPSEARCH_GE;
        } else {
            return sim_err_set(err, SIM_EINVAL,
                               "%s '%s': expected <= or >= after '%s' (got '%.8s')", flag, text,
                               mname, s);
        }
        s += s[1] == '=' ? 2 : 1;
        s = skip_ws(s);
        /* The bound runs to the next comma; it is read as the configs read a
         * value (200ms, 512 MiB, 100/s, or a plain number in the base unit),
         * and only in the units of the metric's kind. */
        const char *end = strchr(s, ',');
        end = end ? end : s + strlen(s);
        char tok[64];
        size_t len_tok = (size_t)(end - s);
        while (len_tok > 0 && (s[len_tok - 1] == ' ' || s[len_tok - 1] == '\t')) {
            len_tok--;
        }
        const char *opname = op == CAPSEARCH_LE ? "<=" : ">=";
        if (len_tok == 0 || len_tok >= sizeof tok) {
            return sim_err_set(err, SIM_EINVAL, "%s '%s': expected a number after %s%s (got '%.12s')",
                               flag, text, mname, opname, s);
        }
        memcpy(tok, s, len_tok);
        tok[len_tok] = '\0';
        int want = metric_unit_family(m);
        bool fraction = strcmp(results_metrics[m].unit, "1") == 0;
        double bound;
        /* A share (unit 1) takes a percentage too, as every table prints it: 1% is 0.01. */
        char *pct = len_tok > 1 && tok[len_tok - 1] == '%' ? &tok[len_tok - 1] : NULL;
        if (pct && !fraction) {
            return sim_err_set(err, SIM_EINVAL, "%s '%s': '%s' does not fit %s (expected %s; a "
                               "%% bound is for a share such as error_rate)",
                               flag, text, tok, mname, unit_kind_example(want));
        }
        if (pct) {
            *pct = '\0';
            bool ok = config_parse_quantity(tok, 0, &bound) && isfinite(bound);
            *pct = '%';
            if (!ok) {
                return sim_err_set(err, SIM_EINVAL, "%s '%s': expected a number after %s%s, in a "
                                   "plain number or a percentage (got '%s')", flag, text, mname,
                                   opname, tok);
            }
            bound /= 100.0;
        } else if (!config_parse_quantity(tok, want, &bound) || !isfinite(bound)) {
            int other = 0;
            for (int f = 1; f <= 4 && other == 0; f++) {
                other = f != want && config_parse_quantity(tok, f, &bound) ? f : 0;
            }
            if (other != 0) {
                return sim_err_set(err, SIM_EINVAL, "%s '%s': '%s' does not fit %s (expected %s)",
                                   flag, text, tok, mname, unit_kind_example(want));
            }
            return sim_err_set(err, SIM_EINVAL,
                               "%s '%s': expected a number after %s%s, in %s%s (got '%s')", flag,
                               text, mname, opname, unit_kind_example(want),
                               fraction ? " or a percentage (1%)" : "", tok);
        }
        bound += 0.0; /* -0 reads as 0 */
        /* A bound the metric can never meet would only buy a search that ends
         * in "none": every metric is >= 0 but the growth slopes, and those in
         * unit 1 (fractions) are <= 1. */
        double range_lo, range_hi;
        results_unit_range(results_metrics[m].unit, &range_lo, &range_hi);
        if (op == CAPSEARCH_LE && bound < range_lo) {
            return sim_err_set(err, SIM_EINVAL, "%s '%s': %s<=%s can never hold (expected a "
                               "bound >= 0: %s is never negative)", flag, text, mname, tok, mname);
        }
        if (op == CAPSEARCH_GE && bound > range_hi) {
            return sim_err_set(err, SIM_EINVAL, "%s '%s': %s>=%s can never hold (expected a "
                               "bound <= 1: %s is a fraction)", flag, text, mname, tok, mname);
        }
        if (n == CAPSEARCH_MAX_SLO) {
            return sim_err_set(err, SIM_EINVAL, "%s '%s': too many objectives (expected at most %d)",
                               flag, text, CAPSEARCH_MAX_SLO);
        }
        out[n++] = (struct capsearch_slo){.metric = m, .op = op, .bound = bound};
        if (*end == '\0') {
            break;
        }
        s = end + 1;
    }
    *n_out = n;
    return SIM_OK;
}

void capsearch_slo_format(const struct capsearch_slo *s, char *buf, size_t size)
{
    char num[32];
    config_format_number(num, sizeof num, s->bound); /* 0.2, 10, 536870912 */
    snprintf(buf, size, "%s%s%s", results_metrics[s->metric].name,
             s->op == CAPSEARCH_LE ? "<=" : ">=", num);
}

const char *capsearch_status_name(enum capsearch_status s)
{
    static const char *const names[] = {"meets", "fails", "undecided"};
    return names[s];
}

struct search {
    const struct capsearch_opts *o;
    capsearch_eval_fn *eval;
    void *ctx;
    struct capsearch_result *res;
    size_t cap;
    double *samples; /* max_reps x n_slo */
    double *col;     /* max_reps */
};

/* Decides a point from the samples so far; returns true when decided. */
static bool decide(const struct search *se, struct capsearch_point *p)
{
    const struct capsearch_opts *o = se->o;
    bool all_met = true, any_failed = false;
    for (size_t j = 0; j < o->n_slo; j++) {
        for (unsigned r = 0; r < p->n_reps; r++) {
            se->col[r] = se->samples[(size_t)r * o->n_slo + j];
        }
        struct sim_ci ci = sim_ci_compute(se->col, p->n_reps, o->confidence);
        p->ci[j] = ci;
        bool known = !isnan(ci.half);
        const struct capsearch_slo *s = &o->slo[j];
        bool good = known && (s->op == CAPSEARCH_LE ? ci.hi <= s->bound : ci.lo >= s->bound);
        bool bad = known && (s->op == CAPSEARCH_LE ? ci.lo > s->bound : ci.hi < s->bound);
        p->slo_met[j] = good;
        p->slo_failed[j] = bad;
        all_met &= good;
        any_failed |= bad;
    }
    if (any_failed) {
        p->status = CAPSEARCH_FAILS;
        return true;
    }
    if (all_met) {
        p->status = CAPSEARCH_MEETS;
        return true;
    }
    p->status = CAPSEARCH_UNDECIDED;
    return p->n_reps >= o->max_reps;
}

static int evaluate(struct search *se, size_t k, enum capsearch_status *st, struct sim_err *err)
{
    const struct capsearch_opts *o = se->o;
    struct capsearch_result *res = se->res;
    if (res->n_points == se->cap) {
        se->cap = se->cap ? 2 * se->cap : 16;
        res->points = sim_xreallocarray(res->points, se->cap, sizeof *res->points);
    }
    struct capsearch_point *p = &res->points[res->n_points];
    memset(p, 0, sizeof *p);
    p->k = k;
    p->order = res->n_points;
    for (;;) {
        unsigned lo = p->n_reps;
        unsigned hi = lo + o->batch < o->max_reps ? lo + o->batch : o->max_reps;
        int rc = se->eval(se->ctx, k, lo, hi, se->samples + (size_t)lo * o->n_slo, err);
        if (rc != SIM_OK) {
            return rc;
        }
        p->n_reps = hi;
        res->total_reps += hi - lo;
        if (decide(se, p)) {
            break;
        }
    }
    res->n_points++;
    if (p->status == CAPSEARCH_UNDECIDED) {
        res->n_undecided++;
    }
    *st = p->status;
    return SIM_OK;
}

static int cmp_k(const void *a, const void *b)
{
    const struct capsearch_point *x = a, *y = b;
    return (x->k > y->k) - (x->k < y->k);
}

int capsearch_run(const struct capsearch_opts *o, capsearch_eval_fn *eval, void *ctx,
                  struct capsearch_result *out, struct sim_err *err)
{
    SIM_REQUIRE(o->n_grid >= 1 && o->n_slo >= 1 && o->n_slo <= CAPSEARCH_MAX_SLO);
    SIM_REQUIRE(o->batch >= 2 && o->max_reps >= o->batch);
    memset(out, 0, sizeof *out);
    struct search se = {.o = o, .eval = eval, .ctx = ctx, .res = out};
    se.samples = sim_xcalloc((size_t)o->max_reps * o->n_slo, sizeof *se.samples);
    se.col = sim_xcalloc(o->max_reps, sizeof *se.col);
    /* Search position j runs from the unfavourable end (0) to the favourable
     * one (n-1); feasibility is monotone in j either way. */
    size_t last = o->n_grid - 1;
#define GRID_K(j) (o->maximize ? last - (j) : (j))
    enum capsearch_status st;
    int rc = evaluate(&se, GRID_K(last), &st, err);
    if (rc == SIM_OK && st == CAPSEARCH_MEETS) {
        size_t lo = 0, hi = last;
        if (last > 0) {
            rc = evaluate(&se, GRID_K(0), &st, err);
        }
        if (rc == SIM_OK && (last == 0 || st == CAPSEARCH_MEETS)) {
            hi = 0;
        } else {
            /* Invariant: position lo not shown to meet, position hi meets. */
            while (rc == SIM_OK && hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                rc = evaluate(&se, GRID_K(mid), &st, err);
                if (st == CAPSEARCH_MEETS) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            out->has_neighbour = true;
            out->neighbour_k = GRID_K(lo);
        }
        out->found = rc == SIM_OK;
        out->answer_k = GRID_K(hi);
    }
#undef GRID_K
    free(se.samples);
    free(se.col);
    qsort(out->points, out->n_points, sizeof *out->points, cmp_k);
    return rc;
}

const struct capsearch_point *capsearch_point_at(const struct capsearch_result *r, size_t k)
{
    for (size_t i = 0; i < r->n_points; i++) {
        if (r->points[i].k == k) {
            return &r->points[i];
        }
    }
    return NULL;
}

void capsearch_result_fini(struct capsearch_result *r)
{
    free(r->points);
    memset(r, 0, sizeof *r);
}
