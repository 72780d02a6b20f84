//! What a bad `#[mlp]` expands to: its errors, and the user's item unchanged, so that the
//! errors are the only ones (no "cannot find type `Net`" from every use of it).

use proc_macro2::TokenStream;

/// `compile_error!`s for `error`, then `item` as written.
pub fn fallback(item: TokenStream, error: &syn::Error) -> TokenStream {
    let mut out = error.to_compile_error();
    out.extend(item);
    out
}
