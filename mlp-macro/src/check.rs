//! The rules between arguments, and between the arguments and the struct; the result is
//! the [`Model`] the rest of the pipeline trusts.

use proc_macro2::{Ident, Span};

use crate::args::{Activations, Args};
use crate::errors::Errors;
use crate::item::Struct;
use crate::model::{Act, Builtin, Inline, Input, Layer, Limit, Model, ScalarType};

/// The model `args` and `item` describe; `None` (with the reasons in `errors`) if they break
/// a rule.
pub fn model(args: Args, item: Struct, errors: &mut Errors) -> Option<Model> {
    let before = errors.len();
    check_widths(&args, errors);
    check_size(&args, errors);
    let input = check_input(&args, &item, errors);
    let hidden = check_activations(&args, errors);
    if errors.len() > before {
        return None;
    }
    let output = args.output.unwrap_or(Act::Builtin(Builtin::Identity));
    let count = args.widths.len();
    let layers = args
        .widths
        .iter()
        .enumerate()
        .map(|(l, &(width, _))| Layer {
            width,
            act: if l + 1 == count {
                output.clone()
            } else {
                hidden[l].clone()
            },
        })
        .collect();
    Some(Model {
        attrs: item.attrs,
        vis: item.vis,
        ident: item.ident,
        input: input?,
        layers,
        scalar: args.scalar.unwrap_or(ScalarType::F64),
        unroll: args.unroll.unwrap_or(Limit::UNROLL),
        inline: args.inline.unwrap_or(Inline::Auto),
        krate: args.krate.unwrap_or_else(|| syn::parse_quote!(::mlp)),
    })
}

/// There is at least one layer: the output layer.
fn check_widths(args: &Args, errors: &mut Errors) {
    if args.widths.is_empty() {
        errors.at_span(
            Span::call_site(),
            "expected at least one layer width, the last being the output width, \
             as in `#[mlp(20, 1, input = 3)]`",
        );
    }
}

/// The most parameters a network may have: they are stored inline in the struct (8 MiB
/// of `f64`), which lives on the stack unless boxed, and the code is sized by them.
pub const MAX_PARAMETERS: u128 = 1 << 20;

/// The parameters fit inline (for a generic input width, counting it as 1).
fn check_size(args: &Args, errors: &mut Errors) {
    let mut total: u128 = 0;
    let mut fan_in = args.input.unwrap_or(1) as u128;
    for &(width, _) in &args.widths {
        let width = width as u128;
        total = total.saturating_add(width.saturating_mul(fan_in).saturating_add(width));
        fan_in = width;
    }
    if total > MAX_PARAMETERS {
        let widths: proc_macro2::TokenStream = args
            .widths
            .iter()
            .map(|(_, lit)| quote::ToTokens::to_token_stream(lit))
            .collect();
        let bytes = match args.scalar {
            Some(ScalarType::F32) => 4,
            _ => 8,
        };
        let mib = total.saturating_mul(bytes) >> 20;
        errors.at(
            widths,
            format!(
                "this network has {} parameters ({mib} MiB); `#[mlp]` stores them inline in \
                 the struct and allows at most {}",
                grouped(total),
                grouped(MAX_PARAMETERS)
            ),
        );
    }
}

/// `1048576` as `1,048,576`.
fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The input width is `input = N` or the struct's `const` parameter, not both; with neither,
/// the struct is made generic over `IN`.
fn check_input(args: &Args, item: &Struct, errors: &mut Errors) -> Option<Input> {
    match (args.input, &item.input_param) {
        (Some(n), None) => Some(Input::Fixed(n)),
        (None, Some(param)) => Some(Input::Generic(param.clone())),
        (None, None) => Some(Input::Generic(Ident::new("IN", Span::call_site()))),
        (Some(n), Some(param)) => {
            errors.at(
                param,
                format!(
                    "`input = {n}` fixes the input width, so the struct takes no `const {param}: usize`; \
                     remove one of them"
                ),
            );
            None
        }
    }
}

/// `activation` gives one activation for all hidden layers or exactly one per hidden layer;
/// the hidden layers' activations (tanh by default).
fn check_activations(args: &Args, errors: &mut Errors) -> Vec<Act> {
    let hidden = args.widths.len().saturating_sub(1);
    match &args.activation {
        None => vec![Act::Builtin(Builtin::Tanh); hidden],
        Some(Activations::One(_, span)) if hidden == 0 && !args.widths.is_empty() => {
            errors.at_span(
                *span,
                "`activation` sets the hidden layers' activation, but this network has no hidden \
                 layer; the output layer's is set by `output = …`",
            );
            Vec::new()
        }
        Some(Activations::One(act, _)) => vec![act.clone(); hidden],
        Some(Activations::List(acts, span)) => {
            if acts.len() != hidden && !args.widths.is_empty() {
                let layers = if hidden == 1 { "layer" } else { "layers" };
                errors.at_span(
                    *span,
                    format!(
                        "expected {hidden} activations, one per hidden layer ({hidden} hidden \
                         {layers} in `{}`), found {}",
                        widths(args),
                        acts.len()
                    ),
                );
            }
            acts.clone()
        }
    }
}

/// The widths as written: `20, 10, 1`.
fn widths(args: &Args) -> String {
    let widths: Vec<String> = args.widths.iter().map(|(w, _)| w.to_string()).collect();
    widths.join(", ")
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::expand::model;
    use crate::model::{Act, Builtin, Input, Limit, ScalarType};

    fn error(args: TokenStream, item: TokenStream) -> String {
        match model(args, item) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn defaults() {
        let m = model(
            quote!(20, 10, 1, input = 52),
            quote!(
                pub struct Seed;
            ),
        )
        .unwrap();
        assert_eq!(m.input, Input::Fixed(52));
        let acts: Vec<&Act> = m.layers.iter().map(|l| &l.act).collect();
        let (tanh, identity) = (Act::Builtin(Builtin::Tanh), Act::Builtin(Builtin::Identity));
        assert_eq!(acts, [&tanh, &tanh, &identity]);
        assert_eq!((m.scalar, m.unroll), (ScalarType::F64, Limit::UNROLL));
    }

    #[test]
    fn input_width() {
        let generic = model(
            quote!(4, 1),
            quote!(
                struct Net;
            ),
        )
        .unwrap();
        assert!(matches!(generic.input, Input::Generic(name) if name == "IN"));
        let named = model(
            quote!(4, 1),
            quote!(
                struct Net<const D: usize>;
            ),
        )
        .unwrap();
        assert!(matches!(named.input, Input::Generic(name) if name == "D"));
        assert_eq!(
            error(
                quote!(4, 1, input = 3),
                quote!(
                    struct Net<const D: usize>;
                )
            ),
            "`input = 3` fixes the input width, so the struct takes no `const D: usize`; remove one of them"
        );
    }

    #[test]
    fn activations_per_hidden_layer() {
        let m = model(
            quote!(4, 3, 1, activation = [relu, sin]),
            quote!(
                struct N;
            ),
        )
        .unwrap();
        assert_eq!(m.layers[1].act, Act::Builtin(Builtin::Sin));
        assert_eq!(
            error(
                quote!(4, 1, activation = [relu, sin]),
                quote!(
                    struct N;
                )
            ),
            "expected 1 activations, one per hidden layer (1 hidden layer in `4, 1`), found 2"
        );
        assert_eq!(
            error(
                quote!(1, input = 2, activation = relu),
                quote!(
                    struct N;
                )
            ),
            "`activation` sets the hidden layers' activation, but this network has no hidden layer; the output layer's is set by `output = …`"
        );
        assert!(
            error(
                quote!(input = 2),
                quote!(
                    struct N;
                )
            )
            .starts_with("expected at least one layer width")
        );
    }

    #[test]
    fn size_limit() {
        assert_eq!(
            error(
                quote!(18446744073709551615, 1, input = 9),
                quote!(
                    struct N;
                )
            ),
            "this network has 202,914,184,810,805,067,766 parameters (1548112371908607 MiB); \
             `#[mlp]` stores them inline in the struct and allows at most 1,048,576"
        );
        assert!(
            model(
                quote!(256, 128, 10, input = 784),
                quote!(
                    struct N;
                )
            )
            .is_ok()
        );
    }
}
