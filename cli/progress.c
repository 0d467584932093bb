/* SPDX-License-Identifier: MIT */
#include "cli/progress.h"

#include "models/guard.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BAR_WIDTH 24

void progress_init(struct progress *p, const char *label, const char *unit, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->label = label;
    p->unit = unit;
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->start_s = p->last_draw_s = guard_wall_s();
}

void progress_set_outer(struct progress *p, size_t done, size_t total, const char *unit)
{
    p->outer_done = done;
    p->outer_total = total;
    p->outer_unit = unit;
}

void progress_update(void *vp, size_t done, size_t total)
{
    struct progress *p = vp;
    if (!p->enabled || total == 0) {
        return;
    }
    double now = guard_wall_s();
    double elapsed = now - p->start_s;
    /* Quiet for the first second, then at most ten redraws a second, and always the last. */
    if (elapsed < 1.0 || (now - p->last_draw_s < 0.1 && done < total)) {
        return;
    }
    p->last_draw_s = now;
    double frac = (double)done / (double)total;
    char bar[BAR_WIDTH + 1];
    int filled = (int)(frac * BAR_WIDTH + 0.5);
    for (int i = 0; i < BAR_WIDTH; i++) {
        bar[i] = i < filled ? '#' : '.';
    }
    bar[BAR_WIDTH] = '\0';
    char outer[64] = "";
    if (p->outer_total) {
        snprintf(outer, sizeof outer, " %zu/%zu %s ", p->outer_done, p->outer_total,
                 p->outer_unit ? p->outer_unit : "");
    }
    char eta[32] = "";
    if (done > 0 && done < total) {
        snprintf(eta, sizeof eta, ", ~%.0f s left", elapsed * (1.0 - frac) / frac);
    }
    fprintf(stderr, "\r\033[Kproxysim %s: [%s]%s %zu/%zu %s  %.1f s%s", p->label, bar, outer,
            done, total, p->unit, elapsed, eta);
    fflush(stderr);
    p->drawn = true;
}

void progress_finish(struct progress *p)
{
    if (p->enabled && p->drawn) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    p->drawn = false;
}
