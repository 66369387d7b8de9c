#!/usr/bin/env bash
# What this machine's two cores give, without xlate: the yardstick for reading bench/batch.sh's
# -j 2 / -j 1 on a shared or virtual machine.
#
# One fixed job, `sha256sum` of a file in the page cache (user-space work, no I/O, no threads),
# runs ROUNDS times in three ways: alone on core 0, alone on core 1, and on both cores at once
# (one copy each). Printed per way: the fewest and the most CPU seconds of its rounds, and how far
# apart they are; then the pair's speed-up, one job's time alone against two jobs' wall time side
# by side (2.00 on two free cores).
#
# Why it exists: a guest that the hypervisor does not tell about stolen time (/proc/stat's steal
# column stays 0) counts the time its core was taken away as the running process's CPU time, so
# neither wall nor CPU seconds of one run are a fixed measure of the work, and two busy cores
# may give much less than twice one. When this bench shows a spread well above 1.1 or a pair
# below 1.8, no program can show 1.8 x on this machine at that time: bench/batch.sh's ceiling
# line (two independent xlate processes) says the same for xlate's own work.
#
# Usage: bench/machine.sh          ROUNDS=5 MB=200 bench/machine.sh
set -euo pipefail

rounds=${ROUNDS:-5}
mb=${MB:-200}
die() { echo "machine bench: $*" >&2; exit 1; }
for tool in sha256sum taskset; do
  command -v $tool > /dev/null || die "$tool not found (coreutils, util-linux)"
done
[ "$(nproc)" -ge 2 ] || die "needs two cores; this machine has $(nproc)"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, not '$rounds'"
[[ "$mb" =~ ^[1-9][0-9]*$ ]] || die "MB must be a positive number, not '$mb'"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c $((mb << 20)) /dev/urandom > "$work/data"
sha256sum "$work/data" > /dev/null # into the page cache

# cpu_of CORE: runs the job on CORE; prints "wall cpu" in seconds.
cpu_of() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time taskset -c "$1" sha256sum "$work/data" > /dev/null; } 2>&1 )
  echo "$t" | awk '{printf "%.3f %.3f\n", $1, $2 + $3}'
}

# pair: the job on both cores at once; prints the wall time of the two together.
pair() {
  local TIMEFORMAT='%R'
  { time { taskset -c 0 sha256sum "$work/data" > /dev/null &
           taskset -c 1 sha256sum "$work/data" > /dev/null; wait; }; } 2>&1
}

load=$(cut -d' ' -f1 /proc/loadavg) # before the rounds add their own
: > "$work/alone0"; : > "$work/alone1"; : > "$work/pair"
for r in $(seq 1 "$rounds"); do
  cpu_of 0 >> "$work/alone0"
  cpu_of 1 >> "$work/alone1"
  pair >> "$work/pair"
done

# spread FILE FIELD: "fewest most most/fewest" of that column.
spread() {
  awk -v f="$2" 'NR == 1 || $f < lo { lo = $f } NR == 1 || $f > hi { hi = $f }
    END { printf "%.3f %.3f %.2f\n", lo, hi, hi / lo }' "$1"
}

steal=$(awk '/^cpu / { print $9 }' /proc/stat)
echo "machine: $(nproc) cores, $rounds rounds of sha256sum over $mb MB; load before $load; steal reported: $steal"
read -r lo0 hi0 s0 < <(spread "$work/alone0" 2)
read -r lo1 hi1 s1 < <(spread "$work/alone1" 2)
read -r plo phi ps < <(spread "$work/pair" 1)
printf '  alone on core 0: %.3f-%.3f s cpu (most / fewest %.2f)\n' "$lo0" "$hi0" "$s0"
printf '  alone on core 1: %.3f-%.3f s cpu (most / fewest %.2f)\n' "$lo1" "$hi1" "$s1"
printf '  both at once:    %.3f-%.3f s wall (most / fewest %.2f)\n' "$plo" "$phi" "$ps"
best_alone=$(sort -n -k1 "$work/alone0" "$work/alone1" | head -1 | cut -d' ' -f1)
speedup=$(awk -v a="$best_alone" -v p="$plo" 'BEGIN { printf "%.2f", 2 * a / p }')
worst=$(awk -v a="$best_alone" -v p="$phi" 'BEGIN { printf "%.2f", 2 * a / p }')
echo "  two jobs on two cores against one alone (fastest runs): ${speedup}x; slowest pair: ${worst}x (2.00 on free cores)"
spread_max=$(printf '%s\n%s\n' "$s0" "$s1" | sort -n | tail -1)
echo "RESULT name=machine-pair value=$speedup target=1.8 better=higher"
echo "RESULT name=machine-spread value=$spread_max target=1.1 better=lower"
