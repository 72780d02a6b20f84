#!/usr/bin/env bash
# Measures, for a few architectures, the size of the expansion and the time a crate holding
# just that network takes to build (its dependencies already built), debug and release.
# Prints the table of docs/compile-times.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "expansion (prettyplease-formatted):"
cargo test -q --manifest-path "$root/Cargo.toml" -p mlp-macro --lib -- --ignored expansion_sizes --nocapture 2>/dev/null |
  grep -E "lines" | sed 's/^/  /'

mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "timing"
version = "0.0.0"
edition = "2024"
[dependencies]
mlp = { path = "$root", default-features = false, features = ["std"] }
TOML

echo "build of a crate with one network (seconds; dependencies prebuilt):"
for net in "20, 10, 1, input = 52" "128, 128, 1, input = 64" \
           "256, 128, 10, input = 784, activation = relu" "256, 128, 1, input = 784"; do
  printf 'use mlp::mlp;\n#[mlp(%s)]\npub struct Net;\n' "$net" > "$work/src/lib.rs"
  cargo build -q --manifest-path "$work/Cargo.toml" 2>/dev/null
  cargo build -q --release --manifest-path "$work/Cargo.toml" 2>/dev/null
  times=()
  for profile in dev release; do
    touch "$work/src/lib.rs"
    start=$(date +%s.%N)
    cargo build -q --profile "$profile" --manifest-path "$work/Cargo.toml"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '  %-48s debug %5.1f   release %5.1f\n' "$net" "${times[0]}" "${times[1]}"
done
