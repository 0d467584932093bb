/* SPDX-License-Identifier: MIT
 *
 * test_validation.c - the engine against queueing theory, as a ctest check
 * (label `validation`).
 *
 * It runs exactly what `proxysim validate --quick` runs (the same code,
 * cli/validate.c, compiled into this test): every model and metric, with
 * the family-wise Bonferroni rule, and fails if any row FAILs.  Nothing is
 * loosened for the test: quick mode only shortens the runs, which widens the
 * intervals honestly.  The seed is fixed, so the outcome is reproducible
 * (and the same for any thread count).  Also checked: bad flags exit 2, and
 * --out writes one CSV line per row.
 */
#include "cli/cli.h"

#include <gsl/gsl_errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static int run(int argc, const char *const *argv)
{
    char *copy[16];
    for (int i = 0; i < argc; i++) {
        copy[i] = (char *)argv[i]; /* getopt permutes the pointers, not the strings */
    }
    copy[argc] = NULL;
    return cli_validate(argc, copy);
}

static void bad_flags_exit_2(void **state)
{
    (void)state;
    const char *const a[] = {"validate", "--reps", "1"};
    assert_int_equal(run(3, a), 2);
    const char *const b[] = {"validate", "--bogus"};
    assert_int_equal(run(2, b), 2);
    const char *const c[] = {"validate", "--seed", "x12"};
    assert_int_equal(run(3, c), 2);
    const char *const d[] = {"validate", "stray"};
    assert_int_equal(run(2, d), 2);
}

static void quick_validation_passes(void **state)
{
    (void)state;
    char dir[] = "/tmp/proxysim-validate-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *const a[] = {"validate", "--quick", "--out", dir};
    int rc = run(4, a);
    assert_int_equal(rc, 0); /* 1 would mean some row FAILed: see the table above */

    char path[128];
    snprintf(path, sizeof path, "%s/validate.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    size_t n_lines = 0, n_pass = 0;
    while (fgets(line, sizeof line, f)) {
        n_lines++;
        n_pass += strstr(line, ",PASS,") != NULL;
    }
    fclose(f);
    remove(path);
    rmdir(dir);
    assert_true(n_lines >= 2);
    assert_int_equal(n_pass, n_lines - 1); /* header + one PASS line per row */
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_flags_exit_2),
        cmocka_unit_test(quick_validation_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
