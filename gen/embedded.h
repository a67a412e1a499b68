/* embedded.h - the templates and runtime sources built into the generator. */
#ifndef EMBEDDED_H
#define EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;            /* relative to the source tree: "templates/x.in" */
    const unsigned char *data;   /* NUL-terminated */
    size_t len;
};

/* Ends with an entry whose name is NULL. */
extern const struct embedded_file embedded_files[];

/* The file named `name`, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
