/* SPDX-License-Identifier: MIT
 *
 * test_table.c - the four table writers: exact output for a small table,
 * CSV and JSON read back to the very same doubles, and a failed write that
 * leaves nothing behind.
 */
#include "plots/table.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

static struct table *small_table(void)
{
    struct table *t = table_create();
    table_add(t, "current", "steady", "p99 latency", 0.0123, 0.0119, 0.0128, 30, AXIS_UNIT_S);
    table_add(t, "bounded, 256", "burst", "peak memory", 1572864.0, 1468006.4, 1677721.6, 30,
              AXIS_UNIT_BYTES);
    table_add(t, "current", "steady", "throughput", 2400.5, NAN, NAN, 1, AXIS_UNIT_PER_S);
    table_add(t, "current", "burst", "error rate", 0.1, 0.0823, 0.11770000000000001, 30,
              AXIS_UNIT_FRACTION);
    return t;
}

/* Renders t in format f into a malloc'd string. */
static char *render(const struct table *t, enum table_format f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    struct sim_err err = {0};
    assert_int_equal(table_write(t, f, fp, &err), 0);
    fclose(fp);
    return buf;
}

static void check_text(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        fail_msg("got:\n%s\nwant:\n%s", got, want);
    }
}

static void test_cell(void **state)
{
    (void)state;
    struct table *t = small_table();
    char buf[64];
    check_text(table_format_cell(&t->rows[0], buf, sizeof(buf)), "12.3 ms [11.9, 12.8]");
    check_text(table_format_cell(&t->rows[1], buf, sizeof(buf)), "1.5 MiB [1.4, 1.6]");
    check_text(table_format_cell(&t->rows[2], buf, sizeof(buf)), "2.4 k/s");
    check_text(table_format_cell(&t->rows[3], buf, sizeof(buf)), "10% [8.23, 11.8]");
    table_destroy(t);
    /* A byte rate keeps "/s" with its value; CSV and JSON name it bytes_per_s. */
    t = table_create();
    table_add(t, "legacy-reverse", "low", "memory_growth_bytes_per_s", 3650.28725, 2631.19294,
              4669.38156, 8, AXIS_UNIT_BYTES_PER_S);
    check_text(table_format_cell(&t->rows[0], buf, sizeof(buf)), "3.56 KiB/s [2.57, 4.56]");
    check_text(table_unit_name(t->rows[0].unit), "bytes_per_s");
    table_destroy(t);
}

static void test_text(void **state)
{
    (void)state;
    struct table *t = small_table();
    char *got = render(t, TABLE_TEXT);
    check_text(got, "design        profile  metric              mean [95% CI]   n\n"
                    "------------  -------  -----------  --------------------  --\n"
                    "current       steady   p99 latency  12.3 ms [11.9, 12.8]  30\n"
                    "bounded, 256  burst    peak memory    1.5 MiB [1.4, 1.6]  30\n"
                    "current       steady   throughput                2.4 k/s   1\n"
                    "current       burst    error rate       10% [8.23, 11.8]  30\n");
    free(got);
    table_destroy(t);
}

static void test_markdown(void **state)
{
    (void)state;
    struct table *t = small_table();
    char *got = render(t, TABLE_MARKDOWN);
    check_text(got, "| design | profile | metric | mean [95% CI] | n |\n"
                    "|---|---|---|---:|---:|\n"
                    "| current | steady | p99 latency | 12.3 ms [11.9, 12.8] | 30 |\n"
                    "| bounded, 256 | burst | peak memory | 1.5 MiB [1.4, 1.6] | 30 |\n"
                    "| current | steady | throughput | 2.4 k/s | 1 |\n"
                    "| current | burst | error rate | 10% [8.23, 11.8] | 30 |\n");
    free(got);
    table_destroy(t);
}

static void test_csv(void **state)
{
    (void)state;
    struct table *t = small_table();
    char *got = render(t, TABLE_CSV);
    check_text(got, "design,profile,metric,mean,ci_low,ci_high,n,unit\n"
                    "current,steady,p99 latency,0.0123,0.0119,0.0128,30,s\n"
                    "\"bounded, 256\",burst,peak memory,1572864,1468006.4,1677721.6,30,bytes\n"
                    "current,steady,throughput,2400.5,,,1,per_s\n"
                    "current,burst,error rate,0.1,0.0823,0.11770000000000001,30,fraction\n");

    /* read it back: every number is the same double */
    char *line = strchr(got, '\n') + 1;
    for (size_t i = 0; i < t->n_rows; i++) {
        char *end = strchr(line, '\n');
        *end = '\0';
        char *fields[8];
        size_t nf = 0;
        char *p = line;
        while (nf < 8) {
            if (*p == '"') { /* quoted: up to the closing quote (no "" in this data) */
                fields[nf++] = p + 1;
                p = strchr(p + 1, '"');
                *p++ = '\0';
            } else {
                fields[nf++] = p;
                p += strcspn(p, ",");
            }
            if (*p != ',') {
                break;
            }
            *p++ = '\0';
        }
        assert_int_equal(nf, 8);
        const struct table_row *r = &t->rows[i];
        assert_string_equal(fields[0], r->design);
        const double want[3] = {r->mean, r->ci_low, r->ci_high};
        for (int k = 0; k < 3; k++) {
            double v = fields[3 + k][0] == '\0' ? NAN : strtod(fields[3 + k], NULL);
            if (!(v == want[k] || (isnan(v) && isnan(want[k])))) {
                fail_msg("row %zu field %d: read %.17g, wrote %.17g", i, k, v, want[k]);
            }
        }
        assert_int_equal(strtoull(fields[6], NULL, 10), r->n);
        assert_string_equal(fields[7], table_unit_name(r->unit));
        line = end + 1;
    }
    free(got);
    table_destroy(t);
}

/* The number after "key": in s, NaN for null. */
static double json_value(const char *s, const char *key, const char **after)
{
    char pat[32];
    snprintf(pat, sizeof(pat), "\"%s\": ", key);
    const char *p = strstr(s, pat);
    assert_non_null(p);
    p += strlen(pat);
    *after = p;
    return strncmp(p, "null", 4) == 0 ? NAN : strtod(p, NULL);
}

static void test_json(void **state)
{
    (void)state;
    struct table *t = small_table();
    char *got = render(t, TABLE_JSON);
    check_text(got,
               "{\"rows\": [\n"
               "  {\"design\": \"current\", \"profile\": \"steady\", \"metric\": \"p99 latency\", "
               "\"mean\": 0.0123, \"ci_low\": 0.0119, \"ci_high\": 0.0128, \"n\": 30, \"unit\": "
               "\"s\"},\n"
               "  {\"design\": \"bounded, 256\", \"profile\": \"burst\", \"metric\": \"peak "
               "memory\", \"mean\": 1572864, \"ci_low\": 1468006.4, \"ci_high\": 1677721.6, "
               "\"n\": 30, \"unit\": \"bytes\"},\n"
               "  {\"design\": \"current\", \"profile\": \"steady\", \"metric\": \"throughput\", "
               "\"mean\": 2400.5, \"ci_low\": null, \"ci_high\": null, \"n\": 1, \"unit\": "
               "\"per_s\"},\n"
               "  {\"design\": \"current\", \"profile\": \"burst\", \"metric\": \"error rate\", "
               "\"mean\": 0.1, \"ci_low\": 0.0823, \"ci_high\": 0.11770000000000001, \"n\": 30, "
               "\"unit\": \"fraction\"}\n"
               "]}\n");
    const char *p = got;
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct table_row *r = &t->rows[i];
        const char *keys[3] = {"mean", "ci_low", "ci_high"};
        const double want[3] = {r->mean, r->ci_low, r->ci_high};
        for (int k = 0; k < 3; k++) {
            double v = json_value(p, keys[k], &p);
            if (!(v == want[k] || (isnan(v) && isnan(want[k])))) {
                fail_msg("row %zu %s: read %.17g, wrote %.17g", i, keys[k], v, want[k]);
            }
        }
    }
    free(got);
    table_destroy(t);
}

static void test_escaping(void **state)
{
    (void)state;
    struct table *t = table_create();
    table_add(t, "a \"quoted\" | piped", "p", "m", 1.0, 0.5, 1.5, 2, AXIS_UNIT_NONE);
    char *csv = render(t, TABLE_CSV);
    assert_non_null(strstr(csv, "\"a \"\"quoted\"\" | piped\",p,m,1,0.5,1.5,2,count\n"));
    char *json = render(t, TABLE_JSON);
    assert_non_null(strstr(json, "\"design\": \"a \\\"quoted\\\" | piped\""));
    char *md = render(t, TABLE_MARKDOWN);
    assert_non_null(strstr(md, "| a \"quoted\" \\| piped |"));
    free(csv);
    free(json);
    free(md);
    table_destroy(t);
}

static void test_path(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_table.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/results.csv", dir);
    struct table *t = small_table();
    struct sim_err err = {0};
    assert_int_equal(table_write_path(t, TABLE_CSV, path, &err), 0);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char first[64];
    assert_non_null(fgets(first, sizeof(first), fp));
    fclose(fp);
    assert_string_equal(first, "design,profile,metric,mean,ci_low,ci_high,n,unit\n");

    /* a directory that does not exist: SIM_EIO with the path in the message */
    snprintf(path, sizeof(path), "%s/no/such/results.csv", dir);
    assert_int_equal(table_write_path(t, TABLE_CSV, path, &err), SIM_EIO);
    assert_non_null(strstr(err.msg, "no/such"));

    /* a full device: the write fails at the end and nothing is left behind */
    if (access("/dev/full", W_OK) == 0) {
        FILE *full = fopen("/dev/full", "w");
        sim_err_clear(&err);
        assert_int_equal(table_write(t, TABLE_JSON, full, &err), SIM_EIO);
        fclose(full);
    }
    snprintf(path, sizeof(path), "%s/results.csv", dir);
    unlink(path);
    rmdir(dir);
    table_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cell),     cmocka_unit_test(test_text),
        cmocka_unit_test(test_markdown), cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),     cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
