#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cli_badinput.sh BIN - bad input through the command line: each case must exit
# with status 2 and print exactly one error line that names where the fault is.
# Under AddressSanitizer a leak on the error path turns the status into 23, so
# this also checks that an error path frees what it loaded.
bin=$1
err=$(mktemp)
trap 'rm -f "$err"' EXIT
fails=0

expect() { # expect SUBSTRING ARGS...
    want=$1
    shift
    "$bin" "$@" >/dev/null 2>"$err"
    rc=$?
    lines=$(wc -l <"$err")
    if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$want" "$err"; then
        echo "FAIL: proxysim $* -> status $rc, $lines stderr lines, expected 2 and one line with '$want':"
        cat "$err"
        fails=$((fails + 1))
    fi
}

expect "--set:1:16: warmup: out of range" run burst-hardened --set profile.warmup=5000s
expect "--set:1:8: warmup: out of range" run low --set warmup=5000s
expect "--set:1:1: bogus: unknown key" run low:bounded-target --set bogus=1
expect "transient: conflicts with the warm-up" run burst --set warmup=5s
expect "--reps" run low --reps 0
expect "--vary warmup=401s" sweep low --vary warmup=1s:500s:100s --reps 2
exit $fails
