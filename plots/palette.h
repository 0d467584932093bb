/* SPDX-License-Identifier: MIT
 *
 * palette.h - the colours of every chart, chosen for colour-blind readers.
 *
 * Series     Okabe & Ito (2008), "Color Universal Design": eight colours that
 *            stay distinct under protanopia, deuteranopia and tritanopia.  The
 *            order puts the strongest contrasts on white first (blue, orange,
 *            bluish green, vermillion, reddish purple, sky blue) and keeps
 *            yellow, which is faint on white, for the seventh series; black
 *            is the eighth.  More than eight series cycle, so charts should
 *            not carry more than eight.
 * Heatmap    viridis (van der Walt & Smith, matplotlib): perceptually uniform
 *            and monotonic in lightness, so it also reads in greyscale.
 * Closeness  the "closeness to limit" ramp of the utilization matrix: pale
 *            green -> amber -> dark red.  A plain green/red ramp is the worst
 *            choice for the commonest colour blindness, so lightness falls
 *            monotonically along this one (relative luminance 0.87, 0.66,
 *            0.58, 0.26, 0.08 at its five stops): a deuteranope still reads light = far from the
 *            limit, dark = at it.  Cells also print their value, so colour is
 *            never the only channel.
 *
 * Pure functions over static const tables; no cairo here, so tests can
 * compare rendered pixels against these exact values.
 */
#ifndef PLOTS_PALETTE_H
#define PLOTS_PALETTE_H

#include <stddef.h>
#include <stdint.h>

struct palette_rgb {
    uint8_t r, g, b;
};

#define PALETTE_N_SERIES 8

/* Colour of series i (cycles after PALETTE_N_SERIES). */
struct palette_rgb palette_series(size_t i);

/* viridis at t in [0, 1] (clamped; NaN gives light grey). */
struct palette_rgb palette_viridis(double t);

/* The closeness ramp at t in [0, 1] (clamped; NaN, "no limit", gives light grey). */
struct palette_rgb palette_closeness(double t);

/* Relative luminance in [0, 1] (WCAG), to pick black or white text on a fill. */
double palette_luminance(struct palette_rgb c);

#endif
