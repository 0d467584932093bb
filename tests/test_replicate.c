/* SPDX-License-Identifier: MIT
 *
 * test_replicate.c - the replication runner: results are byte-identical for
 * 1, 2 and 8 threads, every trial runs exactly once, a failed trial is
 * reported with its message while the others go on.  Run under TSan by
 * `make test`.
 */
#include "check.h"

#include "sim/dist.h"
#include "sim/replicate.h"
#include "sim/resource.h"
#include "sim/sim.h"

#include <string.h>

/* A small M/M/2 per trial: enough events that threads interleave. */
struct trial_out {
    double mean_wait_s;
    double busy_mean;
    uint64_t events;
    int runs;
};

struct ctx {
    struct trial_out *out;
    uint64_t seed;
    size_t fail_index; /* SIZE_MAX: none fails */
};

struct mm2 {
    struct sim_resource r;
    int left;
};

static void depart(struct sim *s, void *subject, void *object)
{
    (void)s;
    (void)object;
    sim_resource_release(subject);
}

static void granted(struct sim *s, void *who, void *item, bool ok)
{
    (void)item;
    (void)ok;
    sim_schedule(s, sim_exp(sim_rng(s, 1), 1.0), 0, depart, who, NULL);
}

static void arrive(struct sim *s, void *subject, void *object)
{
    (void)object;
    struct mm2 *m = subject;
    if (--m->left > 0) {
        sim_schedule(s, sim_exp(sim_rng(s, 0), 0.6), 0, arrive, m, NULL);
    }
    if (sim_resource_acquire(&m->r, INFINITY, granted, &m->r, NULL)) {
        granted(s, &m->r, NULL, true);
    }
}

static int trial(void *vctx, size_t index, struct sim_err *err)
{
    struct ctx *c = vctx;
    struct trial_out *o = &c->out[index];
    o->runs++;
    if (index == c->fail_index) {
        return sim_err_set(err, SIM_EFAIL, "replication %zu: deliberate failure", index);
    }
    struct sim_opts so = {.master_seed = c->seed, .rep = index, .n_streams = 2};
    struct sim *s = sim_create(&so);
    struct mm2 m = {.left = 20000};
    sim_resource_init(&m.r, s, 2);
    sim_schedule(s, 0.0, 0, arrive, &m, NULL);
    sim_run(s, INFINITY);
    o->mean_wait_s = sim_tally_mean(&m.r.wait);
    o->busy_mean = sim_level_mean(&m.r.busy, sim_now(s));
    o->events = s->n_events;
    sim_resource_fini(&m.r);
    sim_destroy(s);
    return 0;
}

enum { N = 24 };

static void run_with(unsigned threads, size_t fail_index, struct trial_out *out,
                     struct sim_err *errs, size_t *failed)
{
    memset(out, 0, N * sizeof *out);
    struct ctx c = {.out = out, .seed = 2385, .fail_index = fail_index};
    struct sim_replicate_opts o = {.n_threads = threads};
    *failed = sim_replicate(N, trial, &c, &o, errs);
}

static void test_thread_count_does_not_change_results(void **state)
{
    (void)state;
    struct trial_out one[N], two[N], eight[N];
    size_t failed;
    run_with(1, SIZE_MAX, one, NULL, &failed);
    assert_int_equal(failed, 0);
    run_with(2, SIZE_MAX, two, NULL, &failed);
    assert_int_equal(failed, 0);
    run_with(8, SIZE_MAX, eight, NULL, &failed);
    assert_int_equal(failed, 0);
    assert_memory_equal(one, two, sizeof one);
    assert_memory_equal(one, eight, sizeof one);
    for (int i = 0; i < N; i++) {
        assert_int_equal(one[i].runs, 1);
    }
    /* different replications are different draws */
    assert_true(one[0].mean_wait_s != one[1].mean_wait_s);
}

static void test_failed_trial_reported_others_go_on(void **state)
{
    (void)state;
    struct trial_out out[N];
    struct sim_err errs[N];
    size_t failed;
    run_with(2, 5, out, errs, &failed);
    assert_int_equal(failed, 1);
    assert_int_equal(errs[5].code, SIM_EFAIL);
    assert_string_equal(errs[5].msg, "replication 5: deliberate failure");
    for (int i = 0; i < N; i++) {
        assert_int_equal(out[i].runs, 1);
        if (i != 5) {
            assert_int_equal(errs[i].code, SIM_OK);
            assert_true(out[i].events > 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_count_does_not_change_results),
        cmocka_unit_test(test_failed_trial_reported_others_go_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
