//! The floor, measured in the same process: how many multiply-adds the core retires per
//! nanosecond at best, what one activation (value and derivative) costs, and how fast a
//! network's weights can be read where they live (L1 for a small one, L2 for a wide one).

use std::hint::black_box;

use criterion::Criterion;
use mlp::{Activation, Tanh};

/// Multiply-adds per call of [`fma_peak_f64`] and [`fma_peak_f32`] (and, without FMA, of
/// their forms with the products off the chains).
pub const FMA_PEAK_OPS: usize = 3 << 16;

/// `$chains` independent chains of vector multiply-adds, `c ← c·a + b` by `$madd`, in
/// vectors `$v` of `$t`. Intrinsics, because the compiler does not vectorize such a loop
/// of independent scalar chains by itself.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
macro_rules! peak {
    ($name:ident, $t:ty, $v:ty, $splat:ident, $madd:ident, $chains:literal) => {
        #[inline(never)]
        pub fn $name(a: $t, b: $t) -> $t {
            const LANES: usize = size_of::<$v>() / size_of::<$t>();
            // SAFETY: the intrinsics are those of the target features this is compiled for.
            unsafe {
                let (a, b) = ($splat(a), $splat(b));
                let mut acc = [$splat(0.0); $chains];
                for _ in 0..FMA_PEAK_OPS / $chains / LANES {
                    for c in &mut acc {
                        *c = $madd(*c, a, b);
                    }
                }
                let lanes = |v: $v| std::mem::transmute::<$v, [$t; LANES]>(v);
                acc.into_iter().flat_map(lanes).sum()
            }
        }
    };
}

/// Chains enough in flight to cover the latency of two ports (eight of 4-cycle FMAs,
/// sixteen where AVX-512's 32 registers hold them; twelve of a multiply then an add, as
/// many as the sixteen SSE registers hold), in the widest vectors the target has, as the
/// kernels use them: 512 bits with AVX-512F, 256 with AVX and FMA, else SSE2's 128 bits
/// with a separate multiply and add.
#[cfg(target_arch = "x86_64")]
mod peak {
    use std::arch::x86_64::*;

    use super::FMA_PEAK_OPS;

    #[cfg(all(target_feature = "avx512f", target_feature = "fma"))]
    peak!(
        fma_peak_f64,
        f64,
        __m512d,
        _mm512_set1_pd,
        _mm512_fmadd_pd,
        16
    );
    #[cfg(all(target_feature = "avx512f", target_feature = "fma"))]
    peak!(
        fma_peak_f32,
        f32,
        __m512,
        _mm512_set1_ps,
        _mm512_fmadd_ps,
        16
    );

    // Where AVX-512 is there, AVX's peak too: the floor of code in 256-bit vectors, as
    // LLVM's own vectorization keeps to on some of these CPUs.
    #[cfg(all(target_feature = "avx512f", target_feature = "fma"))]
    peak!(
        fma_peak_f64_256,
        f64,
        __m256d,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        8
    );

    #[cfg(all(
        target_feature = "avx",
        target_feature = "fma",
        not(target_feature = "avx512f")
    ))]
    peak!(
        fma_peak_f64,
        f64,
        __m256d,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        8
    );
    #[cfg(all(
        target_feature = "avx",
        target_feature = "fma",
        not(target_feature = "avx512f")
    ))]
    peak!(
        fma_peak_f32,
        f32,
        __m256,
        _mm256_set1_ps,
        _mm256_fmadd_ps,
        8
    );

    /// Without FMA: SSE2's multiply and add apart.
    #[cfg(not(all(target_feature = "avx", target_feature = "fma")))]
    mod sse2 {
        use super::*;

        unsafe fn madd_pd(c: __m128d, a: __m128d, b: __m128d) -> __m128d {
            unsafe { _mm_add_pd(_mm_mul_pd(c, a), b) }
        }
        unsafe fn madd_ps(c: __m128, a: __m128, b: __m128) -> __m128 {
            unsafe { _mm_add_ps(_mm_mul_ps(c, a), b) }
        }
        peak!(fma_peak_f64, f64, __m128d, _mm_set1_pd, madd_pd, 12);
        peak!(fma_peak_f32, f32, __m128, _mm_set1_ps, madd_ps, 12);

        /// The same multiply-adds with the products off the chains, `c ← c + x·a` in eight
        /// sums, each `x` loaded from L1 as a kernel loads its rows: the chains above wait
        /// on a multiply and an add at every step, and on some CPUs fall short of the peak
        /// (the Xeon of model 207: 10.4 multiply-adds/ns against 11.6 this way). The floor
        /// takes the faster of the two.
        macro_rules! peak_loads {
            ($name:ident, $t:ty, $v:ty, $splat:ident, $load:ident, $mul:ident, $add:ident) => {
                #[inline(never)]
                pub fn $name(a: $t, b: $t) -> $t {
                    const LANES: usize = size_of::<$v>() / size_of::<$t>();
                    const ROWS: usize = 4 * 8 * LANES;
                    let xs: [$t; ROWS] = std::array::from_fn(|i| b * (i + 1) as $t);
                    // SAFETY: SSE2 is part of x86-64; every load is within `xs`.
                    unsafe {
                        let a = $splat(a);
                        let mut acc = [$splat(0.0); 8];
                        for _ in 0..FMA_PEAK_OPS / ROWS {
                            // Opaque at every pass, so that the products are not hoisted.
                            let xs = std::hint::black_box(&xs);
                            for row in xs.chunks_exact(8 * LANES) {
                                for (k, c) in acc.iter_mut().enumerate() {
                                    let x = $load(row.as_ptr().add(k * LANES));
                                    *c = $add(*c, $mul(x, a));
                                }
                            }
                        }
                        let lanes = |v: $v| std::mem::transmute::<$v, [$t; LANES]>(v);
                        acc.into_iter().flat_map(lanes).sum()
                    }
                }
            };
        }
        peak_loads!(
            fma_peak_f64_loads,
            f64,
            __m128d,
            _mm_set1_pd,
            _mm_loadu_pd,
            _mm_mul_pd,
            _mm_add_pd
        );
        peak_loads!(
            fma_peak_f32_loads,
            f32,
            __m128,
            _mm_set1_ps,
            _mm_loadu_ps,
            _mm_mul_ps,
            _mm_add_ps
        );
    }
    #[cfg(not(all(target_feature = "avx", target_feature = "fma")))]
    pub use sse2::*;
}

/// On AArch64, NEON's 128-bit multiply-adds (`fmla`), as LLVM vectorizes the kernels'
/// scalar lanes there: sixteen chains, enough for four 4-cycle pipes.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod peak {
    use std::arch::aarch64::*;

    use super::FMA_PEAK_OPS;

    /// `c·a + b`, rounded once.
    unsafe fn madd_f64(c: float64x2_t, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        unsafe { vfmaq_f64(b, c, a) }
    }
    unsafe fn madd_f32(c: float32x4_t, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        unsafe { vfmaq_f32(b, c, a) }
    }
    peak!(fma_peak_f64, f64, float64x2_t, vdupq_n_f64, madd_f64, 16);
    peak!(fma_peak_f32, f32, float32x4_t, vdupq_n_f32, madd_f32, 16);
}

/// Elsewhere, scalar chains: the compiler's vectors, if any, would make a lower floor.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon")
)))]
mod peak {
    use super::FMA_PEAK_OPS;

    #[inline(never)]
    fn chains<T: mlp::Scalar>(a: T, b: T) -> T {
        let mut acc = [T::zero(); 8];
        for _ in 0..FMA_PEAK_OPS / 8 {
            for c in &mut acc {
                *c = mlp::__private::madd(*c, a, b);
            }
        }
        acc.into_iter().fold(T::zero(), |s, v| s + v)
    }

    pub fn fma_peak_f64(a: f64, b: f64) -> f64 {
        chains(a, b)
    }

    pub fn fma_peak_f32(a: f32, b: f32) -> f32 {
        chains(a, b)
    }
}

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx512f",
    target_feature = "fma"
))]
pub use peak::fma_peak_f64_256;
pub use peak::{fma_peak_f32, fma_peak_f64};
#[cfg(all(
    target_arch = "x86_64",
    not(all(target_feature = "avx", target_feature = "fma"))
))]
pub use peak::{fma_peak_f32_loads, fma_peak_f64_loads};

/// Activations per call of [`activations`].
pub const ACTIVATIONS: usize = 1024;

/// `tanh` and its derivative over an array, as a layer computes them (a row at a time: in
/// AVX-512 vectors where `f64` has them).
#[inline(never)]
pub fn activations<T: mlp::Scalar>(
    z: &[T; ACTIVATIONS],
    out: &mut [T; ACTIVATIONS],
    slope: &mut [T; ACTIVATIONS],
) {
    <Tanh as Activation<T>>::value_and_derivative_row(z, out, slope);
}

/// `Σ weights`, in 32 lanes (eight vector chains even in AVX's `f64`), so that the time is
/// that of reading them, not of a chain of dependent additions.
#[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
#[inline(never)]
pub fn stream(weights: &[f64]) -> f64 {
    let mut lanes = [0.0; 32];
    let mut chunks = weights.chunks_exact(32);
    for chunk in &mut chunks {
        for (lane, w) in lanes.iter_mut().zip(chunk) {
            *lane += w;
        }
    }
    lanes.iter().sum::<f64>() + chunks.remainder().iter().sum::<f64>()
}

/// `Σ weights` in eight AVX-512 vectors: reading as wide as the kernels read (LLVM, left
/// to the loop above, reads 256 bits at a time on CPUs tuned for that).
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
#[inline(never)]
pub fn stream(weights: &[f64]) -> f64 {
    use std::arch::x86_64::*;
    let mut chunks = weights.chunks_exact(64);
    // SAFETY: the target has AVX-512F; each chunk holds 64 values.
    let lanes = unsafe {
        let mut lanes = [_mm512_setzero_pd(); 8];
        for chunk in &mut chunks {
            for (v, lane) in lanes.iter_mut().enumerate() {
                *lane = _mm512_add_pd(*lane, _mm512_loadu_pd(chunk.as_ptr().add(8 * v)));
            }
        }
        lanes.map(|lane| _mm512_reduce_add_pd(lane))
    };
    lanes.iter().sum::<f64>() + chunks.remainder().iter().sum::<f64>()
}

pub fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("floor");
    group.bench_function("fma-f64", |b| {
        b.iter(|| fma_peak_f64(black_box(0.999_999), black_box(1e-7)))
    });
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx512f",
        target_feature = "fma"
    ))]
    group.bench_function("fma-f64-256", |b| {
        b.iter(|| fma_peak_f64_256(black_box(0.999_999), black_box(1e-7)))
    });
    group.bench_function("fma-f32", |b| {
        b.iter(|| fma_peak_f32(black_box(0.999_9), black_box(1e-4)))
    });
    #[cfg(all(
        target_arch = "x86_64",
        not(all(target_feature = "avx", target_feature = "fma"))
    ))]
    {
        group.bench_function("fma-f64-loads", |b| {
            b.iter(|| fma_peak_f64_loads(black_box(0.5), black_box(1e-3)))
        });
        group.bench_function("fma-f32-loads", |b| {
            b.iter(|| fma_peak_f32_loads(black_box(0.5), black_box(1e-3)))
        });
    }
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
    for (name, count) in crate::report::parameters() {
        // Aligned to 64 bytes, as a network's weights are (`#[repr(align(64))]`): from a
        // buffer that is not, loads span two cache lines. Unaligned, the Xeon read the wide
        // network's parameters at 113 bytes/ns, slower than its `value_and_gradient` read
        // them twice; aligned, at 186 (2026-12-01).
        let buffer: Vec<f64> = (0..count + 8).map(|i| i as f64).collect();
        let start = buffer.as_ptr().align_offset(64);
        let weights = &buffer[start..start + count];
        group.bench_function(format!("stream-{name}"), |b| {
            b.iter(|| stream(black_box(weights)))
        });
    }
    group.finish();
}
