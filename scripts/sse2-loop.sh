#!/usr/bin/env bash
# What bounds the SSE2 sums_rows loop on the default target (scripts/sse2-loop/main.rs):
# the figures of docs/performance-log.md, "The forty-fifth session". Any x86-64.
#
#   scripts/sse2-loop.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/sse2-loop"
mkdir -p "$work/src"
cp "$root/scripts/sse2-loop/main.rs" "$work/src/main.rs"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "sse2-loop"
version = "0.0.0"
edition = "2024"
publish = false
[workspace]
TOML
cargo run -q --release --manifest-path "$work/Cargo.toml"
