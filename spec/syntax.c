/*
 * syntax.c - what the grammar (grammar.y) calls besides the model: the
 * values of the setting or option being parsed, the message for a syntax
 * error, and the choice of who reads a setting or an option (the model, or
 * the assets for `type`, `cache` and a mount line's options), so that the
 * model never calls the layers built on it.
 */
#include <stdio.h>
#include <string.h>

#include "gen.h"
#include "grammar.h"
#include "parse.h"

static const char *describe(int major, const struct token *t, char *tmp, size_t n)
{
    switch (major) {
    case 0: return "end of file";
    case TK_NL: return "end of line";
    case TK_COMMA: return "','";
    case TK_EQ: return "'='";
    case TK_SLASH: return "'/'";
    case TK_PSLASH: return "'/'";
    case TK_QUESTION: return "'?'";
    case TK_AMP: return "'&'";
    default:
        snprintf(tmp, n, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
        return tmp;
    }
}

/* What the parser expected, in words, given what came before.  lemon gives
 * no expected-token set, so the message names the token found and the
 * shape of a line, which is what a reader needs to fix it. */
void spec_syntax_error(struct gen *g, const struct token *t, int major)
{
    char tmp[64];
    struct loc at = t->loc;

    if (g->diag.last_error_line == at.line)
        return;                 /* this line already has its message */
    g->diag.last_error_line = at.line;
    int adjacent = g->prev_end == t->s;
    if ((major == TK_PARAM || major == TK_LITERAL) && adjacent &&
        (g->prev_kind == TK_PARAM || g->prev_kind == TK_LITERAL)) {
        diag_error(&g->diag, at, t->len,
                   "a path segment is literal text or one parameter, not both");
        return;
    }
    if (major == TK_SLASH && adjacent && (g->prev_kind == TK_SLASH || g->prev_kind == TK_PSLASH)) {
        diag_error(&g->diag, at, 1, "empty path segment: only the last segment may be empty");
        return;
    }
    if (g->cur.action == ACTION_ASSET && (major == TK_NL || major == 0)) {
        diag_error(&g->diag, at, 1, "a mount names its directory after the path: mount /ui/ \"www\"");
        return;
    }
    if (g->cur.pat_start && !g->cur.handler && (major == TK_NL || major == 0)) {
        /* The methods are not reduced yet: they are the line's first word. */
        const char *m = g->cur.pat_start, *m_end;
        while (m > g->diag.src && m[-1] != '\n')
            m--;
        while (*m == ' ' || *m == '\t')
            m++;
        for (m_end = m; *m_end != ' ' && *m_end != '\t' && m_end < g->cur.pat_start; m_end++)
            ;
        diag_error(&g->diag, at, 1, "route '%.*s %.*s' has no handler: write its name after the path",
                   (int)(m_end - m), m, (int)(g->cur.pat_end - g->cur.pat_start), g->cur.pat_start);
        return;
    }
    if (major == TK_PSLASH && g->cur.pat_start && !g->cur.handler) {
        diag_error(&g->diag, at, t->len, "a path holds no blanks: this '/' starts a second path");
        return;
    }
    diag_error(&g->diag, at, major == TK_NL || major == 0 ? 1 : t->len,
               "syntax error: unexpected %s; a line is a setting "
               "('NAME VALUE...') or a route ('METHOD[,METHOD] /path handler [option[=value]]...')",
               describe(major, t, tmp, sizeof tmp));
}

void g_value(struct gen *g, const struct token *t)
{
    if (g->nvalues < (int)(sizeof g->values / sizeof g->values[0]))
        g->values[g->nvalues++] = *t;
    else
        g->values_dropped = 1;
}

const struct token *g_values(struct gen *g)
{
    return g->values;
}

int g_nvalues(struct gen *g)
{
    return g->nvalues;
}


void g_setting(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    if (!assets_setting(g, key, vals, nvals) &&  /* type and cache: any number */
        !errors_setting(g, key, vals, nvals))     /* error STATUS TYPE BODY */
        model_setting(g, key, vals, nvals);
}

void g_option(struct gen *g, const struct token *key, const struct token *vals, int nvals)
{
    if (cors_option(g, key, vals, nvals)) {     /* an option of a cors line */
        g->nvalues = 0;
        g->values_dropped = 0;
    } else if (!assets_option(g, key, vals, nvals)) {   /* of a mount line */
        model_option(g, key, vals, nvals);
    }
}
