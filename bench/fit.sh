#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/fit.sh [PROXYSIM] [N]: times `proxysim fit` on N (default 10,000,000) lognormal samples
# in milliseconds, one a line with a header, and prints the median of 3 runs.
# The file is generated once with awk (Box-Muller, fixed seed) and cached in $TMPDIR.
set -eu
bin=${1:-build/proxysim}
n=${2:-10000000}
dir=${TMPDIR:-/tmp}
data="$dir/proxysim-fit-bench-$n.csv"
if [ ! -s "$data" ]; then
  echo "generating $n samples into $data" >&2
  awk -v n="$n" 'BEGIN {
    srand(20261125); print "latency_ms";
    for (i = 0; i < n; i++) {
      u = rand(); if (u < 1e-12) u = 1e-12;
      z = sqrt(-2 * log(u)) * cos(6.283185307179586 * rand());
      printf "%.4f\n", exp(3.0 + 0.8 * z);
    }
  }' > "$data.tmp" && mv "$data.tmp" "$data"
fi
times=""
for run in 1 2 3; do
  t0=$(date +%s.%N)
  "$bin" fit "$data" --unit ms > "$dir/proxysim-fit-bench.out"
  t1=$(date +%s.%N)
  t=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')
  echo "run $run: ${t}s" >&2
  times="$times $t"
done
median=$(echo $times | tr ' ' '\n' | sort -n | sed -n 2p)
echo "fit: $n samples, median of 3: ${median}s"
head -12 "$dir/proxysim-fit-bench.out"
