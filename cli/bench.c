/* SPDX-License-Identifier: MIT
 *
 * bench.c - `proxysim bench`: the engine's own benchmarks.
 *
 *   mm1   M/M/1 at rho 0.9 through the real event queue, a sim_resource and
 *         the statistics a model collects (busy and queue levels, wait tally
 *         and histogram, sojourn tally).  Two events per customer.
 *   hold  the classic hold model: N pending events; each pop schedules one
 *         new event at now + Exp(1).  Cost per event against N.
 *   reps  the mm1 model as R independent replications on T threads:
 *         replication throughput, for the thread-scaling target.
 *   sse   the proxy model on the `sse` profile with N streams at R events/s
 *         each (issue 5): SSE events and engine events per wall second, and
 *         the simulator's own memory per live stream (peak RSS over a
 *         baseline taken before the model is built).
 *
 * Output is one key=value line per measurement, for bench/run.sh to parse.
 * Timing is wall-clock (CLOCK_MONOTONIC) around the event loop only.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "models/config.h"
#include "models/guard.h"
#include "models/presets.h"
#include "models/proxy.h"
#include "sim/check.h"
#include "sim/dist.h"
#include "sim/pool.h"
#include "sim/replicate.h"
#include "sim/resource.h"
#include "sim/sim.h"
#include "sim/stat.h"

#include <getopt.h>
#include <gsl/gsl_randist.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ---- M/M/1 ---- */

enum { MM1_ARRIVALS, MM1_SERVICE, MM1_N_STREAMS };

struct mm1 {
    double mean_gap_s, mean_service_s;
    uint64_t arrivals_left;
    struct sim_resource server;
    struct sim_pool customers;
    struct sim_tally sojourn;
};

struct customer {
    double arrived_s;
    struct mm1 *m; /* grant callbacks only get the customer */
};

struct mm1_result {
    uint64_t customers, events;
    double wall_s, mean_sojourn_s, mean_wait_s, pending_bytes;
};

static void mm1_depart(struct sim *s, void *subject, void *object)
{
    struct mm1 *m = subject;
    struct customer *c = object;
    sim_tally_add(&m->sojourn, sim_now(s) - c->arrived_s);
    sim_pool_give(&m->customers, c);
    sim_resource_release(&m->server);
}

static void mm1_serve(struct sim *s, struct customer *c)
{
    sim_schedule(s, sim_exp(sim_rng(s, MM1_SERVICE), c->m->mean_service_s), 0,
                 mm1_depart, c->m, c);
}

static void mm1_granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)item;
    (void)ok; /* no timeout here: always a grant */
    mm1_serve(s, who);
}

static void mm1_arrive(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct mm1 *m = subject;
    if (--m->arrivals_left > 0) {
        sim_schedule(s, sim_exp(sim_rng(s, MM1_ARRIVALS), m->mean_gap_s), 0, mm1_arrive,
                     m, NULL);
    }
    struct customer *c = sim_pool_take(&m->customers);
    c->arrived_s = sim_now(s);
    c->m = m;
    if (sim_resource_acquire(&m->server, INFINITY, mm1_granted, c, NULL)) {
        mm1_serve(s, c);
    }
}

static struct mm1_result mm1_run(uint64_t customers, uint64_t seed, uint64_t rep)
{
    struct sim_opts o = {.master_seed = seed, .rep = rep, .n_streams = MM1_N_STREAMS};
    struct sim *s = sim_create(&o);
    struct mm1 m = {.mean_gap_s = 1.0 / 0.9, .mean_service_s = 1.0, .arrivals_left = customers};
    sim_resource_init(&m.server, s, 1);
    sim_pool_init(&m.customers, sizeof(struct customer));
    sim_tally_init(&m.sojourn);
    sim_schedule(s, sim_exp(sim_rng(s, MM1_ARRIVALS), m.mean_gap_s), 0, mm1_arrive, &m,
                 NULL);
    double t0 = guard_wall_s();
    sim_run(s, INFINITY);
    double t1 = guard_wall_s();
    struct mm1_result r = {.customers = m.sojourn.n,
                           .events = s->n_events,
                           .wall_s = t1 - t0,
                           .mean_sojourn_s = sim_tally_mean(&m.sojourn),
                           .mean_wait_s = sim_tally_mean(&m.server.wait)};
    sim_pool_fini(&m.customers);
    sim_resource_fini(&m.server);
    sim_destroy(s);
    return r;
}

/* ---- hold ---- */

struct hold {
    uint64_t left;
};

static void hold_fire(struct sim *s, void *subject, void *object)
{
    struct hold *h = subject;
    if (--h->left == 0) {
        sim_stop(s);
    }
    sim_schedule(s, sim_exp(sim_rng(s, 0), 1.0), 0, hold_fire, h, object);
}

static struct mm1_result hold_run(uint64_t pending, uint64_t events, uint64_t seed)
{
    struct sim_opts o = {.master_seed = seed, .rep = 0, .n_streams = 1};
    struct sim *s = sim_create(&o);
    struct hold h = {.left = events};
    for (uint64_t i = 0; i < pending; i++) {
        sim_schedule(s, sim_exp(sim_rng(s, 0), 1.0), 0, hold_fire, &h, NULL);
    }
    double t0 = guard_wall_s();
    sim_run(s, INFINITY);
    double t1 = guard_wall_s();
    struct mm1_result r = {.events = s->n_events,
                           .wall_s = t1 - t0,
                           .pending_bytes = (double)evq_footprint_bytes(&s->q)};
    sim_destroy(s);
    return r;
}

/* ---- replications ---- */

struct reps_ctx {
    uint64_t customers, seed;
    double *mean_sojourn;
};

static int reps_trial(void *ctx, size_t index, struct sim_err *err)
{
    (void)err;
    struct reps_ctx *c = ctx;
    c->mean_sojourn[index] = mm1_run(c->customers, c->seed, index).mean_sojourn_s;
    return 0;
}

/* ---- the SSE model ---- */

static double max_rss_bytes(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss * 1024.0; /* Linux: KiB */
}

/* One replication of e into *r (the caller finishes it); the wall time of the
 * event loop alone. */
static double run_model(const struct experiment *e, const struct sim_opts *so,
                        struct rep_result *r)
{
    struct sim *s = sim_create(so);
    struct proxy *px = proxy_create(s, e);
    proxy_results_init(&e->profile, r);
    double t0 = guard_wall_s();
    proxy_run(px);
    double wall = guard_wall_s() - t0;
    proxy_collect(px, r);
    proxy_destroy(px);
    sim_destroy(s);
    return wall;
}

/* Runs the model once on 10 streams for 1 s, so the program's code and
 * libraries are resident before the baseline: the RSS delta of the measured
 * run is then the simulation's own data, not the text it executes. */
static void page_in(const struct experiment *e, const struct sim_opts *so)
{
    struct experiment small = *e;
    struct schedule_point ten = {.at_s = 0.0, .value = 10.0};
    small.profile.clients = (struct schedule){1, &ten};
    small.profile.duration_s = 1.0;
    struct rep_result r;
    run_model(&small, so, &r);
    results_rep_fini(&r);
}

static int sse_bench(uint64_t streams, uint64_t rate, uint64_t duration_s, uint64_t seed,
                     const char *design, int64_t slow_pct)
{
    /* The workload is the benchmark's own (only GET streams, no restart, no fan-out),
     * so its numbers stay comparable as the shipped sse profile evolves; the design is
     * the shipped one. */
    struct schedule_point clients = {.at_s = 0.0, .value = (double)streams};
    struct experiment e;
    presets_default_experiment(&e);
    struct sim_err err;
    if (config_load_design(design, &e.design, &err) != SIM_OK) {
        fprintf(stderr, "proxysim bench: %s\n", err.msg);
        return 2;
    }
    snprintf(e.profile.name, sizeof e.profile.name, "bench-sse");
    e.profile.arrivals = ARRIVALS_CLOSED;
    e.profile.mix = (struct request_mix){.get_sse_p = 1.0};
    e.profile.think_s = sim_dist_exponential(5.0);
    e.profile.sse.slow_client_p = 0.05;
    e.profile.clients = (struct schedule){1, &clients};
    e.profile.sse.event_gap_s = sim_dist_exponential(1.0 / (double)rate);
    e.profile.sse.lifetime_s = sim_dist_exponential(3600.0); /* streams stay up */
    e.profile.duration_s = (double)duration_s;
    e.profile.warmup_s = 0.0;
    if (slow_pct >= 0) {
        /* Slow clients' unbounded queues hold simulated messages (8 B each in the
         * simulator) that grow with time: 0 isolates the per-stream cost. */
        e.profile.sse.slow_client_p = (double)slow_pct / 100.0;
    }
    e.design.guard.max_wall_s = INFINITY;
    struct sim_opts so = {.master_seed = seed, .rep = 0, .n_streams = PROXY_N_STREAMS};
    page_in(&e, &so);
    double rss0 = max_rss_bytes();
    struct rep_result r;
    double wall = run_model(&e, &so, &r);
    double rss1 = max_rss_bytes();
    double live = r.metric[RM_SSE_STREAMS_LIVE_PEAK], sse_events = r.metric[RM_SSE_EVENTS];
    printf("model=sse design=%s streams=%" PRIu64 " rate_per_s=%" PRIu64 " duration_s=%" PRIu64
           " wall_s=%.4f sse_events=%.0f sse_events_per_s=%.0f engine_events=%" PRIu64
           " engine_events_per_s=%.0f live_streams_peak=%.0f rss_delta_bytes=%.0f"
           " rss_bytes_per_stream=%.1f slow_p=%.2f\n",
           design, streams, rate, duration_s, wall, sse_events, sse_events / wall, r.n_events,
           (double)r.n_events / wall, live, rss1 - rss0,
           live > 0.0 ? (rss1 - rss0) / live : NAN, e.profile.sse.slow_client_p);
    results_rep_fini(&r);
    config_free_design(&e.design);
    return 0;
}

/* ---- command ---- */

static const char usage_line[] =
    "mm1 [--customers N] [--seed S] | hold [--pending N] [--events N] [--seed S] | "
    "reps [--reps R] [--threads T] [--customers N] | "
    "sse [--streams N] [--rate R] [--duration S] [--design D] [--slow-pct P] [--seed S]";

static const char help_text[] =
    "\nEngine and SSE benchmarks; one key=value line per run (bench/README.md).\n"
    "  mm1    an M/M/1 queue at rho 0.9: --customers N (default 4000000)\n"
    "  hold   the classic hold model on the event queue: --pending N (default: each of\n"
    "         10, 100, ..., 1000000), --events N per size (default 20000000)\n"
    "  reps   replications of mm1 on threads: --reps R (default 8), --threads T\n"
    "         (default and 0: all cores), --customers N per replication (default 4000000)\n"
    "  sse    the sse profile: --streams N (default 5000), --rate R events/s per stream\n"
    "         (default 10), --duration S seconds (default 60), --design D (default\n"
    "         legacy-reverse), --slow-pct P slow clients in % (default: the profile's)\n"
    "  --seed S  master seed of every benchmark (default 12345)\n";

int cli_bench(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc < 2 ? stderr : stdout, "usage: proxysim bench %s\n%s", usage_line,
                argc < 2 ? "" : help_text);
        return argc < 2 ? 2 : 0;
    }
    const char *which = argv[1];
    uint64_t customers = 4000000, pending = 0, events = 0, seed = 12345, reps = 8, threads = 0;
    uint64_t streams = 5000, rate = 10, duration = 60;
    const char *design = "legacy-reverse";
    uint64_t slow_pct = UINT64_MAX;
    static const struct option opts[] = {
        {"customers", required_argument, NULL, 'c'}, {"pending", required_argument, NULL, 'p'},
        {"events", required_argument, NULL, 'n'},    {"seed", required_argument, NULL, 's'},
        {"reps", required_argument, NULL, 'r'},      {"threads", required_argument, NULL, 't'},
        {"streams", required_argument, NULL, 'S'},   {"rate", required_argument, NULL, 'R'},
        {"duration", required_argument, NULL, 'D'},  {"design", required_argument, NULL, 'd'},
        {"slow-pct", required_argument, NULL, 'P'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
        int rc = 0;
        switch (ch) {
        case 'c':
            rc = args_u64("bench", "--customers", optarg, 1, UINT64_C(1) << 40, &customers);
            break;
        case 'p':
            rc = args_u64("bench", "--pending", optarg, 1, 100000000, &pending);
            break;
        case 'n':
            rc = args_u64("bench", "--events", optarg, 1, UINT64_C(1) << 40, &events);
            break;
        case 's':
            rc = args_u64("bench", "--seed", optarg, 0, UINT64_MAX, &seed);
            break;
        case 'r':
            rc = args_u64("bench", "--reps", optarg, 1, 100000, &reps);
            break;
        case 't':
            rc = args_u64("bench", "--threads", optarg, 0, 1024, &threads);
            break;
        case 'S':
            rc = args_u64("bench", "--streams", optarg, 1, 10000000, &streams);
            break;
        case 'R':
            rc = args_u64("bench", "--rate", optarg, 1, 1000000, &rate);
            break;
        case 'D':
            rc = args_u64("bench", "--duration", optarg, 1, 1000000, &duration);
            break;
        case 'd':
            design = optarg;
            break;
        case 'P':
            rc = args_u64("bench", "--slow-pct", optarg, 0, 100, &slow_pct);
            break;
        case 'h':
            printf("usage: proxysim bench %s\n%s", usage_line, help_text);
            return 0;
        default:
            return args_bad_option("bench", argc - 1, argv + 1, opts);
        }
        if (rc) {
            return rc;
        }
    }
    if (optind < argc - 1) {
        return args_usage_error("bench", "unexpected argument '%s'", argv[optind + 1]);
    }

    if (strcmp(which, "mm1") == 0) {
        struct mm1_result r = mm1_run(customers, seed, 0);
        printf("model=mm1 rho=0.9 seed=%" PRIu64 " customers=%" PRIu64 " events=%" PRIu64
               " wall_s=%.4f customers_per_s=%.0f events_per_s=%.0f ns_per_event=%.2f"
               " mean_sojourn_s=%.4f expected=10.0000 mean_wait_s=%.4f\n",
               seed, r.customers, r.events, r.wall_s, (double)r.customers / r.wall_s,
               (double)r.events / r.wall_s, 1e9 * r.wall_s / (double)r.events, r.mean_sojourn_s,
               r.mean_wait_s);
        return 0;
    }
    if (strcmp(which, "hold") == 0) {
        static const uint64_t sizes[] = {10, 100, 1000, 10000, 100000, 1000000};
        size_t n_sizes = pending ? 1 : sizeof sizes / sizeof sizes[0];
        for (size_t i = 0; i < n_sizes; i++) {
            uint64_t p = pending ? pending : sizes[i];
            uint64_t n = events ? events : 20000000;
            struct mm1_result r = hold_run(p, n, seed);
            printf("model=hold pending=%" PRIu64 " events=%" PRIu64
                   " wall_s=%.4f events_per_s=%.0f ns_per_event=%.2f bytes_per_pending=%.1f\n",
                   p, r.events, r.wall_s, (double)r.events / r.wall_s,
                   1e9 * r.wall_s / (double)r.events, r.pending_bytes / (double)p);
        }
        return 0;
    }
    if (strcmp(which, "reps") == 0) {
        struct reps_ctx c = {.customers = customers, .seed = seed};
        c.mean_sojourn = sim_xcalloc(reps, sizeof *c.mean_sojourn);
        struct sim_replicate_opts ro = {.n_threads = (unsigned)threads};
        double t0 = guard_wall_s();
        size_t failed = sim_replicate(reps, reps_trial, &c, &ro, NULL);
        double t1 = guard_wall_s();
        struct sim_ci ci = sim_ci_compute(c.mean_sojourn, reps, 0.95);
        printf("model=reps threads=%u reps=%" PRIu64 " customers=%" PRIu64
               " wall_s=%.4f reps_per_s=%.3f customers_per_s=%.0f mean_sojourn_s=%.4f"
               " ci_half=%.4f failed=%zu\n",
               threads ? (unsigned)threads : sim_cpu_count(), reps, customers, t1 - t0,
               (double)reps / (t1 - t0), (double)(reps * customers) / (t1 - t0), ci.mean, ci.half,
               failed);
        free(c.mean_sojourn);
        return failed ? 1 : 0;
    }
    if (strcmp(which, "sse") == 0) {
        return sse_bench(streams, rate, duration, seed, design,
                         slow_pct == UINT64_MAX ? -1 : (int64_t)slow_pct);
    }
    return args_usage_error("bench", "unknown benchmark '%s' (expected mm1, hold, reps or sse)",
                            which);
}
