/* SPDX-License-Identifier: MIT
 *
 * fuzz_config.c - libFuzzer target for the config loader: any bytes, loaded as a
 * document of any kind, must give SIM_OK or one error line, never a crash, a
 * leak or a hang.  A loaded config is printed and reloaded, so the printer and
 * the round trip are fuzzed too.  Seed corpus: configs/ (make fuzz).
 */
#include "models/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct experiment *ex = calloc(1, sizeof *ex);
    struct sim_err err;
    enum config_kind kind;
    if (config_load_buffer("fuzz.yaml", (const char *)data, size, &kind, ex, &err) == SIM_OK) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        config_print(f, ex);
        fclose(f);
        struct experiment *again = calloc(1, sizeof *again);
        if (config_load_buffer("fuzz-print.yaml", buf, len, NULL, again, &err) != SIM_OK) {
            fprintf(stderr, "printed config does not reload: %s\n%s", err.msg, buf);
            abort();
        }
        config_free_experiment(again);
        free(again);
        free(buf);
        config_free_experiment(ex);
    } else if (strchr(err.msg, '\n') != NULL || err.msg[0] == '\0') {
        abort(); /* an error is exactly one non-empty line */
    }
    free(ex);
    return 0;
}
