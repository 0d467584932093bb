/* SPDX-License-Identifier: MIT
 *
 * check.h - cmocka plus the assertions cmocka lacks: numeric closeness that
 * prints both values (as libuv's ASSERT_EQ does), and a data-file helper.
 */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double check_a_ = (double)(a), check_b_ = (double)(b), check_t_ = (double)(tol);          \
        if (!(fabs(check_a_ - check_b_) <= check_t_)) {                                            \
            fail_msg("%s = %.10g, %s = %.10g, |diff| = %.3g > tol %.3g", #a, check_a_, #b,        \
                     check_b_, fabs(check_a_ - check_b_), check_t_);                               \
        }                                                                                          \
    } while (0)

#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, fabs((double)(b)) * (double)(rel))

/* The value v lies in the interval [lo, hi]. */
#define CHECK_IN(v, lo, hi)                                                                        \
    do {                                                                                           \
        double check_v_ = (double)(v), check_l_ = (double)(lo), check_h_ = (double)(hi);          \
        if (!(check_v_ >= check_l_ && check_v_ <= check_h_)) {                                     \
            fail_msg("%s = %.10g not in [%.10g, %.10g]", #v, check_v_, check_l_, check_h_);        \
        }                                                                                          \
    } while (0)

/* Every refusal of a run was by one limit: that error_rate_rejected_* part is
 * the whole of error_rate_rejected, exactly, and the others are 0
 * (models/results.h; sum is a struct exp_summary *). */
#define CHECK_REFUSED_BY(sum, part)                                                                \
    do {                                                                                           \
        for (int m_ = RM_ERROR_RATE_REJECTED_CONNS; m_ <= RM_ERROR_RATE_REJECTED_SLOW_CLIENT;     \
             m_++) {                                                                               \
            CHECK_NEAR((sum)->metric[m_].mean,                                                     \
                       m_ == (part) ? (sum)->metric[RM_ERROR_RATE_REJECTED].mean : 0.0, 0.0);      \
        }                                                                                          \
    } while (0)

#endif
