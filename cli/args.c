/* SPDX-License-Identifier: MIT */
#include "cli/args.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int args_u64(const char *cmd, const char *flag, const char *text, uint64_t lo, uint64_t hi,
             uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] == '-' || text[0] == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        fprintf(stderr,
                "proxysim %s: %s: expected an integer in [%" PRIu64 ", %" PRIu64 "], got '%s'\n",
                cmd, flag, lo, hi, text);
        return 2;
    }
    *out = (uint64_t)v;
    return 0;
}

int args_double(const char *cmd, const char *flag, const char *text, double lo, double hi,
                double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "proxysim %s: %s: expected a number in [%g, %g], got '%s'\n", cmd, flag,
                lo, hi, text);
        return 2;
    }
    *out = v;
    return 0;
}

int args_bad_option(const char *cmd, const char *usage_line)
{
    fprintf(stderr, "usage: proxysim %s %s\n", cmd, usage_line);
    return 2;
}
