/* A spec with a streamed multipart route beside a buffered body route.
 * Only compiled (check_compile.sh), and the splitter's unit test. */
#define TR_CONNECTIONS 64
#define TR_BODY_MAX 1024
#define TR_BODY_BUFFERS 2
#define TR_DATE 0
#define TR_DECLARED_HEADERS 1
#define TR_WITH_BODY 1
#define TR_WITH_CHUNKED 1
#define TR_WITH_STREAM 1
#define TR_WITH_MULTIPART 1
#define TR_CONTENT_TYPE_FIELD 0
