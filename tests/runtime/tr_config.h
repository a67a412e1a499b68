/*
 * tr_config.h for the runtime's unit and loop tests: tiny pools and
 * limits so that every limit is easy to hit, and short timeouts.
 */
#ifndef TR_CONFIG_H
#define TR_CONFIG_H

#define TR_CONNECTIONS 8
#define TR_BUFFERS 2
#define TR_REQUEST_LINE_MAX 128
#define TR_HEAD_MAX 512
#define TR_FIELDS_MAX 8
#define TR_OUT_MAX 1024
#define TR_BODY_MAX 256
#define TR_BODY_BUFFERS 1
#define TR_HEAD_TIMEOUT_MS 300
#define TR_BODY_TIMEOUT_MS 300
#define TR_IDLE_TIMEOUT_MS 600
#define TR_STOP_TIMEOUT_MS 1000
#define TR_DATE 1
#define TR_DECLARED_HEADERS 0
#define TR_MAX_PARAMS 0
#define TR_LEX_TAGS 0
#define TR_WITH_BODY 1
#define TR_WITH_CHUNKED 1
#define TR_CHUNK_LINE_MAX 32
#define TR_TRAILER_MAX 64

#endif
