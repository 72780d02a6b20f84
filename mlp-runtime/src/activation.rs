//! The element-wise function applied after each layer.

use crate::Scalar;

/// An element-wise activation function with its first and second derivative.
///
/// Activations are types, not values: the network calls them through the type, so a custom
/// activation costs nothing at run time. Implement it for the scalar your network uses (or
/// for every [`Scalar`]) and name the type in the attribute,
/// `#[mlp(8, 1, input = 3, activation = Softsign)]`:
///
/// ```
/// use mlp_runtime::Activation;
///
/// /// `x / (1 + |x|)`.
/// pub struct Softsign;
///
/// impl Activation<f64> for Softsign {
///     fn value(x: f64) -> f64 {
///         x / (1.0 + x.abs())
///     }
///     fn derivative(x: f64) -> f64 {
///         (1.0 + x.abs()).powi(-2)
///     }
///     fn second_derivative(x: f64) -> f64 {
///         -2.0 * x.signum() * (1.0 + x.abs()).powi(-3)
///     }
/// }
///
/// assert_eq!(Softsign::value(1.0), 0.5);
/// ```
pub trait Activation<T: Scalar> {
    /// `f(x)`.
    fn value(x: T) -> T;

    /// `f'(x)`.
    fn derivative(x: T) -> T;

    /// `f''(x)`.
    fn second_derivative(x: T) -> T;

    /// `(f(x), f'(x))`; override it when the two share work (one `exp` for both, say), with
    /// the same bits as [`Self::value`] and [`Self::derivative`]: the generated code calls
    /// either (`gradient` a layer's slope alone, `value_and_gradient` both), and the two
    /// methods' gradients are to agree.
    #[inline]
    fn value_and_derivative(x: T) -> (T, T) {
        (Self::value(x), Self::derivative(x))
    }

    /// `f''(x)`, given `(value, slope) = Self::value_and_derivative(x)`: what the generated
    /// code calls where a layer's value and slope are already at hand. Override it where the
    /// second derivative follows from them (`tanh'' = -2·tanh·tanh'`), to the bit
    /// [`Self::second_derivative`].
    #[inline]
    fn second_derivative_from(x: T, value: T, slope: T) -> T {
        let _ = (value, slope);
        Self::second_derivative(x)
    }

    /// [`Self::value`] of a layer's row at once, into `value`; override it as
    /// [`Self::value_and_derivative_row`].
    #[inline(always)]
    fn value_row<const N: usize>(x: &[T; N], value: &mut [T; N]) {
        for l in 0..N {
            value[l] = Self::value(x[l]);
        }
    }

    /// [`Self::derivative`] of a layer's row at once, into `slope`; override it as
    /// [`Self::value_and_derivative_row`].
    #[inline(always)]
    fn derivative_row<const N: usize>(x: &[T; N], slope: &mut [T; N]) {
        for l in 0..N {
            slope[l] = Self::derivative(x[l]);
        }
    }

    /// [`Self::value_and_derivative`] of a layer's row at once, into `value` and `slope`;
    /// override it where a vector form does better than what the compiler makes of the
    /// loop, with the same results.
    #[inline(always)]
    fn value_and_derivative_row<const N: usize>(
        x: &[T; N],
        value: &mut [T; N],
        slope: &mut [T; N],
    ) {
        for l in 0..N {
            (value[l], slope[l]) = Self::value_and_derivative(x[l]);
        }
    }
}
