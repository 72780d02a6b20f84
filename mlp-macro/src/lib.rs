//! The `#[mlp]` attribute of the [`mlp`](https://docs.rs/mlp) crate: a small compiler from a
//! network's architecture to Rust that evaluates it and its exact input derivatives.
//!
//! The pipeline works on `proc_macro2` tokens, one stage per module, so that each is tested
//! without a compiler in the loop:
//!
//! 1. `args`, `item`, `check`: the attribute and the struct into a validated `model`,
//!    every mistake reported at its token, all at once (`errors`, `fallback`);
//! 2. `forward`: the forward pass in index notation, an `ir` program;
//! 3. `derive`: symbolic differentiation of programs into programs (reverse and tangent
//!    rules), assembled per method by `methods`, cleaned up by the `passes`;
//! 4. `lower`: each statement as unrolled code or fixed-bound loops, and `emit`: the item.

mod args;
mod block;
mod bodies;
mod check;
mod cost;
mod derive;
mod emit;
mod errors;
mod expand;
mod fallback;
mod formula;
mod forward;
mod ir;
mod item;
mod lower;
mod methods;
mod model;
mod passes;
mod suggest;
mod targets;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Generates a fixed-size network, its forward pass and its exact input derivatives.
///
/// ```text
/// #[mlp(20, 10, 1, input = 52)]
/// pub struct Energy;
/// ```
///
/// Layer widths first (hidden layers, then the output), then options in any order:
///
/// - `input = N`: the input width; without it the struct is generic over it, as
///   `struct Net<const IN: usize>` (or name the parameter yourself: `struct Net<const D: usize>;`);
/// - `activation = NAME` or `activation = [NAME, …]`: the hidden layers' activation, one for
///   all or one per hidden layer (default `tanh`);
/// - `output = NAME`: the output layer's activation (default `identity`);
/// - `scalar = f64` (default) or `scalar = f32`;
/// - `unroll = N`, `unroll = all` or `unroll = none` (the default): statements of at most `N`
///   floating-point operations are emitted as straight-line code, larger ones as fixed-bound
///   loops. Loops are the default because they were measured faster and quicker to build
///   (BENCHMARKS.md);
/// - `inline = auto` (the default), `inline = all`, `inline = none` or `inline = N`: method
///   bodies of more than `N` operations (a block kernel's: a sample's) are compiled apart,
///   once, each in a codegen unit of its own, and called; the others stay in their
///   `#[inline]` methods, for the caller's code to take in. `auto` puts apart the block
///   kernels of more than 16,000 operations a block, the bodies of more than 80,000 and,
///   where the target lacks AVX and FMA, those of more than 16,000: where that costs a
///   loop nothing measurable (the README's "Building for speed");
/// - `crate = PATH`: the path by which the generated code reaches the `mlp` crate, where
///   the crate using the attribute does not call it `mlp`: `crate = ::nn` after
///   `nn = { package = "mlp", … }` in `Cargo.toml`, `crate = my_lib::mlp` through a
///   library's `pub use mlp;` (default `::mlp`).
///
/// A built-in activation is a lower-case name: `identity`, `tanh`, `sigmoid`, `relu`,
/// `leaky_relu`, `softplus`, `elu`, `silu`, `gelu`, `sin`. Anything else is a path to a type
/// implementing `mlp::Activation` for the scalar type.
///
/// The struct gets public fields `w1, b1, …, wL, bL` (`wl: [[T; in]; out]`, as PyTorch's
/// `Linear.weight`), the constants `INPUT`, `OUTPUT`, `WIDTHS`, `PARAMETERS`,
/// `GRADIENT_LATEX` and `HESSIAN_LATEX`, the constructors `zeros`, `from_parameters` and
/// `Default`, `parameters`, the methods `forward`, `jacobian`, `jvp` and `vjp`, and with one
/// output `value`, `gradient`, `value_and_gradient`, `hessian`, `value_gradient_hessian`,
/// `hvp`, `laplacian` and `value_gradient_laplacian`; it implements `mlp::Network` (and
/// `mlp::ScalarNetwork` with one output).
#[proc_macro_attribute]
pub fn mlp(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::mlp(args.into(), item.into()).into()
}
