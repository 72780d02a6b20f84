//! Emission: the generated item, from a checked [`Model`]. Nothing here can fail.
//!
//! The user's struct gets the parameter fields; an `impl` block gets the constants,
//! constructors and the methods, each lowered from its program; `Default` and
//! `mlp::Network` are implemented. The impls sit in a `const _` block that names the
//! runtime `_mlp`, so that generated code reaches it through one hidden path.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::cost;
use crate::formula;
use crate::forward::{Forward, forward};
use crate::ir::Program;
use crate::lower::{ActType, Context, Returns, lower};
use crate::methods;
use crate::model::{Act, Input, Model};

/// The generated item.
pub fn emit(model: &Model) -> TokenStream {
    let f = forward(model);
    let cx = Context {
        scalar: model.scalar.ident(),
        input: match &model.input {
            Input::Generic(name) => Some(name.clone()),
            Input::Fixed(_) => None,
        },
        unroll: model.unroll,
        acts: model.layers.iter().map(|l| act_type(&l.act)).collect(),
    };
    let item = Item::new(model);
    let definition = item.definition(model);
    let inherent = item.inherent(model, &f, &cx);
    let traits = item.traits(model);
    quote! {
        #definition
        const _: () = {
            use ::mlp::__private as _mlp;
            use _mlp::Activation as _;
            #inherent
            #traits
        };
    }
}

/// How generated code names an activation: `_mlp::Tanh`, or the user's path, spanned so
/// that a type error about it points at the attribute.
fn act_type(act: &Act) -> ActType {
    match act {
        Act::Builtin(b) => {
            let ty = Ident::new(b.type_name(), Span::call_site());
            ActType::Builtin(quote!(_mlp::#ty))
        }
        Act::Custom(path) => {
            let span = path
                .segments
                .first()
                .map_or(Span::call_site(), |s| s.ident.span());
            ActType::Custom(quote_spanned!(span=> #path))
        }
    }
}

/// The pieces of the item every part needs.
struct Item {
    ident: Ident,
    scalar: Ident,
    /// `52` or `IN`.
    input: TokenStream,
    /// `<const IN: usize>` or nothing.
    params: TokenStream,
    /// `<IN>` or nothing.
    args: TokenStream,
    /// The layers' `(fan_in, fan_out)` widths as tokens.
    shapes: Vec<(TokenStream, usize)>,
    /// The output width.
    output: TokenStream,
    /// The layers' widths.
    widths: Vec<TokenStream>,
    /// The parameter count: a literal, or `20 * IN + 231`.
    parameters: TokenStream,
}

impl Item {
    fn new(model: &Model) -> Self {
        let (input, params, args) = match &model.input {
            Input::Fixed(n) => (lit(*n), quote!(), quote!()),
            Input::Generic(name) => (quote!(#name), quote!(<const #name: usize>), quote!(<#name>)),
        };
        let mut shapes = Vec::new();
        let mut fan_in = input.clone();
        for layer in &model.layers {
            shapes.push((fan_in, layer.width));
            fan_in = lit(layer.width);
        }
        Self {
            ident: model.ident.clone(),
            scalar: model.scalar.ident(),
            input,
            params,
            args,
            shapes,
            output: lit(model.output()),
            widths: model.layers.iter().map(|l| lit(l.width)).collect(),
            parameters: parameter_count(model),
        }
    }

    /// The struct, with its fields.
    fn definition(&self, model: &Model) -> TokenStream {
        let Self {
            ident,
            scalar,
            params,
            ..
        } = self;
        let attrs = &model.attrs;
        let vis = &model.vis;
        let fields = self.shapes.iter().enumerate().map(|(n, (fan_in, out))| {
            let l = n + 1;
            let (w, b) = (format_ident!("w{l}"), format_ident!("b{l}"));
            let w_doc = format!(
                " Weights of layer {l}, `{out} × {}`: row `i` holds the weights into unit `i` \
                 (as PyTorch's `Linear.weight`).",
                fan_in
            );
            let b_doc = format!(" Biases of layer {l}.");
            let out = lit(*out);
            quote! {
                #[doc = #w_doc]
                pub #w: [[#scalar; #fan_in]; #out],
                #[doc = #b_doc]
                pub #b: [#scalar; #out],
            }
        });
        let summary = summary(model);
        let separator = (!attrs.is_empty()).then(|| quote!(#[doc = ""]));
        quote! {
            #(#attrs)*
            #separator
            #[doc = #summary]
            #vis struct #ident #params {
                #(#fields)*
            }
        }
    }

    /// The inherent impl: constants, constructors, methods.
    fn inherent(&self, model: &Model, f: &Forward, cx: &Context) -> TokenStream {
        let Self {
            ident,
            scalar,
            input,
            params,
            args,
            output,
            widths,
            parameters,
            ..
        } = self;
        let depth = lit(model.layers.len());
        let formula = formula::gradient(model, f);
        let latex = &formula.latex;
        let x_ty = quote!([#scalar; #input]);

        let fields: Vec<(Ident, Ident)> = (1..=model.layers.len())
            .map(|l| (format_ident!("w{l}"), format_ident!("b{l}")))
            .collect();
        let zeros = self
            .shapes
            .iter()
            .zip(&fields)
            .map(|((fan_in, out), (w, b))| {
                let out = lit(*out);
                quote!(#w: [[0.0; #fan_in]; #out], #b: [0.0; #out],)
            });
        let reads = fields
            .iter()
            .map(|(w, b)| quote!(#w: parameters.matrix()?, #b: parameters.vector()?,));
        let extends = fields.iter().map(|(w, b)| {
            quote! {
                parameters.extend_from_slice(self.#w.as_flattened());
                parameters.extend_from_slice(&self.#b);
            }
        });

        let method = |(program, returns): (Program, Returns)| {
            (lower(&program, cx, &returns), ops(&program, cx))
        };
        let (forward_body, forward_ops) = method(methods::forward(f));
        let (jacobian_body, jacobian_ops) = method(methods::jacobian(f));
        let forward_doc = format!(" The network's output at `x` ({forward_ops}).");
        let jacobian_summary =
            format!(" The Jacobian `∂y[o]/∂x[k]` at `x`, one row per output ({jacobian_ops}).");
        let jacobian_doc = if model.output() == 1 {
            vec![jacobian_summary]
        } else {
            formula_doc(jacobian_summary, &formula)
        };
        let single = if model.output() == 1 {
            let (value_body, value_ops) = method(methods::value(f));
            let (gradient_body, gradient_ops) = method(methods::gradient(f, false));
            let (both_body, both_ops) = method(methods::gradient(f, true));
            let value_doc = format!(" The network's only output at `x` ({value_ops}).");
            let gradient_doc = gradient_doc(&formula, &gradient_ops);
            let both_doc = format!(
                " The output and its gradient at `x`, sharing one forward sweep ({both_ops})."
            );
            quote! {
                #[doc = #value_doc]
                #[must_use]
                pub fn value(&self, x: &#x_ty) -> #scalar {
                    #value_body
                }

                #(#[doc = #gradient_doc])*
                #[must_use]
                pub fn gradient(&self, x: &#x_ty) -> #x_ty {
                    #gradient_body
                }

                #[doc = #both_doc]
                #[must_use]
                pub fn value_and_gradient(&self, x: &#x_ty) -> (#scalar, #x_ty) {
                    #both_body
                }
            }
        } else {
            quote!()
        };

        quote! {
            #[automatically_derived]
            #[allow(
                // Unrolled code is long and indexes arrays with literals and loop counters.
                clippy::too_many_lines,
                clippy::needless_range_loop,
                clippy::identity_op,
            )]
            impl #params #ident #args {
                /// Width of the input.
                pub const INPUT: usize = #input;
                /// Width of the output.
                pub const OUTPUT: usize = #output;
                /// Widths of the layers, hidden and output, as written in the attribute.
                pub const WIDTHS: [usize; #depth] = [#(#widths),*];
                /// Number of parameters: weights and biases of every layer.
                pub const PARAMETERS: usize = #parameters;
                /// The formula of `∂y/∂x_k` for this architecture (of `∂y_o/∂x_k`, the
                /// Jacobian, when there are several outputs), in LaTeX (`aligned`).
                pub const GRADIENT_LATEX: &'static str = #latex;

                /// The network with every weight and bias zero.
                #[must_use]
                pub const fn zeros() -> Self {
                    Self { #(#zeros)* }
                }

                /// The network with the given parameters, in PyTorch's `parameters()` order:
                /// `w1` (row-major, as `Linear.weight`), `b1`, `w2`, `b2`, ….
                ///
                /// # Errors
                /// A [`ShapeError`](::mlp::ShapeError) giving both lengths if `parameters`
                /// does not hold exactly [`Self::PARAMETERS`] values.
                pub fn from_parameters(
                    parameters: &[#scalar],
                ) -> _mlp::Result<Self, _mlp::ShapeError> {
                    let mut parameters = _mlp::Parameters::new(parameters, Self::PARAMETERS)?;
                    _mlp::Result::Ok(Self { #(#reads)* })
                }

                /// The parameters, in the order [`Self::from_parameters`] takes them.
                #[must_use]
                pub fn parameters(&self) -> _mlp::Vec<#scalar> {
                    let mut parameters = _mlp::Vec::with_capacity(Self::PARAMETERS);
                    #(#extends)*
                    parameters
                }

                #[doc = #forward_doc]
                #[must_use]
                pub fn forward(&self, x: &#x_ty) -> [#scalar; #output] {
                    #forward_body
                }

                #(#[doc = #jacobian_doc])*
                #[must_use]
                pub fn jacobian(&self, x: &#x_ty) -> [#x_ty; #output] {
                    #jacobian_body
                }

                #single
            }
        }
    }

    /// `Default` and `mlp::Network`.
    fn traits(&self, model: &Model) -> TokenStream {
        let Self {
            ident,
            scalar,
            input,
            params,
            args,
            output,
            widths,
            parameters,
            ..
        } = self;
        let entries = match &model.input {
            Input::Fixed(n) => lit(n * model.output()),
            Input::Generic(_) => quote!(#output * #input),
        };
        quote! {
            #[automatically_derived]
            impl #params ::core::default::Default for #ident #args {
                fn default() -> Self {
                    Self::zeros()
                }
            }

            #[automatically_derived]
            impl #params _mlp::Network for #ident #args {
                type Scalar = #scalar;
                const INPUT: usize = #input;
                const OUTPUT: usize = #output;
                const WIDTHS: &'static [usize] = &[#(#widths),*];
                const PARAMETERS: usize = #parameters;

                fn from_parameters(parameters: &[#scalar]) -> _mlp::Result<Self, _mlp::ShapeError> {
                    Self::from_parameters(parameters)
                }

                fn parameters(&self) -> _mlp::Vec<#scalar> {
                    Self::parameters(self)
                }

                fn forward_into(
                    &self,
                    x: &[#scalar],
                    y: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    _mlp::check_len(y.len(), #output, "output values")?;
                    y.copy_from_slice(&self.forward(x));
                    _mlp::Result::Ok(())
                }

                fn jacobian_into(
                    &self,
                    x: &[#scalar],
                    jacobian: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    _mlp::check_len(jacobian.len(), #entries, "jacobian entries")?;
                    jacobian.copy_from_slice(self.jacobian(x).as_flattened());
                    _mlp::Result::Ok(())
                }
            }
        }
    }
}

/// `20 * IN + 231`, or a literal when the input width is fixed.
fn parameter_count(model: &Model) -> TokenStream {
    let mut fixed = 0;
    let mut fan_in = None;
    for layer in &model.layers {
        if let Some(fan_in) = fan_in {
            fixed += layer.width * fan_in;
        }
        fixed += layer.width;
        fan_in = Some(layer.width);
    }
    let first = model.layers.first().map_or(0, |l| l.width);
    match &model.input {
        Input::Fixed(n) => lit(fixed + first * n),
        Input::Generic(name) => {
            let (first, fixed) = (lit(first), lit(fixed));
            quote!(#first * #name + #fixed)
        }
    }
}

fn lit(n: usize) -> TokenStream {
    Literal::usize_unsuffixed(n).into_token_stream()
}

/// `52 → 20 → 10 → 1 (tanh, tanh, identity), f64`.
fn summary(model: &Model) -> String {
    let input = match &model.input {
        Input::Fixed(n) => n.to_string(),
        Input::Generic(name) => format!("`{name}`"),
    };
    let widths: Vec<String> = model.layers.iter().map(|l| l.width.to_string()).collect();
    let acts: Vec<String> = model
        .layers
        .iter()
        .map(|l| format!("`{}`", l.act.name()))
        .collect();
    format!(
        " A {input} → {} network ({}) in `{}`, generated by `#[mlp]`.",
        widths.join(" → "),
        acts.join(", "),
        model.scalar.ident()
    )
}

/// `2079 floating-point operations`, or `52·IN + 231 …` for a generic input width (the
/// count is a polynomial in it, read off at widths 0, 1 and 2).
fn ops(p: &Program, cx: &Context) -> String {
    let Some(input) = &cx.input else {
        return format!("{} floating-point operations", cost::program(p, 0));
    };
    let [c0, c1, c2] = [0, 1, 2].map(|n| cost::program(p, n) as i64);
    let square = (c2 - 2 * c1 + c0) / 2;
    let linear = c1 - c0 - square;
    let mut terms = Vec::new();
    if square != 0 {
        terms.push(format!("{square}·{input}²"));
    }
    if linear != 0 {
        terms.push(format!("{linear}·{input}"));
    }
    if c0 != 0 || terms.is_empty() {
        terms.push(c0.to_string());
    }
    format!("{} floating-point operations", terms.join(" + "))
}

/// The rustdoc of `gradient`: what it is, and the formula in text and LaTeX.
fn gradient_doc(formula: &formula::Formula, ops: &str) -> Vec<String> {
    let summary = format!(" The gradient `∂y/∂x[k]` of the only output at `x` ({ops}).");
    formula_doc(summary, formula)
}

/// `summary`, then the formula in text and LaTeX.
fn formula_doc(summary: String, formula: &formula::Formula) -> Vec<String> {
    let mut lines = vec![
        summary,
        String::new(),
        " For this architecture it is (0-based, as in the code):".to_owned(),
        String::new(),
        " ```text".to_owned(),
    ];
    lines.extend(formula.text.lines().map(|l| format!(" {l}")));
    lines.push(" ```".to_owned());
    lines.push(String::new());
    lines.push(" and in LaTeX ([`Self::GRADIENT_LATEX`]):".to_owned());
    lines.push(String::new());
    lines.push(" ```text".to_owned());
    lines.extend(formula.latex.lines().map(|l| format!(" {l}")));
    lines.push(" ```".to_owned());
    lines
}
