/*
 * firmware.c - POST /api/firmware of examples/admin: the body, raw
 * (application/octet-stream) or multipart/form-data from the UI's file
 * input (the file in the part named "firmware"), streamed to
 * $ADMIN_DIR/firmware.bin (default /tmp/admin) as it arrives, and hashed
 * on the way; the answer is {"bytes": N, "sha256": "<hex>"}.
 *
 * The route is `body=65M,multipart`: room for a 64 MiB file and the
 * multipart framing around it; the file itself is held to 64 MiB here
 * (413).  The bytes go to firmware.bin.part, renamed over firmware.bin
 * only once the whole body is in, so a cut upload never leaves half an
 * image where a flasher would look.  One upload at a time (409 else).
 *
 * write(2) blocks the loop while the kernel takes the bytes: fine for
 * tmpfs or a page cache; a device whose flash writes are slow would hand
 * them to a worker thread and pause the upload until it has caught up
 * (tr_upload_pause, then tr_upload_resume from the loop).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin_routes.h"
#include "sha256.h"

#define FIRMWARE_MAX (64u << 20)

static struct {
    int fd;                  /* the .part file; -1: no upload */
    int taking;              /* the bytes being given are the file's */
    int found;               /* multipart: the firmware part was seen */
    uint64_t bytes;
    struct sha256 hash;
    char path[512], part[520];
} fw = { .fd = -1 };

static void json_error(tr_res *res, int status, const char *why)
{
    tr_res_status(res, status);
    tr_res_content_type(res, "application/json");
    tr_res_puts(res, "{\"error\": \"");
    tr_res_puts(res, why);
    tr_res_puts(res, "\"}");
}

int admin_firmware_begin(tr_res *res, tr_upload *up, uint64_t auth)
{
    const char *dir = getenv("ADMIN_DIR");
    (void)auth;
    if (fw.fd >= 0) {
        tr_res_header(res, "Retry-After", "10", 2);
        return 409;          /* another upload is in progress */
    }
    if (!dir || !*dir)
        dir = "/tmp/admin";
    mkdir(dir, 0755);
    snprintf(fw.path, sizeof fw.path, "%s/firmware.bin", dir);
    snprintf(fw.part, sizeof fw.part, "%s.part", fw.path);
    fw.fd = open(fw.part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fw.fd < 0)
        return 500;
    fw.bytes = 0;
    fw.found = 0;
    fw.taking = !up->multipart; /* raw: every byte is the file */
    sha256_init(&fw.hash);
    return 0;
}

int admin_firmware_part(tr_upload *up, const tr_part *part)
{
    (void)up;
    /* The first part named "firmware" is the file; other fields are skipped. */
    fw.taking = !fw.found && part->name.len == 8 && memcmp(part->name.ptr, "firmware", 8) == 0;
    fw.found |= fw.taking;
    return 0;
}

int admin_firmware_data(tr_upload *up, const char *data, size_t len)
{
    (void)up;
    if (!fw.taking)
        return 0;
    if (fw.bytes + len > FIRMWARE_MAX)
        return 413;
    sha256_update(&fw.hash, data, len);
    fw.bytes += len;
    while (len > 0) {
        ssize_t n = write(fw.fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 507;      /* the disk is full, or failed */
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

void admin_firmware_end(tr_res *res, tr_upload *up, int how)
{
    unsigned char digest[32];
    char hex[65], line[128];
    int ok = how == TR_UPLOAD_DONE && (!up->multipart || fw.found);
    close(fw.fd);
    fw.fd = -1;
    if (!ok || rename(fw.part, fw.path) != 0) {
        unlink(fw.part);
        if (res)
            json_error(res, ok ? 500 : 400, ok ? "cannot store the image" : "no part named firmware");
        return;
    }
    sha256_final(&fw.hash, digest);
    sha256_hex(digest, hex);
    snprintf(line, sizeof line, "{\"bytes\": %llu, \"sha256\": \"%s\"}", (unsigned long long)fw.bytes, hex);
    tr_res_content_type(res, "application/json");
    tr_res_puts(res, line);
}
