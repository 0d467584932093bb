/* SPDX-License-Identifier: MIT
 *
 * presets.h - experiments built in C: the defaults every field starts from,
 * and built-in profiles and designs that mirror configs/ (shadowcat's
 * designs of reference/shadowcat.md section 2), for tests and for runs
 * without a YAML file.
 *
 * Schedules of built-in profiles point at const tables (never written).
 */
#ifndef MODELS_PRESETS_H
#define MODELS_PRESETS_H

#include "models/params.h"

#include <stdbool.h>

/* Neutral defaults: a working proxy with nothing switched on. */
void presets_default_profile(struct profile *p);
void presets_default_design(struct design *d);
void presets_default_experiment(struct experiment *e);

/* low, medium, high, burst, sustained, sse; false if unknown. */
bool presets_profile(const char *name, struct profile *p);
/* legacy-reverse, refactored-at-review, refactored-hardened, bounded-target. */
bool presets_design(const char *name, struct design *d);

#endif
