/* SPDX-License-Identifier: MIT
 *
 * test_fit_badinput.c - every class of bad sample or trace file gives its one
 * exact error line (file, line, column) and SIM_EINVAL / SIM_EIO, and leaves
 * nothing allocated.
 */
#include "tests/check.h"

#include "models/fit.h"
#include "models/samples.h"

#include <unistd.h>

static char tmpdir[64];

/* Writes len bytes of text to tmpdir/name; returns the path in path[]. */
static void put(const char *name, const char *text, size_t len, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* Reads name (written from text) as samples in ms, column col; asserts status and message
 * "<path><suffix>". */
static void expect_error(const char *name, const char *text, size_t len, const char *col,
                         int status, const char *suffix)
{
    char path[128], want[512];
    put(name, text, len, path, sizeof path);
    struct samples_unit ms;
    assert_true(samples_unit_parse("ms", &ms));
    struct samples s = {0};
    struct sim_err err;
    sim_err_clear(&err);
    assert_int_equal(samples_read(&s, path, col, &ms, &err), status);
    snprintf(want, sizeof want, "%s%s", path, suffix);
    assert_string_equal(err.msg, want);
    assert_null(s.x);
    assert_int_equal(s.n, 0);
    unlink(path);
}

#define TEXT(s) s, sizeof s - 1

static void test_missing_file(void **state)
{
    (void)state;
    char path[128], want[256];
    snprintf(path, sizeof path, "%s/nope.csv", tmpdir);
    struct samples s;
    struct sim_err err;
    sim_err_clear(&err);
    assert_int_equal(samples_read(&s, path, NULL, NULL, &err), SIM_EIO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    assert_string_equal(err.msg, want);
}

static void test_empty_file(void **state)
{
    (void)state;
    expect_error("empty.csv", TEXT(""), NULL, SIM_EINVAL, ":1:1: empty file (no samples)");
    expect_error("blank.csv", TEXT("\n  \n# nothing\n"), NULL, SIM_EINVAL,
                 ":1:1: empty file (no samples)");
    expect_error("header.csv", TEXT("id,latency_ms\n"), "latency_ms", SIM_EINVAL,
                 ":1:1: no samples after the header");
}

static void test_non_numeric(void **state)
{
    (void)state;
    expect_error("nan.csv", TEXT("id,latency_ms\n1,2.5\n2,abc\n"), "latency_ms", SIM_EINVAL,
                 ":3:3: column 'latency_ms': not a number (got 'abc')");
    expect_error("units.csv", TEXT("latency_ms\n12ms\n"), NULL, SIM_EINVAL,
                 ":2:1: column 'latency_ms': not a number (got '12ms')");
    expect_error("plain.txt", TEXT("1.5\n2.5\n  nan\n"), NULL, SIM_EINVAL,
                 ":3:3: not a number (got 'nan')");
    expect_error("emptycell.csv", TEXT("a,b\n1,2\n3,\n"), "b", SIM_EINVAL,
                 ":3:3: column 'b': empty cell (expected a number)");
    expect_error("short.csv", TEXT("a,b\n1,2\n3\n"), "b", SIM_EINVAL,
                 ":3:2: row has 1 cells, column 'b' is cell 2");
    expect_error("huge.csv", TEXT("a\n1e999\n"), NULL, SIM_EINVAL,
                 ":2:1: column 'a': number out of range (got '1e999')");
}

static void test_negative(void **state)
{
    (void)state;
    expect_error("neg.csv", TEXT("id,latency_ms\n1,2.5\n2,-4\n"), "latency_ms", SIM_EINVAL,
                 ":3:3: column 'latency_ms': negative duration (got -4)");
}

static void test_no_such_column(void **state)
{
    (void)state;
    expect_error("cols.csv", TEXT("id,latency_ms,bytes\n1,2,3\n"), "lat", SIM_EINVAL,
                 ":1:1: no column 'lat' (columns: id, latency_ms, bytes)");
    expect_error("several.csv", TEXT("id,latency_ms\n1,2\n"), NULL, SIM_EINVAL,
                 ":1:1: several columns (id, latency_ms); choose one with --column NAME");
    expect_error("noheader.csv", TEXT("1.5\n2\n"), "latency_ms", SIM_EINVAL,
                 ":1:1: no header row, so no column 'latency_ms' (the first line holds values; "
                 "name no column)");
}

static void test_not_text(void **state)
{
    (void)state;
    expect_error("nul.bin", TEXT("1.5\n2\0\0\x7f" "ELF\n"), NULL, SIM_EINVAL,
                 ":2:2: not a text file (NUL byte)");
    expect_error("ctrl.bin", TEXT("\x01\x02\x03\x04 binary\n"), NULL, SIM_EINVAL,
                 ":1:1: not a text file (byte 0x01)");
    /* A PNG signature: 0x89 'P' 'N' 'G' CR LF 0x1a LF. */
    expect_error("chart.png", TEXT("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), NULL, SIM_EINVAL,
                 ":2:1: not a text file (byte 0x1a)");
}

static void test_bad_timestamps(void **state)
{
    (void)state;
    char path[128], want[512];
    put("ts.csv", TEXT("ts\n1795600800\n2026-13-01T00:00:00Z\n"), path, sizeof path);
    struct samples s = {0};
    struct sim_err err;
    sim_err_clear(&err);
    assert_int_equal(samples_read_timestamps(&s, path, NULL, &err), SIM_EINVAL);
    snprintf(want, sizeof want,
             "%s:3:1: column 'ts': not a timestamp (got '2026-13-01T00:00:00Z', expected "
             "seconds, ISO 8601 or [DD/Mon/YYYY:HH:MM:SS +ZZZZ])",
             path);
    assert_string_equal(err.msg, want);
    assert_null(s.x);
    unlink(path);
    put("log.txt", TEXT("a - - [25/Nov/2026:10:00:00 +0000] \"GET /\"\nb - - garbage\n"), path,
        sizeof path);
    sim_err_clear(&err);
    assert_int_equal(samples_read_timestamps(&s, path, NULL, &err), SIM_EINVAL);
    snprintf(want, sizeof want,
             "%s:2:1: no access-log time [DD/Mon/YYYY:HH:MM:SS +ZZZZ] in the line", path);
    assert_string_equal(err.msg, want);
    unlink(path);
    /* One arrival: no rate can be estimated. */
    double t = 5.0;
    struct fit_rates fr;
    sim_err_clear(&err);
    assert_int_equal(fit_rates_compute(&fr, &t, 1, 60.0, 0.95, &err), SIM_EINVAL);
    assert_string_equal(err.msg,
                        "need at least 2 distinct arrival times to estimate a rate (got 1)");
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_fit_bad.XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_file),   cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_non_numeric),    cmocka_unit_test(test_negative),
        cmocka_unit_test(test_no_such_column), cmocka_unit_test(test_not_text),
        cmocka_unit_test(test_bad_timestamps),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(tmpdir);
    return rc;
}
