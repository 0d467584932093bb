/* SPDX-License-Identifier: MIT */
#include "plots/axis.h"

#include "sim/check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct prefix {
    double scale;
    const char *sym;
};

/* Only the prefixes a reader expects for each unit: nobody wants "ks" for a
 * run length or "m/s" (milli per second) for a slow rate, so those tables
 * stop at the base unit and larger values keep their digits. */
static const struct prefix seconds_prefixes[] = {
    {1e-9, " ns"}, {1e-6, " us"}, {1e-3, " ms"}, {1.0, " s"}};
static const struct prefix count_prefixes[] = {
    {1.0, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}, {1e12, "T"}};
static const struct prefix rate_prefixes[] = {
    {1.0, " /s"}, {1e3, " k/s"}, {1e6, " M/s"}, {1e9, " G/s"}};
static const struct prefix byte_prefixes[] = {{1.0, " B"},
                                              {1024.0, " KiB"},
                                              {1048576.0, " MiB"},
                                              {1073741824.0, " GiB"},
                                              {1099511627776.0, " TiB"}};
/* The rate's unit stays with its value: "1.5 MiB/s [1.4, 1.6]", never
 * "1.5 MiB [1.4, 1.6]/s" from a caller appending it after the interval. */
static const struct prefix byte_rate_prefixes[] = {{1.0, " B/s"},
                                                   {1024.0, " KiB/s"},
                                                   {1048576.0, " MiB/s"},
                                                   {1073741824.0, " GiB/s"},
                                                   {1099511627776.0, " TiB/s"}};
static const struct prefix fraction_prefixes[] = {{0.01, "%"}};

static const struct prefix *prefixes(enum axis_unit unit, size_t *n)
{
#define PFX(a) (*n = sizeof(a) / sizeof((a)[0]), (a))
    switch (unit) {
    case AXIS_UNIT_S:
        return PFX(seconds_prefixes);
    case AXIS_UNIT_BYTES:
        return PFX(byte_prefixes);
    case AXIS_UNIT_PER_S:
        return PFX(rate_prefixes);
    case AXIS_UNIT_BYTES_PER_S:
        return PFX(byte_rate_prefixes);
    case AXIS_UNIT_FRACTION:
        return PFX(fraction_prefixes);
    case AXIS_UNIT_NONE:
        break;
    }
    return PFX(count_prefixes);
#undef PFX
}

enum axis_unit axis_unit_of(const char *unit_name)
{
    static const struct {
        const char *name;
        enum axis_unit unit;
    } names[] = {{"s", AXIS_UNIT_S},        {"B", AXIS_UNIT_BYTES},
                 {"B/s", AXIS_UNIT_BYTES_PER_S}, {"1/s", AXIS_UNIT_PER_S},
                 {"1", AXIS_UNIT_FRACTION}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(unit_name, names[i].name) == 0) {
            return names[i].unit;
        }
    }
    return AXIS_UNIT_NONE;
}

const char *axis_unit_symbol(enum axis_unit unit)
{
    switch (unit) {
    case AXIS_UNIT_S:
        return "s";
    case AXIS_UNIT_BYTES:
        return "B";
    case AXIS_UNIT_PER_S:
        return "/s";
    case AXIS_UNIT_BYTES_PER_S:
        return "B/s";
    case AXIS_UNIT_FRACTION:
        return "%";
    case AXIS_UNIT_NONE:
        break;
    }
    return "";
}

/* The largest prefix whose scale does not exceed |v| (the smallest if none). */
static size_t prefix_for(const struct prefix *p, size_t n, double v)
{
    double a = fabs(v);
    size_t k = 0;
    if (a == 0.0) {
        /* zero has no magnitude: use the base unit ("0 s", not "0 ns") */
        while (k + 1 < n && p[k].scale < 1.0) {
            k++;
        }
        return k;
    }
    while (k + 1 < n && p[k + 1].scale <= a) {
        k++;
    }
    return k;
}

char *axis_format(double v, enum axis_unit unit, char *buf, size_t size)
{
    SIM_REQUIRE(buf != NULL || size == 0);
    if (isnan(v)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
        return buf;
    }
    size_t n;
    const struct prefix *p = prefixes(unit, &n);
    size_t k = prefix_for(p, n, v);
    double m = v / p[k].scale;
    /* 999.7 ms must print as "1 s", not "1e+03 ms": %.3g rounds up past the
     * mantissa range, so step to the next prefix before formatting. */
    if (fabs(m) >= 999.5 && k + 1 < n) {
        k++;
        m = v / p[k].scale;
    }
    if (v == 0.0) {
        m = 0.0; /* no "-0" */
    }
    if (fabs(m) >= 999.5) {
        snprintf(buf, size, "%.0f%s", m, p[k].sym); /* past the largest prefix */
    } else {
        snprintf(buf, size, "%.3g%s", m, p[k].sym);
    }
    return buf;
}

char *axis_format_as(double v, double ref, enum axis_unit unit, bool with_symbol, char *buf,
                     size_t size)
{
    SIM_REQUIRE(buf != NULL || size == 0);
    if (!isfinite(v) || !isfinite(ref)) {
        return axis_format(v, unit, buf, size);
    }
    size_t n;
    const struct prefix *p = prefixes(unit, &n);
    size_t k = prefix_for(p, n, ref);
    /* the same step-up as axis_format, so "1 s [0.98, 1.02]" and not
     * "1 s [980, 1020]" when the mean rounds to the next prefix */
    if (fabs(ref / p[k].scale) >= 999.5 && k + 1 < n) {
        k++;
    }
    double m = v == 0.0 ? 0.0 : v / p[k].scale;
    const char *sym = with_symbol ? p[k].sym : "";
    if (fabs(m) >= 999.5) {
        snprintf(buf, size, "%.0f%s", m, sym);
    } else {
        snprintf(buf, size, "%.3g%s", m, sym);
    }
    return buf;
}

double axis_ci_extent(const struct sim_ci *ci)
{
    if (ci->n == 0 || isnan(ci->mean)) {
        return 0.0;
    }
    double e = fabs(ci->mean);
    if (!isnan(ci->half)) {
        e = fmax(e, fmax(fabs(ci->lo), fabs(ci->hi)));
    }
    return e;
}

double axis_shared_ref(double a, double b, enum axis_unit unit)
{
    double small = fmin(fabs(a), fabs(b)), large = fmax(fabs(a), fabs(b));
    if (!(small > 0.0) || !isfinite(large)) {
        return 0.0; /* zero or n/a has no prefix to share */
    }
    size_t n;
    const struct prefix *p = prefixes(unit, &n);
    size_t k = prefix_for(p, n, small);
    if (fabs(small / p[k].scale) >= 999.5 && k + 1 < n) {
        k++; /* as axis_format_as steps up */
    }
    /* the smaller value's prefix, while the larger still reads as at most
     * four digits there (539 ms beside 1020 ms); beyond, each its own */
    return large / p[k].scale < 9999.5 ? small : 0.0;
}

char *axis_format_ci_as(const struct sim_ci *ci, double ref, enum axis_unit unit, char *buf,
                        size_t size)
{
    char m[48], lo[32], hi[32];
    if (ci->n == 0 || isnan(ci->mean)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    if (!(ref > 0.0)) {
        /* the mean's prefix while the bounds still read in four digits
         * ("929 [826, 1030]", not "0.929k [0.826, 1.03]") */
        double own = axis_shared_ref(ci->mean, axis_ci_extent(ci), unit);
        ref = own > 0.0 ? own : axis_ci_extent(ci);
    }
    axis_format_as(ci->mean, ref, unit, true, m, sizeof m);
    if (isnan(ci->half)) {
        snprintf(buf, size, "%s (n=%zu, no CI)", m, ci->n);
        return buf;
    }
    axis_format_as(ci->lo, ref, unit, false, lo, sizeof lo);
    axis_format_as(ci->hi, ref, unit, false, hi, sizeof hi);
    snprintf(buf, size, "%s [%s, %s]", m, lo, hi);
    return buf;
}

char *axis_format_ci(const struct sim_ci *ci, enum axis_unit unit, char *buf, size_t size)
{
    return axis_format_ci_as(ci, 0.0, unit, buf, size);
}

char *axis_format_tick(double v, double ref, double step, enum axis_unit unit, char *buf,
                       size_t size)
{
    SIM_REQUIRE(buf != NULL || size == 0);
    if (!(step > 0.0) || !isfinite(v)) {
        return axis_format(v, unit, buf, size);
    }
    if (fabs(v) < step * 1e-6) {
        snprintf(buf, size, "0");
        return buf;
    }
    size_t n;
    const struct prefix *p = prefixes(unit, &n);
    size_t k = prefix_for(p, n, ref);
    double m = v / p[k].scale;
    double step_m = step / p[k].scale;
    /* 1-2-5 steps need as many decimals as the step's leading digit sits
     * below the point: 0.5 -> 1, 0.02 -> 2, 5 -> 0. */
    int decimals = (int)-floor(log10(step_m) + 1e-9);
    if (decimals < 0) {
        decimals = 0;
    }
    if (decimals > 9) {
        decimals = 9;
    }
    snprintf(buf, size, "%.*f%s", decimals, m, p[k].sym);
    return buf;
}

/* Heckbert's nice number, rounded: 1, 2, 5 or 10 times a power of ten. */
static double nice_number(double x)
{
    double e = floor(log10(x));
    double f = x / pow(10.0, e);
    double nf = f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0;
    return nf * pow(10.0, e);
}

/* Tick k of a grid with the given step: k / (1/step) for steps below one,
 * so 3 * 0.1 comes out as the double nearest 0.3 and not 0.30000000000000004. */
static double grid_value(double k, double step)
{
    if (step < 1.0) {
        double inv = round(1.0 / step);
        return k / inv;
    }
    return k * step;
}

void axis_ticks_linear(double lo, double hi, unsigned target, enum axis_unit unit,
                       struct axis_ticks *out)
{
    SIM_REQUIRE(out != NULL && isfinite(lo) && isfinite(hi) && lo <= hi);
    SIM_REQUIRE(target >= 2 && target <= 10);
    if (hi == lo) {
        double d = lo != 0.0 ? fabs(lo) * 0.1 : 1.0;
        lo -= d;
        hi += d;
    }
    /* Bytes are nice in their IEC unit: scale, tick, scale back. */
    double scale = 1.0;
    if (unit == AXIS_UNIT_BYTES || unit == AXIS_UNIT_BYTES_PER_S) {
        size_t n;
        const struct prefix *p = prefixes(unit, &n);
        scale = p[prefix_for(p, n, fmax(fabs(lo), fabs(hi)))].scale;
    }
    double l = lo / scale, h = hi / scale;
    /* Heckbert rounds the range first and then the step, which gives 0, 1,
     * 2, 3 for [0, 2.6]; rounding span/target directly gives 0, 0.5, ... 3,
     * closer to the number of ticks asked for. */
    double step = nice_number((h - l) / target);
    double k0 = floor(l / step + 1e-9);
    double k1 = ceil(h / step - 1e-9);
    memset(out, 0, sizeof(*out));
    for (double k = k0; k <= k1 && out->n < AXIS_MAX_TICKS; k += 1.0) {
        out->v[out->n++] = grid_value(k, step) * scale;
    }
    SIM_ASSERT(out->n >= 2);
    out->lo = out->v[0];
    out->hi = out->v[out->n - 1];
    out->step = step * scale;
    out->is_log = false;
}

void axis_ticks_log(double lo, double hi, struct axis_ticks *out)
{
    SIM_REQUIRE(out != NULL && lo > 0.0 && hi >= lo && isfinite(hi));
    double d0 = floor(log10(lo) + 1e-9);
    double d1 = ceil(log10(hi) - 1e-9);
    if (d1 <= d0) {
        d1 = d0 + 1.0;
    }
    memset(out, 0, sizeof(*out));
    double decades = d1 - d0;
    bool with_25 = decades <= 3.0;
    /* Wide ranges label every few decades so labels never collide. */
    double stride = ceil(decades / 10.0);
    for (double d = d0; d <= d1 && out->n < AXIS_MAX_TICKS; d += stride) {
        double base = pow(10.0, d);
        out->v[out->n++] = base;
        if (with_25 && d < d1) {
            out->v[out->n++] = 2.0 * base;
            out->v[out->n++] = 5.0 * base;
        }
    }
    out->lo = pow(10.0, d0);
    out->hi = pow(10.0, d1);
    out->step = 0.0;
    out->is_log = true;
}
