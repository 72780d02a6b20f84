#!/usr/bin/env bash
# The runtime's kernels under Miri, which checks every load and store of their intrinsics
# and raw pointers against the arrays they come from while their to-the-bit tests run: as
# the default target builds them (SSE2), with AVX2 and FMA, and with AVX-512. Miri
# emulates the intrinsics, so any x86-64 machine runs all three. Under Miri the tests
# take fewer sizes (`cfg(miri)`: each branch once, near the least size that reaches it;
# `tanh` sweeps of hundreds of values, not tens of thousands), and still a set took 15
# to 28 minutes of Miri's clock, 45 to 83 by the wall clock on a crowded machine
# (docs/performance-log.md, "The forty-seventh session"): not in CI, whose machine has no
# nightly toolchain.
#
# Then generated networks end to end, through the kernels at their own sizes and the
# `unsafe impl Zeroable` of each (one seed, 37 rows a batch, and for few inputs 3, under
# `cfg(miri)`): the seed network's every single call against the oracles (kept, apart and
# looped); its forward and gradient batches against what they return; and every batch
# method against its single calls, of networks of few inputs (six tests), of a generic
# input width and of several outputs (with AVX-512, those whose activations are not
# `tanh`, which stops this Miri: below). The other tests run by name; the 3-48-48-48-1
# network's, `batch::few_inputs::pinn --exact`, took 8.6 minutes of Miri's clock with
# AVX2, the 2-48-48-40-1 network's, `batch::few_inputs::pinn2`, 10.2 on the default
# target, the seed's every batch method, `batch::rows_are_single_calls --exact`, 48 with
# AVX2 (docs/performance-log.md, "The fiftieth session").
#
#   scripts/miri.sh [FILTER…]    (the tests to run, in either binary; by default those above)
#   MIRI_SETS="avx512" scripts/miri.sh …    (some of the sets: default, avx2, avx512)
set -euo pipefail
cd "$(dirname "$0")/.."
filters=("$@")
kernels=(kernels shape::tests)
# The networks without `tanh` (all that run with AVX-512: below).
plain=(batch::few_inputs::{fan,pinn32,six} batch::generic_and)
# `behaviour::seed` takes the seed network kept, apart and looped.
[ $# -gt 0 ] || filters=("${kernels[@]}" api:: behaviour::seed second_order::seed
  batch::into_arrays batch::few_inputs::{narrow,one_input,tall} "${plain[@]}")
rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1
# Miri perturbs the last bits of `sin` and `cos` at every call, and the tests compute
# each input twice (once for a kernel, once for its scalar form) and compare to the bit.
# Miri interprets one thread at a time anyway: one test after the other, each timed by
# Miri's own clock, which counts basic blocks: the same on any machine, not wall time.
export MIRIFLAGS="-Zmiri-deterministic-floats"
for name in ${MIRI_SETS:-default avx2 avx512}; do
  case $name in
    default) features= ;;
    avx2) features=+avx2,+fma ;;
    # As every AVX-512 CPU has them (x86-64-v4): `wide`, under `nalgebra` in the
    # benchmarks' oracles, does not build with AVX-512F alone.
    avx512) features=+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx2,+fma ;;
    *) echo "MIRI_SETS: '$name' is none of default, avx2, avx512" >&2; exit 2 ;;
  esac
  # Networks of `tanh` stop at once with AVX-512: this Miri does not emulate
  # `_mm512_min_pd`, which it takes (the kernels' test of its lanes is ignored there).
  run=("${filters[@]}")
  [ $# -gt 0 ] || [ "$name" != avx512 ] || run=("${kernels[@]}" "${plain[@]}")
  echo "== $name: ${run[*]}"
  SECONDS=0
  RUSTFLAGS="${features:+-C target-feature=$features}" CARGO_TARGET_DIR="target/miri-$name" \
    cargo +nightly miri test -p mlp-runtime -p mlp --lib --test mlp -- "${run[@]}" \
    --test-threads=1 -Z unstable-options --report-time
  echo "== $name: $((SECONDS / 60)) min $((SECONDS % 60)) s by the wall clock"
done
