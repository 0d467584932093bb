/* SPDX-License-Identifier: MIT
 *
 * progress.h - a progress line on stderr for long runs.
 *
 *     proxysim sweep: [#########.........] 45/100 points  450/1000 reps  12.3 s, ~15 s left
 *
 * Shown only when stderr is a terminal and not --quiet, and only once the
 * run has lasted more than a second (short runs stay silent).  It redraws
 * at most ten times a second, so calling progress_update after every
 * replication costs nothing measurable.  progress_update matches
 * sim_progress_fn, so it can be handed to sim_replicate directly (the runner
 * serialises the calls).  progress_finish clears the line.
 */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress {
    const char *label;  /* "run", "sweep", ... */
    const char *unit;   /* what is counted: "reps" */
    bool enabled;
    double start_s;
    double last_draw_s;
    bool drawn;
    /* optional second counter (points of a sweep); total 0 = none */
    size_t outer_done, outer_total;
    const char *outer_unit;
};

/* quiet: --quiet was given.  Enabled only if stderr is a terminal and !quiet. */
void progress_init(struct progress *p, const char *label, const char *unit, bool quiet);
/* sim_progress_fn-compatible: p is a struct progress *. */
void progress_update(void *p, size_t done, size_t total);
void progress_set_outer(struct progress *p, size_t done, size_t total, const char *unit);
void progress_finish(struct progress *p);

#endif
