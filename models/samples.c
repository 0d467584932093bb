/* SPDX-License-Identifier: MIT */
#include "models/samples.h"

#include "sim/check.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- units ---------------------------------------------------------------------------- */

static const struct samples_unit units[] = {
    {"none", SAMPLES_UNIT_NONE, 1.0},     {"ns", SAMPLES_UNIT_TIME, 1e-9},
    {"us", SAMPLES_UNIT_TIME, 1e-6},      {"ms", SAMPLES_UNIT_TIME, 1e-3},
    {"s", SAMPLES_UNIT_TIME, 1.0},        {"min", SAMPLES_UNIT_TIME, 60.0},
    {"h", SAMPLES_UNIT_TIME, 3600.0},     {"B", SAMPLES_UNIT_SIZE, 1.0},
    {"KiB", SAMPLES_UNIT_SIZE, 1024.0},   {"MiB", SAMPLES_UNIT_SIZE, 1048576.0},
    {"GiB", SAMPLES_UNIT_SIZE, 1073741824.0}, {"kB", SAMPLES_UNIT_SIZE, 1e3},
    {"KB", SAMPLES_UNIT_SIZE, 1e3},       {"MB", SAMPLES_UNIT_SIZE, 1e6},
    {"GB", SAMPLES_UNIT_SIZE, 1e9},
};

bool samples_unit_parse(const char *name, struct samples_unit *out)
{
    if (name == NULL) {
        name = "none";
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(name, units[i].name) == 0) {
            *out = units[i];
            return true;
        }
    }
    return false;
}

void samples_unit_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof units / sizeof units[0] && used < size; i++) {
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", units[i].name);
    }
}

/* ---- the line reader ------------------------------------------------------------------ */

/* Reads whole lines out of a 1 MiB (growable) buffer refilled by gzread.  gzgets would be
 * simpler but cannot tell a NUL byte from the end of a line, and NUL is how most binary files
 * announce themselves. */
struct reader {
    gzFile gz;
    const char *path;
    char *buf;
    size_t cap, start, end;
    unsigned long line; /* number of the line last returned, 1-based */
    bool eof;
};

enum { READER_CHUNK = 1 << 20 };

static int reader_open(struct reader *r, const char *path, struct sim_err *err)
{
    *r = (struct reader){.path = path};
    errno = 0;
    r->gz = gzopen(path, "rb");
    if (r->gz == NULL) {
        return sim_err_set(err, SIM_EIO, "%s: cannot open: %s", path,
                           errno ? strerror(errno) : "out of memory");
    }
    gzbuffer(r->gz, 256 * 1024);
    r->cap = READER_CHUNK;
    r->buf = sim_xmalloc(r->cap);
    return SIM_OK;
}

static void reader_close(struct reader *r)
{
    if (r->gz) {
        gzclose(r->gz);
    }
    free(r->buf);
    r->buf = NULL;
    r->gz = NULL;
}

/* Refills the buffer after the unread tail; false on a read error (err set). */
static bool reader_fill(struct reader *r, struct sim_err *err)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        r->cap *= 2; /* a line longer than the buffer */
        r->buf = sim_xrealloc(r->buf, r->cap);
    }
    int got = gzread(r->gz, r->buf + r->end, (unsigned)(r->cap - r->end));
    if (got < 0) {
        int zerr = 0;
        const char *msg = gzerror(r->gz, &zerr);
        sim_err_set(err, SIM_EIO, "%s:%lu: cannot read: %s", r->path, r->line + 1,
                    zerr == Z_ERRNO ? strerror(errno) : msg);
        return false;
    }
    if (got == 0) {
        r->eof = true;
    }
    r->end += (size_t)got;
    return true;
}

/* Next line without its terminator (and without a trailing '\r').  Returns 1 with a line,
 * 0 at the end of the file, -1 on error (err set).  A NUL byte is an error: not a text file. */
static int reader_next(struct reader *r, const char **line, size_t *len, struct sim_err *err)
{
    for (;;) {
        char *p = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = memchr(p, '\n', avail);
        if (nl != NULL || (r->eof && avail > 0)) {
            size_t n = nl ? (size_t)(nl - p) : avail;
            r->start += nl ? n + 1 : n;
            r->line++;
            char *nul = memchr(p, '\0', n);
            if (nul != NULL) {
                sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: not a text file (NUL byte)", r->path,
                            r->line, (size_t)(nul - p) + 1);
                return -1;
            }
            if (n > 0 && p[n - 1] == '\r') {
                n--;
            }
            *line = p;
            *len = n;
            return 1;
        }
        if (r->eof) {
            return 0;
        }
        if (!reader_fill(r, err)) {
            return -1;
        }
    }
}

/* Bytes that never occur in text (control characters other than tab, CR, LF, FF, VT, ESC).
 * Checked on the first lines only: binary files betray themselves early, and checking every
 * byte of a 10-million-line file would cost as much as parsing it. */
static size_t find_binary_byte(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) {
            return i;
        }
        if (c == 0x7f) {
            return i;
        }
    }
    return n;
}

/* ---- cells ---------------------------------------------------------------------------- */

struct cell {
    const char *p; /* first non-blank character, quotes removed */
    size_t len;    /* blanks trimmed */
    size_t col;    /* 1-based column of p in the line */
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits the cell starting at line[*pos]; advances *pos past the separator.  Returns false
 * when no cell is left. */
static bool next_cell(const char *line, size_t len, size_t *pos, char sep, bool *more,
                      struct cell *out)
{
    size_t i = *pos;
    if (i > len || (i == len && !*more)) {
        return false;
    }
    while (i < len && is_blank(line[i]) && line[i] != sep) {
        i++;
    }
    size_t b, e;
    if (i < len && line[i] == '"') {
        b = ++i;
        while (i < len && line[i] != '"') {
            i++;
        }
        e = i;
        while (i < len && line[i] != sep) {
            i++;
        }
    } else {
        b = i;
        while (i < len && line[i] != sep) {
            i++;
        }
        e = i;
        while (e > b && is_blank(line[e - 1])) {
            e--;
        }
    }
    *more = i < len; /* a separator follows: there is one more (maybe empty) cell */
    *pos = i + 1;
    *out = (struct cell){.p = line + b, .len = e - b, .col = b + 1};
    return true;
}

/* The idx-th cell (0-based); false if the row is shorter (n_cells gets the count). */
static bool cell_at(const char *line, size_t len, char sep, size_t idx, struct cell *out,
                    size_t *n_cells)
{
    size_t pos = 0, k = 0;
    bool more = true;
    struct cell c;
    while (next_cell(line, len, &pos, sep, &more, &c)) {
        if (k == idx) {
            *out = c;
            return true;
        }
        k++;
    }
    *n_cells = k;
    return false;
}

/* Shows a bad cell in an error message: at most 40 characters, control bytes as '?'. */
static void cell_show(const struct cell *c, char *out, size_t out_size)
{
    size_t n = c->len < 40 ? c->len : 40;
    if (n >= out_size) {
        n = out_size - 1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)c->p[i];
        out[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    out[n] = '\0';
    if (c->len > n && n >= 3) {
        memcpy(out + n - 3, "...", 3);
    }
}

/* ---- numbers -------------------------------------------------------------------------- */

enum num_status { NUM_OK, NUM_EMPTY, NUM_BAD, NUM_RANGE };

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Decimal number: [+-]digits[.digits][(e|E)[+-]digits], nothing else (no inf, nan, hex).
 * Clinger's fast path: with at most 15 significant digits and |exponent| <= 22 both the
 * mantissa and the power of ten are exact doubles, so one multiplication or division is
 * correctly rounded.  Anything else goes to strtod, after the syntax has been checked here. */
static enum num_status parse_number(const char *p, size_t len, double *out)
{
    if (len == 0) {
        return NUM_EMPTY;
    }
    size_t i = 0;
    bool neg = false;
    if (p[i] == '+' || p[i] == '-') {
        neg = p[i] == '-';
        i++;
    }
    uint64_t mant = 0;
    int n_digits = 0, n_sig = 0, frac_digits = 0;
    while (i < len && p[i] >= '0' && p[i] <= '9') {
        if (n_sig > 0 || p[i] != '0') {
            n_sig++;
        }
        if (n_sig <= 19) {
            mant = mant * 10 + (uint64_t)(p[i] - '0');
        }
        n_digits++;
        i++;
    }
    if (i < len && p[i] == '.') {
        i++;
        while (i < len && p[i] >= '0' && p[i] <= '9') {
            if (n_sig > 0 || p[i] != '0') {
                n_sig++;
            }
            if (n_sig <= 19) {
                mant = mant * 10 + (uint64_t)(p[i] - '0');
                frac_digits++;
            }
            n_digits++;
            i++;
        }
    }
    if (n_digits == 0) {
        return NUM_BAD;
    }
    long exp10 = 0;
    if (i < len && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (p[i] == '+' || p[i] == '-')) {
            eneg = p[i] == '-';
            i++;
        }
        if (i == len || p[i] < '0' || p[i] > '9') {
            return NUM_BAD;
        }
        while (i < len && p[i] >= '0' && p[i] <= '9') {
            if (exp10 < 100000) {
                exp10 = exp10 * 10 + (p[i] - '0');
            }
            i++;
        }
        if (eneg) {
            exp10 = -exp10;
        }
    }
    if (i != len) {
        return NUM_BAD;
    }
    long e = exp10 - frac_digits;
    if (n_sig <= 15 && e >= -22 && e <= 22) {
        double v = (double)mant;
        v = e < 0 ? v / pow10_exact[-e] : v * pow10_exact[e];
        *out = neg ? -v : v;
        return NUM_OK;
    }
    char tmp[128];
    if (len >= sizeof tmp) {
        return NUM_BAD;
    }
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    errno = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v)) {
        return NUM_RANGE;
    }
    *out = v;
    return NUM_OK;
}

/* ---- timestamps ----------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil):
 * timegm() is not in C11 or POSIX, and mktime() would apply the local time zone. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

/* Reads exactly n digits at p[*i]; false if they are not there. */
static bool digits(const char *p, size_t len, size_t *i, int n, long *out)
{
    long v = 0;
    for (int k = 0; k < n; k++) {
        if (*i >= len || p[*i] < '0' || p[*i] > '9') {
            return false;
        }
        v = v * 10 + (p[(*i)++] - '0');
    }
    *out = v;
    return true;
}

static bool expect(const char *p, size_t len, size_t *i, char c)
{
    if (*i < len && p[*i] == c) {
        (*i)++;
        return true;
    }
    return false;
}

static bool date_valid(long mo, long d, long h, long mi, double s)
{
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s < 61.0;
}

/* Zone suffix: Z, +HH:MM, +HHMM, +HH, or nothing (UTC); seconds east of UTC in *off_s. */
static bool parse_zone(const char *p, size_t len, size_t *i, long *off_s)
{
    *off_s = 0;
    if (*i == len) {
        return true;
    }
    if (p[*i] == 'Z' || p[*i] == 'z') {
        (*i)++;
        return true;
    }
    if (p[*i] != '+' && p[*i] != '-') {
        return false;
    }
    int sign = p[(*i)++] == '-' ? -1 : 1;
    long hh, mm = 0;
    if (!digits(p, len, i, 2, &hh)) {
        return false;
    }
    expect(p, len, i, ':');
    if (*i < len && !digits(p, len, i, 2, &mm)) {
        return false;
    }
    *off_s = sign * (hh * 3600 + mm * 60);
    return true;
}

/* Fraction of a second after a '.', any number of digits. */
static double parse_fraction(const char *p, size_t len, size_t *i)
{
    double f = 0.0, scale = 0.1;
    if (expect(p, len, i, '.') || expect(p, len, i, ',')) {
        while (*i < len && p[*i] >= '0' && p[*i] <= '9') {
            f += (p[(*i)++] - '0') * scale;
            scale /= 10.0;
        }
    }
    return f;
}

/* ISO 8601: YYYY-MM-DD[T| ]HH:MM:SS[.frac][zone]. */
static bool parse_iso8601(const char *p, size_t len, double *out_s)
{
    size_t i = 0;
    long y, mo, d, h, mi, s, off;
    if (!digits(p, len, &i, 4, &y) || !expect(p, len, &i, '-') || !digits(p, len, &i, 2, &mo) ||
        !expect(p, len, &i, '-') || !digits(p, len, &i, 2, &d)) {
        return false;
    }
    if (!(expect(p, len, &i, 'T') || expect(p, len, &i, 't') || expect(p, len, &i, ' '))) {
        return false;
    }
    if (!digits(p, len, &i, 2, &h) || !expect(p, len, &i, ':') || !digits(p, len, &i, 2, &mi) ||
        !expect(p, len, &i, ':') || !digits(p, len, &i, 2, &s)) {
        return false;
    }
    double frac = parse_fraction(p, len, &i);
    if (!parse_zone(p, len, &i, &off) || i != len || !date_valid(mo, d, h, mi, (double)s)) {
        return false;
    }
    long days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out_s = (double)(days * 86400 + h * 3600 + mi * 60 + s - off) + frac;
    return true;
}

static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Common/combined log format: [DD/Mon/YYYY:HH:MM:SS +ZZZZ], brackets optional. */
static bool parse_access_log(const char *p, size_t len, double *out_s)
{
    size_t i = 0;
    bool bracket = expect(p, len, &i, '[');
    long d, y, h, mi, s, off, mo = 0;
    if (!digits(p, len, &i, 2, &d) || !expect(p, len, &i, '/') || i + 3 > len) {
        return false;
    }
    for (long k = 0; k < 12; k++) {
        if (memcmp(p + i, month_names[k], 3) == 0) {
            mo = k + 1;
        }
    }
    i += 3;
    if (mo == 0 || !expect(p, len, &i, '/') || !digits(p, len, &i, 4, &y) ||
        !expect(p, len, &i, ':') || !digits(p, len, &i, 2, &h) || !expect(p, len, &i, ':') ||
        !digits(p, len, &i, 2, &mi) || !expect(p, len, &i, ':') ||
        !digits(p, len, &i, 2, &s)) {
        return false;
    }
    double frac = parse_fraction(p, len, &i);
    expect(p, len, &i, ' ');
    if (!parse_zone(p, len, &i, &off)) {
        return false;
    }
    if (bracket && !expect(p, len, &i, ']')) {
        return false;
    }
    if (i != len || !date_valid(mo, d, h, mi, (double)s)) {
        return false;
    }
    long days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out_s = (double)(days * 86400 + h * 3600 + mi * 60 + s - off) + frac;
    return true;
}

static bool parse_timestamp(const char *p, size_t len, double *out_s)
{
    return parse_number(p, len, out_s) == NUM_OK || parse_iso8601(p, len, out_s) ||
           parse_access_log(p, len, out_s);
}

/* An access-log time anywhere in a log line: the first '[' that starts one. */
static bool find_access_log_time(const char *line, size_t len, double *out_s, size_t *col)
{
    for (const char *b = memchr(line, '[', len); b != NULL;
         b = memchr(b + 1, '[', len - (size_t)(b + 1 - line))) {
        const char *e = memchr(b, ']', len - (size_t)(b - line));
        if (e != NULL && parse_access_log(b, (size_t)(e - b) + 1, out_s)) {
            *col = (size_t)(b - line) + 1;
            return true;
        }
        if ((size_t)(b + 1 - line) >= len) {
            break;
        }
    }
    return false;
}

/* ---- the file layout ------------------------------------------------------------------ */

enum value_kind { VALUE_SAMPLE, VALUE_TIMESTAMP };

struct layout {
    char sep;
    bool has_header;
    bool find_in_line; /* timestamps only: access-log time searched in the whole line */
    size_t col_idx;
};

static bool cell_is_value(const struct cell *c, enum value_kind kind)
{
    double v;
    return kind == VALUE_SAMPLE ? parse_number(c->p, c->len, &v) == NUM_OK
                                : parse_timestamp(c->p, c->len, &v);
}

/* Lists the header's column names into out ("a, b, c"), truncated to fit. */
static void list_columns(const char *line, size_t len, char sep, char *out, size_t out_size)
{
    size_t pos = 0, used = 0;
    bool more = true;
    struct cell c;
    out[0] = '\0';
    while (next_cell(line, len, &pos, sep, &more, &c)) {
        int w = snprintf(out + used, out_size - used, "%s%.*s", used ? ", " : "", (int)c.len,
                         c.p);
        if (w < 0 || (size_t)w >= out_size - used) {
            if (out_size > 4) {
                memcpy(out + out_size - 4, "...", 4);
            }
            return;
        }
        used += (size_t)w;
    }
}

/* Decides, from the first line, whether there is a header and which cell holds the values. */
static int layout_detect(struct layout *lo, const struct reader *r, const char *line, size_t len,
                         const char *column, enum value_kind kind, struct samples *s,
                         struct sim_err *err)
{
    size_t bad = find_binary_byte(line, len);
    if (bad < len) {
        return sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: not a text file (byte 0x%02x)", r->path,
                           r->line, bad + 1, (unsigned)(unsigned char)line[bad]);
    }
    lo->sep = memchr(line, ',', len) == NULL && memchr(line, '\t', len) != NULL ? '\t' : ',';
    size_t n_cells = 0, pos = 0, ts_idx = SIZE_MAX;
    bool more = true, first_is_value = false;
    struct cell c;
    while (next_cell(line, len, &pos, lo->sep, &more, &c)) {
        if (n_cells == 0) {
            first_is_value = cell_is_value(&c, kind);
        }
        if (column != NULL && c.len == strlen(column) && memcmp(c.p, column, c.len) == 0) {
            lo->col_idx = n_cells;
            lo->has_header = true;
            snprintf(s->column, sizeof s->column, "%s", column);
            return SIM_OK;
        }
        if (column == NULL && kind == VALUE_TIMESTAMP && c.len == 2 && memcmp(c.p, "ts", 2) == 0) {
            ts_idx = n_cells;
        }
        n_cells++;
    }
    char names[256];
    list_columns(line, len, lo->sep, names, sizeof names);
    if (column != NULL) {
        if (first_is_value) {
            return sim_err_set(err, SIM_EINVAL,
                               "%s:%lu:1: no header row, so no column '%s' (the first line holds "
                               "values; name no column)",
                               r->path, r->line, column);
        }
        return sim_err_set(err, SIM_EINVAL, "%s:%lu:1: no column '%s' (columns: %s)", r->path,
                           r->line, column, names);
    }
    if (ts_idx != SIZE_MAX) {
        lo->has_header = true;
        lo->col_idx = ts_idx;
        snprintf(s->column, sizeof s->column, "ts");
        return SIM_OK;
    }
    if (first_is_value) {
        lo->has_header = false;
        lo->col_idx = 0;
        return SIM_OK;
    }
    double t;
    size_t col;
    if (kind == VALUE_TIMESTAMP && find_access_log_time(line, len, &t, &col)) {
        lo->has_header = false;
        lo->find_in_line = true;
        return SIM_OK;
    }
    if (n_cells > 1) {
        return sim_err_set(err, SIM_EINVAL,
                           "%s:%lu:1: several columns (%s); choose one with --column NAME", r->path,
                           r->line, names);
    }
    /* One cell that is not a value: a one-word header such as "latency_ms". */
    lo->has_header = true;
    lo->col_idx = 0;
    snprintf(s->column, sizeof s->column, "%.*s", (int)(sizeof s->column - 1), names);
    return SIM_OK;
}

static void push(struct samples *s, size_t *cap, double v)
{
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 4096;
        s->x = sim_xreallocarray(s->x, *cap, sizeof *s->x);
    }
    s->x[s->n++] = v;
}

static int read_values(struct samples *s, const char *path, const char *column,
                       const struct samples_unit *unit, enum value_kind kind, struct sim_err *err)
{
    *s = (struct samples){0};
    struct reader r;
    int rc = reader_open(&r, path, err);
    if (rc != SIM_OK) {
        return rc;
    }
    struct layout lo = {0};
    bool have_layout = false;
    size_t cap = 0;
    const char *line;
    size_t len;
    const char *what = "value";
    if (kind == VALUE_SAMPLE && unit != NULL) {
        what = unit->kind == SAMPLES_UNIT_TIME   ? "duration"
               : unit->kind == SAMPLES_UNIT_SIZE ? "size"
                                                 : "value";
    }
    double scale = unit != NULL ? unit->scale : 1.0;
    const char *col_name = NULL;
    while ((rc = reader_next(&r, &line, &len, err)) == 1) {
        size_t lead = 0;
        while (lead < len && is_blank(line[lead])) {
            lead++;
        }
        if (lead == len || line[lead] == '#') {
            continue;
        }
        if (!have_layout) {
            have_layout = true;
            if (layout_detect(&lo, &r, line, len, column, kind, s, err) != SIM_OK) {
                rc = -1;
                break;
            }
            col_name = s->column;
            if (lo.has_header) {
                continue;
            }
        }
        double v;
        struct cell c;
        if (lo.find_in_line) {
            size_t col;
            if (!find_access_log_time(line, len, &v, &col)) {
                sim_err_set(err, SIM_EINVAL,
                            "%s:%lu:1: no access-log time [DD/Mon/YYYY:HH:MM:SS +ZZZZ] in the line",
                            path, r.line);
                rc = -1;
                break;
            }
            push(s, &cap, v);
            continue;
        }
        size_t n_cells = 0;
        if (!cell_at(line, len, lo.sep, lo.col_idx, &c, &n_cells)) {
            sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: row has %zu cells, column '%s' is cell %zu",
                        path, r.line, len + 1, n_cells, col_name, lo.col_idx + 1);
            rc = -1;
            break;
        }
        char shown[48];
        const char *in_col = col_name[0] ? "column '" : "";
        const char *in_col_end = col_name[0] ? "': " : "";
        if (kind == VALUE_TIMESTAMP) {
            if (!parse_timestamp(c.p, c.len, &v)) {
                cell_show(&c, shown, sizeof shown);
                sim_err_set(err, SIM_EINVAL,
                            "%s:%lu:%zu: %s%s%snot a timestamp (got '%s', expected seconds, ISO "
                            "8601 or [DD/Mon/YYYY:HH:MM:SS +ZZZZ])",
                            path, r.line, c.col, in_col, col_name, in_col_end, shown);
                rc = -1;
                break;
            }
            push(s, &cap, v);
            continue;
        }
        enum num_status ns = parse_number(c.p, c.len, &v);
        if (ns != NUM_OK) {
            cell_show(&c, shown, sizeof shown);
            size_t bad = find_binary_byte(c.p, c.len);
            if (bad < c.len) {
                sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: not a text file (byte 0x%02x)", path,
                            r.line, c.col + bad, (unsigned)(unsigned char)c.p[bad]);
            } else if (ns == NUM_EMPTY) {
                sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: %s%s%sempty cell (expected a number)",
                            path, r.line, c.col, in_col, col_name, in_col_end);
            } else if (ns == NUM_RANGE) {
                sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: %s%s%snumber out of range (got '%s')",
                            path, r.line, c.col, in_col, col_name, in_col_end, shown);
            } else {
                sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: %s%s%snot a number (got '%s')", path,
                            r.line, c.col, in_col, col_name, in_col_end, shown);
            }
            rc = -1;
            break;
        }
        if (v < 0.0) {
            cell_show(&c, shown, sizeof shown);
            sim_err_set(err, SIM_EINVAL, "%s:%lu:%zu: %s%s%snegative %s (got %s)", path, r.line,
                        c.col, in_col, col_name, in_col_end, what, shown);
            rc = -1;
            break;
        }
        push(s, &cap, v * scale + 0.0); /* + 0.0 turns -0 into +0 for the radix sort */
    }
    reader_close(&r);
    if (rc == 0 && s->n == 0) {
        if (!have_layout) {
            sim_err_set(err, SIM_EINVAL, "%s:1:1: empty file (no samples)", path);
        } else {
            sim_err_set(err, SIM_EINVAL, "%s:%lu:1: no samples after the header", path,
                        r.line + (r.line == 0));
        }
        rc = -1;
    }
    if (rc != 0) {
        samples_fini(s);
        return err && err->code ? err->code : SIM_EINVAL;
    }
    return SIM_OK;
}

int samples_read(struct samples *s, const char *path, const char *column,
                 const struct samples_unit *unit, struct sim_err *err)
{
    return read_values(s, path, column, unit, VALUE_SAMPLE, err);
}

int samples_read_timestamps(struct samples *s, const char *path, const char *column,
                            struct sim_err *err)
{
    int rc = read_values(s, path, column, NULL, VALUE_TIMESTAMP, err);
    if (rc == SIM_OK) {
        samples_sort(s->x, s->n);
    }
    return rc;
}

void samples_fini(struct samples *s)
{
    free(s->x);
    s->x = NULL;
    s->n = 0;
}

/* ---- sorting -------------------------------------------------------------------------- */

/* Maps a double to a key whose unsigned order is the numeric order: flip all bits of a
 * negative number, only the sign bit of a positive one. */
static uint64_t sort_key(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double key_value(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* LSD radix sort, 4 passes of 16 bits, skipping a pass when all keys share those bits (common:
 * samples of one magnitude share the exponent bits).  O(n) time, n words of scratch. */
void samples_sort(double *x, size_t n)
{
    if (n < 2) {
        return;
    }
    uint64_t *a = sim_xmalloc(n * sizeof *a);
    uint64_t *b = sim_xmalloc(n * sizeof *b);
    size_t *count = sim_xcalloc(4 * 65536, sizeof *count);
    for (size_t i = 0; i < n; i++) {
        a[i] = sort_key(x[i]);
        for (int pass = 0; pass < 4; pass++) {
            count[pass * 65536 + ((a[i] >> (16 * pass)) & 0xffff)]++;
        }
    }
    for (int pass = 0; pass < 4; pass++) {
        size_t *c = count + pass * 65536;
        if (c[(a[0] >> (16 * pass)) & 0xffff] == n) {
            continue; /* every key has the same digit here */
        }
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) {
            b[c[(a[i] >> (16 * pass)) & 0xffff]++] = a[i];
        }
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = key_value(a[i]);
    }
    free(a);
    free(b);
    free(count);
}
