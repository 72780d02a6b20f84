//! `tanh` and its derivative over a row of `f32`, eight to an AVX vector (sixteen to an
//! AVX-512 one): the operations of [`crate::exp_f32::exp_expm1_minus_twice`] and
//! [`Tanh::value_and_derivative`](crate::Tanh), one for one and in the same order, each
//! correctly rounded per lane, so that every lane is the scalar form's to the bit (tested
//! below). Written out because LLVM, left to vectorize the scalar form over rows of 20 and
//! 10, took most of it four lanes or one at a time (twelve divisions for the seed's 30
//! values, one of them on eight lanes): the seed's `f32` `forward` 20 % faster so, built
//! `native` (AVX-512) or for `x86-64-v3`, its `value_and_gradient` 0.5–1.8 % slower
//! (`scripts/ab-min.sh`, two alignments). Long rows (a batch's) stay with
//! [`super::tanh_row::elements`], sixteen at a time.

use core::arch::x86_64::*;

use crate::exp_f32::{LN2_HI, LN2_LO, LOG2_E, MAX, POLYNOMIAL, SHIFTER, TWO_TO_MINUS_30};
use crate::{Activation, Tanh};

/// `(value, slope)[l] = (tanh x[l], tanh' x[l])` for every `l < N`: `V::W` at a time, the
/// rest (fewer than `V::W`) element by element.
#[inline(always)]
pub fn row<V: Lanes, const N: usize>(x: &[f32; N], value: &mut [f32; N], slope: &mut [f32; N]) {
    let whole = N / V::W * V::W;
    for l in (0..whole).step_by(V::W) {
        // SAFETY: lanes `l..l + W` are in all three rows.
        unsafe {
            let (t, d) = tanh(V::load(x.as_ptr().add(l)));
            t.store(value.as_mut_ptr().add(l));
            d.store(slope.as_mut_ptr().add(l));
        }
    }
    for l in whole..N {
        (value[l], slope[l]) = <Tanh as Activation<f32>>::value_and_derivative(x[l]);
    }
}

/// The vector operations [`tanh`] takes, each one instruction, correctly rounded per lane.
pub trait Lanes: Copy {
    /// Lanes to a vector.
    const W: usize;
    /// # Safety
    /// `W` values from `p` are readable.
    unsafe fn load(p: *const f32) -> Self;
    /// # Safety
    /// `W` values from `p` are writable.
    unsafe fn store(self, p: *mut f32);
    fn splat(v: f32) -> Self;
    fn add(self, b: Self) -> Self;
    fn sub(self, b: Self) -> Self;
    fn mul(self, b: Self) -> Self;
    fn div(self, b: Self) -> Self;
    /// `self·b + c`, rounded once.
    fn fmadd(self, b: Self, c: Self) -> Self;
    /// `-(self·b) + c`, rounded once.
    fn fnmadd(self, b: Self, c: Self) -> Self;
    /// `min(bound, self)`: `self` where either is NaN, as the scalar form's `a > MAX`.
    fn at_most(self, bound: f32) -> Self;
    /// The magnitude of `self` with the sign of `sign`; `|self|` for `sign` = `+0`.
    fn copysign(self, sign: Self) -> Self;
    /// Each lane's bits shifted left by 23: an `f32`'s exponent field from its low bits.
    fn shl23(self) -> Self;
}

/// AVX's 256-bit vectors (the target has AVX2 and FMA wherever this module is built).
impl Lanes for __m256 {
    const W: usize = 8;
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller's.
        unsafe { _mm256_loadu_ps(p) }
    }
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller's.
        unsafe { _mm256_storeu_ps(p, self) }
    }
    // SAFETY (every function below): the target has AVX2 and FMA.
    fn splat(v: f32) -> Self {
        unsafe { _mm256_set1_ps(v) }
    }
    fn add(self, b: Self) -> Self {
        unsafe { _mm256_add_ps(self, b) }
    }
    fn sub(self, b: Self) -> Self {
        unsafe { _mm256_sub_ps(self, b) }
    }
    fn mul(self, b: Self) -> Self {
        unsafe { _mm256_mul_ps(self, b) }
    }
    fn div(self, b: Self) -> Self {
        unsafe { _mm256_div_ps(self, b) }
    }
    fn fmadd(self, b: Self, c: Self) -> Self {
        unsafe { _mm256_fmadd_ps(self, b, c) }
    }
    fn fnmadd(self, b: Self, c: Self) -> Self {
        unsafe { _mm256_fnmadd_ps(self, b, c) }
    }
    fn at_most(self, bound: f32) -> Self {
        unsafe { _mm256_min_ps(Self::splat(bound), self) }
    }
    fn copysign(self, sign: Self) -> Self {
        let bit = Self::splat(-0.0);
        unsafe { _mm256_or_ps(_mm256_andnot_ps(bit, self), _mm256_and_ps(bit, sign)) }
    }
    fn shl23(self) -> Self {
        unsafe { _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_castps_si256(self))) }
    }
}

/// AVX-512's 512-bit vectors, where the target has AVX-512F.
#[cfg(target_feature = "avx512f")]
impl Lanes for __m512 {
    const W: usize = 16;
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller's.
        unsafe { _mm512_loadu_ps(p) }
    }
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller's.
        unsafe { _mm512_storeu_ps(p, self) }
    }
    // SAFETY (every function below): the target has AVX-512F (and with it FMA).
    fn splat(v: f32) -> Self {
        unsafe { _mm512_set1_ps(v) }
    }
    fn add(self, b: Self) -> Self {
        unsafe { _mm512_add_ps(self, b) }
    }
    fn sub(self, b: Self) -> Self {
        unsafe { _mm512_sub_ps(self, b) }
    }
    fn mul(self, b: Self) -> Self {
        unsafe { _mm512_mul_ps(self, b) }
    }
    fn div(self, b: Self) -> Self {
        unsafe { _mm512_div_ps(self, b) }
    }
    fn fmadd(self, b: Self, c: Self) -> Self {
        unsafe { _mm512_fmadd_ps(self, b, c) }
    }
    fn fnmadd(self, b: Self, c: Self) -> Self {
        unsafe { _mm512_fnmadd_ps(self, b, c) }
    }
    fn at_most(self, bound: f32) -> Self {
        unsafe { _mm512_min_ps(Self::splat(bound), self) }
    }
    fn copysign(self, sign: Self) -> Self {
        // The sign bit from `sign`, the rest from `self`.
        unsafe {
            let bit = _mm512_set1_epi32(i32::MIN);
            let bits = _mm512_ternarylogic_epi32::<0xCA>(
                bit,
                _mm512_castps_si512(sign),
                _mm512_castps_si512(self),
            );
            _mm512_castsi512_ps(bits)
        }
    }
    fn shl23(self) -> Self {
        unsafe { _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_castps_si512(self))) }
    }
}

/// [`Tanh::value_and_derivative`](crate::Tanh): `tanh|x| = -m / (2 + m)`, `sech² = 4e /
/// (2 + m)²` with `(e, m) = (exp, expm1)(-2|x|)`, the sign put back.
#[inline(always)]
fn tanh<V: Lanes>(x: V) -> (V, V) {
    let (e, m) = exp_expm1_minus_twice(x.copysign(V::splat(0.0)));
    let q = V::splat(1.0).div(V::splat(2.0).add(m));
    let t = m.mul(q).copysign(x);
    let d = V::splat(4.0).mul(e).mul(q).mul(q);
    (t, d)
}

/// [`crate::exp_f32::exp_expm1_minus_twice`], lane by lane.
#[inline(always)]
fn exp_expm1_minus_twice<V: Lanes>(a: V) -> (V, V) {
    let a = a.at_most(MAX);
    let k = a.fmadd(V::splat(-2.0 * LOG2_E), V::splat(SHIFTER));
    let n = k.sub(V::splat(SHIFTER));
    let r = n.fnmadd(V::splat(LN2_HI), V::splat(-2.0).mul(a));
    // `madd(-n, LN2_LO, r)`: the product negated is exact, so fnmadd is the same.
    let r = n.fnmadd(V::splat(LN2_LO), r);
    let c = |i: usize| V::splat(POLYNOMIAL[i]);
    let r2 = r.mul(r);
    let pair = |i: usize| c(i + 1).fmadd(r, c(i));
    let q = pair(2).fmadd(r2, pair(0));
    let q = pair(4).fmadd(r2.mul(r2), q);
    let q = r2.fmadd(q, r);
    // 2ⁿ as 2ⁿ⁺³⁰·2⁻³⁰, as the scalar form's.
    let unbias = V::splat(TWO_TO_MINUS_30);
    let two_nb = k.add(V::splat(30.0 + 127.0)).shl23();
    let exp = V::splat(1.0).add(q).mul(two_nb).mul(unbias);
    let two_n = two_nb.mul(unbias);
    let expm1 = q.fmadd(two_n, two_n.sub(V::splat(1.0)));
    (exp, expm1)
}

#[cfg(test)]
mod tests {
    use core::arch::x86_64::__m256;
    #[cfg(target_feature = "avx512f")]
    use core::arch::x86_64::__m512;

    use super::{Lanes, row};
    use crate::{Activation, Tanh};

    /// Every lane of `row` in `V` against the scalar form, bit for bit, over rows of `N`.
    fn check<V: Lanes, const N: usize>(values: &[f32]) {
        for chunk in values.chunks(N) {
            let x: [f32; N] = core::array::from_fn(|l| chunk.get(l).copied().unwrap_or(0.5));
            let (mut value, mut slope) = ([0.0; N], [0.0; N]);
            row::<V, N>(&x, &mut value, &mut slope);
            for l in 0..N {
                let (t, d) = Tanh::value_and_derivative(x[l]);
                let same = |a: f32, b: f32| a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan();
                assert!(
                    same(value[l], t),
                    "tanh({:e}): {:e} against {t:e}",
                    x[l],
                    value[l]
                );
                assert!(
                    same(slope[l], d),
                    "tanh'({:e}): {:e} against {d:e}",
                    x[l],
                    slope[l]
                );
            }
        }
    }

    #[test]
    fn every_lane_is_the_scalar_form_to_the_bit() {
        let mut values = vec![
            0.0,
            -0.0,
            f32::NAN,
            -f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
            -1e-45,
            f32::MAX,
            52.0,
            -51.9,
        ];
        let n = 40_000;
        for i in 0..=n {
            let t = i as f32 / n as f32;
            let magnitude = 10f32.powf(-45.0 + t * 83.0);
            values.extend([magnitude, -magnitude, 120.0 * t - 60.0]);
        }
        check::<__m256, 8>(&values);
        check::<__m256, 10>(&values);
        check::<__m256, 20>(&values);
        check::<__m256, 63>(&values);
        #[cfg(target_feature = "avx512f")]
        {
            check::<__m512, 20>(&values);
            check::<__m512, 320>(&values);
        }
    }
}
