/* SPDX-License-Identifier: MIT */
#include "plots/table.h"

#include "plots/outfile.h"
#include "sim/check.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct table *table_create(void)
{
    return sim_xcalloc(1, sizeof(struct table));
}

void table_destroy(struct table *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        free(t->rows[i].design);
        free(t->rows[i].profile);
        free(t->rows[i].metric);
    }
    free(t->rows);
    free(t);
}

void table_add(struct table *t, const char *design, const char *profile, const char *metric,
               double mean, double ci_low, double ci_high, uint64_t n, enum axis_unit unit)
{
    SIM_REQUIRE(t != NULL && design != NULL && profile != NULL && metric != NULL);
    if (t->n_rows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->rows = sim_xreallocarray(t->rows, t->cap, sizeof(*t->rows));
    }
    t->rows[t->n_rows++] = (struct table_row){
        sim_xstrdup(design), sim_xstrdup(profile), sim_xstrdup(metric), mean, ci_low, ci_high,
        n, unit};
}

const char *table_unit_name(enum axis_unit unit)
{
    switch (unit) {
    case AXIS_UNIT_S:
        return "s";
    case AXIS_UNIT_BYTES:
        return "bytes";
    case AXIS_UNIT_PER_S:
        return "per_s";
    case AXIS_UNIT_BYTES_PER_S:
        return "bytes_per_s";
    case AXIS_UNIT_FRACTION:
        return "fraction";
    case AXIS_UNIT_NONE:
        break;
    }
    return "count";
}

char *table_format_cell(const struct table_row *r, char *buf, size_t size)
{
    char mean[32], lo[32], hi[32];
    axis_format(r->mean, r->unit, mean, sizeof(mean));
    if (!isfinite(r->ci_low) || !isfinite(r->ci_high) || !isfinite(r->mean)) {
        snprintf(buf, size, "%s", mean);
        return buf;
    }
    axis_format_as(r->ci_low, r->mean, r->unit, false, lo, sizeof(lo));
    axis_format_as(r->ci_high, r->mean, r->unit, false, hi, sizeof(hi));
    snprintf(buf, size, "%s [%s, %s]", mean, lo, hi);
    return buf;
}

/* Shortest %.Ng (N = 15..17) that reads back to the same double, so 0.1 is
 * "0.1" and not "0.10000000000000001", and nothing is ever lost. */
static char *exact(double v, char *buf, size_t size)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            break;
        }
    }
    return buf;
}

static const char *const headers[] = {"design", "profile", "metric", "mean [95% CI]", "n"};
enum { N_COLS = 5 };

/* The five human-readable cells of row i (header when r is NULL). */
static void human_cells(const struct table_row *r, char cells[N_COLS][160])
{
    if (r == NULL) {
        for (int c = 0; c < N_COLS; c++) {
            snprintf(cells[c], 160, "%s", headers[c]);
        }
        return;
    }
    snprintf(cells[0], 160, "%s", r->design);
    snprintf(cells[1], 160, "%s", r->profile);
    snprintf(cells[2], 160, "%s", r->metric);
    table_format_cell(r, cells[3], 160);
    snprintf(cells[4], 160, "%" PRIu64, r->n);
}

static void write_text(const struct table *t, FILE *fp)
{
    size_t w[N_COLS] = {0};
    char cells[N_COLS][160];
    for (size_t i = 0; i <= t->n_rows; i++) {
        human_cells(i == 0 ? NULL : &t->rows[i - 1], cells);
        for (int c = 0; c < N_COLS; c++) {
            size_t len = strlen(cells[c]);
            w[c] = len > w[c] ? len : w[c];
        }
    }
    for (size_t i = 0; i <= t->n_rows; i++) {
        human_cells(i == 0 ? NULL : &t->rows[i - 1], cells);
        for (int c = 0; c < N_COLS; c++) {
            /* text left-aligned, numbers right-aligned; no trailing blanks */
            bool last = c == N_COLS - 1;
            if (c >= 3) {
                fprintf(fp, "%*s%s", (int)w[c], cells[c], last ? "\n" : "  ");
            } else {
                fprintf(fp, "%-*s  ", (int)w[c], cells[c]);
            }
        }
        if (i == 0) {
            for (int c = 0; c < N_COLS; c++) {
                for (size_t k = 0; k < w[c]; k++) {
                    fputc('-', fp);
                }
                fputs(c == N_COLS - 1 ? "\n" : "  ", fp);
            }
        }
    }
}

static void markdown_cell(FILE *fp, const char *s)
{
    fputc(' ', fp);
    for (; *s != '\0'; s++) {
        if (*s == '|') {
            fputc('\\', fp);
        }
        fputc(*s == '\n' ? ' ' : *s, fp);
    }
    fputs(" |", fp);
}

static void write_markdown(const struct table *t, FILE *fp)
{
    char cells[N_COLS][160];
    for (size_t i = 0; i <= t->n_rows; i++) {
        human_cells(i == 0 ? NULL : &t->rows[i - 1], cells);
        fputc('|', fp);
        for (int c = 0; c < N_COLS; c++) {
            markdown_cell(fp, cells[c]);
        }
        fputc('\n', fp);
        if (i == 0) {
            fputs("|---|---|---|---:|---:|\n", fp);
        }
    }
}

static void csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s != '\0'; s++) {
        if (*s == '"') {
            fputc('"', fp);
        }
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void csv_number(FILE *fp, double v)
{
    char buf[40];
    if (isfinite(v)) {
        fputs(exact(v, buf, sizeof(buf)), fp);
    }
}

static void write_csv(const struct table *t, FILE *fp)
{
    fputs("design,profile,metric,mean,ci_low,ci_high,n,unit\n", fp);
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct table_row *r = &t->rows[i];
        csv_field(fp, r->design);
        fputc(',', fp);
        csv_field(fp, r->profile);
        fputc(',', fp);
        csv_field(fp, r->metric);
        fputc(',', fp);
        csv_number(fp, r->mean);
        fputc(',', fp);
        csv_number(fp, r->ci_low);
        fputc(',', fp);
        csv_number(fp, r->ci_high);
        fprintf(fp, ",%" PRIu64 ",%s\n", r->n, table_unit_name(r->unit));
    }
}

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fputc('\\', fp);
            fputc(c, fp);
        } else if (c == '\n') {
            fputs("\\n", fp);
        } else if (c < 0x20) {
            fprintf(fp, "\\u%04x", c);
        } else {
            fputc(c, fp);
        }
    }
    fputc('"', fp);
}

static void json_number(FILE *fp, double v)
{
    char buf[40];
    fputs(isfinite(v) ? exact(v, buf, sizeof(buf)) : "null", fp);
}

static void write_json(const struct table *t, FILE *fp)
{
    fputs("{\"rows\": [", fp);
    for (size_t i = 0; i < t->n_rows; i++) {
        const struct table_row *r = &t->rows[i];
        fputs(i == 0 ? "\n  {" : ",\n  {", fp);
        fputs("\"design\": ", fp);
        json_string(fp, r->design);
        fputs(", \"profile\": ", fp);
        json_string(fp, r->profile);
        fputs(", \"metric\": ", fp);
        json_string(fp, r->metric);
        fputs(", \"mean\": ", fp);
        json_number(fp, r->mean);
        fputs(", \"ci_low\": ", fp);
        json_number(fp, r->ci_low);
        fputs(", \"ci_high\": ", fp);
        json_number(fp, r->ci_high);
        fprintf(fp, ", \"n\": %" PRIu64 ", \"unit\": \"%s\"}", r->n, table_unit_name(r->unit));
    }
    fputs(t->n_rows > 0 ? "\n]}\n" : "]}\n", fp);
}

int table_write(const struct table *t, enum table_format format, FILE *fp, struct sim_err *err)
{
    SIM_REQUIRE(t != NULL && fp != NULL);
    switch (format) {
    case TABLE_CSV:
        write_csv(t, fp);
        break;
    case TABLE_JSON:
        write_json(t, fp);
        break;
    case TABLE_MARKDOWN:
        write_markdown(t, fp);
        break;
    case TABLE_TEXT:
    default:
        write_text(t, fp);
        break;
    }
    /* One check at the end, cairo-style: stdio errors are sticky too. */
    if (fflush(fp) != 0 || ferror(fp)) {
        return sim_err_set(err, SIM_EIO, "writing the table failed");
    }
    return SIM_OK;
}

int table_write_path(const struct table *t, enum table_format format, const char *path,
                     struct sim_err *err)
{
    SIM_REQUIRE(t != NULL && path != NULL);
    struct outfile out;
    int rc = outfile_open(&out, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    rc = table_write(t, format, out.fp, err);
    if (rc != SIM_OK) {
        outfile_abort(&out);
        return rc;
    }
    return outfile_commit(&out, err);
}
