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
#include <stdint.h>

int args_u64(const char *cmd, const char *flag, const char *text, uint64_t lo, uint64_t hi,
             uint64_t *out);
int args_double(const char *cmd, const char *flag, const char *text, double lo, double hi,
                double *out);
/* Prints "proxysim CMD: unknown option ..." style errors for getopt's '?' result. */
int args_bad_option(const char *cmd, const char *usage_line);

#endif
