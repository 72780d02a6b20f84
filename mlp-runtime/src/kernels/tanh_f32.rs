//! `tanh` and its derivative over a short row of `f32`, eight to an AVX vector: the
//! operations of [`crate::exp_f32::exp_expm1_minus_twice`] and
//! [`Tanh::value_and_derivative`](crate::Tanh), one for one and in the same order, each
//! correctly rounded per lane, so that every lane is the scalar form's to the bit (tested
//! in `tanh_row.rs`, with `f32`'s other row form). Written out because LLVM, left to vectorize the scalar form over rows of 20 and
//! 10, took most of it four lanes or one at a time (twelve divisions for the seed's 30
//! values, one of them on eight lanes): the seed's `f32` `forward` 20 % faster so, built
//! `native` (AVX-512) or for `x86-64-v3`, its `value_and_gradient` 0.5–1.8 % slower
//! (`scripts/ab-min.sh`, two alignments). Long rows (a batch's) stay with
//! [`super::tanh_row::elements`], sixteen at a time.

use core::arch::x86_64::*;

use crate::exp_f32::{LN2_HI, LN2_LO, LOG2_E, MAX, POLYNOMIAL, SHIFTER, TWO_TO_MINUS_30};
use crate::{Activation, Tanh};

/// `(value, slope)[l] = (tanh x[l], tanh' x[l])` for every `l < N`: eight at a time, the
/// rest (fewer than eight) element by element.
#[inline(always)]
pub fn row_f32<const N: usize>(x: &[f32; N], value: &mut [f32; N], slope: &mut [f32; N]) {
    let whole = N / 8 * 8;
    for l in (0..whole).step_by(8) {
        // SAFETY: the target has AVX2 and FMA, and lanes `l..l + 8` are in all three rows.
        unsafe {
            let (t, d) = tanh(_mm256_loadu_ps(x.as_ptr().add(l)));
            _mm256_storeu_ps(value.as_mut_ptr().add(l), t);
            _mm256_storeu_ps(slope.as_mut_ptr().add(l), d);
        }
    }
    for l in whole..N {
        (value[l], slope[l]) = <Tanh as Activation<f32>>::value_and_derivative(x[l]);
    }
}

/// `f32` splat.
#[inline(always)]
fn splat(v: f32) -> __m256 {
    // SAFETY: the target has AVX.
    unsafe { _mm256_set1_ps(v) }
}

/// [`Tanh::value_and_derivative`](crate::Tanh): `tanh|x| = -m / (2 + m)`, `sech² = 4e /
/// (2 + m)²` with `(e, m) = (exp, expm1)(-2|x|)`, the sign put back.
#[inline(always)]
unsafe fn tanh(x: __m256) -> (__m256, __m256) {
    // SAFETY: the target has AVX2 and FMA.
    unsafe {
        let sign = splat(-0.0);
        let (e, m) = exp_expm1_minus_twice(_mm256_andnot_ps(sign, x));
        let q = _mm256_div_ps(splat(1.0), _mm256_add_ps(splat(2.0), m));
        // copysign: the magnitude's bits but the sign, the argument's.
        let magnitude = _mm256_andnot_ps(sign, _mm256_mul_ps(m, q));
        let t = _mm256_or_ps(magnitude, _mm256_and_ps(sign, x));
        let d = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(splat(4.0), e), q), q);
        (t, d)
    }
}

/// [`crate::exp_f32::exp_expm1_minus_twice`], lane by lane.
#[inline(always)]
unsafe fn exp_expm1_minus_twice(a: __m256) -> (__m256, __m256) {
    // SAFETY: the target has AVX2 and FMA.
    unsafe {
        // `a > MAX ? MAX : a`: with the argument second, `min` passes a NaN through.
        let a = _mm256_min_ps(splat(MAX), a);
        let k = _mm256_fmadd_ps(a, splat(-2.0 * LOG2_E), splat(SHIFTER));
        let n = _mm256_sub_ps(k, splat(SHIFTER));
        let r = _mm256_fnmadd_ps(n, splat(LN2_HI), _mm256_mul_ps(splat(-2.0), a));
        // `madd(-n, LN2_LO, r)`: the product negated is exact, so fnmadd is the same.
        let r = _mm256_fnmadd_ps(n, splat(LN2_LO), r);
        let c = |i: usize| splat(POLYNOMIAL[i]);
        let r2 = _mm256_mul_ps(r, r);
        let pair = |i: usize| _mm256_fmadd_ps(c(i + 1), r, c(i));
        let q = _mm256_fmadd_ps(_mm256_fmadd_ps(pair(4), r2, pair(2)), r2, pair(0));
        let q = _mm256_fmadd_ps(r2, q, r);
        // 2ⁿ as 2ⁿ⁺³⁰·2⁻³⁰, as the scalar form's.
        let unbias = splat(TWO_TO_MINUS_30);
        let biased = _mm256_add_ps(k, splat(30.0 + 127.0));
        let two_nb = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_castps_si256(biased)));
        let two_n = _mm256_mul_ps(two_nb, unbias);
        let exp = _mm256_fmadd_ps(q, two_n, two_n);
        let expm1 = _mm256_fmadd_ps(q, two_n, _mm256_sub_ps(two_n, splat(1.0)));
        (exp, expm1)
    }
}
