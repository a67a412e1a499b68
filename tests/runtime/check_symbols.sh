#!/bin/sh
# Fails when a runtime object exports a symbol without the tr_ prefix.
# Usage: check_symbols.sh libtr_rt_test.a  (fake_app.o is the test double: skipped;
# __odr_asan.* are AddressSanitizer's own, in a sanitizer build)
bad=$(nm -A --defined-only --extern-only "$1" 2>/dev/null |
      grep -v 'fake_app\.c\.o' |
      awk '{ print $NF }' | grep -v '^tr_' | grep -v '^__odr_asan' | grep -v '^$')
if [ -n "$bad" ]; then
    echo "symbols without the tr_ prefix:"; echo "$bad"; exit 1
fi
nm --defined-only --extern-only "$1" | grep -q ' tr_serve$' || { echo "no tr_serve in $1"; exit 1; }
echo "ok"
