/* SPDX-License-Identifier: MIT
 *
 * check.c - `proxysim check FILE... [--print] [--set key=value]...`: load each
 * profile, design or scenario (a path or a built-in name) with full validation
 * and without running anything; --print writes the resolved config, units
 * normalised, as YAML that reloads to the same params.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "models/config.h"
#include "sim/check.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_line[] = "FILE... [--print] [--set key.path=value]...";

int cli_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"print", no_argument, NULL, 'p'},
        {"set", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool print = false;
    const char **sets = sim_xcalloc((size_t)argc + 1, sizeof *sets);
    size_t n_sets = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ps:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            print = true;
            break;
        case 's':
            sets[n_sets++] = optarg;
            break;
        case 'h':
            printf("usage: proxysim check %s\n\n"
                   "Validates profiles, designs and scenarios (paths or built-in names, see\n"
                   "'proxysim list') without running them.  Errors are one line each:\n"
                   "file:line:col: key.path: what is wrong.  --print writes the resolved config.\n"
                   "Exit status: 0 all valid, 2 any invalid.\n",
                   usage_line);
            free(sets);
            return 0;
        default:
            free(sets);
            return args_bad_option("check", argc, argv, opts);
        }
    }
    if (optind >= argc) {
        free(sets);
        return args_usage_error("check", "expected at least one FILE");
    }
    int status = 0;
    for (int i = optind; i < argc; i++) {
        struct experiment *ex = sim_xcalloc(1, sizeof *ex);
        struct sim_err err;
        enum config_kind kind = CONFIG_SCENARIO;
        struct config_overrides ov = {.sets = sets, .n_sets = n_sets};
        int rc = config_load_any_with(argv[i], &ov, &kind, ex, &err);
        if (rc != SIM_OK) {
            fprintf(stderr, "%s\n", err.msg);
            status = 2;
        } else if (print) {
            if (kind == CONFIG_PROFILE) {
                config_print_profile(stdout, &ex->profile);
            } else if (kind == CONFIG_DESIGN) {
                config_print_design(stdout, &ex->design);
            } else {
                config_print(stdout, ex);
            }
        } else {
            printf("%s: ok (%s %s)\n", argv[i], config_kind_name(kind),
                   kind == CONFIG_PROFILE  ? ex->profile.name
                   : kind == CONFIG_DESIGN ? ex->design.name
                                           : ex->name);
        }
        config_free_experiment(ex);
        free(ex);
    }
    free(sets);
    return status;
}
