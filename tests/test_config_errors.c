/* SPDX-License-Identifier: MIT
 *
 * test_config_errors.c - one test per class of bad config input, each asserting
 * the whole error line: file, line, column, key path and message.  Fixtures are
 * in tests/data/config/.
 */
#include "models/config.h"
#include "sim/check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *src_dir(void)
{
    const char *s = getenv("PROXYSIM_SOURCE_DIR");
    return s ? s : ".";
}

/* Loads fixture name (any kind) and asserts the error line is "<path>:<rest>". */
static void expect_error(const char *name, const char *rest)
{
    char path[1024], want[2048];
    snprintf(path, sizeof path, "%s/tests/data/config/%s", src_dir(), name);
    snprintf(want, sizeof want, "%s:%s", path, rest);
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    int rc = config_load_any(path, NULL, ex, &err);
    assert_int_equal(rc, SIM_EINVAL);
    assert_string_equal(err.msg, want);
    config_free_experiment(ex);
    free(ex);
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_error("unknown_key.yaml", "4:3: upstream.idle_timout: unknown key (got 'idle_timout', "
                                     "expected a design key; did you mean 'idle_timeout'?)");
}

/* libyaml takes any node as a key; the loader refuses all but plain scalars,
 * in a section and among a distribution's parameters alike. */
static void test_key_not_scalar(void **state)
{
    (void)state;
    expect_error("key_not_scalar.yaml",
                 "5:3: upstream: wrong type (got a list as a key, expected a plain key)");
    expect_error("dist_key_not_scalar.yaml", "5:30: arrivals.think: wrong type (got a mapping as "
                                             "a key, expected a parameter name)");
}

static void test_wrong_type(void **state)
{
    (void)state;
    expect_error("wrong_type.yaml", "3:14: upstream.max_conns: wrong type (got 'lots', expected a "
                                    "whole number >= 1 or 'unlimited')");
}

static void test_out_of_range(void **state)
{
    (void)state;
    expect_error("out_of_range.yaml", "3:14: upstream.max_conns: out of range (got -3, expected a "
                                      "whole number >= 1 or 'unlimited')");
}

static void test_bad_unit(void **state)
{
    (void)state;
    expect_error("bad_unit.yaml",
                 "3:17: upstream.idle_timeout: bad unit 'parsecs' (got '90parsecs', expected a "
                 "duration (250us, 20ms, 1.5s, 5min, 2h) >= 0s or 'unlimited')");
    /* A key without units has no unit to get wrong (it read "bad unit 'x'"). */
    expect_error("count_unit.yaml", "3:14: upstream.max_conns: wrong type (got '5x', expected a "
                                    "whole number >= 1 or 'unlimited', without a unit)");
    expect_error("factor_unit.yaml", "3:19: buffers.keep_if_cap_le: wrong type (got '2x', "
                                     "expected a number >= 1 or 'unlimited', without a unit)");
}

static void test_bad_enum(void **state)
{
    (void)state;
    /* The kind too (it listed the three without a suggestion). */
    expect_error("kind_typo.yaml", "1:7: kind: unknown value (got 'desing', expected one of "
                                   "profile, design, scenario; did you mean 'design'?)");
    expect_error("bad_enum.yaml", "3:10: upstream.scope: unknown value (got 'per_reqest', expected "
                                  "one of shared, per_request, per_stream; did you mean "
                                  "'per_request'?)");
}

static void test_unknown_distribution(void **state)
{
    (void)state;
    expect_error("unknown_dist.yaml",
                 "2:26: upstream_service.dist: unknown distribution (got 'exponental', expected one "
                 "of deterministic, exponential, uniform, normal, lognormal, gamma, weibull, pareto, "
                 "hyperexponential, empirical; did you mean 'exponential'?)");
}

static void test_distribution_missing_parameter(void **state)
{
    (void)state;
    expect_error("dist_missing_param.yaml",
                 "2:19: upstream_service: missing required key for lognormal (expected {mean, cv} "
                 "or {median, p99} or {mu, sigma})");
}

static void test_missing_required_key(void **state)
{
    (void)state;
    expect_error("missing_required.yaml",
                 "2:1: design: missing required key (got a scenario without 'design', expected a "
                 "design name, path or mapping)");
    expect_error("missing_clients.yaml",
                 "3:9: arrivals.kind: missing required key (got kind closed without "
                 "arrivals.clients, expected a client population)");
}

static void test_inheritance_cycle(void **state)
{
    (void)state;
    char a[1024], b[1024], rest[8192];
    snprintf(a, sizeof a, "%s/tests/data/config/cycle_a.yaml", src_dir());
    snprintf(b, sizeof b, "%s/tests/data/config/cycle_b.yaml", src_dir());
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_load_any(a, NULL, ex, &err), SIM_EINVAL);
    /* Reported where the file that closes the loop names its base. */
    snprintf(rest, sizeof rest,
             "%s:2:7: base: inheritance cycle (got %s -> %s -> %s, expected a chain that ends)", b,
             a, b, a);
    assert_string_equal(err.msg, rest);
    free(ex);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    expect_error("duplicate_key.yaml",
                 "5:3: sessions.ttl: duplicate key (got 'ttl' twice, expected each key once)");
}

static void test_yaml_syntax_error(void **state)
{
    (void)state;
    expect_error("syntax_error.yaml",
                 "3:9: (document): YAML syntax error: did not find expected ',' or '}' while "
                 "parsing a flow mapping (line 2, column 11)");
}

static void test_empty_file(void **state)
{
    (void)state;
    expect_error("empty.yaml",
                 "1:1: (document): empty file (got no YAML document, expected a mapping of keys)");
}

static void test_binary_garbage(void **state)
{
    (void)state;
    expect_error("binary.yaml", "2:1: (document): binary data (got a NUL byte, expected UTF-8 YAML text)");
    /* Invalid UTF-8 without NULs goes to libyaml, which names the byte. */
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    const char bad[] = "kind: design\nname: \xff\xfe\n";
    assert_int_equal(config_load_buffer("garbage.yaml", bad, sizeof bad - 1, NULL, ex, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "garbage.yaml:2:7: (document): YAML syntax error: invalid leading UTF-8 octet"));
    free(ex);
}

/* Found by the fuzzer: a plain key that spans lines put newlines into the
 * message; every error is one line, control bytes shown as '?'. */
static void test_key_with_newlines_stays_one_line(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/config/fuzz_multiline_key.yaml", src_dir());
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_load_any(path, NULL, ex, &err), SIM_EINVAL);
    assert_null(strchr(err.msg, '\n'));
    assert_non_null(strstr(err.msg, "fuzz_multiline_key.yaml:3:16: spawn.per_stream.en??"));
    assert_non_null(strstr(err.msg, "able: unknown key (got 'en??"));
    config_free_experiment(ex);
    free(ex);
}

static void test_missing_file(void **state)
{
    (void)state;
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_load_any("/nonexistent/dir/x.yaml", NULL, ex, &err), SIM_EINVAL);
    assert_string_equal(err.msg, "/nonexistent/dir/x.yaml:1:1: (file): cannot read: No such file or directory");
    assert_int_equal(config_load_any("/", NULL, ex, &err), SIM_EINVAL);
    assert_string_equal(err.msg, "/:1:1: (file): cannot read: not a regular file");
    struct design d;
    assert_int_equal(config_load_design("no-such-design", &d, &err), SIM_EINVAL);
    assert_string_equal(err.msg,
                        "unknown design 'no-such-design' (expected a built-in name (bounded-target, "
                        "legacy-reverse, refactored-at-review, refactored-hardened) or a path to a "
                        ".yaml file)");
    /* A name one letter off a built-in one gets the suggestion. */
    assert_int_equal(config_load_design("bounded-targt", &d, &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "unknown design 'bounded-targt' (expected"));
    assert_non_null(strstr(err.msg, ".yaml file); did you mean 'bounded-target'?"));
    free(ex);
}

static void test_cross_field_and_schedule(void **state)
{
    (void)state;
    expect_error("mix_sum.yaml", "2:18: mix.post_json: out of range (got post_json + post_sse + "
                                 "get_sse = 0.9, expected a sum of 1)");
    /* The default warm-up: the error points at transient; a warm-up set in the
     * file: at the warm-up, the key to change. */
    expect_error("transient_warmup.yaml",
                 "3:12: transient: conflicts with the warm-up (got warmup 10s, expected warmup: 0s: a "
                 "transient run has no steady state to discard a warm-up before)");
    expect_error("transient_warmup_set.yaml",
                 "3:9: warmup: conflicts with transient: true (got warmup 5s, expected warmup: 0s: a "
                 "transient run has no steady state to discard a warm-up before)");
    expect_error("schedule_order.yaml", "4:74: arrivals.rate[2].at: out of order (got 30s, expected "
                                        "a time >= the previous point's)");
    /* A point inside the previous ramp would never take effect (the ramp ran on past it). */
    expect_error("schedule_ramp_overlap.yaml",
                 "4:76: arrivals.rate[2].at: overlaps the previous ramp (got 15s, expected a time "
                 ">= 30s, where the ramp from 10s ends)");
    expect_error("degradation_order.yaml",
                 "4:64: server.degradation.essential_at: out of range (got 0.8, expected at least "
                 "degraded_at 0.9)");
}

static void test_empirical_csv_error(void **state)
{
    (void)state;
    char csv[1024], want[2048];
    snprintf(csv, sizeof csv, "%s/tests/data/config/bad_samples.csv", src_dir());
    snprintf(want, sizeof want,
             "%s:3:3: upstream_service.file: column 'latency_ms': not a number (got 'oops')", csv);
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/config/empirical_bad.yaml", src_dir());
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_load_any(path, NULL, ex, &err), SIM_EINVAL);
    assert_string_equal(err.msg, want);
    free(ex);
}

static void test_set_errors(void **state)
{
    (void)state;
    struct experiment *ex = sim_xcalloc(1, sizeof *ex);
    struct sim_err err;
    assert_int_equal(config_build_experiment("low", "legacy-reverse", NULL, ex, &err), SIM_OK);
    assert_int_equal(config_apply_set(ex, "upstream.max_conns=-3", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:20: upstream.max_conns: out of range (got -3, expected a "
                                 "whole number >= 1 or 'unlimited')");
    assert_int_equal(config_apply_set(ex, "upstream.max_con=3", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:1: upstream.max_con: unknown key (got 'upstream.max_con', "
                                 "expected a key of docs/CONFIG.md; did you mean 'upstream.max_conns'?)");
    /* The key as typed, prefix and all, in the message and the suggestion. */
    assert_int_equal(config_apply_set(ex, "design.spawn.max_taks=3", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:1: design.spawn.max_taks: unknown key (got "
                                 "'design.spawn.max_taks', expected a key of docs/CONFIG.md; did you "
                                 "mean 'design.spawn.max_tasks'?)");
    assert_int_equal(config_apply_set(ex, "profile.mix={post_json: 1}", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:1: profile.mix: is a section (got 'profile.mix', expected "
                                 "one of its keys per --set, such as profile.mix.post_json)");
    /* A section is set key by key (a mapping value used to read "did you mean 'mix'?"). */
    assert_int_equal(config_apply_set(ex, "mix={post_json: 1}", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:1: mix: is a section (got 'mix', expected one of its keys "
                                 "per --set, such as mix.post_json)");
    assert_int_equal(config_apply_set(ex, "name=x", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:1: name: ambiguous key (got 'name', expected profile.name "
                                 "or design.name or scenario.name)");
    assert_int_equal(config_apply_set(ex, "upstream.idle_timeout", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:1: (--set): wrong syntax (got 'upstream.idle_timeout', "
                                 "expected key.path=value)");
    /* (Before the ladder's failed --set below, which leaves its key set.)
     * HTTP/2 with one stream per connection would run as HTTP/1.1: refused. */
    assert_int_equal(config_apply_set(ex, "upstream.http2=true", &err), SIM_EINVAL);
    assert_non_null(strstr(err.msg, "--set:1:16: upstream.http2: conflicts with "
                                    "upstream.max_streams_per_conn (got true with 1 stream"));
    assert_int_equal(config_apply_set(ex, "upstream.max_streams_per_conn=100", &err), SIM_OK);
    assert_int_equal(config_apply_set(ex, "upstream.http2=true", &err), SIM_OK);
    assert_int_equal(config_apply_set(ex, "upstream.http2=false", &err), SIM_OK);
    /* The ladder measures load against the design's limits: it needs one. */
    assert_int_equal(config_apply_set(ex, "server.degradation.enabled=true", &err), SIM_EINVAL);
    assert_string_equal(err.msg, "--set:1:28: server.degradation.enabled: out of range (got true "
                                 "with no limit to measure load against, expected a finite "
                                 "server.max_client_conns, server.max_inflight, spawn.max_tasks or "
                                 "server.max_memory)");
    /* A --set that fails to parse leaves the value as it was. */
    assert_true(ex->design.upstream.max_conns == INFINITY);
    config_free_experiment(ex);
    free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_key_with_newlines_stays_one_line),
        cmocka_unit_test(test_key_not_scalar),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_bad_unit),
        cmocka_unit_test(test_bad_enum),
        cmocka_unit_test(test_unknown_distribution),
        cmocka_unit_test(test_distribution_missing_parameter),
        cmocka_unit_test(test_missing_required_key),
        cmocka_unit_test(test_inheritance_cycle),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_binary_garbage),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_cross_field_and_schedule),
        cmocka_unit_test(test_empirical_csv_error),
        cmocka_unit_test(test_set_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
