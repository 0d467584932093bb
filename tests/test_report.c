/* SPDX-License-Identifier: MIT
 *
 * test_report.c - `proxysim report` end to end on a small fixed-seed run.
 *
 *   golden     report_data.csv (every number behind every chart and table)
 *              is byte-identical for 1 and 2 threads and equal to
 *              tests/golden/report_data.csv.  PROXYSIM_UPDATE_GOLDEN=1
 *              rewrites the golden file instead (then review the diff).
 *   rendering  every PNG decodes with cairo, has the size asked for, is not
 *              blank, and each time-series chart shows the first two series
 *              colours of the palette in its data area.
 *   documents  report.html has balanced tags and one inline data URI per
 *              image; every image report.md references exists.
 *   wording    the sentences a new user found wrong, to the letter: "1 design
 *              x 1 profile", the duration note only on a shortened profile,
 *              "3.56 KiB/s [2.57, 4.56]", real image names in the findings.
 *   badinput   a bad flag is one line on stderr and exit status 2.
 */
#include "cli/cli.h"
#include "models/findings.h"
#include "models/presets.h"
#include "plots/axis.h"
#include "plots/palette.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GOLDEN_CI_TARGET "0.25"
#define GOLDEN_MAX_REPS "8"
#define GOLDEN_ARGS "--profiles", "low,burst", "--designs", "legacy-reverse,bounded-target", \
                    "--reps", "3", "--ci-target", GOLDEN_CI_TARGET, "--max-reps", GOLDEN_MAX_REPS, \
                    "--max-duration", "30", "--seed", "4242", "--quiet"

static char tmp_root[256];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    if (len) {
        *len = got;
    }
    return buf;
}

static int run_report(const char *out, const char *threads)
{
    char *argv[] = {"report", GOLDEN_ARGS, "--threads", (char *)threads, "--out", (char *)out,
                    NULL};
    return cli_report((int)(sizeof argv / sizeof argv[0]) - 1, argv);
}

/* One design from a YAML file (the tutorial's my-capped.yaml) under one
 * profile that runs its own duration (high, 25 s): the counts and the
 * duration note of the header and the Method section for that case. */
static int run_one_design(void)
{
    char yaml[300], out[300];
    snprintf(yaml, sizeof yaml, "%s/my-capped.yaml", tmp_root);
    snprintf(out, sizeof out, "%s/one", tmp_root);
    FILE *f = fopen(yaml, "w");
    if (f == NULL) {
        return -1;
    }
    fputs("kind: design\nbase: refactored-hardened\nname: hardened-capped\n"
          "spawn:\n  max_tasks: 3000\n",
          f);
    if (fclose(f) != 0) {
        return -1;
    }
    char *argv[] = {"report", "--profiles", "high", "--designs", yaml, "--reps", "2",
                    "--ci-target", "0", "--seed", "4242", "--quiet", "--threads", "1", "--out",
                    out, NULL};
    return cli_report((int)(sizeof argv / sizeof argv[0]) - 1, argv);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof tmp_root, "/tmp/proxysim_test_report_XXXXXX");
    assert_non_null(mkdtemp(tmp_root));
    char a[300], b[300];
    snprintf(a, sizeof a, "%s/t1", tmp_root);
    snprintf(b, sizeof b, "%s/t2", tmp_root);
    if (run_report(a, "1") != 0 || run_report(b, "2") != 0 || run_one_design() != 0) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", tmp_root);
    }
    cairo_debug_reset_static_data();
    FcFini();
    return 0;
}

static void test_golden(void **state)
{
    (void)state;
    char a[300], b[300], golden[512];
    snprintf(a, sizeof a, "%s/t1/report_data.csv", tmp_root);
    snprintf(b, sizeof b, "%s/t2/report_data.csv", tmp_root);
    size_t la = 0, lb = 0;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    assert_non_null(da);
    assert_non_null(db);
    /* Threads change only who runs which replication, never a number. */
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);

    const char *src = getenv("PROXYSIM_SOURCE_DIR");
    snprintf(golden, sizeof golden, "%s/tests/golden/report_data.csv", src ? src : "..");
    const char *upd = getenv("PROXYSIM_UPDATE_GOLDEN");
    if (upd && strcmp(upd, "1") == 0) {
        FILE *f = fopen(golden, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(da, 1, la, f), la);
        assert_int_equal(fclose(f), 0);
        fprintf(stderr, "updated %s\n", golden);
    } else {
        size_t lg = 0;
        char *dg = slurp(golden, &lg);
        if (dg == NULL) {
            fail_msg("missing %s (PROXYSIM_UPDATE_GOLDEN=1 creates it)", golden);
        }
        /* Report the first differing line, which names chart, design and key. */
        const char *p = da, *q = dg;
        size_t line = 1;
        while (*p && *q && *p == *q) {
            line += *p == '\n';
            p++;
            q++;
        }
        if (*p || *q) {
            const char *ls = p;
            while (ls > da && ls[-1] != '\n') {
                ls--;
            }
            const char *le = strchr(ls, '\n');
            fail_msg("report_data.csv differs from %s at line %zu: got '%.*s' "
                     "(PROXYSIM_UPDATE_GOLDEN=1 to accept)",
                     golden, line, le ? (int)(le - ls) : 80, ls);
        }
        free(dg);
    }
    /* Every row has nine fields and a chart name. */
    size_t rows = 0;
    for (char *s = da; *s;) {
        char *e = strchr(s, '\n');
        assert_non_null(e);
        int commas = 0;
        for (char *c = s; c < e; c++) {
            commas += *c == ',';
        }
        assert_int_equal(commas, 8);
        rows++;
        s = e + 1;
    }
    assert_true(rows > 100);
    free(da);
    free(db);
}

static bool has_colour(cairo_surface_t *s, struct palette_rgb c, int x0, int y0, int x1, int y1)
{
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            uint32_t v = *(uint32_t *)(px + (size_t)y * (size_t)stride + (size_t)x * 4);
            unsigned r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
            if (abs((int)r - c.r) <= 2 && abs((int)g - c.g) <= 2 && abs((int)b - c.b) <= 2) {
                return true;
            }
        }
    }
    return false;
}

static void test_png(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/t1/img", tmp_root);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t n_png = 0, n_series = 0;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 4 || strcmp(de->d_name + len - 4, ".png") != 0) {
            continue;
        }
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        cairo_surface_t *s = cairo_image_surface_create_from_png(path);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            fail_msg("%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
        }
        int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
        bool series = strncmp(de->d_name, "tasks_", 6) == 0 ||
                      strncmp(de->d_name, "memory_", 7) == 0 ||
                      strncmp(de->d_name, "upstream_", 9) == 0;
        if (series || strncmp(de->d_name, "latency_", 8) == 0) {
            if (w != 1600 || h != 900) {
                fail_msg("%s: %dx%d, expected 1600x900", de->d_name, w, h);
            }
        }
        assert_true(w >= 600 && h >= 400);
        /* Not blank: more than background and a few text colours. */
        cairo_surface_flush(s);
        unsigned char *px = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        size_t non_white = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                uint32_t v = *(uint32_t *)(px + (size_t)y * (size_t)stride + (size_t)x * 4);
                non_white += (v & 0xffffff) != 0xffffff;
            }
        }
        if (non_white < (size_t)(w * h) / 400) {
            fail_msg("%s looks blank (%zu non-white samples)", de->d_name, non_white);
        }
        /* Time series with two designs: both series colours in the data
         * area (below the title, left of the legend, down to the x axis, where
         * a series near zero runs). */
        if (series && strcmp(de->d_name, "memory_diff.png") != 0) {
            for (size_t k = 0; k < 2; k++) {
                if (!has_colour(s, palette_series(k), w / 10, h / 6, w * 8 / 10, h * 93 / 100)) {
                    fail_msg("%s: series colour %zu not found in the data area", de->d_name, k);
                }
            }
            n_series++;
        }
        cairo_surface_destroy(s);
        n_png++;
    }
    closedir(d);
    assert_true(n_png >= 15);
    assert_true(n_series >= 6);
}

static const char *const void_tags[] = {"br", "img", "meta", "hr", "link", "input"};

static void test_documents(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/t1/report.html", tmp_root);
    char *html = slurp(path, NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    /* Balanced tags: a stack of open element names. */
    char stack[256][16];
    int top = 0;
    size_t n_img = 0;
    for (char *s = html; (s = strchr(s, '<')) != NULL; s++) {
        if (s[1] == '!') {
            continue;
        }
        bool closing = s[1] == '/';
        char name[16];
        size_t k = 0;
        for (char *c = s + 1 + closing; k < sizeof name - 1 && (isalnum((unsigned char)*c)); c++) {
            name[k++] = (char)tolower((unsigned char)*c);
        }
        name[k] = '\0';
        assert_true(k > 0);
        bool is_void = false;
        for (size_t v = 0; v < sizeof void_tags / sizeof *void_tags; v++) {
            is_void = is_void || strcmp(name, void_tags[v]) == 0;
        }
        if (strcmp(name, "img") == 0) {
            n_img++;
            char *src = strstr(s, "src=\"data:image/png;base64,");
            assert_true(src != NULL && src < strchr(s, '>'));
        }
        if (is_void) {
            continue;
        }
        if (closing) {
            if (top == 0 || strcmp(stack[top - 1], name) != 0) {
                fail_msg("report.html: </%s> closes <%s>", name, top ? stack[top - 1] : "nothing");
            }
            top--;
        } else {
            assert_true(top < 256);
            snprintf(stack[top++], sizeof stack[0], "%s", name);
        }
    }
    if (top != 0) {
        fail_msg("report.html: <%s> never closed", stack[top - 1]);
    }
    /* report.md: every image exists, and the HTML inlines each of them. */
    snprintf(path, sizeof path, "%s/t1/report.md", tmp_root);
    char *md = slurp(path, NULL);
    assert_non_null(md);
    size_t n_md_img = 0;
    for (char *s = md; (s = strstr(s, "![")) != NULL; s++) {
        char *open = strstr(s, "](");
        assert_non_null(open);
        char *close = strchr(open, ')');
        assert_non_null(close);
        char file[600];
        snprintf(file, sizeof file, "%s/t1/%.*s", tmp_root, (int)(close - open - 2), open + 2);
        struct stat st;
        if (stat(file, &st) != 0 || st.st_size == 0) {
            fail_msg("report.md references %s, which does not exist", file);
        }
        n_md_img++;
    }
    assert_int_equal(n_md_img, n_img);
    /* The seven sections, in order. */
    const char *sections[] = {"## 1. Summary", "## 2. Resource utilization matrix",
                              "## 3. Memory impact assessment", "## 4. Task spawning analysis",
                              "## 5. Findings", "## 6. Recommendations", "## 7. Method"};
    const char *at = md;
    for (size_t i = 0; i < 7; i++) {
        const char *f = strstr(at, sections[i]);
        if (f == NULL) {
            fail_msg("report.md: section '%s' missing or out of order", sections[i]);
        }
        at = f;
    }
    free(md);
    free(html);
}

/* The sequential procedure: per profile one replication count for every design, grown from
 * 3 where a matrix figure (not near zero) had a CI wider than the target, and then either
 * every such figure within the target or the count at its cap. */
static void test_sequential_reps(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/t1/report_data.csv", tmp_root);
    char *csv = slurp(path, NULL);
    assert_non_null(csv);
    const double target = atof(GOLDEN_CI_TARGET);
    const long cap = atol(GOLDEN_MAX_REPS);
    struct {
        char profile[32];
        long n;
        double widest;
    } prof[8];
    size_t np = 0;
    bool grown = false;
    char *save = NULL;
    for (char *ln = strtok_r(csv, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        char design[64], profile[32], key[64];
        double mean, lo, hi;
        long n;
        if (strncmp(ln, "matrix,", 7) != 0 ||
            sscanf(ln, "matrix,%63[^,],%31[^,],%63[^,],,%lf,%lf,%lf,%ld", design, profile, key,
                   &mean, &lo, &hi, &n) != 7) {
            continue;
        }
        size_t i = 0;
        while (i < np && strcmp(prof[i].profile, profile) != 0) {
            i++;
        }
        if (i == np) {
            assert_true(np < 8);
            snprintf(prof[np].profile, sizeof prof[np].profile, "%s", profile);
            prof[np].n = n;
            prof[np++].widest = 0.0;
        }
        assert_int_equal(prof[i].n, n); /* every design of a profile: the same count */
        grown |= n > 3;
        for (int c = 0; c < FC_N; c++) {
            if (strcmp(findings_cols[c].title, key) == 0 && fabs(mean) >= findings_cols[c].near_zero &&
                mean != 0.0) {
                prof[i].widest = fmax(prof[i].widest, (hi - lo) / 2.0 / fabs(mean));
            }
        }
    }
    assert_int_equal(np, 2);
    for (size_t i = 0; i < np; i++) {
        print_message("  %s: n=%ld, widest relative half-width %.3f (target %.2f, cap %ld)\n",
                      prof[i].profile, prof[i].n, prof[i].widest, target, cap);
        assert_true(prof[i].n >= 3 && prof[i].n <= cap);
        assert_true(prof[i].widest <= target + 1e-9 || prof[i].n == cap);
    }
    assert_true(grown);
    free(csv);
    /* The counts the document states are the counts that ran. */
    char want[256];
    snprintf(want, sizeof want, "over n replications (%s %ld, %s %ld)", prof[0].profile,
             prof[0].n, prof[1].profile, prof[1].n);
    snprintf(path, sizeof path, "%s/t1/report.md", tmp_root);
    char *md = slurp(path, NULL);
    assert_non_null(md);
    if (strstr(md, want) == NULL) {
        fail_msg("report.md does not say '%s'", want);
    }
    /* low stopped at the cap with its CI still wide: the Method section says so. */
    snprintf(want, sizeof want, "`%s` (n=%ld)", prof[0].profile, prof[0].n);
    assert_true(prof[0].widest <= target || strstr(md, want) != NULL);
    free(md);
}

static void expect_in(const char *doc, const char *name, const char *want)
{
    if (strstr(doc, want) == NULL) {
        fail_msg("%s does not say '%s'", name, want);
    }
}

static void expect_not_in(const char *doc, const char *name, const char *bad)
{
    const char *at = strstr(doc, bad);
    if (at != NULL) {
        const char *ls = at;
        while (ls > doc && ls[-1] != '\n') {
            ls--;
        }
        const char *le = strchr(at, '\n');
        fail_msg("%s says '%s' in '%.*s'", name, bad, le ? (int)(le - ls) : 200, ls);
    }
}

static void expect_first_line(const char *doc, const char *name, const char *want)
{
    if (strncmp(doc, want, strlen(want)) != 0) {
        const char *le = strchr(doc, '\n');
        fail_msg("%s begins '%.*s', expected '%s'", name, le ? (int)(le - doc) : 200, doc, want);
    }
}

/* The wording a new user found wrong, exactly: counts in the singular, the
 * duration note only where the report shortened the profile, a byte rate's
 * "/s" with its value (not after the CI bracket), and the findings' chart
 * column naming the real image files. */
static void test_wording(void **state)
{
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/t1/report.md", tmp_root);
    char *md = slurp(path, NULL);
    assert_non_null(md);
    expect_first_line(md, "report.md", "# proxysim review report: 2 designs x 2 profiles\n");
    expect_in(md, "report.md", "; 2 designs x 2 profiles = 4 cells.\n");
    expect_in(md, "report.md",
              "- Profile `low`: 30 s simulated, warm-up 6 s, series windows of 1 s "
              "(report-scale duration; the profile's own is 120 s, use --full-duration for "
              "it); no memory growth fit (the load changes until 60 s, too near the end).\n");

    /* low ramps its clients until 60 s, past the 30 s the test runs: no window
     * after the ramp to fit memory growth in (growth during a ramp is the load,
     * not a leak), so n/a, and the leak question is not exercised (burst is
     * transient) instead of a "problem" read off the ramp. */
    expect_in(md, "report.md", "| low / legacy-reverse | n/a |");
    expect_in(md, "report.md",
              "| Memory leaks on long-lived SSE? | not exercised | no profile with SSE streams "
              "has three windows to fit after its warm-up and its load's last change |");
    expect_not_in(md, "report.md", "memory grows at");
    expect_not_in(md, "report.md", "]/s");
    expect_not_in(md, "report.md", ")/s");
    expect_in(md, "report.md", "| img/tasks_burst.png, img/spawn_rate.png |");
    /* bounded-target removes sessions on close, sweeps them every 30 s and
     * has one pool of 100 with a 5 s acquire timeout: its store at the cap
     * under burst is a capacity concern with that cause, and nothing tells it
     * to add what it has.  legacy-reverse has neither: its causes are those. */
    expect_in(md, "report.md",
              "| Session cleanup deterministic? | concern: store cap reached; cleanup itself is "
              "deterministic | `sessions_live_peak` = 1k [1, 1] (95% CI, n=8) under `burst`;");
    expect_in(md, "report.md",
              "- Size the session store for the load (cleanup is already deterministic: removed "
              "on close, swept every 30 s): under `burst` live sessions reach the store cap of "
              "1000 (sessions.max_sessions) with ");
    expect_in(md, "report.md",
              "| Session cleanup deterministic? | problem: no removal on close and no cleanup "
              "task |");
    expect_in(md, "report.md", "| Pool exhaustion handled gracefully? | ok | `upstream_conns_peak`");
    expect_in(md, "report.md",
              "| Pool exhaustion handled gracefully? | concern: no capped shared pool |");
    const char *rec = strstr(md, "## 6. Recommendations");
    assert_non_null(rec);
    const char *bt = strstr(rec, "### bounded-target");
    assert_non_null(bt);
    expect_not_in(bt, "bounded-target's recommendations", "Remove sessions on close");
    expect_not_in(bt, "bounded-target's recommendations", "Share one capped upstream pool");
    expect_not_in(md, "report.md", "<profile>");
    expect_not_in(md, "report.md", "<design>");
    free(md);

    snprintf(path, sizeof path, "%s/one/report.md", tmp_root);
    md = slurp(path, NULL);
    assert_non_null(md);
    expect_first_line(md, "one/report.md", "# proxysim review report: 1 design x 1 profile\n");
    expect_in(md, "one/report.md", "; 1 design x 1 profile = 1 cell.\n");
    expect_in(md, "one/report.md", "### hardened-capped\n");
    /* high ramps 1,000 -> 5,000 clients until 15 s: the growth is fitted over
     * 15 s-25 s, and the evidence and the Method section say so. */
    expect_in(md, "one/report.md",
              "- Profile `high`: 25 s simulated, warm-up 5 s, series windows of 500 ms; memory "
              "growth fit 15 s-25 s, after the load's last change at 15 s.\n");
    snprintf(path, sizeof path, "%s/one/report_data.csv", tmp_root);
    char *csv = slurp(path, NULL);
    assert_non_null(csv);
    const char *key = "\nmemory_table,hardened-capped,high,memory_growth_bytes_per_s,,";
    const char *row = strstr(csv, key);
    assert_non_null(row);
    struct sim_ci g = {.n = 0};
    assert_int_equal(sscanf(row + strlen(key), "%lf,%lf,%lf,%zu", &g.mean, &g.lo, &g.hi, &g.n), 4);
    g.half = (g.hi - g.lo) / 2.0;
    char v[96], want[400];
    axis_format_ci(&g, AXIS_UNIT_BYTES_PER_S, v, sizeof v);
    assert_non_null(strstr(v, "B/s [")); /* "0.408 MiB/s [-0.507, 1.32]" */
    snprintf(want, sizeof want, "| high / hardened-capped | %s |", v);
    expect_in(md, "one/report.md", want);
    snprintf(want, sizeof want,
             "`memory_growth_bytes_per_s` = %s (95%% CI, n=%zu) under `high` (fit 15 s-25 s, "
             "after the load's last change at 15 s)",
             v, g.n);
    expect_in(md, "one/report.md", want);
    /* The SSE-leak question reads SSE memory, not the total, and says which
     * profile and window: the row's first piece of evidence. */
    key = "\nmemory_table,hardened-capped,high,sse_memory_growth_bytes_per_s,,";
    row = strstr(csv, key);
    assert_non_null(row);
    assert_int_equal(sscanf(row + strlen(key), "%lf,%lf,%lf,%zu", &g.mean, &g.lo, &g.hi, &g.n), 4);
    g.half = (g.hi - g.lo) / 2.0;
    axis_format_ci(&g, AXIS_UNIT_BYTES_PER_S, v, sizeof v);
    snprintf(want, sizeof want,
             " | `sse_memory_growth_bytes_per_s` = %s (95%% CI, n=%zu) under `high` (fit 15 s-25 "
             "s, after the load's last change at 15 s); ",
             v, g.n);
    expect_in(md, "one/report.md", want);
    expect_in(md, "one/report.md", "| Memory leaks on long-lived SSE? | ");
    expect_not_in(md, "one/report.md", "| Memory leaks on long-lived SSE? | problem");
    expect_not_in(md, "one/report.md", "]/s");
    expect_not_in(md, "one/report.md", ")/s");
    free(csv);
    /* Its own cap binds (reached: 101%, not clamped to 100%), before the review's
     * client-connection yardstick that the same cell exceeds several times over. */
    expect_in(md, "one/report.md",
              "peak tasks is 3.02k [3.02, 3.02] (95% CI, n=2), which reaches or exceeds its limit "
              "of 3k (spawn.max_tasks), at 101% of it.");
    free(md);
}

/* ---- findings on synthetic summaries: the verdicts a new user found wrong ---- */

static struct sim_ci ci_of(double mean, double half)
{
    return (struct sim_ci){mean, half, mean - half, mean + half, 8};
}

/* A summary with every metric 0 [0, 0], n=8, then the ones a case sets. */
static void zero_summary(struct exp_summary *s)
{
    memset(s, 0, sizeof *s);
    for (int m = 0; m < RM_N; m++) {
        s->metric[m] = ci_of(0.0, 0.0);
    }
    s->metric[RM_MEMORY_GROWTH_BYTES_PER_S] = ci_of(NAN, NAN);
    s->metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S] = ci_of(NAN, NAN);
    s->n_reps = 8;
}

/* bounded-target's own mechanisms (configs/designs/bounded-target.yaml):
 * sessions removed on close and swept every 30 s, one shared pool of 100 with
 * a 5 s acquire timeout, GET streams on that pool. */
static void bounded_design(struct design *d)
{
    presets_default_design(d);
    d->sessions.remove_on_close = true;
    d->sessions.cleanup_interval_s = 30.0;
    d->sessions.max_sessions = 1000.0;
    d->upstream.scope = SCOPE_SHARED;
    d->upstream.max_conns = 100.0;
    d->upstream.acquire_timeout_s = 5.0;
    d->sse.upstream_scope = SCOPE_SHARED;
}

/* Issue 1: a store at its cap in a design that removes sessions on close and
 * sweeps them is a capacity concern, never "remove sessions on close"; the
 * pool verdict follows conns 21.9 of 100, a 0 s p99 wait and 0.837 TIME_WAIT
 * sockets (ok), not the connect errors of an upstream restart. */
static void test_findings_bounded(void **state)
{
    (void)state;
    struct design d;
    bounded_design(&d);
    struct profile p;
    presets_default_profile(&p);
    p.mix.get_sse_p = 0.05;
    struct exp_summary s;
    zero_summary(&s);
    s.metric[RM_SESSIONS_LIVE_PEAK] = ci_of(1000.0, 0.0);
    s.metric[RM_SESSIONS_EVICTED_PER_S] = ci_of(17.3, 1.0);
    s.metric[RM_CLIENT_CONNS_PEAK] = ci_of(916.0, 5.0);
    s.metric[RM_UPSTREAM_CONNS_PEAK] = ci_of(21.9, 1.0);
    s.metric[RM_POOL_CONNS_PEAK] = ci_of(21.9, 1.0);
    s.metric[RM_TIME_WAIT_PEAK] = ci_of(0.837, 0.3);
    s.metric[RM_ERROR_RATE_CONNECT_ERROR] = ci_of(0.023, 0.002); /* the sse restart */
    const struct profile *pr[] = {&p};
    const struct exp_summary *ss[] = {&s};
    struct findings_answer fa[FQ_N];
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SESSIONS].verdict, FV_CONCERN);
    assert_int_equal(fa[FQ_SESSIONS].cause, FCAUSE_SESS_CAPACITY);
    assert_true(fa[FQ_SESSIONS].has_mechanism);
    bool conns_shown = false;
    for (size_t k = 0; k < fa[FQ_SESSIONS].n_ev; k++) {
        conns_shown |= fa[FQ_SESSIONS].ev[k].metric == RM_CLIENT_CONNS_PEAK;
    }
    assert_true(conns_shown);
    assert_int_equal(fa[FQ_POOL].verdict, FV_OK);
    assert_int_equal(fa[FQ_POOL].cause, FCAUSE_NONE);

    /* The same numbers without the mechanisms: the missing cleanup is the cause. */
    d.sessions.remove_on_close = false;
    d.sessions.cleanup_interval_s = INFINITY;
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SESSIONS].verdict, FV_PROBLEM);
    assert_int_equal(fa[FQ_SESSIONS].cause, FCAUSE_SESS_NO_CLEANUP);
    /* Leaked sessions: the error paths, whatever the design means to do. */
    bounded_design(&d);
    s.metric[RM_SESSIONS_LEAKED] = ci_of(4.0, 1.0);
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SESSIONS].verdict, FV_PROBLEM);
    assert_int_equal(fa[FQ_SESSIONS].cause, FCAUSE_SESS_LEAK);
}

/* The SSE-leak question reads sse_memory_growth_bytes_per_s, never the
 * total: 3 MiB/s of request backlog under high with SSE memory level is ok.
 * SSE memory growing at 28 KiB/s over 5-60 s with streams that live 10 min
 * (SSE state settles in about a lifetime, far more than half the 55 s window)
 * is "still filling", a concern; the same growth over 5 min-2 h is a problem,
 * and so is growth in a design whose trackers outlive their streams (no
 * bound), however short the window. */
static void test_findings_sse_leaks(void **state)
{
    (void)state;
    struct design d;
    bounded_design(&d);
    d.tracker.scope = TRACKER_PER_STREAM;
    d.tracker.ttl_s = 60.0;
    d.tracker.max_ids = 100.0;
    struct profile p;
    presets_default_profile(&p);
    p.mix.get_sse_p = 0.8;
    p.sse.lifetime_s = sim_dist_exponential(600.0);
    p.duration_s = 60.0;
    p.warmup_s = 5.0;
    p.transient = false;
    struct exp_summary s;
    zero_summary(&s);
    s.metric[RM_MEMORY_GROWTH_BYTES_PER_S] = ci_of(3.0 * 1048576.0, 0.05 * 1048576.0);
    s.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S] = ci_of(50.0, 80.0);
    const struct profile *pr[] = {&p};
    const struct exp_summary *ss[] = {&s};
    struct findings_answer fa[FQ_N];
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SSE_LEAKS].verdict, FV_OK);
    assert_int_equal(fa[FQ_SSE_LEAKS].ev[0].metric, RM_SSE_MEMORY_GROWTH_BYTES_PER_S);

    s.metric[RM_SSE_MEMORY_GROWTH_BYTES_PER_S] = ci_of(28.0 * 1024.0, 0.6 * 1024.0);
    assert_true(findings_sse_settle_s(&d, &p) == 600.0);
    assert_true(findings_growth_window_s(&p) == 55.0);
    assert_true(findings_sse_filling(&d, &p));
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SSE_LEAKS].verdict, FV_CONCERN);
    assert_int_equal(fa[FQ_SSE_LEAKS].cause, FCAUSE_SSE_FILLING);
    assert_true(fa[FQ_SSE_LEAKS].has_mechanism);
    assert_string_equal(findings_cause_text[FCAUSE_SSE_FILLING],
                        "still filling toward its bound; run longer");

    /* A window long enough for the fill: the growth is a leak. */
    p.duration_s = 7200.0;
    p.warmup_s = 300.0;
    assert_false(findings_sse_filling(&d, &p));
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SSE_LEAKS].verdict, FV_PROBLEM);
    assert_int_equal(fa[FQ_SSE_LEAKS].cause, FCAUSE_NONE);

    /* Trackers kept after their stream: no bound to fill toward. */
    p.duration_s = 60.0;
    p.warmup_s = 5.0;
    d.tracker.retained_after_close = true;
    assert_true(isinf(findings_sse_settle_s(&d, &p)));
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_SSE_LEAKS].verdict, FV_PROBLEM);
    assert_false(fa[FQ_SSE_LEAKS].has_mechanism);

    /* A per-session tracker fills for its TTL when that is longer than a stream. */
    d.tracker.retained_after_close = false;
    d.tracker.scope = TRACKER_PER_SESSION;
    d.tracker.ttl_s = 900.0;
    assert_true(findings_sse_settle_s(&d, &p) == 900.0);
    d.tracker.ttl_s = INFINITY;
    assert_true(isinf(findings_sse_settle_s(&d, &p)));
}

/* Issue 1 (pool) and 3: per-stream SSE clients outside a capped pool.  The
 * ports near their limit are the streams' doing (the cause says so), and the
 * cap is compared with the pool's own peak (16 of 16), never with every
 * upstream socket (86, "538% of 16"). */
static void test_findings_pool_scope(void **state)
{
    (void)state;
    struct design d;
    bounded_design(&d);
    d.upstream.max_conns = 16.0;
    d.sse.upstream_scope = SCOPE_PER_STREAM;
    struct profile p;
    presets_default_profile(&p);
    p.mix.get_sse_p = 0.05;
    struct exp_summary s;
    zero_summary(&s);
    s.metric[RM_UPSTREAM_CONNS_PEAK] = ci_of(86.0, 4.0);
    s.metric[RM_POOL_CONNS_PEAK] = ci_of(16.0, 0.0);
    const struct profile *pr[] = {&p};
    const struct exp_summary *ss[] = {&s};

    assert_true(findings_col_limit(&d, FC_POOL_CONNS).value == 16.0);
    assert_true(findings_col_limit(&d, FC_POOL_CONNS).from_design);
    assert_true(findings_share(&d, &s, FC_POOL_CONNS) == 1.0);
    assert_true(findings_col_limit(&d, FC_UPSTREAM_CONNS).value == d.upstream.ephemeral_ports);
    assert_true(findings_share(&d, &s, FC_UPSTREAM_CONNS) < 0.01);
    struct findings_binding b = findings_binding(&d, pr, ss, 1);
    assert_int_equal(b.col, FC_POOL_CONNS);
    assert_true(b.share == 1.0);
    /* A per-request client has no pool cap to compare with. */
    d.upstream.scope = SCOPE_PER_REQUEST;
    assert_true(isinf(findings_col_limit(&d, FC_POOL_CONNS).value));
    assert_true(isnan(findings_share(&d, &s, FC_POOL_CONNS)));
    d.upstream.scope = SCOPE_SHARED;

    /* Streams hold 20k sockets beside a pool of 64: the ports, from the streams. */
    d.upstream.max_conns = 64.0;
    s.metric[RM_UPSTREAM_CONNS_PEAK] = ci_of(20000.0, 100.0);
    s.metric[RM_POOL_CONNS_PEAK] = ci_of(64.0, 0.0);
    struct findings_answer fa[FQ_N];
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_POOL].verdict, FV_PROBLEM);
    assert_int_equal(fa[FQ_POOL].cause, FCAUSE_POOL_PER_STREAM);
    assert_true(fa[FQ_POOL].has_mechanism);
    /* The same sockets all in an uncapped request pool: the missing cap. */
    d.sse.upstream_scope = SCOPE_SHARED;
    d.upstream.max_conns = INFINITY;
    s.metric[RM_POOL_CONNS_PEAK] = ci_of(20000.0, 100.0);
    findings_answer_all(&d, pr, ss, 1, fa);
    assert_int_equal(fa[FQ_POOL].verdict, FV_PROBLEM);
    assert_int_equal(fa[FQ_POOL].cause, FCAUSE_POOL_NO_CAP);
}

static void test_bad_flags(void **state)
{
    (void)state;
    char *a1[] = {"report", "--reps", "1", NULL};
    char *a2[] = {"report", "--designs", "no-such-design", NULL};
    char *a3[] = {"report", "--format", "gif", NULL};
    char *a4[] = {"report", "--bogus", NULL};
    char *a5[] = {"report", "--profiles", "low,,high", NULL};
    char *a6[] = {"report", "--reps", "30", "--max-reps", "10", NULL};
    char *a7[] = {"report", "--ci-target", "-0.1", NULL};
    assert_int_equal(cli_report(3, a1), 2);
    assert_int_equal(cli_report(3, a2), 2);
    assert_int_equal(cli_report(3, a3), 2);
    assert_int_equal(cli_report(2, a4), 2);
    assert_int_equal(cli_report(3, a5), 2);
    assert_int_equal(cli_report(5, a6), 2);
    assert_int_equal(cli_report(3, a7), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_sequential_reps),
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_bad_flags),
        cmocka_unit_test(test_findings_bounded),
        cmocka_unit_test(test_findings_sse_leaks),
        cmocka_unit_test(test_findings_pool_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
