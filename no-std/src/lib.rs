//! A `#![no_std]` crate with a network in it: the generated code names nothing of `std`,
//! and with `mlp`'s default features off the runtime does its math through `libm`.
//! Built alone (`cargo test -p mlp-no-std`), nothing in its dependency tree has `std`.
#![no_std]

use mlp::mlp;

/// A small controller's value function: 4 states in, gelu and softplus hidden layers.
#[mlp(8, 6, 1, input = 4, activation = [gelu, softplus])]
pub struct Value;

/// The value and its gradient, as an embedded controller would ask for them.
#[must_use]
pub fn value_and_gradient(net: &Value, state: &[f64; 4]) -> (f64, [f64; 4]) {
    net.value_and_gradient(state)
}
