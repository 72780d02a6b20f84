//! The annotated item: a unit struct, optionally generic over its input width.

use proc_macro2::{Ident, Span, TokenStream};
use syn::{Attribute, Fields, GenericParam, Item, Type, Visibility};

use crate::errors::Errors;

/// What `#[mlp]` keeps of the user's struct.
pub struct Struct {
    /// Its attributes: docs, derives, ….
    pub attrs: Vec<Attribute>,
    /// Its visibility.
    pub vis: Visibility,
    /// Its name.
    pub ident: Ident,
    /// The name of its `const _: usize` parameter, if it declares one.
    pub input_param: Option<Ident>,
}

/// The struct `tokens` declares, or the errors that say why it is not one `#[mlp]` takes.
/// Errors are recorded in `errors`; `None` if the item is not a struct at all.
pub fn parse(tokens: TokenStream, errors: &mut Errors) -> Option<Struct> {
    let item = match syn::parse2::<Item>(tokens) {
        Ok(item) => item,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    let item = match item {
        Item::Struct(item) => item,
        other => {
            let (keyword, what) = describe(&other);
            let message =
                format!("`#[mlp]` goes on a unit struct such as `pub struct Net;`, found {what}");
            match keyword {
                Some(span) => errors.at_span(span, message),
                None => errors.at(other, message),
            }
            return None;
        }
    };
    match &item.fields {
        Fields::Unit => {}
        Fields::Named(f) if f.named.is_empty() => {}
        Fields::Unnamed(f) if f.unnamed.is_empty() => {}
        fields => errors.at(
            fields,
            "`#[mlp]` generates the fields (`w1`, `b1`, …); declare a unit struct such as \
             `pub struct Net;`",
        ),
    }
    for attr in item.attrs.iter().filter(|a| a.path().is_ident("repr")) {
        errors.at(
            attr,
            "`#[mlp]` lays out the struct itself (`#[repr(C, align(64))]`, its weights \
             aligned for vector loads); remove this `#[repr]`",
        );
    }
    let mut input_param = None;
    let params: Vec<&GenericParam> = item.generics.params.iter().collect();
    match params.as_slice() {
        [] => {}
        [GenericParam::Const(c)] if is_usize(&c.ty) && c.default.is_none() => {
            // Generated code names its values and loop indices in lower case (`x`, `k`, …).
            if c.ident
                .to_string()
                .starts_with(|ch: char| ch.is_ascii_lowercase())
            {
                errors.at(
                    &c.ident,
                    format!(
                        "name the input width in upper case, as in `const IN: usize`, found `{}`",
                        c.ident
                    ),
                );
            }
            input_param = Some(c.ident.clone());
        }
        _ => errors.at(
            &item.generics,
            "`#[mlp]` structs take no generic parameters but one `const IN: usize`, \
             which names a generic input width",
        ),
    }
    if let Some(clause) = &item.generics.where_clause {
        errors.at(clause, "`#[mlp]` structs take no `where` clause");
    }
    Some(Struct {
        attrs: item.attrs,
        vis: item.vis,
        ident: item.ident,
        input_param,
    })
}

fn is_usize(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("usize"))
}

/// The keyword to point at and a phrase for an item that is not a struct.
fn describe(item: &Item) -> (Option<Span>, &'static str) {
    match item {
        Item::Enum(i) => (Some(i.enum_token.span), "an enum"),
        Item::Fn(i) => (Some(i.sig.fn_token.span), "a function"),
        Item::Union(i) => (Some(i.union_token.span), "a union"),
        Item::Trait(i) => (Some(i.trait_token.span), "a trait"),
        Item::Impl(i) => (Some(i.impl_token.span), "an impl block"),
        Item::Mod(i) => (Some(i.mod_token.span), "a module"),
        Item::Type(i) => (Some(i.type_token.span), "a type alias"),
        Item::Const(i) => (Some(i.const_token.span), "a constant"),
        Item::Static(i) => (Some(i.static_token.span), "a static"),
        Item::Use(i) => (Some(i.use_token.span), "a `use` declaration"),
        _ => (None, "another kind of item"),
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::parse;
    use crate::errors::Errors;

    fn messages(item: TokenStream) -> Vec<String> {
        let mut errors = Errors::default();
        parse(item, &mut errors);
        match errors.finish(()) {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn accepted() {
        assert!(
            messages(quote!(
                pub struct Net;
            ))
            .is_empty()
        );
        assert!(
            messages(quote!(
                struct Net {}
            ))
            .is_empty()
        );
        assert!(
            messages(quote!(
                #[derive(Clone)]
                pub(crate) struct Net<const IN: usize>;
            ))
            .is_empty()
        );
    }

    #[test]
    fn rejected() {
        let unit = "`#[mlp]` goes on a unit struct such as `pub struct Net;`, found";
        assert_eq!(
            messages(quote!(
                fn net() {}
            )),
            [format!("{unit} a function")]
        );
        assert_eq!(
            messages(quote!(
                enum Net {
                    A,
                }
            )),
            [format!("{unit} an enum")]
        );
        assert_eq!(
            messages(quote!(
                mod net {}
            )),
            [format!("{unit} a module")]
        );
        let fields = messages(quote!(
            struct Net(f64);
        ));
        assert!(fields[0].starts_with("`#[mlp]` generates the fields"));
        let generics = messages(quote!(
            struct Net<'a, T>;
        ));
        assert!(generics[0].starts_with("`#[mlp]` structs take no generic parameters"));
        let clause = messages(quote!(
            struct Net<const N: usize>
            where
                [(); N]:;
        ));
        assert_eq!(clause, ["`#[mlp]` structs take no `where` clause"]);
    }
}
