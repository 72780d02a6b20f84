//! `exp` and `expm1` inline and branch-free, so that an activation applied to a layer
//! vectorizes: a call to the platform's `exp` cannot, and costs as much as the layer's
//! arithmetic (glibc's `tanh` is ~9 ns a call).
//!
//! The classic method: `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2` (Cody–Waite reduction, `n`
//! rounded by the 1.5·2⁵² trick rather than a `round` call), `e^r - 1` by a polynomial of
//! degree 12, `r + r²·P(r)` with `P` of least largest error (2⁻⁶⁰ relative), in fused
//! multiply-adds where the target has them, and `2ⁿ` built from its bits, rescaled at the
//! ends so that subnormal results come out right. Within 2 ulp of the correctly rounded
//! value over the whole range, ±∞ and NaN included (tested below against the platform's
//! `libm`; `tanh`, built on it, in `tests/activations`). `f32` goes through the `f64` path,
//! but for `tanh`'s [`exp_expm1_minus_twice`], which has an `f32` form of its own
//! (`exp_f32.rs`).

use crate::kernels::madd;

/// `1.5·2⁵²`: adding it rounds to an integer, which then sits in the low bits.
pub(crate) const SHIFTER: f64 = 6_755_399_441_055_744.0;
pub(crate) const LOG2_E: f64 = core::f64::consts::LOG2_E;
/// `ln 2` split so that `n·LN2_HI` is exact for `|n| < 2¹¹` (fdlibm's constants, by bits).
pub(crate) const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
pub(crate) const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// Below this `exp` is 0 (less than half the smallest subnormal), above the other, ∞.
pub(crate) const MIN: f64 = -746.0;
pub(crate) const MAX: f64 = 710.0;
/// `2⁻⁶⁰`: what undoes the bias that keeps a subnormal result's `2ⁿ` normal.
pub(crate) const TWO_TO_MINUS_60: f64 = f64::from_bits(0x3c30_0000_0000_0000);
/// The coefficients of `(e^r - 1 - r)/r²` in `rⁱ`, a polynomial of degree 10 whose largest
/// error over `|r| ≤ ln 2 / 2` is the least any can have: 1.4e-18, which is at most 8.7e-19
/// (2⁻⁶⁰) of `e^r - 1` with the coefficients rounded (`scripts/expm1-polynomial.py`:
/// Remez's algorithm in 60-digit arithmetic). The Taylor series' twelve terms, the form
/// before, were off by 2⁻⁵⁶ at the ends, with one multiply-add more; the largest errors
/// against `libm` stayed as they were (`exp` 1 ulp, `expm1` 2, `tanh` 3, its slope 7, in
/// the tests' sweeps of then; a denser one later found `tanh` 4 and its slope 9, before
/// and after), and
/// `scripts/ab-min.sh` on Zen 4 (two alignments) had a geometric mean of 0.991 and 0.995,
/// the seed's batch forward −3.6 and −2.2 %, its `value_and_gradient` −0.8 %. (Degree 9
/// would be off by 2⁻⁵⁴, a fraction of an ulp: not taken.)
pub(crate) const POLYNOMIAL: [f64; 11] = [
    f64::from_bits(0x3fe0_0000_0000_0000), // 0.5
    f64::from_bits(0x3fc5_5555_5555_5557), // 0.1666666666666667
    f64::from_bits(0x3fa5_5555_5555_5558), // 0.041666666666666685
    f64::from_bits(0x3f81_1111_1111_00df), // 0.008333333333326141
    f64::from_bits(0x3f56_c16c_16c1_5203), // 0.0013888888888874413
    f64::from_bits(0x3f2a_01a0_1abe_6539), // 0.0001984126987480213
    f64::from_bits(0x3efa_01a0_1acf_83dc), // 2.4801587347303994e-05
    f64::from_bits(0x3ec7_1de0_236e_c2d7), // 2.755725542390483e-06
    f64::from_bits(0x3e92_7e4c_cd44_eb6c), // 2.755725294793774e-07
    f64::from_bits(0x3e5a_f4dd_e4ba_4f34), // 2.5105207064766768e-08
    f64::from_bits(0x3e21_f8b4_157c_740c), // 2.0921577073989126e-09
];

/// `(exp(x), expm1(x))`, sharing one reduction.
#[inline(always)]
pub fn exp_expm1(x: f64) -> (f64, f64) {
    // `clamp`, not `max`/`min`, so that NaN stays NaN.
    let x = x.clamp(MIN, MAX);
    let (k, r) = reduce(x);
    let (n, q) = (k - SHIFTER, expm1_reduced(r));
    // 2ⁿ as 2^(n+b)·2^(-b) with b chosen so that n + b is a normal exponent: 60 where the
    // result is subnormal, -1 at the very top.
    let (b, unbias) = if n < -1000.0 {
        (60.0, TWO_TO_MINUS_60)
    } else if n > 1000.0 {
        (-1.0, 2.0)
    } else {
        (0.0, 1.0)
    };
    let (exp, two_n) = scaled(k, q, b, unbias);
    // expm1 = 2ⁿ(e^r - 1) + (2ⁿ - 1), which keeps every bit where n is small; where it is
    // large, exp - 1 loses nothing (and 2ⁿ alone may overflow).
    let expm1 = if n < 53.0 {
        madd(q, two_n, two_n - 1.0)
    } else {
        exp - 1.0
    };
    // expm1(±0) = ±0, which the sum above would make +0.
    let expm1 = if x == 0.0 { x } else { expm1 };
    (exp, expm1)
}

/// [`exp_expm1`] of `-2a` for `a ≥ 0` (or NaN): `tanh`'s argument, `-2|x|`. It skips the
/// choices only a positive argument makes (on Zen 3, `tanh` in AVX's vectors measured 2.89
/// ns against 3.35 before, in two bench runs), and takes the factor into the reduction's
/// constant (`-2·log2 e` is exact), which takes a multiplication off each value's chain.
/// The same bits as `exp_expm1(-2a)`, except that `expm1(-0)` is `+0`.
#[inline(always)]
pub fn exp_expm1_minus_twice(a: f64) -> (f64, f64) {
    let (k, r) = reduce_minus_twice(a);
    scaled_nonpositive(k, expm1_reduced(r))
}

/// The first of [`exp_expm1_minus_twice`]'s three stages (which a row of `tanh` runs as
/// three passes): `-2a = n·ln 2 + r` as `(k, r)`, `-2a` clamped from below as
/// [`exp_expm1`] clamps it (`-2·min(a, -MIN/2) = max(-2a, MIN)` exactly; one comparison
/// that passes NaN through).
#[inline(always)]
pub(crate) fn reduce_minus_twice(a: f64) -> (f64, f64) {
    let a = if a > -MIN / 2.0 { -MIN / 2.0 } else { a };
    // `a·(-2·log2 e)` is `(-2a)·log2 e` exactly, rounded or not: the same `k` as `reduce`'s.
    remainder(madd(a, -2.0 * LOG2_E, SHIFTER), -2.0 * a)
}

/// The last of [`exp_expm1_minus_twice`]'s stages: `(eⁿ⁺ʳ, eⁿ⁺ʳ - 1)` from
/// [`reduce_minus_twice`]'s `k` and `q = e^r - 1`. With `n ≤ 0`, `2ⁿ` is always
/// `2ⁿ⁺⁶⁰·2⁻⁶⁰`: `n + 60` is a normal exponent down to the clamp, and the product by
/// `2⁻⁶⁰` is exact wherever the result is normal and rounds once where it is not, so the
/// bits are [`exp_expm1`]'s, without its comparison and two selects.
#[inline(always)]
pub(crate) fn scaled_nonpositive(k: f64, q: f64) -> (f64, f64) {
    let (exp, two_n) = scaled(k, q, 60.0, TWO_TO_MINUS_60);
    (exp, madd(q, two_n, two_n - 1.0))
}

/// `x = n·ln 2 + r` for `x` in `[MIN, MAX]`: `(k, r)`, `k = 1.5·2⁵² + n` (so `n = k -
/// SHIFTER`, exactly). `k` in one multiply-add where the target has them (a step shorter
/// than a product and a sum; where the two differ, `n` is the other integer nearest
/// `x·log2 e`, and `|r|` at most a rounding past `ln 2 / 2`, which the polynomial covers).
#[inline(always)]
fn reduce(x: f64) -> (f64, f64) {
    remainder(madd(x, LOG2_E, SHIFTER), x)
}

/// `(k, x - n·ln 2)` for [`reduce`]'s `k`. `n·LN2_HI` is exact: as one multiply-add, `x -
/// n·LN2_HI` rounds as the subtraction of the product did, one step of the chain shorter.
#[inline(always)]
fn remainder(k: f64, x: f64) -> (f64, f64) {
    let n = k - SHIFTER;
    (k, madd(-n, LN2_LO, madd(-n, LN2_HI, x)))
}

/// `e^r - 1` for `|r| ≤ ln 2 / 2`: `r + r²·Σ_{i≤10} cᵢ·rⁱ` ([`POLYNOMIAL`]), the sum by
/// Estrin's scheme: pairs, then pairs of pairs, which run side by side where Horner's rule
/// is eleven dependent steps; the three groups then by Horner's rule in `r⁴`, a chain as
/// short as with `r⁸` and a product fewer (with the other changes of that day in
/// `kernels/tanh.rs`, a row of `tanh` 1.02 → 0.95 ns a value on Zen 4).
#[inline(always)]
pub(crate) fn expm1_reduced(r: f64) -> f64 {
    let (r2, pair) = (r * r, |i: usize| madd(POLYNOMIAL[i + 1], r, POLYNOMIAL[i]));
    let r4 = r2 * r2;
    let quad = |i: usize| madd(pair(i + 2), r2, pair(i));
    let last = madd(POLYNOMIAL[10], r2, pair(8));
    let q = madd(madd(last, r4, quad(4)), r4, quad(0));
    madd(r2, q, r)
}

/// `(eⁿ⁺ʳ, 2ⁿ)` from [`reduce`]'s `k` and `q = e^r - 1`, 2ⁿ as 2^(n+b)·2^(-b): `k + (b +
/// 1023)` holds the exponent n + b in its low bits (k is exactly 1.5·2⁵² + n), which a
/// shift puts in place: float adds and a shift, all of which vectorize on every x86-64.
/// `eⁿ⁺ʳ = 2ⁿ + q·2ⁿ` in one multiply-add: one step and one rounding fewer than `(1 +
/// q)·2ⁿ` (the same bits where the result is normal); at the very top (`b = -1`), where
/// `2ⁿ` may overflow, from `2ⁿ⁻¹`, doubled.
#[inline(always)]
fn scaled(k: f64, q: f64, b: f64, unbias: f64) -> (f64, f64) {
    let two_nb = f64::from_bits((k + (b + 1023.0)).to_bits() << 52);
    let two_n = two_nb * unbias;
    let exp = if b < 0.0 {
        madd(q, two_nb, two_nb) * unbias
    } else {
        madd(q, two_n, two_n)
    };
    (exp, two_n)
}

#[cfg(test)]
mod tests {
    use super::{exp_expm1, exp_expm1_minus_twice};

    /// The distance in units of the last place between `a` and `b`.
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b || a.is_nan() && b.is_nan() {
            return 0;
        }
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 { i64::MIN - bits } else { bits }
        };
        key(a).abs_diff(key(b))
    }

    #[test]
    fn matches_libm_over_the_whole_range() {
        let mut worst = (0, 0.0);
        let mut worst_m1 = (0, 0.0);
        let n = 400_000;
        for i in 0..=n {
            // Every magnitude from 1e-300 to 745, both signs.
            let t = i as f64 / n as f64;
            let magnitude = 10f64.powf(-300.0 + t * 302.872);
            for x in [magnitude, -magnitude, 1460.0 * t - 730.0] {
                let (e, em1) = exp_expm1(x);
                let u = ulps(e, x.exp());
                if u > worst.0 {
                    worst = (u, x);
                }
                let u = ulps(em1, x.exp_m1());
                if u > worst_m1.0 {
                    worst_m1 = (u, x);
                }
            }
        }
        assert!(worst.0 <= 2, "exp is {} ulp off at {:e}", worst.0, worst.1);
        assert!(
            worst_m1.0 <= 2,
            "expm1 is {} ulp off at {:e}",
            worst_m1.0,
            worst_m1.1
        );
    }

    /// `tanh`'s shortcut is `exp_expm1(-2a)` to the bit, NaN and the clamp included, but
    /// for the sign of `expm1(-0)`.
    #[test]
    fn minus_twice_shortcut_keeps_the_bits() {
        let n = 200_000;
        let mut a = vec![
            0.0,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            373.0,
            373.0f64.next_up(),
            373.0f64.next_down(),
        ];
        for i in 0..=n {
            let t = i as f64 / n as f64;
            a.push(10f64.powf(-320.0 + t * 323.0));
            a.push(400.0 * t);
        }
        for a in a {
            let (e, m) = exp_expm1(-2.0 * a);
            let (e2, m2) = exp_expm1_minus_twice(a);
            let same = |x: f64, y: f64| x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan();
            assert!(same(e, e2), "exp at -2·{a:e}");
            if a != 0.0 {
                assert!(same(m, m2), "expm1 at -2·{a:e}");
            }
        }
        assert_eq!(exp_expm1_minus_twice(0.0), (1.0, 0.0));
        assert!(exp_expm1_minus_twice(0.0).1.is_sign_positive());
    }

    #[test]
    fn edges() {
        for (x, want) in [
            (0.0, (1.0, 0.0)),
            (-0.0, (1.0, -0.0)),
            (1e-300, (1.0, 1e-300)),
            (f64::INFINITY, (f64::INFINITY, f64::INFINITY)),
            (f64::NEG_INFINITY, (0.0, -1.0)),
            (800.0, (f64::INFINITY, f64::INFINITY)),
            (-800.0, (0.0, -1.0)),
        ] {
            assert_eq!(exp_expm1(x), want, "at {x}");
        }
        let (e, em1) = exp_expm1(f64::NAN);
        assert!(e.is_nan() && em1.is_nan());
        // The smallest subnormal and just above it.
        assert_eq!(
            exp_expm1(-744.4400719213812).0,
            (-744.4400719213812f64).exp()
        );
        assert_eq!(exp_expm1(709.78).0, 709.78f64.exp());
    }
}
