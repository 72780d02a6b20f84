//! `tanh` and its derivative over a short row of `f64` where the target has AVX2 and FMA
//! but not AVX-512 (which has its own, `kernels/tanh.rs`), four to an AVX vector, two
//! vectors side by side as [`super::tanh_row::elements`] takes them: the operations of
//! [`crate::exp::exp_expm1_minus_twice`] and [`Tanh::value_and_derivative`](crate::Tanh),
//! one for one and in the same order, each correctly rounded per lane, so that every lane is
//! the scalar form's to the bit (tested in `tanh_row.rs`, with the other row forms). `-2a`
//! and `4e` are sums, exact as the products are. Written out because LLVM, left to
//! vectorize the scalar form, spent on every row what the rest of a method's body costs it
//! (docs/performance-log.md, "The thirty-seventh session"). Long rows (a batch's) stay
//! with [`super::tanh_row::passes_f64`].

// With AVX-512 `kernels/tanh.rs` takes the rows; this is still built and tested.
#![cfg_attr(target_feature = "avx512f", allow(dead_code))]

use core::arch::x86_64::*;

use crate::exp::{LN2_HI, LN2_LO, LOG2_E, MIN, POLYNOMIAL, SHIFTER, TWO_TO_MINUS_60};
use crate::{Activation, Tanh};

/// `(value, slope)[l] = (tanh x[l], tanh' x[l])` for every `l < N`: eight at a time, then
/// four, then the rest (fewer than four) element by element.
#[inline(always)]
pub fn row_f64<const N: usize>(x: &[f64; N], value: &mut [f64; N], slope: &mut [f64; N]) {
    let whole = N / 8 * 8;
    for l in (0..whole).step_by(8) {
        // SAFETY: the target has AVX2 and FMA, and lanes `l..l + 8` are in all three rows.
        unsafe {
            let p = x.as_ptr().add(l);
            let ((t0, d0), (t1, d1)) = (tanh(_mm256_loadu_pd(p)), tanh(_mm256_loadu_pd(p.add(4))));
            let (v, s) = (value.as_mut_ptr().add(l), slope.as_mut_ptr().add(l));
            _mm256_storeu_pd(v, t0);
            _mm256_storeu_pd(v.add(4), t1);
            _mm256_storeu_pd(s, d0);
            _mm256_storeu_pd(s.add(4), d1);
        }
    }
    let mut l = whole;
    if N - whole >= 4 {
        // SAFETY: as above, lanes `whole..whole + 4`.
        unsafe {
            let (t, d) = tanh(_mm256_loadu_pd(x.as_ptr().add(l)));
            _mm256_storeu_pd(value.as_mut_ptr().add(l), t);
            _mm256_storeu_pd(slope.as_mut_ptr().add(l), d);
        }
        l += 4;
    }
    for l in l..N {
        (value[l], slope[l]) = <Tanh as Activation<f64>>::value_and_derivative(x[l]);
    }
}

/// `f64` splat.
#[inline(always)]
fn splat(v: f64) -> __m256d {
    // SAFETY: the target has AVX.
    unsafe { _mm256_set1_pd(v) }
}

/// [`Tanh::value_and_derivative`](crate::Tanh): `tanh|x| = -m / (2 + m)`, `sech² = 4e /
/// (2 + m)²` with `(e, m) = (exp, expm1)(-2|x|)`, the sign put back.
#[inline(always)]
unsafe fn tanh(x: __m256d) -> (__m256d, __m256d) {
    // SAFETY: the target has AVX2 and FMA.
    unsafe {
        let sign = splat(-0.0);
        let (e, m) = exp_expm1_minus_twice(_mm256_andnot_pd(sign, x));
        let q = _mm256_div_pd(splat(1.0), _mm256_add_pd(splat(2.0), m));
        // copysign: the magnitude's bits but the sign, the argument's.
        let magnitude = _mm256_andnot_pd(sign, _mm256_mul_pd(m, q));
        let t = _mm256_or_pd(magnitude, _mm256_and_pd(sign, x));
        let e2 = _mm256_add_pd(e, e);
        let d = _mm256_mul_pd(_mm256_mul_pd(_mm256_add_pd(e2, e2), q), q);
        (t, d)
    }
}

/// [`crate::exp::exp_expm1_minus_twice`], lane by lane.
#[inline(always)]
unsafe fn exp_expm1_minus_twice(a: __m256d) -> (__m256d, __m256d) {
    // SAFETY: the target has AVX2 and FMA.
    unsafe {
        // `a > -MIN/2 ? -MIN/2 : a`: with the argument second, `min` passes a NaN through.
        let a = _mm256_min_pd(splat(-MIN / 2.0), a);
        let k = _mm256_fmadd_pd(a, splat(-2.0 * LOG2_E), splat(SHIFTER));
        let n = _mm256_sub_pd(k, splat(SHIFTER));
        // `-2a - n·LN2_HI` as `-(n·LN2_HI) - (a + a)`: the same rounding, a sum for a
        // product.
        let r = _mm256_fnmsub_pd(n, splat(LN2_HI), _mm256_add_pd(a, a));
        // `madd(-n, LN2_LO, r)`: the product negated is exact, so fnmadd is the same.
        let r = _mm256_fnmadd_pd(n, splat(LN2_LO), r);
        let c = |i: usize| splat(POLYNOMIAL[i]);
        let r2 = _mm256_mul_pd(r, r);
        let pair = |i: usize| _mm256_fmadd_pd(c(i + 1), r, c(i));
        let r4 = _mm256_mul_pd(r2, r2);
        let quad = |i: usize| _mm256_fmadd_pd(pair(i + 2), r2, pair(i));
        let last = _mm256_fmadd_pd(c(10), r2, pair(8));
        let q = _mm256_fmadd_pd(_mm256_fmadd_pd(last, r4, quad(4)), r4, quad(0));
        let q = _mm256_fmadd_pd(r2, q, r);
        // 2ⁿ as 2ⁿ⁺⁶⁰·2⁻⁶⁰, as the scalar form's (`n + 60` a normal exponent down to the
        // clamp): `k + (60 + 1023)` holds the exponent in its low bits.
        let biased = _mm256_add_pd(k, splat(60.0 + 1023.0));
        let two_nb = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_castpd_si256(biased)));
        let two_n = _mm256_mul_pd(two_nb, splat(TWO_TO_MINUS_60));
        let exp = _mm256_fmadd_pd(q, two_n, two_n);
        let expm1 = _mm256_fmadd_pd(q, two_n, _mm256_sub_pd(two_n, splat(1.0)));
        (exp, expm1)
    }
}
