/*
 * tr_tls.c - HTTPS: a pool of BearSSL server engines driven non-blocking
 * inside the epoll loop, the certificate chain and key read at start-up,
 * and a small session cache.  Only in a spec with a TLS listener
 * (TR_WITH_TLS); the program then links BearSSL (libbearssl).
 *
 * TLS 1.2 only: BearSSL 0.6 has no TLS 1.3.  Another backend would give
 * the same seven functions (tr_internal.h, "the connection's transport").
 *
 * The engines are configured by hand with only the spec's suites
 * (TR_TLS_CIPHERS, TR_TLS_KEYS), one set of curves (P-256 and X25519) and
 * the hashes those need: br_ssl_server_init_full_* would reference every
 * suite, curve and hash BearSSL has, and the linker could drop none.
 *
 * Memory per TLS connection: the engine (sizeof br_ssl_server_context),
 * a full input record (BR_SSL_BUFSIZE_INPUT: a client may send 16 KB
 * records, and curl and browsers do not negotiate a smaller maximum
 * fragment length) and an output record of TR_TLS_RECORD bytes plus 85
 * of header and tag.  The pool has TR_TLS_CONNECTIONS of them, taken at
 * accept and given back at close; an accept that finds none closes the
 * TLS connection idle longest to take its engine (tr_server.c,
 * evict_idle), and closes the newcomer only when none is idle.
 */
#include "tr_internal.h"

#if TR_WITH_TLS
#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define TR_TLS_AES128 (TR_TLS_CIPHERS & 1)
#define TR_TLS_AES256 (TR_TLS_CIPHERS & 2)
#define TR_TLS_CHACHA (TR_TLS_CIPHERS & 4)
#define TR_TLS_EC (TR_TLS_KEYS & 1)
#define TR_TLS_RSA (TR_TLS_KEYS & 2)

TR_ASSERT(TR_TLS_CIPHERS > 0 && TR_TLS_CIPHERS < 8, "TR_TLS_CIPHERS: no cipher");
TR_ASSERT(TR_TLS_KEYS > 0 && TR_TLS_KEYS < 4, "TR_TLS_KEYS: no key type");
TR_ASSERT(TR_TLS_CONNECTIONS > 0 && TR_TLS_CONNECTIONS < TR_NIL, "TR_TLS_CONNECTIONS out of range");
TR_ASSERT(TR_TLS_RECORD >= 512 && TR_TLS_RECORD <= 16384, "TR_TLS_RECORD out of range");

/* The record buffers: a whole incoming record, and outgoing ones of at
 * most TR_TLS_RECORD plaintext bytes (BearSSL's header and tag: 85). */
#define TLS_IN BR_SSL_BUFSIZE_INPUT
#define TLS_OUT (TR_TLS_RECORD + 85)

/* One engine of the pool. */
struct tls_slot {
    br_ssl_server_context sc;
    size_t owed;             /* bytes a writev took into the engine whose
                                records are not all on the socket yet */
    uint8_t up;              /* the handshake finished */
    uint8_t heard;           /* a byte of the handshake came (tr_tls_silent) */
    tr_idx next;             /* free list */
    unsigned char buf[TLS_IN + TLS_OUT];
};

/* What start-up read: the chain in DER, the key, the pool. */
static struct {
    unsigned char der[TR_TLS_DER_MAX];   /* every object decoded, end to end */
    size_t der_len;
    br_x509_certificate chain[TR_TLS_CHAIN_MAX];
    size_t chain_len;
    br_skey_decoder_context key;         /* holds the private key */
    int pem_dest_full;                   /* an object did not fit der[] */
#if TR_TLS_SESSIONS > 0
    br_ssl_session_cache_lru cache;
    unsigned char cache_store[TR_TLS_SESSIONS * 100]; /* 100 bytes a session */
#endif
    char file[TR_TLS_PEM_MAX];           /* one PEM file while it is read */
    tr_idx free;
    struct tls_slot slot[TR_TLS_CONNECTIONS];
} tls;

/* ---- the suites -------------------------------------------------------- */

/* In the server's order of preference (BR_OPT_ENFORCE_SERVER_PREFERENCES):
 * ChaCha20 first, as it is the faster on CPUs without AES instructions,
 * which is most routers. */
static const uint16_t suites[] = {
#if TR_TLS_EC && TR_TLS_CHACHA
    BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
#endif
#if TR_TLS_EC && TR_TLS_AES128
    BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
#endif
#if TR_TLS_EC && TR_TLS_AES256
    BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
#endif
#if TR_TLS_RSA && TR_TLS_CHACHA
    BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
#endif
#if TR_TLS_RSA && TR_TLS_AES128
    BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
#endif
#if TR_TLS_RSA && TR_TLS_AES256
    BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
#endif
};

/* ECDHE over X25519 and P-256 (what curl and browsers offer first), and
 * ECDSA over P-256: one br_ec_impl for both, as br_ec_all_m31 would be
 * for every curve. */
static const br_ec_impl *ec_of(int curve)
{
    return curve == BR_EC_curve25519 ? &br_ec_c25519_m31 : &br_ec_p256_m31;
}

static const unsigned char *ec_generator(int curve, size_t *len)
{
    return ec_of(curve)->generator(curve, len);
}

static const unsigned char *ec_order(int curve, size_t *len)
{
    return ec_of(curve)->order(curve, len);
}

static size_t ec_xoff(int curve, size_t *len)
{
    return ec_of(curve)->xoff(curve, len);
}

static uint32_t ec_mul(unsigned char *g, size_t glen, const unsigned char *x, size_t xlen, int curve)
{
    return ec_of(curve)->mul(g, glen, x, xlen, curve);
}

static size_t ec_mulgen(unsigned char *r, const unsigned char *x, size_t xlen, int curve)
{
    return ec_of(curve)->mulgen(r, x, xlen, curve);
}

static uint32_t ec_muladd(unsigned char *a, const unsigned char *b, size_t len, const unsigned char *x,
                          size_t xlen, const unsigned char *y, size_t ylen, int curve)
{
    return ec_of(curve)->muladd(a, b, len, x, xlen, y, ylen, curve);
}

static const br_ec_impl tls_ec = {
    (uint32_t)1 << BR_EC_secp256r1 | (uint32_t)1 << BR_EC_curve25519,
    ec_generator, ec_order, ec_xoff, ec_mul, ec_mulgen, ec_muladd,
};

/* The record ciphers: the constant-time portable code, 64-bit variants
 * where words are. */
static void set_ciphers(br_ssl_engine_context *e)
{
#if TR_TLS_AES128 || TR_TLS_AES256
    br_ssl_engine_set_gcm(e, &br_sslrec_in_gcm_vtable, &br_sslrec_out_gcm_vtable);
#if UINTPTR_MAX > 0xffffffffu
    br_ssl_engine_set_aes_ctr(e, &br_aes_ct64_ctr_vtable);
    br_ssl_engine_set_ghash(e, br_ghash_ctmul64);
#else
    br_ssl_engine_set_aes_ctr(e, &br_aes_ct_ctr_vtable);
    br_ssl_engine_set_ghash(e, br_ghash_ctmul);
#endif
#endif
#if TR_TLS_CHACHA
    br_ssl_engine_set_chapol(e, &br_sslrec_in_chapol_vtable, &br_sslrec_out_chapol_vtable);
    br_ssl_engine_set_chacha20(e, br_chacha20_ct_run);
    br_ssl_engine_set_poly1305(e, br_poly1305_ctmul_run);
#endif
}

/* One engine, configured once: a connection only resets it. */
static void engine_setup(struct tls_slot *t)
{
    br_ssl_server_context *sc = &t->sc;
    br_ssl_engine_context *e = &sc->eng;

    br_ssl_server_zero(sc);
    br_ssl_engine_set_versions(e, BR_TLS12, BR_TLS12);
    br_ssl_engine_set_suites(e, suites, sizeof suites / sizeof suites[0]);
    br_ssl_engine_add_flags(e, BR_OPT_NO_RENEGOTIATION | BR_OPT_ENFORCE_SERVER_PREFERENCES);
    br_ssl_engine_set_ec(e, &tls_ec);
    br_ssl_engine_set_hash(e, br_sha256_ID, &br_sha256_vtable);
    br_ssl_engine_set_prf_sha256(e, br_tls12_sha256_prf);
#if TR_TLS_AES256
    br_ssl_engine_set_hash(e, br_sha384_ID, &br_sha384_vtable);
    br_ssl_engine_set_prf_sha384(e, br_tls12_sha384_prf);
#endif
    set_ciphers(e);
#if TR_TLS_EC
    if (br_skey_decoder_key_type(&tls.key) == BR_KEYTYPE_EC)
        br_ssl_server_set_single_ec(sc, tls.chain, tls.chain_len, br_skey_decoder_get_ec(&tls.key),
                                    BR_KEYTYPE_SIGN, 0, &tls_ec, br_ecdsa_i31_sign_asn1);
#endif
#if TR_TLS_RSA
    if (br_skey_decoder_key_type(&tls.key) == BR_KEYTYPE_RSA)
        br_ssl_server_set_single_rsa(sc, tls.chain, tls.chain_len, br_skey_decoder_get_rsa(&tls.key),
                                     BR_KEYTYPE_SIGN, br_rsa_i31_private, br_rsa_i31_pkcs1_sign);
#endif
#if TR_TLS_SESSIONS > 0
    br_ssl_server_set_cache(sc, &tls.cache.vtable);
#endif
    br_ssl_engine_set_buffers_bidi(e, t->buf, TLS_IN, t->buf + TLS_IN, TLS_OUT);
}

/* ---- start-up: the files ----------------------------------------------- */

/* Says "tinyroute: what PATH: why" (start-up only). */
static void say(const char *what, const char *path, const char *why)
{
    char w[256];
    size_t a = strlen(what), b = path ? strnlen(path, sizeof w - a - 2) : 0;
    memcpy(w, what, a);
    w[a] = ' ';
    memcpy(w + a + 1, path ? path : "", b);
    w[a + 1 + b] = '\0';
    tr_log(w, why);
}

/* Reads path whole into tls.file; its length, or -1 after saying why. */
static long file_read(const char *what, const char *path)
{
    long len = 0, n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        say(what, path, errno == ENOENT ? "no such file" : "cannot open it");
        return -1;
    }
    while ((n = read(fd, tls.file + len, sizeof tls.file - (size_t)len)) > 0)
        len += n;
    close(fd);
    if (n < 0 || len == (long)sizeof tls.file) {
        say(what, path, n < 0 ? "cannot read it" : "larger than TR_TLS_PEM_MAX");
        return -1;
    }
    return len;
}

/* A decoded object: a certificate joins the chain, a private key goes to
 * the key decoder.  Other objects (parameters) are skipped. */
static void pem_object(const char *name, size_t start)
{
    const unsigned char *der = tls.der + start;
    size_t len = tls.der_len - start;
    if (strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0) {
        if (tls.chain_len < TR_TLS_CHAIN_MAX) {
            tls.chain[tls.chain_len].data = (unsigned char *)der;
            tls.chain[tls.chain_len++].data_len = len;
        }
    } else if (strcmp(name, "PRIVATE KEY") == 0 || strcmp(name, "RSA PRIVATE KEY") == 0 ||
               strcmp(name, "EC PRIVATE KEY") == 0) {
        br_skey_decoder_init(&tls.key);
        br_skey_decoder_push(&tls.key, der, len);
    }
}

/* The value of a base64 digit (RFC 4648 §4), or -1. */
static int b64(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

/*
 * Decodes every PEM object of the file just read, p[0..len) (RFC 7468):
 * the base64 lines between "-----BEGIN NAME-----" and "-----END" into
 * tls.der, then pem_object; lines outside an object are skipped.  -1 on
 * a character that is not base64 inside an object (headers such as an
 * encrypted key's), or when tls.der is full.  Its own code rather than
 * br_pem_decoder, which is four times its size on armhf.  The name is
 * cut in place in p (tls.file, a scratch buffer).
 */
static int pem_decode(char *p, size_t len)
{
    char *end = p + len, *name = NULL;
    size_t start = 0;
    uint32_t acc = 0;
    int bits = 0;

    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (eol - p > 11 && memcmp(p, "-----BEGIN ", 11) == 0) {
            char *q = p + 11;
            while (q < eol && *q != '-')
                q++;
            *q = '\0';
            name = p + 11;
            start = tls.der_len;
            acc = 0;
            bits = 0;
        } else if (name && eol - p >= 8 && memcmp(p, "-----END", 8) == 0) {
            pem_object(name, start);
            name = NULL;
        } else if (name) {
            for (char *q = p; q < eol && *q != '='; q++) {
                int v = b64((unsigned char)*q);
                if (v < 0) {
                    if (*q == '\r' || *q == ' ' || *q == '\t')
                        continue;
                    return -1;
                }
                acc = acc << 6 | (uint32_t)v;
                if ((bits += 6) >= 8) {
                    bits -= 8;
                    if (tls.der_len == sizeof tls.der) {
                        tls.pem_dest_full = 1;
                        return -1;
                    }
                    tls.der[tls.der_len++] = (unsigned char)(acc >> bits);
                }
            }
        }
        p = eol + 1;
    }
    return 0;
}

/* Reads one PEM file; -1 after saying why. */
static int pem_load(const char *what, const char *path)
{
    if (path == NULL || *path == '\0') {
        tr_log(what, "no file given (--cert FILE --key FILE, or `tls cert` and `tls key` in the spec)");
        return -1;
    }
    long len = file_read(what, path);
    if (len < 0)
        return -1;
    if (pem_decode(tls.file, (size_t)len) != 0) {
        say(what, path, tls.pem_dest_full ? "larger than TR_TLS_DER_MAX" : "not PEM");
        return -1;
    }
    return 0;
}

/* Whether the key decoded and is of a type the spec's suites can use. */
static const char *key_problem(void)
{
    int type = br_skey_decoder_key_type(&tls.key);
    if (type == 0)
        return "no RSA or EC private key in it";
    if (type == BR_KEYTYPE_EC && (!TR_TLS_EC || br_skey_decoder_get_ec(&tls.key)->curve != BR_EC_secp256r1))
        return TR_TLS_EC ? "an EC key on a curve other than P-256" : "an EC key, and `tls keys` has no ec";
    if (type == BR_KEYTYPE_RSA && !TR_TLS_RSA)
        return "an RSA key, and `tls keys` has no rsa";
    return NULL;
}

/* Does big[0..n) hold small[0..k)? */
static int holds(const unsigned char *big, size_t n, const unsigned char *small, size_t k)
{
    for (size_t i = 0; k && i + k <= n; i++)
        if (big[i] == small[0] && memcmp(big + i, small, k) == 0)
            return 1;
    return 0;
}

/*
 * Is the key the leaf certificate's?  A mismatch would fail every
 * handshake, so start-up refuses it.  The public part is recomputed from
 * the private key (the EC point, the RSA modulus) and looked for in the
 * leaf's DER, whose SubjectPublicKeyInfo holds it byte for byte (RFC 5480
 * §2.2, RFC 8017 A.1.1): no X.509 decoder is linked for this.
 */
static int key_is_leafs(void)
{
    const unsigned char *leaf = tls.chain[0].data;
    size_t n = tls.chain[0].data_len;
#if TR_TLS_EC
    if (br_skey_decoder_key_type(&tls.key) == BR_KEYTYPE_EC) {
        unsigned char q[BR_EC_KBUF_PUB_MAX_SIZE];
        br_ec_public_key pk;
        size_t k = br_ec_compute_pub(&tls_ec, &pk, q, br_skey_decoder_get_ec(&tls.key));
        return k > 0 && holds(leaf, n, pk.q, pk.qlen);
    }
#endif
#if TR_TLS_RSA
    if (br_skey_decoder_key_type(&tls.key) == BR_KEYTYPE_RSA) {
        static unsigned char mod[512];      /* RSA-4096 */
        const br_rsa_private_key *sk = br_skey_decoder_get_rsa(&tls.key);
        size_t k = br_rsa_i31_compute_modulus(NULL, sk);
        if (k == 0 || k > sizeof mod || br_rsa_i31_compute_modulus(mod, sk) != k)
            return 0;
        return holds(leaf, n, mod, k);
    }
#endif
    return 0;
}

int tr_tls_init(const char *cert, const char *key)
{
    memset(&tls.key, 0, sizeof tls.key);
    if (pem_load("certificate file", cert) != 0)
        return -1;
    if (tls.chain_len == 0) {
        say("certificate file", cert, "no certificate in it");
        return -1;
    }
    size_t certs = tls.chain_len;
    if (pem_load("key file", key) != 0)
        return -1;
    const char *why = tls.chain_len != certs ? "holds a certificate, not a key" : key_problem();
    if (!why && !key_is_leafs())
        why = "not the key of the certificate (the first of the certificate file): their public keys differ";
    if (why) {
        say("key file", key, why);
        return -1;
    }
#if TR_TLS_SESSIONS > 0
    br_ssl_session_cache_lru_init(&tls.cache, tls.cache_store, sizeof tls.cache_store);
#endif
    for (int i = 0; i < TR_TLS_CONNECTIONS; i++) {
        engine_setup(&tls.slot[i]);
        tls.slot[i].next = (tr_idx)(i + 1 < TR_TLS_CONNECTIONS ? i + 1 : TR_NIL);
    }
    tls.free = 0;
    return 0;
}

/* ---- connections ------------------------------------------------------- */

static struct tls_slot *slot_of(const struct tr_conn *c)
{
    return &tls.slot[c->tls];
}

int tr_tls_open(struct tr_conn *c)
{
    tr_idx i = tls.free;
    if (i == TR_NIL)
        return -1;
    struct tls_slot *t = &tls.slot[i];
    /* 0: no random seed could be had (the engine says why) */
    if (!br_ssl_server_reset(&t->sc))
        return -2;
    tls.free = t->next;
    t->owed = 0;
    t->up = 0;
    t->heard = 0;
    c->tls = i;
    return 0;
}

int tr_tls_handshaking(const struct tr_conn *c)
{
    return c->tls != TR_NIL && !slot_of(c)->up;
}

int tr_tls_silent(const struct tr_conn *c)
{
    return c->tls != TR_NIL && !slot_of(c)->heard;
}

/*
 * Writes the engine's pending records: 0 when none are left, -1 with
 * errno EAGAIN when the socket is full, -2 when it failed.
 */
static int records_send(struct tr_conn *c, br_ssl_engine_context *e)
{
    while (br_ssl_engine_current_state(e) & BR_SSL_SENDREC) {
        size_t len;
        unsigned char *p = br_ssl_engine_sendrec_buf(e, &len);
        ssize_t w = write(c->fd, p, len);
        if (w > 0) {
            br_ssl_engine_sendrec_ack(e, (size_t)w);
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        return w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? -1 : -2;
    }
    return 0;
}

void tr_tls_shutdown(struct tr_conn *c)
{
    br_ssl_engine_context *e = &slot_of(c)->sc.eng;
    br_ssl_engine_close(e);
    records_send(c, e);         /* best effort: the socket is closing */
}

void tr_tls_close(struct tr_conn *c)
{
    struct tls_slot *t = slot_of(c);
    /* RFC 5246 §7.2.1: close_notify before the close, or a client may
     * take the end for a truncation (the engine sends it once). */
    if (t->up && !(c->flags & TR_CF_ERROR))
        tr_tls_shutdown(c);
    t->next = tls.free;
    tls.free = c->tls;
    c->tls = TR_NIL;
}

/* The engine can carry application data once it offers to. */
static void note_up(struct tls_slot *t, unsigned st)
{
    if (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP))
        t->up = 1;
}

long tr_tls_handshake(struct tr_conn *c)
{
    struct tls_slot *t = slot_of(c);
    br_ssl_engine_context *e = &t->sc.eng;

    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        if (st == BR_SSL_CLOSED)
            return TR_IO_END;       /* junk, no common suite, a closed socket */
        if (st & BR_SSL_SENDREC) {
            int r = records_send(c, e);
            if (r == 0)
                continue;
            return r == -1 ? TR_IO_AGAIN : TR_IO_END;   /* the socket is full, or gone */
        }
        /* Done once the last flight is on the socket too. */
        note_up(t, st);
        if (t->up)
            return 0;
        if (!(st & BR_SSL_RECVREC))
            return TR_IO_AGAIN;
        size_t len;
        unsigned char *q = br_ssl_engine_recvrec_buf(e, &len);
        ssize_t r = read(c->fd, q, len);
        if (r > 0) {
            t->heard = 1;
            br_ssl_engine_recvrec_ack(e, (size_t)r);
        }
        else if (r == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
            return TR_IO_END;
        else if (errno != EINTR)
            return TR_IO_AGAIN;
    }
}

/*
 * read(2) through the engine: plaintext into p, as much as the socket and
 * the engine have, so that a short count means the socket had no more
 * (tr_conn_read counts on that).  The handshake and any record the engine
 * must answer are sent on the way.
 */
long tr_tls_read(struct tr_conn *c, void *p, size_t n)
{
    struct tls_slot *t = slot_of(c);
    br_ssl_engine_context *e = &t->sc.eng;
    size_t got = 0;

    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        note_up(t, st);
        if (st == BR_SSL_CLOSED)
            return (long)got;       /* close_notify, an error, or junk: the end */
        if (st & BR_SSL_SENDREC) {
            int r = records_send(c, e);
            if (r == -2)
                return got ? (long)got : 0;
            if (r == 0)
                continue;
        }
        if (st & BR_SSL_RECVAPP) {
            size_t len;
            unsigned char *q = br_ssl_engine_recvapp_buf(e, &len);
            if (len > n - got)
                len = n - got;
            memcpy((char *)p + got, q, len);
            br_ssl_engine_recvapp_ack(e, len);
            if ((got += len) == n)
                return (long)got;
            continue;
        }
        if (!(st & BR_SSL_RECVREC))
            break;                  /* records to send first, and the socket is full */
        size_t len;
        unsigned char *q = br_ssl_engine_recvrec_buf(e, &len);
        ssize_t r = read(c->fd, q, len);
        if (r > 0) {
            br_ssl_engine_recvrec_ack(e, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            return (long)got;       /* the end of the stream (no close_notify) */
        break;
    }
    if (got)
        return (long)got;
    errno = EAGAIN;
    return -1;
}

/*
 * writev(2) through the engine.  A count is returned only once the
 * records that carry those bytes are on the socket: until then the bytes
 * are owed, the call says EAGAIN, and the caller, whose queue has not
 * moved, calls again with the same vector when the socket drains.
 */
long tr_tls_writev(struct tr_conn *c, const struct iovec *iov, int n)
{
    struct tls_slot *t = slot_of(c);
    br_ssl_engine_context *e = &t->sc.eng;
    size_t took = t->owed, off = took;
    int flushed = t->owed > 0, i = 0;

    /* Owed bytes came from the front of this vector: skip them. */
    while (i < n && off >= iov[i].iov_len)
        off -= iov[i++].iov_len;
    for (;;) {
        unsigned st = br_ssl_engine_current_state(e);
        if (st == BR_SSL_CLOSED) {
            errno = EPIPE;
            return -1;
        }
        if (st & BR_SSL_SENDREC) {
            int r = records_send(c, e);
            if (r == -2) {
                errno = EPIPE;
                return -1;
            }
            if (r == -1) {
                t->owed = took;
                errno = EAGAIN;
                return -1;
            }
            continue;
        }
        if (i == n || !(st & BR_SSL_SENDAPP)) {
            if (!flushed && took > 0) {
                br_ssl_engine_flush(e, 0);
                flushed = 1;
                continue;
            }
            break;
        }
        size_t len;
        unsigned char *q = br_ssl_engine_sendapp_buf(e, &len);
        size_t k = iov[i].iov_len - off < len ? iov[i].iov_len - off : len;
        memcpy(q, (const char *)iov[i].iov_base + off, k);
        br_ssl_engine_sendapp_ack(e, k);
        took += k;
        flushed = 0;
        if ((off += k) == iov[i].iov_len) {
            i++;
            off = 0;
        }
    }
    t->owed = 0;
    if (took)
        return (long)took;
    errno = EAGAIN;
    return -1;
}

void tr_tls_res(struct tr_conn *c, tr_res *res)
{
#if TR_TLS_HSTS > 0
#define TR_STR_(x) #x
#define TR_STR(x) TR_STR_(x)
    static const char hsts[] = "max-age=" TR_STR(TR_TLS_HSTS);
    if (c->tls != TR_NIL)
        tr_res_header(res, "Strict-Transport-Security", hsts, sizeof hsts - 1);
#else
    (void)c;
    (void)res;
#endif
}
#endif /* TR_WITH_TLS */
