/*
 * test_site.c - examples/site: the files of examples/site/www embedded by
 * a mount, over raw sockets (every rule of issue 13's serving) and curl.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "client.h"

static struct tc_server srv;

static void start(void)
{
    tc_server_start(&srv, SITE_BIN);
}

static void stop(void)
{
    tc_server_stop(&srv);
}

TestSuite(site, .init = start, .fini = stop, .timeout = 30);

/* The bytes of www/NAME; *len set. */
static char *www(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SITE_WWW, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *data = malloc(1 << 20);
    *len = fread(data, 1, 1 << 20, f);
    fclose(f);
    return data;
}

/* GET (or another method) of path with extra header lines. */
static void get(const char *method, const char *path, const char *fields, struct tc_response *r)
{
    char req[2048];
    snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: x\r\n%s\r\n", method, path, fields);
    tc_exchange_str(srv.port, req, r);
}

static void assert_body(const struct tc_response *r, const char *data, size_t len)
{
    cr_assert_eq(r->body_len, len, "body of %zu bytes, want %zu", r->body_len, len);
    cr_assert(memcmp(r->body, data, len) == 0, "body differs from the file");
}

static void gunzip(const struct tc_response *r, char *out, size_t cap, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(inflateInit2(&z, 16 + 15), Z_OK);
    z.next_in = (unsigned char *)r->body;
    z.avail_in = (uInt)r->body_len;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END, "the gzip body does not inflate");
    *len = z.total_out;
    inflateEnd(&z);
}

static const struct {
    const char *path, *file, *type;
} files[] = {
    { "/", "index.html", "text/html; charset=utf-8" },
    { "/index.html", "index.html", "text/html; charset=utf-8" },
    { "/style.css", "style.css", "text/css; charset=utf-8" },
    { "/app.js", "app.js", "text/javascript; charset=utf-8" },
    { "/img/logo.svg", "img/logo.svg", "image/svg+xml; charset=utf-8" },
    { "/img/dot.png", "img/dot.png", "image/png" },
    { "/noise.bin", "noise.bin", "application/octet-stream" },
    { "/a/b.txt", "a/b.txt", "text/plain; charset=utf-8" },
};

Test(site, every_file_is_served_whole_with_its_type_etag_and_cache_control)
{
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct tc_response r;
        size_t len;
        char *data = www(files[i].file, &len);
        get("GET", files[i].path, "", &r);
        cr_assert_eq(r.status, 200, "%s: %d", files[i].path, r.status);
        assert_body(&r, data, len);
        cr_assert_str_eq(tc_header(&r, "Content-Type"), files[i].type, "%s", files[i].path);
        cr_assert_not_null(tc_header(&r, "ETag"), "%s", files[i].path);
        cr_assert_eq(tc_header(&r, "ETag")[0], '"', "a strong ETag, not W/");
        cr_assert_not_null(tc_header(&r, "Cache-Control"), "%s", files[i].path);
        cr_assert_null(tc_header(&r, "Content-Encoding"), "%s without Accept-Encoding", files[i].path);
        tc_response_free(&r);
        free(data);
    }
}

Test(site, cache_control_comes_from_the_spec_rules_by_pattern)
{
    struct tc_response r;
    get("GET", "/index.html", "", &r);
    cr_assert_str_eq(tc_header(&r, "Cache-Control"), "no-cache");
    tc_response_free(&r);
    get("GET", "/img/dot.png", "", &r);
    cr_assert_str_eq(tc_header(&r, "Cache-Control"), "max-age=86400");
    tc_response_free(&r);
}

Test(site, a_file_larger_than_limit_response_is_sent_whole_and_never_gzipped)
{
    struct tc_response r;
    size_t len;
    char *data = www("noise.bin", &len);
    cr_assert_gt(len, 16384);
    get("GET", "/noise.bin", "Accept-Encoding: gzip\r\n", &r);
    cr_assert_eq(r.status, 200);
    assert_body(&r, data, len);
    cr_assert_null(tc_header(&r, "Content-Encoding"), "random bytes do not compress: no gzip variant");
    cr_assert_null(tc_header(&r, "Vary"), "a file with one variant varies on nothing");
    tc_response_free(&r);
    free(data);
}

/* Does this Accept-Encoding get the gzip variant of /app.js? */
static int gets_gzip(const char *accept)
{
    char fields[256];
    struct tc_response r;
    size_t len, n;
    char *data = www("app.js", &len), out[65536];

    snprintf(fields, sizeof fields, "Accept-Encoding: %s\r\n", accept);
    get("GET", "/app.js", fields, &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Vary"), "Accept-Encoding", "for '%s'", accept);
    const char *ce = tc_header(&r, "Content-Encoding");
    int gz = ce != NULL;
    if (gz) {
        cr_assert_str_eq(ce, "gzip");
        cr_assert_lt(r.body_len, len);
        gunzip(&r, out, sizeof out, &n);
        cr_assert_eq(n, len);
        cr_assert(memcmp(out, data, len) == 0, "the gzip body inflates to another file");
    } else {
        assert_body(&r, data, len);
    }
    tc_response_free(&r);
    free(data);
    return gz;
}

Test(site, accept_encoding_is_negotiated_with_q_values)
{
    cr_assert(gets_gzip("gzip"));
    cr_assert(gets_gzip("GZip"));
    cr_assert(gets_gzip("deflate, gzip;q=1.0, br"));
    cr_assert(gets_gzip("x-gzip"));
    cr_assert(gets_gzip("*"));
    cr_assert(gets_gzip("gzip;q=0.001"));
    cr_assert(!gets_gzip("gzip;q=0"));
    cr_assert(!gets_gzip("gzip ; q=0.000"));
    cr_assert(!gets_gzip("gzip;q=0, *"));
    cr_assert(!gets_gzip("*;q=0"));
    cr_assert(!gets_gzip("identity"));
    cr_assert(!gets_gzip("br, deflate"));
}

static void etag_of(const char *path, const char *fields, char *out, size_t n)
{
    struct tc_response r;
    get("GET", path, fields, &r);
    cr_assert_not_null(tc_header(&r, "ETag"));
    snprintf(out, n, "%s", tc_header(&r, "ETag"));
    tc_response_free(&r);
}

Test(site, each_encoding_has_its_own_strong_etag)
{
    char plain[64], gz[64];
    etag_of("/style.css", "", plain, sizeof plain);
    etag_of("/style.css", "Accept-Encoding: gzip\r\n", gz, sizeof gz);
    cr_assert_str_neq(plain, gz);
}

/* Status of GET /style.css with If-None-Match: inm (and Accept-Encoding: ae). */
static int conditional(const char *inm, const char *ae, struct tc_response *r)
{
    char fields[512];
    snprintf(fields, sizeof fields, "If-None-Match: %s\r\n%s%s%s", inm, ae ? "Accept-Encoding: " : "",
             ae ? ae : "", ae ? "\r\n" : "");
    get("GET", "/style.css", fields, r);
    return r->status;
}

Test(site, if_none_match_gets_304_with_etag_cache_control_and_vary_and_no_body)
{
    char tag[64], list[256], weak[80];
    struct tc_response r;

    etag_of("/style.css", "", tag, sizeof tag);
    cr_assert_eq(conditional(tag, NULL, &r), 304);
    cr_assert_str_eq(tc_header(&r, "ETag"), tag);
    cr_assert_str_eq(tc_header(&r, "Cache-Control"), "no-cache");
    cr_assert_str_eq(tc_header(&r, "Vary"), "Accept-Encoding");
    cr_assert_eq(r.body_len, 0);
    cr_assert_null(tc_header(&r, "Content-Length"), "RFC 9110 §8.6");
    tc_response_free(&r);

    snprintf(weak, sizeof weak, "W/%s", tag);
    cr_assert_eq(conditional(weak, NULL, &r), 304, "weak comparison ignores W/");
    tc_response_free(&r);
    snprintf(list, sizeof list, "\"0000000000000000\", W/\"x\",%s", tag);
    cr_assert_eq(conditional(list, NULL, &r), 304, "a list holding the tag");
    tc_response_free(&r);
    cr_assert_eq(conditional("*", NULL, &r), 304);
    tc_response_free(&r);
    cr_assert_eq(conditional("\"0000000000000000\"", NULL, &r), 200);
    tc_response_free(&r);
    cr_assert_eq(conditional(tag, "gzip", &r), 200, "the identity tag does not match the gzip variant");
    cr_assert_str_eq(tc_header(&r, "Content-Encoding"), "gzip");
    tc_response_free(&r);
}

Test(site, if_modified_since_is_ignored)
{
    struct tc_response r;
    get("GET", "/style.css", "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\n", &r);
    cr_assert_eq(r.status, 200);
    tc_response_free(&r);
}

/* GET /noise.bin with Range: range (and more fields). */
static void range(const char *range, const char *more, struct tc_response *r)
{
    char fields[512];
    snprintf(fields, sizeof fields, "Range: %s\r\n%s", range, more);
    get("GET", "/noise.bin", fields, r);
}

static void assert_part(const char *spec, size_t from, size_t to)
{
    struct tc_response r;
    size_t len;
    char *data = www("noise.bin", &len), cr[64];
    range(spec, "", &r);
    cr_assert_eq(r.status, 206, "%s: %d", spec, r.status);
    snprintf(cr, sizeof cr, "bytes %zu-%zu/%zu", from, to, len);
    cr_assert_str_eq(tc_header(&r, "Content-Range"), cr, "%s", spec);
    assert_body(&r, data + from, to - from + 1);
    cr_assert_not_null(tc_header(&r, "ETag"));
    tc_response_free(&r);
    free(data);
}

Test(site, one_range_gets_206_with_content_range)
{
    assert_part("bytes=0-3", 0, 3);
    assert_part("bytes=100-199", 100, 199);
    assert_part("bytes=19990-", 19990, 19999);
    assert_part("bytes=-5", 19995, 19999);
    assert_part("bytes=19000-99999", 19000, 19999);
    assert_part("bytes=-30000", 0, 19999);
}

Test(site, an_unsatisfiable_range_gets_416_and_several_ranges_the_whole_file)
{
    struct tc_response r;
    range("bytes=20000-", "", &r);
    cr_assert_eq(r.status, 416);
    cr_assert_str_eq(tc_header(&r, "Content-Range"), "bytes */20000");
    tc_response_free(&r);
    range("bytes=-0", "", &r);
    cr_assert_eq(r.status, 416);
    tc_response_free(&r);
    range("bytes=0-1,5-6", "", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 20000);
    tc_response_free(&r);
    range("bytes=5-1", "", &r);
    cr_assert_eq(r.status, 200, "an invalid range is ignored");
    tc_response_free(&r);
    range("pages=1-2", "", &r);
    cr_assert_eq(r.status, 200, "another unit is ignored");
    tc_response_free(&r);
}

Test(site, if_range_is_checked_against_the_etag)
{
    char tag[64], fields[128];
    struct tc_response r;
    etag_of("/noise.bin", "", tag, sizeof tag);
    snprintf(fields, sizeof fields, "If-Range: %s\r\n", tag);
    range("bytes=0-9", fields, &r);
    cr_assert_eq(r.status, 206);
    tc_response_free(&r);
    range("bytes=0-9", "If-Range: \"0000000000000000\"\r\n", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 20000);
    tc_response_free(&r);
    range("bytes=0-9", "If-Range: Fri, 31 Dec 2100 23:59:59 GMT\r\n", &r);
    cr_assert_eq(r.status, 200, "a date never matches an ETag");
    tc_response_free(&r);
}

Test(site, a_range_of_a_gzipped_answer_gets_the_whole_gzip_body)
{
    struct tc_response r;
    get("GET", "/app.js", "Range: bytes=0-3\r\nAccept-Encoding: gzip\r\n", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Content-Encoding"), "gzip");
    tc_response_free(&r);
    get("GET", "/app.js", "Range: bytes=0-3\r\n", &r);
    cr_assert_eq(r.status, 206);
    cr_assert_eq(r.body_len, 4);
    tc_response_free(&r);
}

Test(site, head_gets_the_headers_of_get_without_the_body)
{
    struct tc_conn c;
    struct tc_response g, h;
    get("GET", "/style.css", "Accept-Encoding: gzip\r\n", &g);
    tc_connect(&c, srv.port);
    tc_send_str(&c, "HEAD /style.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
    cr_assert_eq(tc_read_response(&c, &h, TC_TIMEOUT_MS, 1), TC_OK);
    tc_close(&c);
    cr_assert_eq(h.status, 200);
    cr_assert_eq(h.body_len, 0);
    const char *names[] = { "Content-Length", "ETag", "Content-Type", "Content-Encoding", "Vary",
                            "Cache-Control" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cr_assert_str_eq(tc_header(&h, names[i]), tc_header(&g, names[i]), "%s", names[i]);
    tc_response_free(&g);
    tc_response_free(&h);
}

Test(site, other_methods_get_405_with_allow_get_head)
{
    const char *methods[] = { "POST", "PUT", "DELETE", "PATCH" };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        struct tc_response r;
        get(methods[i], "/a/b.txt", "Content-Length: 0\r\n", &r);
        cr_assert_eq(r.status, 405, "%s", methods[i]);
        cr_assert(tc_header_has_token(&r, "Allow", "GET") && tc_header_has_token(&r, "Allow", "HEAD"));
        cr_assert(!tc_header_has_token(&r, "Allow", "POST"));
        tc_response_free(&r);
    }
}

Test(site, the_api_route_answers_beside_the_files_and_a_missing_file_is_404)
{
    struct tc_response r;
    get("GET", "/api/status", "", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Content-Type"), "application/json");
    cr_assert_not_null(strstr(r.body, "\"uptime\""));
    tc_response_free(&r);
    get("GET", "/nope.html", "", &r);
    cr_assert_eq(r.status, 404);
    tc_response_free(&r);
    get("GET", "/a/", "", &r);
    cr_assert_eq(r.status, 404, "a/ has no index file");
    tc_response_free(&r);
    get("GET", "/%2e%2e/site.routes", "", &r);
    cr_assert_eq(r.status, 400);
    tc_response_free(&r);
    tc_exchange_str(srv.port, "GET /style.css HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", &r);
    cr_assert_eq(r.status, 400);
    tc_response_free(&r);
    get("GET", "/a/b.txt", "", &r);
    cr_assert_eq(r.status, 200, "the server keeps serving");
    tc_response_free(&r);
}

Test(site, pipelined_requests_for_files_are_answered_in_order)
{
    struct tc_conn c;
    struct tc_response r[3];
    tc_connect(&c, srv.port);
    tc_send_str(&c, "GET /a/b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /noise.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /img/dot.png HTTP/1.1\r\nHost: x\r\n\r\n");
    for (int i = 0; i < 3; i++)
        cr_assert_eq(tc_read_response(&c, &r[i], TC_TIMEOUT_MS, 0), TC_OK);
    tc_close(&c);
    cr_assert_str_eq(r[0].body, "b\n");
    cr_assert_eq(r[1].body_len, 20000);
    cr_assert_str_eq(tc_header(&r[2], "Content-Type"), "image/png");
    for (int i = 0; i < 3; i++)
        tc_response_free(&r[i]);
}

Test(site, curl_gets_the_page_compressed_and_revalidates_it)
{
    char cmd[1024];
    const char *o = tc_curl_opts(), *url = tc_origin(srv.port);
    snprintf(cmd, sizeof cmd,
             "curl %s -s --compressed -o /dev/null -w '%%{http_code} %%{size_download}' "
             "%s/ && echo && "
             "curl %s -s -o /dev/null -w '%%{http_code}' -H \"If-None-Match: $(curl %s -s -D - -o /dev/null "
             "%s/ | tr -d '\\r' | sed -n 's/^ETag: //p')\" %s/",
             o, url, o, o, url, url);
    FILE *p = popen(cmd, "r");
    char out[256] = "";
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", out);
    size_t len;
    free(www("index.html", &len));
    unsigned code, size, code2;
    cr_assert_eq(sscanf(out, "%u %u\n%u", &code, &size, &code2), 3, "%s", out);
    cr_assert_eq(code, 200);
    cr_assert_lt(size, len, "curl --compressed got the gzip variant");
    cr_assert_eq(code2, 304, "%s", out);
}

/* store=gzip: the same files, stored as gzip alone where gzip pays. */
static struct tc_server gz_srv;

static void start_gz(void)
{
    tc_server_start(&gz_srv, GZIP_ONLY_BIN);
}

static void stop_gz(void)
{
    tc_server_stop(&gz_srv);
}

TestSuite(gzip_only, .init = start_gz, .fini = stop_gz, .timeout = 30);

Test(gzip_only, a_file_stored_as_gzip_alone_goes_to_a_client_that_takes_gzip)
{
    struct tc_response r;
    size_t len, n;
    char *data = www("style.css", &len), out[65536];
    tc_exchange_str(gz_srv.port, "GET /style.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n", &r);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(tc_header(&r, "Content-Encoding"), "gzip");
    gunzip(&r, out, sizeof out, &n);
    cr_assert(n == len && memcmp(out, data, len) == 0);
    tc_response_free(&r);
    free(data);
}

Test(gzip_only, a_client_that_does_not_take_gzip_gets_406_with_vary)
{
    struct tc_response r;
    tc_exchange_str(gz_srv.port, "GET /style.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0\r\n\r\n", &r);
    cr_assert_eq(r.status, 406);
    cr_assert_str_eq(tc_header(&r, "Vary"), "Accept-Encoding");
    cr_assert_eq(r.body_len, 0);
    tc_response_free(&r);
    tc_exchange_str(gz_srv.port, "GET /noise.bin HTTP/1.1\r\nHost: x\r\n\r\n", &r);
    cr_assert_eq(r.status, 200, "a file without a gzip variant keeps its bytes");
    cr_assert_eq(r.body_len, 20000);
    tc_response_free(&r);
}
