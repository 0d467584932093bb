/* SPDX-License-Identifier: MIT */
#include "plots/canvas_int.h"

#include "sim/check.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char font_family[] = "DejaVu Sans";
static const double quarter_turn = 1.57079632679489661923; /* M_PI is not C11 */

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    FILE *fp = closure;
    return fwrite(data, 1, length, fp) == length ? CAIRO_STATUS_SUCCESS
                                                 : CAIRO_STATUS_WRITE_ERROR;
}

int canvas__open(struct canvas *cv, const struct chart_opts *o, const char *path,
                 struct sim_err *err)
{
    SIM_REQUIRE(cv != NULL && o != NULL && path != NULL);
    memset(cv, 0, sizeof(*cv));
    int w = o->width > 0 ? o->width : CHART_DEFAULT_WIDTH;
    int h = o->height > 0 ? o->height : CHART_DEFAULT_HEIGHT;
    if (w < 200 || h < 150 || w > 20000 || h > 20000) {
        return sim_err_set(err, SIM_EINVAL, "%s: chart size %dx%d out of range (200x150 .. 20000x20000)",
                           path, w, h);
    }
    int rc = outfile_open(&cv->out, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    cv->format = o->format;
    cv->w = w;
    cv->h = h;
    /* 18 px tick labels at 1600x900 read well at 100% zoom; other sizes
     * scale by area so a small chart is not all text. */
    cv->em = fmax(10.0, 18.0 * sqrt((double)w * h / (1600.0 * 900.0)));
    switch (o->format) {
    case CHART_SVG:
        cv->surface = cairo_svg_surface_create_for_stream(write_stream, cv->out.fp, w, h);
        break;
    case CHART_PDF:
        cv->surface = cairo_pdf_surface_create_for_stream(write_stream, cv->out.fp, w, h);
        break;
    case CHART_PNG:
    default:
        cv->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        break;
    }
    /* Never NULL: on failure cairo returns a surface (and context) in an
     * error state, which canvas__close reports. */
    cv->cr = cairo_create(cv->surface);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* Unhinted metrics: text measures the same in PNG, SVG and PDF, so a
     * layout that fits in one fits in all. */
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cv->cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_antialias(cv->cr, CAIRO_ANTIALIAS_GOOD);
    cairo_set_source_rgb(cv->cr, 1, 1, 1);
    cairo_paint(cv->cr);
    return SIM_OK;
}

int canvas__close(struct canvas *cv, struct sim_err *err)
{
    SIM_REQUIRE(cv != NULL && cv->cr != NULL);
    cairo_status_t st = cairo_status(cv->cr);
    cairo_destroy(cv->cr);
    cv->cr = NULL;
    if (st == CAIRO_STATUS_SUCCESS && cv->format == CHART_PNG) {
        st = cairo_surface_write_to_png_stream(cv->surface, write_stream, cv->out.fp);
    }
    cairo_surface_finish(cv->surface); /* SVG and PDF write their stream here */
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(cv->surface);
    }
    cairo_surface_destroy(cv->surface);
    cv->surface = NULL;
    if (st != CAIRO_STATUS_SUCCESS) {
        sim_err_set(err, SIM_EIO, "%s: cairo: %s", cv->out.path, cairo_status_to_string(st));
        outfile_abort(&cv->out);
        return SIM_EIO;
    }
    return outfile_commit(&cv->out, err);
}

void canvas__font(struct canvas *cv, double size_px, bool bold)
{
    cairo_select_font_face(cv->cr, font_family, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cv->cr, size_px);
}

double canvas__text_width(struct canvas *cv, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cv->cr, s, &te);
    return te.x_advance;
}

double canvas__line_height(struct canvas *cv)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cv->cr, &fe);
    return fe.ascent + fe.descent;
}

void canvas__text(struct canvas *cv, double x, double y, double ax, double ay, const char *s)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cv->cr, &fe);
    double w = canvas__text_width(cv, s);
    cairo_move_to(cv->cr, x - ax * w, y + fe.ascent - ay * (fe.ascent + fe.descent));
    cairo_show_text(cv->cr, s);
}

void canvas__text_up(struct canvas *cv, double x, double y, const char *s)
{
    cairo_save(cv->cr);
    cairo_translate(cv->cr, x, y);
    cairo_rotate(cv->cr, -quarter_turn);
    canvas__text(cv, 0, 0, 0.5, 0.5, s);
    cairo_restore(cv->cr);
}

const char *canvas__fit(struct canvas *cv, const char *s, double max_w, char *buf, size_t size)
{
    SIM_REQUIRE(size >= 4);
    snprintf(buf, size, "%s", s);
    if (canvas__text_width(cv, buf) <= max_w) {
        return buf;
    }
    /* Drop whole UTF-8 characters from the end until "text..." fits. */
    size_t len = strlen(buf);
    while (len > 0) {
        do {
            len--;
        } while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80);
        if (len + 4 > size) {
            continue;
        }
        memcpy(buf + len, "...", 4);
        if (canvas__text_width(cv, buf) <= max_w) {
            return buf;
        }
    }
    snprintf(buf, size, "...");
    return buf;
}

void canvas__rgb(struct canvas *cv, struct palette_rgb c, double alpha)
{
    cairo_set_source_rgba(cv->cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

void canvas__line_style(struct canvas *cv, size_t i)
{
    /* In em: the patterns repeat about twice within a legend swatch (1.8 em). */
    static const double pattern[4][4] = {
        {0.0}, {0.9, 0.35}, {0.3, 0.3}, {0.9, 0.3, 0.01, 0.3}};
    static const int count[4] = {0, 2, 2, 4};
    double d[4];
    size_t k = i % 4;
    for (int j = 0; j < count[k]; j++) {
        d[j] = pattern[k][j] * cv->em;
    }
    cairo_set_dash(cv->cr, d, count[k], 0.0);
}

void canvas__grey(struct canvas *cv, double level)
{
    cairo_set_source_rgb(cv->cr, level, level, level);
}

double canvas__header(struct canvas *cv, const struct chart_opts *o)
{
    double y = 0.9 * cv->em;
    double x = 1.2 * cv->em;
    if (o->title != NULL) {
        canvas__font(cv, 1.5 * cv->em, true);
        canvas__grey(cv, 0.1);
        canvas__text(cv, x, y, 0, 0, o->title);
        y += canvas__line_height(cv) + 0.15 * cv->em;
    }
    if (o->subtitle != NULL) {
        canvas__font(cv, 1.05 * cv->em, false);
        canvas__grey(cv, 0.35);
        canvas__text(cv, x, y, 0, 0, o->subtitle);
        y += canvas__line_height(cv);
    }
    return y + 0.6 * cv->em;
}

static double legend_max_width(const struct canvas *cv)
{
    return cv->w / 3.0;
}

double canvas__legend_width(struct canvas *cv, const char *title,
                            const struct canvas_legend_item *items, size_t n)
{
    if (n == 0) {
        return 0.0;
    }
    double w = 0.0;
    canvas__font(cv, cv->em, false);
    for (size_t i = 0; i < n; i++) {
        if (items[i].label != NULL) {
            w = fmax(w, canvas__text_width(cv, items[i].label));
        }
    }
    w += 2.6 * cv->em; /* swatch and gap */
    if (title != NULL) {
        canvas__font(cv, cv->em, true);
        w = fmax(w, canvas__text_width(cv, title));
    }
    return fmin(w + 0.4 * cv->em, legend_max_width(cv));
}

void canvas__legend(struct canvas *cv, double x, double y, double w, const char *title,
                    const struct canvas_legend_item *items, size_t n)
{
    char buf[128];
    double em = cv->em;
    if (title != NULL) {
        canvas__font(cv, em, true);
        canvas__grey(cv, 0.15);
        canvas__text(cv, x, y, 0, 0, canvas__fit(cv, title, w, buf, sizeof(buf)));
        y += 1.6 * em;
    }
    canvas__font(cv, em, false);
    for (size_t i = 0; i < n; i++) {
        double cy = y + 0.6 * em;
        if (items[i].is_box) {
            canvas__rgb(cv, items[i].color, 1.0);
            cairo_rectangle(cv->cr, x, cy - 0.5 * em, 1.6 * em, em);
            cairo_fill(cv->cr);
        } else {
            if (items[i].has_band) {
                canvas__rgb(cv, items[i].color, 0.2);
                cairo_rectangle(cv->cr, x, cy - 0.45 * em, 1.8 * em, 0.9 * em);
                cairo_fill(cv->cr);
            }
            canvas__rgb(cv, items[i].color, 1.0);
            cairo_set_line_width(cv->cr, 0.17 * em);
            canvas__line_style(cv, items[i].style);
            cairo_move_to(cv->cr, x, cy);
            cairo_line_to(cv->cr, x + 1.8 * em, cy);
            cairo_stroke(cv->cr);
            cairo_set_dash(cv->cr, NULL, 0, 0.0);
        }
        canvas__grey(cv, 0.1);
        const char *label = items[i].label != NULL ? items[i].label : "";
        canvas__text(cv, x + 2.4 * em, cy, 0, 0.5,
                     canvas__fit(cv, label, w - 2.4 * em, buf, sizeof(buf)));
        y += 1.5 * em;
    }
}

static double nines(double q)
{
    return -log10(1.0 - q);
}

static double scaled(enum canvas_scale s, double v)
{
    switch (s) {
    case CANVAS_LOG:
        return v > 0.0 ? log10(v) : NAN;
    case CANVAS_NINES:
        return v >= 0.0 && v < 1.0 ? nines(v) : NAN;
    case CANVAS_LINEAR:
        break;
    }
    return v;
}

double canvas__map(const struct canvas_map *m, double v)
{
    double a = scaled(m->scale, m->lo), b = scaled(m->scale, m->hi), t = scaled(m->scale, v);
    if (!isfinite(t)) {
        return NAN;
    }
    return m->p0 + (t - a) / (b - a) * (m->p1 - m->p0);
}

static void fill_labels(char lab[][CANVAS_LABEL_MAX], const struct axis_ticks *t,
                        enum axis_unit u)
{
    double ref = fmax(fabs(t->lo), fabs(t->hi));
    for (size_t i = 0; i < t->n; i++) {
        if (t->is_log) {
            axis_format(t->v[i], u, lab[i], CANVAS_LABEL_MAX);
        } else {
            axis_format_tick(t->v[i], ref, t->step, u, lab[i], CANVAS_LABEL_MAX);
        }
    }
}

void canvas__frame_layout(struct canvas *cv, struct canvas_frame *f, double bx0, double by0,
                          double bx1, double by1)
{
    double fs = f->font_scale > 0.0 ? f->font_scale : 1.0;
    double em = cv->em * fs;
    if (!f->x_labels_set) {
        fill_labels(f->xlab, &f->xt, f->xu);
    }
    if (!f->y_labels_set) {
        fill_labels(f->ylab, &f->yt, f->yu);
    }
    canvas__font(cv, em, false);
    double tick_h = canvas__line_height(cv);
    double ylab_w = 0.0;
    for (size_t i = 0; i < f->yt.n; i++) {
        ylab_w = fmax(ylab_w, canvas__text_width(cv, f->ylab[i]));
    }
    double last_xlab_w = f->xt.n > 0 ? canvas__text_width(cv, f->xlab[f->xt.n - 1]) : 0.0;
    canvas__font(cv, 1.1 * em, false);
    double label_h = canvas__line_height(cv);

    f->x0 = bx0 + (f->y_label != NULL ? label_h + 0.5 * em : 0.0) + ylab_w + 0.8 * em;
    f->x1 = bx1 - fmax(0.5 * last_xlab_w, 0.5 * em);
    f->y0 = by0 + f->top_extra + 0.5 * tick_h;
    f->y1 = by1 - (f->x_label != NULL ? label_h + 0.4 * em : 0.0) - tick_h - 0.7 * em;
    f->xm = (struct canvas_map){f->xs, f->xt.lo, f->xt.hi, f->x0, f->x1};
    f->ym = (struct canvas_map){f->ys, f->yt.lo, f->yt.hi, f->y1, f->y0};
}

static void hline(cairo_t *cr, double x0, double x1, double y)
{
    double yy = floor(y) + 0.5; /* 1 px lines on pixel centres stay crisp */
    cairo_move_to(cr, x0, yy);
    cairo_line_to(cr, x1, yy);
}

static void vline(cairo_t *cr, double x, double y0, double y1)
{
    double xx = floor(x) + 0.5;
    cairo_move_to(cr, xx, y0);
    cairo_line_to(cr, xx, y1);
}

static void minor_decades(struct canvas *cv, const struct canvas_map *m, bool vertical,
                          double a0, double a1)
{
    double d0 = floor(log10(m->lo)), d1 = ceil(log10(m->hi));
    for (double d = d0; d < d1; d += 1.0) {
        for (int k = 2; k <= 9; k++) {
            double p = canvas__map(m, k * pow(10.0, d));
            if (vertical) {
                vline(cv->cr, p, a0, a1);
            } else {
                hline(cv->cr, a0, a1, p);
            }
        }
    }
}

void canvas__frame_grid(struct canvas *cv, const struct canvas_frame *f)
{
    cairo_t *cr = cv->cr;
    cairo_save(cr);
    canvas__frame_clip(cv, f); /* minor decades run past a tight axis */
    cairo_set_line_width(cr, 1.0);
    if (f->x_minor_log || f->y_minor_log) {
        canvas__grey(cv, 0.96);
        if (f->x_minor_log) {
            minor_decades(cv, &f->xm, true, f->y0, f->y1);
        }
        if (f->y_minor_log) {
            minor_decades(cv, &f->ym, false, f->x0, f->x1);
        }
        cairo_stroke(cr);
    }
    canvas__grey(cv, 0.88);
    for (size_t i = 0; i < f->yt.n; i++) {
        hline(cr, f->x0, f->x1, canvas__map(&f->ym, f->yt.v[i]));
    }
    for (size_t i = 0; i < f->xt.n; i++) {
        vline(cr, canvas__map(&f->xm, f->xt.v[i]), f->y0, f->y1);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void canvas__frame_clip(struct canvas *cv, const struct canvas_frame *f)
{
    cairo_rectangle(cv->cr, f->x0, f->y0, f->x1 - f->x0, f->y1 - f->y0);
    cairo_clip(cv->cr);
}

void canvas__frame_axes(struct canvas *cv, const struct canvas_frame *f)
{
    cairo_t *cr = cv->cr;
    double fs = f->font_scale > 0.0 ? f->font_scale : 1.0;
    double em = cv->em * fs;
    double tick_len = 0.4 * em;
    cairo_save(cr);
    cairo_set_line_width(cr, 1.0);
    canvas__grey(cv, 0.3);
    hline(cr, f->x0, f->x1, f->y1);
    vline(cr, f->x0, f->y0, f->y1);
    for (size_t i = 0; i < f->yt.n; i++) {
        hline(cr, f->x0 - tick_len, f->x0, canvas__map(&f->ym, f->yt.v[i]));
    }
    for (size_t i = 0; i < f->xt.n; i++) {
        vline(cr, canvas__map(&f->xm, f->xt.v[i]), f->y1, f->y1 + tick_len);
    }
    cairo_stroke(cr);

    canvas__font(cv, em, false);
    canvas__grey(cv, 0.2);
    double tick_h = canvas__line_height(cv);
    for (size_t i = 0; i < f->yt.n; i++) {
        canvas__text(cv, f->x0 - tick_len - 0.3 * em, canvas__map(&f->ym, f->yt.v[i]), 1, 0.5,
                     f->ylab[i]);
    }
    /* Thin the x labels when they would touch: every 2nd, 3rd, ... label. */
    double max_w = 0.0;
    for (size_t i = 0; i < f->xt.n; i++) {
        max_w = fmax(max_w, canvas__text_width(cv, f->xlab[i]));
    }
    double room = f->xt.n > 1 ? (f->x1 - f->x0) / (double)(f->xt.n - 1) : f->x1 - f->x0;
    size_t every = 1;
    while (every < f->xt.n && room * (double)every < max_w + 0.8 * em) {
        every++;
    }
    for (size_t i = 0; i < f->xt.n; i += every) {
        canvas__text(cv, canvas__map(&f->xm, f->xt.v[i]), f->y1 + tick_len + 0.2 * em, 0.5, 0,
                     f->xlab[i]);
    }

    canvas__font(cv, 1.1 * em, false);
    canvas__grey(cv, 0.1);
    if (f->x_label != NULL) {
        canvas__text(cv, 0.5 * (f->x0 + f->x1), f->y1 + tick_len + 0.2 * em + tick_h + 0.3 * em,
                     0.5, 0, f->x_label);
    }
    if (f->y_label != NULL) {
        double ylab_w = 0.0;
        canvas__font(cv, em, false);
        for (size_t i = 0; i < f->yt.n; i++) {
            ylab_w = fmax(ylab_w, canvas__text_width(cv, f->ylab[i]));
        }
        canvas__font(cv, 1.1 * em, false);
        double lh = canvas__line_height(cv);
        canvas__text_up(cv, f->x0 - tick_len - 0.3 * em - ylab_w - 0.4 * em - 0.5 * lh,
                        0.5 * (f->y0 + f->y1), f->y_label);
    }
    cairo_restore(cr);
}

void canvas__ramp_bar(struct canvas *cv, double x, double y, double w, double h, bool vertical,
                      bool reverse, struct palette_rgb (*ramp)(double))
{
    /* A gradient with one stop per ramp sample, so the bar shows exactly the
     * colours the cells use (cairo interpolates between them linearly, as
     * the ramps do). */
    cairo_pattern_t *p = vertical ? cairo_pattern_create_linear(x, y + h, x, y)
                                  : cairo_pattern_create_linear(x, y, x + w, y);
    for (int i = 0; i <= 20; i++) {
        double t = i / 20.0;
        struct palette_rgb c = ramp(reverse ? 1.0 - t : t);
        cairo_pattern_add_color_stop_rgb(p, t, c.r / 255.0, c.g / 255.0, c.b / 255.0);
    }
    cairo_rectangle(cv->cr, x, y, w, h);
    cairo_set_source(cv->cr, p);
    cairo_fill(cv->cr);
    cairo_pattern_destroy(p);
    cairo_set_line_width(cv->cr, 1.0);
    canvas__grey(cv, 0.4);
    cairo_rectangle(cv->cr, floor(x) + 0.5, floor(y) + 0.5, floor(w), floor(h));
    cairo_stroke(cv->cr);
}
