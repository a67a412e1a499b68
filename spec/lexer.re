/*
 * lexer.re - the route-spec lexer (re2c input).
 *
 * Two start conditions: INIT for settings, methods, handler names and
 * options; PATH from the '/' that starts a route's pattern to the next
 * blank, where '/', '<...>', '?' and '&' are tokens and the rest of a
 * segment is literal text (checked later, so that a bad character gets a
 * caret of its own).  The input must end with a NUL sentinel.
 */
#include <string.h>

#include "gen.h"
#include "grammar.h"
#include "lexer.h"

/*!re2c
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = "lx->cur";
    re2c:define:YYMARKER = "lx->mar";
    re2c:define:YYGETCONDITION = "lx->cond";
    re2c:define:YYSETCONDITION = "lx->cond = @@;";
    re2c:yyfill:enable = 0;

    word    = [A-Za-z_][A-Za-z0-9_.-]*;
    number  = [0-9]+ [A-Za-z]*;
    octet   = [0-9]{1,3};
    ipv4    = octet "." octet "." octet "." octet;
    port    = [0-9]+;
    address = (ipv4 | "[" [0-9A-Fa-f:.]+ "]")? ":" port;
    blank   = [ \t]+;
    eol     = "\r"? "\n";
    comment = "#" [^\n\x00]*;
    param   = "<" [^<>\n\x00 \t\r]* ">";
    literal = [^/<>?&\n\x00 \t\r]+;
    string  = ["] [^"\n\x00\r]* ["];
*/

enum { yycINIT, yycPATH };

static struct loc loc_of(const struct spec_lexer *lx, const unsigned char *p)
{
    struct loc l = { lx->line, (uint32_t)(p - lx->line_start) + 1 };
    return l;
}

static int token(struct spec_lexer *lx, struct token *t, int kind)
{
    t->kind = kind;
    t->s = (const char *)lx->tok;
    t->len = (uint32_t)(lx->cur - lx->tok);
    t->loc = loc_of(lx, lx->tok);
    return kind;
}

/* `mount` and `cors` are keywords only as a line's first word, so they
 * stay free as handler names or options' values. */
static int first_on_line(const struct spec_lexer *lx)
{
    for (const unsigned char *p = lx->line_start; p < lx->tok; p++)
        if (*p != ' ' && *p != '\t')
            return 0;
    return 1;
}

static void new_line(struct spec_lexer *lx)
{
    lx->line++;
    lx->line_start = lx->cur;
}

/* Reports a lexical error at the token start and skips to the line's end,
 * so the parser sees only the newline and says nothing more of this line.
 * A %s in the message stands for the offending byte, shown as 'c' or as
 * "byte 0xNN". */
static void lex_error(struct spec_lexer *lx, const char *fmt)
{
    unsigned char c = *lx->tok;
    char shown[16];

    if (c >= 0x21 && c < 0x7f)
        snprintf(shown, sizeof shown, "'%c'", c);
    else
        snprintf(shown, sizeof shown, "byte 0x%02x", c);
    diag_error(lx->diag, loc_of(lx, lx->tok), 1, fmt, shown, c);
    lx->diag->last_error_line = lx->line;
    while (*lx->cur != '\n' && lx->cur < lx->end)
        lx->cur++;
    lx->cond = yycINIT;
}

void spec_lexer_init(struct spec_lexer *lx, struct diag *d)
{
    memset(lx, 0, sizeof *lx);
    lx->diag = d;
    lx->cur = (const unsigned char *)d->src;
    lx->end = lx->cur + d->src_len;
    lx->line = 1;
    lx->line_start = lx->cur;
    lx->cond = yycINIT;
}

int spec_lex(struct spec_lexer *lx, struct token *t)
{
    for (;;) {
        lx->tok = lx->cur;
        /*!re2c
            <INIT> blank | comment  { continue; }
            <INIT> eol      { token(lx, t, TK_NL); new_line(lx); return TK_NL; }
            <INIT> "mount"  { return token(lx, t, first_on_line(lx) ? TK_MOUNT : TK_WORD); }
            <INIT> "cors"   { return token(lx, t, first_on_line(lx) ? TK_CORS : TK_WORD); }
            <INIT> word     { return token(lx, t, TK_WORD); }
            <INIT> string   { return token(lx, t, TK_STRING); }
            <INIT> ["] [^"\n\x00]*
                            { lex_error(lx, "unterminated string: no '\"' closes this %s"); continue; }
            <INIT> number   { return token(lx, t, TK_NUMBER); }
            <INIT> address  { return token(lx, t, TK_ADDRESS); }
            <INIT> ","      { return token(lx, t, TK_COMMA); }
            <INIT> "="      { return token(lx, t, TK_EQ); }
            <INIT> "/" => PATH { return token(lx, t, TK_PSLASH); }
            <INIT> param    { return token(lx, t, TK_PARAM); }
            <INIT> "\r"     { lex_error(lx, "stray carriage return (%s): lines end in LF or CRLF"); continue; }

            <PATH> "/"      { return token(lx, t, TK_SLASH); }
            <PATH> param    { return token(lx, t, TK_PARAM); }
            <PATH> "<" [^<>\n\x00 \t\r]*
                            { lex_error(lx, "unterminated parameter: no '>' closes this %s"); continue; }
            <PATH> literal  { return token(lx, t, TK_LITERAL); }
            <PATH> "?"      { return token(lx, t, TK_QUESTION); }
            <PATH> "&"      { return token(lx, t, TK_AMP); }
            <PATH> ">"      { lex_error(lx, "unexpected %s in a path: a parameter is <name>, a literal '>' is %%3E"); continue; }
            <PATH> blank => INIT { continue; }
            <PATH> eol => INIT { token(lx, t, TK_NL); new_line(lx); return TK_NL; }
            <PATH> "\r"     { lex_error(lx, "stray carriage return (%s): lines end in LF or CRLF"); continue; }

            <*> "\x00" {
                if (lx->tok == lx->end) {
                    lx->cur = lx->tok;
                    return token(lx, t, 0);
                }
                lex_error(lx, "unexpected NUL byte in the spec");
                continue;
            }
            <INIT> [\x80-\xff] { lex_error(lx, "non-ASCII %s outside a path (in a path, write it percent-encoded as %%%02X)"); continue; }
            <*> *           { lex_error(lx, "unexpected %s"); continue; }
        */
    }
}
