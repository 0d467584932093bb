/* SPDX-License-Identifier: MIT
 *
 * test_config.c - the config loader: every shipped config loads and round-trips
 * (print -> reload -> print gives the same text, which is exact because numbers
 * are printed in their shortest round-trip form), units, distributions,
 * schedules, inheritance, overrides, and the key table against docs/CONFIG.md.
 */
#include "models/config.h"
#include "models/results.h"
#include "sim/check.h"

#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static const char *src_dir(void)
{
    const char *s = getenv("PROXYSIM_SOURCE_DIR");
    return s ? s : ".";
}

static char *print_to_string(const struct experiment *ex)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_print(f, ex);
    fclose(f);
    return buf;
}

/* The "# base: X" comment --print writes for an inherited design; the reloaded text has none
 * (its keys are all resolved).  Removed in place; true if there was one. */
static bool drop_base_comment(char *text)
{
    char *c = strstr(text, "# base: ");
    if (c == NULL) {
        return false;
    }
    while (c > text && c[-1] == ' ') {
        c--;
    }
    char *eol = strchr(c, '\n');
    memmove(c, eol + 1, strlen(eol + 1) + 1);
    return true;
}

static void assert_near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)))) {
        fail_msg("got %.17g, want %.17g", got, want);
    }
}

static void test_every_builtin_loads_and_round_trips(void **state)
{
    (void)state;
    assert_true(config_builtin_count() >= 13);
    for (size_t i = 0; i < config_builtin_count(); i++) {
        const struct config_builtin *b = config_builtin_at(i);
        struct experiment *ex = sim_xcalloc(1, sizeof *ex), *again = sim_xcalloc(1, sizeof *again);
        struct sim_err err;
        enum config_kind kind;
        if (config_load_any(b->name, &kind, ex, &err) != SIM_OK) {
            fail_msg("%s: %s", b->path, err.msg);
        }
        assert_int_equal(kind, b->kind);
        char *p1 = print_to_string(ex);
        if (config_load_buffer("printed.yaml", p1, strlen(p1), NULL, again, &err) != SIM_OK) {
            fail_msg("%s reprinted: %s", b->path, err.msg);
        }
        char *p2 = print_to_string(again);
        char *p1_resolved = sim_xstrdup(p1);
        assert_int_equal(drop_base_comment(p1_resolved), ex->design.base[0] != '\0');
        assert_string_equal(p1_resolved, p2);
        free(p1_resolved);
        /* Field by field where the struct has no pointers. */
        assert_memory_equal(&ex->design.upstream, &again->design.upstream, sizeof ex->design.upstream);
        assert_memory_equal(&ex->run, &again->run, sizeof ex->run);
        /* The file on disk gives the same params as the compiled-in copy. */
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", src_dir(), b->path);
        struct experiment *disk = sim_xcalloc(1, sizeof *disk);
        if (config_load_any(path, NULL, disk, &err) != SIM_OK) {
            fail_msg("%s: %s", path, err.msg);
        }
        char *p3 = print_to_string(disk);
        assert_string_equal(p1, p3);
        free(p1), free(p2), free(p3);
        config_free_experiment(ex), config_free_experiment(again), config_free_experiment(disk);
        free(ex), free(again), free(disk);
    }
}

static void set_ok(struct experiment *ex, const char *assignment)
{
    struct sim_err err;
    if (config_apply_set(ex, assignment, &err) != SIM_OK) {
        fail_msg("%s: %s", assignment, err.msg);
    }
}

static void test_units(void **state)
{
    (void)state;
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_build_experiment("low", "legacy-reverse", NULL, ex, &err), SIM_OK);
    const struct upstream_params *u = &ex->design.upstream;
    static const struct {
        const char *set;
        double want;
    } cases[] = {
        {"upstream.idle_timeout=250us", 250e-6}, {"upstream.idle_timeout=20ms", 0.02},
        {"upstream.idle_timeout=1.5s", 1.5},     {"upstream.idle_timeout=5min", 300},
        {"upstream.idle_timeout=2h", 7200},      {"upstream.idle_timeout=90", 90},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_ok(ex, cases[i].set);
        assert_near(u->idle_timeout_s, cases[i].want);
    }
    set_ok(ex, "upstream.idle_timeout=unlimited");
    assert_true(isinf(u->idle_timeout_s));
    set_ok(ex, "server.body_limit=512B");
    assert_near(ex->design.server.body_limit_bytes, 512);
    set_ok(ex, "server.body_limit=8KiB");
    assert_near(ex->design.server.body_limit_bytes, 8192);
    set_ok(ex, "server.body_limit=16KB");
    assert_near(ex->design.server.body_limit_bytes, 16000);
    set_ok(ex, "server.body_limit=1MiB");
    assert_near(ex->design.server.body_limit_bytes, 1048576);
    set_ok(ex, "server.body_limit=2GiB");
    assert_near(ex->design.server.body_limit_bytes, 2147483648.0);
    set_ok(ex, "server.rate_limit_rate=400/s");
    assert_near(ex->design.server.rate_limit_per_s, 400);
    set_ok(ex, "server.rate_limit_rate=10/min");
    assert_near(ex->design.server.rate_limit_per_s, 10.0 / 60.0);
    set_ok(ex, "profile.sse.drain_rate=64KiB/s");
    assert_near(ex->profile.sse.drain_bytes_per_s.a, 65536);
    set_ok(ex, "design.upstream.max_conns=64");
    assert_near(u->max_conns, 64);
    set_ok(ex, "run.seed=18446744073709551615");
    assert_true(ex->run.seed == UINT64_MAX);
    set_ok(ex, "design=bounded-target");
    assert_string_equal(ex->design.name, "bounded-target");
    config_free_experiment(ex);
    free(ex);
}

static void test_distributions(void **state)
{
    (void)state;
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_build_experiment("low", "legacy-reverse", NULL, ex, &err), SIM_OK);
    const struct sim_dist *d = &ex->profile.upstream_service_s;
    static const struct {
        const char *set;
        enum sim_dist_kind kind;
        double mean;
    } cases[] = {
        {"upstream_service={dist: exponential, mean: 20ms}", SIM_DIST_EXPONENTIAL, 0.02},
        {"upstream_service={dist: deterministic, value: 5ms}", SIM_DIST_DETERMINISTIC, 0.005},
        {"upstream_service=7ms", SIM_DIST_DETERMINISTIC, 0.007},
        {"upstream_service={dist: uniform, lo: 10ms, hi: 30ms}", SIM_DIST_UNIFORM, 0.02},
        {"upstream_service={dist: lognormal, mean: 20ms, cv: 1.5}", SIM_DIST_LOGNORMAL, 0.02},
        {"upstream_service={dist: gamma, mean: 20ms, cv: 0.5}", SIM_DIST_GAMMA, 0.02},
        {"upstream_service={dist: gamma, shape: 2, scale: 10ms}", SIM_DIST_GAMMA, 0.02},
        {"upstream_service={dist: hyperexponential, mean: 20ms, cv: 2}", SIM_DIST_HYPEREXP, 0.02},
        {"upstream_service={dist: weibull, shape: 1, scale: 20ms}", SIM_DIST_WEIBULL, 0.02},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_ok(ex, cases[i].set);
        assert_int_equal(d->kind, cases[i].kind);
        if (fabs(sim_dist_mean(d) - cases[i].mean) > 1e-9) {
            fail_msg("%s: mean %.17g", cases[i].set, sim_dist_mean(d));
        }
    }
    set_ok(ex, "upstream_service={dist: lognormal, median: 5ms, p99: 80ms}");
    assert_near(exp(d->a), 0.005);
    set_ok(ex, "upstream_service={dist: normal, mean: 20ms, sd: 5ms}");
    assert_near(d->a, 0.02);
    assert_near(d->b, 0.005);
    set_ok(ex, "upstream_service={dist: pareto, alpha: 1.5, lo: 1ms, hi: 1s}");
    assert_near(d->a, 1.5);
    assert_near(d->c, 1.0);
    set_ok(ex, "upstream_service={dist: empirical, samples: [1ms, 2ms, 3ms]}");
    assert_int_equal(d->n_samples, 3);
    assert_near(d->samples[2], 0.003);
    config_free_experiment(ex);
    free(ex);

    /* Empirical from a CSV column, relative to the YAML file, in ms. */
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/config/empirical.yaml", src_dir());
    struct profile p;
    assert_int_equal(config_load_profile(path, &p, &err), SIM_OK);
    assert_int_equal(p.upstream_service_s.kind, SIM_DIST_EMPIRICAL);
    assert_int_equal(p.upstream_service_s.n_samples, 3);
    assert_near(p.upstream_service_s.samples[0], 0.0125);
    config_free_profile(&p);
}

static void test_schedules_and_inheritance(void **state)
{
    (void)state;
    struct profile p;
    struct sim_err err;
    assert_int_equal(config_load_profile("burst", &p, &err), SIM_OK);
    assert_int_equal(p.arrivals, ARRIVALS_CLOSED);
    assert_int_equal(p.clients.n, 3);
    assert_near(schedule_value(&p.clients, 19.9), 10);
    assert_near(schedule_value(&p.clients, 20.0), 1000);
    assert_near(schedule_value(&p.clients, 45.0), 10);
    assert_true(p.transient);
    config_free_profile(&p);
    assert_int_equal(config_load_profile("medium", &p, &err), SIM_OK);
    assert_near(schedule_value(&p.clients, 25.0), 300); /* half-way up the 100 -> 500 ramp */
    config_free_profile(&p);

    struct design d;
    assert_int_equal(config_load_design("refactored-hardened", &d, &err), SIM_OK);
    assert_string_equal(d.base, "refactored-at-review");
    assert_int_equal(d.upstream.scope, SCOPE_PER_REQUEST); /* from refactored-at-review */
    assert_near(d.upstream.max_idle, 32);                  /* from refactored-at-review */
    assert_near(d.upstream.idle_timeout_s, 90);            /* from legacy-reverse */
    assert_near(d.upstream.connect_timeout_s, 10);         /* its own */
    assert_int_equal(d.tracker.persistence, PERSIST_WORKER);
    config_free_design(&d);
    assert_int_equal(config_load_design("bounded-target", &d, &err), SIM_OK);
    assert_near(d.server.max_client_conns, 1000);
    assert_near(d.spawn.max_tasks, 3000);
    assert_true(d.upstream.http2);
    config_free_design(&d);

    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    const char *sets[] = {"upstream.max_conns=64", "run.reps=3"};
    struct config_overrides ov = {.sets = sets, .n_sets = 2};
    assert_int_equal(config_load_experiment("burst-hardened", &ov, ex, &err), SIM_OK);
    assert_near(ex->profile.duration_s, 40);          /* the scenario's inline override */
    assert_near(ex->design.upstream.max_conns, 64);
    assert_int_equal(ex->run.reps, 3);
    assert_int_equal(ex->run.seed, 42);
    config_free_experiment(ex);
    free(ex);
}

/* Rows of one section must be contiguous, or --print would open a section twice. */
static void test_key_table_sections_contiguous(void **state)
{
    (void)state;
    size_t n = config_key_count();
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 2; j < n; j++) {
            if (config_key_kind(i) != config_key_kind(j)) {
                continue;
            }
            const char *a = config_key_path(i), *b = config_key_path(j);
            /* If i and j share a section, every row between them must too. */
            size_t la = (size_t)(strrchr(a, '.') ? strrchr(a, '.') - a : 0);
            if (la == 0 || strncmp(a, b, la) != 0 || b[la] != '.') {
                continue;
            }
            for (size_t m = i + 1; m < j; m++) {
                const char *c = config_key_path(m);
                if (config_key_kind(m) == config_key_kind(i) && (strncmp(a, c, la) != 0 || c[la] != '.')) {
                    fail_msg("section of %s is split by %s before %s", a, c, b);
                }
            }
        }
    }
}

/* docs/CONFIG.md names every key as `path` in the table of its kind. */
/* The text of docs/NAME, NUL-terminated; the caller frees it. */
static char *read_doc(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/%s", src_dir(), name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *doc = sim_xmalloc((size_t)len + 1);
    assert_int_equal(fread(doc, 1, (size_t)len, f), (size_t)len);
    doc[len] = '\0';
    fclose(f);
    return doc;
}

static void test_every_key_documented(void **state)
{
    (void)state;
    char *doc = read_doc("CONFIG.md");
    static const char *const heads[] = {"## Profile keys", "## Design keys", "## Scenario keys"};
    int missing = 0;
    for (size_t i = 0; i < config_key_count(); i++) {
        enum config_kind k = config_key_kind(i);
        const char *start = strstr(doc, heads[k]);
        assert_non_null(start);
        const char *end = strstr(start + 3, "\n## ");
        char want[200];
        snprintf(want, sizeof want, "| `%s` |", config_key_path(i));
        const char *hit = strstr(start, want);
        if (hit == NULL || (end && hit > end)) {
            fprintf(stderr, "docs/CONFIG.md: %s key `%s` is not documented\n", config_kind_name(k),
                    config_key_path(i));
            missing++;
        }
    }
    free(doc);
    assert_int_equal(missing, 0);
}

/* Metric names are an interface: docs/MODELS.md has a row `| name | unit |`
 * for every one results.h defines. */
static void test_every_metric_documented(void **state)
{
    (void)state;
    char *doc = read_doc("MODELS.md");
    int missing = 0;
    for (int m = 0; m < RM_N; m++) {
        char want[200];
        snprintf(want, sizeof want, "| `%s` | %s |", results_metrics[m].name,
                 results_metrics[m].unit);
        if (strstr(doc, want) == NULL) {
            fprintf(stderr, "docs/MODELS.md: no row '%s'\n", want);
            missing++;
        }
    }
    free(doc);
    assert_int_equal(missing, 0);
}

/* --print is readable and still exact: durations below 1 s in ms/us/ns (20us, not 2e-05s), a
 * {mean, cv} distribution as written (not shape: 1.5624999999999998) when that reloads to the
 * same parameters bit for bit, the exact parameters when it does not. */
static void test_print_readable_and_exact(void **state)
{
    (void)state;
    struct experiment *ex = sim_xcalloc(1, sizeof *ex), *again = sim_xcalloc(1, sizeof *again);
    struct sim_err err;
    assert_int_equal(config_build_experiment("low", "legacy-reverse", NULL, ex, &err), SIM_OK);
    set_ok(ex, "upstream_service={dist: gamma, mean: 20ms, cv: 0.8}");
    set_ok(ex, "sse.event_gap={dist: hyperexponential, mean: 250ms, cv: 3}");
    set_ok(ex, "request_bytes={dist: gamma, shape: 1.5624999999999998, scale: 0.37}");
    set_ok(ex, "executor.cpu.accept=0.1234567890123s");
    char *p1 = print_to_string(ex);
    assert_non_null(strstr(p1, "upstream_service: {dist: gamma, mean: 20ms, cv: 0.8}\n"));
    assert_non_null(strstr(p1, "event_gap: {dist: hyperexponential, mean: 250ms, cv: 3}\n"));
    assert_non_null(strstr(p1, "request_bytes: {dist: gamma, shape: 1.5624999999999998, scale: 0.37B}"));
    assert_non_null(strstr(p1, "accept: 123.4567890123ms\n"));
    assert_non_null(strstr(p1, "parse_per_kib: 5us\n"));
    assert_non_null(strstr(p1, "lock_read: 1us\n"));
    assert_null(strstr(p1, "e-0"));
    if (config_load_buffer("printed.yaml", p1, strlen(p1), NULL, again, &err) != SIM_OK) {
        fail_msg("reprinted: %s", err.msg);
    }
    assert_memory_equal(&ex->profile.upstream_service_s, &again->profile.upstream_service_s,
                        sizeof ex->profile.upstream_service_s);
    assert_memory_equal(&ex->profile.request_bytes, &again->profile.request_bytes,
                        sizeof ex->profile.request_bytes);
    assert_memory_equal(&ex->profile.sse.event_gap_s, &again->profile.sse.event_gap_s,
                        sizeof ex->profile.sse.event_gap_s);
    assert_memory_equal(&ex->design.executor, &again->design.executor, sizeof ex->design.executor);
    char *p2 = print_to_string(again);
    char *p1_resolved = sim_xstrdup(p1);
    drop_base_comment(p1_resolved);
    assert_string_equal(p1_resolved, p2);
    free(p1), free(p2), free(p1_resolved);
    config_free_experiment(ex), config_free_experiment(again);
    free(ex), free(again);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A bare `base: NAME` (and a scenario's `profile: NAME` / `design: NAME`) looks beside the file
 * first, also when the file is named without a directory: child.yaml lives in ".", as
 * ./child.yaml does (it fell through to the built-ins: "unknown design"). */
static void test_bare_name_beside_bare_file(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/proxysim_bare_XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    write_text(dir, "my-design.yaml", "kind: design\nbase: bounded-target\nname: mine\n"
                                      "upstream: {max_conns: 7}\n");
    write_text(dir, "my-profile.yaml", "kind: profile\nbase: low\nname: myp\n");
    write_text(dir, "child.yaml", "kind: design\nbase: my-design\nname: child\n");
    write_text(dir, "scen.yaml", "kind: scenario\nprofile: my-profile\ndesign: {base: my-design}\n");
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    int rc = config_load_any("child.yaml", NULL, ex, &err);
    if (rc != SIM_OK) {
        fail_msg("child.yaml: %s", err.msg);
    }
    assert_true(ex->design.upstream.max_conns == 7.0);
    config_free_experiment(ex);
    memset(ex, 0, sizeof *ex);
    rc = config_load_any("scen.yaml", NULL, ex, &err);
    if (rc != SIM_OK) {
        fail_msg("scen.yaml: %s", err.msg);
    }
    assert_true(ex->design.upstream.max_conns == 7.0);
    assert_string_equal(ex->profile.name, "myp");
    config_free_experiment(ex);
    free(ex);
    assert_int_equal(chdir(cwd), 0);
    static const char *const names[] = {"my-design.yaml", "my-profile.yaml", "child.yaml",
                                        "scen.yaml"};
    for (size_t i = 0; i < 4; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        remove(path);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_builtin_loads_and_round_trips),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_schedules_and_inheritance),
        cmocka_unit_test(test_key_table_sections_contiguous),
        cmocka_unit_test(test_every_key_documented),
        cmocka_unit_test(test_every_metric_documented),
        cmocka_unit_test(test_bare_name_beside_bare_file),
        cmocka_unit_test(test_print_readable_and_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
