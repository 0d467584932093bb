/* SPDX-License-Identifier: MIT */
#include "plots/palette.h"

#include <math.h>

static const struct palette_rgb okabe_ito[PALETTE_N_SERIES] = {
    {0x00, 0x72, 0xB2}, /* blue */
    {0xE6, 0x9F, 0x00}, /* orange */
    {0x00, 0x9E, 0x73}, /* bluish green */
    {0xD5, 0x5E, 0x00}, /* vermillion */
    {0xCC, 0x79, 0xA7}, /* reddish purple */
    {0x56, 0xB4, 0xE9}, /* sky blue */
    {0xF0, 0xE4, 0x42}, /* yellow */
    {0x00, 0x00, 0x00}, /* black */
};

/* viridis sampled at t = 0, 0.1, ..., 1; linear interpolation between samples
 * stays within a few units of the full 256-entry table. */
static const struct palette_rgb viridis[11] = {
    {0x44, 0x01, 0x54}, {0x48, 0x24, 0x75}, {0x41, 0x44, 0x87}, {0x35, 0x5F, 0x8D},
    {0x2A, 0x78, 0x8E}, {0x21, 0x91, 0x8C}, {0x22, 0xA8, 0x84}, {0x44, 0xBF, 0x70},
    {0x7A, 0xD1, 0x51}, {0xBD, 0xDF, 0x26}, {0xFD, 0xE7, 0x25},
};

/* Pale green, light green, amber, orange-red, dark red: falling lightness. */
static const struct palette_rgb closeness[5] = {
    {0xE5, 0xF5, 0xE0}, {0xB8, 0xE1, 0x86}, {0xF6, 0xC1, 0x41}, {0xE0, 0x6A, 0x2C}, {0x9E, 0x1B, 0x1B},
};

struct palette_rgb palette_series(size_t i)
{
    return okabe_ito[i % PALETTE_N_SERIES];
}

static struct palette_rgb ramp(const struct palette_rgb *stops, size_t n, double t)
{
    if (t <= 0.0) {
        return stops[0];
    }
    if (t >= 1.0) {
        return stops[n - 1];
    }
    double x = t * (double)(n - 1);
    size_t i = (size_t)x;
    double f = x - (double)i;
    const struct palette_rgb *a = &stops[i], *b = &stops[i + 1];
    struct palette_rgb c = {
        (uint8_t)lround(a->r + f * (b->r - a->r)),
        (uint8_t)lround(a->g + f * (b->g - a->g)),
        (uint8_t)lround(a->b + f * (b->b - a->b)),
    };
    return c;
}

struct palette_rgb palette_viridis(double t)
{
    if (isnan(t)) {
        return (struct palette_rgb){0xDD, 0xDD, 0xDD};
    }
    return ramp(viridis, sizeof(viridis) / sizeof(viridis[0]), t);
}

struct palette_rgb palette_closeness(double t)
{
    if (isnan(t)) {
        return (struct palette_rgb){0xF2, 0xF2, 0xF2};
    }
    return ramp(closeness, sizeof(closeness) / sizeof(closeness[0]), t);
}

static double linear_channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double palette_luminance(struct palette_rgb c)
{
    return 0.2126 * linear_channel(c.r) + 0.7152 * linear_channel(c.g) +
           0.0722 * linear_channel(c.b);
}
