//! [`dot`](super::dot) and [`axpy`](super::axpy) in AVX registers, for targets built with
//! AVX and FMA. In `dot`, lanes 0–3 and 4–7 of the scalar form are two `__m256d` (one
//! `__m256` in `f32`), each lane fused multiply-adds the same terms, and the lanes are
//! combined in the same order; in `axpy`, each element is one fused multiply-add, as in the
//! scalar form. Either way the result is the scalar form's to the bit.

use core::arch::x86_64::*;

/// `Σ_{i<N} a_i·b_i` in `f64`.
#[inline(always)]
pub fn dot_f64<const N: usize>(term: impl Fn(usize) -> (f64, f64)) -> f64 {
    // SAFETY: this module is compiled only with the `avx` and `fma` target features.
    unsafe {
        let (mut low, mut high) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        let mut i = 0;
        while i + 8 <= N {
            let t: [(f64, f64); 8] = core::array::from_fn(|l| term(i + l));
            let a = |l: usize| _mm256_set_pd(t[l + 3].0, t[l + 2].0, t[l + 1].0, t[l].0);
            let b = |l: usize| _mm256_set_pd(t[l + 3].1, t[l + 2].1, t[l + 1].1, t[l].1);
            low = _mm256_fmadd_pd(a(0), b(0), low);
            high = _mm256_fmadd_pd(a(4), b(4), high);
            i += 8;
        }
        let mut tail = 0.0;
        while i < N {
            let (a, b) = term(i);
            tail = super::madd(a, b, tail);
            i += 1;
        }
        // [l0+l4, l1+l5, l2+l6, l3+l7], then [(l0+l4)+(l2+l6), (l1+l5)+(l3+l7)].
        let four = _mm256_add_pd(low, high);
        let two = _mm_add_pd(_mm256_castpd256_pd128(four), _mm256_extractf128_pd(four, 1));
        _mm_cvtsd_f64(two) + _mm_cvtsd_f64(_mm_unpackhi_pd(two, two)) + tail
    }
}

/// `Σ_{i<N} a_i·b_i` in `f32`.
#[inline(always)]
pub fn dot_f32<const N: usize>(term: impl Fn(usize) -> (f32, f32)) -> f32 {
    // SAFETY: as above.
    unsafe {
        let mut lanes = _mm256_setzero_ps();
        let mut i = 0;
        while i + 8 <= N {
            let t: [(f32, f32); 8] = core::array::from_fn(|l| term(i + l));
            let a = _mm256_set_ps(
                t[7].0, t[6].0, t[5].0, t[4].0, t[3].0, t[2].0, t[1].0, t[0].0,
            );
            let b = _mm256_set_ps(
                t[7].1, t[6].1, t[5].1, t[4].1, t[3].1, t[2].1, t[1].1, t[0].1,
            );
            lanes = _mm256_fmadd_ps(a, b, lanes);
            i += 8;
        }
        let mut tail = 0.0;
        while i < N {
            let (a, b) = term(i);
            tail = super::madd(a, b, tail);
            i += 1;
        }
        // As in f64: lanes four apart, then two apart, then the last two.
        let four = _mm_add_ps(
            _mm256_castps256_ps128(lanes),
            _mm256_extractf128_ps(lanes, 1),
        );
        let two = _mm_add_ps(four, _mm_movehl_ps(four, four));
        let one = _mm_add_ss(two, _mm_shuffle_ps(two, two, 1));
        _mm_cvtss_f32(one) + tail
    }
}

/// `acc[l] = a_l·b_l + acc[l]` in `f64`, four lanes at a time.
#[inline(always)]
pub fn axpy_f64<const N: usize>(acc: &mut [f64; N], term: impl Fn(usize) -> (f64, f64)) {
    let mut l = 0;
    while l + 4 <= N {
        let t: [(f64, f64); 4] = core::array::from_fn(|i| term(l + i));
        // SAFETY: the target has AVX and FMA; `l + 4 <= N` keeps the access in `acc`.
        unsafe {
            let a = _mm256_set_pd(t[3].0, t[2].0, t[1].0, t[0].0);
            let b = _mm256_set_pd(t[3].1, t[2].1, t[1].1, t[0].1);
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
        let t: [(f32, f32); 8] = core::array::from_fn(|i| term(l + i));
        // SAFETY: the target has AVX and FMA; `l + 8 <= N` keeps the access in `acc`.
        unsafe {
            let a = _mm256_set_ps(
                t[7].0, t[6].0, t[5].0, t[4].0, t[3].0, t[2].0, t[1].0, t[0].0,
            );
            let b = _mm256_set_ps(
                t[7].1, t[6].1, t[5].1, t[4].1, t[3].1, t[2].1, t[1].1, t[0].1,
            );
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
