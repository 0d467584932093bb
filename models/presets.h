/* SPDX-License-Identifier: MIT
 *
 * presets.h - the neutral experiment built in C that tests and benchmarks start
 * from and then set what they measure.  The shipped profiles and designs live in
 * configs/ only (compiled in by the config loader): one source of truth.
 */
#ifndef MODELS_PRESETS_H
#define MODELS_PRESETS_H

#include "models/params.h"

#include <stdbool.h>

/* Neutral defaults: a working proxy with nothing switched on. */
void presets_default_profile(struct profile *p);
void presets_default_design(struct design *d);
void presets_default_experiment(struct experiment *e);


#endif
