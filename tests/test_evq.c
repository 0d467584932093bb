/* SPDX-License-Identifier: MIT
 *
 * test_evq.c - the event queue and clock: deterministic tie order, true
 * cancellation, stale handles, reschedule, and a randomised comparison with
 * a brute-force reference.
 */
#include "check.h"

#include "sim/evq.h"
#include "sim/sim.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

struct log {
    int order[64];
    int n;
};

static void record(struct sim *s, void *subject, void *object)
{
    (void)s;
    struct log *l = subject;
    l->order[l->n++] = (int)(intptr_t)object;
}

static struct sim *new_sim(void)
{
    struct sim_opts o = {.master_seed = 1, .rep = 0, .n_streams = 1};
    return sim_create(&o);
}

static void test_ties_fire_by_priority_then_fifo(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct log l = {.n = 0};
    sim_schedule(s, 2.0, 5, record, &l, (void *)1);
    sim_schedule(s, 1.0, 5, record, &l, (void *)2);
    sim_schedule(s, 1.0, 5, record, &l, (void *)3);
    sim_schedule(s, 1.0, 1, record, &l, (void *)4); /* same time, lower prio: first */
    sim_schedule(s, 1.0, 5, record, &l, (void *)5);
    sim_run(s, INFINITY);
    int want[] = {4, 2, 3, 5, 1};
    assert_int_equal(l.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(l.order[i], want[i]);
    }
    assert_true(sim_now(s) == 2.0);
    sim_destroy(s);
}

static void test_cancel_removes_and_stale_is_noop(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct log l = {.n = 0};
    sim_evid a = sim_schedule(s, 1.0, 0, record, &l, (void *)1);
    sim_evid b = sim_schedule(s, 2.0, 0, record, &l, (void *)2);
    sim_evid c = sim_schedule(s, 3.0, 0, record, &l, (void *)3);
    assert_int_equal(sim_pending(s), 3);
    assert_true(sim_cancel(s, b));
    assert_int_equal(sim_pending(s), 2); /* really gone: no tombstone */
    assert_false(sim_cancel(s, b));      /* stale */
    assert_false(sim_cancel(s, 0));
    sim_run(s, INFINITY);
    assert_false(sim_cancel(s, a)); /* fired */
    assert_false(sim_cancel(s, c));
    /* a slot reused by a new event must not answer to the old handle */
    sim_evid d = sim_schedule(s, 1.0, 0, record, &l, (void *)4);
    assert_false(sim_cancel(s, a));
    assert_true(d != a);
    assert_true(sim_cancel(s, d));
    assert_int_equal(l.n, 2);
    assert_int_equal(l.order[0], 1);
    assert_int_equal(l.order[1], 3);
    sim_destroy(s);
}

static void test_reschedule_keeps_handle(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct log l = {.n = 0};
    sim_evid a = sim_schedule(s, 1.0, 0, record, &l, (void *)1);
    sim_schedule(s, 2.0, 0, record, &l, (void *)2);
    assert_true(sim_reschedule(s, a, 3.0));
    assert_true(evq_time(&s->q, a) == 3.0);
    sim_run(s, 2.5);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.order[0], 2);
    assert_true(sim_now(s) == 2.5);
    assert_true(sim_cancel(s, a));
    sim_run(s, INFINITY);
    assert_int_equal(l.n, 1);
    sim_destroy(s);
}

static void test_run_until_and_stop(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct log l = {.n = 0};
    for (int i = 1; i <= 5; i++) {
        sim_schedule(s, (double)i, 0, record, &l, (void *)(intptr_t)i);
    }
    sim_run(s, 3.0); /* events at exactly 3.0 fire */
    assert_int_equal(l.n, 3);
    assert_true(sim_now(s) == 3.0);
    sim_run(s, 10.0);
    assert_int_equal(l.n, 5);
    assert_true(sim_now(s) == 10.0); /* ran dry: the clock still reaches the horizon */
    sim_destroy(s);
}

static void test_sequence_renumbering_keeps_order(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct log l = {.n = 0};
    /* ties scheduled on both sides of the 2^36 renumbering stay FIFO */
    sim_schedule(s, 1.0, 0, record, &l, (void *)1);
    evq__set_seq(&s->q, (UINT64_C(1) << 36) - 2);
    sim_schedule(s, 1.0, 0, record, &l, (void *)2);
    sim_evid c = sim_schedule(s, 1.0, 0, record, &l, (void *)3);
    sim_schedule(s, 1.0, 0, record, &l, (void *)4); /* renumbers first */
    sim_schedule(s, 0.5, 0, record, &l, (void *)5);
    assert_true(s->q.seq < 10);
    assert_true(evq_time(&s->q, c) == 1.0); /* handles survive */
    sim_run(s, INFINITY);
    int want[] = {5, 1, 2, 3, 4};
    assert_int_equal(l.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(l.order[i], want[i]);
    }
    sim_destroy(s);
}

struct ref_ev {
    double t;
    unsigned prio;
    uint64_t seq;
    sim_evid id;
    bool live;
};

/* The heap orders times by their bits: -0.0 must sort as +0.0 (by sequence),
 * infinity after every finite time, and the sentinels past the end never win. */
static void test_signed_zero_and_infinity(void **state)
{
    (void)state;
    struct evq q;
    evq_init(&q);
    int tag[5];
    evq_push(&q, INFINITY, 0, NULL, &tag[0], NULL);
    evq_push(&q, 1e-300, 0, NULL, &tag[1], NULL);
    evq_push(&q, -0.0, 0, NULL, &tag[2], NULL);
    evq_push(&q, 0.0, 0, NULL, &tag[3], NULL);
    evq_push(&q, 0.0, 0, NULL, &tag[4], NULL);
    const int order[] = {2, 3, 4, 1, 0};
    struct evq_fired f;
    for (int k = 0; k < 5; k++) {
        assert_true(evq_pop(&q, &f));
        assert_ptr_equal(f.subject, &tag[order[k]]);
        assert_false(signbit(f.t_s));
    }
    assert_false(evq_pop(&q, &f));
    evq_fini(&q);
}

/* Shares of the operations a random run draws (the rest are pops), and
 * whether times are whole numbers (ties frequent) or continuous. */
struct op_mix {
    double push, cancel, reschedule;
    bool coarse;
};

static double draw_delay(gsl_rng *r, const struct op_mix *mix)
{
    return mix->coarse ? (double)gsl_rng_uniform_int(r, 20) : -log1p(-gsl_rng_uniform(r));
}

/* Random schedule/cancel/reschedule/pop against a brute-force list: every pop
 * must return the live minimum by (t, prio, seq), and the size must agree. */
static void check_against_reference(unsigned long seed, const struct op_mix *mix)
{
    struct evq q;
    evq_init(&q);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    enum { N = 10000 };
    struct ref_ev *ev = calloc(N, sizeof *ev);
    size_t n_ev = 0;
    uint64_t seq = 0;
    double now = 0.0;
    for (int step = 0; step < N; step++) {
        double u = gsl_rng_uniform(r);
        if (u < mix->push && n_ev < N) {
            double t = now + draw_delay(r, mix);
            unsigned prio = (unsigned)gsl_rng_uniform_int(r, 3);
            ev[n_ev] = (struct ref_ev){t, prio, seq++, 0, true};
            ev[n_ev].id = evq_push(&q, t, prio, NULL, &ev[n_ev], NULL);
            n_ev++;
        } else if (u < mix->push + mix->cancel && n_ev > 0) {
            struct ref_ev *e = &ev[gsl_rng_uniform_int(r, n_ev)];
            assert_int_equal(evq_cancel(&q, e->id), e->live);
            e->live = false;
        } else if (u < mix->push + mix->cancel + mix->reschedule && n_ev > 0) {
            struct ref_ev *e = &ev[gsl_rng_uniform_int(r, n_ev)];
            double t = now + draw_delay(r, mix);
            assert_int_equal(evq_reschedule(&q, e->id, t), e->live);
            if (e->live) {
                e->t = t;
                e->seq = seq++;
            }
        } else {
            struct ref_ev *best = NULL;
            for (size_t i = 0; i < n_ev; i++) {
                struct ref_ev *e = &ev[i];
                if (e->live &&
                    (!best || e->t < best->t || (e->t == best->t && e->prio < best->prio) ||
                     (e->t == best->t && e->prio == best->prio && e->seq < best->seq))) {
                    best = e;
                }
            }
            struct evq_fired f;
            bool got = evq_pop(&q, &f);
            assert_int_equal(got, best != NULL);
            if (best) {
                assert_ptr_equal(f.subject, best);
                assert_true(f.t_s == best->t);
                best->live = false;
                now = best->t;
            }
        }
        size_t live = 0;
        for (size_t i = 0; i < n_ev; i++) {
            live += ev[i].live;
        }
        assert_int_equal(evq_size(&q), live);
    }
    free(ev);
    gsl_rng_free(r);
    evq_fini(&q);
}

/* Pending set growing to ~1,000 with frequent ties: cancels and reschedules
 * hit the heap, the imminent slot and a vacant root alike. */
static void test_random_against_reference(void **state)
{
    (void)state;
    check_against_reference(2385, &(struct op_mix){0.5, 0.15, 0.1, true});
}

/* A simulation's rhythm: pops and pushes about balanced around a few hundred
 * pending events at continuous times, so most pushes land in a vacant root or
 * the imminent slot. */
static void test_random_balanced_against_reference(void **state)
{
    (void)state;
    check_against_reference(977, &(struct op_mix){0.52, 0.02, 0.02, false});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_fire_by_priority_then_fifo),
        cmocka_unit_test(test_cancel_removes_and_stale_is_noop),
        cmocka_unit_test(test_reschedule_keeps_handle),
        cmocka_unit_test(test_run_until_and_stop),
        cmocka_unit_test(test_sequence_renumbering_keeps_order),
        cmocka_unit_test(test_signed_zero_and_infinity),
        cmocka_unit_test(test_random_against_reference),
        cmocka_unit_test(test_random_balanced_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
