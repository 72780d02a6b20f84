//! The targets a piece of generated code is compiled for.

use proc_macro2::TokenStream;
use quote::quote;

/// Every target, or one side of a split by the runtime's kernels: a method's sweeps (and so
/// its block kernel) may depend on them (`methods::jacobians`,
/// `methods::value_gradient_laplacian`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targets {
    All,
    /// Those with the kernels.
    With(Kernels),
    /// Those without.
    Without(Kernels),
}

/// The runtime's kernels a choice of sweeps may turn on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernels {
    /// The vector kernels ([`vector_kernels`]).
    Vector,
    /// Dot products in vector registers ([`vector_dots`]).
    Dots,
}

impl Targets {
    /// `#[cfg(…)]`, or nothing for every target.
    pub fn cfg(self) -> TokenStream {
        match self {
            Self::All => TokenStream::new(),
            Self::With(kernels) => {
                let with = kernels.predicate();
                quote!(#[cfg(#with)])
            }
            Self::Without(kernels) => {
                let with = kernels.predicate();
                quote!(#[cfg(not(#with))])
            }
        }
    }
}

impl Kernels {
    /// The `cfg` predicate of a target with them.
    pub fn predicate(self) -> TokenStream {
        match self {
            Self::Vector => vector_kernels(),
            Self::Dots => vector_dots(),
        }
    }

    /// Where a method's doc says what targets with them take.
    pub fn with(self) -> &'static str {
        match self {
            Self::Vector => "with AVX and FMA",
            Self::Dots => "on x86-64",
        }
    }

    /// Where it says what the others take.
    pub fn without(self) -> &'static str {
        match self {
            Self::Vector => "without",
            Self::Dots => "elsewhere",
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

/// The `cfg` predicate of a target whose dot products the runtime takes in vector
/// registers: the vector kernels', or SSE2's on x86-64 without FMA (every x86-64 target
/// but one with FMA and not AVX, which no processor is).
pub fn vector_dots() -> TokenStream {
    quote!(all(
        target_arch = "x86_64",
        any(target_feature = "avx", not(target_feature = "fma"))
    ))
}
