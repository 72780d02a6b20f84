//! [`dot`](super::dot), [`axpy`](super::axpy) and [`axpys`](super::axpys) in AVX registers,
//! for targets built with AVX and FMA. In `dot`, lanes 0–3 and 4–7 of the scalar form are two
//! `__m256d` (one `__m256` in `f32`), each lane fused multiply-adds the same terms, and the
//! lanes are combined in the same order; in `axpy` and `axpys`, each element takes its terms
//! in order, one fused multiply-add each, as in the scalar form. Either way the result is the
//! scalar form's to the bit.
//!
//! The terms are gathered by explicit calls, not `array::from_fn`, whose closures LLVM
//! leaves as calls once a few of them nest.

use core::arch::x86_64::*;

/// Up to how many terms [`axpys_f64`] and [`axpys_f32`] hold lanes in registers while `v`
/// goes by: beyond, the matrix they read column-wise no longer stays in a 32 KiB L1 cache,
/// and one row at a time (memory read in order) is faster (measured on the wide benchmark
/// network: 6.8 µs against 9.3 for its gradient).
const REGISTER_BLOCKED_TERMS: usize = 4096;

/// `term(i)`, …, `term(i + 3)` as two vectors: the first of each pair, and the second.
#[inline(always)]
unsafe fn pairs_f64(term: &impl Fn(usize) -> (f64, f64), i: usize) -> (__m256d, __m256d) {
    let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
    let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
    // SAFETY: the caller's target has AVX.
    unsafe { (_mm256_set_pd(a3, a2, a1, a0), _mm256_set_pd(b3, b2, b1, b0)) }
}

/// `term(i)`, …, `term(i + 7)` as two vectors.
#[inline(always)]
unsafe fn pairs_f32(term: &impl Fn(usize) -> (f32, f32), i: usize) -> (__m256, __m256) {
    let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
    let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
    let ((a4, b4), (a5, b5)) = (term(i + 4), term(i + 5));
    let ((a6, b6), (a7, b7)) = (term(i + 6), term(i + 7));
    // SAFETY: as above.
    unsafe {
        (
            _mm256_set_ps(a7, a6, a5, a4, a3, a2, a1, a0),
            _mm256_set_ps(b7, b6, b5, b4, b3, b2, b1, b0),
        )
    }
}

/// Where the terms added one after the other start: past the groups of eight, and past
/// the half group of four if there is one.
const fn tail_start(n: usize) -> usize {
    if n % 8 >= 4 { n / 8 * 8 + 4 } else { n / 8 * 8 }
}

/// The eight lanes `[l0..l3]`, `[l4..l7]` of a `f64` dot product: its groups of eight,
/// and the half group into `l0..l3`.
#[inline(always)]
unsafe fn lanes_f64<const N: usize>(term: &impl Fn(usize) -> (f64, f64)) -> (__m256d, __m256d) {
    // SAFETY: as above.
    unsafe {
        let (mut low, mut high) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        let mut i = 0;
        while i + 8 <= N {
            let (a, b) = pairs_f64(term, i);
            low = _mm256_fmadd_pd(a, b, low);
            let (a, b) = pairs_f64(term, i + 4);
            high = _mm256_fmadd_pd(a, b, high);
            i += 8;
        }
        if i + 4 <= N {
            let (a, b) = pairs_f64(term, i);
            low = _mm256_fmadd_pd(a, b, low);
        }
        (low, high)
    }
}

/// The eight lanes of a `f32` dot product, likewise.
#[inline(always)]
unsafe fn lanes_f32<const N: usize>(term: &impl Fn(usize) -> (f32, f32)) -> __m256 {
    // SAFETY: as above.
    unsafe {
        let mut lanes = _mm256_setzero_ps();
        let mut i = 0;
        while i + 8 <= N {
            let (a, b) = pairs_f32(term, i);
            lanes = _mm256_fmadd_ps(a, b, lanes);
            i += 8;
        }
        if i + 4 <= N {
            let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
            let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
            let (a, b) = (_mm_set_ps(a3, a2, a1, a0), _mm_set_ps(b3, b2, b1, b0));
            let low = _mm_fmadd_ps(a, b, _mm256_castps256_ps128(lanes));
            lanes = _mm256_insertf128_ps(lanes, low, 0);
        }
        lanes
    }
}

/// The last few terms, one after the other.
#[inline(always)]
fn tail<T: crate::Scalar, const N: usize>(term: &impl Fn(usize) -> (T, T)) -> T {
    let mut tail = T::zero();
    let mut i = tail_start(N);
    while i < N {
        let (a, b) = term(i);
        tail = super::madd(a, b, tail);
        i += 1;
    }
    tail
}

/// `Σ_{i<N} a_i·b_i` in `f64`.
#[inline(always)]
pub fn dot_f64<const N: usize>(term: impl Fn(usize) -> (f64, f64)) -> f64 {
    // SAFETY: this module is compiled only with the `avx` and `fma` target features.
    unsafe {
        let (low, high) = lanes_f64::<N>(&term);
        // [l0+l4, l1+l5, l2+l6, l3+l7], then [(l0+l4)+(l2+l6), (l1+l5)+(l3+l7)].
        let four = _mm256_add_pd(low, high);
        let two = _mm_add_pd(_mm256_castpd256_pd128(four), _mm256_extractf128_pd(four, 1));
        _mm_cvtsd_f64(two) + _mm_cvtsd_f64(_mm_unpackhi_pd(two, two)) + tail::<f64, N>(&term)
    }
}

/// `Σ_{i<N} a_i·b_i` in `f32`.
#[inline(always)]
pub fn dot_f32<const N: usize>(term: impl Fn(usize) -> (f32, f32)) -> f32 {
    // SAFETY: as above.
    unsafe {
        let lanes = lanes_f32::<N>(&term);
        // As in f64: lanes four apart, then two apart, then the last two.
        let four = _mm_add_ps(
            _mm256_castps256_ps128(lanes),
            _mm256_extractf128_ps(lanes, 1),
        );
        let two = _mm_add_ps(four, _mm_movehl_ps(four, four));
        let one = _mm_add_ss(two, _mm_shuffle_ps(two, two, 1));
        _mm_cvtss_f32(one) + tail::<f32, N>(&term)
    }
}

/// `acc[l] = a_l·b_l + acc[l]` in `f64`, four lanes at a time.
#[inline(always)]
pub fn axpy_f64<const N: usize>(acc: &mut [f64; N], term: impl Fn(usize) -> (f64, f64)) {
    let mut l = 0;
    while l + 4 <= N {
        // SAFETY: the target has AVX and FMA; `l + 4 <= N` keeps the access in `acc`.
        unsafe {
            let (a, b) = pairs_f64(&term, l);
            let at = acc.as_mut_ptr().add(l);
            _mm256_storeu_pd(at, _mm256_fmadd_pd(a, b, _mm256_loadu_pd(at)));
        }
        l += 4;
    }
    while l < N {
        let (a, b) = term(l);
        acc[l] = super::madd(a, b, acc[l]);
        l += 1;
    }
}

/// `acc[l] = a_l·b_l + acc[l]` in `f32`, eight lanes at a time.
#[inline(always)]
pub fn axpy_f32<const N: usize>(acc: &mut [f32; N], term: impl Fn(usize) -> (f32, f32)) {
    let mut l = 0;
    while l + 8 <= N {
        // SAFETY: the target has AVX and FMA; `l + 8 <= N` keeps the access in `acc`.
        unsafe {
            let (a, b) = pairs_f32(&term, l);
            let at = acc.as_mut_ptr().add(l);
            _mm256_storeu_ps(at, _mm256_fmadd_ps(a, b, _mm256_loadu_ps(at)));
        }
        l += 8;
    }
    while l < N {
        let (a, b) = term(l);
        acc[l] = super::madd(a, b, acc[l]);
        l += 1;
    }
}

/// `acc[l] = Σ_{v<V} a·b + acc[l]` for `(a, b) = term(v, l)` in `f64`, for `l < len`
/// (`len <= N`): four vectors of 4 lanes at a time held in registers over every `v`, then
/// single vectors, then single lanes.
#[inline(always)]
pub fn axpys_f64<const N: usize, const V: usize>(
    acc: &mut [f64; N],
    len: usize,
    term: impl Fn(usize, usize) -> (f64, f64),
) {
    let len = len.min(N);
    let mut l = 0;
    if N * V > REGISTER_BLOCKED_TERMS {
        // Row after row: `acc` stays in L1, the matrix is read in order.
        for v in 0..V {
            while l + 4 <= len {
                // SAFETY: as below.
                unsafe {
                    let at = acc.as_mut_ptr().add(l);
                    let (a, b) = pairs_f64(&|i| term(v, i), l);
                    _mm256_storeu_pd(at, _mm256_fmadd_pd(a, b, _mm256_loadu_pd(at)));
                }
                l += 4;
            }
            while l < len {
                let (a, b) = term(v, l);
                acc[l] = super::madd(a, b, acc[l]);
                l += 1;
            }
            l = 0;
        }
        return;
    }
    while l + 4 * 4 <= len {
        // SAFETY: the target has AVX and FMA; `l + 4·4 <= len <= N` keeps the access in `acc`.
        unsafe {
            let at = acc.as_mut_ptr().add(l);
            let mut r: [__m256d; 4] = [_mm256_setzero_pd(); 4];
            for (q, r) in r.iter_mut().enumerate() {
                *r = _mm256_loadu_pd(at.add(q * 4));
            }
            for v in 0..V {
                let row = |i: usize| term(v, i);
                for (q, r) in r.iter_mut().enumerate() {
                    let (a, b) = pairs_f64(&row, l + q * 4);
                    *r = _mm256_fmadd_pd(a, b, *r);
                }
            }
            for (q, r) in r.iter().enumerate() {
                _mm256_storeu_pd(at.add(q * 4), *r);
            }
        }
        l += 4 * 4;
    }
    while l + 4 <= len {
        // SAFETY: as above, `l + 4 <= len`.
        unsafe {
            let at = acc.as_mut_ptr().add(l);
            let mut r = _mm256_loadu_pd(at);
            for v in 0..V {
                let (a, b) = pairs_f64(&|i| term(v, i), l);
                r = _mm256_fmadd_pd(a, b, r);
            }
            _mm256_storeu_pd(at, r);
        }
        l += 4;
    }
    while l < len {
        for v in 0..V {
            let (a, b) = term(v, l);
            acc[l] = super::madd(a, b, acc[l]);
        }
        l += 1;
    }
}

/// `acc[l] = Σ_{v<V} a·b + acc[l]` for `(a, b) = term(v, l)` in `f32`, for `l < len`
/// (`len <= N`): four vectors of 8 lanes at a time held in registers over every `v`, then
/// single vectors, then single lanes.
#[inline(always)]
pub fn axpys_f32<const N: usize, const V: usize>(
    acc: &mut [f32; N],
    len: usize,
    term: impl Fn(usize, usize) -> (f32, f32),
) {
    let len = len.min(N);
    let mut l = 0;
    if N * V > REGISTER_BLOCKED_TERMS {
        // Row after row: `acc` stays in L1, the matrix is read in order.
        for v in 0..V {
            while l + 8 <= len {
                // SAFETY: as below.
                unsafe {
                    let at = acc.as_mut_ptr().add(l);
                    let (a, b) = pairs_f32(&|i| term(v, i), l);
                    _mm256_storeu_ps(at, _mm256_fmadd_ps(a, b, _mm256_loadu_ps(at)));
                }
                l += 8;
            }
            while l < len {
                let (a, b) = term(v, l);
                acc[l] = super::madd(a, b, acc[l]);
                l += 1;
            }
            l = 0;
        }
        return;
    }
    while l + 4 * 8 <= len {
        // SAFETY: the target has AVX and FMA; `l + 4·8 <= len <= N` keeps the access in `acc`.
        unsafe {
            let at = acc.as_mut_ptr().add(l);
            let mut r: [__m256; 4] = [_mm256_setzero_ps(); 4];
            for (q, r) in r.iter_mut().enumerate() {
                *r = _mm256_loadu_ps(at.add(q * 8));
            }
            for v in 0..V {
                let row = |i: usize| term(v, i);
                for (q, r) in r.iter_mut().enumerate() {
                    let (a, b) = pairs_f32(&row, l + q * 8);
                    *r = _mm256_fmadd_ps(a, b, *r);
                }
            }
            for (q, r) in r.iter().enumerate() {
                _mm256_storeu_ps(at.add(q * 8), *r);
            }
        }
        l += 4 * 8;
    }
    while l + 8 <= len {
        // SAFETY: as above, `l + 8 <= len`.
        unsafe {
            let at = acc.as_mut_ptr().add(l);
            let mut r = _mm256_loadu_ps(at);
            for v in 0..V {
                let (a, b) = pairs_f32(&|i| term(v, i), l);
                r = _mm256_fmadd_ps(a, b, r);
            }
            _mm256_storeu_ps(at, r);
        }
        l += 8;
    }
    while l < len {
        for v in 0..V {
            let (a, b) = term(v, l);
            acc[l] = super::madd(a, b, acc[l]);
        }
        l += 1;
    }
}
