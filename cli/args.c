/* SPDX-License-Identifier: MIT */
#include "cli/args.h"

#include "models/config.h"

#include "sim/check.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int args_u64(const char *cmd, const char *flag, const char *text, uint64_t lo, uint64_t hi,
             uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] == '-' || text[0] == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        fprintf(stderr,
                "proxysim %s: %s: expected an integer in [%" PRIu64 ", %" PRIu64 "], got '%s'\n",
                cmd, flag, lo, hi, text);
        return 2;
    }
    *out = (uint64_t)v;
    return 0;
}

int args_double(const char *cmd, const char *flag, const char *text, double lo, double hi,
                double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "proxysim %s: %s: expected a number in [%g, %g], got '%s'\n", cmd, flag,
                lo, hi, text);
        return 2;
    }
    *out = v;
    return 0;
}

int args_usage_error(const char *cmd, const char *why_fmt, ...)
{
    va_list ap;
    va_start(ap, why_fmt);
    fprintf(stderr, "proxysim %s: ", cmd);
    vfprintf(stderr, why_fmt, ap);
    fprintf(stderr, " (see 'proxysim %s --help')\n", cmd);
    va_end(ap);
    return 2;
}

int args_bad_option(const char *cmd, int argc, char *const *argv, const struct option *opts)
{
    /* getopt_long has stepped past a long option it refused; inside a cluster
     * of short ones (-jx) it has not, and optopt names the letter. */
    const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
    if (optopt > 0 && optopt < 128 && isprint(optopt) && strncmp(word, "--", 2) != 0) {
        return args_usage_error(cmd, "unknown or incomplete option '-%c'", optopt);
    }
    /* --jsn: "did you mean '--json'?", by the loader's measure of a typo. */
    char hint[80] = "";
    if (strncmp(word, "--", 2) == 0 && opts != NULL) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(word + 2, "="), word + 2);
        const char *names[64];
        size_t n = 0;
        for (; n < 64 && opts[n].name != NULL; n++) {
            names[n] = opts[n].name;
        }
        const char *close = config_closest(name, names, n);
        if (close) {
            snprintf(hint, sizeof hint, "; did you mean '--%s'?", close);
        }
    }
    return args_usage_error(cmd, "unknown or incomplete option '%s'%s", word, hint);
}

int args_refuse_swaps(const char *cmd, const char *const *sets, size_t n_sets)
{
    for (size_t i = 0; i < n_sets; i++) {
        const char *key = sets[i];
        size_t n = strcspn(key, "=");
        if (n > 9 && strncmp(key, "scenario.", 9) == 0) {
            key += 9, n -= 9;
        }
        bool design = n == 6 && strncmp(key, "design", 6) == 0;
        if (design || (n == 7 && strncmp(key, "profile", 7) == 0)) {
            fprintf(stderr,
                    "proxysim %s: --set %s: would run one %s under every label; %s names its %ss "
                    "itself (%s), and --set changes keys within them (%s.KEY=VALUE)\n",
                    cmd, sets[i], design ? "design" : "profile", cmd, design ? "design" : "profile",
                    design ? (strcmp(cmd, "compare") == 0 ? "DESIGN_A DESIGN_B" : "--designs")
                           : "--profiles",
                    design ? "design" : "profile");
            return 2;
        }
    }
    return 0;
}

int args_out_dir(const char *cmd, const char *dir)
{
    if (dir[0] == '\0') {
        fprintf(stderr, "proxysim %s: --out: expected a directory, got ''\n", cmd);
        return 2;
    }
    /* Parents too, as mkdir -p: --out build/exp/run1 should just work. */
    char *p = strdup(dir);
    if (!p) {
        sim_oom(strlen(dir) + 1);
    }
    for (char *c = p + 1; *c; c++) {
        if (*c == '/') {
            *c = '\0';
            (void)mkdir(p, 0777);
            *c = '/';
        }
    }
    free(p);
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "proxysim %s: --out %s: %s\n", cmd, dir, strerror(errno));
        return 2;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "proxysim %s: --out %s: not a directory\n", cmd, dir);
        return 2;
    }
    return 0;
}
