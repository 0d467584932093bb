/* SPDX-License-Identifier: MIT
 *
 * cli.h - the subcommands.  Each takes its own argv (argv[0] is the
 * subcommand name) and returns the process exit status: 0 success, 1 a check
 * failed, 2 bad input.  Nothing below main() calls exit().
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

int cli_validate(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_fit(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_list(int argc, char **argv);
/* issue 7: experiments */
int cli_compare(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_plan(int argc, char **argv);

#endif
