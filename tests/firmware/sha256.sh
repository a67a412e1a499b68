#!/bin/sh
# sha256.sh CLI WORKDIR - examples/admin/sha256.c against sha256sum: the
# FIPS 180-4 examples ("abc", 448 bits, a million 'a'), the empty message,
# every length from 0 to 200 (each padding case), and a random megabyte,
# each fed in pieces of 1, 63, 64, 65 and 4096 bytes.
set -eu
cli=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"
printf abc >abc
printf abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq >fips448
: >empty
awk 'BEGIN { while (i++ < 1000000) printf "a" }' >million
head -c 1048577 /dev/urandom >random
i=0
while [ $i -le 200 ]; do head -c $i random >len$i; i=$((i + 1)); done
sha256sum abc fips448 empty million random len* >want
# FIPS 180-4's own answers, so that sha256sum is checked too.
grep -q '^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  abc$' want
grep -q '^248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1  fips448$' want
grep -q '^cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0  million$' want
for piece in 1 63 64 65 4096; do
    "$cli" $piece abc fips448 empty million random len* >got
    if ! cmp -s want got; then
        echo "FAIL: pieces of $piece:"; diff want got | head; exit 1
    fi
done
echo "sha256: $(wc -l <want) files, 5 piece sizes, all equal to sha256sum"
