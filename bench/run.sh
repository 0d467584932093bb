#!/usr/bin/env bash
# bench/run.sh - the engine benchmarks of issue 2, each beside its yardstick.
#
# usage: bench/run.sh [PROXYSIM] [RUNS]      (defaults: build/proxysim, 5)
#
# Runs proxysim and the bare reference loops of ../shared/bench alternately,
# RUNS times each, timing whole processes the same way (wall clock, including
# set-up), and prints the medians and the ratios.  Medians of alternating runs
# cancel most of the noise of a shared machine; never compare numbers taken at
# different times.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=${1:-$top/build/proxysim}
runs=${2:-5}
shared=${PROXYSIM_SHARED:-$(dirname "$top")/shared}
ref=/tmp/proxysim-ref
make -s -C "$shared/bench" BIN="$ref" >/dev/null

now_ns() { date +%s%N; }
# time_cmd CMD...: prints the wall seconds of one run (output discarded)
time_cmd() {
    local t0 t1
    t0=$(now_ns); "$@" >/dev/null; t1=$(now_ns)
    echo "scale=6; ($t1 - $t0) / 1000000000" | bc
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { echo "scale=3; $1 / $2" | bc; }

echo "# proxysim engine benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, medians of $runs alternating runs"

customers=4000000
ours=(); theirs=()
for ((i = 0; i < runs; i++)); do
    ours+=("$(time_cmd "$bin" bench mm1 --customers $customers)")
    theirs+=("$(time_cmd "$ref/mm1_ref" -n $customers -l 0.9 -m 1.0 -r log)")
done
mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
echo "mm1 rho=0.9 customers=$customers proxysim_s=$mo ref_s=$mt ratio=$(ratio "$mo" "$mt")" \
     "proxysim_customers_per_s=$(echo "$customers / $mo" | bc) (targets: >= 12000000/s, ratio <= 1.5)"

events=5000000
for pending in 10 1000 100000 1000000; do
    ours=(); theirs=()
    for ((i = 0; i < runs; i++)); do
        ours+=("$(time_cmd "$bin" bench hold --pending $pending --events $events)")
        theirs+=("$(time_cmd "$ref/hold" -p $pending -n $events -r log)")
    done
    mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
    echo "hold pending=$pending events=$events proxysim_s=$mo ref_s=$mt ratio=$(ratio "$mo" "$mt")" \
         "proxysim_ns_per_event=$(echo "$mo * 1000000000 / $events" | bc) (target: ratio <= 1.5)"
done
"$bin" bench hold --pending 1000000 --events 1000 | sed 's/.*bytes_per_pending=/engine bytes per pending event (1,000,000 pending): /'

reps=16; rc=2000000
one=(); two=()
for ((i = 0; i < runs; i++)); do
    one+=("$(time_cmd "$bin" bench reps --reps $reps --customers $rc --threads 1)")
    two+=("$(time_cmd "$bin" bench reps --reps $reps --customers $rc --threads 2)")
done
m1=$(median "${one[@]}"); m2=$(median "${two[@]}")
echo "replications reps=$reps customers=$rc threads1_s=$m1 threads2_s=$m2 speedup=$(ratio "$m1" "$m2") (target: >= 1.8)"
