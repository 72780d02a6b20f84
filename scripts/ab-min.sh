#!/usr/bin/env bash
# A/B of two revisions on a noisy machine, by the fastest of many runs: each revision is
# checked out (a git worktree under target/ab-min) and built, with `-C target-cpu=native`
# and every function aligned to 64 bytes, into a small timing program
# (scripts/ab-min/timing.rs: the seed's single-call `forward` and `value_and_gradient`
# (both also in `f32`), `hvp` (also behind a call that cannot be inlined), `jvp`, `laplacian`,
# `value_gradient_laplacian` and `hessian`,
# and its first layer's `dot_rows` against its reverse sweep's `axpys`; the wide network's
# `value_and_gradient` (also in `f32`), `hvp`, `jvp` and `hessian` (32 samples); the seed's and
# the wide network's batch forward and gradient (both also in `f32`) and `hvp`; four more networks'
# `forward`, `value_and_gradient` and `hvp`; the `jacobian` of a 12-32-32-6 network, a
# 3-32-32-6 one, a 2-16-40 one and a 784-256-128-10 one (relu; 32 samples); a 3-64-64-64-1
# network's `forward`, `value_and_gradient`, `hvp`, `laplacian`, `hessian` and
# `value_gradient_laplacian` (so that revisions before it, `a9a997c`, do not build), and
# its `hvp_batch`, `laplacian_batch`, `value_gradient_laplacian_batch` and `hessian_batch`;
# a 6-33-33-1 one's (softplus) `hessian` and `hessian_batch`; a
# 32-64-64-1 one's `hvp`, `laplacian`, `hessian` and `value_gradient_hessian`; over 1,024
# samples); the two programs then
# run in turn, ROUNDS times, and each figure is the fastest run of all (ns per sample),
# then the geometric mean of the ratios. Neighbours' load only ever adds time: where
# criterion's medians (scripts/ab.sh) moved by a fifth between runs, these minima mostly
# repeat within a few percent (once 8 %, in a busy hour: repeat an A/B whose result
# matters). Where code lands and how LLVM happens to schedule it move it too, by up to a
# tenth for the same arithmetic (docs/performance-log.md, "The placement lottery"), and a
# build lands the same way every round. Aligning every function takes out where it starts,
# not the rest: believe a difference of a few percent in one figure only if it holds for
# another alignment (`-align-all-functions=5` in AB_RUSTFLAGS) and in the geometric mean.
# Each round is a new process, its stack at a new offset from a cache line (revisions
# before the thirty-seventh session's `_mlp::align_frame` moved with it by up to a tenth:
# a figure of theirs is its luckiest round's).
# FILTER keeps the benchmarks whose names contain it; AB_RUSTFLAGS replaces the flags
# (`AB_RUSTFLAGS= scripts/ab-min.sh …` for the default target), and AB_RUSTFLAGS_B those of
# REV_B alone, to compare two targets (`AB_RUSTFLAGS_B="-C target-cpu=x86-64-v3"
# scripts/ab-min.sh HEAD HEAD 8`).
#
#   scripts/ab-min.sh REV_A REV_B [ROUNDS [FILTER]]      e.g. scripts/ab-min.sh HEAD~1 HEAD 10
set -euo pipefail
# A build failing inside `$(build …)` stops the script (else a stale binary would be timed).
shopt -s inherit_errexit
a=$1 b=$2 rounds=${3:-10} filter=${4:-}
flags_a=${AB_RUSTFLAGS--C target-cpu=native -C llvm-args=-align-all-functions=6}
flags_b=${AB_RUSTFLAGS_B-$flags_a}
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/ab-min"
mkdir -p "$work"
build() {
  local name=$1 rev=$2 flags=$3 dir="$work/$1"
  rm -rf "$dir/tree"
  git -C "$root" worktree prune
  git -C "$root" worktree add -f --detach "$dir/tree" "$rev" >/dev/null 2>&1
  mkdir -p "$dir/timing/src"
  cp "$root/scripts/ab-min/timing.rs" "$dir/timing/src/main.rs"
  cat >"$dir/timing/Cargo.toml" <<TOML
[package]
name = "timing-$name"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
mlp = { path = "$dir/tree" }
[workspace]
TOML
  RUSTFLAGS="$flags" cargo build -q --release --manifest-path "$dir/timing/Cargo.toml" \
    --target-dir "$work/target-$name${flags:+-flags}"
  echo "$work/target-$name${flags:+-flags}/release/timing-$name"
}
bin_a=$(build a "$a" "$flags_a")
bin_b=$(build b "$b" "$flags_b")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
  "$bin_a" "$filter" | sed 's/^/a /' >>"$out"
  "$bin_b" "$filter" | sed 's/^/b /' >>"$out"
done
python3 - "$out" "$a" "$b" <<'PY'
import math
import sys
best = {}
for line in open(sys.argv[1]):
    side, name, ns = line.split()
    key = (name, side)
    best[key] = min(best.get(key, float("inf")), float(ns))
names = sorted({name for name, _ in best})
print("ns per sample".ljust(34), sys.argv[2][:12].rjust(12), sys.argv[3][:12].rjust(12), "b/a".rjust(7))
logs = []
for name in names:
    x, y = best[(name, "a")], best[(name, "b")]
    logs.append(math.log(y / x))
    print(name.ljust(34), f"{x:12.1f}", f"{y:12.1f}", f"{y / x:7.3f}")
print("geometric mean".ljust(60), f"{math.exp(sum(logs) / len(logs)):7.3f}")
PY
