//! `tanh` and its derivative over a row, on targets without AVX-512 (which has its own,
//! `kernels/tanh.rs`). A value is a chain of some forty dependent steps (~75 cycles); the
//! out-of-order window holds only a few values' chains, and the units wait on them. Two
//! ways to keep more in flight, each the same operations on the same values, so that every
//! element is [`Tanh::value_and_derivative`]'s to the bit (tested below):
//!
//! - [`elements`], eight values at a time: two AVX vectors of `f64` side by side;
//! - [`passes_f64`], one pass over the row per stage of
//!   [`crate::exp::exp_expm1_minus_twice`] (the reduction, the polynomial, the scaling with
//!   the division): three shorter chains, so more values a pass in flight.
//!
//! [`row_f64`] chooses between them by measurement on Zen 3: alone, a row of 320 took 1.8–2.1
//! ns a value in passes against 2.6–2.8 in eights (AVX2 + FMA), and 4.1 against 5.6 on the
//! default target; rows of 10 and 20 were 7–10 % slower in passes with AVX, 18–25 % faster
//! without. In the networks (`scripts/ab-min.sh de142f4 df3dd41 16`, native): the seed's
//! batch forward −9 %, batch gradient −7 %, the wide network's batch forward −13 %, its
//! batch gradient unchanged (its tiles and sums take 85 % of it); on the default target
//! every benchmark of the script 1–7 % faster.
//!
//! [`Tanh::value_and_derivative`]: crate::Activation::value_and_derivative

// With AVX-512 none of this is called (`f64` and `f32` rows have forms of their own); it is
// still built and tested.
#![cfg_attr(
    all(target_arch = "x86_64", target_feature = "avx512f"),
    allow(dead_code)
)]

use crate::builtin::tanh_from;
use crate::exp::{expm1_reduced, reduce_minus_twice, scaled_nonpositive};
use crate::{Activation, Scalar, Tanh};

/// From how many values AVX's rows of `f64` go in [`passes_f64`] (the seed network's
/// single calls, rows of 20 and 10, measured 3–6 % slower with them).
const LONG: usize = 64;

/// Up to how many values a row goes through each pass whole; longer ones in parts of
/// `PASS`, so that the row's temporaries stay in the L1 cache.
const WHOLE: usize = 512;
const PASS: usize = 256;

/// [`Scalar::tanh_row`] for `f64` where the target has no AVX-512.
#[inline(always)]
pub fn row_f64<const N: usize>(x: &[f64; N], value: &mut [f64; N], slope: &mut [f64; N]) {
    if const { cfg!(target_feature = "avx") && N < LONG } {
        elements(x, value, slope);
        return;
    }
    if const { N <= WHOLE } {
        passes_f64(x, value, slope);
        return;
    }
    let (xs, x_rest) = x.as_chunks::<PASS>();
    let (values, value_rest) = value.as_chunks_mut::<PASS>();
    let (slopes, slope_rest) = slope.as_chunks_mut::<PASS>();
    for ((x, value), slope) in xs.iter().zip(values).zip(slopes) {
        passes_f64(x, value, slope);
    }
    passes_f64(x_rest, value_rest, slope_rest);
}

/// Element by element; eight at a time with AVX (two vectors of `f64` side by side, which
/// measured 8–20 % faster than one for a row of 320 on Zen 3), or in rows of 64 values and
/// more, a cache line's worth (sixteen `f32`: on the Xeon, the seed's `f32` batch forward
/// took 42.0 ns against 61.0 by eights; sixteen in every row made its `value_and_gradient`
/// 2 % slower). Not so in
/// SSE2's sixteen 128-bit registers: four vectors side by side there measured 6–24 %
/// slower.
#[inline(always)]
pub fn elements<T: Scalar, const N: usize>(x: &[T; N], value: &mut [T; N], slope: &mut [T; N]) {
    if !cfg!(target_feature = "avx") {
        for l in 0..N {
            (value[l], slope[l]) = Tanh::value_and_derivative(x[l]);
        }
        return;
    }
    let group = if N >= 64 { 64 / size_of::<T>() } else { 8 };
    for c in 0..N / group {
        for l in c * group..c * group + group {
            (value[l], slope[l]) = Tanh::value_and_derivative(x[l]);
        }
    }
    for l in N / group * group..N {
        (value[l], slope[l]) = Tanh::value_and_derivative(x[l]);
    }
}

/// Three passes over a row, the reduction's `(k, r)` held in `(value, slope)` between them.
#[inline(always)]
pub fn passes_f64(x: &[f64], value: &mut [f64], slope: &mut [f64]) {
    let n = x.len();
    let (value, slope) = (&mut value[..n], &mut slope[..n]);
    for l in 0..n {
        (value[l], slope[l]) = reduce_minus_twice(x[l].abs());
    }
    for r in slope.iter_mut() {
        *r = expm1_reduced(*r);
    }
    for l in 0..n {
        let (e, m) = scaled_nonpositive(value[l], slope[l]);
        (value[l], slope[l]) = tanh_from(x[l], e, m);
    }
}

#[cfg(test)]
mod tests {
    use super::{elements, passes_f64, row_f64};
    use crate::{Activation, Tanh};

    /// Every element of each row form against the scalar form, bit for bit, over rows of
    /// `N`.
    fn check<const N: usize>(values: &[f64]) {
        type Row<const N: usize> = fn(&[f64; N], &mut [f64; N], &mut [f64; N]);
        let forms: [(&str, Row<N>); 3] = [
            ("row_f64", row_f64),
            ("elements", elements),
            ("passes_f64", |x, value, slope| passes_f64(x, value, slope)),
        ];
        for chunk in values.chunks(N) {
            let x: [f64; N] = core::array::from_fn(|l| chunk.get(l).copied().unwrap_or(0.5));
            for (name, row) in forms {
                let (mut value, mut slope) = ([f64::NAN; N], [f64::NAN; N]);
                row(&x, &mut value, &mut slope);
                for l in 0..N {
                    let (t, d) = Tanh::value_and_derivative(x[l]);
                    assert_eq!(value[l].to_bits(), t.to_bits(), "{name}: tanh {:e}", x[l]);
                    assert_eq!(slope[l].to_bits(), d.to_bits(), "{name}: tanh' {:e}", x[l]);
                }
            }
        }
    }

    #[test]
    fn rows_keep_the_bits_over_the_whole_range() {
        let mut values = vec![
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -5e-324,
            f64::MAX,
            373.0,
            -373.5,
        ];
        // Sparse under Miri (`scripts/miri.sh`), which checks the rows' loads and stores.
        let n = if cfg!(miri) { 100 } else { 20_000 };
        for i in 0..=n {
            let t = f64::from(i) / f64::from(n);
            let magnitude = 10f64.powf(-320.0 + t * 628.0);
            values.extend([magnitude, -magnitude, 40.0 * t - 20.0]);
        }
        check::<1>(&values[..64]);
        check::<3>(&values);
        check::<20>(&values);
        check::<64>(&values);
        check::<320>(&values);
        // Two whole passes and a part.
        check::<300>(&values);
    }

    /// `f32`'s row forms, [`elements`] (sixteen at a time from 64 values) and, where the
    /// target has AVX2 and FMA, [`super::super::tanh_f32::row_f32`] (and with AVX-512
    /// `row_f32_512`), against the scalar form, bit for bit (any NaN for a NaN).
    #[test]
    fn f32_rows_keep_the_bits() {
        type Row<const N: usize> = fn(&[f32; N], &mut [f32; N], &mut [f32; N]);
        fn check<const N: usize>(values: &[f32]) {
            let forms: &[(&str, Row<N>)] = &[
                ("elements", elements),
                #[cfg(all(
                    target_arch = "x86_64",
                    target_feature = "avx2",
                    target_feature = "fma"
                ))]
                ("row_f32", super::super::tanh_f32::row_f32),
                // Miri (nightly 2026-05-19) does not emulate `_mm512_min_ps`.
                #[cfg(all(target_arch = "x86_64", target_feature = "avx512f", not(miri)))]
                ("row_f32_512", super::super::tanh_f32::row_f32_512),
            ];
            let same = |a: f32, b: f32| a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan();
            for chunk in values.chunks(N) {
                let x: [f32; N] = core::array::from_fn(|l| chunk.get(l).copied().unwrap_or(0.5));
                for &(name, row) in forms {
                    let (mut value, mut slope) = ([f32::NAN; N], [f32::NAN; N]);
                    row(&x, &mut value, &mut slope);
                    for l in 0..N {
                        let (t, d) = Tanh::value_and_derivative(x[l]);
                        assert!(same(value[l], t), "{name}: tanh {:e}", x[l]);
                        assert!(same(slope[l], d), "{name}: tanh' {:e}", x[l]);
                    }
                }
            }
        }
        let mut values = vec![
            0.0,
            -0.0,
            f32::NAN,
            -f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
            1e-45,
            -1e-45,
            f32::MAX,
            -f32::MAX,
            52.0,
            -51.9,
            60.0,
        ];
        let n = if cfg!(miri) { 100 } else { 40_000 };
        for i in 0..=n {
            let t = i as f32 / n as f32;
            let magnitude = 10f32.powf(-45.0 + t * 83.0);
            values.extend([magnitude, -magnitude, 120.0 * t - 60.0]);
        }
        check::<8>(&values);
        check::<10>(&values);
        check::<20>(&values);
        check::<63>(&values);
        check::<64>(&values);
        check::<320>(&values);
        // Sixteens, then an eight, then single lanes.
        check::<16>(&values);
        check::<31>(&values);
        check::<100>(&values);
    }
}
