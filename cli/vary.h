/* SPDX-License-Identifier: MIT
 *
 * vary.h - the values of a varied config key: `--vary KEY=LIST`.
 *
 * LIST is one of
 *     1,2,4,8            explicit values, each with its own unit (10ms,50ms,1s),
 *                        and 'unlimited' (none, never, null, ~) where the key takes
 *                        it (base value INFINITY; the loader checks it per key)
 *     lo:hi:step         lo, lo+step, ... up to hi (inclusive, within 1e-9 of a step)
 *     lo:hi:xFACTOR      lo, lo*F, lo*F^2, ... up to hi (F > 1)
 *     lo:hi              (plan only) a grid of step 1 when lo and hi are whole
 *                        numbers, else 100 steps
 * A range's unit may be written on each part (10ms:1s:10ms, units of one kind) or
 * once, on any part, for the parts written without one (10:100:10ms is
 * 10ms:100ms:10ms; 10ms:200:10 too).
 * Each value keeps the text handed to config_apply_set ("20ms", so the
 * loader's units and checks apply) and its value in base units (s, B, /s),
 * used for CSV columns and chart axes.  Values are computed as lo + i*step
 * (never accumulated) and rounded to 12 significant digits, so 0.1:0.3:0.1
 * gives 0.3 and not 0.30000000000000004.
 *
 * Errors name the flag and the text: "proxysim sweep: --vary 'x=1:2:0': ...".
 * Ownership: struct vary owns its arrays; vary_fini frees them.
 */
#ifndef CLI_VARY_H
#define CLI_VARY_H

#include "plots/axis.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

#define VARY_MAX_VALUES 100000
#define VARY_TEXT_MAX 48

struct vary {
    char key[128];
    size_t n;
    double *base;                     /* value in base units */
    char (*text)[VARY_TEXT_MAX];      /* value as handed to the loader */
    bool is_range;                    /* lo:hi forms */
    double lo, step;                  /* ranges in the written unit (step 0 for xFACTOR) */
    char unit[16];                    /* the written unit suffix, "" for none */
    int family;                       /* config_unit_factor's: 0 none, 1 time, 2 size, ... */
};

/* allow_plain_range: accept lo:hi (plan).  Returns SIM_OK or SIM_EINVAL with err set. */
int vary_parse(const char *flag, const char *text, bool allow_plain_range, struct vary *out,
               struct sim_err *err);
void vary_fini(struct vary *v);
/* The chart axis of the values' unit (B/s shows as bytes: the axis has no byte rate). */
enum axis_unit vary_axis_unit(const struct vary *v);
/* "KEY=TEXT" for value i into buf. */
void vary_assignment(const struct vary *v, size_t i, char *buf, size_t size);

#endif
