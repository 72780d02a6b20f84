//! Where a method's body goes: in the method, or compiled apart from it (`inline`).
//!
//! Every method is `#[inline]`, so that only the crates calling it compile it. A body in
//! its method may be taken into the caller's code: called in a loop and built with the
//! vector kernels, the seed's `value_and_gradient` took 19–23 % longer apart than so (LLVM
//! inlines it into the loop, where the next sample's work overlaps its chain of dependent
//! steps); on the default target, no measurable time. A body apart is an associated
//! function of a type of its own module's, `__mlp_Net::hessian_to::Body`, which the
//! method calls:
//!
//! - rustc files a function under its `Self` type's module's codegen unit, so that a
//!   program calling many methods has their bodies compiled in parallel, where the bodies
//!   inlined into one function of the program are one unit's work;
//! - not `#[inline]`, a body is compiled once in a crate, not once in every codegen unit
//!   calling its method;
//! - generic (over the input width, or over a parameter nothing uses), it is still compiled
//!   only in the crates that call it.
//!
//! By default (`inline = auto`) a method's body of more than [`Inline::AUTO`] operations
//! is apart; one of at most [`Inline::VECTOR`] is `#[cfg_attr(<vector kernels>, inline)]`:
//! where the target has the vector kernels it is copied into its callers' codegen units,
//! as a method's own body is, for LLVM to take in or not (the seed's timing program kept
//! some such bodies as functions that it had inlined as methods: −6 to +8 % a line,
//! 1.001–1.004 over all). Larger bodies (the seed's Hessians) are compiled once on every
//! target, as is a block kernel of more than [`Inline::AUTO`] operations a block (16
//! samples): one call costs nothing measurable. `inline = all | none | N` place the bodies
//! alike on every target, a block kernel by its sample's operations.
//!
//! A program calling the seed's every method from `main`, on two cores, `-C
//! target-cpu=native`: 1.9–2.1 s of release build by default, 2.9–3.2 s with the Hessians
//! `#[inline]` as well, 3.3–3.5 s with every body in its method (docs/performance-log.md,
//! "The thirty-sixth session").

use std::cell::RefCell;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::lower::Context;
use crate::methods::BLOCK;
use crate::model::{Inline, Input, Model};
use crate::targets::{Targets, vector_kernels};

/// A method's signature, without its `&self`.
pub struct Signature {
    name: Ident,
    arguments: Vec<(Ident, TokenStream)>,
    returns: Option<TokenStream>,
}

impl Signature {
    /// `name(&self, arguments…) -> returns`, returning nothing without `returns`.
    pub fn new(
        name: &str,
        arguments: &[(&str, TokenStream)],
        returns: Option<TokenStream>,
    ) -> Self {
        let arguments = arguments
            .iter()
            .map(|(name, ty)| (format_ident!("{name}"), ty.clone()))
            .collect();
        Self::of(format_ident!("{name}"), arguments, returns)
    }

    /// [`Self::new`], of identifiers.
    pub fn of(
        name: Ident,
        arguments: Vec<(Ident, TokenStream)>,
        returns: Option<TokenStream>,
    ) -> Self {
        Self {
            name,
            arguments,
            returns,
        }
    }

    /// The method's name.
    pub fn name(&self) -> &Ident {
        &self.name
    }

    /// `name(&self, x: &[f64; 52]) -> f64`.
    pub fn method(&self) -> TokenStream {
        let Self {
            name,
            arguments,
            returns,
        } = self;
        let arguments = arguments.iter().map(|(name, ty)| quote!(#name: #ty));
        let returns = returns.as_ref().map(|r| quote!(-> #r));
        quote!(#name(&self, #(#arguments),*) #returns)
    }
}

/// Where a body goes, as [`Bodies::method`] or [`Bodies::kernel`] decides: in its method,
/// or apart.
#[derive(Clone, Copy)]
pub struct Place {
    /// The targets it is compiled for.
    targets: Targets,
    /// Whether it is written apart.
    apart: bool,
    /// Whether, apart, it is `#[inline]` where the target has the vector kernels.
    inline: bool,
}

impl Place {
    /// The `#[cfg(…)]` of its method, or nothing.
    pub fn cfg(self) -> TokenStream {
        self.targets.cfg()
    }
}

/// The bodies of a network's methods, and those written apart.
pub struct Bodies<'a> {
    /// The bodies kept in their methods (`inline`).
    policy: Inline,
    /// Lowering for a body in its method, which names the network `self`.
    inline: &'a Context,
    /// Lowering for a body apart, which names it `net`.
    apart: Context,
    /// `__mlp_Net`, the module of the bodies' modules.
    module: Ident,
    /// The network's type: `Net` or `Net<IN>`.
    net: TokenStream,
    /// The bodies' generic parameter, `IN` or `UNUSED`.
    param: Ident,
    /// Its argument at a call: `IN` or `0`.
    arg: TokenStream,
    /// The bodies written apart: each one's method's name, its place, and its function (a
    /// method's name twice for a body under each of two `cfg`s).
    written: RefCell<Vec<(Ident, Place, TokenStream)>>,
}

impl<'a> Bodies<'a> {
    pub fn new(model: &Model, inline: &'a Context) -> Self {
        let ident = &model.ident;
        let (net, param, arg) = match &model.input {
            Input::Fixed(_) => (quote!(#ident), format_ident!("UNUSED"), quote!(0)),
            Input::Generic(name) => (quote!(#ident<#name>), name.clone(), quote!(#name)),
        };
        Self {
            policy: model.inline,
            inline,
            apart: Context {
                receiver: quote!(net),
                ..inline.clone()
            },
            module: format_ident!("__mlp_{ident}"),
            net,
            param,
            arg,
            written: RefCell::default(),
        }
    }

    /// How the documentation's operation counts are read (the input width's name).
    pub fn counting(&self) -> &Context {
        self.inline
    }

    /// Where a method's body of `ops` operations goes.
    pub fn method(&self, ops: usize) -> Place {
        let (apart, inline) = match self.policy {
            Inline::Limit(limit) => (!limit.admits(ops), false),
            Inline::Auto => (!Inline::AUTO.admits(ops), Inline::VECTOR.admits(ops)),
        };
        Place {
            targets: Targets::All,
            apart,
            inline,
        }
    }

    /// Where a block kernel of `ops` operations a sample, compiled for `targets`, goes:
    /// under `auto`, apart on every target past [`Inline::AUTO`] operations a block.
    pub fn kernel(&self, ops: usize, targets: Targets) -> Place {
        let apart = match self.policy {
            Inline::Limit(limit) => !limit.admits(ops),
            Inline::Auto => !Inline::AUTO.admits(ops * BLOCK),
        };
        Place {
            targets,
            apart,
            inline: false,
        }
    }

    /// Lowering for a body at `place`.
    pub fn cx(&self, place: Place) -> &Context {
        match place.apart {
            false => self.inline,
            true => &self.apart,
        }
    }

    /// The body of the method `signature` at `place`, lowered by [`Self::cx`]: `body`
    /// itself in its method, else a call of it, written apart.
    pub fn body(&self, signature: &Signature, place: Place, body: TokenStream) -> TokenStream {
        if !place.apart {
            return body;
        }
        let Self {
            module,
            net,
            param,
            arg,
            ..
        } = self;
        let Signature {
            name,
            arguments,
            returns,
        } = signature;
        let (names, types): (Vec<&Ident>, Vec<&TokenStream>) =
            arguments.iter().map(|(name, ty)| (name, ty)).unzip();
        let returns = returns.as_ref().map(|r| quote!(-> #r));
        let cfg = place.cfg();
        let inline = place.inline.then(|| {
            let avx = vector_kernels();
            quote!(#[cfg_attr(#avx, inline)])
        });
        self.written.borrow_mut().push((
            name.clone(),
            place,
            quote! {
                #cfg
                #[allow(
                    clippy::too_many_lines,
                    clippy::needless_range_loop,
                    clippy::identity_op,
                )]
                impl #module::#name::Body {
                    #inline
                    fn run<const #param: usize>(net: &#net, #(#names: #types),*) #returns {
                        #body
                    }
                }
            },
        ));
        quote!(#module::#name::Body::run::<#arg>(self, #(#names),*))
    }

    /// The module of the bodies' types, and their functions: nothing if none was written
    /// apart.
    pub fn finish(self) -> (TokenStream, TokenStream) {
        let written = self.written.into_inner();
        if written.is_empty() {
            return (TokenStream::new(), TokenStream::new());
        }
        let module = self.module;
        let inlined = written.iter().any(|(_, place, _)| place.inline).then(|| {
            quote! {
                ///
                /// Where the target has the vector kernels (AVX and FMA) the bodies
                /// marked `cfg_attr(…, inline)` are `#[inline]`, compiled in their
                /// callers' units as a method's own body.
            }
        });
        let (mut names, impls): (Vec<Ident>, Vec<TokenStream>) = written
            .into_iter()
            .map(|(name, _, function)| (name, function))
            .unzip();
        names.dedup();
        let module = quote! {
            /// A module for each method whose body is compiled apart, holding a type that
            /// names it, so that rustc compiles each in a codegen unit of its own.
            #inlined
            #[doc(hidden)]
            #[allow(non_snake_case)]
            mod #module {
                #(pub mod #names {
                    pub enum Body {}
                })*
            }
        };
        (module, quote!(#(#impls)*))
    }
}
