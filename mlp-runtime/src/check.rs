//! Checking derivatives against central finite differences: for your own networks and
//! activations, and for anything that looks wrong.
//!
//! ```
//! # use mlp_runtime::{Activation, check_activation};
//! /// `x³`, with a mistake in its second derivative.
//! struct Cube;
//! impl Activation<f64> for Cube {
//!     fn value(x: f64) -> f64 { x * x * x }
//!     fn derivative(x: f64) -> f64 { 3.0 * x * x }
//!     fn second_derivative(x: f64) -> f64 { 3.0 * x }
//! }
//! let check = check_activation::<f64, Cube>(&[-1.5, -0.2, 0.7, 2.0]);
//! assert!(check.first.passes(1e-8), "{}", check.first);
//! assert!(!check.second.passes(1e-8), "{}", check.second);
//! // largest error 6.000e0 (5.000e-1 relative to the largest derivative) at [3, 0]:
//! // computed 6.000000e0, finite differences 1.200000e1
//! println!("{}", check.second);
//! ```

use alloc::vec;
use core::fmt;

use crate::{Activation, Network, Scalar, ScalarNetwork, ShapeError};

/// How far computed derivatives are from central finite differences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    /// The largest `|computed - estimated|`.
    pub max_abs_error: f64,
    /// [`Self::max_abs_error`] over the largest `|estimated|`: the error relative to the size
    /// of the derivative (0 if every derivative is 0 and so is every error).
    pub relative_error: f64,
    /// Where the largest error is: `(row, column)` of the Jacobian (`(0, k)` for a gradient,
    /// `(point, 0)` for an activation).
    pub worst: (usize, usize),
    /// The computed derivative there.
    pub computed: f64,
    /// The finite-difference estimate there.
    pub estimated: f64,
}

impl Check {
    /// Whether [`Self::relative_error`] is at most `tolerance`. Central differences with the
    /// steps used here are good to about `1e-9` relative in `f64` and `1e-3` in `f32` for
    /// smooth functions; away from those, suspect the derivative.
    #[must_use]
    pub fn passes(&self, tolerance: f64) -> bool {
        self.relative_error <= tolerance
    }

    /// The check of `computed` against `estimated`, entry by entry, `columns` per row.
    fn of(computed: &[f64], estimated: &[f64], columns: usize) -> Self {
        let scale = estimated.iter().fold(0.0_f64, |m, e| m.max(e.abs()));
        let mut check = Self {
            max_abs_error: 0.0,
            relative_error: 0.0,
            worst: (0, 0),
            computed: computed.first().copied().unwrap_or(0.0),
            estimated: estimated.first().copied().unwrap_or(0.0),
        };
        for (n, (&c, &e)) in computed.iter().zip(estimated).enumerate() {
            let error = (c - e).abs();
            // A NaN error must not hide behind a finite one.
            if error > check.max_abs_error || error.is_nan() && !check.max_abs_error.is_nan() {
                check.max_abs_error = error;
                check.worst = (n / columns.max(1), n % columns.max(1));
                check.computed = c;
                check.estimated = e;
            }
        }
        check.relative_error = if check.max_abs_error == 0.0 {
            0.0
        } else {
            check.max_abs_error / scale
        };
        check
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (row, column) = self.worst;
        write!(
            f,
            "largest error {:.3e} ({:.3e} relative to the largest derivative) at [{row}, {column}]: \
             computed {:.6e}, finite differences {:.6e}",
            self.max_abs_error, self.relative_error, self.computed, self.estimated
        )
    }
}

/// The central-difference step for `x` in `T`: `ε^(1/3)·max(1, |x|)`, which balances the
/// truncation error (`∝ h²`) against rounding (`∝ ε/h`).
fn step<T: Scalar>(x: T) -> T {
    T::epsilon().cbrt() * x.abs().max(T::one())
}

fn f64_of<T: Scalar>(v: T) -> f64 {
    v.to_f64().unwrap_or(f64::NAN)
}

/// Checks `net`'s Jacobian at `x` against central differences of its forward pass.
///
/// # Errors
/// A [`ShapeError`] if `x` does not hold [`Network::INPUT`] values.
pub fn check_jacobian<N: Network>(net: &N, x: &[N::Scalar]) -> Result<Check, ShapeError> {
    let (n, m) = (N::INPUT, N::OUTPUT);
    let mut jacobian = vec![N::Scalar::default(); m * n];
    net.jacobian_into(x, &mut jacobian)?;
    let mut estimated = vec![0.0; m * n];
    let (mut plus, mut minus) = (vec![N::Scalar::default(); m], vec![N::Scalar::default(); m]);
    let mut shifted = x.to_vec();
    for k in 0..n {
        let h = step(x[k]);
        shifted[k] = x[k] + h;
        net.forward_into(&shifted, &mut plus)?;
        shifted[k] = x[k] - h;
        net.forward_into(&shifted, &mut minus)?;
        // The step actually taken, after rounding `x ± h`.
        let taken = f64_of(x[k] + h) - f64_of(x[k] - h);
        shifted[k] = x[k];
        for o in 0..m {
            estimated[o * n + k] = (f64_of(plus[o]) - f64_of(minus[o])) / taken;
        }
    }
    let computed: vec::Vec<f64> = jacobian.iter().map(|&v| f64_of(v)).collect();
    Ok(Check::of(&computed, &estimated, n))
}

/// Checks the gradient of a one-output `net` at `x` against central differences of its
/// value.
///
/// # Errors
/// A [`ShapeError`] if `x` does not hold [`Network::INPUT`] values.
pub fn check_gradient<N: ScalarNetwork>(net: &N, x: &[N::Scalar]) -> Result<Check, ShapeError> {
    let n = N::INPUT;
    let mut gradient = vec![N::Scalar::default(); n];
    net.gradient_into(x, &mut gradient)?;
    let mut estimated = vec![0.0; n];
    let mut shifted = x.to_vec();
    for k in 0..n {
        let h = step(x[k]);
        shifted[k] = x[k] + h;
        let plus = net.value_at(&shifted)?;
        shifted[k] = x[k] - h;
        let minus = net.value_at(&shifted)?;
        shifted[k] = x[k];
        estimated[k] = (f64_of(plus) - f64_of(minus)) / (f64_of(x[k] + h) - f64_of(x[k] - h));
    }
    let computed: vec::Vec<f64> = gradient.iter().map(|&v| f64_of(v)).collect();
    Ok(Check::of(&computed, &estimated, n))
}

/// How an activation's derivatives compare with central differences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActivationCheck {
    /// `derivative` against differences of `value`.
    pub first: Check,
    /// `second_derivative` against differences of `derivative`.
    pub second: Check,
}

/// Checks the derivatives of the activation `A` at `points` (keep them away from kinks).
#[must_use]
pub fn check_activation<T: Scalar, A: Activation<T>>(points: &[T]) -> ActivationCheck {
    let mut first = (vec![0.0; points.len()], vec![0.0; points.len()]);
    let mut second = (vec![0.0; points.len()], vec![0.0; points.len()]);
    for (n, &x) in points.iter().enumerate() {
        let h = step(x);
        let taken = f64_of(x + h) - f64_of(x - h);
        first.0[n] = f64_of(A::derivative(x));
        first.1[n] = (f64_of(A::value(x + h)) - f64_of(A::value(x - h))) / taken;
        second.0[n] = f64_of(A::second_derivative(x));
        second.1[n] = (f64_of(A::derivative(x + h)) - f64_of(A::derivative(x - h))) / taken;
    }
    ActivationCheck {
        first: Check::of(&first.0, &first.1, 1),
        second: Check::of(&second.0, &second.1, 1),
    }
}
