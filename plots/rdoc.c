/* SPDX-License-Identifier: MIT */
#include "plots/rdoc.h"

#include "plots/outfile.h"
#include "sim/check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum block_kind { B_HEADING, B_PARA, B_BULLET, B_CODE, B_TABLE, B_IMAGE, B_ROW_BEGIN, B_ROW_END };

struct block {
    enum block_kind kind;
    int level;
    char *text;    /* heading, para, bullet, code; image: caption */
    char *path;    /* image */
    size_t n_cols, n_rows;
    char **cells;  /* table: header row first, then n_rows rows */
};

struct rdoc {
    char *title;
    struct block *b;
    size_t n, cap;
};

struct rdoc *rdoc_create(const char *title)
{
    struct rdoc *d = sim_xcalloc(1, sizeof *d);
    d->title = sim_xstrdup(title);
    return d;
}

void rdoc_destroy(struct rdoc *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        struct block *b = &d->b[i];
        free(b->text);
        free(b->path);
        if (b->cells) {
            for (size_t k = 0; k < (b->n_rows + 1) * b->n_cols; k++) {
                free(b->cells[k]);
            }
            free(b->cells);
        }
    }
    free(d->b);
    free(d->title);
    free(d);
}

static struct block *push(struct rdoc *d, enum block_kind kind)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->b = sim_xreallocarray(d->b, d->cap, sizeof *d->b);
    }
    struct block *b = &d->b[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    SIM_REQUIRE(len >= 0);
    char *s = sim_xmalloc((size_t)len + 1);
    vsnprintf(s, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

void rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
{
    SIM_REQUIRE(level >= 1 && level <= 4);
    struct block *b = push(d, B_HEADING);
    b->level = level;
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(fmt, ap);
    va_end(ap);
}

void rdoc_para(struct rdoc *d, const char *fmt, ...)
{
    struct block *b = push(d, B_PARA);
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(fmt, ap);
    va_end(ap);
}

void rdoc_bullet(struct rdoc *d, const char *fmt, ...)
{
    struct block *b = push(d, B_BULLET);
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(fmt, ap);
    va_end(ap);
}

void rdoc_code(struct rdoc *d, const char *text)
{
    push(d, B_CODE)->text = sim_xstrdup(text);
}

void rdoc_table(struct rdoc *d, size_t n_cols, const char *const *header, size_t n_rows,
                const char *const *cells)
{
    SIM_REQUIRE(n_cols > 0 && header != NULL && (n_rows == 0 || cells != NULL));
    struct block *b = push(d, B_TABLE);
    b->n_cols = n_cols;
    b->n_rows = n_rows;
    b->cells = sim_xcalloc((n_rows + 1) * n_cols, sizeof *b->cells);
    for (size_t c = 0; c < n_cols; c++) {
        b->cells[c] = sim_xstrdup(header[c] ? header[c] : "");
    }
    for (size_t k = 0; k < n_rows * n_cols; k++) {
        b->cells[n_cols + k] = sim_xstrdup(cells[k] ? cells[k] : "");
    }
}

void rdoc_image(struct rdoc *d, const char *rel_path, const char *caption)
{
    struct block *b = push(d, B_IMAGE);
    b->path = sim_xstrdup(rel_path);
    b->text = sim_xstrdup(caption ? caption : "");
}

void rdoc_row_begin(struct rdoc *d) { push(d, B_ROW_BEGIN); }
void rdoc_row_end(struct rdoc *d) { push(d, B_ROW_END); }

size_t rdoc_image_count(const struct rdoc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        n += d->b[i].kind == B_IMAGE;
    }
    return n;
}

const char *rdoc_image_path(const struct rdoc *d, size_t i)
{
    for (size_t k = 0; k < d->n; k++) {
        if (d->b[k].kind == B_IMAGE && i-- == 0) {
            return d->b[k].path;
        }
    }
    return NULL;
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = sim_xmalloc(a + b + 2);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* ---- Markdown ---- */

/* Table cells cannot hold a newline or an unescaped pipe in GitHub Markdown. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') {
            fputs("<br>", f);
        } else if (*s == '|') {
            fputs("\\|", f);
        } else {
            fputc(*s, f);
        }
    }
}

static void md_render(const struct rdoc *d, FILE *f)
{
    fprintf(f, "# %s\n\n", d->title);
    for (size_t i = 0; i < d->n; i++) {
        const struct block *b = &d->b[i];
        bool next_bullet = i + 1 < d->n && d->b[i + 1].kind == B_BULLET;
        switch (b->kind) {
        case B_HEADING:
            fprintf(f, "%.*s %s\n\n", b->level + 1, "#####", b->text);
            break;
        case B_PARA:
            fprintf(f, "%s\n\n", b->text);
            break;
        case B_BULLET:
            fprintf(f, "- %s\n%s", b->text, next_bullet ? "" : "\n");
            break;
        case B_CODE:
            fprintf(f, "```\n%s\n```\n\n", b->text);
            break;
        case B_TABLE:
            for (size_t r = 0; r <= b->n_rows; r++) {
                fputc('|', f);
                for (size_t c = 0; c < b->n_cols; c++) {
                    fputc(' ', f);
                    md_cell(f, b->cells[r * b->n_cols + c]);
                    fputs(" |", f);
                }
                fputc('\n', f);
                if (r == 0) {
                    fputc('|', f);
                    for (size_t c = 0; c < b->n_cols; c++) {
                        fputs(c == 0 ? "---|" : "--:|", f);
                    }
                    fputc('\n', f);
                }
            }
            fputc('\n', f);
            break;
        case B_IMAGE:
            fprintf(f, "![%s](%s)\n\n", b->text, b->path);
            break;
        case B_ROW_BEGIN:
        case B_ROW_END:
            break;
        }
    }
}

int rdoc_write_markdown(const struct rdoc *d, const char *dir, const char *name,
                        struct sim_err *err)
{
    char *path = join_path(dir, name);
    struct outfile of;
    int rc = outfile_open(&of, path, err);
    if (rc == SIM_OK) {
        md_render(d, of.fp);
        rc = outfile_commit(&of, err);
    }
    free(path);
    return rc;
}

/* ---- HTML ---- */

static void html_escape(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\n':
            fputs("<br>", f);
            break;
        default:
            fputc(s[i], f);
        }
    }
}

/* The two inline marks: `code` and **bold**.  An unmatched mark is text. */
static void html_inline(FILE *f, const char *s)
{
    while (*s) {
        if (*s == '`') {
            const char *e = strchr(s + 1, '`');
            if (e) {
                fputs("<code>", f);
                html_escape(f, s + 1, (size_t)(e - s - 1));
                fputs("</code>", f);
                s = e + 1;
                continue;
            }
        } else if (s[0] == '*' && s[1] == '*') {
            const char *e = strstr(s + 2, "**");
            if (e) {
                fputs("<strong>", f);
                html_escape(f, s + 2, (size_t)(e - s - 2));
                fputs("</strong>", f);
                s = e + 2;
                continue;
            }
        }
        html_escape(f, s, 1);
        s++;
    }
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        fputc(B64[v >> 18], f);
        fputc(B64[(v >> 12) & 63], f);
        fputc(B64[(v >> 6) & 63], f);
        fputc(B64[v & 63], f);
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0u);
        fputc(B64[v >> 18], f);
        fputc(B64[(v >> 12) & 63], f);
        fputc(i + 1 < n ? B64[(v >> 6) & 63] : '=', f);
        fputc('=', f);
    }
}

static int read_all(const char *path, unsigned char **data, size_t *len, struct sim_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return sim_err_set(err, SIM_EIO, "%s: %s", path, strerror(errno));
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = sim_xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        cap *= 2;
        buf = sim_xrealloc(buf, cap);
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        return sim_err_set(err, SIM_EIO, "%s: read error", path);
    }
    *data = buf;
    *len = n;
    return SIM_OK;
}

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".svg") == 0) {
        return "image/svg+xml";
    }
    if (dot && strcmp(dot, ".png") == 0) {
        return "image/png";
    }
    return NULL;
}

static const char CSS[] =
    "body{font-family:'DejaVu Sans',sans-serif;max-width:1400px;margin:2em auto;padding:0 1em;"
    "color:#222;line-height:1.45}"
    "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}"
    "th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}"
    "th{background:#f0f0f0}td{text-align:right}td:first-child{text-align:left}"
    "code,pre{background:#f6f6f6;font-family:'DejaVu Sans Mono',monospace}"
    "pre{padding:0.8em;overflow-x:auto}"
    "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}"
    "figcaption{font-size:0.85em;color:#555}"
    ".row{display:flex;flex-wrap:wrap;gap:8px}.row figure{flex:1 1 45%;margin:0.3em 0}";

static int html_render(const struct rdoc *d, const char *dir, FILE *f, struct sim_err *err)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    html_escape(f, d->title, strlen(d->title));
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", CSS);
    html_escape(f, d->title, strlen(d->title));
    fputs("</h1>\n", f);
    for (size_t i = 0; i < d->n; i++) {
        const struct block *b = &d->b[i];
        bool prev_bullet = i > 0 && d->b[i - 1].kind == B_BULLET;
        bool next_bullet = i + 1 < d->n && d->b[i + 1].kind == B_BULLET;
        switch (b->kind) {
        case B_HEADING:
            fprintf(f, "<h%d>", b->level + 1);
            html_inline(f, b->text);
            fprintf(f, "</h%d>\n", b->level + 1);
            break;
        case B_PARA:
            fputs("<p>", f);
            html_inline(f, b->text);
            fputs("</p>\n", f);
            break;
        case B_BULLET:
            fputs(prev_bullet ? "<li>" : "<ul>\n<li>", f);
            html_inline(f, b->text);
            fputs(next_bullet ? "</li>\n" : "</li>\n</ul>\n", f);
            break;
        case B_CODE:
            fputs("<pre><code>", f);
            html_escape(f, b->text, strlen(b->text));
            fputs("</code></pre>\n", f);
            break;
        case B_TABLE:
            fputs("<table>\n", f);
            for (size_t r = 0; r <= b->n_rows; r++) {
                fputs("<tr>", f);
                for (size_t c = 0; c < b->n_cols; c++) {
                    fputs(r == 0 ? "<th>" : "<td>", f);
                    html_inline(f, b->cells[r * b->n_cols + c]);
                    fputs(r == 0 ? "</th>" : "</td>", f);
                }
                fputs("</tr>\n", f);
            }
            fputs("</table>\n", f);
            break;
        case B_IMAGE: {
            const char *mime = mime_of(b->path);
            fputs("<figure>", f);
            if (mime == NULL) {
                fputs("<a href=\"", f);
                html_escape(f, b->path, strlen(b->path));
                fputs("\">", f);
                html_escape(f, b->path, strlen(b->path));
                fputs("</a>", f);
            } else {
                char *full = join_path(dir, b->path);
                unsigned char *data = NULL;
                size_t len = 0;
                int rc = read_all(full, &data, &len, err);
                free(full);
                if (rc != SIM_OK) {
                    return rc;
                }
                fprintf(f, "<img alt=\"");
                html_escape(f, b->text, strlen(b->text));
                fprintf(f, "\" src=\"data:%s;base64,", mime);
                base64(f, data, len);
                fputs("\">", f);
                free(data);
            }
            fputs("<figcaption>", f);
            html_inline(f, b->text);
            fputs("</figcaption></figure>\n", f);
            break;
        }
        case B_ROW_BEGIN:
            fputs("<div class=\"row\">\n", f);
            break;
        case B_ROW_END:
            fputs("</div>\n", f);
            break;
        }
    }
    fputs("</body>\n</html>\n", f);
    return SIM_OK;
}

int rdoc_write_html(const struct rdoc *d, const char *dir, const char *name, struct sim_err *err)
{
    char *path = join_path(dir, name);
    struct outfile of;
    int rc = outfile_open(&of, path, err);
    if (rc == SIM_OK) {
        rc = html_render(d, dir, of.fp, err);
        if (rc == SIM_OK) {
            rc = outfile_commit(&of, err);
        } else {
            outfile_abort(&of);
        }
    }
    free(path);
    return rc;
}
