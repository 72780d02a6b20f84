#!/usr/bin/env bash
# How much a few methods' time depends on where the stack starts modulo 64 bytes, which
# changes from run to run (the kernel places the stack at random, in steps of 16 bytes):
# builds scripts/stack-offsets/main.rs against REV (a git worktree under
# target/stack-offsets; default HEAD) with `-C target-cpu=native` (or STACK_RUSTFLAGS) and
# runs it. Before the thirty-seventh session's `_mlp::align_frame`, the seed's
# `value_gradient_laplacian` behind a call took a fifth longer at 16 or 48 bytes past a line
# than at 0 or 32 (docs/performance-log.md, "The thirty-seventh session").
#
#   scripts/stack-offsets.sh [REV]      e.g. scripts/stack-offsets.sh df97aa3
set -euo pipefail
rev=${1:-HEAD}
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/stack-offsets"
mkdir -p "$work/program/src"
rm -rf "$work/tree"
git -C "$root" worktree prune
git -C "$root" worktree add -f --detach "$work/tree" "$rev" >/dev/null 2>&1
cp "$root/scripts/stack-offsets/main.rs" "$work/program/src/main.rs"
cat >"$work/program/Cargo.toml" <<TOML
[package]
name = "stack-offsets"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
mlp = { path = "$work/tree" }
[workspace]
TOML
RUSTFLAGS="${STACK_RUSTFLAGS--C target-cpu=native}" cargo build -q --release \
  --manifest-path "$work/program/Cargo.toml" --target-dir "$work/target"
"$work/target/release/stack-offsets"
