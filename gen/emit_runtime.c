/*
 * emit_runtime.c - copies of the runtime's sources, embedded in the
 * generator by cmake/embed.cmake.
 */
#include <string.h>

#include "embedded.h"
#include "emit.h"

/* Every runtime file, always: the set of file names stays the same for
 * every spec (so build systems can list them), and each feature's code
 * compiles to nothing unless tr_config.h switches it on. */
void emit_runtime(const struct emit *e)
{
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "runtime/", 8) != 0)
            continue;
        struct buf *b = output_new(e->g, "%s", f->name + 8);
        buf_put(b, f->data, f->len);
    }
}
