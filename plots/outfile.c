/* SPDX-License-Identifier: MIT */
#include "plots/outfile.h"

#include "sim/check.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(struct outfile *out)
{
    free(out->path);
    free(out->tmp_path);
    out->path = NULL;
    out->tmp_path = NULL;
    out->fp = NULL;
}

int outfile_open(struct outfile *out, const char *path, struct sim_err *err)
{
    SIM_REQUIRE(out != NULL && path != NULL);
    memset(out, 0, sizeof(*out));
    if (path[0] == '\0') {
        return sim_err_set(err, SIM_EINVAL, "output path is empty");
    }
    size_t len = strlen(path);
    out->path = sim_xstrdup(path);
    out->tmp_path = sim_xmalloc(len + sizeof(".tmpXXXXXX"));
    memcpy(out->tmp_path, path, len);
    memcpy(out->tmp_path + len, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        int e = errno;
        sim_err_set(err, SIM_EIO, "%s: cannot create a temporary file: %s", path, strerror(e));
        release(out);
        return SIM_EIO;
    }
    /* mkstemp makes the file 0600; a chart is meant to be shared like any
     * file the user creates, so give it the usual 0644 (reading the umask
     * would mean setting it, which is process-wide state). */
    (void)fchmod(fd, 0644);
    out->fp = fdopen(fd, "wb");
    if (out->fp == NULL) {
        int e = errno;
        close(fd);
        unlink(out->tmp_path);
        sim_err_set(err, SIM_EIO, "%s: %s", path, strerror(e));
        release(out);
        return SIM_EIO;
    }
    return SIM_OK;
}

int outfile_commit(struct outfile *out, struct sim_err *err)
{
    SIM_REQUIRE(out != NULL && out->fp != NULL);
    /* ferror catches a write that failed earlier and was not checked (the
     * table writers print through fprintf); fclose catches the final flush. */
    bool failed = ferror(out->fp) != 0;
    int e = failed ? EIO : 0;
    if (fclose(out->fp) != 0 && !failed) {
        failed = true;
        e = errno;
    }
    out->fp = NULL;
    if (!failed && rename(out->tmp_path, out->path) != 0) {
        failed = true;
        e = errno;
    }
    if (failed) {
        unlink(out->tmp_path);
        sim_err_set(err, SIM_EIO, "%s: write failed: %s", out->path, strerror(e));
        release(out);
        return SIM_EIO;
    }
    release(out);
    return SIM_OK;
}

int outfile_commit_all(struct outfile *outs, size_t n, struct sim_err *err)
{
    int rc = SIM_OK;
    for (size_t i = 0; i < n && rc == SIM_OK; i++) {
        struct stat st;
        if (fflush(outs[i].fp) != 0 || ferror(outs[i].fp)) {
            rc = sim_err_set(err, SIM_EIO, "%s: write failed: %s", outs[i].path, strerror(errno));
        } else if (stat(outs[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = sim_err_set(err, SIM_EIO, "%s: is a directory", outs[i].path);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (rc != SIM_OK) {
            outfile_abort(&outs[i]);
        } else {
            rc = outfile_commit(&outs[i], err);
        }
    }
    return rc;
}

void outfile_abort(struct outfile *out)
{
    SIM_REQUIRE(out != NULL);
    if (out->fp != NULL) {
        fclose(out->fp);
        unlink(out->tmp_path);
    }
    release(out);
}
