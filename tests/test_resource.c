/* SPDX-License-Identifier: MIT
 *
 * test_resource.c - the resources of sim/: FIFO service, timeouts counted,
 * atomic hand-over on release, capacity changes; the channel's put/get
 * waiters and drop-oldest; the weighted semaphore's FIFO order; the token
 * bucket's arithmetic; the free-list pool; the event-free FCFS station
 * against a resource driven by events.
 */
#include "check.h"

#include "sim/channel.h"
#include "sim/check.h"
#include "sim/dist.h"
#include "sim/fcfs.h"
#include "sim/pool.h"
#include "sim/resource.h"
#include "sim/sem.h"
#include "sim/sim.h"
#include "sim/tokenbucket.h"

struct trace {
    int who[32];
    bool ok[32];
    double at[32];
    void *item[32];
    int n;
};

struct actor {
    struct trace *tr;
    int id;
};

static void woke(struct sim *s, void *who, void *item, bool ok)
{
    struct actor *a = who;
    struct trace *t = a->tr;
    t->who[t->n] = a->id;
    t->ok[t->n] = ok;
    t->at[t->n] = sim_now(s);
    t->item[t->n] = item;
    t->n++;
}

static struct sim *new_sim(void)
{
    struct sim_opts o = {.master_seed = 3, .rep = 0, .n_streams = 1};
    return sim_create(&o);
}

static void release_at(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    sim_resource_release(subject);
}

static void test_resource_fifo_timeout_handover(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct sim_resource r;
    sim_resource_init(&r, s, 2);
    struct trace tr = {.n = 0};
    struct actor a[5] = {{&tr, 0}, {&tr, 1}, {&tr, 2}, {&tr, 3}, {&tr, 4}};
    assert_true(sim_resource_acquire(&r, INFINITY, woke, &a[0], NULL));
    assert_true(sim_resource_acquire(&r, INFINITY, woke, &a[1], NULL));
    assert_false(sim_resource_acquire(&r, 1.0, woke, &a[2], NULL));      /* times out at 1 */
    assert_false(sim_resource_acquire(&r, INFINITY, woke, &a[3], NULL)); /* waits */
    assert_false(sim_resource_try_acquire(&r));
    assert_int_equal(sim_resource_n_waiting(&r), 2);
    sim_schedule(s, 2.0, 0, release_at, &r, NULL);
    sim_run(s, 1.5);
    assert_int_equal(tr.n, 1);
    assert_int_equal(tr.who[0], 2);
    assert_false(tr.ok[0]);
    CHECK_NEAR(tr.at[0], 1.0, 0);
    assert_int_equal(sim_resource_n_timeouts(&r), 1);
    sim_run(s, 3.0);
    /* the release at 2.0 handed the unit straight to actor 3: still 2 in use */
    assert_int_equal(tr.n, 2);
    assert_int_equal(tr.who[1], 3);
    assert_true(tr.ok[1]);
    CHECK_NEAR(tr.at[1], 2.0, 0);
    assert_int_equal(r.in_use, 2);
    assert_int_equal(r.busy.max, 2);
    /* no window: a try right after the hand-over still finds nothing free */
    assert_false(sim_resource_try_acquire(&r));
    /* waits of granted requests: 0, 0, 2.0 */
    assert_int_equal(r.wait.n, 3);
    CHECK_NEAR(sim_tally_mean(&r.wait), 2.0 / 3.0, 1e-12);
    /* growing the capacity serves a waiter at once */
    assert_false(sim_resource_acquire(&r, INFINITY, woke, &a[4], NULL));
    sim_resource_set_capacity(&r, 3);
    assert_int_equal(tr.n, 3);
    assert_int_equal(tr.who[2], 4);
    assert_int_equal(r.in_use, 3);
    /* the queue length was tracked over time: 2 waiters on [0,1), 1 on [1,2) */
    CHECK_NEAR(r.waiters.len.area, 2.0 * 1.0 + 1.0 * 1.0, 1e-12);
    sim_resource_fini(&r);
    sim_destroy(s);
}

static void test_resource_abandon(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct sim_resource r;
    sim_resource_init(&r, s, 1);
    struct trace tr = {.n = 0};
    struct actor a[3] = {{&tr, 0}, {&tr, 1}, {&tr, 2}};
    struct sim_waiter *w1 = NULL;
    assert_true(sim_resource_acquire(&r, INFINITY, woke, &a[0], NULL));
    assert_false(sim_resource_acquire(&r, 5.0, woke, &a[1], &w1));
    assert_false(sim_resource_acquire(&r, INFINITY, woke, &a[2], NULL));
    sim_resource_abandon(&r, w1);
    assert_int_equal(sim_pending(s), 0); /* its timeout went with it */
    sim_resource_release(&r);
    assert_int_equal(tr.n, 1);
    assert_int_equal(tr.who[0], 2);
    sim_resource_fini(&r);
    sim_destroy(s);
}

static void test_channel_bounded(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct sim_channel ch;
    sim_channel_init(&ch, s, 2);
    struct trace tr = {.n = 0};
    struct actor prod = {&tr, 1}, cons = {&tr, 2};
    int items[5] = {10, 11, 12, 13, 14};
    void *got = NULL;
    /* a getter parked on an empty channel receives the next put directly */
    assert_false(sim_channel_get(&ch, &got, INFINITY, woke, &cons, NULL));
    assert_true(sim_channel_put(&ch, &items[0], INFINITY, woke, &prod, NULL));
    assert_int_equal(tr.n, 1);
    assert_ptr_equal(tr.item[0], &items[0]);
    assert_int_equal(sim_channel_len(&ch), 0);
    assert_true(sim_channel_try_put(&ch, &items[1]));
    assert_true(sim_channel_try_put(&ch, &items[2]));
    assert_false(sim_channel_try_put(&ch, &items[3])); /* full */
    assert_false(sim_channel_put(&ch, &items[3], INFINITY, woke, &prod, NULL)); /* parks */
    assert_true(sim_channel_try_get(&ch, &got));
    assert_ptr_equal(got, &items[1]);
    /* the get made room: the parked put went in and its producer was woken */
    assert_int_equal(tr.n, 2);
    assert_int_equal(tr.who[1], 1);
    assert_int_equal(sim_channel_len(&ch), 2);
    assert_true(sim_channel_drop_oldest(&ch, &got));
    assert_ptr_equal(got, &items[2]);
    assert_true(sim_channel_try_get(&ch, &got));
    assert_ptr_equal(got, &items[3]);
    assert_false(sim_channel_try_get(&ch, &got));
    /* a put that times out hands its item back */
    assert_true(sim_channel_try_put(&ch, &items[0]));
    assert_true(sim_channel_try_put(&ch, &items[1]));
    assert_false(sim_channel_put(&ch, &items[4], 0.5, woke, &prod, NULL));
    sim_run(s, 1.0);
    assert_int_equal(tr.n, 3);
    assert_false(tr.ok[2]);
    assert_ptr_equal(tr.item[2], &items[4]);
    sim_channel_fini(&ch);
    sim_destroy(s);
}

static void test_channel_unbounded_grows(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct sim_channel ch;
    sim_channel_init(&ch, s, SIM_CHANNEL_UNBOUNDED);
    int x[100];
    for (int i = 0; i < 100; i++) {
        assert_true(sim_channel_try_put(&ch, &x[i]));
    }
    for (int i = 0; i < 100; i++) {
        void *got;
        assert_true(sim_channel_try_get(&ch, &got));
        assert_ptr_equal(got, &x[i]);
    }
    assert_true(ch.length.max == 100.0);
    sim_channel_fini(&ch);
    sim_destroy(s);
}

static void test_sem_weighted_fifo(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct sim_sem m;
    sim_sem_init(&m, s, 10.0);
    struct trace tr = {.n = 0};
    struct actor a[3] = {{&tr, 0}, {&tr, 1}, {&tr, 2}};
    assert_true(sim_sem_acquire(&m, 6.0, INFINITY, woke, &a[0], NULL));
    assert_false(sim_sem_acquire(&m, 8.0, INFINITY, woke, &a[1], NULL));
    /* 4 are free, but the head waits for 8: no barging past it */
    assert_false(sim_sem_try_acquire(&m, 1.0));
    assert_false(sim_sem_acquire(&m, 1.0, INFINITY, woke, &a[2], NULL));
    sim_sem_release(&m, 6.0);
    assert_int_equal(tr.n, 2);
    assert_int_equal(tr.who[0], 1);
    assert_int_equal(tr.who[1], 2);
    CHECK_NEAR(m.available, 1.0, 0);
    sim_sem_fini(&m);
    sim_destroy(s);
}

static void test_tokenbucket(void **state)
{
    (void)state;
    struct sim_tokenbucket tb;
    sim_tokenbucket_init(&tb, 10.0, 5.0, 0.0);
    for (int i = 0; i < 5; i++) {
        assert_true(sim_tokenbucket_take(&tb, 0.0, 1.0));
    }
    assert_false(sim_tokenbucket_take(&tb, 0.0, 1.0));
    CHECK_NEAR(sim_tokenbucket_wait_s(&tb, 0.0, 1.0), 0.1, 1e-12);
    assert_true(sim_tokenbucket_take(&tb, 0.1, 1.0));
    assert_false(sim_tokenbucket_take(&tb, 0.15, 1.0));
    /* long idle: refills to the burst, not beyond */
    sim_tokenbucket_wait_s(&tb, 100.0, 1.0);
    CHECK_NEAR(tb.tokens, 5.0, 0);
    assert_int_equal(tb.n_taken, 6);
    assert_int_equal(tb.n_refused, 2);
}

static void test_pool_reuses(void **state)
{
    (void)state;
    struct sim_pool p;
    sim_pool_init(&p, 40);
    void *a = sim_pool_take(&p);
    void *b = sim_pool_take(&p);
    assert_ptr_not_equal(a, b);
    assert_int_equal(p.n_live, 2);
    sim_pool_give(&p, a);
    assert_ptr_equal(sim_pool_take(&p), a); /* LIFO: the warm object comes back */
    for (int i = 0; i < 10000; i++) {
        memset(sim_pool_take(&p), 0xab, 40);
    }
    assert_int_equal(p.n_live, 10002);
    sim_pool_fini(&p);
}

/* ---- sim_fcfs ---- */

/* Three servers, hand-checked: jobs at t = 0, 0, 0, 0, 1 of 4, 2, 3, 1, 1 s.
 * The fourth waits for the server that frees at 2 and runs 2..3; the fifth
 * (t = 1) waits for the one that frees at 3 (the second server's successor)
 * and runs 3..4. */
static void test_fcfs_exact(void **state)
{
    (void)state;
    struct sim *s = new_sim();
    struct sim_fcfs q;
    sim_fcfs_init(&q, s, 3);
    assert_true(sim_fcfs_admit(&q, 4.0) == 4.0);
    assert_true(sim_fcfs_admit(&q, 2.0) == 2.0);
    assert_true(sim_fcfs_admit(&q, 3.0) == 3.0);
    assert_true(sim_fcfs_admit(&q, 1.0) == 3.0); /* starts at 2 */
    assert_int_equal(sim_fcfs_waiting(&q, 0.0), 1);
    sim_run(s, 1.0); /* no events: the clock moves to 1 */
    assert_true(sim_fcfs_admit(&q, 1.0) == 4.0); /* starts at 3 */
    assert_int_equal(sim_fcfs_waiting(&q, 1.0), 2);
    assert_int_equal(sim_fcfs_waiting(&q, 2.5), 1);
    sim_fcfs_settle(&q, 10.0);
    assert_int_equal(q.n_busy, 0);
    /* Busy: 3 servers over [0, 3] (2..3: the hand-over keeps 3), then 2 over
     * [3, 4] (first and fifth), then 0: area 9 + 2 = 11 over 10 s.  Waiting:
     * 1 over [0, 1], 2 over [1, 2], 1 over [2, 3]: area 4. */
    CHECK_NEAR(sim_level_mean(&q.busy, 10.0), 1.1, 1e-12);
    CHECK_NEAR(sim_level_mean(&q.waiting, 10.0), 0.4, 1e-12);
    CHECK_NEAR(q.busy.max, 3.0, 0.0);
    CHECK_NEAR(q.waiting.max, 2.0, 0.0);
    sim_fcfs_fini(&q);
    sim_destroy(s);
}

/* The same jobs through a sim_resource held by events and through the FCFS
 * station, each job arriving by an event: every job must complete at the same
 * instant, and the levels must have the same means and peaks. */
struct fcfs_case {
    size_t n;
    double *service;
    double *done_ref, *done_fcfs;
    size_t max_waiting;
    struct sim_resource r;
    struct sim_fcfs q;
};

struct fcfs_job {
    struct fcfs_case *c;
    size_t i;
};

static void ref_done(struct sim *s, void *subject, void *object)
{
    struct fcfs_job *j = subject;
    (void)object;
    j->c->done_ref[j->i] = sim_now(s);
    sim_resource_release(&j->c->r);
}

static void ref_granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)item;
    (void)ok;
    struct fcfs_job *j = who;
    sim_schedule(s, j->c->service[j->i], 0, ref_done, j, NULL);
}

static void ref_arrive(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct fcfs_job *j = subject;
    if (sim_resource_acquire(&j->c->r, INFINITY, ref_granted, j, NULL)) {
        ref_granted(s, j, NULL, true);
    }
}

static void fcfs_arrive(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct fcfs_job *j = subject;
    struct fcfs_case *c = j->c;
    c->done_fcfs[j->i] = sim_fcfs_admit(&c->q, c->service[j->i]);
    size_t w = sim_fcfs_waiting(&c->q, sim_now(s));
    c->max_waiting = w > c->max_waiting ? w : c->max_waiting;
}

static void test_fcfs_matches_resource(void **state)
{
    (void)state;
    const size_t n = 2000;
    const unsigned servers = 3;
    struct fcfs_case c = {.n = n};
    c.service = sim_xcalloc(n, sizeof *c.service);
    c.done_ref = sim_xcalloc(n, sizeof *c.done_ref);
    c.done_fcfs = sim_xcalloc(n, sizeof *c.done_fcfs);
    struct fcfs_job *jobs = sim_xcalloc(n, sizeof *jobs);
    struct sim *s_ref = new_sim(), *s_fcfs = new_sim();
    sim_resource_init(&c.r, s_ref, servers);
    sim_fcfs_init(&c.q, s_fcfs, servers);
    gsl_rng *r = sim_rng(s_ref, 0);
    double t = 0.0;
    for (size_t i = 0; i < n; i++) {
        t += sim_exp(r, 1.0 / 2.7); /* rho = 2.7 / 3 = 0.9: long queues */
        c.service[i] = sim_exp(r, 1.0);
        jobs[i] = (struct fcfs_job){&c, i};
        sim_schedule_at(s_ref, t, 0, ref_arrive, &jobs[i], NULL);
        sim_schedule_at(s_fcfs, t, 0, fcfs_arrive, &jobs[i], NULL);
    }
    sim_run(s_ref, INFINITY);
    double end = sim_now(s_ref);
    sim_run(s_fcfs, end);
    sim_fcfs_settle(&c.q, end);
    for (size_t i = 0; i < n; i++) {
        CHECK_NEAR(c.done_fcfs[i], c.done_ref[i], 1e-9 * c.done_ref[i]);
    }
    assert_true(c.max_waiting > 5); /* the queue was exercised */
    CHECK_NEAR(sim_level_mean(&c.q.busy, end), sim_level_mean(&c.r.busy, end), 1e-9);
    CHECK_NEAR(sim_level_mean(&c.q.waiting, end), sim_level_mean(&c.r.waiters.len, end), 1e-9);
    CHECK_NEAR(c.q.busy.max, c.r.busy.max, 0.0);
    CHECK_NEAR(c.q.waiting.max, c.r.waiters.len.max, 0.0);
    sim_fcfs_fini(&c.q);
    sim_resource_fini(&c.r);
    sim_destroy(s_fcfs);
    sim_destroy(s_ref);
    free(jobs);
    free(c.service);
    free(c.done_ref);
    free(c.done_fcfs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_fifo_timeout_handover),
        cmocka_unit_test(test_resource_abandon),
        cmocka_unit_test(test_channel_bounded),
        cmocka_unit_test(test_channel_unbounded_grows),
        cmocka_unit_test(test_sem_weighted_fifo),
        cmocka_unit_test(test_tokenbucket),
        cmocka_unit_test(test_pool_reuses),
        cmocka_unit_test(test_fcfs_exact),
        cmocka_unit_test(test_fcfs_matches_resource),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
