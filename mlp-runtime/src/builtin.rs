//! The built-in activations, defined as PyTorch's defaults.
//!
//! Each is accurate over the whole range of `f32` and `f64`: nothing overflows to `inf` or
//! turns into `NaN` where the true value is finite, no derivative is flushed to zero where
//! the true one is a normal float, and `NaN` in gives `NaN` out. The tails are computed from
//! `e = exp(-|x|)` (or `exp(-2|x|)`), which underflows gracefully, rather than from `1 - f`
//! or `exp(x)`, which cancel or overflow.

use crate::{Activation, Scalar};

/// `x`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identity;

/// `tanh(x)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tanh;

/// The logistic function `1 / (1 + exp(-x))`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sigmoid;

/// `max(0, x)`, with `relu'(0) = 0` as in PyTorch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relu;

/// `x` for `x > 0`, else `0.01 x` (PyTorch's default slope); `f'(0) = 0.01`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeakyRelu;

/// `ln(1 + exp(x))` (β = 1), computed exactly rather than with PyTorch's linear cut-off
/// above 20, which differs from it by less than 2e-9.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Softplus;

/// `x` for `x > 0`, else `exp(x) - 1` (α = 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Elu;

/// `x · sigmoid(x)`, also called swish.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Silu;

/// `x · Φ(x)` with `Φ` the standard normal distribution function: the exact (erf) form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gelu;

/// `sin(x)`, as in SIREN networks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sin;

/// `T` from a literal.
#[inline]
fn c<T: Scalar>(value: f64) -> T {
    T::from_f64(value)
}

/// `min(x, 0)`, but NaN for NaN (where `min` would give 0).
#[inline(always)]
fn negative_part<T: Scalar>(x: T) -> T {
    if x > T::zero() { T::zero() } else { x }
}

/// `e / (1 + e)²` for `e = exp(-|x|)`: the logistic derivative, with no cancellation.
#[inline]
fn logistic_slope<T: Scalar>(e: T) -> T {
    let d = T::one() + e;
    e / (d * d)
}

impl<T: Scalar> Activation<T> for Identity {
    #[inline]
    fn value(x: T) -> T {
        x
    }
    #[inline]
    fn derivative(_: T) -> T {
        T::one()
    }
    #[inline]
    fn second_derivative(_: T) -> T {
        T::zero()
    }
}

/// `(tanh x, tanh' x)` from `(e, m) = (exp, expm1)(-2|x|)`.
#[inline(always)]
pub(crate) fn tanh_from<T: Scalar>(x: T, e: T, m: T) -> (T, T) {
    // `m ≤ 0`, so `m·q` is `-tanh|x|`, and `copysign` takes only its magnitude (`m` is +0
    // for x = ±0, not -0 as `exp_expm1` makes it: the sign is put back here too).
    // One division for both (it costs as much as the rest together), by `2 + m`, not `1 +
    // e`: `m` is a multiply-add after the polynomial, `e` three steps after it, and the
    // next layer waits on the value.
    let q = T::one() / (c::<T>(2.0) + m);
    ((m * q).copysign(x), c::<T>(4.0) * e * q * q)
}

impl<T: Scalar> Activation<T> for Tanh {
    /// As [`Tanh::value_and_derivative`] computes it, so that a value is the same bits
    /// whether or not its derivative was wanted.
    #[inline(always)]
    fn value(x: T) -> T {
        Self::value_and_derivative(x).0
    }

    /// `sech²(x) = 4e / (1 + e)²` with `e = exp(-2|x|)`: accurate where `1 - tanh²` would
    /// be exactly 0 long before `sech²` leaves the normal range.
    #[inline(always)]
    fn derivative(x: T) -> T {
        Self::value_and_derivative(x).1
    }

    #[inline(always)]
    fn second_derivative(x: T) -> T {
        let (t, d) = Self::value_and_derivative(x);
        Self::second_derivative_from(x, t, d)
    }

    /// `-2·tanh·tanh'`, without computing `tanh` again. Where a layer's second derivative
    /// is wanted, the generated code computes the layer's value with its slope for it
    /// (`passes::fuse` in the macro; the seed network's `hvp` 15–17 % faster with AVX-512,
    /// docs/performance-log.md, "The twentieth session").
    #[inline(always)]
    fn second_derivative_from(_: T, value: T, slope: T) -> T {
        c::<T>(-2.0) * value * slope
    }

    /// `tanh|x| = -m / (2 + m)` with `m = expm1(-2|x|)`, which does not cancel near 0, and
    /// `sech² = 4e / (2 + m)²` with `e = exp(-2|x|) = 1 + m`: one reduction and one
    /// division for both, no branch.
    #[inline(always)]
    fn value_and_derivative(x: T) -> (T, T) {
        let (e, m) = x.abs().exp_expm1_minus_twice();
        tanh_from(x, e, m)
    }

    /// The value of [`Self::value_and_derivative_row`], as `value` is that of
    /// `value_and_derivative`.
    #[inline(always)]
    fn value_row<const N: usize>(x: &[T; N], value: &mut [T; N]) {
        T::tanh_row(x, value, &mut [T::zero(); N])
    }

    /// The slope of [`Self::value_and_derivative_row`].
    #[inline(always)]
    fn derivative_row<const N: usize>(x: &[T; N], slope: &mut [T; N]) {
        T::tanh_row(x, &mut [T::zero(); N], slope)
    }

    /// In AVX-512 vectors written out where the target has them (see [`Scalar::tanh_row`]).
    #[inline(always)]
    fn value_and_derivative_row<const N: usize>(
        x: &[T; N],
        value: &mut [T; N],
        slope: &mut [T; N],
    ) {
        T::tanh_row(x, value, slope)
    }
}

impl<T: Scalar> Activation<T> for Sigmoid {
    #[inline(always)]
    fn value(x: T) -> T {
        Self::value_and_derivative(x).0
    }

    #[inline(always)]
    fn derivative(x: T) -> T {
        Self::value_and_derivative(x).1
    }

    /// `σ'(x)(1 - 2σ(x))`, with `1 - 2σ` as `∓expm1(-|x|) / (1 + e)` so that it does not
    /// cancel near zero.
    #[inline(always)]
    fn second_derivative(x: T) -> T {
        let (e, m) = (-x.abs()).exp_expm1();
        let s = logistic_slope(e) * m / (T::one() + e);
        if x < T::zero() { -s } else { s }
    }

    /// `1/(1 + e)` or `e/(1 + e)` with `e = exp(-|x|)`, and `e/(1 + e)²`.
    #[inline(always)]
    fn value_and_derivative(x: T) -> (T, T) {
        let e = (-x.abs()).exp_expm1().0;
        let numerator = if x >= T::zero() { T::one() } else { e };
        (numerator / (T::one() + e), logistic_slope(e))
    }
}

impl<T: Scalar> Activation<T> for Relu {
    #[inline]
    fn value(x: T) -> T {
        if x > T::zero() || x.is_nan() {
            x
        } else {
            T::zero()
        }
    }
    #[inline]
    fn derivative(x: T) -> T {
        if x > T::zero() {
            T::one()
        } else if x.is_nan() {
            x
        } else {
            T::zero()
        }
    }
    #[inline]
    fn second_derivative(x: T) -> T {
        if x.is_nan() { x } else { T::zero() }
    }
}

impl<T: Scalar> Activation<T> for LeakyRelu {
    #[inline]
    fn value(x: T) -> T {
        if x > T::zero() { x } else { c::<T>(0.01) * x }
    }
    #[inline]
    fn derivative(x: T) -> T {
        if x > T::zero() {
            T::one()
        } else if x.is_nan() {
            x
        } else {
            c(0.01)
        }
    }
    #[inline]
    fn second_derivative(x: T) -> T {
        if x.is_nan() { x } else { T::zero() }
    }
}

impl<T: Scalar> Activation<T> for Softplus {
    /// `max(x, 0) + ln(1 + exp(-|x|))`: no overflow for large `x`, no loss for small.
    #[inline]
    fn value(x: T) -> T {
        Self::value_and_derivative(x).0
    }
    #[inline]
    fn derivative(x: T) -> T {
        Sigmoid::value(x)
    }
    #[inline]
    fn second_derivative(x: T) -> T {
        <Sigmoid as Activation<T>>::derivative(x)
    }
    /// The slope from the same `e = exp(-|x|)` as [`Sigmoid`]'s value, so that it is
    /// [`Self::derivative`] to the bit.
    #[inline]
    fn value_and_derivative(x: T) -> (T, T) {
        let e = (-x.abs()).exp_expm1().0;
        let (positive, sigmoid) = if x >= T::zero() {
            (x, T::one() / (T::one() + e))
        } else {
            (T::zero(), e / (T::one() + e))
        };
        // `e.ln_1p()` is NaN exactly when `x` is, so NaN propagates.
        (positive + e.ln_1p(), sigmoid)
    }
}

impl<T: Scalar> Activation<T> for Elu {
    #[inline(always)]
    fn value(x: T) -> T {
        Self::value_and_derivative(x).0
    }
    #[inline(always)]
    fn derivative(x: T) -> T {
        Self::value_and_derivative(x).1
    }
    #[inline(always)]
    fn second_derivative(x: T) -> T {
        let e = negative_part(x).exp_expm1().0;
        if x > T::zero() { T::zero() } else { e }
    }
    /// `x` and 1 above 0, `expm1(x)` and `exp(x)` below, from one reduction.
    #[inline(always)]
    fn value_and_derivative(x: T) -> (T, T) {
        let (e, m) = negative_part(x).exp_expm1();
        if x > T::zero() { (x, T::one()) } else { (m, e) }
    }
}

impl<T: Scalar> Activation<T> for Silu {
    /// `x / (1 + e)` or `x e / (1 + e)`, and `0` once `e` underflows (where `x · 0` would
    /// be `NaN` for `x = -∞`).
    #[inline]
    fn value(x: T) -> T {
        Self::value_and_derivative(x).0
    }

    #[inline]
    fn derivative(x: T) -> T {
        Self::value_and_derivative(x).1
    }

    /// `σ'(x)(2 + x(1 - 2σ(x)))`, an even function, as `e/(1+e)² (2 + |x| expm1(-|x|)/(1+e))`.
    #[inline(always)]
    fn second_derivative(x: T) -> T {
        let ax = x.abs();
        let (e, m) = (-ax).exp_expm1();
        if e == T::zero() {
            return T::zero();
        }
        logistic_slope(e) * (c::<T>(2.0) + ax * m / (T::one() + e))
    }

    /// `σ(x) + x σ'(x)`.
    #[inline(always)]
    fn value_and_derivative(x: T) -> (T, T) {
        let e = (-x.abs()).exp_expm1().0;
        let numerator = if x >= T::zero() { T::one() } else { e };
        let sigmoid = numerator / (T::one() + e);
        if e == T::zero() {
            // |x| beyond ~745 (f64) or ~104 (f32): silu is x or 0, its slope 1 or 0.
            let value = if x > T::zero() { x } else { T::zero() };
            return (value, sigmoid);
        }
        (x * sigmoid, sigmoid + x * logistic_slope(e))
    }
}

impl<T: Scalar> Activation<T> for Gelu {
    #[inline]
    fn value(x: T) -> T {
        let phi = normal_cdf(x);
        if phi == T::zero() { T::zero() } else { x * phi }
    }

    /// `Φ(x) + x φ(x)`.
    #[inline]
    fn derivative(x: T) -> T {
        let density = normal_density(x);
        let tail = if density == T::zero() {
            T::zero()
        } else {
            x * density
        };
        normal_cdf(x) + tail
    }

    /// `φ(x)(2 - x²)`.
    #[inline]
    fn second_derivative(x: T) -> T {
        let density = normal_density(x);
        if density == T::zero() {
            return if x.is_nan() { x } else { T::zero() };
        }
        density * (c::<T>(2.0) - x * x)
    }
}

/// `Φ(x) = erfc(-x/√2) / 2`, accurate in the lower tail where `(1 + erf)/2` cancels.
#[inline]
fn normal_cdf<T: Scalar>(x: T) -> T {
    c::<T>(0.5) * (-x * T::FRAC_1_SQRT_2()).erfc()
}

/// `φ(x) = exp(-x²/2) / √(2π)`.
#[inline]
fn normal_density<T: Scalar>(x: T) -> T {
    (c::<T>(-0.5) * x * x).exp() * c(0.398_942_280_401_432_7)
}

impl<T: Scalar> Activation<T> for Sin {
    #[inline]
    fn value(x: T) -> T {
        x.sin()
    }
    #[inline]
    fn derivative(x: T) -> T {
        x.cos()
    }
    #[inline]
    fn second_derivative(x: T) -> T {
        -x.sin()
    }
    #[inline]
    fn value_and_derivative(x: T) -> (T, T) {
        x.sin_cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value_and_derivative` is `value` and `derivative`, and `second_derivative_from` at
    /// its value and slope is `second_derivative`, to the bit (the generated code calls
    /// either: `gradient` takes a layer's slope alone where `value_and_gradient` takes both),
    /// over the whole range; NaN for NaN (whose sign and payload the compiler need not
    /// keep). Equal and of the same sign is the same bits for every other float.
    fn check_in<T: Scalar, A: Activation<T>>(xs: &[f64]) {
        let same = |a: T, b: T| {
            a == b && a.is_sign_negative() == b.is_sign_negative() || a.is_nan() && b.is_nan()
        };
        for &x in xs {
            let x = T::from_f64(x);
            let (value, slope) = A::value_and_derivative(x);
            let (alone, alone_slope) = (A::value(x), A::derivative(x));
            assert!(
                same(value, alone),
                "{} value at {x:e}: {value:e} against {alone:e}",
                T::NAME
            );
            assert!(
                same(slope, alone_slope),
                "{} slope at {x:e}: {slope:e} against {alone_slope:e}",
                T::NAME
            );
            let (from, direct) = (
                A::second_derivative_from(x, value, slope),
                A::second_derivative(x),
            );
            assert!(
                same(from, direct),
                "{} at {x:e}: {from:e} against {direct:e}",
                T::NAME
            );
        }
    }

    fn check<A: Activation<f64> + Activation<f32>>() {
        let mut xs = vec![
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-310,
        ];
        for i in 0..=20_000 {
            let t = f64::from(i) / 20_000.0;
            let magnitude = 10f64.powf(-320.0 + t * 628.0);
            xs.extend([magnitude, -magnitude, 60.0 * t - 30.0]);
        }
        check_in::<f64, A>(&xs);
        check_in::<f32, A>(&xs);
    }

    #[test]
    fn second_derivatives_from_value_and_slope_keep_the_bits() {
        check::<Identity>();
        check::<Tanh>();
        check::<Sigmoid>();
        check::<Relu>();
        check::<LeakyRelu>();
        check::<Softplus>();
        check::<Elu>();
        check::<Silu>();
        check::<Gelu>();
        check::<Sin>();
    }
}
