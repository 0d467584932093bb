/* SPDX-License-Identifier: MIT
 *
 * config.h - the YAML configuration loader: profiles, designs, scenarios.
 *
 * Three kinds of document exist.  A *profile* describes traffic, a *design*
 * describes the proxy's concurrency model, and a *scenario* pairs one of each
 * with run settings (replications, seed, threads, confidence).  Each kind is
 * loaded into the typed structs of models/params.h; nothing downstream of this
 * file ever sees a YAML node or a key string.
 *
 * Every key lives in one static table (config.c): its dotted path, its type,
 * the offset of the field it fills, its unit, its range, its default and a
 * one-line doc string.  The same table parses files, applies `--set key=value`
 * overrides, prints a resolved config back as YAML (config_print output
 * reloads to the same params, bit for bit), and lets a test check that
 * docs/CONFIG.md documents every key.
 *
 * Names and paths.  Wherever a profile, design or scenario is named (on the
 * command line, in a scenario, in `base:`), the text is either a built-in name
 * (the files of configs/ are compiled into the binary, so `legacy-reverse` and
 * `high` work from any directory) or a path to a YAML file.  A path on disk
 * wins over a built-in name when the text contains '/' or ends in .yaml/.yml
 * and the file exists.  Relative paths inside a file (`base:`, empirical CSV
 * files, traces) are resolved against that file's directory.
 *
 * Errors.  Every function returns SIM_OK (0) or a negative status and fills
 * the caller's struct sim_err with one line
 *
 *     file:line:col: key.path: what is wrong (got X, expected Y)
 *
 * (line and column 1-based; `--set` overrides use "--set" as the file and the
 * column inside the assignment).  On error the output struct is left freed
 * and zeroed, so a caller never has to clean up after a failed load.  The
 * loader never aborts on input: files are read only when regular and smaller
 * than CONFIG_MAX_FILE_BYTES, and the walk over the YAML tree is bounded by
 * the depth of the key table, so aliases cannot make it loop.
 *
 * Ownership.  A loaded profile owns its schedules, empirical samples and trace
 * (heap); config_free_profile / _design / _experiment release them.  Structs
 * must not be copied by value while both copies are live and freed.
 * No global mutable state: everything a load needs lives on its stack.
 */
#ifndef MODELS_CONFIG_H
#define MODELS_CONFIG_H

#include "models/params.h"
#include "sim/err.h"

#include <stdio.h>

#define CONFIG_MAX_FILE_BYTES (16u << 20)
/* Windows of the time-series grid (duration / sample_dt): each replication
 * holds every level series on it, 24 x 8 bytes a window (a day at 1 s). */
#define CONFIG_MAX_SAMPLE_WINDOWS 100000

enum config_kind { CONFIG_PROFILE, CONFIG_DESIGN, CONFIG_SCENARIO, CONFIG_N_KINDS };

const char *config_kind_name(enum config_kind kind);

/* Changes applied after loading, in order, with the same validation. */
struct config_overrides {
    const char *const *sets; /* "key.path=value"; key may start with profile./design./scenario. */
    size_t n_sets;
};

/* Defaults only: the default profile and design of docs/CONFIG.md. */
void config_default_profile(struct profile *out);
void config_default_design(struct design *out);
void config_default_run(struct run_params *out);

int config_load_profile(const char *name_or_path, struct profile *out, struct sim_err *err);
int config_load_design(const char *name_or_path, struct design *out, struct sim_err *err);

/* A scenario file or built-in scenario name; ov may be NULL. */
int config_load_experiment(const char *name_or_path, const struct config_overrides *ov,
                           struct experiment *out, struct sim_err *err);
/* An experiment without a scenario file: `run --profile P --design D`.
 * Run settings are the defaults; ov may be NULL. */
int config_build_experiment(const char *profile, const char *design,
                            const struct config_overrides *ov, struct experiment *out,
                            struct sim_err *err);
/* One "key.path=value" override on a loaded experiment, then the rules
 * across keys.  On error ex may hold the new value of the key named: free it.
 * Several at once belong in the load's config_overrides: the rules then hold
 * for the result, not after each step. */
int config_apply_set(struct experiment *ex, const char *assignment, struct sim_err *err);

void config_free_profile(struct profile *p);
void config_free_design(struct design *d);
void config_free_experiment(struct experiment *ex);

/* The resolved config as YAML, units normalised to s, B and /s; reloading the
 * output gives identical params. */
void config_print(FILE *f, const struct experiment *ex);
void config_print_profile(FILE *f, const struct profile *p);
void config_print_design(FILE *f, const struct design *d);

/* A document of any kind (the `kind:` key, or guessed from its keys).
 * `check` and the fuzzer use it; *kind_out may be NULL. */
int config_load_any(const char *name_or_path, enum config_kind *kind_out,
                    struct experiment *out, struct sim_err *err);
/* Only the kind of a document (its `kind:` or its keys), without applying
 * or checking it: a scenario valid only once its --set are applied still
 * says what it is. */
int config_kind_of(const char *name_or_path, enum config_kind *kind, struct sim_err *err);
/* Same, with ov applied before the rules across keys are checked (the errors
 * then name the file and line of every key); a profile or a design document
 * refuses a key of the other kind, which nothing there would read. */
int config_load_any_with(const char *name_or_path, const struct config_overrides *ov,
                         enum config_kind *kind_out, struct experiment *out, struct sim_err *err);
/* Same, from memory; display_name is the file name used in errors and the
 * directory relative paths are resolved against. */
int config_load_buffer(const char *display_name, const char *data, size_t len,
                       enum config_kind *kind_out, struct experiment *out, struct sim_err *err);

/* ---- built-in configs (generated from configs/ at build time) ---- */

struct config_builtin {
    enum config_kind kind;
    const char *name;   /* file stem: "legacy-reverse" */
    const char *path;   /* "configs/designs/legacy-reverse.yaml", used in errors */
    const unsigned char *data;
    size_t len;
};

size_t config_builtin_count(void);
const struct config_builtin *config_builtin_at(size_t i);
const struct config_builtin *config_builtin_find(enum config_kind kind, const char *name);
/* The `description:` of a built-in, or "" (for `proxysim list`). */
void config_builtin_description(const struct config_builtin *b, char *buf, size_t size);

/* A unit suffix the configs accept ("ms", "µs", "MiB", "/min", "KiB/s", "" for a
 * plain number): its factor to the base unit (s, B, /s, B/s) and its family (1
 * time, 2 size, 3 rate, 4 byte rate, 0 none), so tools that place values on an
 * axis (sweep --vary) read units exactly as the loader does.  False when the
 * configs would not accept it. */
bool config_unit_factor(const char *suffix, double *factor, int *family);
/* Reads a value as the configs do ("200ms", "512 MiB", "100/s", or a plain
 * number in the base unit) for a quantity of that family; false when text is
 * not one (an unknown unit, one of another family, "unlimited"). */
bool config_parse_quantity(const char *text, int family, double *out);
/* Of names[0..n-1], the one closest to want by edit distance when it is close
 * enough to be a typo of it (the loader's "did you mean"), else NULL. */
const char *config_closest(const char *want, const char *const *names, size_t n);
/* The shortest text that reads back as exactly v, as a config would write it:
 * 2000 (not 2e+03), 0.2, 1181116006.4. */
void config_format_number(char *buf, size_t size, double v);

/* ---- the key table, for docs checks and tools ---- */

size_t config_key_count(void);
/* The full key path as the docs spell it: "design: upstream.max_conns". */
const char *config_key_path(size_t i);
enum config_kind config_key_kind(size_t i);
const char *config_key_doc(size_t i);
const char *config_key_default(size_t i);
/* Type, unit and range in words: "a duration (...) >= 0s or 'unlimited'". */
void config_key_type(size_t i, char *buf, size_t size);

#endif
