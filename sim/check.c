/* SPDX-License-Identifier: MIT */
#include "sim/check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim__check_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "proxysim: internal error: %s:%d: check failed: %s\n", file, line, expr);
    abort();
}

_Noreturn void sim_oom(size_t size)
{
    fprintf(stderr, "proxysim: out of memory (allocating %zu bytes)\n", size);
    abort();
}

void *sim_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL) {
        sim_oom(size);
    }
    return p;
}

void *sim_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        sim_oom(n * size);
    }
    return p;
}

void *sim_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (q == NULL) {
        sim_oom(size);
    }
    return q;
}

void *sim_xreallocarray(void *p, size_t n_elems, size_t elem_size)
{
    if (elem_size && n_elems > SIZE_MAX / elem_size) {
        sim_oom(SIZE_MAX);
    }
    return sim_xrealloc(p, n_elems * elem_size);
}

char *sim_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = sim_xmalloc(n);
    memcpy(d, s, n);
    return d;
}
