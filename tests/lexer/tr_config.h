/*
 * tr_config.h for the lexer tests: small limits so that every limit can be
 * reached by a short test string, and two declared headers
 * (Authorization = 0, If-None-Match = 1; see declared_headers.re).
 */
#ifndef TR_CONFIG_H
#define TR_CONFIG_H

#define TR_REQUEST_LINE_MAX 100
#define TR_HEAD_MAX 1024
#define TR_FIELDS_MAX 16
#define TR_DECLARED_HEADERS 2

#endif /* TR_CONFIG_H */
