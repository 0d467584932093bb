#!/usr/bin/env bash
# bench/abba.sh - is binary B faster than binary A?  Paired runs in ABBA order.
#
# usage: bench/abba.sh PAIRS BIN_A BIN_B -- PROXYSIM_ARGS...
#   e.g. bench/abba.sh 20 old/proxysim build/proxysim -- run high --reps 1 --threads 1 --set duration=300s
#
# Runs A and B back to back PAIRS times, A first in odd pairs and B first in even
# ones (so neither always runs second), and prints each binary's median and the
# median of the paired ratios B/A.  The metric is the one the command prints:
# requests per second of wall time for `run`, sse_events_per_s for `bench sse`,
# ns_per_event for `bench hold` and `bench mm1` (lower is better there).  On the
# shared 2-core box two copies of one binary give paired medians between 0.97
# and 1.12 over 20-30 pairs: read a ratio within about 10% of 1 as no change.
set -euo pipefail
if [ $# -lt 4 ] || [ "$4" != "--" ]; then
    echo "usage: $0 PAIRS BIN_A BIN_B -- PROXYSIM_ARGS..." >&2
    exit 2
fi
pairs=$1 a=$2 b=$3
shift 4
case $pairs in '' | *[!0-9]* | 0)
    echo "$0: PAIRS must be a positive integer, not '$pairs'" >&2
    exit 2
    ;;
esac
for bin in "$a" "$b"; do
    [ -x "$bin" ] || { echo "$0: $bin is not an executable" >&2; exit 2; }
done

# metric BIN: the run's figure of merit, from its output
metric() {
    local v
    v=$("$@" 2>&1 | sed -n -e 's/.*events: \([0-9.e+]*\) requests.*/\1/p' \
        -e 's/.*sse_events_per_s=\([0-9.e+]*\).*/\1/p' \
        -e 's/.*ns_per_event=\([0-9.]*\).*/\1/p' | head -n 1)
    [ -n "$v" ] || { echo "$0: no metric in the output of: $*" >&2; exit 1; }
    echo "$v"
}

for i in $(seq "$pairs"); do
    if [ $((i % 2)) -eq 1 ]; then
        x=$(metric "$a" "$@"); y=$(metric "$b" "$@")
    else
        y=$(metric "$b" "$@"); x=$(metric "$a" "$@")
    fi
    echo "$x $y"
done | awk '
    { a[NR] = $1; b[NR] = $2; r[NR] = $2 / $1 }
    function median(v, n,    i, j, t, w) {
        for (i = 1; i <= n; i++) w[i] = v[i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && w[j-1] > w[j]; j--) { t = w[j]; w[j] = w[j-1]; w[j-1] = t }
        return (n % 2) ? w[(n+1)/2] : (w[n/2] + w[n/2+1]) / 2
    }
    END {
        printf "A median %.4g  B median %.4g  paired B/A median %.3f  (%d pairs)\n", median(a, NR), median(b, NR), median(r, NR), NR
    }'
