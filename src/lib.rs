#![doc = include_str!("../README.md")]
#![no_std]

extern crate alloc;

/// Derives a network's input derivatives symbolically and emits them as fixed-size Rust.
///
/// See the [crate documentation](crate) for the grammar and the generated API.
pub use mlp_macro::mlp;

#[cfg(any(feature = "safetensors", feature = "npz"))]
pub use mlp_runtime::LoadError;
pub use mlp_runtime::{
    Activation, ActivationCheck, Check, Elu, Gelu, Identity, LeakyRelu, Network, Relu, Scalar,
    ScalarNetwork, ShapeError, Sigmoid, Silu, Sin, Softplus, Tanh, check_activation,
    check_gradient, check_jacobian,
};
#[cfg(feature = "ndarray")]
pub use mlp_runtime::{ndarray, reference};

/// What generated code reaches, so that a user depends on `mlp` alone. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::boxed::Box;
    pub use alloc::vec::Vec;
    pub use core::array::from_fn;
    pub use core::result::Result;

    pub use mlp_runtime::*;
}
