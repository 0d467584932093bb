/* SPDX-License-Identifier: MIT
 *
 * check.h - assertions and allocation that cannot fail.
 *
 * Two kinds of checks, as in Cimba and SQLite.  SIM_REQUIRE guards the
 * preconditions of public functions and stays in release builds: a broken
 * precondition is a bug in the caller, and carrying on would produce numbers
 * nobody should trust.  SIM_ASSERT guards internal invariants and vanishes
 * under NDEBUG, so the hot paths of the engine pay nothing for it.
 *
 * Out of memory is not an error a simulation can recover from: sim_xmalloc
 * and friends print one line and abort, so no NULL checks are threaded
 * through the models (Redis's zmalloc does the same).
 */
#ifndef SIM_CHECK_H
#define SIM_CHECK_H

#include <stddef.h>

void sim__check_fail(const char *expr, const char *file, int line);

#define SIM_REQUIRE(x) ((x) ? (void)0 : sim__check_fail(#x, __FILE__, __LINE__))
#ifdef NDEBUG
#define SIM_ASSERT(x) ((void)0)
#else
#define SIM_ASSERT(x) SIM_REQUIRE(x)
#endif

void *sim_xmalloc(size_t size);
void *sim_xcalloc(size_t n, size_t size);
void *sim_xrealloc(void *p, size_t size);
/* Growth of an array of n_elems elements of elem_size, overflow-checked. */
void *sim_xreallocarray(void *p, size_t n_elems, size_t elem_size);
char *sim_xstrdup(const char *s);
/* Prints the out-of-memory message for a request of size bytes and aborts. */
_Noreturn void sim_oom(size_t size);

#endif
