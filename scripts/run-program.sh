#!/usr/bin/env bash
# Builds scripts/NAME/main.rs as a standalone program (no dependencies; its own crate
# under target/NAME) with RUSTFLAGS as given, and runs it: what scripts/l1-loads.sh and
# scripts/sse2-loop.sh share.
#
#   scripts/run-program.sh NAME
set -euo pipefail
name=$1
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/$name"
mkdir -p "$work/src"
cp "$root/scripts/$name/main.rs" "$work/src/main.rs"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false
[workspace]
TOML
cargo run -q --release --manifest-path "$work/Cargo.toml"
