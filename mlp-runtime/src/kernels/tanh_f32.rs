//! `tanh` and its derivative over a row of `f32`, eight to an AVX vector or sixteen to an
//! AVX-512 one: the operations of [`crate::exp_f32::exp_expm1_minus_twice`] and
//! [`Tanh::value_and_derivative`](crate::Tanh), one for one and in the same order, each
//! correctly rounded per lane, so that every lane is the scalar form's to the bit (tested
//! in `tanh_row.rs`, with `f32`'s other row form). Written out because LLVM, left to
//! vectorize the scalar form over rows of 20 and 10, took most of it four lanes or one at a
//! time (twelve divisions for the seed's 30 values, one of them on eight lanes): the seed's
//! `f32` `forward` 20 % faster so, built `native` (AVX-512) or for `x86-64-v3`, its
//! `value_and_gradient` 0.5–1.8 % slower (`scripts/ab-min.sh`, two alignments). Long rows
//! (a batch's, from 64 values) go sixteen at a time: with AVX-512 in its vectors
//! (`row_f32_512`), where LLVM keeps to 256-bit ones on the CPUs that tune for them; else
//! by [`super::tanh_row::elements`]. On the Xeon, a row of 320 took 0.40 ns a value so
//! against 0.58; the seed's `f32` batch forward −17 %, its batch gradient −11 %, the wide
//! network's −5 % (`scripts/ab-min.sh`, two alignments). The seed's rows of 20 sixteen at a
//! time made its `f32` `forward` and `value_and_gradient` a third slower.

use core::arch::x86_64::*;

use super::avx::{Avx, Vector};
#[cfg(target_feature = "avx512f")]
use super::avx512::Avx512;
use crate::exp_f32::{LN2_HI, LN2_LO, LOG2_E, MAX, POLYNOMIAL, SHIFTER, TWO_TO_MINUS_30};
use crate::{Activation, Tanh};

/// `(value, slope)[l] = (tanh x[l], tanh' x[l])` for every `l < N`: eight at a time, the
/// rest (fewer than eight) element by element.
#[inline(always)]
pub fn row_f32<const N: usize>(x: &[f32; N], value: &mut [f32; N], slope: &mut [f32; N]) {
    // SAFETY: the target has AVX2 and FMA.
    let done = unsafe { vectors::<Avx, N>(x, value, slope, 0) };
    elements(x, value, slope, done);
}

/// [`row_f32`] sixteen at a time in AVX-512's vectors, then eight, then element by element.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
pub fn row_f32_512<const N: usize>(x: &[f32; N], value: &mut [f32; N], slope: &mut [f32; N]) {
    // SAFETY: the target has AVX-512F, AVX2 and FMA.
    let done = unsafe {
        let sixteens = vectors::<Avx512, N>(x, value, slope, 0);
        vectors::<Avx, N>(x, value, slope, sixteens)
    };
    elements(x, value, slope, done);
}

/// Lanes `from..` of the row, a vector at a time as far as they fill vectors; returns the
/// first lane not done.
///
/// # Safety
/// The target has `V`'s features.
#[inline(always)]
unsafe fn vectors<V: Lanes, const N: usize>(
    x: &[f32; N],
    value: &mut [f32; N],
    slope: &mut [f32; N],
    from: usize,
) -> usize {
    let end = from + (N - from) / V::W * V::W;
    for l in (from..end).step_by(V::W) {
        // SAFETY: the caller's; lanes `l..l + V::W` are in all three rows.
        unsafe {
            let (t, d) = tanh::<V>(V::load(x.as_ptr().add(l)));
            V::store(value.as_mut_ptr().add(l), t);
            V::store(slope.as_mut_ptr().add(l), d);
        }
    }
    end
}

/// Lanes `from..` element by element.
#[inline(always)]
fn elements<const N: usize>(x: &[f32; N], value: &mut [f32; N], slope: &mut [f32; N], from: usize) {
    for l in from..N {
        (value[l], slope[l]) = <Tanh as Activation<f32>>::value_and_derivative(x[l]);
    }
}

/// The operations `tanh` takes on vectors of `f32` lanes beyond [`Vector`]'s (loads,
/// stores, products and multiply-adds), each lane by lane.
trait Lanes: Vector<f32> {
    unsafe fn splat(v: f32) -> Self::V;
    unsafe fn add(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn sub(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn div(a: Self::V, b: Self::V) -> Self::V;
    /// `-(a·b) + c`, rounded once.
    unsafe fn fnmadd(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// `a < b ? a : b`: `b` where either is NaN.
    unsafe fn min(a: Self::V, b: Self::V) -> Self::V;
    /// The bits of `b` but those set in `a`.
    unsafe fn andnot(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn and(a: Self::V, b: Self::V) -> Self::V;
    unsafe fn or(a: Self::V, b: Self::V) -> Self::V;
    /// Each lane's bits shifted left by 23: an exponent from the low bits of a sum.
    unsafe fn exponent(a: Self::V) -> Self::V;
}

// SAFETY (every method of both): the module is compiled only with AVX2 and FMA, the
// AVX-512 impl only with AVX-512F too.
impl Lanes for Avx {
    #[inline(always)]
    unsafe fn splat(v: f32) -> __m256 {
        unsafe { _mm256_set1_ps(v) }
    }
    #[inline(always)]
    unsafe fn add(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_add_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_sub_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn div(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_div_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn fnmadd(a: __m256, b: __m256, c: __m256) -> __m256 {
        unsafe { _mm256_fnmadd_ps(a, b, c) }
    }
    #[inline(always)]
    unsafe fn min(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_min_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn andnot(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_andnot_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn and(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_and_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn or(a: __m256, b: __m256) -> __m256 {
        unsafe { _mm256_or_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn exponent(a: __m256) -> __m256 {
        unsafe { _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_castps_si256(a))) }
    }
}

/// AVX-512F alone has the bitwise operations on integers only.
#[cfg(target_feature = "avx512f")]
impl Lanes for Avx512 {
    #[inline(always)]
    unsafe fn splat(v: f32) -> __m512 {
        unsafe { _mm512_set1_ps(v) }
    }
    #[inline(always)]
    unsafe fn add(a: __m512, b: __m512) -> __m512 {
        unsafe { _mm512_add_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn sub(a: __m512, b: __m512) -> __m512 {
        unsafe { _mm512_sub_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn div(a: __m512, b: __m512) -> __m512 {
        unsafe { _mm512_div_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn fnmadd(a: __m512, b: __m512, c: __m512) -> __m512 {
        unsafe { _mm512_fnmadd_ps(a, b, c) }
    }
    #[inline(always)]
    unsafe fn min(a: __m512, b: __m512) -> __m512 {
        unsafe { _mm512_min_ps(a, b) }
    }
    #[inline(always)]
    unsafe fn andnot(a: __m512, b: __m512) -> __m512 {
        unsafe {
            let (a, b) = (_mm512_castps_si512(a), _mm512_castps_si512(b));
            _mm512_castsi512_ps(_mm512_andnot_si512(a, b))
        }
    }
    #[inline(always)]
    unsafe fn and(a: __m512, b: __m512) -> __m512 {
        unsafe {
            let (a, b) = (_mm512_castps_si512(a), _mm512_castps_si512(b));
            _mm512_castsi512_ps(_mm512_and_si512(a, b))
        }
    }
    #[inline(always)]
    unsafe fn or(a: __m512, b: __m512) -> __m512 {
        unsafe {
            let (a, b) = (_mm512_castps_si512(a), _mm512_castps_si512(b));
            _mm512_castsi512_ps(_mm512_or_si512(a, b))
        }
    }
    #[inline(always)]
    unsafe fn exponent(a: __m512) -> __m512 {
        unsafe { _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_castps_si512(a))) }
    }
}

/// [`Tanh::value_and_derivative`](crate::Tanh): `tanh|x| = -m / (2 + m)`, `sech² = 4e /
/// (2 + m)²` with `(e, m) = (exp, expm1)(-2|x|)`, the sign put back.
///
/// # Safety
/// The target has `V`'s features.
#[inline(always)]
unsafe fn tanh<V: Lanes>(x: V::V) -> (V::V, V::V) {
    // SAFETY: the caller's.
    unsafe {
        let sign = V::splat(-0.0);
        let (e, m) = exp_expm1_minus_twice::<V>(V::andnot(sign, x));
        let q = V::div(V::splat(1.0), V::add(V::splat(2.0), m));
        // copysign: the magnitude's bits but the sign, the argument's.
        let magnitude = V::andnot(sign, V::mul(m, q));
        let t = V::or(magnitude, V::and(sign, x));
        let d = V::mul(V::mul(V::mul(V::splat(4.0), e), q), q);
        (t, d)
    }
}

/// [`crate::exp_f32::exp_expm1_minus_twice`], lane by lane.
///
/// # Safety
/// The target has `V`'s features.
#[inline(always)]
unsafe fn exp_expm1_minus_twice<V: Lanes>(a: V::V) -> (V::V, V::V) {
    // SAFETY: the caller's.
    unsafe {
        // `a > MAX ? MAX : a`: with the argument second, `min` passes a NaN through.
        let a = V::min(V::splat(MAX), a);
        let k = V::fmadd(a, V::splat(-2.0 * LOG2_E), V::splat(SHIFTER));
        let n = V::sub(k, V::splat(SHIFTER));
        let r = V::fnmadd(n, V::splat(LN2_HI), V::mul(V::splat(-2.0), a));
        // `madd(-n, LN2_LO, r)`: the product negated is exact, so fnmadd is the same.
        let r = V::fnmadd(n, V::splat(LN2_LO), r);
        let c = |i: usize| V::splat(POLYNOMIAL[i]);
        let r2 = V::mul(r, r);
        let pair = |i: usize| V::fmadd(c(i + 1), r, c(i));
        let q = V::fmadd(V::fmadd(pair(4), r2, pair(2)), r2, pair(0));
        let q = V::fmadd(r2, q, r);
        // 2ⁿ as 2ⁿ⁺³⁰·2⁻³⁰, as the scalar form's.
        let unbias = V::splat(TWO_TO_MINUS_30);
        let two_nb = V::exponent(V::add(k, V::splat(30.0 + 127.0)));
        let two_n = V::mul(two_nb, unbias);
        let exp = V::fmadd(q, two_n, two_n);
        let expm1 = V::fmadd(q, two_n, V::sub(two_n, V::splat(1.0)));
        (exp, expm1)
    }
}
