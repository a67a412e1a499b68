/*
 * browser_request.h - a 550-byte browser-like GET with 10 header fields,
 * shared by the lexer tests and the instruction-count benchmark.
 */
#ifndef BROWSER_REQUEST_H
#define BROWSER_REQUEST_H

#define BROWSER_REQUEST                                                     \
    "GET /status/wifi?band=5g&detail=1 HTTP/1.1\r\n"                        \
    "Host: router.local\r\n"                                                \
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 " \
    "Firefox/128.0\r\n"                                                     \
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,"        \
    "image/avif,image/webp,*/*;q=0.8\r\n"                                   \
    "Accept-Language: en-US,en;q=0.5\r\n"                                   \
    "Accept-Encoding: gzip, deflate, br, zstd\r\n"                          \
    "Referer: http://router.local/status/overview.htm\r\n"                  \
    "Connection: keep-alive\r\n"                                            \
    "Cookie: session=8f14e45fceea167a5a36dedd4bea2543c9f0f895fb98ab9159f51f" \
    "d0297e236d; theme=dark\r\n"                                            \
    "Upgrade-Insecure-Requests: 1\r\n"                                      \
    "If-None-Match: \"5f3a-17c2b9e0\"\r\n"                                  \
    "\r\n"

#endif /* BROWSER_REQUEST_H */
