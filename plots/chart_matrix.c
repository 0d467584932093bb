/* SPDX-License-Identifier: MIT
 *
 * chart_matrix.c - the resource utilization matrix as an image: a table of
 * text whose cells are coloured by how close each figure is to its limit.
 *
 * The table is measured first (columns as wide as their widest line, rows as
 * tall as their most lines) at the largest font that fits the canvas, then
 * stretched to the full width.  Colour is palette_closeness, whose
 * lightness falls monotonically (see palette.h); the text switches to white
 * on the dark end, and a labelled colour bar explains the scale.
 */
#include "plots/canvas_int.h"
#include "plots/chart.h"

#include "sim/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Width of the widest '\n'-separated line of s, and the number of lines. */
static double block_width(struct canvas *cv, const char *s, size_t *n_lines)
{
    char line[256];
    double w = 0.0;
    *n_lines = 0;
    const char *p = s != NULL ? s : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1),
                 p);
        w = fmax(w, canvas__text_width(cv, line));
        (*n_lines)++;
        if (nl == NULL) {
            return w;
        }
        p = nl + 1;
    }
}

/* Draws the lines of s centred (ax = 0.5) or left-aligned (ax = 0) in a box. */
static void block_text(struct canvas *cv, const char *s, double x, double y, double w, double h,
                       double ax, double pad)
{
    size_t n_lines;
    block_width(cv, s, &n_lines);
    double lh = canvas__line_height(cv);
    double y0 = y + 0.5 * h - 0.5 * lh * (double)n_lines;
    char line[256];
    const char *p = s != NULL ? s : "";
    for (size_t i = 0; i < n_lines; i++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1),
                 p);
        double tx = ax > 0.0 ? x + 0.5 * w : x + pad;
        canvas__text(cv, tx, y0 + lh * (double)i, ax, 0, line);
        p = nl != NULL ? nl + 1 : p + len;
    }
}

struct layout {
    double fs;         /* font size */
    double *col_w;     /* [n_cols + 1]: the label column first */
    double *row_h;     /* [n_rows + 1]: the header row first */
    double w, h;       /* totals */
};

static void measure(struct canvas *cv, const struct plot_matrix *m, double fs, struct layout *l)
{
    double pad = 0.7 * fs;
    l->fs = fs;
    l->w = 0.0;
    l->h = 0.0;
    for (size_t c = 0; c <= m->n_cols; c++) {
        l->col_w[c] = 0.0;
    }
    for (size_t r = 0; r <= m->n_rows; r++) {
        l->row_h[r] = 0.0;
    }
    size_t n_lines;
    canvas__font(cv, fs, true);
    double lh = canvas__line_height(cv);
    l->col_w[0] = block_width(cv, m->corner, &n_lines);
    l->row_h[0] = (double)n_lines;
    for (size_t c = 0; c < m->n_cols; c++) {
        l->col_w[c + 1] = block_width(cv, m->col_labels[c], &n_lines);
        l->row_h[0] = fmax(l->row_h[0], (double)n_lines);
    }
    for (size_t r = 0; r < m->n_rows; r++) {
        l->col_w[0] = fmax(l->col_w[0], block_width(cv, m->row_labels[r], &n_lines));
        l->row_h[r + 1] = (double)n_lines;
    }
    canvas__font(cv, fs, false);
    for (size_t r = 0; r < m->n_rows; r++) {
        for (size_t c = 0; c < m->n_cols; c++) {
            double w = block_width(cv, m->cells[r * m->n_cols + c], &n_lines);
            l->col_w[c + 1] = fmax(l->col_w[c + 1], w);
            l->row_h[r + 1] = fmax(l->row_h[r + 1], (double)n_lines);
        }
    }
    for (size_t c = 0; c <= m->n_cols; c++) {
        l->col_w[c] += 2.0 * pad;
        l->w += l->col_w[c];
    }
    for (size_t r = 0; r <= m->n_rows; r++) {
        l->row_h[r] = l->row_h[r] * lh + 1.2 * pad;
        l->h += l->row_h[r];
    }
}

int chart_matrix(const struct chart_opts *o, const struct plot_matrix *m, const char *path,
                 struct sim_err *err)
{
    SIM_REQUIRE(o != NULL && m != NULL && path != NULL);
    if (m->n_rows == 0 || m->n_cols == 0) {
        return sim_err_set(err, SIM_EINVAL, "%s: matrix %zux%zu is empty", path, m->n_rows,
                           m->n_cols);
    }
    SIM_REQUIRE(m->row_labels != NULL && m->col_labels != NULL && m->cells != NULL);
    struct canvas cv;
    int rc = canvas__open(&cv, o, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    double em = cv.em;
    double top = canvas__header(&cv, o);
    double legend_h = 3.2 * em;
    double avail_w = cv.w - 2.4 * em, avail_h = cv.h - top - legend_h - 0.8 * em;
    struct layout l = {
        .col_w = sim_xcalloc(m->n_cols + 1, sizeof(double)),
        .row_h = sim_xcalloc(m->n_rows + 1, sizeof(double)),
    };
    /* The largest font up to 1.4 em that fits; below 0.5 em text is not
     * readable anyway, so the table is then allowed to run off the canvas. */
    double fs = 1.4 * em;
    measure(&cv, m, fs, &l);
    for (int i = 0; i < 8 && (l.w > avail_w || l.h > avail_h) && fs > 0.5 * em; i++) {
        fs = fmax(0.5 * em, fs * fmin(1.0, 0.98 * fmin(avail_w / l.w, avail_h / l.h)));
        measure(&cv, m, fs, &l);
    }
    /* stretch the data columns to the full width */
    if (l.w < avail_w) {
        double extra = (avail_w - l.w) / (double)m->n_cols;
        for (size_t c = 1; c <= m->n_cols; c++) {
            l.col_w[c] += extra;
        }
        l.w = avail_w;
    }
    double pad = 0.7 * fs;
    double x0 = 1.2 * em, y = top;
    /* header row */
    cairo_set_source_rgb(cv.cr, 0.93, 0.93, 0.93);
    cairo_rectangle(cv.cr, x0, y, l.w, l.row_h[0]);
    cairo_fill(cv.cr);
    canvas__font(&cv, fs, true);
    canvas__grey(&cv, 0.1);
    block_text(&cv, m->corner, x0, y, l.col_w[0], l.row_h[0], 0.0, pad);
    double x = x0 + l.col_w[0];
    for (size_t c = 0; c < m->n_cols; c++) {
        block_text(&cv, m->col_labels[c], x, y, l.col_w[c + 1], l.row_h[0], 0.5, pad);
        x += l.col_w[c + 1];
    }
    y += l.row_h[0];
    for (size_t r = 0; r < m->n_rows; r++) {
        double h = l.row_h[r + 1];
        canvas__font(&cv, fs, true);
        canvas__grey(&cv, 0.1);
        block_text(&cv, m->row_labels[r], x0, y, l.col_w[0], h, 0.0, pad);
        canvas__font(&cv, fs, false);
        x = x0 + l.col_w[0];
        for (size_t c = 0; c < m->n_cols; c++) {
            size_t i = r * m->n_cols + c;
            struct palette_rgb col = palette_closeness(m->level != NULL ? m->level[i] : NAN);
            canvas__rgb(&cv, col, 1.0);
            cairo_rectangle(cv.cr, x, y, l.col_w[c + 1], h);
            cairo_fill(cv.cr);
            canvas__grey(&cv, palette_luminance(col) > 0.3 ? 0.05 : 1.0);
            block_text(&cv, m->cells[i], x, y, l.col_w[c + 1], h, 0.5, pad);
            x += l.col_w[c + 1];
        }
        y += h;
    }
    /* white rules between cells; a grey one under the header */
    cairo_set_source_rgb(cv.cr, 1, 1, 1);
    cairo_set_line_width(cv.cr, 2.0);
    x = x0 + l.col_w[0];
    for (size_t c = 0; c + 1 < m->n_cols; c++) {
        x += l.col_w[c + 1];
        cairo_move_to(cv.cr, x, top + l.row_h[0]);
        cairo_line_to(cv.cr, x, y);
    }
    double yy = top + l.row_h[0];
    for (size_t r = 0; r + 1 < m->n_rows; r++) {
        yy += l.row_h[r + 1];
        cairo_move_to(cv.cr, x0 + l.col_w[0], yy);
        cairo_line_to(cv.cr, x0 + l.w, yy);
    }
    cairo_stroke(cv.cr);
    canvas__grey(&cv, 0.55);
    cairo_set_line_width(cv.cr, 1.0);
    cairo_move_to(cv.cr, x0, floor(top + l.row_h[0]) + 0.5);
    cairo_line_to(cv.cr, x0 + l.w, floor(top + l.row_h[0]) + 0.5);
    cairo_stroke(cv.cr);

    /* the scale: "closeness to limit" 0% .. 100% */
    double ly = fmin(y, cv.h - legend_h) + 0.9 * em;
    canvas__font(&cv, em, false);
    canvas__grey(&cv, 0.2);
    const char *cap = "closeness to limit";
    canvas__text(&cv, x0, ly + 0.5 * em, 0, 0.5, cap);
    double bx = x0 + canvas__text_width(&cv, cap) + em, bw = 18.0 * em;
    canvas__ramp_bar(&cv, bx, ly, bw, em, false, false, palette_closeness);
    canvas__font(&cv, 0.85 * em, false);
    canvas__grey(&cv, 0.2);
    static const char *const marks[] = {"0%", "50%", "100%"};
    for (int i = 0; i < 3; i++) {
        canvas__text(&cv, bx + bw * 0.5 * i, ly + 1.15 * em, 0.5, 0, marks[i]);
    }
    free(l.col_w);
    free(l.row_h);
    return canvas__close(&cv, err);
}
