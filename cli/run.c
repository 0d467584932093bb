/* SPDX-License-Identifier: MIT
 *
 * run.c - `proxysim run`: replications of one design under one profile, a
 * summary with confidence intervals, and optional CSV/JSON output.
 *
 *   proxysim run SCENARIO [--profile P --design D] [--reps N] [--seed S]
 *                [--threads T] [--set k=v] [--out DIR] [--json]
 *
 * SCENARIO is a built-in pair "PROFILE[:DESIGN]" (design legacy-reverse by
 * default) until the YAML loader is wired in; --profile/--design override
 * either half.  Results are a pure function of (experiment, seed): the same
 * for any --threads.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/xpsetup.h"
#include "models/config.h"
#include "models/findings.h"
#include "models/proxy.h"
#include "models/results.h"
#include "models/guard.h"
#include "plots/axis.h"
#include "plots/outfile.h"
#include "sim/check.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *USAGE =
    "SCENARIO [--profile P --design D] [--reps N] [--seed S] [--threads T] [--set k=v] "
    "[--out DIR] [--json]";
static const char *HELP =
    "\nReplications of one profile x design: summary metrics with 95% CIs (names in\n"
    "docs/MODELS.md).  SCENARIO is a scenario name or file, a profile (with the\n"
    "legacy-reverse design) or PROFILE:DESIGN.\n"
    "  --profile P        the profile, instead of SCENARIO\n"
    "  --design D         the design of a PROFILE (default legacy-reverse); a scenario\n"
    "                     names its own (swap it with --set design=D)\n"
    "  --reps N           replications (default: the scenario's run.reps, 10)\n"
    XPSETUP_FLAGS_HELP
    "  --out DIR          also write DIR/summary.csv and DIR/timeseries.csv\n"
    "  --json             the summary as JSON on stdout, instead of the table\n";

/* What is shown of a CI: one replication has a mean but no interval, so its
 * bounds are shown as absent ("no CI" in the table, null in JSON), not as a
 * zero-width interval. */
static struct sim_ci shown(const struct sim_ci *ci)
{
    struct sim_ci c = *ci;
    if (c.n < 2) {
        c.lo = c.hi = c.half = NAN;
    }
    return c;
}

/* A transient run has no steady state: what it did is in its time series.  Each
 * series' busiest window (largest mean), with its CI across replications. */
static void print_peak_windows(const struct exp_summary *sum, int w)
{
    printf("transient profile: each series' peak window, mean [%.0f%% CI] across replications "
           "(every window: timeseries.csv with --out)\n",
           100.0 * sum->confidence);
    printf("%-*s %-10s %-36s %s\n", w, "series", "unit", "peak [ci]", "window ends at");
    for (int k = 0; k < RS_N && sum->n_steps > 0; k++) {
        const struct sim_ci *v = &sum->series[(size_t)k * sum->n_steps];
        size_t best = 0;
        for (size_t i = 1; i < sum->n_steps; i++) {
            if (v[i].mean > v[best].mean) {
                best = i;
            }
        }
        struct sim_ci c = shown(&v[best]);
        char text[96];
        axis_format_ci(&c, axis_unit_of(results_series[k].unit), text, sizeof text);
        printf("%-*s %-10s %-36s %.6g s\n", w, results_series[k].name, results_series[k].unit,
               text, sum->t0_s + sum->dt_s * (double)(best + 1));
    }
}

/* What the report's summary says of a cell: the matrix figure closest to its
 * limit (the design's own bound, else the review's yardstick; findings.h),
 * and which cause most errors have (for refusals, which limit refused). */
static void print_limit(const struct experiment *e, const struct exp_summary *sum)
{
    const struct profile *pr = &e->profile;
    struct findings_binding b = findings_binding(&e->design, &pr, &sum, 1);
    if (b.profile != SIZE_MAX) {
        struct sim_ci ci = findings_col_value(&e->design, sum, b.col);
        struct findings_limit lim = findings_col_limit(&e->design, b.col);
        enum axis_unit u = (enum axis_unit)findings_cols[b.col].unit;
        char v[96], l[48];
        axis_format_ci(&ci, u, v, sizeof v);
        axis_format(lim.value, u, l, sizeof l);
        printf("closest to a limit: %s %s, %.0f%% of %s (%s)\n", findings_cols[b.col].title, v,
               100.0 * b.share, l, lim.what);
    }
    int top = -1;
    for (int m = RM_ERROR_RATE_TIMEOUT; m <= RM_ERROR_RATE_UPSTREAM_ERROR; m++) {
        if (sum->metric[m].mean > 0.0 && (top < 0 || sum->metric[m].mean > sum->metric[top].mean)) {
            top = m;
        }
    }
    if (top >= 0) {
        printf("most errors: %s, %.3g%% of requests (of %.3g%% in all)", results_metrics[top].name,
               100.0 * sum->metric[top].mean, 100.0 * sum->metric[RM_ERROR_RATE].mean);
        int why = top == RM_ERROR_RATE_REJECTED ? results_top_refusal_part(sum) : -1;
        if (why >= 0) {
            printf("; the largest part %s, %.3g%%", results_metrics[why].name,
                   100.0 * sum->metric[why].mean);
        }
        printf("\n");
    }
}

static void print_table(const struct experiment *e, const struct exp_summary *sum,
                        unsigned threads, double wall_s)
{
    printf("scenario %s  profile %s  design %s\n", e->name, e->profile.name, e->design.name);
    printf("master seed %" PRIu64 "  replications %zu  threads %u  confidence %.0f%%  wall %.2f s\n",
           e->run.seed, sum->n_reps, threads, 100.0 * sum->confidence, wall_s);
    printf("warm-up %.6g s%s\n", e->profile.warmup_s,
           e->profile.warmup_mser5 ? " (detected by MSER-5 on a pilot replication)" : "");
    /* The simulator's own speed, for capacity planning of long runs (bench/README.md). */
    printf("simulated %" PRIu64 " requests and %" PRIu64 " engine events: %.3g requests and "
           "%.3g events per second of wall time\n",
           sum->n_requests, sum->n_events, (double)sum->n_requests / wall_s,
           (double)sum->n_events / wall_s);
    int w = results_metric_name_width();
    /* Values as compare and sweep show them: SI prefixes, the unit with the
     * mean (167 MiB [166, 168]); the unit column names what a count counts. */
    printf("%-*s %-10s %-36s %s\n", w, "metric", "unit", "mean [ci]", "n");
    for (int m = 0; m < RM_N; m++) {
        if (results_metric_is_refusal_part(m) && sum->metric[m].mean == 0.0) {
            continue; /* a limit that refused nothing (summary.csv and --json keep it) */
        }
        const struct sim_ci c = shown(&sum->metric[m]);
        char text[96];
        axis_format_ci(&c, axis_unit_of(results_metrics[m].unit), text, sizeof text);
        printf("%-*s %-10s %-36s %zu\n", w, results_metrics[m].name, results_metrics[m].unit,
               text, c.n);
    }
    print_limit(e, sum);
    if (e->profile.transient) {
        print_peak_windows(sum, w);
    }
    if (sum->n_stopped) {
        printf("finding (%zu of %zu replications stopped): %s\n", sum->n_stopped, sum->n_reps,
               sum->finding);
    }
}

static void json_num(FILE *f, double x)
{
    if (isfinite(x)) {
        fprintf(f, "%.9g", x);
    } else {
        fprintf(f, "null");
    }
}

static void print_json(const struct experiment *e, const struct exp_summary *sum)
{
    printf("{\"scenario\":\"%s\",\"profile\":\"%s\",\"design\":\"%s\",\"seed\":%" PRIu64
           ",\"reps\":%zu,\"requests\":%" PRIu64 ",\"engine_events\":%" PRIu64 ",\"confidence\":",
           e->name, e->profile.name, e->design.name, e->run.seed, sum->n_reps, sum->n_requests,
           sum->n_events);
    json_num(stdout, sum->confidence);
    printf(",\"replications_stopped\":%zu,\"finding\":\"", sum->n_stopped);
    for (const char *c = sum->finding; *c; c++) {
        if (*c == '"' || *c == '\\') {
            putchar('\\');
        }
        putchar(*c);
    }
    printf("\",\"metrics\":{");
    for (int m = 0; m < RM_N; m++) {
        const struct sim_ci shown_ci = shown(&sum->metric[m]), *ci = &shown_ci;
        printf("%s\"%s\":{\"unit\":\"%s\",\"mean\":", m ? "," : "", results_metrics[m].name,
               results_metrics[m].unit);
        json_num(stdout, ci->mean);
        printf(",\"ci_low\":");
        json_num(stdout, ci->lo);
        printf(",\"ci_high\":");
        json_num(stdout, ci->hi);
        printf(",\"n\":%zu}", ci->n);
    }
    printf("}}\n");
}

/* summary.csv and timeseries.csv, both or neither (a half-written set would
 * pass for a finished run). */
static int write_csvs(const char *dir, const struct exp_summary *sum)
{
    static const char *const names[2] = {"summary.csv", "timeseries.csv"};
    struct outfile outs[2];
    struct sim_err err;
    sim_err_clear(&err);
    for (size_t i = 0; i < 2; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = sim_xmalloc(len);
        snprintf(path, len, "%s/%s", dir, names[i]);
        int rc = outfile_open(&outs[i], path, &err);
        free(path);
        if (rc != SIM_OK) {
            if (i == 1) {
                outfile_abort(&outs[0]);
            }
            fprintf(stderr, "proxysim run: %s\n", err.msg);
            return 2;
        }
    }
    FILE *f = outs[0].fp;
    fprintf(f, "name,unit,mean,ci_low,ci_high,n\n");
    for (int m = 0; m < RM_N; m++) {
        const struct sim_ci shown_ci = shown(&sum->metric[m]), *ci = &shown_ci;
        fprintf(f, "%s,%s,%.9g,%.9g,%.9g,%zu\n", results_metrics[m].name, results_metrics[m].unit,
                ci->mean, ci->lo, ci->hi, ci->n);
    }
    f = outs[1].fp;
    fprintf(f, "t_s");
    for (int k = 0; k < RS_N; k++) {
        fprintf(f, ",%s,%s_ci_low,%s_ci_high", results_series[k].name, results_series[k].name,
                results_series[k].name);
    }
    fprintf(f, "\n");
    for (size_t i = 0; i < sum->n_steps; i++) {
        fprintf(f, "%.6g", sum->t0_s + sum->dt_s * (double)(i + 1));
        for (int k = 0; k < RS_N; k++) {
            const struct sim_ci shown_ci = shown(&sum->series[(size_t)k * sum->n_steps + i]),
                                *ci = &shown_ci;
            fprintf(f, ",%.9g,%.9g,%.9g", ci->mean, ci->lo, ci->hi);
        }
        fprintf(f, "\n");
    }
    if (outfile_commit_all(outs, 2, &err) != SIM_OK) {
        fprintf(stderr, "proxysim run: %s\n", err.msg);
        return 2;
    }
    return 0;
}

int cli_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"profile", required_argument, NULL, 'p'}, {"design", required_argument, NULL, 'd'},
        {"reps", required_argument, NULL, 'r'},    {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"set", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},     {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *profile = NULL, *design = NULL;
    struct xpsetup_flags fl = {0};
    bool json = false;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int rc = 0;
        switch (ch) {
        case 'p': profile = optarg; break;
        case 'd': design = optarg; break;
        case 'j': json = true; break;
        case 'h': printf("usage: proxysim run %s\n%s", USAGE, HELP); return 0;
        default:
            rc = xpsetup_flag("run", ch, optarg, 1, 100000, &fl);
            if (rc < 0) {
                return args_bad_option("run", argc, argv, opts);
            }
        }
        if (rc) {
            return rc;
        }
    }
    char scen[128] = "";
    if (optind < argc) {
        snprintf(scen, sizeof scen, "%s", argv[optind++]);
    }
    if (optind < argc) {
        return args_usage_error("run", "unexpected argument '%s'", argv[optind]);
    }
    if (!scen[0] && !profile) {
        return args_usage_error("run", "expected a SCENARIO, a PROFILE or --profile");
    }
    if (scen[0] && profile) {
        return args_usage_error("run", "--profile: '%s' names the profile already (got --profile "
                                "%s; give one of them)", scen, profile);
    }
    char *colon = strchr(scen, ':');
    if (colon && design) {
        return args_usage_error("run", "--design: '%s' names the design already (got --design "
                                "%s; give one of them)", scen, design);
    }
    if (colon) {
        *colon = '\0';
    }
    const char *pname = profile ? profile : scen;
    const char *dname = design ? design : (colon ? colon + 1 : "legacy-reverse");

    /* A scenario names its own profile and design; anything else is a profile,
     * paired with --design (or the PROFILE:DESIGN form, or legacy-reverse). */
    struct config_overrides ov = {.sets = fl.sets, .n_sets = fl.n_sets};
    struct experiment *e = sim_xcalloc(1, sizeof *e);
    struct sim_err err;
    sim_err_clear(&err);
    enum config_kind kind = CONFIG_PROFILE;
    bool scenario = false;
    if (scen[0] && !colon && !profile) {
        if (config_kind_of(scen, &kind, &err) != SIM_OK) {
            fprintf(stderr, "proxysim run: %s\n", err.msg);
            free(e);
            return 2;
        }
        scenario = kind == CONFIG_SCENARIO;
        /* Say what the file is rather than fail to read it as a profile. */
        const char *why = scenario && design ? "a scenario: it names its own design (swap it with "
                                               "--set design=D)"
                          : kind == CONFIG_DESIGN ? "a design (run it on a profile: PROFILE:DESIGN or "
                                                    "--profile P --design D)"
                                                  : NULL;
        if (why) {
            free(e);
            return args_usage_error("run", "'%s' is %s", scen, why);
        }
    }
    /* Loaded with the --set applied in the same load: the rules across keys
     * hold for the result, and errors name the line of each key in its file. */
    int lrc = scenario ? config_load_experiment(scen, &ov, e, &err)
                       : config_build_experiment(pname, dname, &ov, e, &err);
    if (lrc != SIM_OK) {
        fprintf(stderr, "proxysim run: %s\n", err.msg);
        free(e); /* a failed load leaves nothing to free */
        return 2;
    }
    if (!scenario) {
        snprintf(e->name, sizeof e->name, "%.31s:%.31s", pname, dname);
    }
    if (fl.reps) {
        e->run.reps = (unsigned)fl.reps;
    }
    if (fl.have_seed) {
        e->run.seed = fl.seed;
    }
    unsigned nthreads = fl.threads ? (unsigned)fl.threads
                                   : (e->run.threads ? e->run.threads : sim_cpu_count());
    if (fl.out_dir && args_out_dir("run", fl.out_dir) != 0) {
        config_free_experiment(e); /* before the run, not after it */
        free(e);
        return 2;
    }

    struct rep_result *res = sim_xcalloc(e->run.reps, sizeof *res);
    struct sim_err *errs = sim_xcalloc(e->run.reps, sizeof *errs);
    struct progress pg;
    progress_init(&pg, "run", "reps", false);
    double t0 = guard_wall_s();
    double warmup_used_s = e->profile.warmup_s;
    struct proxy_run_opts ro = {.threads = nthreads,
                                .progress = progress_update,
                                .progress_ctx = &pg,
                                .warmup_s_out = &warmup_used_s};
    size_t failed = proxy_replicate(e, &ro, res, errs);
    e->profile.warmup_s = warmup_used_s; /* what the figures exclude, for the outputs */
    double wall = guard_wall_s() - t0;
    progress_finish(&pg);
    for (size_t i = 0; i < e->run.reps; i++) {
        if (errs[i].code != SIM_OK) {
            fprintf(stderr, "proxysim run: replication %zu (seed %" PRIu64 "): %s\n", i,
                    e->run.seed, errs[i].msg);
        }
    }
    struct exp_summary sum;
    results_summarize(res, e->run.reps, e->run.confidence, &sum);
    int rc = 0;
    if (json) {
        print_json(e, &sum);
    } else {
        print_table(e, &sum, nthreads, wall);
    }
    if (fl.out_dir) {
        rc = write_csvs(fl.out_dir, &sum);
    }
    results_summary_fini(&sum);
    for (size_t i = 0; i < e->run.reps; i++) {
        results_rep_fini(&res[i]);
    }
    free(res);
    free(errs);
    config_free_experiment(e);
    free(e);
    return rc ? rc : (failed ? 1 : 0);
}
