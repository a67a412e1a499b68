#!/bin/sh
# bench/size/run.sh - firmware size of generated servers, by hand (not a test).
#
#   bench/size/run.sh [BUILD_DIR]      (default: build; needs BUILD/gen/tinyroute)
#
# Builds examples/hello, examples/reference and bench/size/rest200.routes for
# x86_64, armhf (Thumb-2), aarch64 and mipsel, musl static and glibc dynamic,
# with the budget flags of the size issue, and prints one table of stripped
# file sizes and `size` text/data/bss; then the marginal bytes per route and
# what each runtime feature costs (a hello variant spec that needs it, minus
# hello).  A compiler that is missing is skipped with a note.  Output is
# stable: one line a figure, fixed columns, no timings.
#   SIZE_TARGETS="x86_64 armhf"  limits the targets; SIZE_KEEP=1 keeps the work dir.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
gen=${TINYROUTE:-$build/gen/tinyroute}
[ -x "$gen" ] || { echo "size: no generator at $gen (build it first)" >&2; exit 2; }
work=$(mktemp -d)
[ "${SIZE_KEEP:-0}" = 1 ] && echo "size: work dir $work" >&2 || trap 'rm -rf "$work"' EXIT

FLAGS="-Os -ffunction-sections -fdata-sections -Wl,--gc-sections -fno-asynchronous-unwind-tables
       -Wl,--build-id=none -Wl,-z,norelro -s"

# target libc -> compiler, extra flags, size tool, budgets (hello ref rest200-hello)
cfg() {
    case $1/$2 in
    x86_64/musl)  echo "musl-gcc|-static -Wl,-z,noseparate-code|size|16384 32768 20480" ;;
    armhf/musl)   echo "arm-linux-musleabihf-gcc|-static -mthumb|arm-linux-gnueabihf-size|12288 24576 16384" ;;
    aarch64/musl) echo "aarch64-linux-musl-gcc|-static|aarch64-linux-gnu-size|- - -" ;;
    mipsel/musl)  echo "mipsel-linux-musl-gcc|-static|mipsel-linux-gnu-size|- - -" ;;
    x86_64/glibc) echo "gcc|-Wl,-z,noseparate-code|size|- - -" ;;
    armhf/glibc)  echo "arm-linux-gnueabihf-gcc|-mthumb|arm-linux-gnueabihf-size|- - -" ;;
    aarch64/glibc) echo "aarch64-linux-gnu-gcc||aarch64-linux-gnu-size|- - -" ;;
    mipsel/glibc) echo "mipsel-linux-gnu-gcc||mipsel-linux-gnu-size|- - -" ;;
    esac
}

# Stub handlers for a spec: each prototype in NAME_routes.h gets a body that
# differs from every other (so identical-code folding cannot merge them).
stubs() {
    awk -v h="$(basename "$2")" 'BEGIN { print "#include \"" h "\""; n = 0 }
         /^void [a-z_0-9]+\(/ { p = $0
             while (p !~ /\);$/) { getline l; p = p " " l }
             sub(/;$/, "", p); n++
             print p "\n{\n    tr_res_int(res, " n ");\n}" }
         /^int [a-z_0-9]+\(tr_res/ { p = $0; sub(/;$/, "", p); n++
             print p "\n{\n    (void)res;\n    return " n " - " n ";\n}" }
         /^int [a-z_0-9]+\(tr_upload/ { p = $0; sub(/;$/, "", p); n++
             print p "\n{\n    (void)up;\n    return " n " - " n ";\n}" }' "$2" >"$1"
}

# spec NAME: generates $work/NAME from a spec file; variant tweaks tr_config.h.
spec() {
    name=$1 file=$2
    mkdir -p "$work/$name"
    "$gen" gen "$file" -o "$work/$name" >/dev/null
    h=$(ls "$work/$name"/*_routes.h)
    if [ -n "${3:-}" ]; then
        cp "$3" "$work/$name/handlers.c"
    else
        stubs "$work/$name/handlers.c" "$h"
    fi
}

variant() { # variant NAME 'spec lines' [sed on tr_config.h]
    printf 'name hello\nlisten 0.0.0.0:8080\nconnections 1024\n%b\n' "$2" >"$work/$1.routes"
    spec "$1" "$work/$1.routes"
    [ -z "${3:-}" ] || sed -i "$3" "$work/$1/tr_config.h"
}

spec hello "$root/examples/hello/hello.routes" "$root/examples/hello/hello.c"
spec reference "$root/examples/reference/reference.routes" "$root/examples/reference/reference.c"
spec rest200 "$root/bench/size/rest200.routes"
variant f_base 'GET / root'
variant f_body_nochunk 'GET / root body=1K' 's/^#define TR_WITH_CHUNKED 1/#define TR_WITH_CHUNKED 0/'
variant f_body 'GET / root body=1K'
variant f_stream 'GET / root body=1K,stream'
variant f_multipart 'GET / root body=1K,multipart'
variant f_query 'GET /?<q> root'
variant f_int 'GET /<n:int> root'
variant f_bool 'GET /?<on:bool> root'
variant f_pct 'GET /<s> root'
variant f_header 'GET / root header=User-Agent'
variant f_date 'date on\nGET / root'
variant f_nooptions 'GET / root' 's/^#define TR_WITH_OPTIONS 1/#define TR_WITH_OPTIONS 0/'
variant f_error 'error 404 "text/plain" "x"\nGET / root'
# Embedded files: one 1-byte file, and eleven (the metadata a file costs).
mkdir -p "$work/www1" "$work/www11"
printf 0 >"$work/www1/f0.txt"
for i in 0 1 2 3 4 5 6 7 8 9 a; do printf "$i" >"$work/www11/f$i.txt"; done
variant f_mount 'mount / "www1"'
variant f_mount11 'mount / "www11"'
variant f_guard 'guard / g\nGET / root'
variant f_basic 'guard / basic\nGET / root'
variant f_basic_check 'guard / basic check=login\nGET / root'
# A guard of yours reading Authorization, without and with tr_basic_credentials.
variant f_guard_auth 'guard / g header=Authorization\nGET / root'
variant f_basic_cred 'basic_credentials on\nguard / g header=Authorization\nGET / root'
cat >"$work/f_basic_cred/handlers.c" <<'EOF'
#include "hello_routes.h"
int hello_g(tr_res *res, tr_str authorization)
{
    tr_str u, p;
    (void)res;
    return tr_basic_credentials(authorization, (char *)authorization.ptr, authorization.len, &u, &p) < 0
           || u.len != p.len;
}
void hello_root(tr_res *res) { tr_res_int(res, 1); }
EOF
variant f_session 'guard / session\nGET / root'
variant f_throttle 'guard / throttle\nGET / root'
# Basic in a spec with a throttle guard: its failures count as logins, and a
# client that must wait gets 429 before any crypt (TR_THROTTLE_BASIC).
variant f_throttle_basic 'guard / throttle\nguard / basic\nGET / root'
variant f_throttle_basic_cred 'basic_credentials on\nguard / throttle\nguard / g header=Authorization\nGET / root'
cat >"$work/f_throttle_basic_cred/handlers.c" <<'EOF'
#include "hello_routes.h"
int hello_g(tr_res *res, tr_str authorization)
{
    tr_str u, p;
    uint64_t k;
    int st = tr_throttle_check(res, &k);
    if (st)
        return st;
    st = tr_basic_credentials(authorization, (char *)authorization.ptr, authorization.len, &u, &p) < 0
         || u.len != p.len;
    if (st)
        tr_throttle_failed(k);
    else
        tr_throttle_passed(k);
    return st;
}
void hello_root(tr_res *res, uint64_t throttle) { tr_res_int(res, (int64_t)throttle); }
EOF
variant f_throttle_auth 'guard / throttle\nguard / g header=Authorization\nGET / root'
# A login and a page with a session, without and with the CSRF token (the
# token's handler reads it: tr_session_token linked too).
variant f_session_login 'guard / session\nPOST /login login guard=none\nGET / root header=Cookie'
cat >"$work/f_session_login/handlers.c" <<'EOF'
#include "hello_routes.h"
void hello_login(tr_res *res) { tr_res_int(res, tr_session_start(res, 1)); }
void hello_root(tr_res *res, tr_str cookie) { tr_session_end(res, cookie); }
EOF
variant f_session_token 'guard / session csrf-token\nPOST /login login guard=none\nGET / root header=Cookie'
cat >"$work/f_session_token/handlers.c" <<'EOF'
#include "hello_routes.h"
void hello_login(tr_res *res) { tr_res_int(res, tr_session_start(res, 1)); }
void hello_root(tr_res *res, tr_str cookie)
{
    char t[32];
    if (tr_session_token(cookie, t) == 0)
        tr_res_write(res, t, sizeof t);
    tr_session_end(res, cookie);
}
EOF
variant f_cors 'cors / origins="https://ui.example" methods=PUT headers=Content-Type credentials max-age=10m\nGET / root'
variant f_json_read 'PUT / root json=<ssid>,<channel:uint>'
variant f_form 'PUT / root form=<ssid>,<channel:uint>'
variant f_listen2 'listen [::]:8081\nGET / root'
variant f_tls1 'listen 0.0.0.0:8443 tls\ntls ciphers chacha20\ntls keys ec\nGET / root'
variant f_tls1_nocache 'listen 0.0.0.0:8443 tls\ntls ciphers chacha20\ntls keys ec\ntls sessions 0\nGET / root'
variant f_tls_ec 'listen 0.0.0.0:8443 tls\ntls keys ec\nGET / root'
variant f_tls_all 'listen 0.0.0.0:8443 tls\nGET / root'
# Deferred answers: a handler that defers, and one that answers through
# the handle (stubs would leave the API unreferenced, and unlinked).
variant f_defer 'GET / root defer\nGET /go go'
cat >"$work/f_defer/handlers.c" <<'EOF'
#include "hello_routes.h"
static tr_later held;
void hello_root(tr_res *res) { held = tr_res_defer(res, 0, 0); }
void hello_go(tr_res *res)
{
    tr_res *r = tr_later_res(held);
    if (r)
        tr_res_int(r, 1);
    tr_res_int(res, tr_later_send(held));
}
EOF
# Streamed bodies: a handler that streams (fill and done referenced).
variant f_pull 'GET / root stream'
cat >"$work/f_pull/handlers.c" <<'EOF'
#include "hello_routes.h"
static long fill(void *arg, char *buf, size_t cap) { (void)arg; buf[0] = 'x'; return cap ? 1 : 0; }
static void done(void *arg, int ok) { (void)arg, (void)ok; }
void hello_root(tr_res *res) { tr_stream_resume(tr_res_stream(res, -1, fill, done, 0)); }
EOF
# A file as the answer, with its Range (tr_file.c, tr_range.h; on top of stream's tr_pull.c).
variant f_file 'GET / root file header=Range'
cat >"$work/f_file/handlers.c" <<'EOF'
#include <unistd.h>
#include "hello_routes.h"
void hello_root(tr_res *res, tr_str range)
{
    tr_str none = { 0, 0 };
    tr_res_file_range(res, dup(0), 1, range, none, 0, 0);
}
EOF
# The loop shared with the app: an init that watches a descriptor and
# starts a timer (the generated main; tr_open/tr_step are for `main off`).
variant f_loop 'init start\nGET / root'
cat >"$work/f_loop/handlers.c" <<'EOF'
#include "hello_routes.h"
static void on_fd(int fd, unsigned ev, void *arg) { (void)ev, (void)arg; tr_loop_fd_remove(fd); }
static void on_timer(int t, void *arg) { (void)arg; tr_loop_timer_stop(t); }
int hello_start(void) { return tr_loop_fd(0, TR_READABLE, on_fd, 0) + tr_loop_timer(10, 1, on_timer, 0); }
void hello_root(tr_res *res) { tr_res_int(res, 1); }
EOF
# Server-sent events: a handler that subscribes, and one that broadcasts
# (tr_sse_send referenced too).
variant f_sse 'GET / root events\nGET /go go'
cat >"$work/f_sse/handlers.c" <<'EOF'
#include "hello_routes.h"
static tr_sse who;
void hello_root(tr_res *res) { who = tr_res_sse(res, 0, 0); }
void hello_go(tr_res *res) { tr_res_int(res, tr_sse_broadcast("e", 0, "x", 1) + tr_sse_send(who, 0, 0, "y", 1)); }
EOF

# Debian's libbearssl.a of a target (libbearssl-dev:ARCH), for TLS specs.
bearssl_lib() {
    case $1 in
    x86_64) d=x86_64-linux-gnu ;; armhf) d=arm-linux-gnueabihf ;;
    aarch64) d=aarch64-linux-gnu ;; mipsel) d=mipsel-linux-gnu ;;
    esac
    echo "/usr/lib/$d/libbearssl.a"
}

# build TARGET LIBC NAME -> "stripped text data bss", or nothing
build_one() {
    c=$(cfg "$1" "$2")
    cc=${c%%|*} r=${c#*|} extra=${r%%|*} r=${r#*|} sz=${r%%|*}
    command -v "$cc" >/dev/null 2>&1 || return 0
    out="$work/$3.$1.$2"
    tls=""
    if grep -q '^#define TR_WITH_TLS 1' "$work/$3/tr_config.h"; then
        lib=$(bearssl_lib "$1")
        [ -f "$lib" ] || { echo "size: no $lib (libbearssl-dev:$1): $3 skipped" >&2; return 0; }
        # Debian's archive is built with _FORTIFY_SOURCE: musl needs the
        # two checks it calls (cmake/musl_fortify.c).
        tls="-I/usr/include/bearssl $lib"
        [ "$2" = musl ] && tls="$root/cmake/musl_fortify.c $tls"
    fi
    # shellcheck disable=SC2086
    "$cc" $FLAGS $extra -I"$work/$3" "$work/$3"/*.c $tls -o "$out" 2>"$out.log" || {
        echo "size: $3 $1 $2 failed:" >&2; tail -5 "$out.log" >&2; return 0; }
    set -- $("$sz" -B "$out" | tail -1)
    echo "$(wc -c <"$out" | tr -d ' ') $1 $2 $3"
}

fmt() { printf '%-11s %-8s %-6s %9s %8s %6s %9s %9s\n' "$@"; }

targets=${SIZE_TARGETS:-x86_64 armhf aarch64 mipsel}
echo "Stripped bytes (file) and size(1) text/data/bss; budget: the issue's, '-' none."
echo
fmt program target libc stripped text data bss budget
fmt ------- ------ ---- -------- ---- ---- --- ------
results="$work/results"
: >"$results"
for t in $targets; do
    for libc in musl glibc; do
        c=$(cfg "$t" "$libc")
        command -v "${c%%|*}" >/dev/null 2>&1 || { echo "(no ${c%%|*}: $t $libc skipped)"; continue; }
        set -- ${c##*|}
        bh=$1 br=$2 bm=$3
        for p in hello reference rest200; do
            r=$(build_one "$t" "$libc" "$p")
            [ -n "$r" ] || continue
            echo "$p $t $libc $r" >>"$results"
            case $p in hello) b=$bh ;; reference) b=$br ;; *) b=$bm ;; esac
            [ "$p" = rest200 ] && [ "$b" != - ] && b="hello+$b"
            # shellcheck disable=SC2086
            fmt "$p" "$t" "$libc" $r "$b"
        done
    done
done

get() { awk -v p="$1" -v t="$2" -v l="$3" '$1==p && $2==t && $3==l { print $4 }' "$results"; }

echo
echo "Per route: (rest200 - hello) / 200, stripped bytes; budget: the issue's / 200."
echo
printf '%-8s %-6s %10s %8s %8s\n' target libc rest-hello per-route budget
for t in $targets; do
    for libc in musl glibc; do
        a=$(get rest200 "$t" "$libc") h=$(get hello "$t" "$libc")
        [ -n "$a" ] && [ -n "$h" ] || continue
        set -- $(cfg "$t" "$libc" | sed 's/.*|//')
        b=-; [ "$3" != - ] && b=$(($3 / 200))
        printf '%-8s %-6s %10d %8d %8s\n' "$t" "$libc" $((a - h)) $(((a - h) / 200)) "$b"
    done
done

echo
echo "Feature costs, musl static: a hello variant that needs the feature minus one"
echo "that does not (stub handlers in both); text bytes of size(1), then stripped."
echo
printf '%-36s' feature
for t in $targets; do printf ' %15s' "$t"; done
echo
feature() { # LABEL WITH WITHOUT
    with=$2 without=$3
    printf '%-36s' "$1"
    for t in $targets; do
        a=$(build_one "$t" musl "$with") b=$(build_one "$t" musl "$without")
        if [ -n "$a" ] && [ -n "$b" ]; then
            set -- $a $b
            printf ' %7d/%7d' $(($2 - $6)) $(($1 - $5))
        else
            printf ' %15s' -
        fi
    done
    echo
}
feature "body, Content-Length (body=1K)" f_body_nochunk f_base
feature "chunked decoder (on with body)" f_body f_body_nochunk
feature "streamed body (body=1K,stream)" f_stream f_body
feature "multipart splitter (,multipart)" f_multipart f_stream
feature "query string ?<q> (+ pct)" f_query f_base
feature "integers /<n:int>" f_int f_base
feature "bool query value ?<on:bool>" f_bool f_query
feature "percent-decoding /<s>" f_pct f_base
feature "declared header (header=...)" f_header f_base
feature "Date (date on)" f_date f_base
feature "automatic OPTIONS" f_base f_nooptions
feature "a body for 404 (error, 1 byte)" f_error f_base
feature "a mount (one file) for GET / root" f_mount f_base
feature "10 more 1-byte files (all of it)" f_mount11 f_mount
feature "a guard of yours (guard / g)" f_guard f_base
feature "basic guard, SHA-512 crypt" f_basic f_base
feature "basic check=NAME (no file, no crypt)" f_basic_check f_base
feature "tr_basic_credentials in a guard" f_basic_cred f_guard_auth
feature "session guard, cookies, CSRF" f_session f_base
feature "login throttle (guard / throttle)" f_throttle f_base
feature "Basic under a throttle guard" f_throttle_basic f_basic
feature "a Basic guard of yours, throttled" f_throttle_basic_cred f_throttle_auth
feature "CSRF token (session csrf-token)" f_session_token f_session_login
feature "form fields (form=<s>,<n:uint>)" f_form f_base
feature "JSON fields instead (json=...)" f_json_read f_form
feature "CORS (cors / origins=... max-age=)" f_cors f_base
feature "a second listener (plain, IPv6)" f_listen2 f_base
feature "TLS, one suite (ECDSA+ChaCha20)" f_tls1 f_base
feature "TLS, one suite, no session cache" f_tls1_nocache f_base
feature "TLS, EC keys, 3 ciphers" f_tls_ec f_base
feature "TLS, browser set (EC+RSA, 3 ciph.)" f_tls_all f_base
feature "deferred answers (defer)" f_defer f_base
feature "app fds and timers in the loop (init)" f_loop f_base
feature "answers in pieces (stream)" f_pull f_base
feature "events (SSE) over stream" f_sse f_pull
feature "a file as the answer (file, Range)" f_file f_pull

# The serving code alone: tr_asset.c, with tr_range.h (Berkeley text: code and constants)
# and tr_res_fields, the head copy in tr_response.c, at -Os (Thumb-2 on
# armhf), compiled as objects with each target's glibc compiler.
echo
echo "Serving code of embedded files, -Os, bytes of text (goal on armhf: 1,536):"
echo
printf '%-8s %10s %14s %6s\n' target tr_asset.c tr_res_fields total
for t in $targets; do
    c=$(cfg "$t" glibc)
    cc=${c%%|*} r=${c#*|} extra=${r%%|*} r=${r#*|} sz=${r%%|*}
    command -v "$cc" >/dev/null 2>&1 || continue
    case $t in armhf) extra=-mthumb ;; *) extra= ;; esac
    for o in tr_asset tr_response; do
        # shellcheck disable=SC2086
        "$cc" -Os $extra -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
            -c -I"$work/f_mount" "$work/f_mount/$o.c" -o "$work/$o.$t.o"
    done
    a=$("$sz" -B "$work/tr_asset.$t.o" | awk 'NR == 2 { print $1 }')
    f=$("$sz" -A "$work/tr_response.$t.o" | awk '$1 == ".text.tr_res_fields" { print $2 }')
    printf '%-8s %10d %14d %6d\n' "$t" "$a" "$f" $((a + f))
done
echo
echo "Per file: a row of NAME_assets.c (body, two lengths, two 8-byte ETags, two head"
echo "numbers) is 32 bytes on 32-bit targets; heads are shared (the rows above)."
