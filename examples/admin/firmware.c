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
 * The offload pattern (tr.h, "the loop is shared"): a flash write can take
 * long, and the loop serves every client, so the writes are a worker
 * thread's.  Each data piece is copied into the worker's one buffer and
 * the upload pauses (TR_UPLOAD_PAUSE: nothing more is read, the client
 * waits on the TCP window) until the worker has written it; the worker's
 * eventfd wakes the loop, whose callback resumes the upload.  An upload cut
 * while the worker holds its piece is cleaned up when the piece comes back.
 * ADMIN_FLASH_DELAY_MS (for tests) makes the worker sleep so long per
 * piece, as a slow flash would.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin_routes.h"
#include "sha256.h"

#define FIRMWARE_MAX (64u << 20)
#define PIECE_MAX (16u << 10)  /* a data piece is at most a request buffer (8.5 KiB) */
#define SYNC_EVERY (256u << 10) /* fdatasync so often, as flash needs; the rest at end */

static struct {
    int fd;                  /* the .part file; -1: no upload, no piece out */
    int taking;              /* the bytes being given are the file's */
    int found;               /* multipart: the firmware part was seen */
    int failed;              /* the worker could not write a piece */
    uint64_t bytes;
    struct sha256 hash;
    char path[512], part[520];
    tr_upload *up;           /* the upload paused on the piece; NULL once cut */
    int out;                 /* the worker holds the piece */
    int worker;              /* 1 running, -1 failed to start, 0 not yet */
    int efd;                 /* the worker's answers, an eventfd: 1 written, 2 failed */
    int job;                 /* the loop's, a blocking eventfd: the piece is the worker's */
    unsigned delay_ms;       /* ADMIN_FLASH_DELAY_MS */
    size_t len;              /* the piece's bytes */
    int sync;                /* ... and fdatasync after them */
} fw = { .fd = -1 };
/* The worker's one buffer: the piece it writes (in .bss, not fw's .data). */
static char piece[PIECE_MAX];

/* The worker thread: writes each piece it is given, then says how it went.
 * The two eventfds order the hand-overs: the piece and fw's job fields are
 * the worker's from its read of job to its write of efd, else the loop's. */
static void *flash_worker(void *arg)
{
    uint64_t r;
    (void)arg;
    for (;;) {
        if (read(fw.job, &r, sizeof r) != sizeof r)
            continue;        /* EINTR */
        /* A file takes the whole piece or fails (the disk is full); no
         * signal interrupts this thread (it has them blocked). */
        r = write(fw.fd, piece, fw.len) == (ssize_t)fw.len && !(fw.sync && fdatasync(fw.fd) != 0) ? 1 : 2;
        if (fw.delay_ms)
            usleep(fw.delay_ms * 1000u);
        while (write(fw.efd, &r, sizeof r) < 0 && errno == EINTR)
            ;
    }
    return NULL;
}

/* The piece is back (on the loop's thread): resume, or finish a cut upload. */
static void flash_done(int efd, unsigned events, void *arg)
{
    uint64_t r;
    (void)events;
    (void)arg;
    if (read(efd, &r, sizeof r) != sizeof r)
        return;
    fw.out = 0;
    fw.failed |= r != 1;
    if (fw.up) {
        tr_upload_resume(fw.up);
        return;
    }
    close(fw.fd);            /* cut while the worker wrote: end left this */
    unlink(fw.part);
    fw.fd = -1;
}

/* Starts the worker (at the first upload; it runs as long as the
 * process): 1, or -1 (uploads then answer 500).  Started from the loop, it
 * inherits the loop's blocked signals, so SIGTERM still reaches the
 * server's signalfd. */
static int flash_start(void)
{
    pthread_t t;
    const char *delay = getenv("ADMIN_FLASH_DELAY_MS");
    fw.delay_ms = delay ? (unsigned)atoi(delay) : 0;
    fw.job = eventfd(0, EFD_CLOEXEC);
    fw.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fw.job < 0 || fw.efd < 0 || tr_loop_fd(fw.efd, TR_READABLE, flash_done, NULL) != 0)
        return -1;
    return pthread_create(&t, NULL, flash_worker, NULL) == 0 ? 1 : -1;
}

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
    if (fw.worker == 0)
        fw.worker = flash_start();
    if (fw.worker < 0)
        return 500;
    if (!dir || !*dir)
        dir = "/tmp/admin";
    mkdir(dir, 0755);
    snprintf(fw.path, sizeof fw.path, "%s/firmware.bin", dir);
    snprintf(fw.part, sizeof fw.part, "%s.part", fw.path);
    fw.fd = open(fw.part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fw.fd < 0)
        return 500;
    fw.bytes = 0;
    fw.found = fw.failed = 0;
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
    if (!fw.taking || len == 0)
        return 0;
    if (fw.failed)
        return 507;          /* the last piece could not be written */
    if (fw.bytes + len > FIRMWARE_MAX)
        return 413;
    if (len > sizeof piece)
        return 500;          /* a request buffer larger than PIECE_MAX */
    sha256_update(&fw.hash, data, len);
    fw.sync = (fw.bytes + len) / SYNC_EVERY != fw.bytes / SYNC_EVERY; /* a boundary crossed */
    fw.bytes += len;
    memcpy(piece, data, len);
    fw.len = len;
    fw.up = up;
    uint64_t one = 1;
    if (write(fw.job, &one, sizeof one) != sizeof one)
        return 500;
    fw.out = 1;
    return TR_UPLOAD_PAUSE;  /* the worker's now: flash_done resumes */
}

void admin_firmware_end(tr_res *res, tr_upload *up, int how)
{
    unsigned char digest[32];
    char hex[65], line[128];
    int missing = up->multipart && !fw.found;
    int ok = how == TR_UPLOAD_DONE && !missing && !fw.failed;
    fw.up = NULL;
    if (fw.out)
        return;              /* cut while the worker writes: flash_done cleans up */
    /* The last bytes since a sync: a short wait, before the rename. */
    ok = ok && fsync(fw.fd) == 0;
    close(fw.fd);
    fw.fd = -1;
    if (!ok || rename(fw.part, fw.path) != 0) {
        unlink(fw.part);
        if (res)
            json_error(res, missing ? 400 : 500, missing ? "no part named firmware" : "cannot store the image");
        return;
    }
    sha256_final(&fw.hash, digest);
    sha256_hex(digest, hex);
    snprintf(line, sizeof line, "{\"bytes\": %llu, \"sha256\": \"%s\"}", (unsigned long long)fw.bytes, hex);
    tr_res_content_type(res, "application/json");
    tr_res_puts(res, line);
}
