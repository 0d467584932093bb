#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/experiments.sh - the issue 7 targets: a 20-point x 10-replication sweep of
# the `high` profile on 1 and 2 threads, and on 1 and 2 MPI ranks.
#   bench/experiments.sh BUILD_MPI_DIR [RUNS]
# BUILD_MPI_DIR holds a proxysim built with -DPROXYSIM_MPI=ON (make test-mpi builds
# build-mpi).  Prints each wall time and the medians; uptime before and after.
set -eu
BIN=${1:-build-mpi}/proxysim
RUNS=${2:-3}
SWEEP="sweep high --vary upstream.max_conns=8:160:8 --reps 10 --seed 1 --quiet"
MPIRUN="mpirun --oversubscribe --allow-run-as-root"
t() { s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "uptime before: $(uptime)"
for mode in threads1 threads2 mpi1 mpi2; do
  : > /tmp/bench_exp_$mode
  i=0
  while [ $i -lt "$RUNS" ]; do
    case $mode in
      threads1) x=$(t $BIN $SWEEP --threads 1) ;;
      threads2) x=$(t $BIN $SWEEP --threads 2) ;;
      mpi1) x=$(t $MPIRUN -np 1 $BIN $SWEEP) ;;
      mpi2) x=$(t $MPIRUN -np 2 $BIN $SWEEP) ;;
    esac
    echo "$mode run $i: $x s"
    echo "$x" >> /tmp/bench_exp_$mode
    i=$((i + 1))
  done
done
for mode in threads1 threads2 mpi1 mpi2; do
  echo "$mode median: $(median < /tmp/bench_exp_$mode) s"
done
echo "speed-up threads 2 vs 1: $(echo "$(median < /tmp/bench_exp_threads1) / $(median < /tmp/bench_exp_threads2)" | bc -l | cut -c1-5)"
echo "speed-up mpi 2 vs 1:     $(echo "$(median < /tmp/bench_exp_mpi1) / $(median < /tmp/bench_exp_mpi2)" | bc -l | cut -c1-5)"
echo "uptime after: $(uptime)"
