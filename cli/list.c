/* SPDX-License-Identifier: MIT
 *
 * list.c - `proxysim list`: the built-in profiles, designs and scenarios (the
 * files of configs/ compiled into the binary) with their one-line
 * descriptions.  Any of these names works wherever a config is expected.
 */
#include "cli/args.h"
#include "cli/cli.h"
#include "models/config.h"

#include <stdio.h>
#include <string.h>

int cli_list(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            printf("usage: proxysim list\n\nThe built-in profiles, designs and scenarios.\n");
            return 0;
        }
        return args_usage_error("list", "unexpected argument '%s'", argv[1]);
    }
    static const char *const titles[CONFIG_N_KINDS] = {"profiles", "designs", "scenarios"};
    for (int k = 0; k < CONFIG_N_KINDS; k++) {
        printf("%s%s:\n", k ? "\n" : "", titles[k]);
        for (size_t i = 0; i < config_builtin_count(); i++) {
            const struct config_builtin *b = config_builtin_at(i);
            if (b->kind != (enum config_kind)k) {
                continue;
            }
            char desc[PARAMS_TEXT_MAX];
            config_builtin_description(b, desc, sizeof desc);
            printf("  %-22s %s\n", b->name, desc);
        }
    }
    printf("\nA path to a .yaml file works wherever a name does; 'proxysim check NAME --print'\n"
           "shows one resolved.\n");
    return 0;
}
