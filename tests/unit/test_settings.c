/* test_settings.c - the one table of settings against the runtime's
 * defaults, docs/CONFIG.md and the model. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "settings.h"

static char *slurp(const char *rel)
{
    char path[4096];
    struct buf b = { 0 };
    char chunk[4096];
    size_t n;

    snprintf(path, sizeof path, "%s/%s", TR_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    return b.data;
}

Test(settings, tr_defaults_h_has_the_tables_default_for_every_macro)
{
    char *text = slurp("runtime/tr_defaults.h");
    for (size_t i = 0; i < settings_count; i++) {
        const struct setting_def *d = &settings_table[i];
        if (!d->macro)
            continue;
        struct buf want = { 0 };
        buf_printf(&want, "#ifndef %s\n#define %s %s\n#endif\n", d->macro, d->macro, d->runtime_def);
        cr_expect_not_null(strstr(text, want.data), "runtime/tr_defaults.h lacks:\n%s", want.data);
        buf_free(&want);
    }
    free(text);
}

Test(settings, config_md_rows_are_the_tables_rows)
{
    char *text = slurp("docs/CONFIG.md");
    const char *begin = strstr(text, "<!-- settings rows:");
    const char *end = begin ? strstr(begin, "<!-- end of settings rows -->") : NULL;
    cr_assert(begin && end, "docs/CONFIG.md lost its settings-rows markers");
    begin = strchr(begin, '\n') + 1;
    struct buf want = { 0 };
    buf_puts(&want, "| macro | meaning | setting | default |\n|---|---|---|---|\n");
    for (size_t i = 0; i < settings_count; i++) {
        if (!settings_table[i].macro)
            continue;
        setting_doc_row(&settings_table[i], &want);
        buf_puts(&want, "\n");
    }
    struct buf got = { 0 };
    buf_put(&got, begin, (size_t)(end - begin));
    cr_expect_str_eq(got.data, want.data, "docs/CONFIG.md's settings rows drifted from gen/settings.h");
    buf_free(&want);
    buf_free(&got);
    free(text);
}

Test(settings, the_models_defaults_are_the_tables)
{
    struct run r;
    run_spec(&r, "GET / h\n");
    for (size_t i = 0; i < settings_count; i++) {
        const struct setting_def *d = &settings_table[i];
        if (d->kind == V_IDENT || d->kind == V_LISTEN || d->def == 0)
            continue;
        cr_expect_eq(setting_value(&r.g.set, d), d->def, "%s %s", d->key, d->sub ? d->sub : "");
    }
    cr_expect_eq(r.g.set.buffers, 16, "derived: 64 connections / 4");
    run_free(&r);
}
