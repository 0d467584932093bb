/* SPDX-License-Identifier: MIT */
#include "models/qmodel.h"

#include "sim/check.h"
#include "sim/pool.h"
#include "sim/resource.h"
#include "sim/sim.h"
#include "sim/stat.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

struct qmodel {
    struct sim *s;
    const struct qmodel_params *p;
    struct sim_resource servers;
    struct sim_pool customers;
    struct sim_level in_system;
    unsigned n_present;
    /* Per-customer sums, kept here rather than in sim_tally: only means are
     * needed, and the counts must be split by fate (served, abandoned). */
    double sum_wait_s, sum_sojourn_s, sum_sojourn_served_s;
    uint64_t n_arrivals, n_blocked, n_granted, n_abandoned, n_served;
};

struct qcust {
    struct qmodel *m;
    double arrived_s;
};

bool qmodel_params_check(const struct qmodel_params *p, const char **why)
{
    const char *msg = NULL;
    bool open = p->arrival_rate_per_s > 0.0;
    if (p->servers < 1) {
        msg = "servers must be >= 1";
    } else if (p->room != 0 && p->room < p->servers) {
        msg = "room K must be 0 (unlimited) or >= servers";
    } else if (open == (p->clients > 0)) {
        msg = "exactly one of arrival_rate_per_s > 0 (open) and clients > 0 (closed)";
    } else if (!open && !(p->think_mean_s > 0.0)) {
        msg = "the closed model needs think_mean_s > 0";
    } else if (!(p->patience_s >= 0.0)) {
        msg = "patience_s must be >= 0 (INFINITY: no timeout)";
    } else if (!(p->warmup_s >= 0.0) || !(p->measure_s > 0.0) || !isfinite(p->measure_s)) {
        msg = "warmup_s >= 0 and a finite measure_s > 0 are needed";
    }
    if (why) {
        *why = msg;
    }
    return msg == NULL;
}

static void on_service_end(struct sim *s, void *subject, void *object);
static void on_arrival(struct sim *s, void *subject, void *object);

static void start_think(struct qmodel *m)
{
    double z = gsl_ran_exponential(sim_rng(m->s, QMODEL_THINK), m->p->think_mean_s);
    sim_schedule(m->s, z, 0, on_arrival, m, NULL);
}

static void leave(struct qmodel *m, struct qcust *c)
{
    double now = sim_now(m->s);
    m->sum_sojourn_s += now - c->arrived_s;
    m->n_present--;
    sim_level_set(&m->in_system, now, (double)m->n_present);
    sim_pool_give(&m->customers, c);
    if (m->p->clients > 0) {
        start_think(m);
    }
}

static void start_service(struct qmodel *m, struct qcust *c)
{
    m->n_granted++;
    m->sum_wait_s += sim_now(m->s) - c->arrived_s;
    double x = sim_dist_sample(&m->p->service, sim_rng(m->s, QMODEL_SERVICE));
    sim_schedule(m->s, x, 0, on_service_end, m, c);
}

static void on_wake(struct sim *s, void *who, void *item, bool ok)
{
    (void)s;
    (void)item;
    struct qcust *c = who;
    struct qmodel *m = c->m;
    if (ok) {
        start_service(m, c);
        return;
    }
    m->n_abandoned++;
    leave(m, c);
}

static void on_service_end(struct sim *s, void *subject, void *object)
{
    struct qmodel *m = subject;
    struct qcust *c = object;
    m->n_served++;
    m->sum_sojourn_served_s += sim_now(s) - c->arrived_s;
    /* Release first: the hand-over starts the head waiter's service at this instant. */
    sim_resource_release(&m->servers);
    leave(m, c);
}

/* An open arrival (subject m, object NULL) or the end of a closed client's think. */
static void on_arrival(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct qmodel *m = subject;
    const struct qmodel_params *p = m->p;
    if (p->clients == 0) {
        double gap = gsl_ran_exponential(sim_rng(s, QMODEL_ARRIVALS), 1.0 / p->arrival_rate_per_s);
        sim_schedule(s, gap, 0, on_arrival, m, NULL);
    }
    m->n_arrivals++;
    if (p->room != 0 && m->n_present >= p->room) {
        m->n_blocked++;
        if (p->clients > 0) {
            start_think(m);
        }
        return;
    }
    struct qcust *c = sim_pool_take(&m->customers);
    c->m = m;
    c->arrived_s = sim_now(s);
    m->n_present++;
    sim_level_set(&m->in_system, c->arrived_s, (double)m->n_present);
    if (sim_resource_acquire(&m->servers, p->patience_s, on_wake, c, NULL)) {
        start_service(m, c);
    }
}

static void on_warmup_end(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct qmodel *m = subject;
    double now = sim_now(s);
    sim_resource_reset_stats(&m->servers);
    sim_level_reset(&m->in_system, now);
    m->sum_wait_s = m->sum_sojourn_s = m->sum_sojourn_served_s = 0.0;
    m->n_arrivals = m->n_blocked = m->n_granted = m->n_abandoned = m->n_served = 0;
}

static double ratio(double num, uint64_t den) { return den ? num / (double)den : NAN; }

void qmodel_run(const struct qmodel_params *p, uint64_t master_seed, uint64_t rep,
                struct qmodel_result *out)
{
    SIM_REQUIRE(qmodel_params_check(p, NULL));
    struct sim_opts opts = {.master_seed = master_seed, .rep = rep, .n_streams = QMODEL_N_STREAMS};
    struct qmodel m;
    memset(&m, 0, sizeof m);
    m.s = sim_create(&opts);
    m.p = p;
    sim_resource_init(&m.servers, m.s, p->servers);
    sim_pool_init(&m.customers, sizeof(struct qcust));
    sim_level_init(&m.in_system, 0.0, 0.0);

    /* Scheduled before any customer event, so at a tie the reset comes first. */
    sim_schedule_at(m.s, p->warmup_s, 0, on_warmup_end, &m, NULL);
    if (p->clients > 0) {
        for (unsigned i = 0; i < p->clients; i++) {
            start_think(&m);
        }
    } else {
        double gap =
            gsl_ran_exponential(sim_rng(m.s, QMODEL_ARRIVALS), 1.0 / p->arrival_rate_per_s);
        sim_schedule(m.s, gap, 0, on_arrival, &m, NULL);
    }
    double end_s = p->warmup_s + p->measure_s;
    sim_run(m.s, end_s);

    double t = p->measure_s;
    uint64_t n_departed = m.n_served + m.n_abandoned;
    struct qmodel_result r;
    memset(&r, 0, sizeof r);
    r.n_arrivals = m.n_arrivals;
    r.n_blocked = m.n_blocked;
    r.n_granted = m.n_granted;
    r.n_abandoned = m.n_abandoned;
    r.n_departed = n_departed;
    r.mean_wait_s = ratio(m.sum_wait_s, m.n_granted);
    const struct sim_loghist *h = &m.servers.wait_hist;
    r.p_wait = h->n ? 1.0 - (double)h->n_zero / (double)h->n : NAN;
    r.wait_p50_s = sim_loghist_quantile(h, 0.50);
    r.wait_p90_s = sim_loghist_quantile(h, 0.90);
    r.wait_p99_s = sim_loghist_quantile(h, 0.99);
    r.mean_sojourn_s = ratio(m.sum_sojourn_s, n_departed);
    r.mean_sojourn_served_s = ratio(m.sum_sojourn_served_s, m.n_served);
    r.frac_blocked = ratio((double)m.n_blocked, m.n_arrivals);
    r.frac_abandoned = ratio((double)m.n_abandoned, m.n_abandoned + m.n_granted);
    r.throughput_per_s = (double)m.n_served / t;
    r.departure_rate_per_s = (double)n_departed / t;
    r.mean_in_system = sim_level_mean(&m.in_system, end_s);
    r.mean_busy = sim_level_mean(&m.servers.busy, end_s);
    r.little_ratio = r.mean_in_system / (r.departure_rate_per_s * r.mean_sojourn_s);
    r.n_events = m.s->n_events;
    *out = r;

    sim_level_fini(&m.in_system);
    /* The resource first: its waiters' timeout events belong to the sim's queue. */
    sim_resource_fini(&m.servers);
    sim_pool_fini(&m.customers);
    sim_destroy(m.s);
}
