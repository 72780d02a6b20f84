#!/usr/bin/env bash
# How fast this CPU's L1 cache feeds multiply-adds (scripts/l1-loads/main.rs): the figures
# of docs/performance-log.md, "The twelfth session". Needs AVX-512F.
#
#   scripts/l1-loads.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/l1-loads"
mkdir -p "$work/src"
cp "$root/scripts/l1-loads/main.rs" "$work/src/main.rs"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "l1-loads"
version = "0.0.0"
edition = "2024"
publish = false
[workspace]
TOML
RUSTFLAGS="-C target-cpu=native" cargo run -q --release --manifest-path "$work/Cargo.toml"
