/* SPDX-License-Identifier: MIT
 *
 * main.c - the proxysim command: picks a subcommand and hands it argv.
 *
 * Exit status: 0 success, 1 a check failed (validate FAIL, replications
 * failed), 2 bad input (flags, config files), as README.md documents.
 */
#include "cli/cli.h"
#include "models/config.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"validate", cli_validate, "run built-in queueing models against queueing theory"},
    {"bench", cli_bench, "engine and SSE benchmarks (mm1, hold, reps, sse)"},
    {"run", cli_run, "replications of a design under a traffic profile, with CIs"},
    {"fit", cli_fit, "fit distributions to samples, or a rate schedule to arrival times"},
    {"report", cli_report, "every profile x design: the review report (md, html, charts)"},
    {"check", cli_check, "validate profiles, designs and scenarios; --print the resolved config"},
    {"list", cli_list, "the built-in profiles, designs and scenarios"},
    {"compare", cli_compare, "two designs on the same traffic: paired differences with CIs"},
    {"sweep", cli_sweep, "vary config keys over a grid: metrics with CIs per point"},
    {"plan", cli_plan, "smallest or largest value of a key that meets SLOs"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: proxysim COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\n'proxysim COMMAND --help' describes each command; 'proxysim --version' prints "
               "the version.\n");
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; every GSL status is checked where it is returned. */
    gsl_set_error_handler_off();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("proxysim %s\n", PROXYSIM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        names[i] = commands[i].name;
    }
    const char *close = config_closest(argv[1], names, sizeof names / sizeof *names);
    char hint[64] = "";
    if (close) {
        snprintf(hint, sizeof hint, "; did you mean '%s'?", close);
    }
    fprintf(stderr, "proxysim: unknown command '%s' (see 'proxysim --help')%s\n", argv[1], hint);
    return 2;
}
