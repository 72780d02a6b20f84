//! The targets a piece of generated code is compiled for.

use proc_macro2::TokenStream;
use quote::quote;

/// Every target, or one side of the runtime's vector kernels: a Jacobian's sweeps (and so
/// its block kernel) may depend on them (`methods::jacobian`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targets {
    All,
    /// Those with the vector kernels ([`vector_kernels`]).
    Vector,
    /// Those without.
    Scalar,
}

impl Targets {
    /// `#[cfg(…)]`, or nothing for every target.
    pub fn cfg(self) -> TokenStream {
        let avx = vector_kernels();
        match self {
            Self::All => TokenStream::new(),
            Self::Vector => quote!(#[cfg(#avx)]),
            Self::Scalar => quote!(#[cfg(not(#avx))]),
        }
    }
}

/// The `cfg` predicate of a target with the runtime's vector kernels (AVX and FMA).
pub fn vector_kernels() -> TokenStream {
    quote!(all(
        target_arch = "x86_64",
        target_feature = "avx",
        target_feature = "fma"
    ))
}
