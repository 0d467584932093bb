/* SPDX-License-Identifier: MIT
 *
 * args.h - parsing of command-line values with the errors a person can act on.
 *
 * Every parser prints one line naming the command and the flag, what was
 * expected and what was given, and returns 2 (the exit status for bad
 * input); 0 on success.  Subcommands use getopt_long and these for values.
 */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int args_u64(const char *cmd, const char *flag, const char *text, uint64_t lo, uint64_t hi,
             uint64_t *out);
int args_double(const char *cmd, const char *flag, const char *text, double lo, double hi,
                double *out);
/* Prints the one error line "proxysim CMD: WHY (see 'proxysim CMD --help')";
 * returns 2. */
int args_usage_error(const char *cmd, const char *why_fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same for getopt_long's '?' (commands set opterr = 0 so that this is the
 * only message): names the unknown option, or the one missing its value, and
 * the closest of opts (NULL-terminated, as getopt_long's) to a misspelt one. */
struct option;
int args_bad_option(const char *cmd, int argc, char *const *argv, const struct option *opts);
/* compare and report name their designs and profiles themselves: a --set
 * that swaps a whole profile or design (profile=P, design=D, scenario.design=D)
 * would run one config under every label.  Returns 2 (message printed) for
 * the first such set, else 0. */
int args_refuse_swaps(const char *cmd, const char *const *sets, size_t n_sets);
/* Creates --out's directory and its parents before anything runs, so a bad
 * path costs nothing; returns 0 or 2 (message printed). */
int args_out_dir(const char *cmd, const char *dir);

#endif
