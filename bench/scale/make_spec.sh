#!/bin/sh
# make_spec.sh N NAME - prints a REST-style spec of about N routes: resources
# under versioned prefixes, literal and typed siblings, several methods per
# path, up to six segments deep.  Deterministic: the same N, the same spec.
n=$1 name=${2:-scale}
echo "name $name"
echo "main off"
i=0
r=0
while [ $i -lt "$n" ]; do
    v=$((r % 3 + 1))
    res="res$r"
    echo "GET        /api/v$v/$res                         ${res}_list"
    echo "POST       /api/v$v/$res                         ${res}_create body=4K"
    echo "GET        /api/v$v/$res/<id:uint>               ${res}_get"
    echo "PUT        /api/v$v/$res/<id:uint>               ${res}_change body=4K"
    echo "DELETE     /api/v$v/$res/<id:uint>               ${res}_remove"
    echo "GET        /api/v$v/$res/search                  ${res}_search"
    echo "GET        /api/v$v/$res/<id:uint>/items/<name>  ${res}_item"
    echo "GET        /api/v$v/$res/<id:uint>/items/<name>/history/<n:int> ${res}_history"
    i=$((i + 8))
    r=$((r + 1))
done
