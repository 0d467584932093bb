/* SPDX-License-Identifier: MIT
 *
 * fitplot.h - the two charts of `proxysim fit --out`: a histogram of the
 * samples with the fitted densities drawn over it, and a Q-Q plot of the
 * best fit (fitted quantiles against sample quantiles, with the diagonal).
 *
 * Drawn with cairo directly, small and self-contained, so the fit command
 * does not depend on the general chart library (chart.h); each function
 * writes one PNG.  Inputs are plain arrays and sim_dist values, borrowed for
 * the call.  Values are in base units (seconds, bytes); x_scale divides them
 * for the axis labels, whose unit text is x_unit (e.g. 1e-3 and "ms").
 *
 * The histogram covers [min, p99] with 60 bins (the far tail would squash
 * everything else into one bar); the Q-Q plot uses 400 probabilities from
 * 0.1% to 99.9%.  Cost: O(bins + points) plus one 1200x750 surface.
 *
 * Errors: 0, or SIM_EIO with a message in err when the file cannot be
 * written (cairo's sticky status is checked once, at the end).
 */
#ifndef PLOTS_FITPLOT_H
#define PLOTS_FITPLOT_H

#include "sim/dist.h"
#include "sim/err.h"

#include <stddef.h>

/* sorted[0..n-1] ascending; dists[0..n_dists-1] with their labels. */
int fitplot_histogram(const char *png_path, const char *title, const double *sorted, size_t n,
                      const struct sim_dist *dists, const char *const *labels, size_t n_dists,
                      double x_scale, const char *x_unit, struct sim_err *err);
int fitplot_qq(const char *png_path, const char *title, const double *sorted, size_t n,
               const struct sim_dist *d, const char *label, double x_scale, const char *x_unit,
               struct sim_err *err);

#endif
