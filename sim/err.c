/* SPDX-License-Identifier: MIT */
#include "sim/err.h"

#include <stdarg.h>
#include <stdio.h>

const char *sim_strerror(int code)
{
    switch (code) {
#define SIM_STATUS_CASE(name, c, text)                                                             \
    case c:                                                                                        \
        return text;
        SIM_STATUS_MAP(SIM_STATUS_CASE)
#undef SIM_STATUS_CASE
    }
    return "unknown status";
}

void sim_err_clear(struct sim_err *e)
{
    e->code = SIM_OK;
    e->msg[0] = '\0';
}

int sim_err_set(struct sim_err *e, int code, const char *fmt, ...)
{
    if (e == NULL || e->code != SIM_OK) {
        return code;
    }
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}
