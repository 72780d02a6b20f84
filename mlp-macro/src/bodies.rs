//! Where a method's body goes: in the method, or compiled apart from it.
//!
//! Every method is `#[inline]`, so that only the crates calling it compile it. A small
//! body stays in its method, where a call would cost more than it saves. A larger one is
//! an associated function of a type of its own module's, `__mlp_Net::hessian_to::Body`,
//! which the method calls:
//!
//! - rustc files a function under its `Self` type's module's codegen unit, so that a
//!   program calling many methods has their bodies compiled in parallel, where a program's
//!   calls in one function had every body inlined into one unit;
//! - not `#[inline]`, a body is compiled once in a crate, not once in every codegen unit
//!   calling its method;
//! - generic (over the input width, or over a parameter nothing uses), it is still compiled
//!   only in the crates that call it.
//!
//! The seed network's every method, called from one function: 2.6–3.3 s of release build
//! on two cores where the bodies inlined took 4.8–5.8 s; the call costs the seed's
//! `value_and_gradient` nothing measurable, a 3-16-16-1 network's 4–7 %
//! (docs/performance-log.md, the thirty-third and thirty-fourth sessions).

use std::cell::RefCell;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::lower::Context;
use crate::model::{Input, Model};

/// The operation count from which a method's body is compiled apart. A 3-16-16-1
/// network's `value_and_gradient` (about 1,400) lost 4–5 % to the call; the seed's
/// (5,000) nothing.
const APART: usize = 2_000;

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

    /// Lowering for a body in its method.
    pub fn cx(&self) -> &Context {
        self.inline
    }

    /// Lowering for a body apart.
    pub fn cx_apart(&self) -> &Context {
        &self.apart
    }

    /// The body of the method `signature`, of `ops` operations: `body` lowered in the
    /// method when small, else a call of it lowered apart.
    pub fn body(
        &self,
        signature: &Signature,
        ops: usize,
        body: impl Fn(&Context) -> TokenStream,
    ) -> TokenStream {
        match ops < APART {
            true => body(self.inline),
            false => self.apart(signature, &TokenStream::new(), body(&self.apart)),
        }
    }

    /// The call of `body`, the method `signature`'s, written apart under `cfg` (`#[cfg(…)]`
    /// or nothing).
    pub fn apart(
        &self,
        signature: &Signature,
        cfg: &TokenStream,
        body: TokenStream,
    ) -> TokenStream {
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
                        Self::body::<#param>(net, #(#names),*)
                    }
                    #[inline(never)]
                    fn body<const #param: usize>(net: &#net, #(#names: #types),*) #returns {
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
