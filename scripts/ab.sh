#!/usr/bin/env bash
# A/B of benchmark builds on a noisy machine: runs each criterion bench binary in turn,
# REPS rounds interleaved, and prints per benchmark the fastest median each binary had.
# Neighbours' load only ever adds time, and interleaving spreads it over all binaries.
#
#   cp "$(ls -t target/native/release/deps/derivatives-* | grep -v '\.d$' | head -1)" /tmp/a
#   ... change, rebuild (cargo bench --bench derivatives --no-run), copy to /tmp/b ...
#   scripts/ab.sh 'seed/mlp-(value|batch)' 5 /tmp/a /tmp/b
set -euo pipefail
filter=$1 reps=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$reps"); do
  for bin in "$@"; do
    # criterion prints `name  time: [low median high]`, the name alone on the line above
    # when it is long.
    "$bin" --bench "$filter" --warm-up-time 0.3 --measurement-time 1 --noplot 2>/dev/null |
      awk -v bin="$(basename "$bin")" \
        '/time:/ { name = ($1 == "time:") ? prev : $1; print bin, name, $0 } { prev = $1 }' >>"$out"
  done
done
python3 - "$out" "$@" <<'PY'
import re, sys
unit = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "ms": 1e6, "s": 1e9}
best = {}
for line in open(sys.argv[1]):
    binary, name = line.split()[:2]
    value, scale = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+)", line).groups()
    ns = float(value) * unit[scale]
    row = best.setdefault(name, {})
    row[binary] = min(row.get(binary, float("inf")), ns)
binaries = [b.split("/")[-1] for b in sys.argv[2:]]
print("bench (ns)".ljust(44), *(b.rjust(12) for b in binaries))
for name, row in best.items():
    print(name.ljust(44), *(f"{row.get(b, float('nan')):12.1f}" for b in binaries))
PY
