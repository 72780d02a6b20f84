//! Symbolic differentiation of a [`Program`](crate::ir::Program) into a program.
//!
//! Two rules, both over the same expression grammar, so that every derivative the crate
//! emits — gradient, Jacobian, and the directional and second-order ones built on them —
//! comes from them:
//! - [`reverse()`]: the adjoint (backpropagation) sweep, one statement per adjoint;
//! - [`tangent()`]: the forward sweep, one statement per tangent.
//!
//! [`curvature()`] combines the two into a Laplacian or a Hessian.

mod curvature;
mod reverse;
mod tangent;

pub use curvature::{Curve, curvature, laplacian};
pub use reverse::{Seed, reverse, reverse_adjoints};
pub use tangent::{Direction, tangent, tangent_again};
