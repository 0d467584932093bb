#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cli_badinput.sh BIN - bad input through the command line: each case must exit
# with status 2 before simulating anything (nothing on stdout) and print exactly
# one error line that names where the fault is.
# Under AddressSanitizer a leak on the error path turns the status into 23, so
# this also checks that an error path frees what it loaded.
bin=$1
err=$(mktemp)
out=$(mktemp)
file=$(mktemp)
design=$(mktemp)
one=$(mktemp)
trap 'rm -f "$err" "$out" "$file" "$design" "$one"' EXIT
fails=0

expect() { # expect SUBSTRING ARGS...
    want=$1
    shift
    "$bin" "$@" >"$out" 2>"$err"
    rc=$?
    lines=$(wc -l <"$err")
    if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || [ -s "$out" ] || ! grep -qF -- "$want" "$err"; then
        echo "FAIL: proxysim $* -> status $rc, $lines stderr lines, stdout $(wc -c <"$out") bytes;"
        echo "  expected 2, one line with '$want' and nothing on stdout:"
        cat "$err"
        fails=$((fails + 1))
    fi
}

expect "--set:1:16: warmup: out of range" run burst-hardened --set profile.warmup=5000s
expect "--set:1:8: warmup: out of range" run low --set warmup=5000s
expect "--set:1:1: bogus: unknown key" run low:bounded-target --set bogus=1
expect "--set:1:8: warmup: conflicts with transient: true" run burst --set warmup=5s
expect "--set:1:8: warmup: conflicts with transient: true" check burst --set warmup=5s
expect "--reps" run low --reps 0
# A scenario's --set are applied in its load: the rule names the line it broke in the profile.
expect "configs/profiles/medium.yaml:7:9: warmup: out of range (got 10s, expected less than duration 10s)" run quickstart --set profile.duration=10s
expect "configs/profiles/medium.yaml:7:9: warmup: out of range" check quickstart --set profile.duration=10s
# A positional SCENARIO and --profile/--design that contradict it (it was silently dropped).
expect "proxysim run: --profile: 'sse-pool-fix' names the profile already (got --profile low" run sse-pool-fix --profile low
expect "proxysim run: --design: 'high:bounded-target' names the design already" run high:bounded-target --design legacy-reverse
expect "proxysim run: 'quickstart' is a scenario: it names its own design (swap it with --set design=D)" run quickstart --design bounded-target
printf 'kind: design\nbase: bounded-target\nname: mine\n' >"$design"
expect "is a design (run it on a profile: PROFILE:DESIGN or --profile P --design D)" run "$design"
expect "--set:1:15: mix.post_json: out of range (got post_json + post_sse + get_sse = 1.05, expected a sum of 1)" check medium --set mix.post_json=0.9 --set mix.post_sse=0.1
# A grid of 2.4 billion windows (and 10^9 s, once one 1 s window each) was an abort on out of memory.
expect "--set:1:11: sample_dt: out of range (got 1ns, expected at least duration / 100000 = 1.2ms" run low --set sample_dt=1ns
# a duration below 1 s is echoed in a readable unit (it read 'less than duration 0.06s')
expect "configs/profiles/low.yaml:8:9: warmup: out of range (got 10s, expected less than duration 60ms)" check low --set duration=60ms
expect "low.yaml:9:12: sample_dt: out of range (got 1s, expected at least duration / 100000 = 10000s" run low --set duration=1e9s
expect "--vary warmup=401s" sweep low --vary warmup=1s:500s:100s --reps 2
expect "--out $file: not a directory" run low --reps 2 --out "$file"
expect "upstream.max_conns: wrong kind (got a design key" check low --set upstream.max_conns=64
expect "--set:1:1: design.spawn.max_taks: unknown key (got 'design.spawn.max_taks'" run low --set design.spawn.max_taks=3
expect "did you mean 'design.spawn.max_tasks'?" run low --set design.spawn.max_taks=3
expect "unknown design 'bounded-targt' (expected a built-in name" compare legacy-reverse bounded-targt
expect "did you mean 'bounded-target'?" compare legacy-reverse bounded-targt
expect "proxysim run: unknown or incomplete option '--jsn'; did you mean '--json'? (see 'proxysim run --help')" run low --jsn
expect "proxysim sweep: unknown or incomplete option '--vray=x=1'; did you mean '--vary'?" sweep low --vray=x=1
expect "proxysim run: unknown or incomplete option '--reps'" run low --reps
expect "proxysim compare: expected two designs, got 1" compare legacy-reverse
expect "proxysim compare: A and B are the same design ('legacy-reverse'); name two designs" compare legacy-reverse legacy-reverse
expect "proxysim compare: --profiles: 'low' is named twice" compare legacy-reverse bounded-target --profiles low,high,low
# a --set that swaps the whole design or profile would run one config under every label
expect "proxysim compare: --set design=bounded-target: would run one design under every label" compare legacy-reverse refactored-hardened --set design=bounded-target
expect "proxysim compare: --set scenario.profile=low: would run one profile" compare legacy-reverse refactored-hardened --set scenario.profile=low
expect "proxysim report: --set profile=low: would run one profile under every label" report --set profile=low --out /nonexistent/never
expect "proxysim plan: give --minimize or --maximize, not both" plan low --minimize --maximize
expect "'200MiB' does not fit latency_p99_s (expected a time such as 0.2 or 200ms)" plan low --vary upstream.max_conns=8:64:8 --slo latency_p99_s\<=200MiB
# an unknown --slo metric gets the closest name
expect "proxysim plan: --slo 'eror_rate<=0.01': unknown metric (got 'eror_rate', expected a metric of docs/MODELS.md such as latency_p99_s or error_rate); did you mean 'error_rate'?" plan low --vary upstream.max_conns=8:64:8 --slo eror_rate\<=0.01
expect "unknown metric (got 'latency_p99', expected a metric of docs/MODELS.md such as latency_p99_s or error_rate); did you mean 'latency_p99_s'?" plan low --vary upstream.max_conns=8:64:8 --slo latency_p99\<=1s
# a % bound fits a share (error_rate<=1% is accepted), not a time
expect "proxysim plan: --slo 'latency_p99_s<=5%': '5%' does not fit latency_p99_s (expected a time such as 0.2 or 200ms; a % bound is for a share such as error_rate)" plan low --vary upstream.max_conns=8:64:8 --slo latency_p99_s\<=5%
expect "proxysim plan: --slo 'error_rate>=150%': error_rate>=150% can never hold" plan low --vary upstream.max_conns=8:64:8 --slo error_rate\>=150%
expect "proxysim list: unexpected argument 'extra'" list extra
expect "proxysim plan: --slo 'latency_p99_s<=-1': latency_p99_s<=-1 can never hold (expected a bound >= 0" plan low --vary upstream.max_conns=8:64:8 --slo latency_p99_s\<=-1
expect "proxysim plan: --slo 'error_rate>=2': error_rate>=2 can never hold (expected a bound <= 1" plan low --vary upstream.max_conns=8:64:8 --slo error_rate\>=2
expect "proxysim check: expected at least one FILE" check
expect "proxysim validate: unknown or incomplete option '--zz'" validate --zz
expect "proxysim validate: --out $file/x: Not a directory" validate --quick --out "$file/x"
expect "proxysim fit: --out $file/x: Not a directory" fit "$file" --out "$file/x"
expect "proxysim fit: --out: expected a directory, got ''" fit "$file" --out ""
# one sample has no spread to fit (it printed {dist: deterministic, value: 12} and exit 0)
printf 'latency_ms\n12\n' >"$one"
expect "proxysim fit: $one: too few samples to fit (got 1, expected at least 2: each family estimates a spread as well as a mean, and one sample has none)" fit "$one"
expect "proxysim run: unknown or incomplete option '-j'" run -jx low
expect "proxysim: unknown command 'nosuchcmd' (see 'proxysim --help')" nosuchcmd
expect "proxysim: unknown command 'rnu' (see 'proxysim --help'); did you mean 'run'?" rnu
expect "proxysim report: --designs: unknown design 'legacy-revers' (expected a built-in name" report --designs legacy-revers
expect "; did you mean 'legacy-reverse'?" report --designs legacy-revers
# a name given twice only repeated rows
expect "proxysim report: --designs: 'bounded-target' is named twice (expected each design once, got 'bounded-target,bounded-target')" report --designs bounded-target,bounded-target --out /nonexistent/never
expect "proxysim report: --profiles: 'low' is named twice (expected each profile once, got 'low,high,low')" report --profiles low,high,low --out /nonexistent/never
expect "proxysim fit: --dists: unknown distribution 'gama' (expected exponential, lognormal, gamma, weibull, hyperexponential or pareto); did you mean 'gamma'?" fit "$file" --dists gama
expect ":1:7: kind: wrong kind (got 'design', expected 'profile' here)" run "$design:legacy-reverse"
expect "proxysim sweep: --vary KEY=LIST is required" sweep low
expect "proxysim report: --full-duration and --max-duration: give one of them" report --full-duration --max-duration 20
expect "proxysim report: --max-duration: expected a duration in [1s, 1e7s] such as 30, 30s or 5min, got '20ms'" report --max-duration 20ms
expect "proxysim sweep: --vary 'design.upstream.max_conns=1,2': design.upstream.max_conns is varied twice" sweep low --vary upstream.max_conns=64,128 --vary design.upstream.max_conns=1,2
# a list takes 'unlimited' where the key does; every list value is checked before anything runs
expect "proxysim sweep: --vary upstream.connect=unlimited: upstream.connect: wrong type (got 'unlimited', expected a duration" sweep low --vary upstream.connect=1ms,unlimited,2ms --reps 2
expect "proxysim sweep: --vary 'upstream.max_conns=4,lots': bad value 'lots' (expected numbers separated by commas, e.g. 1,2,4,8 or 10ms,50ms, and 'unlimited' where the key takes it)" sweep low --vary upstream.max_conns=4,lots
# a range's unit written once applies to all three parts; units on several parts must agree in kind
expect "proxysim sweep: --vary 'sse.idle_timeout=10ms:100MiB:10': units differ (expected units of one kind on lo, hi and step, such as 10ms:1s:10ms, or one unit written once for all three, such as 10:100:10ms" sweep low --vary sse.idle_timeout=10ms:100MiB:10
expect "proxysim bench: unknown benchmark 'foo'" bench foo
expect "proxysim report: --out $file: not a directory" report --profiles low --out "$file"
exit $fails
