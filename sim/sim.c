/* SPDX-License-Identifier: MIT */
#include "sim/sim.h"

#include "sim/check.h"
#include "sim/rng.h"

#include <math.h>
#include <stdlib.h>

struct sim *sim_create(const struct sim_opts *opts)
{
    struct sim *s = sim_xcalloc(1, sizeof *s);
    evq_init(&s->q);
    s->master_seed = opts->master_seed;
    s->rep = opts->rep;
    s->n_streams = opts->n_streams;
    s->rng = sim_xcalloc(opts->n_streams ? opts->n_streams : 1, sizeof *s->rng);
    for (unsigned i = 0; i < opts->n_streams; i++) {
        s->rng[i] = sim_rng_create(opts->master_seed, opts->rep, i);
    }
    return s;
}

void sim_destroy(struct sim *s)
{
    if (s == NULL) {
        return;
    }
    for (unsigned i = 0; i < s->n_streams; i++) {
        gsl_rng_free(s->rng[i]);
    }
    free(s->rng);
    evq_fini(&s->q);
    free(s);
}

void sim_run(struct sim *s, double until_s)
{
    struct evq_fired ev;
    s->stopped = false;
    while (!s->stopped && evq_size(&s->q) > 0 && evq_peek_time(&s->q) <= until_s) {
        evq_pop(&s->q, &ev);
        s->now_s = ev.t_s;
        s->n_events++;
        ev.fn(s, ev.subject, ev.object);
    }
    if (!s->stopped && isfinite(until_s) && s->now_s < until_s) {
        s->now_s = until_s;
    }
}

void sim_stop(struct sim *s) { s->stopped = true; }

sim_evid sim_schedule(struct sim *s, double delay_s, unsigned prio, sim_event_fn *fn,
                      void *subject, void *object)
{
    SIM_ASSERT(delay_s >= 0.0);
    return evq_push(&s->q, s->now_s + delay_s, prio, fn, subject, object);
}

sim_evid sim_schedule_at(struct sim *s, double t_s, unsigned prio, sim_event_fn *fn,
                         void *subject, void *object)
{
    SIM_ASSERT(t_s >= s->now_s);
    return evq_push(&s->q, t_s, prio, fn, subject, object);
}

bool sim_cancel(struct sim *s, sim_evid id) { return evq_cancel(&s->q, id); }

bool sim_reschedule(struct sim *s, sim_evid id, double delay_s)
{
    SIM_ASSERT(delay_s >= 0.0);
    return evq_reschedule(&s->q, id, s->now_s + delay_s);
}
