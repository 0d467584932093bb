/* SPDX-License-Identifier: MIT */
#include "models/findings.h"

#include "sim/check.h"

#include <math.h>
#include <stdint.h>

/* Units as plots/axis.h numbers them (NONE, S, BYTES, PER_S, FRACTION); the
 * values are repeated here because models/ must not include plots/. */
enum { U_NONE = 0, U_S = 1, U_BYTES = 2, U_FRACTION = 4 };

const struct findings_col_info findings_cols[FC_N] = {
    [FC_TASKS] = {"peak tasks", RM_TASKS_LIVE_PEAK, U_NONE, 1.0},
    [FC_MEMORY] = {"peak memory", RM_MEMORY_BYTES_PEAK, U_BYTES, 1024.0},
    [FC_CLIENT_CONNS] = {"peak client conns", RM_CLIENT_CONNS_PEAK, U_NONE, 1.0},
    [FC_UPSTREAM_CONNS] = {"peak upstream conns", RM_UPSTREAM_CONNS_PEAK, U_NONE, 1.0},
    [FC_POOL_CONNS] = {"peak pool conns", RM_POOL_CONNS_PEAK, U_NONE, 1.0},
    [FC_POOL_UTIL] = {"pool saturation (P wait)", RM_POOL_WAIT_PROB, U_FRACTION, 0.01},
    [FC_POOL_WAIT_P99] = {"p99 pool wait", RM_POOL_WAIT_P99_S, U_S, 1e-3},
    [FC_LATENCY_P99] = {"p99 latency", RM_LATENCY_P99_S, U_S, 1e-4},
    [FC_ERROR_RATE] = {"error rate", RM_ERROR_RATE, U_FRACTION, 5e-3},
};

const char *const findings_question_text[FQ_N] = {
    [FQ_SPAWN] = "Unbounded task spawning?",
    [FQ_BACKPRESSURE] = "Backpressure present?",
    [FQ_BUFFERS] = "Buffers reused (hit rate)?",
    [FQ_SESSIONS] = "Session cleanup deterministic?",
    [FQ_SSE_LEAKS] = "Memory leaks on long-lived SSE?",
    [FQ_POOL] = "Pool exhaustion handled gracefully?",
    [FQ_ERROR_PATHS] = "Error paths cleaning up?",
};

const char *const findings_verdict_text[4] = {"ok", "concern", "problem", "not exercised"};

const char *const findings_cause_text[] = {
    [FCAUSE_NONE] = "",
    [FCAUSE_SESS_NO_CLEANUP] = "no removal on close and no cleanup task",
    [FCAUSE_SESS_LEAK] = "error paths leak sessions",
    [FCAUSE_SESS_CAPACITY] = "store cap reached; cleanup itself is deterministic",
    [FCAUSE_POOL_NO_CAP] = "no capped shared pool",
    [FCAUSE_POOL_PER_STREAM] = "per-stream SSE clients outside the pool",
    [FCAUSE_POOL_CHURN] = "pooled connections churn into TIME_WAIT",
    [FCAUSE_POOL_NO_TIMEOUT] = "no acquire timeout",
    [FCAUSE_SSE_FILLING] = "still filling toward its bound; run longer",
};

struct findings_limit findings_col_limit(const struct design *d, enum findings_col c)
{
    switch (c) {
    case FC_TASKS:
        if (isfinite(d->spawn.max_tasks)) {
            return (struct findings_limit){d->spawn.max_tasks, true, "spawn.max_tasks"};
        }
        return (struct findings_limit){FINDINGS_REVIEW_MAX_TASKS, false, "review max_tasks"};
    case FC_MEMORY:
        if (isfinite(d->server.max_memory_bytes)) {
            return (struct findings_limit){d->server.max_memory_bytes, true, "server.max_memory"};
        }
        return (struct findings_limit){FINDINGS_REVIEW_MAX_MEMORY_BYTES, false,
                                       "review max_memory"};
    case FC_CLIENT_CONNS:
        if (isfinite(d->server.max_client_conns)) {
            return (struct findings_limit){d->server.max_client_conns, true,
                                           "server.max_client_conns"};
        }
        return (struct findings_limit){FINDINGS_REVIEW_MAX_CONNS, false, "review max_connections"};
    case FC_UPSTREAM_CONNS:
        /* Every socket towards the upstream, whatever client opened it: the
         * request pool, per-stream SSE clients, per-request clients.  No cap
         * governs them all; the ports towards the upstream do. */
        return (struct findings_limit){d->upstream.ephemeral_ports, false, "ephemeral ports"};
    case FC_POOL_CONNS:
        /* upstream.max_conns caps the one shared request pool (GET streams too
         * when sse.upstream_scope is shared); a per-request client has a pool
         * per request, so its cap bounds nothing in the process. */
        if (isfinite(d->upstream.max_conns) && d->upstream.scope == SCOPE_SHARED) {
            return (struct findings_limit){d->upstream.max_conns, true, "upstream.max_conns"};
        }
        return (struct findings_limit){INFINITY, false, "no pool cap"};
    case FC_POOL_UTIL:
        return (struct findings_limit){1.0, false, "every acquire waits"};
    case FC_POOL_WAIT_P99:
        if (isfinite(d->upstream.acquire_timeout_s)) {
            return (struct findings_limit){d->upstream.acquire_timeout_s, true,
                                           "upstream.acquire_timeout"};
        }
        return (struct findings_limit){FINDINGS_LATENCY_SLO_S, false, "p99 SLO"};
    case FC_LATENCY_P99:
        return (struct findings_limit){FINDINGS_LATENCY_SLO_S, false, "p99 SLO"};
    case FC_ERROR_RATE:
        return (struct findings_limit){FINDINGS_ERROR_BUDGET, false, "error budget"};
    case FC_N:
        break;
    }
    SIM_REQUIRE(false);
    return (struct findings_limit){INFINITY, false, ""};
}

static bool pool_capped(const struct design *d)
{
    return isfinite(d->upstream.max_conns) && d->upstream.scope == SCOPE_SHARED;
}

struct sim_ci findings_col_value(const struct design *d, const struct exp_summary *s,
                                 enum findings_col c)
{
    (void)d;
    /* Not mean connections over the cap: the host's connection count mixes
     * the request pool with the SSE stream pool, and per-request clients
     * have no cap at all.  The share of acquires that wait is the pool's
     * saturation whatever its scope (Erlang C's P(wait) for a shared pool). */
    return s->metric[findings_cols[c].metric];
}

double findings_share(const struct design *d, const struct exp_summary *s, enum findings_col c)
{
    struct findings_limit lim = findings_col_limit(d, c);
    double v = findings_col_value(d, s, c).mean;
    if (!isfinite(lim.value) || !(lim.value > 0.0) || isnan(v)) {
        return NAN;
    }
    return v / lim.value;
}

double findings_closeness(const struct design *d, const struct exp_summary *s,
                          enum findings_col c)
{
    double x = findings_share(d, s, c);
    return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); /* NAN stays NAN */
}

/* Whether a figure at share x of column c's limit binds before b.  Closer to
 * its limit first.  Among figures at or past their limits the design's own
 * bound comes first (a cap that is reached explains the refusals behind an
 * error rate past its budget); shares past 100% are not compared, since the
 * yardsticks are of different kinds (2,910% of a 1% error budget says less
 * than 312% of the review's tasks), so the column order decides: resources
 * before their symptoms, latency and errors.  Ties go to the first profile
 * and column, so the sentence is stable from run to run. */
static bool binds_before(const struct design *d, double x, enum findings_col c,
                         const struct findings_binding *b)
{
    if (b->col == FC_N) {
        return true;
    }
    double cx = fmin(x, 1.0), cb = fmin(b->share, 1.0);
    if (cx != cb) {
        return cx > cb;
    }
    return cx >= 1.0 && findings_col_limit(d, c).from_design &&
           !findings_col_limit(d, b->col).from_design;
}

struct findings_binding findings_binding(const struct design *d, const struct profile *const *pr,
                                         const struct exp_summary *const *s, size_t n_profiles)
{
    struct findings_binding b = {.profile = SIZE_MAX, .col = FC_N, .share = -1.0};
    for (size_t p = 0; p < n_profiles; p++) {
        if (s[p] == NULL) {
            continue;
        }
        for (int c = 0; c < FC_N; c++) {
            if (c == FC_LATENCY_P99 && pr[p]->mix.post_sse_p > 0.0) {
                continue;
            }
            double x = findings_share(d, s[p], (enum findings_col)c);
            if (!isnan(x) && binds_before(d, x, (enum findings_col)c, &b)) {
                b = (struct findings_binding){p, (enum findings_col)c, x};
            }
        }
    }
    if (b.profile == SIZE_MAX) {
        b.share = NAN;
    }
    return b;
}

bool findings_spawn_bounded(const struct design *d)
{
    if (isfinite(d->spawn.max_tasks)) {
        return true;
    }
    const struct spawn_site *sites[] = {&d->spawn.per_conn,    &d->spawn.per_request,
                                        &d->spawn.per_stream,  &d->spawn.per_event,
                                        &d->spawn.per_release, &d->spawn.per_upstream_conn};
    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
        if (sites[i]->enabled && !isfinite(sites[i]->max_live)) {
            return false;
        }
    }
    return true;
}

/* ---- helpers over profiles ---- */

static bool usable(const struct sim_ci *ci) { return ci->n > 0 && !isnan(ci->mean); }

/* The profile where metric m has its largest (else smallest) mean, the first
 * of equals; SIZE_MAX: none measured. */
static size_t arg_extreme(const struct exp_summary *const *s, size_t n, int m, bool largest)
{
    size_t best = SIZE_MAX;
    for (size_t p = 0; p < n; p++) {
        if (!s[p] || !usable(&s[p]->metric[m])) {
            continue;
        }
        double v = s[p]->metric[m].mean;
        if (best == SIZE_MAX ||
            (largest ? v > s[best]->metric[m].mean : v < s[best]->metric[m].mean)) {
            best = p;
        }
    }
    return best;
}

static size_t argmax(const struct exp_summary *const *s, size_t n, int m)
{
    return arg_extreme(s, n, m, true);
}

static size_t argmin(const struct exp_summary *const *s, size_t n, int m)
{
    return arg_extreme(s, n, m, false);
}

static void add_ev(struct findings_answer *a, const struct exp_summary *const *s, size_t p, int m)
{
    if (p == SIZE_MAX || a->n_ev == FINDINGS_MAX_EVIDENCE) {
        return;
    }
    a->ev[a->n_ev++] = (struct findings_evidence){m, p, s[p]->metric[m]};
}

/* Lower CI bound above zero: the quantity is really there, not noise. */
static bool significantly_positive(const struct sim_ci *ci)
{
    if (!usable(ci)) {
        return false;
    }
    if (isnan(ci->half)) {
        return ci->mean > 0.0;
    }
    return ci->lo > 0.0;
}

static bool has_sse(const struct profile *p) { return p->mix.get_sse_p > 0.0; }

/* ---- the seven questions ---- */

static void q_spawn(const struct design *d, const struct exp_summary *const *s, size_t n,
                    struct findings_answer *a)
{
    a->has_mechanism = findings_spawn_bounded(d);
    size_t hi = argmax(s, n, RM_TASKS_LIVE_PEAK);
    size_t lo = argmin(s, n, RM_TASKS_LIVE_PEAK);
    if (hi == SIZE_MAX) {
        a->verdict = FV_UNTESTED;
        return;
    }
    add_ev(a, s, hi, RM_TASKS_LIVE_PEAK);
    add_ev(a, s, hi, RM_TASKS_SPAWNED_PER_S);
    add_ev(a, s, hi, RM_CLIENT_CONNS_PEAK);
    double peak = s[hi]->metric[RM_TASKS_LIVE_PEAK].mean;
    double lim = findings_col_limit(d, FC_TASKS).value;
    if (a->has_mechanism) {
        a->verdict = FV_OK;
    } else if (peak >= lim || (lo != hi && peak > 10.0 * s[lo]->metric[RM_TASKS_LIVE_PEAK].mean &&
                               peak > 0.5 * lim)) {
        /* No bound and the count follows the load up to the review's limit. */
        a->verdict = FV_PROBLEM;
    } else {
        a->verdict = FV_CONCERN;
    }
}

static void q_backpressure(const struct design *d, const struct profile *const *pr,
                           const struct exp_summary *const *s, size_t n, struct findings_answer *a)
{
    bool channel_bounded = isfinite(d->sse.channel.capacity_msgs) ||
                           isfinite(d->sse.channel.capacity_bytes);
    bool admission = isfinite(d->server.max_client_conns) || isfinite(d->server.max_inflight) ||
                     d->server.rate_limit || isfinite(d->spawn.max_tasks) ||
                     isfinite(d->server.max_memory_bytes) || d->server.degradation.enabled;
    a->has_mechanism = channel_bounded && admission;
    size_t q = argmax(s, n, RM_QUEUED_BYTES_PEAK);
    if (q == SIZE_MAX) {
        a->verdict = FV_UNTESTED;
        return;
    }
    add_ev(a, s, q, RM_QUEUED_BYTES_PEAK);
    size_t e = argmax(s, n, RM_ERROR_RATE_REJECTED);
    add_ev(a, s, e, RM_ERROR_RATE_REJECTED);
    int part = e != SIZE_MAX ? results_top_refusal_part(s[e]) : -1;
    if (part >= 0) {
        add_ev(a, s, e, part); /* which limit refused most there */
    }
    size_t dr = argmax(s, n, RM_SSE_EVENTS_DROPPED);
    if (dr != SIZE_MAX && pr[dr] && has_sse(pr[dr])) {
        add_ev(a, s, dr, RM_SSE_EVENTS_DROPPED);
    }
    /* Queued bytes beyond a MiB with no bound on the channel is memory that
     * only a slow client controls. */
    if (!channel_bounded && s[q]->metric[RM_QUEUED_BYTES_PEAK].mean > 1048576.0) {
        a->verdict = FV_PROBLEM;
    } else {
        a->verdict = a->has_mechanism ? FV_OK : FV_CONCERN;
    }
}

static void q_buffers(const struct design *d, const struct exp_summary *const *s, size_t n,
                      struct findings_answer *a)
{
    a->has_mechanism = d->buffers.pooled;
    size_t lo = argmin(s, n, RM_BUFFER_POOL_HIT_RATE);
    size_t b = argmax(s, n, RM_BUFFERS_IN_USE_PEAK);
    if (lo == SIZE_MAX && b == SIZE_MAX) {
        a->verdict = FV_UNTESTED;
        return;
    }
    add_ev(a, s, lo, RM_BUFFER_POOL_HIT_RATE);
    add_ev(a, s, b, RM_BUFFERS_IN_USE_PEAK);
    if (!d->buffers.pooled || lo == SIZE_MAX) {
        a->verdict = FV_PROBLEM;
    } else if (s[lo]->metric[RM_BUFFER_POOL_HIT_RATE].mean < FINDINGS_HIT_RATE_TARGET) {
        a->verdict = FV_CONCERN;
    } else {
        a->verdict = FV_OK;
    }
}

static void q_sessions(const struct design *d, const struct exp_summary *const *s, size_t n,
                       struct findings_answer *a)
{
    a->has_mechanism = d->sessions.remove_on_close || isfinite(d->sessions.cleanup_interval_s);
    size_t pk = argmax(s, n, RM_SESSIONS_LIVE_PEAK);
    if (pk == SIZE_MAX) {
        a->verdict = FV_UNTESTED;
        return;
    }
    add_ev(a, s, pk, RM_SESSIONS_LIVE_PEAK);
    size_t ev = argmax(s, n, RM_SESSIONS_EVICTED_PER_S);
    add_ev(a, s, ev, RM_SESSIONS_EVICTED_PER_S);
    size_t lk = argmax(s, n, RM_SESSIONS_LEAKED);
    add_ev(a, s, lk, RM_SESSIONS_LEAKED);
    bool full = s[pk]->metric[RM_SESSIONS_LIVE_PEAK].mean >= 0.95 * d->sessions.max_sessions;
    bool evicting = ev != SIZE_MAX && significantly_positive(&s[ev]->metric[RM_SESSIONS_EVICTED_PER_S]);
    bool leaking = lk != SIZE_MAX && significantly_positive(&s[lk]->metric[RM_SESSIONS_LEAKED]);
    if (leaking) {
        /* Error paths that skip the removal: cleanup is not deterministic
         * whatever the design means to do. */
        a->verdict = FV_PROBLEM;
        a->cause = FCAUSE_SESS_LEAK;
    } else if (full && evicting && !a->has_mechanism) {
        /* The store is only emptied by LRU eviction at its cap: cleanup is
         * capacity-driven, not deterministic. */
        a->verdict = FV_PROBLEM;
        a->cause = FCAUSE_SESS_NO_CLEANUP;
    } else if (full && evicting) {
        /* Closed sessions go at once and idle ones at the sweep, so cleanup
         * is deterministic; the store still reaches its cap, with the live
         * clients' sessions and those abandoned (a new id) within the TTL.
         * Its size, not its cleanup, is what to change: a concern, with the
         * client connections beside the cap. */
        add_ev(a, s, pk, RM_CLIENT_CONNS_PEAK);
        a->verdict = FV_CONCERN;
        a->cause = FCAUSE_SESS_CAPACITY;
    } else {
        a->verdict = a->has_mechanism ? FV_OK : FV_CONCERN;
        a->cause = a->has_mechanism ? FCAUSE_NONE : FCAUSE_SESS_NO_CLEANUP;
    }
}

double findings_sse_settle_s(const struct design *d, const struct profile *pf)
{
    const struct tracker_params *tp = &d->tracker;
    if (tp->scope != TRACKER_NONE && tp->retained_after_close) {
        return INFINITY; /* a closed stream's tracker stays: grows with every reconnect */
    }
    if (tp->scope == TRACKER_PER_SESSION && !isfinite(tp->ttl_s)) {
        return INFINITY; /* kept across streams with no time bound */
    }
    /* Live streams settle in about a lifetime, and a per-stream tracker or
     * channel holds at most what its stream lived to fill (the TTL or
     * max_ids may stop it sooner); a per-session tracker fills for its TTL. */
    double life = sim_dist_mean(&pf->sse.lifetime_s);
    double settle = isfinite(life) && life > 0.0 ? life : 0.0;
    if (tp->scope == TRACKER_PER_SESSION) {
        settle = fmax(settle, tp->ttl_s);
    }
    return settle;
}

double findings_growth_window_s(const struct profile *pf)
{
    return pf->duration_s - profile_growth_from_s(pf);
}

bool findings_sse_filling(const struct design *d, const struct profile *pf)
{
    double settle = findings_sse_settle_s(d, pf);
    return isfinite(settle) && settle >= 0.5 * findings_growth_window_s(pf);
}

/* The SSE-leak verdict of one profile, worst last: no growth, growth below
 * 1 KiB/s, growth over a window SSE state has not yet settled in, growth. */
enum sse_grade { SSE_OK, SSE_SLOW, SSE_FILLING, SSE_GROWS };

static enum sse_grade sse_grade(const struct design *d, const struct profile *pf,
                                const struct sim_ci *g)
{
    if (!significantly_positive(g)) {
        return SSE_OK;
    }
    /* Growth of less than 1 KiB/s is 3.5 MiB an hour: below what the
     * review's 24 h leak test would call a leak at this scale. */
    if (g->mean <= 1024.0) {
        return SSE_SLOW;
    }
    return findings_sse_filling(d, pf) ? SSE_FILLING : SSE_GROWS;
}

static void q_sse_leaks(const struct design *d, const struct profile *const *pr,
                        const struct exp_summary *const *s, size_t n, struct findings_answer *a)
{
    /* SSE memory (streams, trackers, queued channel bytes), not the total:
     * a request backlog or a filling buffer pool is not an SSE leak.  Every
     * profile with long-lived streams is graded; the worst grade answers,
     * the larger growth among equals. */
    size_t worst = SIZE_MAX;
    enum sse_grade wg = SSE_OK;
    for (size_t p = 0; p < n; p++) {
        if (s[p] == NULL || !usable(&s[p]->metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S]) ||
            !has_sse(pr[p])) {
            continue;
        }
        const struct sim_ci *g = &s[p]->metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S];
        enum sse_grade pg = sse_grade(d, pr[p], g);
        if (worst == SIZE_MAX || pg > wg ||
            (pg == wg && g->mean > s[worst]->metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S].mean)) {
            worst = p;
            wg = pg;
        }
    }
    if (worst == SIZE_MAX) {
        a->verdict = FV_UNTESTED;
        return;
    }
    a->has_mechanism = isfinite(findings_sse_settle_s(d, pr[worst]));
    add_ev(a, s, worst, RM_SSE_MEMORY_GROWTH_BYTES_PER_S);
    add_ev(a, s, worst, RM_EVENT_TRACKER_BYTES_PEAK);
    add_ev(a, s, worst, RM_SSE_QUEUED_BYTES_PEAK);
    add_ev(a, s, worst, RM_MEMORY_GROWTH_BYTES_PER_S);
    switch (wg) {
    case SSE_GROWS:
        a->verdict = FV_PROBLEM;
        break;
    case SSE_FILLING:
        a->verdict = FV_CONCERN;
        a->cause = FCAUSE_SSE_FILLING;
        break;
    case SSE_SLOW:
        a->verdict = FV_CONCERN;
        break;
    case SSE_OK:
        a->verdict = FV_OK;
        break;
    }
}

static void q_pool(const struct design *d, const struct profile *const *pr,
                   const struct exp_summary *const *s, size_t n, struct findings_answer *a)
{
    bool timeout = isfinite(d->upstream.acquire_timeout_s) || d->upstream.on_exhausted != EXHAUST_WAIT;
    a->has_mechanism = timeout && pool_capped(d);
    size_t w = argmax(s, n, RM_POOL_WAIT_P99_S);
    size_t u = argmax(s, n, RM_UPSTREAM_CONNS_PEAK);
    size_t tw = argmax(s, n, RM_TIME_WAIT_PEAK);
    if (u == SIZE_MAX) {
        a->verdict = FV_UNTESTED;
        return;
    }
    add_ev(a, s, u, RM_UPSTREAM_CONNS_PEAK);
    add_ev(a, s, u, RM_POOL_CONNS_PEAK);
    add_ev(a, s, tw, RM_TIME_WAIT_PEAK);
    add_ev(a, s, w, RM_POOL_WAIT_P99_S);
    /* Every socket towards the upstream and those in TIME_WAIT hold a port:
     * past half the range, connects are near EADDRNOTAVAIL.  A connect error
     * is not counted here: with the ports far, it is the upstream refusing
     * (a restart), which no pool policy handles; with the ports near, this
     * test has already fired (a port error means every port was held). */
    double ports = d->upstream.ephemeral_ports;
    double sockets = s[u]->metric[RM_UPSTREAM_CONNS_PEAK].mean;
    bool ports_near = tw != SIZE_MAX &&
                      s[tw]->metric[RM_TIME_WAIT_PEAK].mean + sockets > 0.5 * ports;
    bool long_waits = w != SIZE_MAX && !timeout &&
                      s[w]->metric[RM_POOL_WAIT_P99_S].mean > FINDINGS_LATENCY_SLO_S;
    /* Whose sockets they are: the request pool's own peak against all of
     * them.  Per-stream SSE clients are outside the pool and its cap. */
    double pooled = s[u]->metric[RM_POOL_CONNS_PEAK].mean;
    bool per_stream = d->sse.upstream_scope != SCOPE_SHARED && pr[u] && has_sse(pr[u]) &&
                      !isnan(pooled) && sockets - pooled > pooled;
    if (ports_near) {
        a->verdict = FV_PROBLEM;
        a->cause = per_stream         ? FCAUSE_POOL_PER_STREAM
                   : !pool_capped(d) ? FCAUSE_POOL_NO_CAP
                                     : FCAUSE_POOL_CHURN;
    } else if (long_waits) {
        a->verdict = FV_PROBLEM;
        a->cause = FCAUSE_POOL_NO_TIMEOUT;
    } else if (a->has_mechanism) {
        a->verdict = FV_OK;
    } else {
        a->verdict = FV_CONCERN;
        a->cause = pool_capped(d) ? FCAUSE_POOL_NO_TIMEOUT : FCAUSE_POOL_NO_CAP;
    }
}

static void q_error_paths(const struct exp_summary *const *s, size_t n, struct findings_answer *a)
{
    static const int leaks[] = {RM_TASKS_LEAKED, RM_UPSTREAM_CONNS_LEAKED, RM_BUFFERS_LEAKED,
                                RM_SESSIONS_LEAKED};
    a->has_mechanism = true;
    bool any = false, measured = false;
    for (size_t k = 0; k < sizeof leaks / sizeof leaks[0]; k++) {
        size_t p = argmax(s, n, leaks[k]);
        if (p == SIZE_MAX) {
            continue;
        }
        measured = true;
        if (significantly_positive(&s[p]->metric[leaks[k]])) {
            any = true;
            add_ev(a, s, p, leaks[k]);
        }
    }
    if (!measured) {
        a->verdict = FV_UNTESTED;
        return;
    }
    if (!any) {
        add_ev(a, s, argmax(s, n, RM_TASKS_LEAKED), RM_TASKS_LEAKED);
    }
    a->has_mechanism = !any;
    a->verdict = any ? FV_PROBLEM : FV_OK;
}

void findings_answer_all(const struct design *d, const struct profile *const *profiles,
                         const struct exp_summary *const *s, size_t n_profiles,
                         struct findings_answer out[FQ_N])
{
    for (int q = 0; q < FQ_N; q++) {
        out[q] = (struct findings_answer){.verdict = FV_UNTESTED, .cause = FCAUSE_NONE};
    }
    q_spawn(d, s, n_profiles, &out[FQ_SPAWN]);
    q_backpressure(d, profiles, s, n_profiles, &out[FQ_BACKPRESSURE]);
    q_buffers(d, s, n_profiles, &out[FQ_BUFFERS]);
    q_sessions(d, s, n_profiles, &out[FQ_SESSIONS]);
    q_sse_leaks(d, profiles, s, n_profiles, &out[FQ_SSE_LEAKS]);
    q_pool(d, profiles, s, n_profiles, &out[FQ_POOL]);
    q_error_paths(s, n_profiles, &out[FQ_ERROR_PATHS]);
}
