use proc_macro2::TokenStream;
use quote::quote;

use crate::expand;

/// The expansion of `#[mlp(args)] item`, formatted.
fn expand(args: TokenStream, item: TokenStream) -> String {
    let tokens = expand::mlp(args, item);
    let file = syn::parse2::<syn::File>(tokens.clone()).unwrap_or_else(|e| panic!("{e}: {tokens}"));
    prettyplease::unparse(&file)
}
