//! `tanh` and its derivative over a row, eight `f64` to an AVX-512 vector: the operations of
//! [`crate::exp::exp_expm1_minus_twice`] and
//! [`Tanh::value_and_derivative`](crate::Tanh), one for one and in the same order, each
//! correctly rounded per lane, so that every lane is the scalar form's to the bit (tested
//! below). The exceptions are of the same bits: `2ⁿ`, which the scalar form builds from
//! the bits of `n + 60` and scales by `2⁻⁶⁰` (rounded once), is AVX-512's `vscalefpd`,
//! which rounds `2ⁿ` once: an addition, a shift and a product fewer a vector
//! (`scripts/ab-min.sh`, two alignments, Zen 4: geometric mean 0.996 and 0.991, the seed's
//! `forward` −2.4 %, its batch gradient −2 to −3 %); and `-2a` and `4e`, exact either way,
//! are sums rather than products, a step less each for Zen 4's multiply-add units (the
//! row is not bound by those alone: a sum added costs about 0.005 ns a value, a
//! multiply-add 0.02; docs/performance-log.md, "The thirtieth session"). Written out
//! because LLVM, left to vectorize the scalar form, keeps to 256-bit vectors on the CPUs
//! that tune for them (Intel's server cores among them).

use core::arch::x86_64::*;

use crate::exp::{LN2_HI, LN2_LO, LOG2_E, MIN, POLYNOMIAL, SHIFTER};

/// `(value, slope)[l] = (tanh x[l], tanh' x[l])` for every `l < N`: a vector at a time,
/// then the lanes left (fewer than eight): five to seven in one vector more, read and
/// written in pieces of four, two and one lanes, and up to four element by element, which
/// LLVM takes as one 256- or 128-bit vector. (Four lanes in a 512-bit vector made the seed
/// network's `forward` 5 % slower: its division takes longer. With five to seven in one,
/// the 30-30-30-1 network's `forward` measured 5–10 % faster than element by element, its
/// `value_and_gradient` −4 % to +1 %: `scripts/ab-min.sh` on the Xeon. The seed's rows of
/// 20 and 10 with the rest in a masked vector, or copied through the stack, made its
/// `value_and_gradient` a quarter slower; likely because a load cannot take its data from a
/// masked store, nor from several narrower ones, which I did not verify.)
#[inline(always)]
pub fn row_f64<const N: usize>(x: &[f64; N], value: &mut [f64; N], slope: &mut [f64; N]) {
    let whole = N / 8 * 8;
    for l in (0..whole).step_by(8) {
        // SAFETY: the target has AVX-512F, and lanes `l..l + 8` are in all three rows.
        unsafe {
            let (t, d) = tanh(_mm512_loadu_pd(x.as_ptr().add(l)));
            _mm512_storeu_pd(value.as_mut_ptr().add(l), t);
            _mm512_storeu_pd(slope.as_mut_ptr().add(l), d);
        }
    }
    if N - whole > 4 {
        // SAFETY: as above; `rest` reads and writes lanes `whole..N` alone.
        unsafe {
            let (t, d) = tanh(rest::load(&x[whole..]));
            rest::store(&mut value[whole..], t);
            rest::store(&mut slope[whole..], d);
        }
        return;
    }
    for l in whole..N {
        (value[l], slope[l]) = <crate::Tanh as crate::Activation<f64>>::value_and_derivative(x[l]);
    }
}

/// Five to seven lanes of a vector, from and to a slice of that length: four, then two,
/// one or both (the lanes past the slice are zeros, whose `tanh` is 0).
mod rest {
    use core::arch::x86_64::*;

    /// # Safety
    /// The target has AVX-512F; `x.len()` is 5, 6 or 7.
    #[inline(always)]
    pub(super) unsafe fn load(x: &[f64]) -> __m512d {
        let p = x.as_ptr();
        // SAFETY: the caller's; every piece is in `x`.
        unsafe {
            let high = match x.len() {
                5 => _mm256_zextpd128_pd256(_mm_load_sd(p.add(4))),
                6 => _mm256_zextpd128_pd256(_mm_loadu_pd(p.add(4))),
                _ => _mm256_insertf128_pd::<1>(
                    _mm256_zextpd128_pd256(_mm_loadu_pd(p.add(4))),
                    _mm_load_sd(p.add(6)),
                ),
            };
            _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(_mm256_loadu_pd(p)), high)
        }
    }

    /// # Safety
    /// As [`load`].
    #[inline(always)]
    pub(super) unsafe fn store(out: &mut [f64], v: __m512d) {
        let p = out.as_mut_ptr();
        // SAFETY: as in `load`.
        unsafe {
            _mm256_storeu_pd(p, _mm512_castpd512_pd256(v));
            let high = _mm512_extractf64x4_pd::<1>(v);
            if out.len() == 5 {
                _mm_store_sd(p.add(4), _mm256_castpd256_pd128(high));
            } else {
                _mm_storeu_pd(p.add(4), _mm256_castpd256_pd128(high));
            }
            if out.len() == 7 {
                _mm_store_sd(p.add(6), _mm256_extractf128_pd::<1>(high));
            }
        }
    }
}

/// `f64` splat.
#[inline(always)]
fn splat(v: f64) -> __m512d {
    // SAFETY: the target has AVX-512F.
    unsafe { _mm512_set1_pd(v) }
}

/// The sign bit of every lane.
#[inline(always)]
fn sign() -> __m512i {
    // SAFETY: as above.
    unsafe { _mm512_set1_epi64(i64::MIN) }
}

/// [`Tanh::value_and_derivative`](crate::Tanh): `tanh|x| = -m / (2 + m)`, `sech² = 4e /
/// (2 + m)²` with `(e, m) = (exp, expm1)(-2|x|)`, the sign put back.
#[inline(always)]
unsafe fn tanh(x: __m512d) -> (__m512d, __m512d) {
    // SAFETY: the target has AVX-512F.
    unsafe {
        let abs = _mm512_castsi512_pd(_mm512_andnot_si512(sign(), _mm512_castpd_si512(x)));
        let (e, m) = exp_expm1_minus_twice(abs);
        let q = _mm512_div_pd(splat(1.0), _mm512_add_pd(splat(2.0), m));
        let t = _mm512_mul_pd(m, q);
        // copysign: the magnitude's bits but the sign, the argument's.
        let t = _mm512_ternarylogic_epi64::<0xCA>(
            sign(),
            _mm512_castpd_si512(x),
            _mm512_castpd_si512(t),
        );
        // `4e` as two sums, exact as the product is.
        let e2 = _mm512_add_pd(e, e);
        let d = _mm512_mul_pd(_mm512_mul_pd(_mm512_add_pd(e2, e2), q), q);
        (_mm512_castsi512_pd(t), d)
    }
}

/// [`crate::exp::exp_expm1_minus_twice`], lane by lane.
#[inline(always)]
unsafe fn exp_expm1_minus_twice(a: __m512d) -> (__m512d, __m512d) {
    // SAFETY: the target has AVX-512F (and with it FMA).
    unsafe {
        // `a > -MIN/2 ? -MIN/2 : a`: with the argument second, `min` passes a NaN through.
        let a = _mm512_min_pd(splat(-MIN / 2.0), a);
        let k = _mm512_fmadd_pd(a, splat(-2.0 * LOG2_E), splat(SHIFTER));
        let n = _mm512_sub_pd(k, splat(SHIFTER));
        // `-2a - n·LN2_HI` as `-(n·LN2_HI) - (a + a)`: the same rounding, a sum for a
        // product.
        let r = _mm512_fnmsub_pd(n, splat(LN2_HI), _mm512_add_pd(a, a));
        // `madd(-n, LN2_LO, r)`: the product negated is exact, so fnmadd is the same.
        let r = _mm512_fnmadd_pd(n, splat(LN2_LO), r);
        let c = |i: usize| splat(POLYNOMIAL[i]);
        let r2 = _mm512_mul_pd(r, r);
        let pair = |i: usize| _mm512_fmadd_pd(c(i + 1), r, c(i));
        let r4 = _mm512_mul_pd(r2, r2);
        let quad = |i: usize| _mm512_fmadd_pd(pair(i + 2), r2, pair(i));
        let last = _mm512_fmadd_pd(c(10), r2, pair(8));
        let q = _mm512_fmadd_pd(_mm512_fmadd_pd(last, r4, quad(4)), r4, quad(0));
        let q = _mm512_fmadd_pd(r2, q, r);
        // `2ⁿ` rounded once, as the scalar form's `2ⁿ⁺⁶⁰·2⁻⁶⁰` is (`n + 60` a normal
        // exponent down to the clamp).
        let two_n = _mm512_scalef_pd(splat(1.0), n);
        let exp = _mm512_fmadd_pd(q, two_n, two_n);
        let expm1 = _mm512_fmadd_pd(q, two_n, _mm512_sub_pd(two_n, splat(1.0)));
        (exp, expm1)
    }
}

#[cfg(test)]
mod tests {
    use super::row_f64;
    use crate::{Activation, Tanh};

    /// Every lane of `row_f64` against the scalar form, bit for bit, over rows of `N`.
    fn check<const N: usize>(values: &[f64]) {
        for chunk in values.chunks(N) {
            let x: [f64; N] = core::array::from_fn(|l| chunk.get(l).copied().unwrap_or(0.5));
            let (mut value, mut slope) = ([0.0; N], [0.0; N]);
            row_f64(&x, &mut value, &mut slope);
            // The value or the slope alone, through the activation's row methods.
            let (mut value_only, mut slope_only) = ([0.0; N], [0.0; N]);
            Tanh::value_row(&x, &mut value_only);
            Tanh::derivative_row(&x, &mut slope_only);
            assert_eq!(value_only.map(f64::to_bits), value.map(f64::to_bits));
            assert_eq!(slope_only.map(f64::to_bits), slope.map(f64::to_bits));
            for l in 0..N {
                let (t, d) = Tanh::value_and_derivative(x[l]);
                let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan();
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
    #[cfg_attr(
        miri,
        ignore = "Miri (nightly 2026-05-19) stops at `_mm512_min_pd`: \
                  `llvm.x86.avx512.min.pd.512` is not one it emulates"
    )]
    fn every_lane_is_the_scalar_form_to_the_bit() {
        let mut values = vec![
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE / 3.0,
            5e-324,
            f64::MAX,
            f64::MIN,
            19.06,
            -354.0,
            372.5,
            -373.0,
            500.0,
        ];
        // Every magnitude from 1e-300 to 400, both signs, and a dense sweep where tanh
        // bends (the subnormal and overflow branches of `exp` are at |x| past 350).
        let n = 20_000;
        for i in 0..=n {
            let t = i as f64 / n as f64;
            let magnitude = 10f64.powf(-300.0 + t * 302.61);
            values.extend([magnitude, -magnitude, 40.0 * t - 20.0, 800.0 * t - 400.0]);
        }
        check::<8>(&values);
        check::<16>(&values);
        check::<24>(&values);
        check::<128>(&values);
        check::<20>(&values);
        check::<10>(&values);
        // Every count of lanes left past the whole vectors, one to seven.
        check::<1>(&values);
        check::<2>(&values);
        check::<3>(&values);
        check::<5>(&values);
        check::<6>(&values);
        check::<7>(&values);
        check::<12>(&values);
        check::<13>(&values);
        check::<14>(&values);
        check::<15>(&values);
        check::<30>(&values);
    }
}
