//! Where a method's body goes: in the method, or compiled apart from it (`inline`).
//!
//! Every method is `#[inline]`, so that only the crates calling it compile it. By
//! default (`inline = all`) its body is the method's own, and the caller's code may take
//! it in: called in a loop and built with the vector kernels, the seed's
//! `value_and_gradient` took 19–23 % longer apart than so (LLVM inlines it into the loop,
//! where the next sample's work overlaps its chain of dependent steps; on the default
//! target, nothing measurable). A body the attribute's `inline` does not admit is instead
//! an associated function of a type of its own module's, `__mlp_Net::hessian_to::Body`,
//! which the method calls:
//!
//! - rustc files a function under its `Self` type's module's codegen unit, so that a
//!   program calling many methods has their bodies compiled in parallel, where the bodies
//!   inlined into one function of the program are one unit's work;
//! - not `#[inline]`, a body is compiled once in a crate, not once in every codegen unit
//!   calling its method;
//! - generic (over the input width, or over a parameter nothing uses), it is still compiled
//!   only in the crates that call it.
//!
//! A program calling the seed's every method from `main`, on two cores: 2.8 s of release
//! build with `inline = none`, 4.5–5.1 s without (`-C target-cpu=native`;
//! docs/performance-log.md, "The thirty-fourth session").

use std::cell::RefCell;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::lower::Context;
use crate::model::{Input, Limit, Model};

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

/// The bodies of a network's methods, and those written apart.
pub struct Bodies<'a> {
    /// The bodies kept in their methods, by their operations (`inline`).
    policy: Limit,
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
    /// The bodies written apart: each one's method's name, and its function (a method's
    /// name twice for a body under each of two `cfg`s).
    written: RefCell<Vec<(Ident, TokenStream)>>,
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

    /// Lowering for a body of `ops` operations: in its method, or apart.
    pub fn cx(&self, ops: usize) -> &Context {
        match self.policy.admits(ops) {
            true => self.inline,
            false => &self.apart,
        }
    }

    /// The body of the method `signature` under `cfg` (`#[cfg(…)]` or nothing), of `ops`
    /// operations, lowered by [`Self::cx`]: `body` itself when `inline` admits it, else a
    /// call of it, written apart.
    pub fn body(
        &self,
        signature: &Signature,
        cfg: &TokenStream,
        ops: usize,
        body: TokenStream,
    ) -> TokenStream {
        if self.policy.admits(ops) {
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
        self.written.borrow_mut().push((
            name.clone(),
            quote! {
                #cfg
                #[allow(
                    clippy::too_many_lines,
                    clippy::needless_range_loop,
                    clippy::identity_op,
                )]
                impl #module::#name::Body {
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
        let (mut names, impls): (Vec<Ident>, Vec<TokenStream>) = written.into_iter().unzip();
        names.dedup();
        let module = quote! {
            /// A module for each method whose body is compiled apart, holding a type that
            /// names it, so that rustc compiles each in a codegen unit of its own.
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
