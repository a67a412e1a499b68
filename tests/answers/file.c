/*
 * file.c - the handlers of file.routes: /f/NAME sends $FILE_DIR/NAME with
 * its Range (tr_res_file_range), /whole/NAME all of it (tr_res_file);
 * /notices counts the completion calls.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_routes.h"

static unsigned complete, incomplete;

static void done(void *arg, int ok)
{
    (void)arg;
    if (ok)
        complete++;
    else
        incomplete++;
}

/* Opens $FILE_DIR/NAME (NAME of [a-z0-9.] only); -1 answered 404. */
static int open_file(tr_res *res, tr_str name, struct stat *st)
{
    char path[512];
    for (size_t i = 0; i < name.len; i++) {
        char ch = name.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.'))
            name.len = 0;
    }
    snprintf(path, sizeof path, "%s/%.*s", getenv("FILE_DIR"), (int)name.len, name.ptr);
    int fd = name.len ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0 && fstat(fd, st) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    tr_res_status(res, 404);
    return -1;
}

void file_get(tr_res *res, tr_str name, tr_str range, tr_str if_range)
{
    struct stat st;
    int fd = open_file(res, name, &st);
    if (fd >= 0)
        tr_res_file_range(res, fd, (uint64_t)st.st_size, range, if_range, done, NULL);
}

void file_whole(tr_res *res, tr_str name)
{
    struct stat st;
    int fd = open_file(res, name, &st);
    if (fd >= 0)
        tr_res_file(res, fd, 0, (uint64_t)st.st_size, done, NULL);
}

void file_notices(tr_res *res)
{
    tr_res_puts(res, "complete=");
    tr_res_int(res, complete);
    tr_res_puts(res, " incomplete=");
    tr_res_int(res, incomplete);
}
