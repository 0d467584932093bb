/* SPDX-License-Identifier: MIT
 *
 * paired.h - comparing two designs replication by replication.
 *
 * Design A and design B run replication r on the same seeds, so with common
 * random numbers (one stream per random purpose) they see the same arrivals,
 * sizes and service times, and the noise that both share cancels in the
 * difference d_r = b_r - a_r.  The comparison is the Student-t interval of
 * the mean of d (sim_ci_paired), set against what independent runs would
 * have given: Welch's interval for a difference of two means with unequal
 * variances (Welch-Satterthwaite degrees of freedom).  The ratio of the two
 * half-widths is the variance reduction that pairing bought, in the units a
 * reader cares about: "the paired CI is 7.2x narrower", i.e. the same
 * precision as 52x the replications unpaired.
 *
 * Whether a difference is good news depends on the metric: lower latency,
 * errors, memory, tasks and leaks are better; higher throughput and hit rate
 * are better; some figures (offered load, sessions created, CPU utilisation)
 * are neither, and their verdict says only "higher" or "lower".  The table of
 * directions is paired.c's metric_dirs[], one line per metric beside its
 * stable name.
 *
 * Pure functions over caller-owned arrays; NAN samples (a replication that
 * could not measure) drop the pair.  Nothing is allocated beyond a scratch
 * array per call.
 */
#ifndef MODELS_PAIRED_H
#define MODELS_PAIRED_H

#include "sim/stat.h"

#include <stddef.h>

enum paired_direction {
    PAIRED_LOWER_BETTER,
    PAIRED_HIGHER_BETTER,
    PAIRED_NEUTRAL,
};

enum paired_verdict {
    PAIRED_NO_DIFFERENCE, /* the CI of b - a contains 0 */
    PAIRED_BETTER,        /* B is better than A */
    PAIRED_WORSE,
    PAIRED_HIGHER,        /* neutral metric, significantly higher in B */
    PAIRED_LOWER,
    PAIRED_UNKNOWN,       /* fewer than 2 usable pairs */
};

struct paired_result {
    struct sim_ci a, b;  /* each design on its own (pairs with a NAN dropped; with no complete
                            pair, each over its own non-NAN values) */
    struct sim_ci diff;  /* paired: mean of b - a and its t interval */
    struct sim_ci welch; /* unpaired: b - a with Welch's interval (n = pairs) */
    double rel_change;   /* diff.mean / |a.mean|; NAN when a.mean is 0 */
    double width_ratio;  /* welch.half / diff.half: > 1 when pairing helped; INFINITY when
                            the paired half-width is 0 and Welch's is not; NAN when both are 0 */
    enum paired_verdict verdict;
};

/* Direction of a results metric (enum results_metric). */
enum paired_direction paired_metric_direction(int metric);
/* "lower", "higher" or "none": which way is better. */
const char *paired_direction_name(enum paired_direction d);
/* "better", "worse", "no significant difference", "higher", "lower", "n/a". */
const char *paired_verdict_name(enum paired_verdict v);

/* Compares b against a over n replications at confidence conf (e.g. 0.95). */
void paired_compare(const double *a, const double *b, size_t n, double conf,
                    enum paired_direction dir, struct paired_result *out);

/* Welch's interval for mean(b) - mean(a), samples independent; NAN entries skipped. */
struct sim_ci paired_welch(const double *a, size_t na, const double *b, size_t nb, double conf);

#endif
