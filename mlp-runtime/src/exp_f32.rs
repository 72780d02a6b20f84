//! [`exp_expm1_minus_twice`] in `f32` arithmetic, for `f32`'s `tanh`: sixteen values to an
//! AVX-512 vector where the `f64` path fits eight, a polynomial of degree 7 where `f64`'s
//! needs 12, and no conversions. The method is [`crate::exp`]'s. Within 2 ulp of the
//! platform's `exp` and `expm1` (in `f64`, rounded), tested below; `tanh` built on it
//! within 3 ulp and its derivative within 8, in `tests/activations`. Against the `f64`
//! path, the seed's `f32` batch gradient measured 13–26 % faster, depending on the target
//! (`scripts/ab-min.sh`; docs/performance-log.md, "The thirteenth session").

use crate::kernels::madd;

/// `1.5·2²³`: adding it rounds to an integer, which then sits in the low bits.
pub(crate) const SHIFTER: f32 = 12_582_912.0;
pub(crate) const LOG2_E: f32 = core::f32::consts::LOG2_E;
/// `ln 2` split so that `n·LN2_HI` is exact for `|n| < 2⁸` (`LN2_HI` has 16 bits).
pub(crate) const LN2_HI: f32 = f32::from_bits(0x3f31_7200);
pub(crate) const LN2_LO: f32 = f32::from_bits(0x35bf_be8e);
/// `exp(-2a)` is below half the smallest subnormal `f32` past this `a`.
pub(crate) const MAX: f32 = 52.0;
/// `2⁻³⁰`: what undoes the bias that keeps a subnormal result's `2ⁿ` normal.
pub(crate) const TWO_TO_MINUS_30: f32 = f32::from_bits(0x3080_0000);
/// `1/(i + 2)!`: the coefficients of `(e^r - 1 - r)/r²`, to degree 5 (the first term
/// left out, `r⁸/8!`, is below 2⁻²⁶ relative to `e^r - 1` for `|r| ≤ ln 2 / 2`).
pub(crate) const POLYNOMIAL: [f32; 6] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
];

/// `(exp(-2a), expm1(-2a))` for `a ≥ 0` (or NaN), in `f32`.
#[inline(always)]
pub fn exp_expm1_minus_twice(a: f32) -> (f32, f32) {
    let a = if a > MAX { MAX } else { a };
    let k = madd(a, -2.0 * LOG2_E, SHIFTER);
    let n = k - SHIFTER;
    let r = madd(-n, LN2_LO, madd(-n, LN2_HI, -2.0 * a));
    let (r2, pair) = (r * r, |i: usize| madd(POLYNOMIAL[i + 1], r, POLYNOMIAL[i]));
    let q = madd(madd(pair(4), r2, pair(2)), r2, pair(0));
    let q = madd(r2, q, r);
    // 2ⁿ as 2ⁿ⁺³⁰·2⁻³⁰: n + 30 is a normal exponent down to the clamp (n ≥ -151).
    let two_nb = f32::from_bits((k + (30.0 + 127.0)).to_bits() << 23);
    let two_n = two_nb * TWO_TO_MINUS_30;
    // `eⁿ⁺ʳ = 2ⁿ + q·2ⁿ`, as `f64`'s `exp` (`crate::exp`, `scaled`).
    (madd(q, two_n, two_n), madd(q, two_n, two_n - 1.0))
}

#[cfg(test)]
mod tests {
    use super::exp_expm1_minus_twice;

    /// The distance in units of the last place between `a` and `b`.
    fn ulps(a: f32, b: f32) -> u32 {
        if a == b || a.is_nan() && b.is_nan() {
            return 0;
        }
        let key = |v: f32| {
            let bits = v.to_bits() as i32;
            if bits < 0 { i32::MIN - bits } else { bits }
        };
        key(a).abs_diff(key(b))
    }

    /// Within 2 ulp of the platform's `exp` and `expm1` in `f64`, rounded, from 0 past the
    /// clamp, subnormal results included; NaN and ∞ at the ends.
    #[test]
    fn matches_libm_over_the_whole_range() {
        let (mut worst, mut worst_m1) = ((0, 0.0), (0, 0.0));
        let n = 1_000_000;
        for i in 0..=n {
            let a = 60.0 * i as f32 / n as f32;
            for a in [a, a / 1e6] {
                let (e, m) = exp_expm1_minus_twice(a);
                let x = -2.0 * f64::from(a);
                let u = ulps(e, x.exp() as f32);
                if u > worst.0 {
                    worst = (u, a);
                }
                let u = ulps(m, x.exp_m1() as f32);
                if u > worst_m1.0 {
                    worst_m1 = (u, a);
                }
            }
        }
        assert!(
            worst.0 <= 2,
            "exp is {} ulp off at a = {:e}",
            worst.0,
            worst.1
        );
        let (u, a) = worst_m1;
        assert!(u <= 2, "expm1 is {u} ulp off at a = {a:e}");
        assert_eq!(exp_expm1_minus_twice(f32::INFINITY), (0.0, -1.0));
        let (e, m) = exp_expm1_minus_twice(f32::NAN);
        assert!(e.is_nan() && m.is_nan());
    }
}
