/* SPDX-License-Identifier: MIT
 *
 * report.c - `proxysim report`: every selected traffic profile against every
 * selected design, written as a review report (report.md, report.html), its
 * charts (img/), and the numbers behind them (report_data.csv, metrics.csv).
 *
 * Flow: resolve names -> one experiment per (design, profile) cell, all
 * cells of a profile on the same master seed (common random numbers, so
 * design differences are paired) -> replications (proxy_replicate) ->
 * summaries (results_summarize) -> findings (models/findings.c) -> charts
 * (plots/chart.h) -> document (plots/rdoc.h).  Every figure printed carries
 * its 95% CI and n; a figure without a CI (n < 2) says so.
 *
 * report_data.csv is the contract of the golden test: one row per number
 * drawn or tabulated (chart or table, design, profile, key, x, mean, CI, n),
 * written in cell order, so a change in any chart's numbers shows as a diff.
 *
 * Durations: the profiles' own durations (up to 30 minutes simulated) do not
 * fit the one-minute budget of `make report` on two cores, so the report
 * caps them (report_caps below) unless --full-duration is given, and the
 * Method section lists what was used.  --max-duration caps further (tests).
 *
 * Nothing here calls exit(); every output goes through a temporary + rename.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "models/config.h"
#include "models/findings.h"
#include "models/guard.h"
#include "models/proxy.h"
#include "models/results.h"
#include "plots/axis.h"
#include "plots/chart.h"
#include "plots/outfile.h"
#include "plots/rdoc.h"
#include "plots/table.h"
#include "sim/check.h"
#include "sim/replicate.h"
#include "sim/stat.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PROXYSIM_VERSION
#define PROXYSIM_VERSION "unknown"
#endif

#define CMD "report"
#define MAX_SETS 64
#define MAX_NAMES 16

static const char usage_line[] =
    "[--designs a,b,...] [--profiles p,q,...] [--reps N] [--ci-target F] [--max-reps M] "
    "[--seed S] [--threads T] "
    "[--out DIR] [--format png|svg|pdf] [--set key=value]... [--full-duration] "
    "[--max-duration S] [--quiet]";

static const char *const canonical_profiles[] = {"low",   "medium",    "high",
                                                 "burst", "sustained", "sse"};
static const char *const canonical_designs[] = {"legacy-reverse", "refactored-at-review",
                                                "refactored-hardened", "bounded-target"};

/* Report-scale durations: long enough for the steady state and the burst
 * (which starts at 60 s and ends at 125 s), short enough that 24 cells of 10
 * replications finish in well under a minute on two cores. */
struct report_cap {
    const char *profile;
    double duration_s, warmup_s;
};
static const struct report_cap report_caps[] = {
    {"low", 300.0, 30.0},      {"medium", 120.0, 20.0},   {"high", 60.0, 15.0},
    {"burst", 180.0, 0.0},     {"sustained", 600.0, 60.0}, {"sse", 120.0, 20.0},
};
#define DEFAULT_CAP_S 300.0

struct cell {
    struct experiment e;
    bool loaded; /* e is to be freed with config_free_experiment */
    double own_duration_s; /* the profile's duration before the report's cap */
    bool mser5;            /* its warm-up is MSER-5's (run_cell then fixes it) */
    struct rep_result *reps;
    size_t n_reps;
    size_t n_failed;
    bool ok;
    struct exp_summary sum;
};

struct report {
    /* options */
    char *designs[MAX_NAMES], *profiles[MAX_NAMES];
    size_t nd, np;
    const char *sets[MAX_SETS];
    size_t n_sets;
    unsigned reps;     /* replications per cell to start with */
    unsigned max_reps; /* the sequential procedure stops here */
    double ci_target;  /* relative CI half-width wanted in the matrix (0: fixed reps) */
    unsigned n_of[MAX_NAMES]; /* replications run per profile (every design the same) */
    bool missed[MAX_NAMES];   /* the profile stopped with a CI wider than ci_target */
    char n_text[32];   /* "30" or "30-120": the replication counts, for captions */
    char n_list[512];  /* "low 120, medium 20, ...": the count per profile */
    uint64_t seed;
    unsigned threads;
    const char *out_dir;
    enum chart_format format;
    bool quiet, full_duration;
    double max_duration_s;
    char command[2048];

    struct cell *cells; /* [d * np + p] */
    struct outfile data;
    struct rdoc *doc;
    struct table *table;
    size_t n_charts;
    double widest_rel;
    char widest_what[160];
    struct sim_err err;
};

static struct cell *cell_at(struct report *r, size_t d, size_t p) { return &r->cells[d * r->np + p]; }

static const char *ext_of(enum chart_format f)
{
    return f == CHART_SVG ? "svg" : (f == CHART_PDF ? "pdf" : "png");
}

/* ---- formatting ---- */

/* A mean and its CI with n, for sentences: "12.3 ms (95% CI 11.9-12.8, n=10)". */
static char *fmt_ci_n(const struct sim_ci *ci, enum axis_unit unit, char *buf, size_t size)
{
    char c[128];
    axis_format_ci(ci, unit, c, sizeof c);
    /* The results are used so that GCC's truncation warning (which -O2 with
     * -g raises here) knows a clipped sentence is accepted. */
    int w = ci->n == 0 || isnan(ci->mean) || isnan(ci->half)
                ? snprintf(buf, size, "%s", c)
                : snprintf(buf, size, "%s (95%% CI, n=%zu)", c, ci->n);
    if (w < 0 || (size_t)w >= size) {
        buf[size - 1] = '\0'; /* clipped: still a string */
    }
    return buf;
}

/* The window memory_growth_bytes_per_s is fitted over for profile pf, as the
 * evidence names it: "fit 15 s-25 s, after the load's last change at 15 s". */
static char *fmt_growth_window(const struct profile *pf, char *buf, size_t size)
{
    char a[32], b[32], c[32];
    double from = profile_growth_from_s(pf), settled = profile_load_settled_s(pf);
    axis_format(from, AXIS_UNIT_S, a, sizeof a);
    axis_format(pf->duration_s, AXIS_UNIT_S, b, sizeof b);
    axis_format(settled, AXIS_UNIT_S, c, sizeof c);
    int w = settled > fmax(pf->warmup_s, 0.0)
                ? snprintf(buf, size, "fit %s-%s, after the load's last change at %s", a, b, c)
                : snprintf(buf, size, "fit %s-%s, after the warm-up; constant load", a, b);
    if (w < 0 || (size_t)w >= size) {
        buf[size - 1] = '\0';
    }
    return buf;
}

/* "s" unless n is 1: "1 design x 2 profiles". */
static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static void csv_num(FILE *f, double v)
{
    if (isnan(v)) {
        return;
    }
    /* Nine significant digits: exact enough to catch any change in the
     * model, loose enough that the last bit of a libm call does not matter. */
    fprintf(f, "%.9g", v);
}

/* One row of report_data.csv. */
static void data_row(struct report *r, const char *chart, const char *design, const char *profile,
                     const char *key, double x, const struct sim_ci *ci)
{
    FILE *f = r->data.fp;
    fprintf(f, "%s,%s,%s,%s,", chart, design, profile, key);
    csv_num(f, x);
    fputc(',', f);
    csv_num(f, ci->mean);
    fputc(',', f);
    csv_num(f, ci->lo);
    fputc(',', f);
    csv_num(f, ci->hi);
    fprintf(f, ",%zu\n", ci->n);
}

/* ---- names and experiments ---- */

static bool is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

static bool known(enum config_kind kind, const char *name)
{
    return is_path(name) || config_builtin_find(kind, name) != NULL;
}

/* Splits a comma list into r's name array; one error line on a bad list. */
static int parse_names(const char *flag, const char *text, enum config_kind kind, char **out,
                       size_t *n)
{
    *n = 0;
    const char *s = text;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 0 || *n == MAX_NAMES) {
            fprintf(stderr, "proxysim %s: %s: expected 1 to %d comma-separated names, got '%s'\n",
                    CMD, flag, MAX_NAMES, text);
            return 2;
        }
        char *name = sim_xmalloc(len + 1);
        memcpy(name, s, len);
        name[len] = '\0';
        out[(*n)++] = name;
        for (size_t i = 0; i + 1 < *n; i++) {
            if (strcmp(out[i], name) == 0) {
                /* It would only repeat the same rows and charts. */
                fprintf(stderr, "proxysim %s: %s: '%s' is named twice (expected each %s once, got "
                        "'%s')\n", CMD, flag, name, config_kind_name(kind), text);
                return 2;
            }
        }
        if (!known(kind, name)) {
            /* Whatever the loader takes (a file in the working directory by its
             * bare name too); else its message: the built-in names and a "did
             * you mean". */
            struct sim_err err;
            sim_err_clear(&err);
            int rc;
            if (kind == CONFIG_PROFILE) {
                struct profile pf;
                rc = config_load_profile(name, &pf, &err);
                config_free_profile(&pf);
            } else {
                struct design d;
                rc = config_load_design(name, &d, &err);
                config_free_design(&d);
            }
            if (rc != SIM_OK) {
                fprintf(stderr, "proxysim %s: %s: %s\n", CMD, flag, err.msg);
                return 2;
            }
        }
        s = e ? e + 1 : s + len;
    }
    if (*n == 0) {
        fprintf(stderr, "proxysim %s: %s: expected at least one name, got ''\n", CMD, flag);
        return 2;
    }
    return 0;
}

static void default_names(struct report *r)
{
    if (r->np == 0) {
        for (size_t i = 0; i < sizeof canonical_profiles / sizeof *canonical_profiles; i++) {
            r->profiles[r->np++] = sim_xstrdup(canonical_profiles[i]);
        }
    }
    if (r->nd == 0) {
        /* The shipped designs in the order of the refactor's history, so the paired
         * differences are against the legacy baseline; then any other built-in. */
        for (size_t i = 0; i < sizeof canonical_designs / sizeof *canonical_designs; i++) {
            if (config_builtin_find(CONFIG_DESIGN, canonical_designs[i])) {
                r->designs[r->nd++] = sim_xstrdup(canonical_designs[i]);
            }
        }
        for (size_t i = 0; i < config_builtin_count() && r->nd < MAX_NAMES; i++) {
            const struct config_builtin *b = config_builtin_at(i);
            bool listed = false;
            for (size_t k = 0; k < r->nd; k++) {
                listed |= strcmp(r->designs[k], b->name) == 0;
            }
            if (b->kind == CONFIG_DESIGN && !listed) {
                r->designs[r->nd++] = sim_xstrdup(b->name);
            }
        }
    }
}

/* A cell's experiment: the built-in configs or YAML files, with every --set. */
static int load_cell(struct report *r, const char *design, const char *profile, struct cell *c)
{
    struct config_overrides ov = {.sets = r->sets, .n_sets = r->n_sets};
    sim_err_clear(&r->err);
    if (config_build_experiment(profile, design, &ov, &c->e, &r->err) != SIM_OK) {
        return 2;
    }
    c->loaded = true;
    c->e.run.reps = r->reps;
    c->e.run.seed = r->seed;
    struct profile *p = &c->e.profile;
    c->own_duration_s = p->duration_s;
    c->mser5 = p->warmup_mser5;
    if (!r->full_duration) {
        double cap = DEFAULT_CAP_S, warm = fmin(p->warmup_s, 0.2 * DEFAULT_CAP_S);
        for (size_t i = 0; i < sizeof report_caps / sizeof *report_caps; i++) {
            if (strcmp(report_caps[i].profile, p->name) == 0) {
                cap = report_caps[i].duration_s;
                warm = fmin(p->warmup_s, report_caps[i].warmup_s);
            }
        }
        if (p->duration_s > cap) {
            p->duration_s = cap;
            p->warmup_s = warm;
        }
    }
    if (r->max_duration_s > 0.0 && p->duration_s > r->max_duration_s) {
        p->warmup_s = fmin(p->warmup_s, 0.2 * r->max_duration_s);
        p->duration_s = r->max_duration_s;
    }
    /* Between 30 and 200 windows: enough points for a curve, few enough for
     * a readable chart and a small golden file. */
    if (p->duration_s / p->sample_dt_s > 200.0) {
        p->sample_dt_s = p->duration_s / 200.0;
    } else if (p->duration_s / p->sample_dt_s < 30.0) {
        p->sample_dt_s = p->duration_s / 60.0;
    }
    return 0;
}

/* ---- running ---- */

/* Runs replications first..n-1 of a cell (first > 0 extends it); false if any failed. */
static bool run_cell(struct report *r, struct cell *c, size_t d, size_t p, size_t n,
                     struct proxy_run_opts *opts)
{
    size_t first = c->n_reps;
    c->reps = sim_xreallocarray(c->reps, n, sizeof *c->reps);
    struct sim_err *errs = sim_xcalloc(n, sizeof *errs);
    c->e.run.reps = (unsigned)n;
    opts->first_rep = first;
    opts->warmup_s_out = &c->e.profile.warmup_s; /* MSER-5's, when the profile asks: Method */
    size_t failed = proxy_replicate(&c->e, opts, c->reps, errs);
    /* warmup_s now holds what MSER-5's pilot found: later batches reuse it, not rerun it. */
    c->e.profile.warmup_mser5 = false;
    c->n_reps = n;
    for (size_t i = first; i < n && failed > 0; i++) {
        if (errs[i].code != SIM_OK) {
            fprintf(stderr, "\nproxysim %s: %s x %s: replication %zu failed: %s\n", CMD,
                    r->designs[d], r->profiles[p], i, errs[i].msg);
            break;
        }
    }
    free(errs);
    c->n_failed += failed;
    /* A cell with failed replications is summarised over none: a partial sample would
     * break the pairing with the other designs. */
    c->ok = c->n_failed == 0;
    if (first > 0) {
        results_summary_fini(&c->sum);
    }
    results_summarize(c->reps, c->ok ? c->n_reps : 0, 0.95, &c->sum);
    return c->ok;
}

/* The widest relative CI half-width among profile p's matrix figures that are not near
 * zero (the figure the CI target is about). */
static double profile_widest_rel(const struct report *r, size_t p)
{
    double widest = 0.0;
    for (size_t d = 0; d < r->nd; d++) {
        const struct cell *c = &r->cells[d * r->np + p];
        if (!c->ok) {
            continue;
        }
        for (int k = 0; k < FC_N; k++) {
            struct sim_ci ci = findings_col_value(&c->e.design, &c->sum, (enum findings_col)k);
            double a = fabs(ci.mean);
            if (ci.n > 1 && isfinite(ci.half) && a >= findings_cols[k].near_zero && a > 0.0) {
                widest = fmax(widest, ci.half / a);
            }
        }
    }
    return widest;
}

enum { REPORT_ROUNDS = 4 }; /* batches per profile in the sequential procedure */

/* Sequential procedure (Law, "Simulation Modeling and Analysis", 9.4.1): after a first
 * batch, the half-width shrinks like 1/sqrt(n), so n (w / target)^2 replications are about
 * enough; a few rounds correct the estimate.  Every design of a profile runs the same
 * replication count, so the comparisons stay paired. */
static int run_cells(struct report *r)
{
    struct progress pg;
    progress_init(&pg, CMD, "reps", r->quiet);
    size_t n_cells = r->nd * r->np;
    struct proxy_run_opts opts = {
        .threads = r->threads ? r->threads : sim_cpu_count(),
        .progress = progress_update,
        .progress_ctx = &pg,
    };
    size_t failed_cells = 0;
    unsigned n_lo = UINT_MAX, n_hi = 0;
    for (size_t p = 0; p < r->np; p++) {
        size_t n = r->reps;
        bool ok = true;
        for (int round = 1;; round++) {
            for (size_t d = 0; d < r->nd; d++) {
                struct cell *c = cell_at(r, d, p);
                progress_set_outer(&pg, p * r->nd + d, n_cells, "cells");
                if (c->n_failed == 0 && c->n_reps < n) {
                    ok &= run_cell(r, c, d, p, n, &opts);
                }
            }
            double w = profile_widest_rel(r, p);
            r->missed[p] = r->ci_target > 0.0 && w > r->ci_target;
            if (!ok || !r->missed[p] || n >= r->max_reps || round == REPORT_ROUNDS) {
                break; /* n is what every cell of the profile ran */
            }
            double want = ceil((double)n * (w / r->ci_target) * (w / r->ci_target) * 1.1);
            n = (size_t)fmin(fmax(want, (double)n + 2.0), (double)r->max_reps);
        }
        r->n_of[p] = (unsigned)n;
        size_t len = strlen(r->n_list);
        snprintf(r->n_list + len, sizeof r->n_list - len, "%s%s %zu", p ? ", " : "",
                 r->profiles[p], n);
        n_lo = n < n_lo ? (unsigned)n : n_lo;
        n_hi = n > n_hi ? (unsigned)n : n_hi;
    }
    for (size_t i = 0; i < n_cells; i++) {
        failed_cells += !r->cells[i].ok;
    }
    progress_finish(&pg);
    if (n_lo == n_hi) {
        snprintf(r->n_text, sizeof r->n_text, "%u", n_lo);
    } else {
        snprintf(r->n_text, sizeof r->n_text, "%u-%u", n_lo, n_hi);
    }
    return failed_cells ? 1 : 0;
}

/* ---- charts ---- */

static void img_rel(const struct report *r, char *rel, size_t rel_size, const char *stem)
{
    snprintf(rel, rel_size, "img/%s.%s", stem, ext_of(r->format));
}

static void img_path(const struct report *r, char *rel, size_t rel_size, char *full,
                     size_t full_size, const char *stem)
{
    img_rel(r, rel, rel_size, stem);
    snprintf(full, full_size, "%s/%s", r->out_dir, rel);
}

static int chart_done(struct report *r, int rc, const char *rel, const char *caption)
{
    /* sim_err keeps the first error: clear it so the next chart's is its own. */
    struct sim_err e = r->err;
    sim_err_clear(&r->err);
    if (rc != SIM_OK) {
        fprintf(stderr, "proxysim %s: chart %s: %s\n", CMD, rel, e.msg);
        return rc;
    }
    r->n_charts++;
    rdoc_image(r->doc, rel, caption);
    return SIM_OK;
}

/* Scheduled events of a profile: rate or population steps up by more than
 * 2x ("burst start") and back down, an upstream stall or restart. */
static size_t profile_markers(const struct profile *p, struct plot_marker *m, size_t cap)
{
    size_t n = 0;
    const struct schedule *sch = p->arrivals == ARRIVALS_CLOSED ? &p->clients : &p->rate_per_s;
    for (size_t i = 1; i < sch->n && n < cap; i++) {
        double a = sch->pts[i - 1].value, b = sch->pts[i].value;
        if (sch->pts[i].at_s >= p->duration_s) {
            break;
        }
        /* A start from zero is the population ramping up, not a burst. */
        if (a > 0.0 && b > 2.0 * a) {
            m[n++] = (struct plot_marker){sch->pts[i].at_s, "burst start"};
        } else if (a > 2.0 * b) {
            m[n++] = (struct plot_marker){sch->pts[i].at_s, "burst end"};
        }
    }
    if (n < cap && isfinite(p->faults.stall_at_s) && p->faults.stall_at_s < p->duration_s) {
        m[n++] = (struct plot_marker){p->faults.stall_at_s, "upstream stall"};
    }
    if (n < cap && isfinite(p->faults.restart_at_s) && p->faults.restart_at_s < p->duration_s) {
        m[n++] = (struct plot_marker){p->faults.restart_at_s, "upstream restart"};
    }
    return n;
}

static void subtitle(const struct report *r, size_t pi, char *buf, size_t size)
{
    const struct profile *p = &r->cells[pi].e.profile; /* design 0's cell of profile pi */
    char dur[32];
    axis_format(p->duration_s, AXIS_UNIT_S, dur, sizeof dur);
    snprintf(buf, size,
             "profile %s, %u replications per design, %s simulated each, seed %" PRIu64
             "; lines: mean, bands: 95%% CI",
             p->name, r->n_of[pi], dur, r->seed);
}

/* One series (RS_*) of every design of profile p, with CI bands. */
static int chart_series(struct report *r, size_t p, int k, const char *stem_kind,
                        const char *title_fmt)
{
    const struct profile *pf = &cell_at(r, 0, p)->e.profile;
    size_t n_steps = 0;
    for (size_t d = 0; d < r->nd; d++) {
        if (cell_at(r, d, p)->ok) {
            n_steps = cell_at(r, d, p)->sum.n_steps;
        }
    }
    if (n_steps == 0) {
        return SIM_OK;
    }
    double *x = sim_xcalloc(n_steps, sizeof *x);
    double *buf = sim_xcalloc(3 * n_steps * r->nd, sizeof *buf);
    struct plot_series *ser = sim_xcalloc(r->nd, sizeof *ser);
    size_t ns = 0;
    char key[64];
    for (size_t d = 0; d < r->nd; d++) {
        struct cell *c = cell_at(r, d, p);
        if (!c->ok || c->sum.n_steps != n_steps) {
            continue;
        }
        double *y = buf + 3 * n_steps * ns, *lo = y + n_steps, *hi = lo + n_steps;
        for (size_t i = 0; i < n_steps; i++) {
            const struct sim_ci *ci = &c->sum.series[(size_t)k * n_steps + i];
            x[i] = c->sum.t0_s + c->sum.dt_s * ((double)i + 0.5);
            y[i] = ci->mean;
            lo[i] = isnan(ci->half) ? ci->mean : ci->lo;
            hi[i] = isnan(ci->half) ? ci->mean : ci->hi;
            snprintf(key, sizeof key, "%s", results_series[k].name);
            data_row(r, stem_kind, r->designs[d], r->profiles[p], key, x[i], ci);
        }
        ser[ns++] = (struct plot_series){r->designs[d], x, y, lo, hi, n_steps};
    }
    char title[160], sub[256], rel[256], full[1024], stem[128], cap[320];
    snprintf(title, sizeof title, title_fmt, r->profiles[p]);
    subtitle(r, p, sub, sizeof sub);
    snprintf(stem, sizeof stem, "%s_%s", stem_kind, r->profiles[p]);
    img_path(r, rel, sizeof rel, full, sizeof full, stem);
    struct plot_marker mk[8];
    size_t n_mk = profile_markers(pf, mk, 8);
    struct chart_opts o = {.format = r->format,
                           .title = title,
                           .subtitle = sub,
                           .x_label = "simulated time",
                           .y_label = results_series[k].name,
                           .x_unit = AXIS_UNIT_S,
                           .y_unit = axis_unit_of(results_series[k].unit),
                           .legend_title = "design"};
    int rc = ns ? chart_timeseries(&o, ser, ns, mk, n_mk, full, &r->err) : SIM_OK;
    snprintf(cap, sizeof cap, "%s (mean and 95%% CI band, n=%u per design)", title, r->n_of[p]);
    if (ns) {
        rc = chart_done(r, rc, rel, cap);
    }
    free(x);
    free(buf);
    free(ser);
    return rc;
}

static const double latency_q[] = {0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999};
#define N_LAT_Q (sizeof latency_q / sizeof latency_q[0])

/* A quantile of each replication's histogram, then the CI across them. */
static struct sim_ci rep_quantile_ci(const struct cell *c, double q)
{
    double *v = sim_xcalloc(c->n_reps, sizeof *v);
    for (size_t i = 0; i < c->n_reps; i++) {
        v[i] = c->reps[i].latency.n ? sim_loghist_quantile(&c->reps[i].latency, q) : NAN;
    }
    struct sim_ci ci = sim_ci_compute(v, c->n_reps, 0.95);
    free(v);
    return ci;
}

static int chart_latency_curves(struct report *r, size_t p)
{
    struct plot_series ser[MAX_NAMES];
    double x[MAX_NAMES][N_LAT_Q], y[MAX_NAMES][N_LAT_Q], lo[MAX_NAMES][N_LAT_Q],
        hi[MAX_NAMES][N_LAT_Q];
    size_t ns = 0;
    char key[32];
    for (size_t d = 0; d < r->nd; d++) {
        const struct cell *c = cell_at(r, d, p);
        if (!c->ok || c->sum.latency.n == 0) {
            continue;
        }
        bool positive = true;
        for (size_t i = 0; i < N_LAT_Q; i++) {
            struct sim_ci ci = rep_quantile_ci(c, latency_q[i]);
            x[ns][i] = latency_q[i];
            y[ns][i] = ci.mean;
            lo[ns][i] = isnan(ci.half) ? ci.mean : fmax(ci.lo, 0.5 * ci.mean);
            hi[ns][i] = isnan(ci.half) ? ci.mean : ci.hi;
            positive = positive && ci.mean > 0.0;
            snprintf(key, sizeof key, "latency_q%g", latency_q[i]);
            data_row(r, "latency", r->designs[d], r->profiles[p], key, latency_q[i], &ci);
        }
        if (positive) {
            ser[ns] = (struct plot_series){r->designs[d], x[ns], y[ns], lo[ns], hi[ns], N_LAT_Q};
            ns++;
        }
    }
    if (ns == 0) {
        return SIM_OK;
    }
    char title[160], sub[256], rel[256], full[1024], stem[128], cap[320];
    snprintf(title, sizeof title, "Request latency percentiles, profile %s", r->profiles[p]);
    subtitle(r, p, sub, sizeof sub);
    snprintf(stem, sizeof stem, "latency_%s", r->profiles[p]);
    img_path(r, rel, sizeof rel, full, sizeof full, stem);
    struct chart_opts o = {.format = r->format,
                           .title = title,
                           .subtitle = sub,
                           .x_label = "percentile",
                           .y_label = "latency",
                           .legend_title = "design"};
    int rc = chart_latency(&o, CHART_PERCENTILES, ser, ns, full, &r->err);
    snprintf(cap, sizeof cap,
             "%s: p50 to p99.9 per design, each the mean of the replications' percentiles with "
             "its 95%% CI (n=%u)",
             title, r->n_of[p]);
    return chart_done(r, rc, rel, cap);
}

static const struct {
    int series;
    const char *label;
} mem_layers[] = {
    {RS_MEM_TASKS, "tasks"},       {RS_MEM_CLIENT_CONNS, "client conns"},
    {RS_MEM_UPSTREAM_CONNS, "upstream conns"}, {RS_MEM_SESSIONS, "sessions"},
    {RS_MEM_BUFFERS, "buffers"},   {RS_MEM_QUEUED, "queued"},
    {RS_MEM_STREAMS, "SSE streams"},
};
#define N_MEM_LAYERS (sizeof mem_layers / sizeof mem_layers[0])

static int chart_memory_stacked(struct report *r, size_t d, size_t p)
{
    const struct cell *c = cell_at(r, d, p);
    if (!c->ok || c->sum.n_steps == 0) {
        return SIM_OK;
    }
    size_t n = c->sum.n_steps;
    double *t = sim_xcalloc(n * (N_MEM_LAYERS + 1), sizeof *t);
    struct plot_layer layers[N_MEM_LAYERS];
    for (size_t i = 0; i < n; i++) {
        t[i] = c->sum.t0_s + c->sum.dt_s * ((double)i + 0.5);
    }
    for (size_t l = 0; l < N_MEM_LAYERS; l++) {
        double *y = t + n * (l + 1);
        for (size_t i = 0; i < n; i++) {
            const struct sim_ci *ci = &c->sum.series[(size_t)mem_layers[l].series * n + i];
            y[i] = ci->mean;
            data_row(r, "memory_stacked", r->designs[d], r->profiles[p],
                     results_series[mem_layers[l].series].name, t[i], ci);
        }
        layers[l] = (struct plot_layer){mem_layers[l].label, y};
    }
    char title[160], sub[256], rel[256], full[1024], stem[160], cap[320];
    snprintf(title, sizeof title, "Memory by component: %s under %s", r->designs[d],
             r->profiles[p]);
    snprintf(sub, sizeof sub, "profile %s, mean of %u replications per time window, seed %" PRIu64,
             r->profiles[p], r->n_of[p], r->seed);
    snprintf(stem, sizeof stem, "memstack_%s_%s", r->profiles[p], r->designs[d]);
    img_path(r, rel, sizeof rel, full, sizeof full, stem);
    struct plot_marker mk[8];
    size_t n_mk = profile_markers(&c->e.profile, mk, 8);
    struct chart_opts o = {.format = r->format,
                           .width = 1200,
                           .height = 640,
                           .title = title,
                           .subtitle = sub,
                           .x_label = "simulated time",
                           .y_label = "memory above the base",
                           .x_unit = AXIS_UNIT_S,
                           .y_unit = AXIS_UNIT_BYTES,
                           .legend_title = "component"};
    int rc = chart_stacked(&o, t, n, layers, N_MEM_LAYERS, mk, n_mk, full, &r->err);
    snprintf(cap, sizeof cap, "%s (means of n=%u replications; the base %s is not drawn)", title,
             r->n_of[p], "process footprint");
    rc = chart_done(r, rc, rel, cap);
    free(t);
    return rc;
}

/* Bars of one metric: groups = profiles, series = designs. */
static int chart_metric_bars(struct report *r, int m, const char *stem, const char *title,
                             const char *chart_key)
{
    size_t n = r->np * r->nd;
    double *mean = sim_xcalloc(3 * n, sizeof *mean), *lo = mean + n, *hi = lo + n;
    for (size_t p = 0; p < r->np; p++) {
        for (size_t d = 0; d < r->nd; d++) {
            const struct sim_ci *ci = &cell_at(r, d, p)->sum.metric[m];
            size_t i = p * r->nd + d;
            mean[i] = ci->mean;
            lo[i] = isnan(ci->half) ? ci->mean : ci->lo;
            hi[i] = isnan(ci->half) ? ci->mean : ci->hi;
            data_row(r, chart_key, r->designs[d], r->profiles[p], results_metrics[m].name, NAN, ci);
        }
    }
    struct plot_bars b = {r->np, r->nd, (const char *const *)r->profiles,
                          (const char *const *)r->designs, mean, lo, hi};
    char sub[256], rel[256], full[1024], cap[320];
    snprintf(sub, sizeof sub, "%s replications per bar, seed %" PRIu64 "; whiskers: 95%% CI",
             r->n_text, r->seed);
    img_path(r, rel, sizeof rel, full, sizeof full, stem);
    struct chart_opts o = {.format = r->format,
                           .title = title,
                           .subtitle = sub,
                           .x_label = "profile",
                           .y_label = results_metrics[m].name,
                           .y_unit = axis_unit_of(results_metrics[m].unit),
                           .legend_title = "design"};
    int rc = chart_bars(&o, &b, full, &r->err);
    snprintf(cap, sizeof cap, "%s (bars: means, whiskers: 95%% CI, n=%s)", title, r->n_text);
    rc = chart_done(r, rc, rel, cap);
    free(mean);
    return rc;
}

/* Paired difference design - first design of metric m, per profile (CRN). */
static struct sim_ci paired(const struct cell *a, const struct cell *b, int m)
{
    if (!a->ok || !b->ok) {
        return (struct sim_ci){NAN, NAN, NAN, NAN, 0};
    }
    size_t n = a->n_reps < b->n_reps ? a->n_reps : b->n_reps;
    double *x = sim_xcalloc(2 * n, sizeof *x), *y = x + n;
    for (size_t i = 0; i < n; i++) {
        x[i] = a->reps[i].metric[m];
        y[i] = b->reps[i].metric[m];
    }
    struct sim_ci ci = sim_ci_paired(x, y, n, 0.95);
    free(x);
    return ci;
}

static int chart_memory_diff(struct report *r)
{
    if (r->nd < 2) {
        return SIM_OK;
    }
    size_t ns = r->nd - 1, n = r->np * ns;
    double *mean = sim_xcalloc(3 * n, sizeof *mean), *lo = mean + n, *hi = lo + n;
    const char **labels = sim_xcalloc(ns, sizeof *labels);
    for (size_t d = 1; d < r->nd; d++) {
        labels[d - 1] = r->designs[d];
    }
    for (size_t p = 0; p < r->np; p++) {
        for (size_t d = 1; d < r->nd; d++) {
            struct sim_ci ci = paired(cell_at(r, 0, p), cell_at(r, d, p), RM_MEMORY_BYTES_PEAK);
            size_t i = p * ns + d - 1;
            mean[i] = ci.mean;
            lo[i] = isnan(ci.half) ? ci.mean : ci.lo;
            hi[i] = isnan(ci.half) ? ci.mean : ci.hi;
            data_row(r, "memory_diff", r->designs[d], r->profiles[p], "memory_bytes_peak_minus_base",
                     NAN, &ci);
        }
    }
    struct plot_bars b = {r->np, ns, (const char *const *)r->profiles, labels, mean, lo, hi};
    char title[200], sub[256], rel[256], full[1024], cap[400];
    snprintf(title, sizeof title, "Peak memory: each design minus %s (paired)", r->designs[0]);
    snprintf(sub, sizeof sub,
             "same seed per profile (common random numbers), %s paired replications; whiskers: "
             "95%% CI of the difference",
             r->n_text);
    img_path(r, rel, sizeof rel, full, sizeof full, "memory_diff");
    struct chart_opts o = {.format = r->format,
                           .title = title,
                           .subtitle = sub,
                           .x_label = "profile",
                           .y_label = "peak memory difference",
                           .y_unit = AXIS_UNIT_BYTES,
                           .legend_title = "design"};
    int rc = chart_bars(&o, &b, full, &r->err);
    snprintf(cap, sizeof cap, "%s: below zero is a saving; whiskers are paired 95%% CIs (n=%s)",
             title, r->n_text);
    rc = chart_done(r, rc, rel, cap);
    free(mean);
    free(labels);
    return rc;
}

static const int multiples[] = {RM_TASKS_LIVE_PEAK, RM_MEMORY_BYTES_PEAK, RM_UPSTREAM_CONNS_PEAK,
                                RM_LATENCY_P99_S,   RM_ERROR_RATE,        RM_CPU_UTILIZATION};
#define N_MULTIPLES (sizeof multiples / sizeof multiples[0])

static int chart_multiples(struct report *r)
{
    size_t n = r->np * r->nd;
    struct plot_panel panels[N_MULTIPLES];
    double *vals = sim_xcalloc(3 * n * N_MULTIPLES, sizeof *vals);
    for (size_t k = 0; k < N_MULTIPLES; k++) {
        double *mean = vals + 3 * n * k, *lo = mean + n, *hi = lo + n;
        for (size_t p = 0; p < r->np; p++) {
            for (size_t d = 0; d < r->nd; d++) {
                const struct sim_ci *ci = &cell_at(r, d, p)->sum.metric[multiples[k]];
                size_t i = p * r->nd + d;
                mean[i] = ci->mean;
                lo[i] = isnan(ci->half) ? ci->mean : ci->lo;
                hi[i] = isnan(ci->half) ? ci->mean : ci->hi;
            }
        }
        panels[k] = (struct plot_panel){
            results_metrics[multiples[k]].name, axis_unit_of(results_metrics[multiples[k]].unit),
            {r->np, r->nd, (const char *const *)r->profiles, (const char *const *)r->designs,
             mean, lo, hi}};
    }
    char sub[256], rel[256], full[1024], cap[320];
    snprintf(sub, sizeof sub, "%s replications per bar, seed %" PRIu64 "; whiskers: 95%% CI",
             r->n_text, r->seed);
    img_path(r, rel, sizeof rel, full, sizeof full, "multiples");
    struct chart_opts o = {.format = r->format,
                           .height = 1000,
                           .title = "Key figures across the profiles",
                           .subtitle = sub,
                           .legend_title = "design"};
    int rc = chart_small_multiples(&o, panels, N_MULTIPLES, 3, full, &r->err);
    snprintf(cap, sizeof cap,
             "Small multiples: one panel per figure, profiles along x, one bar per design "
             "(95%% CI whiskers, n=%s)",
             r->n_text);
    rc = chart_done(r, rc, rel, cap);
    free(vals);
    return rc;
}

/* ---- the matrix ---- */

static void matrix_section(struct report *r)
{
    size_t n_rows = r->np * r->nd, n_cols = FC_N;
    char **cells = sim_xcalloc(n_rows * n_cols, sizeof *cells);
    char **row_labels = sim_xcalloc(n_rows, sizeof *row_labels);
    double *level = sim_xcalloc(n_rows * n_cols, sizeof *level);
    const char *header[FC_N + 1];
    header[0] = "profile / design";
    for (int c = 0; c < FC_N; c++) {
        header[c + 1] = findings_cols[c].title;
    }
    char **md = sim_xcalloc(n_rows * (n_cols + 1), sizeof *md);
    for (size_t p = 0; p < r->np; p++) {
        for (size_t d = 0; d < r->nd; d++) {
            size_t row = p * r->nd + d;
            const struct cell *ce = cell_at(r, d, p);
            char lab[160];
            snprintf(lab, sizeof lab, "%s / %s", r->profiles[p], r->designs[d]);
            row_labels[row] = sim_xstrdup(lab);
            md[row * (n_cols + 1)] = sim_xstrdup(lab);
            for (int c = 0; c < FC_N; c++) {
                struct sim_ci ci = findings_col_value(&ce->e.design, &ce->sum, (enum findings_col)c);
                enum axis_unit u = (enum axis_unit)findings_cols[c].unit;
                char m[48], lo[32], hi[32], txt[160];
                if (ci.n == 0 || isnan(ci.mean)) {
                    snprintf(txt, sizeof txt, "n/a");
                } else if (isnan(ci.half)) {
                    snprintf(txt, sizeof txt, "%s\n(no CI)", axis_format(ci.mean, u, m, sizeof m));
                } else {
                    double ref = fmax(fabs(ci.lo), fabs(ci.hi));
                    axis_format_as(ci.mean, ref, u, true, m, sizeof m);
                    axis_format_as(ci.lo, ref, u, false, lo, sizeof lo);
                    axis_format_as(ci.hi, ref, u, false, hi, sizeof hi);
                    snprintf(txt, sizeof txt, "%s\n[%s, %s]", m, lo, hi);
                    double a = fabs(ci.mean);
                    if (a >= findings_cols[c].near_zero && a > 0.0) {
                        double rel = ci.half / a;
                        if (rel > r->widest_rel) {
                            r->widest_rel = rel;
                            snprintf(r->widest_what, sizeof r->widest_what, "%s, %s / %s",
                                     findings_cols[c].title, r->profiles[p], r->designs[d]);
                        }
                    }
                }
                cells[row * n_cols + (size_t)c] = sim_xstrdup(txt);
                md[row * (n_cols + 1) + (size_t)c + 1] = sim_xstrdup(txt);
                level[row * n_cols + (size_t)c] =
                    ce->ok ? findings_closeness(&ce->e.design, &ce->sum, (enum findings_col)c) : NAN;
                data_row(r, "matrix", r->designs[d], r->profiles[p], findings_cols[c].title, NAN,
                         &ci);
            }
        }
    }
    rdoc_table(r->doc, n_cols + 1, header, n_rows, (const char *const *)md);
    char rel[256], full[1024], sub[256], cap[512];
    snprintf(sub, sizeof sub,
             "mean [95%% CI], n=%s per cell; colour: how close the figure is to its limit "
             "(light: far, dark: at it; grey: no limit)",
             r->n_text);
    img_path(r, rel, sizeof rel, full, sizeof full, "matrix");
    struct plot_matrix pm = {n_rows, n_cols, "profile / design", (const char *const *)row_labels,
                             header + 1, (const char *const *)cells, level};
    int height = (int)(140 + 46 * n_rows);
    struct chart_opts o = {.format = r->format,
                           .width = 1800,
                           .height = height < 600 ? 600 : height,
                           .title = "Resource utilization matrix",
                           .subtitle = sub};
    int rc = chart_matrix(&o, &pm, full, &r->err);
    snprintf(cap, sizeof cap,
             "The matrix as a coloured table; limits: the design's own bound where it has one, "
             "else the review's (3,000 tasks, 1,000 connections, 512 MiB), 28,232 ephemeral "
             "ports for every upstream socket, upstream.max_conns for the shared pool's own "
             "connections only, p99 %.0f ms SLO, %.0f%% error budget",
             FINDINGS_LATENCY_SLO_S * 1e3, FINDINGS_ERROR_BUDGET * 100);
    chart_done(r, rc, rel, cap);
    for (size_t i = 0; i < n_rows * n_cols; i++) {
        free(cells[i]);
    }
    for (size_t i = 0; i < n_rows * (n_cols + 1); i++) {
        free(md[i]);
    }
    for (size_t i = 0; i < n_rows; i++) {
        free(row_labels[i]);
    }
    free(cells);
    free(md);
    free(row_labels);
    free(level);
}

/* ---- sections ---- */

static const struct exp_summary *const *design_sums(struct report *r, size_t d,
                                                     const struct exp_summary **s,
                                                     const struct profile **pr)
{
    for (size_t p = 0; p < r->np; p++) {
        const struct cell *c = cell_at(r, d, p);
        s[p] = c->ok ? &c->sum : NULL;
        pr[p] = &c->e.profile;
    }
    return s;
}

static void summary_section(struct report *r)
{
    rdoc_heading(r->doc, 1, "1. Summary");
    rdoc_para(r->doc,
              "Each design's worst profile and its binding limit: the matrix figure that comes "
              "closest to its limit (section 2 lists the limits). Figures are means with 95%% CIs "
              "over %s replications.",
              r->n_text);
    for (size_t d = 0; d < r->nd; d++) {
        const struct exp_summary *s[MAX_NAMES];
        const struct profile *pr[MAX_NAMES];
        design_sums(r, d, s, pr);
        const struct design *ds = &cell_at(r, d, 0)->e.design;
        struct findings_binding b = findings_binding(ds, pr, s, r->np);
        if (b.profile == SIZE_MAX) {
            rdoc_bullet(r->doc, "**%s**: no profile produced a usable result.", r->designs[d]);
            continue;
        }
        struct sim_ci ci = findings_col_value(ds, s[b.profile], b.col);
        struct findings_limit lim = findings_col_limit(ds, b.col);
        enum axis_unit u = (enum axis_unit)findings_cols[b.col].unit;
        char v[160], l[48];
        fmt_ci_n(&ci, u, v, sizeof v);
        axis_format(lim.value, u, l, sizeof l);
        const char *verb = b.share >= 1.0 ? "reaches or exceeds" : "is the closest to";
        rdoc_bullet(r->doc,
                    "**%s** is worst under `%s`: %s is %s, which %s its limit of %s (%s), at "
                    "%.0f%% of it.",
                    r->designs[d], r->profiles[b.profile], findings_cols[b.col].title, v, verb,
                    l, lim.what, 100.0 * b.share);
    }
    size_t failed = 0;
    for (size_t i = 0; i < r->nd * r->np; i++) {
        failed += !r->cells[i].ok;
    }
    if (failed) {
        rdoc_para(r->doc, "**%zu cells had failed replications and are shown as n/a.**", failed);
    }
    for (size_t i = 0; i < r->nd * r->np; i++) {
        if (r->cells[i].ok && r->cells[i].sum.n_stopped) {
            rdoc_para(r->doc,
                      "The divergence guard stopped %zu of %zu replications of %s: %s. Figures "
                      "of that cell cover the run up to the stop.",
                      r->cells[i].sum.n_stopped, r->cells[i].n_reps, r->cells[i].e.name,
                      r->cells[i].sum.finding);
        }
    }
}

/* Memory per client connection and per live session, per replication:
 * (peak - base) / peak count, then a CI across replications. */
static struct sim_ci per_unit(const struct cell *c, int count_metric)
{
    double *v = sim_xcalloc(c->n_reps, sizeof *v);
    for (size_t i = 0; i < c->n_reps; i++) {
        double k = c->reps[i].metric[count_metric];
        v[i] = k >= 1.0 ? (c->reps[i].metric[RM_MEMORY_BYTES_PEAK] - c->e.design.memory.base_bytes) / k
                        : NAN;
    }
    struct sim_ci ci = sim_ci_compute(v, c->n_reps, 0.95);
    free(v);
    return ci;
}

static void memory_section(struct report *r)
{
    rdoc_heading(r->doc, 1, "3. Memory impact assessment");
    rdoc_para(r->doc,
              "Memory is the model's accounting by component (tasks, client and upstream "
              "connections, sessions, buffers, queued bytes, SSE streams) above a fixed process "
              "base. Time series show the mean over %s replications with a 95%% CI band.",
              r->n_text);
    rdoc_heading(r->doc, 2, "Memory over time per profile");
    for (size_t p = 0; p < r->np; p++) {
        chart_series(r, p, RS_MEMORY, "memory", "Memory, profile %s");
    }
    rdoc_heading(r->doc, 2, "Memory by component (stacked)");
    for (size_t p = 0; p < r->np; p++) {
        rdoc_row_begin(r->doc);
        for (size_t d = 0; d < r->nd; d++) {
            chart_memory_stacked(r, d, p);
        }
        rdoc_row_end(r->doc);
    }
    if (r->nd >= 2) {
        rdoc_heading(r->doc, 2, "Paired differences against %s", r->designs[0]);
        rdoc_para(r->doc,
                  "Every design ran on the same master seed per profile, and every random "
                  "purpose has its own stream, so replication i of two designs saw the same "
                  "traffic: the differences below are paired (t-based CI of the per-replication "
                  "differences), much narrower than the difference of two independent CIs.");
        const char *hdr[MAX_NAMES + 1];
        hdr[0] = "profile";
        for (size_t d = 1; d < r->nd; d++) {
            hdr[d] = r->designs[d];
        }
        char **cells = sim_xcalloc(r->np * r->nd, sizeof *cells);
        for (size_t p = 0; p < r->np; p++) {
            cells[p * r->nd] = sim_xstrdup(r->profiles[p]);
            for (size_t d = 1; d < r->nd; d++) {
                struct sim_ci ci = paired(cell_at(r, 0, p), cell_at(r, d, p), RM_MEMORY_BYTES_PEAK);
                char v[128];
                axis_format_ci(&ci, AXIS_UNIT_BYTES, v, sizeof v);
                char txt[192];
                snprintf(txt, sizeof txt, "%s%s", v,
                         sim_ci_excludes(&ci, 0.0) ? "" : " (not significant)");
                cells[p * r->nd + d] = sim_xstrdup(txt);
            }
        }
        rdoc_para(r->doc, "Peak memory, design minus %s, mean [95%% CI], n=%s pairs:",
                  r->designs[0], r->n_text);
        rdoc_table(r->doc, r->nd, hdr, r->np, (const char *const *)cells);
        for (size_t i = 0; i < r->np * r->nd; i++) {
            free(cells[i]);
        }
        free(cells);
        chart_memory_diff(r);
    }
    /* Growth over the long profiles, per connection and per session. */
    rdoc_heading(r->doc, 2, "Growth rate, memory per connection and per session");
    rdoc_para(r->doc,
              "Growth: least-squares slope of memory from the later of the warm-up and the "
              "last change of the offered load (the end of the client ramp: growth that "
              "follows more clients is load, not a leak) to the end of the run, a leak shows as "
              "a CI above zero; n/a when fewer than three series windows remain (section 7 "
              "lists each profile's fit window) and for a transient profile, which has no "
              "steady state. SSE memory growth: the same fit over SSE state alone (GET "
              "streams, event trackers, queued channel bytes: "
              "`sse_memory_growth_bytes_per_s`), which the SSE-leak question reads. Per "
              "connection: (peak - base) / peak client connections; per session: (peak - base) / "
              "peak live sessions; each computed per replication, then its 95%% CI (n=%s).",
              r->n_text);
    const char *hdr[] = {"profile / design", "memory growth", "SSE memory growth",
                         "memory per connection", "memory per session"};
    enum { NC = 5 };
    char **cells = sim_xcalloc(r->np * r->nd * NC, sizeof *cells);
    for (size_t p = 0; p < r->np; p++) {
        for (size_t d = 0; d < r->nd; d++) {
            const struct cell *c = cell_at(r, d, p);
            size_t row = p * r->nd + d;
            char lab[160], v[128];
            snprintf(lab, sizeof lab, "%s / %s", r->profiles[p], r->designs[d]);
            cells[row * NC] = sim_xstrdup(lab);
            struct sim_ci gr = c->sum.metric[RM_MEMORY_GROWTH_BYTES_PER_S];
            axis_format_ci(&gr, AXIS_UNIT_BYTES_PER_S, v, sizeof v);
            cells[row * NC + 1] = sim_xstrdup(c->ok && !isnan(gr.mean) ? v : "n/a");
            data_row(r, "memory_table", r->designs[d], r->profiles[p], "memory_growth_bytes_per_s",
                     NAN, &gr);
            struct sim_ci sg = c->sum.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S];
            axis_format_ci(&sg, AXIS_UNIT_BYTES_PER_S, v, sizeof v);
            cells[row * NC + 2] = sim_xstrdup(c->ok && !isnan(sg.mean) ? v : "n/a");
            data_row(r, "memory_table", r->designs[d], r->profiles[p],
                     "sse_memory_growth_bytes_per_s", NAN, &sg);
            struct sim_ci pc = c->ok ? per_unit(c, RM_CLIENT_CONNS_PEAK)
                                     : (struct sim_ci){NAN, NAN, NAN, NAN, 0};
            cells[row * NC + 3] = sim_xstrdup(axis_format_ci(&pc, AXIS_UNIT_BYTES, v, sizeof v));
            data_row(r, "memory_table", r->designs[d], r->profiles[p], "memory_per_conn_bytes",
                     NAN, &pc);
            struct sim_ci ps = c->ok ? per_unit(c, RM_SESSIONS_LIVE_PEAK)
                                     : (struct sim_ci){NAN, NAN, NAN, NAN, 0};
            cells[row * NC + 4] = sim_xstrdup(axis_format_ci(&ps, AXIS_UNIT_BYTES, v, sizeof v));
            data_row(r, "memory_table", r->designs[d], r->profiles[p], "memory_per_session_bytes",
                     NAN, &ps);
        }
    }
    rdoc_table(r->doc, NC, hdr, r->np * r->nd, (const char *const *)cells);
    for (size_t i = 0; i < r->np * r->nd * NC; i++) {
        free(cells[i]);
    }
    free(cells);
}

static void tasks_section(struct report *r)
{
    rdoc_heading(r->doc, 1, "4. Task spawning analysis");
    rdoc_para(r->doc, "Live tasks over time per profile, every design on one chart (mean and 95%% "
                      "CI band, n=%s); scheduled events are marked.",
              r->n_text);
    for (size_t p = 0; p < r->np; p++) {
        chart_series(r, p, RS_TASKS_LIVE, "tasks", "Live tasks, profile %s");
    }
    rdoc_heading(r->doc, 2, "Spawn rate");
    rdoc_para(r->doc, "Tasks spawned per second over time (window counts, mean and 95%% CI band), "
                      "then the steady-state rate after the warm-up per profile and design.");
    for (size_t p = 0; p < r->np; p++) {
        chart_series(r, p, RS_SPAWNS, "spawns", "Tasks spawned per second, profile %s");
    }
    chart_metric_bars(r, RM_TASKS_SPAWNED_PER_S, "spawn_rate", "Tasks spawned per second",
                      "spawn_rate");
    rdoc_heading(r->doc, 2, "Which spawn sites dominate");
    /* Only the sites some cell uses: an all-zero column says nothing. */
    bool used[RSITE_N] = {false};
    for (size_t i = 0; i < r->np * r->nd; i++) {
        for (int k = 0; k < RSITE_N; k++) {
            used[k] |= r->cells[i].ok && (r->cells[i].sum.site_live_mean[k].mean > 0.0 ||
                                          r->cells[i].sum.site_spawned_per_s[k].mean > 0.0);
        }
    }
    int sites[RSITE_N], n_sites = 0;
    for (int k = 0; k < RSITE_N; k++) {
        if (used[k]) {
            sites[n_sites++] = k;
        }
    }
    rdoc_para(r->doc,
              "Time-averaged live tasks by spawn site after the warm-up, as the model counts "
              "them, with the site's spawn rate below; the last column names the site holding "
              "the most live tasks and its share. Mean [95%% CI], n=%s.",
              r->n_text);
    const char *hdr[RSITE_N + 3] = {"profile / design", "live tasks (avg)"};
    for (int j = 0; j < n_sites; j++) {
        hdr[j + 2] = results_site_names[sites[j]];
    }
    hdr[n_sites + 2] = "dominant site";
    size_t nc = (size_t)n_sites + 3;
    char **cells = sim_xcalloc(r->np * r->nd * nc, sizeof *cells);
    for (size_t p = 0; p < r->np; p++) {
        for (size_t d = 0; d < r->nd; d++) {
            const struct cell *c = cell_at(r, d, p);
            size_t row = p * r->nd + d;
            char lab[160], v[128], w[128], txt[300];
            snprintf(lab, sizeof lab, "%s / %s", r->profiles[p], r->designs[d]);
            cells[row * nc] = sim_xstrdup(lab);
            if (!c->ok) {
                for (size_t k = 1; k < nc; k++) {
                    cells[row * nc + k] = sim_xstrdup("n/a");
                }
                continue;
            }
            const struct sim_ci *total = &c->sum.metric[RM_TASKS_LIVE_MEAN];
            cells[row * nc + 1] = sim_xstrdup(axis_format_ci(total, AXIS_UNIT_NONE, v, sizeof v));
            int best = -1;
            for (int j = 0; j < n_sites; j++) {
                int k = sites[j];
                const struct sim_ci *live = &c->sum.site_live_mean[k];
                const struct sim_ci *rate = &c->sum.site_spawned_per_s[k];
                snprintf(txt, sizeof txt, "%s\n%s", axis_format_ci(live, AXIS_UNIT_NONE, v, sizeof v),
                         axis_format_ci(rate, AXIS_UNIT_PER_S, w, sizeof w));
                cells[row * nc + 2 + (size_t)j] = sim_xstrdup(txt);
                data_row(r, "spawn_sites", r->designs[d], r->profiles[p], results_site_names[k],
                         NAN, live);
                data_row(r, "spawn_site_rates", r->designs[d], r->profiles[p],
                         results_site_names[k], NAN, rate);
                if (best < 0 || live->mean > c->sum.site_live_mean[best].mean) {
                    best = k;
                }
            }
            char dom[160] = "none";
            if (best >= 0) {
                snprintf(dom, sizeof dom, "%s (%.0f%%)", results_site_names[best],
                         total->mean > 0 ? 100.0 * c->sum.site_live_mean[best].mean / total->mean
                                         : 0.0);
            }
            cells[row * nc + 2 + (size_t)n_sites] = sim_xstrdup(dom);
        }
    }
    rdoc_table(r->doc, nc, hdr, r->np * r->nd, (const char *const *)cells);
    for (size_t i = 0; i < r->np * r->nd * nc; i++) {
        free(cells[i]);
    }
    free(cells);
    rdoc_heading(r->doc, 2, "Bounded or unbounded");
    for (size_t d = 0; d < r->nd; d++) {
        const struct design *ds = &cell_at(r, d, 0)->e.design;
        size_t hi = SIZE_MAX, lo = SIZE_MAX;
        for (size_t p = 0; p < r->np; p++) {
            const struct cell *c = cell_at(r, d, p);
            if (!c->ok) {
                continue;
            }
            double m = c->sum.metric[RM_TASKS_LIVE_PEAK].mean;
            if (hi == SIZE_MAX || m > cell_at(r, d, hi)->sum.metric[RM_TASKS_LIVE_PEAK].mean) {
                hi = p;
            }
            if (lo == SIZE_MAX || m < cell_at(r, d, lo)->sum.metric[RM_TASKS_LIVE_PEAK].mean) {
                lo = p;
            }
        }
        if (hi == SIZE_MAX) {
            continue;
        }
        char a[160], b[160], cc[160];
        const struct cell *ch = cell_at(r, d, hi), *cl = cell_at(r, d, lo);
        fmt_ci_n(&ch->sum.metric[RM_TASKS_LIVE_PEAK], AXIS_UNIT_NONE, a, sizeof a);
        axis_format_ci(&cl->sum.metric[RM_TASKS_LIVE_PEAK], AXIS_UNIT_NONE, b, sizeof b);
        axis_format_ci(&ch->sum.metric[RM_CLIENT_CONNS_PEAK], AXIS_UNIT_NONE, cc, sizeof cc);
        if (findings_spawn_bounded(ds)) {
            char cap[48];
            axis_format(ds->spawn.max_tasks, AXIS_UNIT_NONE, cap, sizeof cap);
            rdoc_bullet(r->doc,
                        "**%s: bounded** (global cap %s or every site bounded). Peak live tasks "
                        "%s under `%s`, against %s client connections.",
                        r->designs[d], isfinite(ds->spawn.max_tasks) ? cap : "none", a,
                        r->profiles[hi], cc);
        } else {
            rdoc_bullet(r->doc,
                        "**%s: unbounded** (no global cap, at least one unbounded site). Peak live "
                        "tasks go from %s under `%s` to %s under `%s` (%s client connections): "
                        "the task count follows the load.",
                        r->designs[d], b, r->profiles[lo], a, r->profiles[hi], cc);
        }
    }
}

/* The charts that show metric m under profile p for design d, named as
 * report.md links them ("img/tasks_high.png, img/spawn_rate.png"). */
static char *chart_for_metric(const struct report *r, int m, size_t p, size_t d, char *buf,
                              size_t size)
{
    char stem[2][160], rel[2][200];
    const char *prof = r->profiles[p];
    switch (m) {
    case RM_TASKS_LIVE_PEAK:
    case RM_TASKS_SPAWNED_PER_S:
    case RM_TASKS_LEAKED:
        snprintf(stem[0], sizeof stem[0], "tasks_%s", prof);
        snprintf(stem[1], sizeof stem[1], "spawn_rate");
        break;
    case RM_MEMORY_BYTES_PEAK:
    case RM_MEMORY_GROWTH_BYTES_PER_S:
    case RM_SSE_MEMORY_GROWTH_BYTES_PER_S:
    case RM_EVENT_TRACKER_BYTES_PEAK:
    case RM_SSE_QUEUED_BYTES_PEAK:
    case RM_QUEUED_BYTES_PEAK:
        snprintf(stem[0], sizeof stem[0], "memory_%s", prof);
        snprintf(stem[1], sizeof stem[1], "memstack_%s_%s", prof, r->designs[d]);
        break;
    case RM_UPSTREAM_CONNS_PEAK:
    case RM_TIME_WAIT_PEAK:
        snprintf(stem[0], sizeof stem[0], "upstream_%s", prof);
        stem[1][0] = '\0';
        break;
    default:
        snprintf(stem[0], sizeof stem[0], "matrix");
        snprintf(stem[1], sizeof stem[1], "multiples");
        break;
    }
    img_rel(r, rel[0], sizeof rel[0], stem[0]);
    if (stem[1][0] == '\0') {
        snprintf(buf, size, "%s", rel[0]);
    } else {
        img_rel(r, rel[1], sizeof rel[1], stem[1]);
        snprintf(buf, size, "%s, %s", rel[0], rel[1]);
    }
    return buf;
}

/* Evidence k of answer a formatted as "v (95% CI, n=N)", and its profile's name. */
static const char *ev_text(const struct report *r, const struct findings_answer *a, int metric,
                           char *buf, size_t size, const char **prof)
{
    for (size_t k = 0; k < a->n_ev; k++) {
        if (a->ev[k].metric == metric) {
            fmt_ci_n(&a->ev[k].ci, axis_unit_of(results_metrics[metric].unit), buf, size);
            *prof = r->profiles[a->ev[k].profile];
            return buf;
        }
    }
    snprintf(buf, size, "n/a");
    *prof = "?";
    return buf;
}

/* The session question's recommendation names its cause (findings.h): a
 * design that already removes sessions on close and sweeps them is told to
 * size its store, not to add what it has. */
static void session_reco(const struct report *r, const struct design *ds,
                         const struct findings_answer *a, char *out, size_t size)
{
    char pk[160], ev[160], lk[160], cc[160], ttl[32], iv[32];
    const char *pp, *pe, *pl, *pc;
    ev_text(r, a, RM_SESSIONS_LIVE_PEAK, pk, sizeof pk, &pp);
    ev_text(r, a, RM_SESSIONS_EVICTED_PER_S, ev, sizeof ev, &pe);
    ev_text(r, a, RM_SESSIONS_LEAKED, lk, sizeof lk, &pl);
    axis_format(ds->sessions.ttl_s, AXIS_UNIT_S, ttl, sizeof ttl);
    axis_format(ds->sessions.cleanup_interval_s, AXIS_UNIT_S, iv, sizeof iv);
    switch (a->cause) {
    case FCAUSE_SESS_LEAK:
        snprintf(out, size,
                 "Remove the session on every error path too: `sessions_leaked` = %s under `%s`; "
                 "a leaked session waits for the TTL sweep or eviction%s.",
                 lk, pl, isfinite(ds->sessions.cleanup_interval_s) ? "" : ", and no sweep runs");
        break;
    case FCAUSE_SESS_CAPACITY: {
        char how[96];
        snprintf(how, sizeof how, "%s%s%s",
                 ds->sessions.remove_on_close ? "removed on close" : "not removed on close",
                 isfinite(ds->sessions.cleanup_interval_s) ? ", swept every " : ", never swept",
                 isfinite(ds->sessions.cleanup_interval_s) ? iv : "");
        ev_text(r, a, RM_CLIENT_CONNS_PEAK, cc, sizeof cc, &pc);
        snprintf(out, size,
                 "Size the session store for the load (cleanup is already deterministic: %s): "
                 "under `%s` live sessions reach the store cap of %.0f (sessions.max_sessions) "
                 "with %s client connections, and LRU evicts %s under `%s`; what fills it is "
                 "the live clients' sessions plus those abandoned for a new id within the TTL "
                 "(%s): raise sessions.max_sessions above both or shorten sessions.ttl.",
                 how, pp, ds->sessions.max_sessions, cc, ev, pe, ttl);
        break;
    }
    default:
        snprintf(out, size,
                 "Remove sessions on close and run the cleanup task: live sessions peak at %s "
                 "under `%s` (store cap %.0f), so the store is emptied only by eviction.",
                 pk, pp, ds->sessions.max_sessions);
        break;
    }
}

/* The pool question's recommendation names what holds the ports or makes the
 * waits long: never "share one capped pool" to a design that has one. */
static void pool_reco(const struct report *r, const struct design *ds,
                      const struct findings_answer *a, char *out, size_t size)
{
    char up[160], pc[160], tw[160], w[160], ports[32];
    const char *pu, *pp, *pt, *pw;
    ev_text(r, a, RM_UPSTREAM_CONNS_PEAK, up, sizeof up, &pu);
    ev_text(r, a, RM_POOL_CONNS_PEAK, pc, sizeof pc, &pp);
    ev_text(r, a, RM_TIME_WAIT_PEAK, tw, sizeof tw, &pt);
    ev_text(r, a, RM_POOL_WAIT_P99_S, w, sizeof w, &pw);
    axis_format(ds->upstream.ephemeral_ports, AXIS_UNIT_NONE, ports, sizeof ports);
    switch (a->cause) {
    case FCAUSE_POOL_PER_STREAM:
        snprintf(out, size,
                 "Multiplex GET streams on the shared pool (sse.upstream_scope: shared) instead "
                 "of a client per stream: upstream sockets peak at %s under `%s`, of which the "
                 "request pool holds %s, and %s sockets sit in TIME_WAIT under `%s`, towards "
                 "the %s ephemeral ports.",
                 up, pu, pc, tw, pt, ports);
        break;
    case FCAUSE_POOL_CHURN:
        snprintf(out, size,
                 "Keep pooled connections open longer (upstream.idle_timeout, max_idle, "
                 "max_lifetime): the pool is capped, yet %s sockets sit in TIME_WAIT under `%s` "
                 "beside %s open under `%s`, towards the %s ephemeral ports.",
                 tw, pt, up, pu, ports);
        break;
    case FCAUSE_POOL_NO_TIMEOUT:
        snprintf(out, size,
                 "Give pool acquires a timeout (upstream.acquire_timeout) or fail fast: p99 pool "
                 "wait is %s under `%s`%s.",
                 w, pw, a->verdict == FV_PROBLEM ? ", past the 200 ms SLO" : "");
        break;
    default:
        snprintf(out, size,
                 "Share one capped upstream pool with an acquire timeout: upstream connections "
                 "peak at %s under `%s`%s.",
                 up, pu,
                 ds->upstream.scope != SCOPE_SHARED
                     ? " because every request or stream builds its own client"
                     : ", with no cap on the shared pool");
        break;
    }
}

struct reco {
    const char *design;
    char text[768];
};

static void findings_section(struct report *r, struct reco *recos, size_t *n_recos, size_t cap)
{
    rdoc_heading(r->doc, 1, "5. Findings");
    rdoc_para(r->doc,
              "The seven questions of the 2025-08-18 concurrency review, answered per design from "
              "the simulated numbers. Evidence: metric, profile where it is worst, mean with 95%% "
              "CI and n, and the chart that shows it. Verdicts: ok, concern (the mechanism is "
              "missing but no profile pushed it over a limit, or it is there and a limit it does "
              "not govern was reached, such as a full session store that cleans up on close), "
              "problem (the numbers show it), not exercised (no selected profile reaches it); "
              "after the verdict, its cause where the question has several. Pool exhaustion "
              "counts the sockets towards the upstream against the ephemeral ports, the request "
              "pool's own peak against upstream.max_conns, and acquire waits; connect errors "
              "while the upstream restarts are the fault's, not the pool's. Memory leaks on "
              "long-lived SSE reads the growth of SSE memory alone "
              "(`sse_memory_growth_bytes_per_s`: GET streams, event trackers, queued events), "
              "not the total, which also grows with a request backlog or a filling buffer "
              "pool; growth while SSE state is still settling (the profile's mean stream "
              "lifetime, or a per-session tracker's TTL, at least half the fit window) is "
              "\"still filling toward its bound; run longer\", not a leak.");
    for (size_t d = 0; d < r->nd; d++) {
        const struct exp_summary *s[MAX_NAMES];
        const struct profile *pr[MAX_NAMES];
        design_sums(r, d, s, pr);
        const struct design *ds = &cell_at(r, d, 0)->e.design;
        struct findings_answer fa[FQ_N];
        findings_answer_all(ds, pr, s, r->np, fa);
        rdoc_heading(r->doc, 2, "%s", r->designs[d]);
        const char *hdr[] = {"question", "verdict", "evidence", "chart"};
        char *cells[FQ_N * 4];
        for (int q = 0; q < FQ_N; q++) {
            char ev[1024] = "", one[384], v[160], chart[420] = "";
            for (size_t k = 0; k < fa[q].n_ev; k++) {
                const struct findings_evidence *e = &fa[q].ev[k];
                fmt_ci_n(&e->ci, axis_unit_of(results_metrics[e->metric].unit), v, sizeof v);
                char win[128] = "";
                if (e->metric == RM_MEMORY_GROWTH_BYTES_PER_S ||
                    e->metric == RM_SSE_MEMORY_GROWTH_BYTES_PER_S) {
                    char w[112];
                    snprintf(win, sizeof win, " (%s)",
                             fmt_growth_window(pr[e->profile], w, sizeof w));
                }
                snprintf(one, sizeof one, "%s`%s` = %s under `%s`%s", k ? "; " : "",
                         results_metrics[e->metric].name, v, r->profiles[e->profile], win);
                strncat(ev, one, sizeof ev - strlen(ev) - 1);
                if (k == 0) {
                    chart_for_metric(r, e->metric, e->profile, d, chart, sizeof chart);
                }
            }
            cells[q * 4] = sim_xstrdup(findings_question_text[q]);
            char vt[160];
            snprintf(vt, sizeof vt, "%s%s%s", findings_verdict_text[fa[q].verdict],
                     fa[q].cause != FCAUSE_NONE ? ": " : "", findings_cause_text[fa[q].cause]);
            cells[q * 4 + 1] = sim_xstrdup(vt);
            cells[q * 4 + 2] = sim_xstrdup(
                fa[q].n_ev ? ev
                : q == FQ_SSE_LEAKS
                    ? "no profile with SSE streams has three windows to fit after its warm-up "
                      "and its load's last change"
                    : "no profile measured it");
            cells[q * 4 + 3] = sim_xstrdup(chart);
            for (size_t k = 0; k < fa[q].n_ev; k++) {
                char key[96];
                snprintf(key, sizeof key, "q%d:%s", q + 1, results_metrics[fa[q].ev[k].metric].name);
                data_row(r, "findings", r->designs[d], r->profiles[fa[q].ev[k].profile], key,
                         (double)fa[q].verdict, &fa[q].ev[k].ci);
            }
            /* A recommendation for every problem or concern, built from its
             * first piece of evidence. */
            if ((fa[q].verdict == FV_PROBLEM || fa[q].verdict == FV_CONCERN) && fa[q].n_ev &&
                *n_recos < cap) {
                struct reco *rc = &recos[(*n_recos)++];
                rc->design = r->designs[d];
                const struct findings_evidence *e = &fa[q].ev[0];
                fmt_ci_n(&e->ci, axis_unit_of(results_metrics[e->metric].unit), v, sizeof v);
                const char *prof = r->profiles[e->profile];
                switch ((enum findings_question)q) {
                case FQ_SPAWN:
                    snprintf(rc->text, sizeof rc->text,
                             "Bound task spawning (a global cap or a semaphore per site, e.g. "
                             "the review's max_tasks 3,000): under `%s` live tasks peak at %s "
                             "with no bound.",
                             prof, v);
                    break;
                case FQ_BACKPRESSURE:
                    snprintf(rc->text, sizeof rc->text,
                             "Bound the SSE channel and add admission control: queued bytes "
                             "peak at %s under `%s`, limited only by how slow the slowest "
                             "client is.",
                             v, prof);
                    break;
                case FQ_BUFFERS:
                    snprintf(rc->text, sizeof rc->text,
                             "%s: `%s` = %s under `%s` (target > %.0f%%).",
                             ds->buffers.pooled ? "Raise the retained buffers per pool"
                                                : "Pool the request/response buffers",
                             results_metrics[e->metric].name, v, prof,
                             100 * FINDINGS_HIT_RATE_TARGET);
                    break;
                case FQ_SESSIONS:
                    session_reco(r, ds, &fa[q], rc->text, sizeof rc->text);
                    break;
                case FQ_SSE_LEAKS: {
                    char w[112];
                    const struct profile *wp = pr[e->profile];
                    fmt_growth_window(wp, w, sizeof w);
                    if (fa[q].cause == FCAUSE_SSE_FILLING) {
                        /* Not "bound what is bounded": growth over a window shorter
                         * than SSE state takes to settle is the fill. */
                        char life[32], ttl[48], settle[32], win[32];
                        axis_format(sim_dist_mean(&wp->sse.lifetime_s), AXIS_UNIT_S, life,
                                    sizeof life);
                        if (isfinite(ds->tracker.ttl_s)) {
                            char t[24];
                            axis_format(ds->tracker.ttl_s, AXIS_UNIT_S, t, sizeof t);
                            snprintf(ttl, sizeof ttl, "event tracker TTL %s", t);
                        } else {
                            snprintf(ttl, sizeof ttl, "no event tracker TTL");
                        }
                        axis_format(findings_sse_settle_s(ds, wp), AXIS_UNIT_S, settle,
                                    sizeof settle);
                        axis_format(findings_growth_window_s(wp), AXIS_UNIT_S, win, sizeof win);
                        snprintf(rc->text, sizeof rc->text,
                                 "SSE memory grows at %s under `%s` (%s), but SSE state "
                                 "settles only after about %s (GET streams live %s on "
                                 "average; %s), at least half the %s fit "
                                 "window: it is still filling toward its bound. Confirm over "
                                 "a run several times longer (`sustained`, or "
                                 "--full-duration) before treating it as a leak.",
                                 v, prof, w, settle, life, ttl, win);
                    } else {
                        snprintf(rc->text, sizeof rc->text,
                                 "Evict SSE state by time and bound per-stream queues: SSE "
                                 "memory (streams, event trackers, queued events) grows at %s "
                                 "under `%s` (%s).",
                                 v, prof, w);
                    }
                    break;
                }
                case FQ_POOL:
                    pool_reco(r, ds, &fa[q], rc->text, sizeof rc->text);
                    break;
                case FQ_ERROR_PATHS:
                    snprintf(rc->text, sizeof rc->text,
                             "Release what error paths hold (JoinHandles, pooled connections, "
                             "buffers, sessions): `%s` = %s under `%s`.",
                             results_metrics[e->metric].name, v, prof);
                    break;
                case FQ_N:
                    break;
                }
            }
        }
        rdoc_table(r->doc, 4, hdr, FQ_N, (const char *const *)cells);
        for (int i = 0; i < FQ_N * 4; i++) {
            free(cells[i]);
        }
    }
}

static void recommendations_section(struct report *r, const struct reco *recos, size_t n)
{
    rdoc_heading(r->doc, 1, "6. Recommendations");
    rdoc_para(r->doc, "Derived from the problems and concerns of section 5, with the numbers "
                      "that motivate them (95%% CI, n replications).");
    if (n == 0) {
        rdoc_para(r->doc, "No question came out as a problem or a concern for any design.");
    }
    for (size_t d = 0; d < r->nd; d++) {
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            if (recos[i].design == r->designs[d]) {
                if (!any) {
                    rdoc_heading(r->doc, 2, "%s", r->designs[d]);
                    any = true;
                }
                rdoc_bullet(r->doc, "%s", recos[i].text);
            }
        }
    }
}

static void method_section(struct report *r, double wall_s)
{
    rdoc_heading(r->doc, 1, "7. Method");
    rdoc_bullet(r->doc, "Model: proxysim %s; %zu design%s x %zu profile%s = %zu cell%s.",
                PROXYSIM_VERSION, r->nd, plural(r->nd), r->np, plural(r->np), r->nd * r->np,
                plural(r->nd * r->np));
    rdoc_bullet(r->doc,
                "Replications: %s independent replications per cell, master seed %" PRIu64
                "; replication i of every cell of a profile uses the same seeds (one random "
                "stream per purpose: arrivals, sizes, service, faults, ...), so design "
                "differences are paired.",
                r->n_text, r->seed);
    if (r->ci_target > 0.0) {
        rdoc_bullet(r->doc,
                    "Replication count: a sequential procedure per profile: %u replications; "
                    "then, while the widest relative CI half-width w of the profile's matrix "
                    "figures (those not near zero) exceeds %.0f%%, up to n (w / %.0f%%)^2 x 1.1 "
                    "replications, in at most %d batches and at most %u replications (`--reps`, "
                    "`--ci-target`, `--max-reps`). Every design of a profile runs the same "
                    "count, so comparisons stay paired.",
                    r->reps, 100.0 * r->ci_target, 100.0 * r->ci_target, REPORT_ROUNDS,
                    r->max_reps);
        char missed[512] = "";
        for (size_t p = 0; p < r->np; p++) {
            if (r->missed[p]) {
                size_t len = strlen(missed);
                snprintf(missed + len, sizeof missed - len, "%s`%s` (n=%u)", len ? ", " : "",
                         r->profiles[p], r->n_of[p]);
            }
        }
        if (missed[0]) {
            rdoc_bullet(r->doc,
                        "Stopped with a matrix CI still wider than %.0f%% (batch or replication "
                        "cap reached): %s.",
                        100.0 * r->ci_target, missed);
        }
    }
    rdoc_bullet(r->doc,
                "Statistics: Student-t 95%% CIs across replications; paired differences by "
                "sim_ci_paired; latency percentiles are computed per replication from a "
                "log-bucketed histogram (relative error <= 0.8%%), then averaged with a CI.");
    rdoc_bullet(r->doc,
                "Warm-up: rates, means and percentiles exclude each profile's warm-up; peaks and "
                "leak counts cover the whole run; transient profiles (burst) are read from the "
                "time series.");
    for (size_t p = 0; p < r->np; p++) {
        const struct profile *pf = &cell_at(r, 0, p)->e.profile;
        char dur[32], warm[32], dt[32], od[32];
        axis_format(pf->duration_s, AXIS_UNIT_S, dur, sizeof dur);
        axis_format(pf->warmup_s, AXIS_UNIT_S, warm, sizeof warm);
        axis_format(pf->sample_dt_s, AXIS_UNIT_S, dt, sizeof dt);
        axis_format(cell_at(r, 0, p)->own_duration_s, AXIS_UNIT_S, od, sizeof od);
        /* Only a shortened profile needs the note: high runs its own 25 s. */
        bool scaled = !r->full_duration && pf->duration_s != cell_at(r, 0, p)->own_duration_s;
        char gw[112], gtxt[208];
        size_t gfrom, gto;
        profile_growth_windows(pf, pf->warmup_s, pf->duration_s, pf->sample_dt_s, &gfrom, &gto);
        if (pf->transient) {
            snprintf(gtxt, sizeof gtxt, "no memory growth fit (transient)");
        } else if (gfrom + GUARD_SLOPE_MIN_WINDOWS > gto) {
            /* proxy_collect's windows, too few to fit */
            axis_format(profile_load_settled_s(pf), AXIS_UNIT_S, gw, sizeof gw);
            snprintf(gtxt, sizeof gtxt,
                     "no memory growth fit (the load changes until %s, too near the end)", gw);
        } else {
            snprintf(gtxt, sizeof gtxt, "memory growth %s", fmt_growth_window(pf, gw, sizeof gw));
        }
        rdoc_bullet(r->doc,
                    "Profile `%s`: %s simulated, warm-up %s%s, series windows of %s%s%s%s; %s.",
                    r->profiles[p], dur, warm,
                    cell_at(r, 0, p)->mser5 ? " (detected by MSER-5, at most half the run)" : "",
                    dt,
                    scaled ? " (report-scale duration; the profile's own is " : "",
                    scaled ? od : "", scaled ? ", use --full-duration for it)" : "", gtxt);
    }
    if (r->n_sets) {
        char sets[1024] = "";
        for (size_t i = 0; i < r->n_sets; i++) {
            strncat(sets, i ? ", `" : "`", sizeof sets - strlen(sets) - 1);
            strncat(sets, r->sets[i], sizeof sets - strlen(sets) - 1);
            strncat(sets, "`", sizeof sets - strlen(sets) - 1);
        }
        rdoc_bullet(r->doc, "Overrides applied to every cell: %s.", sets);
    }
    rdoc_bullet(r->doc,
                "Widest relative CI half-width in the matrix (figures not near zero): %.1f%% (%s).",
                100.0 * r->widest_rel, r->widest_what[0] ? r->widest_what : "none");
    rdoc_bullet(r->doc, "Wall time of the simulation and charts: %.1f s.", wall_s);
    rdoc_para(r->doc, "To reproduce this report exactly:");
    rdoc_code(r->doc, r->command);
    rdoc_para(r->doc, "The numbers behind every chart and table are in `report_data.csv`; every "
                      "metric of every cell, with CI and n, in `metrics.csv`.");
}

/* ---- main ---- */

static void build_command(struct report *r, int argc, char **argv)
{
    snprintf(r->command, sizeof r->command, "proxysim");
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(r->command);
        bool quote = strpbrk(argv[i], " \t'\"$") != NULL;
        snprintf(r->command + len, sizeof r->command - len, quote ? " '%s'" : " %s", argv[i]);
    }
    /* The defaults that a later version might change, spelled out. */
    size_t len = strlen(r->command);
    snprintf(r->command + len, sizeof r->command - len,
             "   # seed %" PRIu64 ", reps %u, ci target %g, max reps %u", r->seed, r->reps,
             r->ci_target, r->max_reps);
}

static void report_free(struct report *r)
{
    for (size_t i = 0; r->cells && i < r->nd * r->np; i++) {
        struct cell *c = &r->cells[i];
        if (c->reps) {
            for (size_t k = 0; k < c->n_reps; k++) {
                results_rep_fini(&c->reps[k]);
            }
            free(c->reps);
            results_summary_fini(&c->sum);
        }
        if (c->loaded) {
            config_free_experiment(&c->e);
        }
    }
    free(r->cells);
    for (size_t i = 0; i < r->nd; i++) {
        free(r->designs[i]);
    }
    for (size_t i = 0; i < r->np; i++) {
        free(r->profiles[i]);
    }
    rdoc_destroy(r->doc);
    table_destroy(r->table);
}

static int parse(struct report *r, int argc, char **argv)
{
    static const struct option opts[] = {
        {"designs", required_argument, NULL, 'd'}, {"profiles", required_argument, NULL, 'p'},
        {"reps", required_argument, NULL, 'r'},    {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},  {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},         {"full-duration", no_argument, NULL, 'F'},
        {"max-duration", required_argument, NULL, 'M'}, {"help", no_argument, NULL, 'h'},
        {"max-reps", required_argument, NULL, 'X'}, {"ci-target", required_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    uint64_t u;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = 0;
        switch (ch) {
        case 'd':
            rc = parse_names("--designs", optarg, CONFIG_DESIGN, r->designs, &r->nd);
            break;
        case 'p':
            rc = parse_names("--profiles", optarg, CONFIG_PROFILE, r->profiles, &r->np);
            break;
        case 'r':
            rc = args_u64(CMD, "--reps", optarg, 2, 10000, &u);
            r->reps = (unsigned)u;
            break;
        case 'X':
            rc = args_u64(CMD, "--max-reps", optarg, 2, 10000, &u);
            r->max_reps = (unsigned)u;
            break;
        case 'C':
            rc = args_double(CMD, "--ci-target", optarg, 0.0, 1.0, &r->ci_target);
            break;
        case 's':
            rc = args_u64(CMD, "--seed", optarg, 0, UINT64_MAX, &r->seed);
            break;
        case 't':
            rc = args_u64(CMD, "--threads", optarg, 0, 1024, &u);
            r->threads = (unsigned)u;
            break;
        case 'o':
            r->out_dir = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "png") == 0) {
                r->format = CHART_PNG;
            } else if (strcmp(optarg, "svg") == 0) {
                r->format = CHART_SVG;
            } else if (strcmp(optarg, "pdf") == 0) {
                r->format = CHART_PDF;
            } else {
                fprintf(stderr, "proxysim %s: --format: expected png, svg or pdf, got '%s'\n",
                        CMD, optarg);
                rc = 2;
            }
            break;
        case 'S':
            if (r->n_sets == MAX_SETS || strchr(optarg, '=') == NULL) {
                fprintf(stderr, "proxysim %s: --set: expected key.path=value (at most %d), got '%s'\n",
                        CMD, MAX_SETS, optarg);
                rc = 2;
            } else {
                r->sets[r->n_sets++] = optarg;
            }
            break;
        case 'q':
            r->quiet = true;
            break;
        case 'F':
            r->full_duration = true;
            break;
        case 'M':
            /* A duration as the configs write one (30, 30s, 5min). */
            if (!config_parse_quantity(optarg, 1, &r->max_duration_s) ||
                !(r->max_duration_s >= 1.0 && r->max_duration_s <= 1e7)) {
                fprintf(stderr, "proxysim %s: --max-duration: expected a duration in [1s, 1e7s] "
                        "such as 30, 30s or 5min, got '%s'\n", CMD, optarg);
                rc = 2;
            }
            break;
        case 'h':
            printf("usage: proxysim report %s\n\n"
                   "Runs every selected profile against every selected design and writes a\n"
                   "review report: report.md, report.html (self-contained), img/, report_data.csv\n"
                   "(the numbers behind every chart and table) and metrics.csv.\n"
                   "  --designs a,b      designs (built-in names or YAML files; default: shipped)\n"
                   "  --profiles p,q     profiles (default: low,medium,high,burst,sustained,sse)\n"
                   "  --reps N           replications per cell to start with (default 20)\n"
                   "  --ci-target F      add replications per profile until the matrix figures'\n"
                   "                     relative CI half-width is <= F (default 0.05; 0: fixed)\n"
                   "  --max-reps M       at most M replications per cell (default 200, or --reps)\n"
                   "  --seed S           master seed (default 20251101)\n"
                   "  --threads T        worker threads (default: all cores)\n"
                   "  --out DIR          output directory (default out/report)\n"
                   "  --format F         png (default), svg or pdf charts\n"
                   "  --set key=value    override a profile/design key in every cell\n"
                   "  --full-duration    use the profiles' own durations (slow)\n"
                   "  --max-duration S   cap every profile's simulated duration at S (30, 5min)\n"
                   "  --quiet            no progress line and no closing summary\n",
                   usage_line);
            return -1;
        default:
            return args_bad_option(CMD, argc, argv, opts);
        }
        if (rc != 0) {
            return rc;
        }
    }
    if (optind < argc) {
        return args_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    }
    if (r->full_duration && r->max_duration_s > 0.0) {
        return args_usage_error(CMD, "--full-duration and --max-duration: give one of them");
    }
    if (args_refuse_swaps(CMD, r->sets, r->n_sets) != 0) {
        return 2;
    }
    if (r->max_reps == 0) {
        r->max_reps = r->reps > 200 ? r->reps : 200; /* --max-reps not given */
    } else if (r->max_reps < r->reps) {
        fprintf(stderr, "proxysim %s: --max-reps: expected at least --reps (%u), got %u\n", CMD,
                r->reps, r->max_reps);
        return 2;
    }
    return 0;
}

int cli_report(int argc, char **argv)
{
    struct report r;
    memset(&r, 0, sizeof r);
    r.reps = 20;
    r.ci_target = 0.05; /* the target: matrix CIs within +-5% */
    r.seed = 20251101;
    r.out_dir = "out/report";
    int rc = parse(&r, argc, argv);
    if (rc != 0) {
        report_free(&r);
        return rc < 0 ? 0 : rc;
    }
    default_names(&r);
    build_command(&r, argc, argv);
    double t_start = guard_wall_s();

    r.cells = sim_xcalloc(r.nd * r.np, sizeof *r.cells);
    for (size_t d = 0; d < r.nd; d++) {
        for (size_t p = 0; p < r.np; p++) {
            if (load_cell(&r, r.designs[d], r.profiles[p], cell_at(&r, d, p)) != 0) {
                fprintf(stderr, "proxysim %s: %s\n", CMD, r.err.msg);
                report_free(&r);
                return 2;
            }
        }
    }
    /* A file given by path is labelled by its `name:` (charts are files
     * named after designs and profiles, and a path is not a label). */
    for (size_t d = 0; d < r.nd; d++) {
        if (is_path(r.designs[d])) {
            free(r.designs[d]);
            r.designs[d] = sim_xstrdup(cell_at(&r, d, 0)->e.design.name);
        }
    }
    for (size_t p = 0; p < r.np; p++) {
        if (is_path(r.profiles[p])) {
            free(r.profiles[p]);
            r.profiles[p] = sim_xstrdup(cell_at(&r, 0, p)->e.profile.name);
        }
    }
    char img_dir[1024];
    snprintf(img_dir, sizeof img_dir, "%s/img", r.out_dir);
    if (args_out_dir(CMD, r.out_dir) != 0 || args_out_dir(CMD, img_dir) != 0) {
        report_free(&r);
        return 2;
    }
    int status = run_cells(&r);

    char path[1100];
    snprintf(path, sizeof path, "%s/report_data.csv", r.out_dir);
    sim_err_clear(&r.err);
    if (outfile_open(&r.data, path, &r.err) != SIM_OK) {
        fprintf(stderr, "proxysim %s: %s\n", CMD, r.err.msg);
        report_free(&r);
        return 1;
    }
    fprintf(r.data.fp, "chart,design,profile,key,x,mean,ci_low,ci_high,n\n");

    char title[256];
    snprintf(title, sizeof title, "proxysim review report: %zu design%s x %zu profile%s", r.nd,
             plural(r.nd), r.np, plural(r.np));
    r.doc = rdoc_create(title);
    rdoc_para(r.doc,
              "Generated by `proxysim report` (model %s), %s replications per cell, master seed "
              "%" PRIu64 ". Every figure is a mean with its 95%% confidence interval [low, high] "
              "across replications; n is the number of replications.",
              PROXYSIM_VERSION, r.n_text, r.seed);

    summary_section(&r);
    rdoc_heading(r.doc, 1, "2. Resource utilization matrix");
    rdoc_para(r.doc,
              "Profile x design: mean [95%% CI] over n replications (%s). Peaks cover the whole "
              "run; latency, pool wait and error rate exclude the warm-up. Pool saturation is the "
              "share of connection acquires that had to wait (every connection busy). p99 "
              "latency is request start to response end, so on profiles with POSTs answered "
              "by SSE streams it includes the stream's length.",
              r.n_list);
    matrix_section(&r);
    chart_multiples(&r);
    memory_section(&r);
    rdoc_heading(r.doc, 2, "Upstream connections over time");
    for (size_t p = 0; p < r.np; p++) {
        chart_series(&r, p, RS_UPSTREAM_CONNS, "upstream", "Upstream connections, profile %s");
    }
    tasks_section(&r);
    rdoc_heading(r.doc, 2, "Latency");
    for (size_t p = 0; p < r.np; p++) {
        chart_latency_curves(&r, p);
    }
    struct reco *recos = sim_xcalloc(r.nd * FQ_N, sizeof *recos);
    size_t n_recos = 0;
    findings_section(&r, recos, &n_recos, r.nd * FQ_N);
    recommendations_section(&r, recos, n_recos);
    free(recos);
    method_section(&r, guard_wall_s() - t_start);

    /* Every metric of every cell, tidy, through the shared table writer. */
    r.table = table_create();
    for (size_t p = 0; p < r.np; p++) {
        for (size_t d = 0; d < r.nd; d++) {
            const struct cell *c = cell_at(&r, d, p);
            for (int m = 0; m < RM_N; m++) {
                const struct sim_ci *ci = &c->sum.metric[m];
                table_add(r.table, r.designs[d], r.profiles[p], results_metrics[m].name, ci->mean,
                          isnan(ci->half) ? NAN : ci->lo, isnan(ci->half) ? NAN : ci->hi, ci->n,
                          axis_unit_of(results_metrics[m].unit));
            }
        }
    }
    sim_err_clear(&r.err);
    snprintf(path, sizeof path, "%s/metrics.csv", r.out_dir);
    int wrc = outfile_commit(&r.data, &r.err);
    if (wrc == SIM_OK) {
        wrc = table_write_path(r.table, TABLE_CSV, path, &r.err);
    }
    if (wrc == SIM_OK) {
        wrc = rdoc_write_markdown(r.doc, r.out_dir, "report.md", &r.err);
    }
    if (wrc == SIM_OK) {
        wrc = rdoc_write_html(r.doc, r.out_dir, "report.html", &r.err);
    }
    if (wrc != SIM_OK) {
        fprintf(stderr, "proxysim %s: %s\n", CMD, r.err.msg);
        status = 1;
    }
    if (!r.quiet && wrc == SIM_OK) {
        fprintf(stderr,
                "proxysim %s: %s/report.md and report.html, %zu charts, %.1f s; widest matrix CI "
                "+-%.1f%% (%s)\n",
                CMD, r.out_dir, r.n_charts, guard_wall_s() - t_start, 100.0 * r.widest_rel,
                r.widest_what);
    }
    report_free(&r);
    return status;
}
