#!/usr/bin/env bash
# The runtime's kernels under Miri, which checks every load and store of their intrinsics
# and raw pointers against the arrays they come from while their to-the-bit tests run: as
# the default target builds them (SSE2), with AVX2 and FMA, and with AVX-512. Miri
# emulates the intrinsics, so any x86-64 machine runs all three. Too slow for CI: most
# tests take seconds to minutes under it, the longest three (`lower_sums_added_up…`,
# `rows_are_each_their_axpys…`, `symmetric_sums_are…`) from 7 minutes to past 50 each
# on a shared core; the `tanh` rows' sweeps (`kernels::tanh`, not run so far) are larger
# still (docs/performance-log.md, "The forty-sixth session"). Name tests to run fewer.
#
#   scripts/miri.sh [FILTER…]    (the tests to run; by default the kernels' and `shape`'s)
set -euo pipefail
cd "$(dirname "$0")/.."
filters=("$@")
[ $# -gt 0 ] || filters=(kernels::tests shape::tests)
rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1
# Miri perturbs the last bits of `sin` and `cos` at every call, and the tests compute
# each input twice (once for a kernel, once for its scalar form) and compare to the bit.
export MIRIFLAGS="-Zmiri-deterministic-floats"
for set in default: avx2:+avx2,+fma avx512:+avx512f,+avx2,+fma; do
  name=${set%%:*} features=${set#*:}
  echo "== $name"
  RUSTFLAGS="${features:+-C target-feature=$features}" CARGO_TARGET_DIR="target/miri-$name" \
    cargo +nightly miri test -q -p mlp-runtime --lib -- "${filters[@]}"
done
