//! The macro, from tokens to tokens: parse and check into a [`Model`], then emit; on any
//! error, the errors and the user's item as it was.

use proc_macro2::TokenStream;

use crate::errors::Errors;
use crate::model::Model;
use crate::{args, check, emit, fallback, item};

/// Expands `#[mlp(args)] item`.
pub fn mlp(args: TokenStream, item: TokenStream) -> TokenStream {
    match model(args, item.clone()) {
        Ok(model) => emit::emit(&model),
        Err(error) => fallback::fallback(item, &error),
    }
}

/// The model the attribute and the item describe, or every error found in either.
pub fn model(args: TokenStream, item: TokenStream) -> syn::Result<Model> {
    let mut errors = Errors::default();
    let args = args::parse(args).map_err(|e| errors.push(e)).ok();
    let item = item::parse(item, &mut errors);
    let model = match (args, item) {
        (Some(args), Some(item)) => check::model(args, item, &mut errors),
        _ => None,
    };
    let model = errors.finish(model)?;
    model.ok_or_else(|| syn::Error::new(proc_macro2::Span::call_site(), "invalid `#[mlp]`"))
}
