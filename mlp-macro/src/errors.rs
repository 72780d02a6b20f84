//! Collects every error of one expansion, so that all are reported at once.

use std::fmt::Display;

use quote::ToTokens;

/// The errors found so far; [`Errors::finish`] combines them into one `syn::Error`.
#[derive(Default)]
pub struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    /// Records `error`.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    /// Records `message`, pointing at `tokens`.
    pub fn at(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records `message`, pointing at `span`.
    pub fn at_span(&mut self, span: proc_macro2::Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// How many errors were recorded.
    pub fn len(&self) -> usize {
        self.first
            .as_ref()
            .map_or(0, |e| e.clone().into_iter().count())
    }

    /// `Ok(value)` if nothing was recorded, else every error recorded.
    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.first {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }
}
