/*
 * logs.c - GET /api/logs: $ADMIN_DIR/log.txt (default /tmp/admin) as
 * text/plain, whole, of any size: streamed from the file a buffer at a
 * time (tr_res_stream with its length), so a 64 MiB log to a slow reader
 * costs the output buffer, over HTTP and HTTPS alike.  The descriptor is
 * closed when the last byte is written or the client goes away.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin_routes.h"

#define LOG_READERS 8

static int reader_fd[LOG_READERS] = { -1, -1, -1, -1, -1, -1, -1, -1 };

static long fill(void *arg, char *buf, size_t cap)
{
    int *fd = arg;
    ssize_t n = read(*fd, buf, cap);
    return n > 0 ? (long)n : n == 0 ? TR_STREAM_END : TR_STREAM_ABORT;
}

static void done(void *arg, int complete)
{
    int *fd = arg;
    (void)complete;
    close(*fd);
    *fd = -1;
}

void admin_log_file(tr_res *res, uint64_t auth)
{
    char path[512];
    const char *dir = getenv("ADMIN_DIR");
    struct stat st;
    int *slot = NULL;
    (void)auth;
    for (int i = 0; i < LOG_READERS && !slot; i++)
        if (reader_fd[i] < 0)
            slot = &reader_fd[i];
    tr_res_content_type(res, "application/json");
    if (slot == NULL) {
        tr_res_status(res, 503);
        tr_res_puts(res, "{\"error\": \"too many log downloads\"}");
        return;
    }
    snprintf(path, sizeof path, "%s/log.txt", dir && *dir ? dir : "/tmp/admin");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        tr_res_status(res, 404);
        tr_res_puts(res, "{\"error\": \"no log.txt\"}");
        return;
    }
    *slot = fd;
    tr_res_content_type(res, "text/plain; charset=utf-8");
    tr_res_stream(res, (int64_t)st.st_size, fill, done, slot);
}
