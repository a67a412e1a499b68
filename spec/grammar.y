/*
 * grammar.y - the route-spec grammar (lemon input).
 *
 * A spec is a list of lines.  A line is blank, a setting
 * (`limit head 8K`), or a route (`GET,POST /items/<id:int>?<q> item body=64K`).
 * Each action hands its pieces to model.c, which records them with their
 * locations; every semantic rule lives in check.c, not here.  A syntax error
 * skips to the end of its line, so one mistake makes one message.
 */

%name spec_parser
%token_prefix TK_
%token_type { struct token }
%extra_argument { struct gen *g }

%include {
#include <assert.h>
#include <string.h>
#include "gen.h"
#include "parse.h"
}

%syntax_error {
    spec_syntax_error(g, &yyminor, yymajor);
}

%token WORD NUMBER ADDRESS COMMA EQ PSLASH SLASH PARAM LITERAL QUESTION AMP NL STRING MOUNT CORS.

spec ::= lines.

lines ::= .
lines ::= lines line.

line ::= NL.
line ::= setting NL.
line ::= route NL.
line ::= mount NL.
line ::= cors NL.
/* yyerrcnt = -1 is lemon's yyerrok: without it an error on the next line
 * would go unreported (lemon stays quiet for three shifts after one). */
line ::= error NL. { model_route_discard(g); yypParser->yyerrcnt = -1; }

setting ::= WORD(K) values. { g_setting(g, &K, g_values(g), g_nvalues(g)); }
setting ::= WORD(K). { g_setting(g, &K, NULL, 0); }

values ::= value.
values ::= values value.

value ::= WORD(T). { g_value(g, &T); }
value ::= NUMBER(T). { g_value(g, &T); }
value ::= ADDRESS(T). { g_value(g, &T); }
value ::= STRING(T). { g_value(g, &T); }
/* A typed name, as in cookie=<theme>,<visits:int> and form=<user>,<age:int>. */
value ::= PARAM(T). { g_value(g, &T); }

route ::= methods path handler options. { model_route_end(g); }

methods ::= method.
methods ::= methods COMMA method.
method ::= WORD(T). { model_method(g, &T); }

path ::= segments query.
/* PSLASH is the '/' that starts a path (after a blank), SLASH one inside
 * it: so "/a /b" is two paths, not one. */
segments ::= PSLASH(T). { model_trailing_slash(g, &T); }
segments ::= parts.
segments ::= parts SLASH(T). { model_trailing_slash(g, &T); }
parts ::= PSLASH segment.
parts ::= parts SLASH segment.
segment ::= LITERAL(T). { model_segment(g, &T); }
segment ::= PARAM(T). { model_segment(g, &T); }

query ::= .
query ::= QUESTION qparams.
qparams ::= PARAM(T). { model_query(g, &T); }
qparams ::= qparams AMP PARAM(T). { model_query(g, &T); }

handler ::= WORD(T). { model_handler(g, &T); }

options ::= .
options ::= options option.
option ::= WORD(K). { g_option(g, &K, NULL, 0); }
option ::= WORD(K) EQ optvalues. { g_option(g, &K, g_values(g), g_nvalues(g)); }
optvalues ::= value.
optvalues ::= optvalues COMMA value.

/* `mount /ui/ "www" index=index.html`: a directory served at a path
 * prefix (gen/assets.c).  MOUNT is the word `mount` first on a line. */
mount ::= mount_start path mount_dir options. { model_mount_end(g); }
mount_start ::= MOUNT(K). { model_mount_start(g, &K); }
mount_dir ::= STRING(D). { model_mount_dir(g, &D); }

/* `cors /api origins="https://router.lan" methods=PUT`: who may call the
 * routes under a prefix from another origin (gen/cors.c).  CORS is the
 * word `cors` first on a line. */
cors ::= cors_start path options. { cors_line_end(g); model_route_discard(g); }
cors_start ::= CORS(K). { cors_line_start(g, &K); }
