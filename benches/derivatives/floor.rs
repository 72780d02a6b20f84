//! The arithmetic floor, measured in the same process: how many multiply-adds the core
//! retires per nanosecond at best, and what one activation (value and derivative) costs.

use std::hint::black_box;

use criterion::Criterion;
use mlp::{Activation, Tanh};

/// Multiply-adds per call of [`fma_peak`].
pub const FMA_PEAK_OPS: usize = 4096 * 32;

/// 32 independent chains of multiply-adds, 4096 deep: as many in flight as the core can
/// take, with the same `madd` (fused where the target has FMA) that generated code uses.
#[inline(never)]
pub fn fma_peak<T: mlp::Scalar>(a: &[T; 8], b: &[T; 8]) -> T {
    let mut acc = [[T::zero(); 8]; 4];
    for _ in 0..4096 {
        for chain in &mut acc {
            for l in 0..8 {
                chain[l] = mlp::__private::madd(chain[l], a[l], b[l]);
            }
        }
    }
    acc.iter().flatten().fold(T::zero(), |s, &v| s + v)
}

/// Activations per call of [`activations`].
pub const ACTIVATIONS: usize = 1024;

/// `tanh` and its derivative over an array, as a layer computes them.
#[inline(never)]
pub fn activations<T: mlp::Scalar>(
    z: &[T; ACTIVATIONS],
    out: &mut [T; ACTIVATIONS],
    slope: &mut [T; ACTIVATIONS],
) {
    for i in 0..ACTIVATIONS {
        (out[i], slope[i]) = <Tanh as Activation<T>>::value_and_derivative(z[i]);
    }
}

pub fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("floor");
    let a64 = [0.999_999; 8];
    let b64 = [1e-7; 8];
    group.bench_function("fma-f64", |b| {
        b.iter(|| fma_peak(black_box(&a64), black_box(&b64)))
    });
    let a32 = [0.999_9_f32; 8];
    let b32 = [1e-4_f32; 8];
    group.bench_function("fma-f32", |b| {
        b.iter(|| fma_peak(black_box(&a32), black_box(&b32)))
    });
    let z64: [f64; ACTIVATIONS] = std::array::from_fn(|i| (i as f64 - 512.0) / 100.0);
    let (mut o64, mut s64) = ([0.0; ACTIVATIONS], [0.0; ACTIVATIONS]);
    group.bench_function("tanh-f64", |b| {
        b.iter(|| activations(black_box(&z64), &mut o64, &mut s64))
    });
    let z32: [f32; ACTIVATIONS] = std::array::from_fn(|i| (i as f32 - 512.0) / 100.0);
    let (mut o32, mut s32) = ([0.0; ACTIVATIONS], [0.0; ACTIVATIONS]);
    group.bench_function("tanh-f32", |b| {
        b.iter(|| activations(black_box(&z32), &mut o32, &mut s32))
    });
    group.finish();
}
