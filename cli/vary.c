/* SPDX-License-Identifier: MIT
 *
 * vary.c - `--vary KEY=LIST` values; see vary.h.
 */
#include "cli/vary.h"

#include "models/config.h"
#include "sim/check.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Units are read by the loader's own table (config_unit_factor), so a sweep
 * accepts what a config file accepts. */
#define UNITS_EXPECTED                                                                             \
    "expected a unit of docs/CONFIG.md: ns, us, ms, s, min, h, d; B, KB, KiB, MB, MiB, GB, GiB; "  \
    "/s, /min, /h; B/s, KiB/s, MiB/s; or none"

/* "20ms" -> 20 and "ms".  Returns false when there is no number. */
static bool split_number(const char *s, size_t len, double *num, char *unit, size_t usize)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(buf, &end);
    if (end == buf || errno != 0 || !isfinite(v) || isalpha((unsigned char)buf[0])) {
        return false;
    }
    while (*end == ' ') {
        end++;
    }
    snprintf(unit, usize, "%s", end);
    *num = v;
    return true;
}

static void fmt_value(double v, const char *unit, char *buf, size_t size)
{
    snprintf(buf, size, "%.12g%s", v, unit);
}

/* Room for one more value. */
static void reserve(struct vary *v, size_t *cap)
{
    if (v->n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        v->base = sim_xreallocarray(v->base, *cap, sizeof *v->base);
        v->text = sim_xreallocarray(v->text, *cap, sizeof *v->text);
    }
}

static void push(struct vary *v, size_t *cap, double written, const char *unit, double factor)
{
    reserve(v, cap);
    fmt_value(written, unit, v->text[v->n], VARY_TEXT_MAX);
    /* The base value from the rounded text, so the axis shows what the model ran. */
    v->base[v->n] = strtod(v->text[v->n], NULL) * factor;
    v->n++;
}

/* The config's words for "no limit" (docs/CONFIG.md), accepted in a list wherever the key takes
 * them: the loader checks each value against the key, as for any --set. */
static bool no_limit_word(const char *s, size_t len)
{
    static const char *const words[] = {"unlimited", "none", "never", "null", "Null", "NULL", "~"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i]) == len && strncmp(s, words[i], len) == 0) {
            return true;
        }
    }
    return false;
}

static void push_no_limit(struct vary *v, size_t *cap, const char *word, size_t len)
{
    reserve(v, cap);
    snprintf(v->text[v->n], VARY_TEXT_MAX, "%.*s", (int)len, word);
    v->base[v->n] = INFINITY;
    v->n++;
}

int vary_parse(const char *flag, const char *text, bool allow_plain_range, struct vary *out,
               struct sim_err *err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof out->key) {
        return sim_err_set(err, SIM_EINVAL, "%s '%s': expected KEY=LIST (e.g. upstream.max_conns=8:64:8)",
                           flag, text);
    }
    memcpy(out->key, text, (size_t)(eq - text));
    out->key[eq - text] = '\0';
    const char *list = eq + 1;
    size_t cap = 0;
    int rc = SIM_OK;
    if (strchr(list, ':')) {
        const char *c1 = strchr(list, ':');
        const char *c2 = strchr(c1 + 1, ':');
        double lo, hi, st = 0.0;
        char ulo[16], uhi[16], ust[16] = "";
        bool geometric = false;
        if (!split_number(list, (size_t)(c1 - list), &lo, ulo, sizeof ulo) ||
            !split_number(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &hi, uhi, sizeof uhi)) {
            rc = sim_err_set(err, SIM_EINVAL,
                             "%s '%s': bad range (expected lo:hi:step or lo:hi:xFACTOR with numbers, "
                             "e.g. 8:64:8, 10ms:200ms:10ms, 1:64:x2)", flag, text);
            goto fail;
        }
        if (c2) {
            const char *s3 = c2 + 1;
            if (*s3 == 'x' || *s3 == '*') {
                geometric = true;
                s3++;
            }
            if (!split_number(s3, strlen(s3), &st, ust, sizeof ust) || strchr(s3, ':')) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': bad step '%s' (expected a number, or "
                                 "xFACTOR)", flag, text, c2 + 1);
                goto fail;
            }
        } else if (!allow_plain_range) {
            rc = sim_err_set(err, SIM_EINVAL, "%s '%s': a range needs a step (expected lo:hi:step "
                             "or lo:hi:xFACTOR)", flag, text);
            goto fail;
        }
        /* A unit written once applies to every part written without one: 10:100:10ms,
         * 10ms:100:10 and 10ms:100ms:10ms are one range (a plain lo is not seconds then). */
        const char *ref = ulo[0] ? ulo : uhi[0] ? uhi : geometric ? "" : ust;
        char uref[16];
        snprintf(uref, sizeof uref, "%s", ref);
        if (!ulo[0]) {
            snprintf(ulo, sizeof ulo, "%s", uref);
        }
        if (!uhi[0]) {
            snprintf(uhi, sizeof uhi, "%s", uref);
        }
        if (!ust[0] && !geometric) {
            snprintf(ust, sizeof ust, "%s", uref);
        }
        double f, fhi, fst;
        int fam, fam_hi, fam_st;
        const char *bad = NULL;
        if (!config_unit_factor(ulo, &f, &fam)) {
            bad = ulo;
        } else if (uhi[0] && !config_unit_factor(uhi, &fhi, &fam_hi)) {
            bad = uhi;
        } else if (ust[0] && !geometric && !config_unit_factor(ust, &fst, &fam_st)) {
            bad = ust;
        }
        if (bad) {
            rc = sim_err_set(err, SIM_EINVAL, "%s '%s': unknown unit '%s' (" UNITS_EXPECTED ")",
                             flag, text, bad);
            goto fail;
        }
        if ((uhi[0] && fam_hi != fam) || (ust[0] && (geometric || fam_st != fam))) {
            rc = sim_err_set(err, SIM_EINVAL, "%s '%s': units differ (expected units of one kind "
                             "on lo, hi and step, such as 10ms:1s:10ms, or one unit written once "
                             "for all three, such as 10:100:10ms; a factor has none)",
                             flag, text);
            goto fail;
        }
        /* hi and step in lo's unit: 250us:2ms:x2 runs 250, 500, 1000, 2000 us. */
        hi = uhi[0] ? hi * fhi / f : hi;
        st = ust[0] ? st * fst / f : st;
        if (!(hi >= lo)) {
            rc = sim_err_set(err, SIM_EINVAL, "%s '%s': hi < lo (expected lo <= hi)", flag, text);
            goto fail;
        }
        snprintf(out->unit, sizeof out->unit, "%s", ulo);
        out->family = fam;
        out->is_range = true;
        out->lo = lo;
        if (geometric) {
            if (!(st > 1.0) || !(lo > 0.0)) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': a geometric range needs lo > 0 and a "
                                 "factor > 1 (got lo %g, factor %g)", flag, text, lo, st);
                goto fail;
            }
            for (double x = lo; x <= hi * (1 + 1e-9); x *= st) {
                if (out->n >= VARY_MAX_VALUES) {
                    break;
                }
                push(out, &cap, x, ulo, f);
            }
        } else {
            if (!c2) {
                bool whole = lo == floor(lo) && hi == floor(hi);
                st = whole ? 1.0 : (hi - lo) / 100.0;
                if (st == 0.0) {
                    st = 1.0;
                }
            }
            if (!(st > 0.0)) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': step must be > 0 (got %g)", flag, text, st);
                goto fail;
            }
            double count = floor((hi - lo) / st + 1e-9) + 1.0;
            if (count > VARY_MAX_VALUES) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': too many values (got %.0f, expected at "
                                 "most %d)", flag, text, count, VARY_MAX_VALUES);
                goto fail;
            }
            out->step = st;
            for (size_t i = 0; i < (size_t)count; i++) {
                push(out, &cap, lo + (double)i * st, ulo, f);
            }
        }
    } else {
        const char *s = list;
        int list_family = 0;
        bool have_number = false;
        for (;;) {
            const char *comma = strchr(s, ',');
            size_t len = comma ? (size_t)(comma - s) : strlen(s);
            double x, f;
            int fam;
            char u[16];
            if (no_limit_word(s, len)) {
                push_no_limit(out, &cap, s, len);
                if (!comma) {
                    break;
                }
                s = comma + 1;
                continue;
            }
            if (!split_number(s, len, &x, u, sizeof u)) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': bad value '%.*s' (expected numbers "
                                 "separated by commas, e.g. 1,2,4,8 or 10ms,50ms, and 'unlimited' "
                                 "where the key takes it)", flag, text, (int)len, s);
                goto fail;
            }
            if (!config_unit_factor(u, &f, &fam)) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': unknown unit '%s' (" UNITS_EXPECTED ")",
                                 flag, text, u);
                goto fail;
            }
            if (!have_number) {
                have_number = true;
                /* The unit family of the list, for chart axes (10ms,1s are both times). */
                snprintf(out->unit, sizeof out->unit, "%s", u);
                list_family = out->family = fam;
            } else if (fam != list_family) {
                rc = sim_err_set(err, SIM_EINVAL, "%s '%s': units differ (got '%s' after '%s', "
                                 "expected units of one kind)", flag, text, u, out->unit);
                goto fail;
            }
            push(out, &cap, x, u, f);
            if (!comma) {
                break;
            }
            s = comma + 1;
        }
    }
    return SIM_OK;
fail:
    vary_fini(out);
    return rc;
}

enum axis_unit vary_axis_unit(const struct vary *v)
{
    static const enum axis_unit by_family[] = {AXIS_UNIT_NONE, AXIS_UNIT_S, AXIS_UNIT_BYTES,
                                               AXIS_UNIT_PER_S, AXIS_UNIT_BYTES_PER_S};
    return v->family >= 0 && v->family < 5 ? by_family[v->family] : AXIS_UNIT_NONE;
}

void vary_fini(struct vary *v)
{
    free(v->base);
    free(v->text);
    v->base = NULL;
    v->text = NULL;
    v->n = 0;
}

void vary_assignment(const struct vary *v, size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "%s=%s", v->key, v->text[i]);
}
