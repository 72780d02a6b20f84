//! [`exp_expm1_minus_twice`] in `f32` arithmetic, for `f32`'s `tanh`: sixteen values to an
//! AVX-512 vector where the `f64` path fits eight, a polynomial of degree 7 where `f64`'s
//! needs 13, and no conversions. The method is [`crate::exp`]'s.

use crate::kernels::madd;

/// `1.5·2²³`: adding it rounds to an integer, which then sits in the low bits.
const SHIFTER: f32 = 12_582_912.0;
const LOG2_E: f32 = core::f32::consts::LOG2_E;
/// `ln 2` split so that `n·LN2_HI` is exact for `|n| < 2⁸` (`LN2_HI` has 16 bits).
const LN2_HI: f32 = f32::from_bits(0x3f31_7200);
const LN2_LO: f32 = f32::from_bits(0x35bf_be8e);
/// `exp(-2a)` is below half the smallest subnormal `f32` past this `a`.
const MAX: f32 = 52.0;
/// `2⁻³⁰`: what undoes the bias that keeps a subnormal result's `2ⁿ` normal.
const TWO_TO_MINUS_30: f32 = f32::from_bits(0x3080_0000);
/// `1/(i + 2)!`: the coefficients of `(e^r - 1 - r)/r²`, to degree 5 (the first term
/// left out, `r⁸/8!`, is below 2⁻²⁶ relative to `e^r - 1` for `|r| ≤ ln 2 / 2`).
const POLYNOMIAL: [f32; 6] = [
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
    let q = madd(pair(4), r2 * r2, madd(pair(2), r2, pair(0)));
    let q = madd(r2, q, r);
    // 2ⁿ as 2ⁿ⁺³⁰·2⁻³⁰: n + 30 is a normal exponent down to the clamp (n ≥ -151).
    let two_nb = f32::from_bits((k + (30.0 + 127.0)).to_bits() << 23);
    let two_n = two_nb * TWO_TO_MINUS_30;
    ((1.0 + q) * two_nb * TWO_TO_MINUS_30, madd(q, two_n, two_n - 1.0))
}

#[cfg(test)]
mod tests {
    use crate::{Activation, Tanh};

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

    #[test]
    fn scan() {
        let (mut wv, mut ws) = ((0, 0.0f32), (0, 0.0f32));
        let n = 2_000_000;
        for i in 0..=n {
            let t = i as f64 / n as f64;
            let magnitude = 10f64.powf(-40.0 + t * 42.0) as f32;
            for x in [magnitude, -magnitude, (120.0 * t - 60.0) as f32] {
                let (v, s) = <Tanh as Activation<f32>>::value_and_derivative(x);
                let want = (x as f64).tanh() as f32;
                let u = ulps(v, want);
                if u > wv.0 { wv = (u, x); }
                let c = (x as f64).cosh();
                let want_s = (1.0 / (c * c)) as f32;
                let u = ulps(s, want_s);
                if u > ws.0 { ws = (u, x); }
            }
        }
        panic!("value {wv:?} slope {ws:?}");
    }
}
