#!/bin/bash
# basicflood.sh ADMIN_BIN WORKDIR - examples/admin's /api guard counts a
# wrong HTTP Basic password as a failed login (the login's throttle table):
# one connection pipelining N wrong-Basic requests gets 401 for the first
# failures and then 429 with Retry-After, answered at once (no SHA-512
# crypt for a client that must wait); another client's GET /style.css is
# answered promptly meanwhile (bounds: a few crypts, timed here first);
# the flooding address waits even with the right password, another
# address (127.0.0.2) logs in with it.
set -u
bin=$1
work=$2
n=${FLOOD:-100}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/dir"
cd "$work" || exit 1
. "$here/server.sh"
start_admin
trap 'kill $pid 2>/dev/null' EXIT
u=http://127.0.0.1:$hp

# One crypt's cost here (a right password, which also forgets failures):
# the bounds below allow the few crypts the throttle lets through.
one=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 -u admin:pw-42 $u/api/status)
# The flood: N-1 requests for admin:wrong, then the right password, with
# Connection: close: it comes from the same address, so it waits too.
req='GET /api/status HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWRtaW46d3Jvbmc=\r\n\r\n'
: >flood.req
for _ in $(seq $((n - 1))); do printf "$req" >>flood.req; done
printf 'GET /api/status HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWRtaW46cHctNDI=\r\nConnection: close\r\n\r\n' >>flood.req
t0=$(date +%s%N)
exec 3<>/dev/tcp/127.0.0.1/$hp
cat <&3 >flood.out &
reader=$!
cat flood.req >&3
sleep 0.1
victim=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 $u/style.css)
timeout 60 tail --pid=$reader -f /dev/null
exec 3<&-
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
n401=$(grep -c '^HTTP/1.1 401' flood.out)
n429=$(grep -c '^HTTP/1.1 429' flood.out)
nra=$(grep -ci '^Retry-After: ' flood.out)
echo "one crypt: $one s; flood of $n: $n401 x 401, $n429 x 429 ($nra Retry-After) in $ms ms; victim: $victim"
# after=5: five free failures, the sixth blocks for 1 s; the rest are 429,
# the right password last among them.
[ "$n401" = 6 ] && ok "6 wrong passwords checked, then no more" || fail "$n401 answers 401, want 6"
[ "$n429" = $((n - 6)) ] && [ "$nra" = "$n429" ] && ok "the rest 429 with Retry-After" \
    || fail "$n429 answers 429 ($nra Retry-After), want $((n - 6))"
last=$(grep '^HTTP/1.1 ' flood.out | tail -1)
case $last in "HTTP/1.1 429"*) ok "the flooding address waits, even with the right password" ;;
    *) fail "the right password at the flood's end: $last" ;; esac
# Seven crypts at most (the one above's cost each), and a little slack.
awk "BEGIN { exit !($ms / 1000 < 7 * $one + 0.5) }" && ok "the flood answered in $ms ms" \
    || fail "the flood took $ms ms (one crypt $one s)"
set -- $victim
[ "$1" = 200 ] && awk "BEGIN { exit !($2 < 7 * $one + 0.25) }" && ok "GET /style.css during the flood: $victim" \
    || fail "GET /style.css during the flood: $victim (one crypt $one s)"

code=$(curl -s -o out -w '%{http_code}' --max-time 5 --interface 127.0.0.2 -u admin:pw-42 $u/api/status)
[ "$code" = 200 ] && ok "another address logs in with Basic" || fail "another address: $code $(cat out)"
code=$(curl -s -o out -w '%{http_code}' --max-time 5 --interface 127.0.0.2 -d 'user=admin&password=pw-42' $u/api/login)
[ "$code" = 200 ] && ok "...and with the form" || fail "another address, form login: $code $(cat out)"
sleep 1.1
code=$(curl -s -o out -w '%{http_code}' --max-time 5 -u admin:pw-42 $u/api/status)
[ "$code" = 200 ] && ok "after Retry-After the right password passes" || fail "after the wait: $code $(cat out)"

kill $pid; wait $pid 2>/dev/null
trap - EXIT
[ $fails -eq 0 ] && echo "basicflood: all passed" || echo "basicflood: $fails failed"
[ $fails -eq 0 ]
