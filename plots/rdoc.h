/* SPDX-License-Identifier: MIT
 *
 * rdoc.h - a report as a list of blocks, written as Markdown and as one
 * self-contained HTML page.
 *
 * `proxysim report` builds its document once (headings, paragraphs, bullet
 * lists, tables, images, code) and this module renders the same blocks
 * twice, so report.md and report.html cannot say different things.  Text is
 * plain with two inline marks that both renderers understand: `code` and
 * **bold**; everything else is escaped for HTML.  Images are paths relative
 * to the report's directory: Markdown links them, HTML inlines them as
 * base64 data URIs (PNG and SVG; a PDF chart is linked, since browsers do not
 * show PDF in an <img>), so the page can be mailed or attached to a review.
 *
 * Ownership: the document copies every string it is given; rdoc_destroy
 * frees everything.  Writers borrow the document.
 *
 * Errors: writers return 0 or SIM_EIO (an image could not be read, the file
 * could not be written; text in err).  Files are written through outfile.h
 * (temporary + rename): a failed write leaves no half-written report.
 *
 * Cost: linear in the text; the HTML writer reads each image once.
 */
#ifndef PLOTS_RDOC_H
#define PLOTS_RDOC_H

#include "sim/err.h"

#include <stddef.h>

struct rdoc;

struct rdoc *rdoc_create(const char *title);
void rdoc_destroy(struct rdoc *d); /* NULL is fine */

/* level 1..4. */
void rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rdoc_para(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Consecutive bullets form one list. */
void rdoc_bullet(struct rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A preformatted block (commands). */
void rdoc_code(struct rdoc *d, const char *text);
/* A table: header[n_cols], cells[r * n_cols + c]; '\n' in a cell is a line break. */
void rdoc_table(struct rdoc *d, size_t n_cols, const char *const *header, size_t n_rows,
                const char *const *cells);
/* An image at rel_path (relative to the report's directory) with its caption. */
void rdoc_image(struct rdoc *d, const char *rel_path, const char *caption);
/* Images added between row_begin and row_end sit side by side in HTML. */
void rdoc_row_begin(struct rdoc *d);
void rdoc_row_end(struct rdoc *d);

/* dir is the report's directory; the file is dir/name. */
int rdoc_write_markdown(const struct rdoc *d, const char *dir, const char *name,
                        struct sim_err *err);
int rdoc_write_html(const struct rdoc *d, const char *dir, const char *name, struct sim_err *err);

/* The images the document references, in order (for tests and the CSV of files). */
size_t rdoc_image_count(const struct rdoc *d);
const char *rdoc_image_path(const struct rdoc *d, size_t i);

#endif
