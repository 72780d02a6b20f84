//! The `#[mlp]` attribute of the [`mlp`](https://docs.rs/mlp) crate: a small compiler from a
//! network's architecture to Rust that evaluates it and its exact input derivatives.
//!
//! The pipeline works on `proc_macro2` tokens, one stage per module, so that each is tested
//! without a compiler in the loop:
//!
//! 1. [`args`], [`item`], [`check`]: the attribute and the struct into a validated [`model`],
//!    every mistake reported at its token, all at once ([`errors`], [`fallback`]);
//! 2. [`forward`]: the forward pass in index notation, an [`ir`] program;
//! 3. [`derive`]: symbolic differentiation of programs into programs (reverse and tangent
//!    rules), assembled per method by [`methods`], cleaned up by the [`passes`];
//! 4. [`lower`]: each statement as unrolled code or fixed-bound loops, and [`emit`]: the item.

mod args;
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

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Generates a fixed-size network, its forward pass and its exact input derivatives.
///
/// See the documentation of the `mlp` crate for the grammar and the generated API.
#[proc_macro_attribute]
pub fn mlp(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::mlp(args.into(), item.into()).into()
}
