/* The smallest spec: no body, no Date, default pools.  Only compiled. */
#define TR_CONNECTIONS 1000
#define TR_BODY_MAX 0
#define TR_DATE 0
