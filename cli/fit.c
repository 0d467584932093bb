/* SPDX-License-Identifier: MIT
 *
 * fit.c - `proxysim fit`: distributions from measured samples, and a rate
 * schedule from a trace of arrival times (docs/FIT.md).  Argument parsing
 * and printing only; the reading is models/samples.c, the statistics
 * models/fit.c, the charts plots/fitplot.c.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "models/config.h"
#include "models/fit.h"
#include "models/samples.h"
#include "plots/fitplot.h"
#include "plots/outfile.h"
#include "sim/replicate.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_line[] =
    "FILE [--column NAME] [--unit U] [--dists LIST] [--threads T] [--out DIR]\n"
    "       proxysim fit --arrivals FILE [--column NAME] [--window DURATION] [--out DIR]";

static void help(void)
{
    char units[160];
    samples_unit_names(units, sizeof units);
    printf("usage: proxysim fit %s\n\n", usage_line);
    printf("Fits distributions to samples (CSV with a header, or one number a line; gzip ok),\n"
           "ranks them by AIC and by the Kolmogorov-Smirnov distance, and prints the best as\n"
           "proxysim YAML.  With --arrivals, FILE holds arrival times (seconds, ISO 8601 or\n"
           "access-log [25/Nov/2026:10:00:00 +0000]) and a per-window rate schedule is fitted.\n\n"
           "  --column NAME   CSV column to read (arrivals: default 'ts' when present)\n"
           "  --unit U        unit of the values: %s (default none)\n"
           "  --dists LIST    comma-separated subset of exponential,lognormal,gamma,weibull,\n"
           "                  hyperexponential,pareto (default: all)\n"
           "  --window DUR    arrivals: window length, e.g. 60s, 500ms, 5min (default 60s)\n"
           "  --threads T     worker threads for the fits (default and 0: all cores)\n"
           "  --out DIR       write fit.csv, fit_hist.png and fit_qq.png (arrivals: rates.csv)\n",
           units);
}

/* "60s", "500ms", "5min", "1h" or a plain number of seconds. */
static int parse_duration(const char *text, double *out_s)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno != 0 || !isfinite(v) || !(v > 0.0)) {
        return -1;
    }
    struct samples_unit u;
    if (*end == '\0') {
        *out_s = v;
        return 0;
    }
    if (!samples_unit_parse(end, &u) || u.kind != SAMPLES_UNIT_TIME) {
        return -1;
    }
    *out_s = v * u.scale;
    return 0;
}

static int parse_dists(const char *list, enum sim_dist_kind *kinds, size_t *n)
{
    *n = 0;
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        bool found = false;
        if (len > 0 && len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            for (size_t k = 0; k < 6; k++) {
                if (strcmp(name, sim_dist_kind_name(fit_kinds[k])) == 0) {
                    bool dup = false;
                    for (size_t j = 0; j < *n; j++) {
                        dup |= kinds[j] == fit_kinds[k];
                    }
                    if (!dup) {
                        kinds[(*n)++] = fit_kinds[k];
                    }
                    found = true;
                }
            }
        }
        if (!found) {
            const char *names[6];
            for (size_t k = 0; k < 6; k++) {
                names[k] = sim_dist_kind_name(fit_kinds[k]);
            }
            const char *close = len > 0 && len < sizeof name ? config_closest(name, names, 6) : NULL;
            fprintf(stderr,
                    "proxysim fit: --dists: unknown distribution '%.*s' (expected exponential, "
                    "lognormal, gamma, weibull, hyperexponential or pareto)%s%s%s\n",
                    (int)len, p, close ? "; did you mean '" : "", close ? close : "",
                    close ? "'?" : "");
            return 2;
        }
        p += len + (comma != NULL);
    }
    if (*n == 0) {
        fprintf(stderr, "proxysim fit: --dists: empty list\n");
        return 2;
    }
    return 0;
}

/* Parameters in words, in the file's unit. */
static void describe(const struct fit_result *r, const struct samples_unit *u, char *buf,
                     size_t size)
{
    char a[48], b[48], c[48];
    const struct sim_dist *d = &r->dist;
    switch (r->kind) {
    case SIM_DIST_EXPONENTIAL:
        fit_format_value(d->a, u, a, sizeof a);
        snprintf(buf, size, "mean=%s", a);
        break;
    case SIM_DIST_LOGNORMAL:
        fit_format_value(exp(d->a), u, a, sizeof a);
        snprintf(buf, size, "median=%s sigma=%.4g", a, d->b);
        break;
    case SIM_DIST_GAMMA:
        fit_format_value(d->b, u, a, sizeof a);
        snprintf(buf, size, "shape=%.4g scale=%s", d->a, a);
        break;
    case SIM_DIST_WEIBULL:
        fit_format_value(d->a, u, a, sizeof a);
        snprintf(buf, size, "shape=%.4g scale=%s", d->b, a);
        break;
    case SIM_DIST_HYPEREXP:
        fit_format_value(d->b, u, a, sizeof a);
        fit_format_value(d->c, u, b, sizeof b);
        snprintf(buf, size, "p=%.4g m1=%s m2=%s", d->a, a, b);
        break;
    case SIM_DIST_PARETO:
        fit_format_value(d->b, u, a, sizeof a);
        fit_format_value(d->c, u, c, sizeof c);
        snprintf(buf, size, "alpha=%.4g lo=%s hi=%s", d->a, a, c);
        break;
    default:
        snprintf(buf, size, "-");
    }
}

static int write_csv(const char *path, const struct fit_result *r, size_t n,
                     const struct samples_unit *u)
{
    struct outfile of; /* complete or not at all */
    struct sim_err err;
    sim_err_clear(&err);
    if (outfile_open(&of, path, &err) != SIM_OK) {
        fprintf(stderr, "proxysim fit: %s\n", err.msg);
        return 2;
    }
    FILE *f = of.fp;
    fprintf(f, "dist,ok,n_params,a,b,c,loglik,aic,ks_d,ks_p,ad,rank_aic,rank_ks,yaml,note\n");
    for (size_t i = 0; i < n; i++) {
        char yaml[256] = "";
        if (r[i].ok) {
            fit_yaml(&r[i], u, yaml, sizeof yaml);
        }
        fprintf(f, "%s,%d,%d,%.10g,%.10g,%.10g,%.10g,%.10g,%.6g,%.6g,%.6g,%zu,%zu,\"%s\",\"%s\"\n",
                sim_dist_kind_name(r[i].kind), r[i].ok, r[i].n_params, r[i].dist.a, r[i].dist.b,
                r[i].dist.c, r[i].loglik, r[i].aic, r[i].ks_d, r[i].ks_p, r[i].ad, r[i].rank_aic,
                r[i].rank_ks, yaml, r[i].note);
    }
    if (outfile_commit(&of, &err) != SIM_OK) {
        fprintf(stderr, "proxysim fit: %s\n", err.msg);
        return 2;
    }
    return 0;
}

static void print_quantiles(const struct samples *s, const struct samples_unit *u)
{
    static const double ps[] = {0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 0.999, 0.9999};
    struct sim_dist emp = {.kind = SIM_DIST_EMPIRICAL, .samples = s->x, .n_samples = s->n};
    char v[48];
    printf("\nempirical quantiles:\n  %-8s", "min");
    fit_format_value(s->x[0], u, v, sizeof v);
    printf("%s\n", v);
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%g", ps[i] * 100.0);
        fit_format_value(sim_dist_quantile(&emp, ps[i]), u, v, sizeof v);
        printf("  %-8s%s\n", name, v);
    }
    fit_format_value(s->x[s->n - 1], u, v, sizeof v);
    printf("  %-8s%s\n", "max", v);
}

static int fit_samples(const char *path, const char *column, const struct samples_unit *unit,
                       const enum sim_dist_kind *kinds, size_t n_kinds, unsigned n_threads,
                       const char *out_dir)
{
    struct sim_err err;
    sim_err_clear(&err);
    struct samples s;
    if (samples_read(&s, path, column, unit, &err) != SIM_OK) {
        fprintf(stderr, "proxysim fit: %s\n", err.msg);
        return 2;
    }
    if (s.n < FIT_MIN_SAMPLES) {
        /* One value has no spread: it cannot tell a constant from any distribution. */
        fprintf(stderr, "proxysim fit: %s: too few samples to fit (got %zu, expected at least %d: "
                "each family estimates a spread as well as a mean, and one sample has none)\n",
                path, s.n, FIT_MIN_SAMPLES);
        samples_fini(&s);
        return 2;
    }
    samples_sort(s.x, s.n);
    struct fit_sample fs;
    fit_sample_init(&fs, s.x, s.n);
    struct fit_result res[6];
    fit_all(&fs, kinds, n_kinds, n_threads, res);

    char mean[48], sd[48], med[48];
    struct sim_dist emp = {.kind = SIM_DIST_EMPIRICAL, .samples = s.x, .n_samples = s.n};
    fit_format_value(fs.mean, unit, mean, sizeof mean);
    fit_format_value(sqrt(fs.var), unit, sd, sizeof sd);
    fit_format_value(sim_dist_quantile(&emp, 0.5), unit, med, sizeof med);
    printf("%s%s%s: n = %zu, mean %s, sd %s, cv %.4g, median %s%s\n\n", path,
           s.column[0] ? " column " : "", s.column, s.n, mean, sd, sqrt(fs.var) / fs.mean, med,
           unit->kind == SAMPLES_UNIT_NONE ? "" : "");
    printf("%-4s %-4s %-17s %-40s %14s %14s %9s %9s %10s\n", "AIC", "KS", "dist", "parameters",
           "loglik", "AIC", "KS D", "KS p", "A-D");
    for (size_t rank = 1; rank <= n_kinds; rank++) {
        for (size_t i = 0; i < n_kinds; i++) {
            if (!res[i].ok || res[i].rank_aic != rank) {
                continue;
            }
            char params[160];
            describe(&res[i], unit, params, sizeof params);
            printf("%-4zu %-4zu %-17s %-40s %14.6g %14.6g %9.5f %9.3g %10.4g\n", res[i].rank_aic,
                   res[i].rank_ks, sim_dist_kind_name(res[i].kind), params, res[i].loglik,
                   res[i].aic, res[i].ks_d, res[i].ks_p, res[i].ad);
        }
    }
    for (size_t i = 0; i < n_kinds; i++) {
        if (!res[i].ok) {
            printf("-    -    %-17s not fitted: %s\n", sim_dist_kind_name(res[i].kind),
                   res[i].note);
        }
    }
    size_t best = fit_best(res, n_kinds);
    bool any_passes = false;
    size_t best_ks = n_kinds;
    for (size_t i = 0; i < n_kinds; i++) {
        any_passes |= res[i].ok && res[i].ks_p >= 0.01;
        if (res[i].ok && res[i].rank_ks == 1) {
            best_ks = i;
        }
    }
    char yaml[256], emp_yaml[512];
    fit_yaml_empirical(path, s.column, unit, emp_yaml, sizeof emp_yaml);
    bool constant = s.x[0] == s.x[s.n - 1];
    if (constant) {
        /* One value: no family has a shape to fit; the config's constant is
         * exact, as shown (5ms) when that reads back, else in the base unit
         * with every digit (1.2345678s). */
        char v[48], exact[48];
        fit_format_value(s.x[0], unit, v, sizeof v);
        int family = unit->kind == SAMPLES_UNIT_TIME ? 1 : unit->kind == SAMPLES_UNIT_SIZE ? 2 : 0;
        double back;
        if (config_parse_quantity(v, family, &back) && back == s.x[0]) {
            snprintf(exact, sizeof exact, "%s", v);
        } else {
            config_format_number(exact, sizeof exact - 2, s.x[0]);
            strcat(exact, family == 1 ? "s" : family == 2 ? "B" : "");
        }
        printf("\nevery sample is %s: a constant\n\n  {dist: deterministic, value: %s}\n", v,
               exact);
    } else if (best < n_kinds) {
        fit_yaml(&res[best], unit, yaml, sizeof yaml);
        printf("\nbest by AIC: %s", sim_dist_kind_name(res[best].kind));
        if (best_ks != best && best_ks < n_kinds) {
            printf(" (best by KS distance: %s)", sim_dist_kind_name(res[best_ks].kind));
        }
        printf("\n");
        if (res[best].kind == SIM_DIST_HYPEREXP) {
            printf("  balanced-means form (mean, cv): KS D %.5f vs %.5f for the 3-parameter "
                   "fit: %s\n",
                   res[best].balanced_ks_d, res[best].ks_d,
                   res[best].balanced_ok ? "fits as well, so the snippet uses it"
                                         : "fits worse, so the snippet gives p, mean1, mean2");
        }
        printf("\n  %s\n", yaml);
    }
    if (unit->kind == SAMPLES_UNIT_NONE) {
        /* A config reads a plain number as seconds (a duration) or bytes (a
         * size): a file in ms pasted as is would be 1000x off. */
        printf("\nnote: no --unit, so the snippet's numbers are in the file's own unit; a config "
               "reads a plain number as seconds or bytes: give --unit (ms, s, KiB, ...) for a "
               "snippet to paste as is\n");
    }
    if (!any_passes && !constant) {
        printf("\nno parametric fit passes the Kolmogorov-Smirnov test at the 1%% level (n = %zu;"
               " with many samples even small departures are significant).\n"
               "The empirical distribution replays the samples themselves:\n\n  %s\n",
               s.n, emp_yaml);
        print_quantiles(&s, unit);
    }
    int rc = 0;
    if (out_dir != NULL) {
        char p[4096];
        snprintf(p, sizeof p, "%s/fit.csv", out_dir);
        rc = write_csv(p, res, n_kinds, unit);
        struct sim_dist dists[6];
        const char *labels[6];
        size_t nd = 0;
        for (size_t rank = 1; rank <= n_kinds; rank++) {
            for (size_t i = 0; i < n_kinds; i++) {
                if (res[i].ok && res[i].rank_aic == rank) {
                    dists[nd] = res[i].dist;
                    labels[nd++] = sim_dist_kind_name(res[i].kind);
                }
            }
        }
        double x_scale = unit->kind == SAMPLES_UNIT_NONE ? 1.0 : unit->scale;
        const char *x_unit = unit->kind == SAMPLES_UNIT_NONE ? "value" : unit->name;
        char title[512];
        snprintf(title, sizeof title, "%s%s%s: n = %zu, fitted densities (by AIC)", path,
                 s.column[0] ? " " : "", s.column, s.n);
        struct sim_err perr;
        sim_err_clear(&perr);
        snprintf(p, sizeof p, "%s/fit_hist.png", out_dir);
        if (rc == 0 && fitplot_histogram(p, title, s.x, s.n, dists, labels, nd, x_scale, x_unit,
                                         &perr) != SIM_OK) {
            rc = 2;
        }
        if (rc == 0 && best < n_kinds) {
            snprintf(title, sizeof title, "Q-Q plot: %s against %s", path,
                     sim_dist_kind_name(res[best].kind));
            snprintf(p, sizeof p, "%s/fit_qq.png", out_dir);
            if (fitplot_qq(p, title, s.x, s.n, &res[best].dist, sim_dist_kind_name(res[best].kind),
                           x_scale, x_unit, &perr) != SIM_OK) {
                rc = 2;
            }
        }
        if (perr.code != SIM_OK) {
            fprintf(stderr, "proxysim fit: %s\n", perr.msg);
        }
        if (rc == 0) {
            printf("\nwrote %s/fit.csv, %s/fit_hist.png, %s/fit_qq.png\n", out_dir, out_dir,
                   out_dir);
        }
    }
    fit_sample_fini(&fs);
    samples_fini(&s);
    return rc;
}

static int fit_arrivals(const char *path, const char *column, double window_s,
                        const char *out_dir)
{
    struct sim_err err;
    sim_err_clear(&err);
    struct samples s;
    if (samples_read_timestamps(&s, path, column, &err) != SIM_OK) {
        fprintf(stderr, "proxysim fit: %s\n", err.msg);
        return 2;
    }
    struct fit_rates fr;
    if (fit_rates_compute(&fr, s.x, s.n, window_s, 0.95, &err) != SIM_OK) {
        fprintf(stderr, "proxysim fit: %s: %s\n", path, err.msg);
        samples_fini(&s);
        return 2;
    }
    const struct samples_unit sec = {"s", SAMPLES_UNIT_TIME, 1.0};
    char w[48], span[48];
    fit_format_value(window_s, &sec, w, sizeof w);
    fit_format_value(fr.last_s - fr.first_s, &sec, span, sizeof span);
    printf("%s: %zu arrivals over %s, mean rate %.4g/s, windows of %s\n\n", path, s.n, span,
           (double)(s.n - 1) / (fr.last_s - fr.first_s), w);
    printf("%-8s %10s %10s %12s %25s\n", "window", "at", "arrivals", "rate/s", "95% CI (Poisson)");
    for (size_t k = 0; k < fr.n_windows; k++) {
        char at[48];
        fit_format_value(fr.w[k].start_s, &sec, at, sizeof at);
        printf("%-8zu %10s %10zu %12.4g       [%9.4g, %9.4g]%s\n", k, at, fr.w[k].count,
               fr.w[k].rate_per_s, fr.w[k].lo_per_s, fr.w[k].hi_per_s,
               fr.w[k].dur_s < window_s * 0.95 ? "  (partial)" : "");
    }
    if (fr.last_s - fr.first_s < window_s) {
        printf("(the trace is shorter than one window: a shorter --window shows how the rate "
               "moves)\n");
    }
    char sub[48] = "";
    if (fr.n_sub >= 2) {
        fit_format_value(fr.sub_window_s, &sec, sub, sizeof sub);
    }
    printf("\ndispersion:\n");
    if (fr.grain_s > 0.0) {
        char g[48];
        fit_format_value(fr.grain_s, &sec, g, sizeof g);
        printf("  timestamps are whole multiples of %s, coarse against the mean gap: the gaps' cv "
               "is not measured, and sub-windows are whole multiples of %s\n", g, g);
    } else {
        printf("  cv of inter-arrival times          %.4g (all gaps), %.4g (gaps rescaled by the "
               "windows' rates; 1 for Poisson)\n",
               fr.gap_cv, fr.gap_cv_norm);
    }
    if (fr.idc_df >= 1.0) {
        printf("  index of dispersion of counts      %.4g (in %s sub-windows, within windows; 1 "
               "for Poisson), %.4g (across whole windows)\n",
               fr.idc_within, sub, fr.idc_across);
    } else {
        printf("  index of dispersion of counts      not measured within windows, %.4g (across "
               "whole windows)\n", fr.idc_across);
    }
    static const char *const verdict[] = {
        [FIT_SHAPE_POISSON] = "consistent with Poisson arrivals at a piecewise-constant rate",
        [FIT_SHAPE_BURSTIER] = "burstier than Poisson within windows: consider on/off arrivals "
                               "or a trace replay",
        [FIT_SHAPE_MORE_REGULAR] = "more regular than Poisson within windows",
        [FIT_SHAPE_UNTESTED] = "not tested: no sub-windows to count in and too few gaps (give a "
                               "--window of two or more whole grains of the timestamps)",
    };
    printf("  %s\n", verdict[fit_rates_shape(&fr)]);
    char *yaml = fit_rates_yaml(&fr);
    printf("\nprofile snippet (piecewise-constant Poisson rate, %s windows", w);
    if (fit_rates_scheduled(&fr) < fr.n_windows) {
        char obs[48];
        fit_format_value(fr.w[fr.n_windows - 1].dur_s, &sec, obs, sizeof obs);
        printf("; the partial last window, observed for %s, is left out: the schedule keeps the "
               "last whole window's rate", obs);
    }
    printf("):\n\n  %s\n", yaml);
    free(yaml);
    int rc = 0;
    if (out_dir != NULL) {
        char p[4096];
        snprintf(p, sizeof p, "%s/rates.csv", out_dir);
        struct outfile of; /* complete or not at all */
        sim_err_clear(&err);
        if (outfile_open(&of, p, &err) != SIM_OK) {
            fprintf(stderr, "proxysim fit: %s\n", err.msg);
            rc = 2;
        } else {
            FILE *f = of.fp;
            fprintf(f, "window,at_s,dur_s,arrivals,rate_per_s,ci95_lo_per_s,ci95_hi_per_s\n");
            for (size_t k = 0; k < fr.n_windows; k++) {
                fprintf(f, "%zu,%.9g,%.9g,%zu,%.9g,%.9g,%.9g\n", k, fr.w[k].start_s,
                        fr.w[k].dur_s, fr.w[k].count, fr.w[k].rate_per_s, fr.w[k].lo_per_s,
                        fr.w[k].hi_per_s);
            }
            if (outfile_commit(&of, &err) != SIM_OK) {
                fprintf(stderr, "proxysim fit: %s\n", err.msg);
                rc = 2;
            } else {
                printf("\nwrote %s\n", p);
            }
        }
    }
    fit_rates_fini(&fr);
    samples_fini(&s);
    return rc;
}

int cli_fit(int argc, char **argv)
{
    enum { OPT_COLUMN = 1, OPT_UNIT, OPT_DISTS, OPT_OUT, OPT_ARRIVALS, OPT_WINDOW, OPT_THREADS,
           OPT_HELP };
    static const struct option opts[] = {
        {"column", required_argument, NULL, OPT_COLUMN},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"dists", required_argument, NULL, OPT_DISTS},
        {"out", required_argument, NULL, OPT_OUT},
        {"arrivals", no_argument, NULL, OPT_ARRIVALS},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *column = NULL, *unit_name = NULL, *out_dir = NULL;
    bool arrivals = false;
    double window_s = 60.0;
    uint64_t n_threads = 0; /* 0: all cores, as elsewhere */
    enum sim_dist_kind kinds[6];
    size_t n_kinds = 6;
    memcpy(kinds, fit_kinds, sizeof kinds);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_COLUMN:
            column = optarg;
            break;
        case OPT_UNIT:
            unit_name = optarg;
            break;
        case OPT_DISTS:
            if (parse_dists(optarg, kinds, &n_kinds) != 0) {
                return 2;
            }
            break;
        case OPT_OUT:
            out_dir = optarg;
            break;
        case OPT_ARRIVALS:
            arrivals = true;
            break;
        case OPT_WINDOW:
            if (parse_duration(optarg, &window_s) != 0) {
                fprintf(stderr, "proxysim fit: --window: expected a duration > 0 such as 60s, "
                                "500ms or 5min, got '%s'\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_THREADS:
            if (args_u64("fit", "--threads", optarg, 0, 1024, &n_threads) != 0) {
                return 2;
            }
            break;
        case OPT_HELP:
        case 'h':
            help();
            return 0;
        default:
            return args_bad_option("fit", argc, argv, opts);
        }
    }
    if (optind != argc - 1) {
        return args_usage_error("fit", "expected one FILE, got %d", argc - optind);
    }
    const char *path = argv[optind];
    if (arrivals && unit_name != NULL) {
        fprintf(stderr, "proxysim fit: --unit does not apply to --arrivals (timestamps are "
                        "seconds or dates)\n");
        return 2;
    }
    struct samples_unit unit;
    if (!arrivals && !samples_unit_parse(unit_name, &unit)) {
        char units[160];
        samples_unit_names(units, sizeof units);
        fprintf(stderr, "proxysim fit: --unit: unknown unit '%s' (expected one of %s)\n",
                unit_name, units);
        return 2;
    }
    if (out_dir != NULL && args_out_dir("fit", out_dir) != 0) {
        return 2; /* after every other check, before the fit: a bad --out costs nothing */
    }
    if (arrivals) {
        return fit_arrivals(path, column, window_s, out_dir);
    }
    return fit_samples(path, column, &unit, kinds, n_kinds,
                       n_threads ? (unsigned)n_threads : sim_cpu_count(), out_dir);
}
