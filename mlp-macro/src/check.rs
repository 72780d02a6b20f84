//! The rules between arguments, and between the arguments and the struct; the result is
//! the [`Model`] the rest of the pipeline trusts.

use proc_macro2::{Ident, Span};

use crate::args::{Activations, Args};
use crate::errors::Errors;
use crate::item::Struct;
use crate::model::{Act, Builtin, Input, Layer, Model, ScalarType, Unroll};

/// The model `args` and `item` describe; `None` (with the reasons in `errors`) if they break
/// a rule.
pub fn model(args: Args, item: Struct, errors: &mut Errors) -> Option<Model> {
    let before = errors_len(errors);
    check_widths(&args, errors);
    let input = check_input(&args, &item, errors);
    let hidden = check_activations(&args, errors);
    if errors_len(errors) > before {
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
        unroll: args.unroll.unwrap_or(Unroll::DEFAULT),
    })
}

/// How many errors `errors` holds, to tell whether a rule added one.
fn errors_len(errors: &Errors) -> usize {
    errors.len()
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
