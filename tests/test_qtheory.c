/* SPDX-License-Identifier: MIT
 *
 * test_qtheory.c - the analytic yardstick checked against values that do not
 * come from it: hand-computed cases, Erlang tables, limits that must agree
 * (tau -> 0 is Erlang B, tau -> inf is Erlang C, K -> inf is M/M/c, cv = 1 is
 * M/M/1), and the closed model solved two independent ways.
 */
#include "models/qtheory.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol))) {                                                           \
            fail_msg("%s = %.15g, expected %s = %.15g (tol %g)", #a, a_, #b, b_, (double)(tol));   \
        }                                                                                          \
    } while (0)

#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, (rel) * fabs(b))

static void erlang_known_values(void **state)
{
    (void)state;
    CHECK_NEAR(qtheory_erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
    CHECK_NEAR(qtheory_erlang_b(1, 1.0), 0.5, 1e-15);
    CHECK_NEAR(qtheory_erlang_b(2, 1.0), 0.2, 1e-15);
    /* Erlang B tables (e.g. Kleinrock vol. 1; Cooper), to the digits they print. */
    CHECK_NEAR(qtheory_erlang_b(5, 2.0), 0.0367, 5e-5);
    CHECK_NEAR(qtheory_erlang_b(10, 5.0), 0.0184, 5e-5);
    CHECK_NEAR(qtheory_erlang_b(20, 15.0), 0.0456, 5e-5);
    /* Direct sums (a^c/c!)/sum_k a^k/k!, 16 digits. */
    CHECK_REL(qtheory_erlang_b(8, 6.4), 0.14439388985339494, 1e-13);
    CHECK_REL(qtheory_erlang_c(8, 6.4), 0.4576449254420162, 1e-13);
    CHECK_REL(qtheory_erlang_c(8, 7.6), 0.8441686306096838, 1e-13);
    /* Large c: the recursion neither overflows nor loses the answer. */
    double b = qtheory_erlang_b(5000, 4900.0);
    assert_true(b > 0.0 && b < 0.05);
    CHECK_NEAR(qtheory_erlang_c(3, 3.0), 1.0, 0.0);
}

static void mm1_and_mmc(void **state)
{
    (void)state;
    struct qtheory_mmc m;
    assert_true(qtheory_mmc(1, 0.9, 1.0, &m));
    CHECK_NEAR(m.p_wait, 0.9, 1e-15);
    CHECK_REL(m.wq_s, 9.0, 1e-14);
    CHECK_REL(m.w_s, 10.0, 1e-14);
    CHECK_REL(m.l, 9.0, 1e-14);
    CHECK_REL(m.lq, 8.1, 1e-14);
    /* M/M/1 wait tail: P(Wq > t) = rho e^{-(mu - lambda) t}; median = ln(0.9/0.5)/0.1. */
    CHECK_REL(qtheory_mmc_wait_quantile(&m, 0.5), log(1.8) / 0.1, 1e-14);
    CHECK_REL(qtheory_mmc_wait_ccdf(&m, 7.0), 0.9 * exp(-0.7), 1e-14);
    assert_false(qtheory_mmc(2, 2.0, 1.0, &m));

    assert_true(qtheory_mmc(2, 1.0, 1.0, &m)); /* c = 2, rho = 0.5 */
    CHECK_NEAR(m.p_wait, 1.0 / 3.0, 1e-15);
    CHECK_REL(m.wq_s, 1.0 / 3.0, 1e-14); /* C / (c mu - lambda) = (1/3)/1 */
    CHECK_REL(m.l, 4.0 / 3.0, 1e-14);
    CHECK_NEAR(qtheory_mmc_wait_quantile(&m, 0.5), 0.0, 0.0); /* P(wait) < 0.5 */
    CHECK_REL(qtheory_mmc_wait_quantile(&m, 0.99), log(100.0 / 3.0), 1e-14);
}

static void mmck_limits(void **state)
{
    (void)state;
    struct qtheory_mmck k;
    /* K = c is Erlang B, and nobody waits. */
    assert_true(qtheory_mmck(8, 8, 6.4, 1.0, &k));
    CHECK_REL(k.p_block, qtheory_erlang_b(8, 6.4), 1e-13);
    CHECK_NEAR(k.p_wait, 0.0, 0.0);
    CHECK_REL(k.w_s, 1.0, 1e-13);
    /* M/M/1/K closed form: p_K = (1 - rho) rho^K / (1 - rho^{K+1}). */
    assert_true(qtheory_mmck(1, 5, 0.8, 1.0, &k));
    CHECK_REL(k.p_block, 0.2 * pow(0.8, 5) / (1.0 - pow(0.8, 6)), 1e-13);
    /* rho = 1 exactly is uniform over 0..K. */
    assert_true(qtheory_mmck(1, 4, 1.0, 1.0, &k));
    CHECK_REL(k.p_block, 0.2, 1e-13);
    CHECK_REL(k.l, 2.0, 1e-13);
    /* K -> infinity is M/M/c. */
    struct qtheory_mmc m;
    assert_true(qtheory_mmc(8, 6.4, 1.0, &m));
    assert_true(qtheory_mmck(8, 2000, 6.4, 1.0, &k));
    CHECK_REL(k.p_wait, m.p_wait, 1e-12);
    CHECK_REL(k.wq_s, m.wq_s, 1e-12);
    CHECK_REL(k.l, m.l, 1e-12);
}

static void mg1_pk(void **state)
{
    (void)state;
    struct qtheory_mg1 g;
    struct qtheory_mmc m;
    assert_true(qtheory_mg1(0.9, 1.0, 1.0, &g));
    assert_true(qtheory_mmc(1, 0.9, 1.0, &m));
    CHECK_REL(g.wq_s, m.wq_s, 1e-14);
    assert_true(qtheory_mg1(0.5, 1.0, 0.0, &g)); /* M/D/1: rho / (2 mu (1 - rho)) */
    CHECK_REL(g.wq_s, 0.5, 1e-14);
    assert_true(qtheory_mg1(0.5, 1.0, 2.0, &g)); /* cv 2: (1 + 4)/2 times M/M/1 */
    CHECK_REL(g.wq_s, 2.5, 1e-14);
    assert_false(qtheory_mg1(1.0, 1.0, 1.0, &g));
}

static void closed_mva_vs_birth_death(void **state)
{
    (void)state;
    const unsigned ns[] = {1, 2, 7, 24, 60, 150};
    const unsigned cs[] = {1, 3, 4, 16};
    const double zs[] = {0.37, 1.0, 5.3};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        for (size_t j = 0; j < sizeof cs / sizeof cs[0]; j++) {
            for (size_t k = 0; k < sizeof zs / sizeof zs[0]; k++) {
                struct qtheory_closed a, b;
                assert_true(qtheory_closed_mva(ns[i], zs[k], cs[j], 0.15, &a));
                assert_true(qtheory_closed_birth_death(ns[i], zs[k], cs[j], 0.15, &b));
                CHECK_REL(a.x_per_s, b.x_per_s, 1e-9);
                CHECK_REL(a.r_s, b.r_s, 1e-9);
                CHECK_REL(a.l, b.l, 1e-9);
                CHECK_REL(a.util, b.util, 1e-9);
                /* Response-time law over the whole loop: N = X (R + Z). */
                CHECK_REL(a.x_per_s * (a.r_s + zs[k]), (double)ns[i], 1e-12);
            }
        }
    }
    /* One client never waits: R = S, X = 1/(Z + S). */
    struct qtheory_closed one;
    assert_true(qtheory_closed_mva(1, 1.0, 4, 0.25, &one));
    CHECK_REL(one.r_s, 0.25, 1e-15);
    CHECK_REL(one.x_per_s, 0.8, 1e-15);
}

static void impatient_limits_and_consistency(void **state)
{
    (void)state;
    struct qtheory_impatient r;
    struct qtheory_mmc m;
    /* tau = 0: nobody may wait, so it is Erlang B. */
    assert_true(qtheory_mmc_patience(8, 6.4, 1.0, 0.0, &r));
    CHECK_REL(r.p_abandon, qtheory_erlang_b(8, 6.4), 1e-13);
    /* tau = infinity is Erlang C, and a very long tau converges to it. */
    assert_true(qtheory_mmc(8, 7.6, 1.0, &m));
    assert_true(qtheory_mmc_patience(8, 7.6, 1.0, INFINITY, &r));
    CHECK_REL(r.p_wait, m.p_wait, 1e-13);
    CHECK_REL(r.wq_served_s, m.wq_s, 1e-13);
    CHECK_NEAR(r.p_abandon, 0.0, 0.0);
    assert_true(qtheory_mmc_patience(8, 7.6, 1.0, 200.0, &r));
    CHECK_REL(r.p_wait, m.p_wait, 1e-12);
    CHECK_REL(r.wq_served_s, m.wq_s, 1e-12);
    /* M/M/1+D closed form: P(ab) = rho (1 - rho) E / (1 - rho^2 E), E = e^{-(mu - lambda) tau}. */
    assert_true(qtheory_mmc_patience(1, 0.7, 1.0, 1.3, &r));
    double e = exp(-0.3 * 1.3);
    CHECK_REL(r.p_abandon, 0.7 * 0.3 * e / (1.0 - 0.49 * e), 1e-13);
    /* Flow balance, an independent check of the density: the mean number of busy
     * servers from the state distribution equals served throughput / mu, at loads
     * below, at and above c (theta < 0, = 0, > 0). */
    const double lambdas[] = {3.1, 7.6, 8.0, 8.0 + 1e-9, 9.7, 16.0};
    const double taus[] = {0.01, 0.25, 1.0, 7.0};
    for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
        for (size_t j = 0; j < sizeof taus / sizeof taus[0]; j++) {
            assert_true(qtheory_mmc_patience(8, lambdas[i], 1.0, taus[j], &r));
            CHECK_REL(r.busy, r.throughput_per_s / 1.0, 1e-11);
            assert_true(r.p_abandon > 0.0 && r.p_abandon < r.p_wait && r.p_wait < 1.0);
            assert_true(r.wq_served_s > 0.0 && r.wq_served_s < taus[j]);
        }
    }
    /* theta -> 0 is continuous (series branches). */
    struct qtheory_impatient at, near;
    assert_true(qtheory_mmc_patience(8, 8.0, 1.0, 0.5, &at));
    assert_true(qtheory_mmc_patience(8, 8.0 + 1e-6, 1.0, 0.5, &near));
    CHECK_REL(at.p_abandon, near.p_abandon, 1e-5);
    CHECK_REL(at.wq_served_s, near.wq_served_s, 1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erlang_known_values),
        cmocka_unit_test(mm1_and_mmc),
        cmocka_unit_test(mmck_limits),
        cmocka_unit_test(mg1_pk),
        cmocka_unit_test(closed_mva_vs_birth_death),
        cmocka_unit_test(impatient_limits_and_consistency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
