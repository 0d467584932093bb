#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cli_run.sh BIN - what `proxysim run` prints for a person: the table's values
# with their units, and the two closing lines of what binds (the figure
# closest to its limit, the largest error cause); and plan's note when a
# latency SLO meets SSE stream lengths.  Seeded, so exact.
bin=$1
out=$(mktemp)
dir=$(mktemp -d)
trap 'rm -rf "$out" "$dir"' EXIT
fails=0

has() { # has LINE-SUBSTRING: the last run printed it
    if ! grep -qF -- "$1" "$out"; then
        echo "FAIL: expected a line with '$1' in:"
        cat "$out"
        fails=$((fails + 1))
    fi
}

"$bin" run low --reps 2 --seed 1 >"$out" 2>/dev/null || fails=$((fails + 1))
has "memory_bytes_peak                 B          48"
has " MiB ["
has "closest to a limit: peak memory"
has "(review max_memory)"
"$bin" run low --reps 2 --seed 1 --json >"$out" 2>/dev/null || fails=$((fails + 1))
has '"confidence":0.95,"replications_stopped":0,"finding":"","metrics":{"latency_p50_s":{"unit":"s",'
has '"stopped":{"unit":"1","mean":0,'

# A cap is compared with what it governs: quickstart's legacy design opens a client per GET
# stream outside its shared pool, so with upstream.max_conns=16 the pool's own peak (16) is
# at its cap, not every upstream socket ("peak upstream conns 86, 538% of 16").
"$bin" run quickstart --reps 2 --set upstream.max_conns=16 --set profile.duration=20s \
    --set profile.warmup=5s >"$out" 2>&1 || fails=$((fails + 1))
has "closest to a limit: peak pool conns 16 [16, 16], 100% of 16 (upstream.max_conns)"
has "pool_conns_peak                   conns      16 [16, 16]"
if grep -q "closest to a limit: peak upstream conns" "$out"; then
    echo "FAIL: every upstream socket compared with upstream.max_conns"
    fails=$((fails + 1))
fi

# scenario.design=D is design=D written in full: it swaps the scenario's design
"$bin" run quickstart --reps 2 --set scenario.design=bounded-target --set profile.duration=10s \
    --set profile.warmup=2s >"$out" 2>&1 || fails=$((fails + 1))
has "scenario quickstart  profile medium  design bounded-target"

# --out's files are written as a set: one that cannot be (a directory in the way)
# leaves none, and the run exits 2 naming it
mkdir -p "$dir/set/timeseries.csv"
"$bin" run low --reps 2 --out "$dir/set" >/dev/null 2>"$out"
rc=$?
has "proxysim run: $dir/set/timeseries.csv: is a directory"
if [ "$rc" -ne 2 ] || [ -e "$dir/set/summary.csv" ] || ls "$dir/set" | grep -q tmp; then
    echo "FAIL: run --out with timeseries.csv a directory: status $rc, left: $(ls "$dir/set")"
    fails=$((fails + 1))
fi

# fit without --unit: the snippet's numbers are the file's, and it says so (a config
# reads a plain number as seconds: a column in ms pasted as is would be 1000x off)
printf 'latency_ms\n12\n15\n30\n22\n18\n25\n40\n11\n' >"$dir/lat.csv"
"$bin" fit "$dir/lat.csv" --dists lognormal >"$out" 2>&1 || fails=$((fails + 1))
has "note: no --unit, so the snippet's numbers are in the file's own unit"
"$bin" fit "$dir/lat.csv" --dists lognormal --unit ms >"$out" 2>&1 || fails=$((fails + 1))
has "{dist: lognormal, mean: 21.62ms, cv: 0.4399}"
if grep -q 'note: no --unit' "$out"; then
    echo "FAIL: fit --unit ms still notes a missing unit"
    fails=$((fails + 1))
fi

# A mix changed share by share (docs/CONFIG.md's example): the shares sum to 1
# once every --set is applied, so a profile and a scenario both take it.
"$bin" check medium --set mix.post_json=0.9 --set mix.post_sse=0.1 --set mix.get_sse=0 \
    >"$out" 2>&1 || fails=$((fails + 1))
has "medium: ok (profile medium)"
"$bin" check quickstart --set mix.post_json=0.8 --set mix.post_sse=0.15 >"$out" 2>&1 ||
    fails=$((fails + 1))
has "quickstart: ok (scenario"
"$bin" run quickstart --reps 2 --set mix.post_json=0.8 --set mix.post_sse=0.15 \
    --set profile.duration=10s --set profile.warmup=2s >"$out" 2>&1 || fails=$((fails + 1))
has "scenario quickstart"

# fit on samples that are all equal: the snippet is the config's constant, not an exponential.
printf 'latency_ms\n5\n5\n5\n5\n' >"$dir/constant.csv"
"$bin" fit "$dir/constant.csv" --unit ms >"$out" 2>&1 || fails=$((fails + 1))
has "every sample is 5ms: a constant"
has "  {dist: deterministic, value: 5ms}"
printf 'latency_ms\n1234.5678\n1234.5678\n' >"$dir/constant.csv" # 4 digits would round it
"$bin" fit "$dir/constant.csv" --unit ms >"$out" 2>&1 || fails=$((fails + 1))
has "  {dist: deterministic, value: 1.2345678s}"
if grep -q "empirical" "$out"; then
    echo "FAIL: fit on a constant offers the empirical distribution too"
    fails=$((fails + 1))
fi

# A scenario that is valid only once its --set are applied runs (it was refused for the
# warm-up its file gives, before the --set duration that makes it fit).
printf 'kind: scenario\nprofile: {base: low, warmup: 200s}\ndesign: legacy-reverse\n' >"$dir/late.yaml"
"$bin" run "$dir/late.yaml" --set profile.duration=300s --reps 2 >"$out" 2>&1 || fails=$((fails + 1))
has "scenario late  profile low  design legacy-reverse"

# A design capped at 200 tasks on the high profile: the cap binds and the
# refusals are the errors: error_rate_rejected_tasks, the only part shown.
printf 'kind: design\nbase: refactored-hardened\nname: capped\nspawn:\n  max_tasks: 200\n' \
    >"$dir/capped.yaml"
"$bin" run "high:$dir/capped.yaml" --reps 2 --seed 1 --set profile.duration=10s \
    --set profile.warmup=2s >"$out" 2>/dev/null || fails=$((fails + 1))
has "closest to a limit: peak tasks"
has "of 200 (spawn.max_tasks)"
has "most errors: error_rate_rejected"
has "; the largest part error_rate_rejected_tasks"
has "error_rate_rejected_tasks         1"
if grep -q "error_rate_rejected_body" "$out"; then # a part that refused nothing is left out
    echo "FAIL: error_rate_rejected_body (0) in the table"
    fails=$((fails + 1))
fi

# The report's summary gives the figure's real share of its limit, as run does (it
# said 100%): legacy-reverse's peak tasks on high, three times the review's 3k.
"$bin" report --profiles high --designs legacy-reverse --reps 2 --ci-target 0 --seed 1 \
    --threads 1 --quiet --out "$dir/report" >/dev/null 2>&1 || fails=$((fails + 1))
cp "$dir/report/report.md" "$out"
has "which reaches or exceeds its limit of 3k (review max_tasks), at 312% of it."

# high answers 10% of POSTs with SSE streams: its p99 is their length, and plan says so.
# The bound is given with a unit and shown in seconds.
"$bin" plan high --vary upstream.max_conns=8:64:8 --slo 'latency_p99_s<=500ms' --reps 2 \
    --max-reps 4 --set profile.duration=10s --set profile.warmup=2s --quiet >"$out" 2>/dev/null
has "SLO latency_p99_s<=0.5 "
has "answer: none: 64 does not meet the SLOs"
if grep -q '^evidence:' "$out"; then # no answer: the evaluated points are the evidence
    echo "FAIL: an empty 'evidence:' heading with no answer"
    fails=$((fails + 1))
fi
has "note: latency_* include the length of the POSTs answered with SSE streams (mix.post_sse = 0.1); --set mix.post_sse=0 --set mix.post_json=0.95 measures"
# ... and the advice is a valid mix: the same plan with it runs (high's get_sse is 0.05).
"$bin" plan high --vary upstream.max_conns=8:64:8 --slo 'latency_p99_s<=10' --reps 2 \
    --max-reps 2 --set profile.duration=10s --set profile.warmup=2s --set mix.post_sse=0 \
    --set mix.post_json=0.95 --quiet >"$out" 2>/dev/null
has "SLO latency_p99_s<=10 "
exit $fails
