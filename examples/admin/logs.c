/*
 * logs.c - GET /api/logs: $ADMIN_DIR/log.txt (default /tmp/admin) as
 * text/plain, whole or the byte range asked for (Range: 206, 416), of any
 * size: the runtime sends it from the descriptor (sendfile(2); over HTTPS
 * read into its buffer and encrypted), so a 64 MiB log to a slow reader
 * costs no memory, and closes the descriptor when it is done or the
 * client is gone.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin_routes.h"

void admin_log_file(tr_res *res, tr_str range, tr_str if_range, uint64_t auth)
{
    char path[512];
    const char *dir = getenv("ADMIN_DIR");
    struct stat st;
    (void)auth;
    snprintf(path, sizeof path, "%s/log.txt", dir && *dir ? dir : "/tmp/admin");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        tr_res_status(res, 404);
        tr_res_content_type(res, "application/json");
        tr_res_puts(res, "{\"error\": \"no log.txt\"}");
        return;
    }
    tr_res_content_type(res, "text/plain; charset=utf-8");
    tr_res_file_range(res, fd, (uint64_t)st.st_size, range, if_range, NULL, NULL);
}
