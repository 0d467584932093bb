/* SPDX-License-Identifier: MIT
 *
 * err.h - status codes and the caller-owned error message.
 *
 * Bad input (YAML, command-line flags, numbers out of range) is rejected at
 * the boundary: the function returns a negative status and fills a
 * struct sim_err that the caller owns, in the form
 *
 *     file:line:col: key.path: what is wrong (got X, expected Y)
 *
 * The first error wins, as in cairo: later sim_err_set calls on an error that
 * is already set are ignored, so the most specific message (usually the
 * innermost) survives.  Runtime conditions of the model (pool exhausted,
 * queue full) are never errors; they are counted in the statistics.
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#define SIM_STATUS_MAP(X)                                                                          \
    X(OK, 0, "success")                                                                            \
    X(EINVAL, -1, "invalid input")                                                                 \
    X(EIO, -2, "input/output error")                                                               \
    X(ELIMIT, -3, "a run limit was reached")                                                       \
    X(EFAIL, -4, "replication failed")

enum sim_status {
#define SIM_STATUS_ENUM(name, code, text) SIM_##name = code,
    SIM_STATUS_MAP(SIM_STATUS_ENUM)
#undef SIM_STATUS_ENUM
};

struct sim_err {
    int code;       /* SIM_OK while nothing went wrong */
    char msg[512];  /* one line, no trailing newline */
};

const char *sim_strerror(int code);
void sim_err_clear(struct sim_err *e);
/* Records the first error only; returns code so callers can `return sim_err_set(...)`.
 * e may be NULL (the message is then dropped). */
int sim_err_set(struct sim_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
