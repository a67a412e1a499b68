/* A spec whose only body route is streamed, raw (no multipart): the body
 * pool is one buffer of one byte.  Only compiled (check_compile.sh). */
#define TR_CONNECTIONS 64
#define TR_BODY_MAX 1
#define TR_BODY_BUFFERS 1
#define TR_DATE 0
#define TR_WITH_BODY 1
#define TR_WITH_CHUNKED 1
#define TR_WITH_STREAM 1
