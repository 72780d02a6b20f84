//! The floating-point types a network computes in.

use core::fmt::{Debug, Display, LowerExp};
use core::iter::Sum;

use num_traits::{Float, FloatConst};

/// A floating-point type a network can compute in: `f32` or `f64`.
///
/// Everything but the few functions `num_traits::Float` lacks comes from
/// [`num_traits::Float`], so activations are written once for both types.
pub trait Scalar:
    Float + FloatConst + Default + Debug + Display + LowerExp + Sum + Send + Sync + 'static
{
    /// The type's name as written in Rust: `"f32"` or `"f64"`.
    const NAME: &'static str;

    /// `value` rounded to this type.
    fn from_f64(value: f64) -> Self;

    /// The complementary error function, `1 - erf(x)`, accurate in both tails.
    fn erfc(self) -> Self;

    /// `(exp(x), exp(x) - 1)`, inline and branch-free (so that it vectorizes), within 2 ulp.
    fn exp_expm1(self) -> (Self, Self);
}

impl Scalar for f32 {
    const NAME: &'static str = "f32";

    #[inline]
    fn from_f64(value: f64) -> Self {
        value as f32
    }

    #[inline]
    fn erfc(self) -> Self {
        libm::erfcf(self)
    }

    #[inline(always)]
    fn exp_expm1(self) -> (Self, Self) {
        let (e, em1) = crate::exp::exp_expm1(f64::from(self));
        (e as f32, em1 as f32)
    }
}

impl Scalar for f64 {
    const NAME: &'static str = "f64";

    #[inline]
    fn from_f64(value: f64) -> Self {
        value
    }

    #[inline]
    fn erfc(self) -> Self {
        libm::erfc(self)
    }

    #[inline(always)]
    fn exp_expm1(self) -> (Self, Self) {
        crate::exp::exp_expm1(self)
    }
}
