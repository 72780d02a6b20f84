//! Emission: the generated item, from a checked [`Model`]. Nothing here can fail.
//!
//! The user's struct gets the parameter fields; an `impl` block gets the constants,
//! constructors and the methods, each lowered from its program; `Default` and
//! `mlp::Network` are implemented. The impls sit in a `const _` block that names the
//! runtime `_mlp` (through `::mlp`, or the path of the attribute's `crate` option), so
//! that generated code reaches it through one hidden path; beside the struct, a hidden
//! module holds the types naming the bodies compiled apart ([`crate::bodies`]).

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::bodies::{Bodies, Place, Signature};
use crate::cost;
use crate::formula::{self, Formula};
use crate::forward::{Forward, forward};
use crate::ir::Program;
use crate::lower::{ActType, Context, Kernel, Returns, lower, lower_block, lower_into};
use crate::methods::{self, ByTarget, Sweeps};
use crate::model::{Act, Input, Model};
use crate::targets::Targets;

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
        receiver: quote!(self),
    };
    let bodies = Bodies::new(model, &cx);
    let item = Item::new(model);
    let definition = item.definition(model);
    let shared = Shared::new(model, &f);
    let stacked = item.stacked_kernels(&bodies, &shared);
    let inherent = item.inherent(model, &f, &bodies, &shared, &stacked);
    let traits = item.traits(model, &stacked);
    // Outside the `const _` block: rustc names a codegen unit after a module's path, and
    // the block's has none of its own.
    let (modules, apart) = bodies.finish();
    let krate = &model.krate;
    quote! {
        #definition
        #modules
        const _: () = {
            use #krate::__private as _mlp;
            // For the built-ins' calls (`_mlp::Tanh::value_row(…)`); a net of user types
            // and the identity alone calls none.
            #[allow(unused_imports)]
            use _mlp::Activation as _;
            #inherent
            #apart
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

/// A block kernel written only where a block's arrays fit on the stack (for a Jacobian
/// that goes by rows with the vector kernels and by columns without, each of its two);
/// without it, the trait's batch method takes a sample at a time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stacked {
    Jacobian,
    ForwardAndJacobian,
    ValueAndGradient,
    Hessian,
    Laplacian,
    ValueGradientLaplacian,
    ValueGradientHessian,
}

impl Stacked {
    /// Its trait method (named after the kernel): the Jacobian's and the Hessian's, each
    /// sample's as rows of `INPUT` values.
    fn method(self) -> BlocksInto {
        const Y: Out = Out::rows("y", "block output values");
        const GRADIENT: Out = Out::rows("gradient", "block gradient values");
        const LAPLACIAN: Out = Out::values("laplacian", "block Laplacians");
        const JACOBIAN: Out = Out::matrices("jacobian", "block jacobian entries");
        const HESSIAN: Out = Out::matrices("hessian", "block hessian entries");
        let (kernel, outs): (_, &[Out]) = match self {
            Self::Jacobian => ("jacobian_blocks", &[JACOBIAN]),
            Self::ForwardAndJacobian => ("forward_and_jacobian_blocks", &[Y, JACOBIAN]),
            Self::ValueAndGradient => ("value_and_gradient_blocks", &[Y, GRADIENT]),
            Self::Laplacian => ("laplacian_blocks", &[LAPLACIAN]),
            Self::Hessian => ("hessian_blocks", &[HESSIAN]),
            Self::ValueGradientLaplacian => {
                ("value_gradient_laplacian_blocks", &[Y, GRADIENT, LAPLACIAN])
            }
            Self::ValueGradientHessian => {
                ("value_gradient_hessian_blocks", &[Y, GRADIENT, HESSIAN])
            }
        };
        BlocksInto::new(kernel, outs)
    }

    /// Whether its trait is `Network` (the Jacobians'), else `ScalarNetwork`.
    fn of_network(self) -> bool {
        matches!(self, Self::Jacobian | Self::ForwardAndJacobian)
    }

    /// The items of the trait it serves (`Network` for the Jacobians, else `ScalarNetwork`)
    /// that say the kernel is there and call it: the constant `LAPLACIAN_BLOCKS` and the
    /// method `laplacian_blocks_into`, for example.
    fn trait_items(self, scalar: &Ident) -> TokenStream {
        let written = format_ident!("{}", self.method().kernel.to_uppercase());
        let method = self.method().tokens(scalar);
        quote! {
            const #written: bool = true;

            #method
        }
    }
}

/// A trait method `{kernel}_into(&self, x, [second,] outs…)` that takes the caller's
/// slices as blocks, each of `second` and the results as many as `x`'s, and calls the
/// block kernel.
#[derive(Clone, Copy)]
struct BlocksInto {
    kernel: &'static str,
    /// A second argument's name and what a `ShapeError` calls its values.
    second: Option<(&'static str, &'static str)>,
    /// The results, in the kernel's order.
    outs: &'static [Out],
}

/// A result of a block kernel: its name, what a `ShapeError` calls its values, and how a
/// sample's is shaped.
#[derive(Clone, Copy)]
struct Out {
    name: &'static str,
    what: &'static str,
    /// The runtime's view of its blocks: `blocks_mut` (a row a sample),
    /// `matrix_blocks_mut` (a matrix) or `value_blocks_mut` (one value).
    view: &'static str,
}

impl Out {
    const fn rows(name: &'static str, what: &'static str) -> Self {
        Self {
            name,
            what,
            view: "blocks_mut",
        }
    }

    const fn matrices(name: &'static str, what: &'static str) -> Self {
        Self {
            view: "matrix_blocks_mut",
            ..Self::rows(name, what)
        }
    }

    const fn values(name: &'static str, what: &'static str) -> Self {
        Self {
            view: "value_blocks_mut",
            ..Self::rows(name, what)
        }
    }
}

impl BlocksInto {
    const fn new(kernel: &'static str, outs: &'static [Out]) -> Self {
        Self {
            kernel,
            second: None,
            outs,
        }
    }

    /// A second argument, `name`.
    const fn with(self, name: &'static str, what: &'static str) -> Self {
        Self {
            second: Some((name, what)),
            ..self
        }
    }

    /// The methods of the block kernels every network of its kind has: `Network`'s, then
    /// `ScalarNetwork`'s.
    const NETWORK: [Self; 3] = [
        Self::new("forward_blocks", &[Out::rows("y", "block output values")]),
        Self::new("jvp_blocks", &[Out::rows("jv", "block jvp values")])
            .with("v", "block direction values"),
        Self::new("vjp_blocks", &[Out::rows("uj", "block vjp values")])
            .with("u", "block output weights"),
    ];
    const SCALAR_NETWORK: [Self; 2] = [
        Self::new(
            "gradient_blocks",
            &[Out::rows("gradient", "block gradient values")],
        ),
        Self::new("hvp_blocks", &[Out::rows("hv", "block output values")])
            .with("v", "block direction values"),
    ];

    fn tokens(self, scalar: &Ident) -> TokenStream {
        let kernel = format_ident!("{}", self.kernel);
        let method = format_ident!("{}_into", self.kernel);
        // The results: their names, what their errors call them, and their views.
        let outs: Vec<Ident> = self
            .outs
            .iter()
            .map(|o| format_ident!("{}", o.name))
            .collect();
        let whats_out = self.outs.iter().map(|o| o.what);
        let views = self.outs.iter().map(|o| format_ident!("{}", o.view));
        // The second argument, if any: its name and what its error calls it.
        let (seconds, whats): (Vec<Ident>, Vec<&str>) = self
            .second
            .iter()
            .map(|(name, what)| (format_ident!("{name}"), *what))
            .unzip();
        quote! {
            #[inline]
            fn #method(
                &self,
                x: &[#scalar],
                #(#seconds: &[#scalar],)*
                #(#outs: &mut [#scalar],)*
            ) -> _mlp::Result<(), _mlp::ShapeError> {
                let x = _mlp::blocks(x, "block input values")?;
                #(let #seconds = _mlp::blocks_exact(#seconds, x.len(), #whats)?;)*
                #(let #outs = _mlp::#views(#outs, x.len(), #whats_out)?;)*
                self.#kernel(x, #(#seconds,)* #(#outs),*);
                _mlp::Result::Ok(())
            }
        }
    }
}

/// The programs of the methods whose block kernels [`Item::stacked_kernels`] writes,
/// derived once for the method and its kernel.
struct Shared {
    /// The Jacobian's sweeps (two where they depend on the target: `methods::jacobians`).
    jacobian: ByTarget,
    /// Those with the output too (`forward_and_jacobian`).
    forward_and_jacobian: ByTarget,
    /// A one-output network's second-order methods.
    second: Option<SecondOrder>,
}

/// The programs of `value_and_gradient`, `hessian`, `value_gradient_hessian`, `laplacian`
/// and `value_gradient_laplacian`.
struct SecondOrder {
    value_and_gradient: (Program, Returns),
    hessian: (Program, Returns),
    value_gradient_hessian: (Program, Returns),
    laplacian: (Program, Returns),
    /// Two where they depend on the target (`methods::value_gradient_laplacian`).
    value_gradient_laplacian: ByTarget,
}

impl Shared {
    fn new(model: &Model, f: &Forward) -> Self {
        let [jacobian, forward_and_jacobian] = methods::jacobians(f);
        Self {
            jacobian,
            forward_and_jacobian,
            second: (model.output() == 1).then(|| SecondOrder {
                value_and_gradient: methods::gradient(f, true),
                hessian: methods::hessian(f, false),
                value_gradient_hessian: methods::hessian(f, true),
                laplacian: methods::laplacian(f),
                value_gradient_laplacian: methods::value_gradient_laplacian(f),
            }),
        }
    }
}

/// A block kernel's programs: a sample's, the block's, and what the block's returns
/// ([`methods::block_of`]).
type KernelPrograms = (Program, Program, Returns);

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

    /// The struct, with its fields: the weights first, from a 64-byte boundary (`repr(C)`
    /// keeps them in order), so that a matrix whose predecessors fill whole cache lines
    /// starts on one, and each row of four or eight values' multiple is read in whole
    /// vectors, none of them across two lines. Against 16 bytes past a line, where the
    /// allocator had put the benchmarks' networks, the seed's `value_and_gradient` took
    /// 14 % less time and the wide network's 13 % (A/B, eight rounds, Zen 3).
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
            (
                quote! {
                    #[doc = #w_doc]
                    pub #w: [[#scalar; #fan_in]; #out],
                },
                quote! {
                    #[doc = #b_doc]
                    pub #b: [#scalar; #out],
                },
            )
        });
        let (weights, biases): (Vec<_>, Vec<_>) = fields.unzip();
        let summary = summary(model);
        let separator = (!attrs.is_empty()).then(|| quote!(#[doc = ""]));
        quote! {
            #(#attrs)*
            #separator
            #[doc = #summary]
            #[repr(C, align(64))]
            #vis struct #ident #params {
                #(#weights)*
                #(#biases)*
            }
        }
    }

    /// The inherent impl: constants, constructors, methods.
    fn inherent(
        &self,
        model: &Model,
        f: &Forward,
        bodies: &Bodies,
        shared: &Shared,
        stacked: &[(Stacked, TokenStream)],
    ) -> TokenStream {
        let Self {
            ident,
            params,
            args,
            ..
        } = self;
        let gradient = formula::gradient(model, f);
        let hessian = formula::hessian(model, f);
        let constants = self.constants(model, &gradient, &hessian);
        let constructors = self.constructors(model);
        let methods = self.methods(model, f, bodies, shared, &gradient, &hessian);
        let kernels = stacked.iter().map(|(_, kernel)| kernel);
        quote! {
            #[allow(
                // Unrolled code is long and indexes arrays with literals and loop counters.
                clippy::too_many_lines,
                clippy::needless_range_loop,
                clippy::identity_op,
            )]
            impl #params #ident #args {
                #constants
                #constructors
                #methods
                #(#kernels)*
            }
        }
    }

    fn constants(&self, model: &Model, gradient: &Formula, hessian: &Formula) -> TokenStream {
        let Self {
            input,
            output,
            widths,
            parameters,
            ..
        } = self;
        let depth = lit(model.layers.len());
        let (gradient, hessian) = (&gradient.latex, &hessian.latex);
        quote! {
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
            pub const GRADIENT_LATEX: &'static str = #gradient;
            /// The formula of `∂²y/∂x_k∂x_l` for this architecture (of each output's, when
            /// there are several), in LaTeX (`aligned`).
            pub const HESSIAN_LATEX: &'static str = #hessian;
        }
    }

    fn constructors(&self, model: &Model) -> TokenStream {
        let scalar = &self.scalar;
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
        let fills = fields.iter().map(|(w, b)| {
            quote! {
                parameters.fill(self.#w.as_flattened_mut())?;
                parameters.fill(&mut self.#b)?;
            }
        });
        let extends = fields.iter().map(|(w, b)| {
            quote! {
                parameters.extend_from_slice(self.#w.as_flattened());
                parameters.extend_from_slice(&self.#b);
            }
        });
        quote! {
            /// The network with every weight and bias zero.
            #[must_use]
            pub const fn zeros() -> Self {
                Self { #(#zeros)* }
            }

            /// [`Self::zeros`] on the heap, allocated zeroed rather than moved there, so that
            /// a large network never passes through the stack.
            #[must_use]
            pub fn zeros_boxed() -> _mlp::Box<Self> {
                _mlp::zeroed_box()
            }

            /// The network with the given parameters, in PyTorch's `parameters()` order:
            /// `w1` (row-major, as `Linear.weight`), `b1`, `w2`, `b2`, ….
            ///
            /// # Errors
            /// A [`ShapeError`](_mlp::ShapeError) giving both lengths if `parameters`
            /// does not hold exactly [`Self::PARAMETERS`] values.
            pub fn from_parameters(
                parameters: &[#scalar],
            ) -> _mlp::Result<Self, _mlp::ShapeError> {
                let mut net = Self::zeros();
                net.set_parameters(parameters)?;
                _mlp::Result::Ok(net)
            }

            /// [`Self::from_parameters`] on the heap, never passing through the stack.
            ///
            /// # Errors
            /// As [`Self::from_parameters`].
            pub fn from_parameters_boxed(
                parameters: &[#scalar],
            ) -> _mlp::Result<_mlp::Box<Self>, _mlp::ShapeError> {
                let mut net = Self::zeros_boxed();
                net.set_parameters(parameters)?;
                _mlp::Result::Ok(net)
            }

            /// Replaces every parameter, in the order [`Self::from_parameters`] takes them.
            ///
            /// # Errors
            /// As [`Self::from_parameters`]; on error nothing is changed.
            pub fn set_parameters(
                &mut self,
                parameters: &[#scalar],
            ) -> _mlp::Result<(), _mlp::ShapeError> {
                let mut parameters = _mlp::Parameters::new(parameters, Self::PARAMETERS)?;
                #(#fills)*
                _mlp::Result::Ok(())
            }

            /// The parameters, in the order [`Self::from_parameters`] takes them.
            #[must_use]
            pub fn parameters(&self) -> _mlp::Vec<#scalar> {
                let mut parameters = _mlp::Vec::with_capacity(Self::PARAMETERS);
                #(#extends)*
                parameters
            }
        }
    }

    /// The methods, each lowered from its program; those of one output only with one.
    fn methods(
        &self,
        model: &Model,
        f: &Forward,
        bodies: &Bodies,
        shared: &Shared,
        gradient: &Formula,
        hessian: &Formula,
    ) -> TokenStream {
        let Self {
            scalar,
            input,
            output,
            ..
        } = self;
        let cx = bodies.counting();
        let x = quote!([#scalar; #input]);
        let y = quote!([#scalar; #output]);
        let single = model.output() == 1;
        let sig = |name: &str, arguments: &[(&str, TokenStream)], returns: TokenStream| {
            Signature::new(name, arguments, Some(returns))
        };
        // A method documented by `docs`, whose first line's `{ops}` becomes `ops`, its
        // body of `size` operations lowered by `body` ([`Bodies`]). `#[inline]`: compiled
        // in the crates that call it, and only there; a library exporting a network does
        // not build every method of it.
        let function = |mut docs: Vec<String>,
                        ops: &str,
                        signature: Signature,
                        size: usize,
                        body: &dyn Fn(&Context) -> TokenStream| {
            docs[0] = docs[0].replacen("{ops}", ops, 1);
            let place = bodies.method(size);
            let body = bodies.body(&signature, place, body(bodies.cx(place)));
            let signature = signature.method();
            quote! {
                #(#[doc = #docs])*
                #[must_use]
                #[inline]
                pub fn #signature {
                    #body
                }
            }
        };
        let method = |docs: Vec<String>, signature: Signature, (p, r): &(Program, Returns)| {
            function(docs, &ops(p, cx), signature, size(p), &|cx| lower(p, cx, r))
        };
        // A method whose sweeps may depend on the target's kernels (`methods::jacobians`,
        // `methods::value_gradient_laplacian`): its operations, counted in the docs for each
        // kind of target where they differ, and the larger count.
        let by_target_ops = |by: &ByTarget| {
            let ByTarget { sweeps, without } = by;
            let Some((kernels, without)) = without else {
                return (ops(&sweeps.program, cx), size(&sweeps.program));
            };
            let ops = format!(
                "{} {}, {}; {}, {}, {}",
                kernels.with(),
                sweeps.what,
                ops(&sweeps.program, cx),
                kernels.without(),
                without.what,
                ops(&without.program, cx)
            );
            (ops, size(&sweeps.program).max(size(&without.program)))
        };
        // Its body, each sweeps lowered by `lowered`: one, or two under `cfg`, those of the
        // targets with the kernels and of the others, binding `result` if they return one.
        let by_target_body = |by: &ByTarget,
                              result: Option<&Ident>,
                              lowered: &dyn Fn(&Sweeps, &Context) -> TokenStream,
                              cx: &Context| {
            let ByTarget { sweeps, without } = by;
            let Some((kernels, without)) = without else {
                return lowered(sweeps, cx);
            };
            let (with, sweeps, without) = (
                kernels.predicate(),
                lowered(sweeps, cx),
                lowered(without, cx),
            );
            match result {
                Some(result) => quote! {
                    #[cfg(#with)]
                    let #result = { #sweeps };
                    #[cfg(not(#with))]
                    let #result = { #without };
                    #result
                },
                None => quote! {
                    #[cfg(#with)]
                    { #sweeps }
                    #[cfg(not(#with))]
                    { #without }
                },
            }
        };
        let by_target = |docs: Vec<String>, signature: Signature, by: &ByTarget| {
            let lowered = |s: &Sweeps, cx: &Context| lower(&s.program, cx, &s.returns);
            let (ops, size) = by_target_ops(by);
            let result = signature.name().clone();
            let body = |cx: &Context| by_target_body(by, Some(&result), &lowered, cx);
            function(docs, &ops, signature, size, &body)
        };
        let line = |s: &str| vec![format!(" {s}")];
        // The `name_to` form of a method returning `matrix` (with the value and gradient,
        // or the output, if `rest` says their types): it writes the matrix into the
        // caller's array `param` (the name its body writes through: the tensor's own) over
        // whatever it held and returns the rest, its body of `size` operations lowered by
        // `body`.
        let to_method = |name: &str,
                         (matrix, param, ty): (&str, &str, &TokenStream),
                         rest: Option<TokenStream>,
                         (ops, size): (&str, usize),
                         body: &dyn Fn(&Context) -> TokenStream| {
            let (written, must_use) = match rest {
                Some(_) => (format!("with {matrix} written"), quote!(#[must_use])),
                None => ("written".to_string(), TokenStream::new()),
            };
            let docs = line(&format!(
                "[`Self::{name}`] {written} into `{param}`, over whatever it held: the same \
                 bits, without zeroing an array first ({ops})."
            ));
            let to = format!("{name}_to");
            let arguments = [("x", quote!(&#x)), (param, quote!(&mut #ty))];
            let signature = Signature::new(&to, &arguments, rest);
            let place = bodies.method(size);
            let body = bodies.body(&signature, place, body(bodies.cx(place)));
            let signature = signature.method();
            quote! {
                #(#[doc = #docs])*
                #must_use
                #[inline]
                pub fn #signature {
                    #body
                }
            }
        };
        // A method returning the Hessian (with the value and gradient if `with_gradient`),
        // documented by `docs` (`{ops}` in its first line), and its `name_to` form: the
        // method is that form into a zeroed array where its result goes (`_mlp::in_place`;
        // a local array would be zeroed, then copied out: the seed's 21 KiB, from its body
        // compiled apart).
        let hessian_methods = |name: &str, (p, r): &(Program, Returns), mut docs: Vec<String>| {
            let with_gradient = matches!(r, Returns::Tuple(_));
            let h = *p.outputs.last().expect("the Hessian is the last output");
            let (ops, hessian) = (ops(p, cx), quote!([#x; #input]));
            docs[0] = docs[0].replacen("{ops}", &ops, 1);
            let (method, to) = (format_ident!("{name}"), format_ident!("{name}_to"));
            let (rest, returns, returned) = if with_gradient {
                (
                    Some(quote!((#scalar, #x))),
                    quote!((#scalar, #x, #hessian)),
                    quote! {
                        _mlp::in_place(|(value, gradient, hessian)| {
                            (*value, *gradient) = self.#to(x, hessian);
                        })
                    },
                )
            } else {
                let returned = quote!(_mlp::in_place(|hessian| self.#to(x, hessian)));
                (None, hessian.clone(), returned)
            };
            let param = p.tensors[h].name.rust();
            let body = |cx: &Context| lower_into(p, cx, r, h, true);
            let matrix = ("the Hessian", param.as_str(), &hessian);
            let to = to_method(name, matrix, rest, (&ops, size(p)), &body);
            quote! {
                #(#[doc = #docs])*
                #[must_use]
                #[inline]
                pub fn #method(&self, x: &#x) -> #returns {
                    #returned
                }

                #to
            }
        };
        // `jacobian` and `jacobian_to` (or `forward_and_jacobian` and its `_to` form, which
        // returns the output), its sweeps `by` target. The method is its `_to` form into a
        // local array, which is the caller's where the body is inlined: built in place by
        // `_mlp::in_place` (out of line), as the Hessian is, a 2-16-40 network's `jacobian`
        // took 8 % longer, and a 784-256-128-10 network's (apart, 63 KiB to copy out) no
        // less time.
        let jacobian_methods = |name: &str, by: &ByTarget, mut docs: Vec<String>| {
            let j = |s: &Sweeps| *s.program.outputs.last().expect("the Jacobian is last");
            let lowered =
                |s: &Sweeps, cx: &Context| lower_into(&s.program, cx, &s.returns, j(s), false);
            let (ops, size) = by_target_ops(by);
            docs[0] = docs[0].replacen("{ops}", &ops, 1);
            let with_value = matches!(by.sweeps.returns, Returns::Tuple(_));
            let y_ident = format_ident!("y");
            let result = with_value.then_some(&y_ident);
            let body = |cx: &Context| by_target_body(by, result, &lowered, cx);
            let jacobian = quote!([#x; #output]);
            let param = by.sweeps.program.tensors[j(&by.sweeps)].name.rust();
            let (method, to) = (format_ident!("{name}"), format_ident!("{name}_to"));
            let (rest, returns, returned) = match with_value {
                true => (
                    Some(quote!(#y)),
                    quote!((#y, #jacobian)),
                    quote!((self.#to(x, &mut jacobian), jacobian)),
                ),
                false => (
                    None,
                    jacobian.clone(),
                    quote! {
                        self.#to(x, &mut jacobian);
                        jacobian
                    },
                ),
            };
            let matrix = ("the Jacobian", param.as_str(), &jacobian);
            let to = to_method(name, matrix, rest, (&ops, size), &body);
            let zero = quote!([[0.0; #input]; #output]);
            quote! {
                #(#[doc = #docs])*
                #[must_use]
                #[inline]
                pub fn #method(&self, x: &#x) -> #returns {
                    let mut jacobian = #zero;
                    #returned
                }

                #to
            }
        };
        let kernel = |name: &str, block| {
            self.kernel(name, bodies, Targets::All, block)
                .unwrap_or_default()
        };
        // The programs of a method and its block kernel, each derived once.
        let (forward, jvp, vjp) = (methods::forward(f), methods::jvp(f), methods::vjp(f));
        let mut out = vec![
            method(
                line("The network's output at `x` ({ops})."),
                sig("forward", &[("x", quote!(&#x))], quote!(#y)),
                &forward,
            ),
            kernel("forward_blocks", methods::block_of(forward)),
            jacobian_methods("jacobian", &shared.jacobian, {
                let first = "The Jacobian `∂y[o]/∂x[k]` at `x`, one row per output ({ops}; \
                             [`Self::jacobian_to`] writes it into an array of the caller's).";
                match single {
                    true => line(first),
                    false => formula_doc(first, gradient, "GRADIENT_LATEX"),
                }
            }),
            jacobian_methods(
                "forward_and_jacobian",
                &shared.forward_and_jacobian,
                line(
                    "The output and the Jacobian at `x`, sharing one forward sweep ({ops}; \
                     [`Self::forward_and_jacobian_to`] writes the Jacobian into an array of \
                     the caller's): what an extended Kalman filter or a Gauss-Newton step asks \
                     for, without the second forward sweep of calling `forward` as well.",
                ),
            ),
            method(
                line(
                    "The Jacobian-vector product `J(x)·v`: how the output moves when `x` moves along `v` ({ops}).",
                ),
                sig("jvp", &[("x", quote!(&#x)), ("v", quote!(&#x))], quote!(#y)),
                &jvp,
            ),
            kernel("jvp_blocks", methods::block_of(jvp)),
            method(
                line("The vector-Jacobian product `uᵀ·J(x)`: the gradient of `u·y` ({ops})."),
                sig("vjp", &[("x", quote!(&#x)), ("u", quote!(&#y))], quote!(#x)),
                &vjp,
            ),
            kernel("vjp_blocks", methods::block_of(vjp)),
        ];
        if let Some(second) = &shared.second {
            let (gradient_program, hvp) = (methods::gradient(f, false), methods::hvp(f));
            out.extend([
                method(
                    line("The network's only output at `x` ({ops})."),
                    sig("value", &[("x", quote!(&#x))], quote!(#scalar)),
                    &methods::value(f),
                ),
                method(
                    formula_doc(
                        "The gradient `∂y/∂x[k]` of the only output at `x` ({ops}).",
                        gradient,
                        "GRADIENT_LATEX",
                    ),
                    sig("gradient", &[("x", quote!(&#x))], quote!(#x)),
                    &gradient_program,
                ),
                kernel("gradient_blocks", methods::block_of(gradient_program)),
                method(
                    line("The output and its gradient at `x`, sharing one forward sweep ({ops})."),
                    sig("value_and_gradient", &[("x", quote!(&#x))], quote!((#scalar, #x))),
                    &second.value_and_gradient,
                ),
                hessian_methods(
                    "hessian",
                    &second.hessian,
                    formula_doc(
                        "The Hessian `∂²y/∂x[k]∂x[l]` of the only output at `x`, symmetric: one \
                         triangle is computed and mirrored ({ops}; [`Self::hessian_to`] writes \
                         it into an array of the caller's).",
                        hessian,
                        "HESSIAN_LATEX",
                    ),
                ),
                hessian_methods(
                    "value_gradient_hessian",
                    &second.value_gradient_hessian,
                    line(
                        "The output, its gradient and its Hessian at `x`, sharing one forward \
                         sweep ({ops}; [`Self::value_gradient_hessian_to`] writes the Hessian \
                         into an array of the caller's).",
                    ),
                ),
                method(
                    line("The Hessian-vector product `H(x)·v`, without forming `H`: the tangent along `v` of the gradient's reverse sweep ({ops})."),
                    sig("hvp", &[("x", quote!(&#x)), ("v", quote!(&#x))], quote!(#x)),
                    &hvp,
                ),
                kernel("hvp_blocks", methods::block_of(hvp)),
                method(
                    line("The Laplacian `Σ_k ∂²y/∂x[k]²`, without forming the Hessian: the trace is pushed through the layers, so that only their Jacobians are formed ({ops})."),
                    sig("laplacian", &[("x", quote!(&#x))], quote!(#scalar)),
                    &second.laplacian,
                ),
                by_target(
                    line("The output, its gradient and its Laplacian at `x` (what a physics-informed residual asks for) in one call, for about the price of the Laplacian alone ({ops}). Their last bits may differ from `gradient`'s and `laplacian`'s, summed otherwise."),
                    sig("value_gradient_laplacian", &[("x", quote!(&#x))], quote!((#scalar, #x, #scalar))),
                    &second.value_gradient_laplacian,
                ),
            ]);
        }
        quote!(#(#out)*)
    }

    /// The block kernel `name` of the batch methods (`fn name(&self, xs: &[[[T; IN]; B]],
    /// ys: &mut [[[T; OUT]; B]])`, the results written into the caller's memory), if
    /// [`lower_block`] writes one.
    fn kernel(
        &self,
        name: &str,
        bodies: &Bodies,
        targets: Targets,
        block: KernelPrograms,
    ) -> Option<TokenStream> {
        let (signature, place, body) = self.lower_kernel(name, bodies, targets, block)?;
        Some(self.kernel_method(bodies, &signature, place, body))
    }

    /// The signature, the place (by its sample's operations: [`Bodies`]) and the body of
    /// the block kernel `name` for `targets`.
    fn lower_kernel(
        &self,
        name: &str,
        bodies: &Bodies,
        targets: Targets,
        (single, p, r): KernelPrograms,
    ) -> Option<(Signature, Place, TokenStream)> {
        let place = bodies.kernel(size(&single), targets);
        let scalar = &self.scalar;
        let Kernel {
            body,
            arguments,
            results,
        } = lower_block(&single, &p, bodies.cx(place), &r.tensors())?;
        let block = lit(methods::BLOCK);
        let mut arguments: Vec<(Ident, TokenStream)> = arguments
            .into_iter()
            .map(|(a, width)| (a, quote!(&[[[#scalar; #width]; #block]])))
            .collect();
        arguments
            .extend((results.into_iter()).map(|(ys, row)| (ys, quote!(&mut [[#row; #block]]))));
        let signature = Signature::of(format_ident!("{name}"), arguments, None);
        Some((signature, place, body))
    }

    /// A block kernel's method at `place` ([`Bodies`]).
    fn kernel_method(
        &self,
        bodies: &Bodies,
        signature: &Signature,
        place: Place,
        body: TokenStream,
    ) -> TokenStream {
        let cfg = place.cfg();
        let body = bodies.body(signature, place, body);
        let signature = signature.method();
        quote! {
            #cfg
            /// A block kernel of the batch methods: each sample to the bit as a single
            /// call, [`Network::BLOCK`](_mlp::Network) samples at once, each block of
            /// `xs` in turn, its results into the block of the same index.
            #[doc(hidden)]
            #[inline]
            pub fn #signature {
                #body
            }
        }
    }

    /// The block kernels of a one-output network's value and gradient, and of its
    /// Laplacian and Hessian (alone and with the output and gradient), or of any other's
    /// Jacobian (alone and with the output), each where a block's arrays fit on the stack
    /// ([`methods::stacked_block_of`]) and [`lower_block`] writes it.
    fn stacked_kernels(&self, bodies: &Bodies, shared: &Shared) -> Vec<(Stacked, TokenStream)> {
        let kinds = match shared.second {
            Some(_) => vec![
                Stacked::ValueAndGradient,
                Stacked::Laplacian,
                Stacked::ValueGradientLaplacian,
                Stacked::Hessian,
                Stacked::ValueGradientHessian,
            ],
            None => vec![Stacked::Jacobian, Stacked::ForwardAndJacobian],
        };
        kinds
            .into_iter()
            .filter_map(|kind| {
                let method = |s: &Sweeps| (s.program.clone(), s.returns.clone());
                // A program for each kind of target where they differ: a kernel under each
                // `cfg`.
                let by_target = |by: &ByTarget| match &by.without {
                    None => vec![(Targets::All, method(&by.sweeps))],
                    Some((kernels, without)) => vec![
                        (Targets::With(*kernels), method(&by.sweeps)),
                        (Targets::Without(*kernels), method(without)),
                    ],
                };
                let programs = match kind {
                    Stacked::Jacobian => by_target(&shared.jacobian),
                    Stacked::ForwardAndJacobian => by_target(&shared.forward_and_jacobian),
                    Stacked::ValueAndGradient => {
                        let second = shared.second.as_ref()?;
                        vec![(Targets::All, second.value_and_gradient.clone())]
                    }
                    Stacked::Hessian => {
                        vec![(Targets::All, shared.second.as_ref()?.hessian.clone())]
                    }
                    Stacked::ValueGradientHessian => {
                        let second = shared.second.as_ref()?;
                        vec![(Targets::All, second.value_gradient_hessian.clone())]
                    }
                    Stacked::Laplacian => {
                        vec![(Targets::All, shared.second.as_ref()?.laplacian.clone())]
                    }
                    Stacked::ValueGradientLaplacian => {
                        by_target(&shared.second.as_ref()?.value_gradient_laplacian)
                    }
                };
                // Every kernel of the kind lowered before any is written: all or none.
                let lowered = programs
                    .into_iter()
                    .map(|(targets, method)| {
                        let block = methods::stacked_block_of(method)?;
                        self.lower_kernel(kind.method().kernel, bodies, targets, block)
                    })
                    .collect::<Option<Vec<_>>>()?;
                let kernels = lowered.into_iter().map(|(signature, place, body)| {
                    self.kernel_method(bodies, &signature, place, body)
                });
                Some((kind, quote!(#(#kernels)*)))
            })
            .collect()
    }

    /// `Default` and `mlp::Network`.
    fn traits(&self, model: &Model, stacked: &[(Stacked, TokenStream)]) -> TokenStream {
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
        // The Jacobians' items go to `Network`, the rest to `ScalarNetwork`.
        let items = |jacobian: bool| {
            stacked
                .iter()
                .filter(move |(kind, _)| kind.of_network() == jacobian)
                .map(|(kind, _)| kind.trait_items(scalar))
        };
        let (jacobian, overrides) = (items(true), items(false));
        let blocks = BlocksInto::NETWORK.map(|m| m.tokens(scalar));
        let scalar_blocks = BlocksInto::SCALAR_NETWORK.map(|m| m.tokens(scalar));
        let scalar_network = (model.output() == 1).then(|| {
            quote! {
                #[automatically_derived]
                impl #params _mlp::ScalarNetwork for #ident #args {
                    #[inline]
                    fn value_at(&self, x: &[#scalar]) -> _mlp::Result<#scalar, _mlp::ShapeError> {
                        _mlp::Result::Ok(self.value(_mlp::array(x, "input values")?))
                    }

                    #[inline]

                    fn gradient_into(
                        &self,
                        x: &[#scalar],
                        gradient: &mut [#scalar],
                    ) -> _mlp::Result<(), _mlp::ShapeError> {
                        let x = _mlp::array(x, "input values")?;
                        *_mlp::array_mut(gradient, "gradient entries")? = self.gradient(x);
                        _mlp::Result::Ok(())
                    }

                    #[inline]

                    fn value_and_gradient_into(
                        &self,
                        x: &[#scalar],
                        gradient: &mut [#scalar],
                    ) -> _mlp::Result<#scalar, _mlp::ShapeError> {
                        let x = _mlp::array(x, "input values")?;
                        let gradient = _mlp::array_mut(gradient, "gradient entries")?;
                        let (value, g) = self.value_and_gradient(x);
                        *gradient = g;
                        _mlp::Result::Ok(value)
                    }

                    #[inline]

                    fn hessian_into(
                        &self,
                        x: &[#scalar],
                        hessian: &mut [#scalar],
                    ) -> _mlp::Result<(), _mlp::ShapeError> {
                        let x = _mlp::array(x, "input values")?;
                        self.hessian_to(x, _mlp::matrix_mut(hessian, "hessian entries")?);
                        _mlp::Result::Ok(())
                    }

                    #[inline]

                    fn value_gradient_hessian_into(
                        &self,
                        x: &[#scalar],
                        gradient: &mut [#scalar],
                        hessian: &mut [#scalar],
                    ) -> _mlp::Result<#scalar, _mlp::ShapeError> {
                        let x = _mlp::array(x, "input values")?;
                        let gradient = _mlp::array_mut(gradient, "gradient entries")?;
                        let hessian = _mlp::matrix_mut(hessian, "hessian entries")?;
                        let value;
                        (value, *gradient) = self.value_gradient_hessian_to(x, hessian);
                        _mlp::Result::Ok(value)
                    }

                    #[inline]

                    fn hvp_into(
                        &self,
                        x: &[#scalar],
                        v: &[#scalar],
                        hv: &mut [#scalar],
                    ) -> _mlp::Result<(), _mlp::ShapeError> {
                        let x = _mlp::array(x, "input values")?;
                        let v = _mlp::array(v, "direction values")?;
                        *_mlp::array_mut(hv, "output values")? = self.hvp(x, v);
                        _mlp::Result::Ok(())
                    }

                    #[inline]

                    fn laplacian_at(&self, x: &[#scalar]) -> _mlp::Result<#scalar, _mlp::ShapeError> {
                        _mlp::Result::Ok(self.laplacian(_mlp::array(x, "input values")?))
                    }

                    #[inline]

                    fn value_gradient_laplacian_into(
                        &self,
                        x: &[#scalar],
                        gradient: &mut [#scalar],
                    ) -> _mlp::Result<(#scalar, #scalar), _mlp::ShapeError> {
                        let x = _mlp::array(x, "input values")?;
                        let gradient = _mlp::array_mut(gradient, "gradient entries")?;
                        let (value, g, laplacian) = self.value_gradient_laplacian(x);
                        *gradient = g;
                        _mlp::Result::Ok((value, laplacian))
                    }

                    #(#scalar_blocks)*

                    #(#overrides)*
                }
            }
        });
        quote! {
            /// Sound: every field is an array of `f32` or `f64`, for which all-zero bytes are
            /// the value 0.0.
            #[automatically_derived]
            unsafe impl #params _mlp::Zeroable for #ident #args {}

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

                #[inline]

                fn from_parameters(parameters: &[#scalar]) -> _mlp::Result<Self, _mlp::ShapeError> {
                    Self::from_parameters(parameters)
                }

                #[inline]

                fn parameters(&self) -> _mlp::Vec<#scalar> {
                    Self::parameters(self)
                }

                #[inline]

                fn forward_into(
                    &self,
                    x: &[#scalar],
                    y: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    *_mlp::array_mut(y, "output values")? = self.forward(x);
                    _mlp::Result::Ok(())
                }

                #[inline]

                fn jacobian_into(
                    &self,
                    x: &[#scalar],
                    jacobian: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    self.jacobian_to(x, _mlp::matrix_mut(jacobian, "jacobian entries")?);
                    _mlp::Result::Ok(())
                }

                #[inline]
                fn forward_and_jacobian_into(
                    &self,
                    x: &[#scalar],
                    y: &mut [#scalar],
                    jacobian: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    let y = _mlp::array_mut(y, "output values")?;
                    let jacobian = _mlp::matrix_mut(jacobian, "jacobian entries")?;
                    *y = self.forward_and_jacobian_to(x, jacobian);
                    _mlp::Result::Ok(())
                }

                #[inline]

                fn jvp_into(
                    &self,
                    x: &[#scalar],
                    v: &[#scalar],
                    jv: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    let v = _mlp::array(v, "direction values")?;
                    *_mlp::array_mut(jv, "output values")? = self.jvp(x, v);
                    _mlp::Result::Ok(())
                }

                #[inline]

                fn vjp_into(
                    &self,
                    x: &[#scalar],
                    u: &[#scalar],
                    uj: &mut [#scalar],
                ) -> _mlp::Result<(), _mlp::ShapeError> {
                    let x = _mlp::array(x, "input values")?;
                    let u = _mlp::array(u, "output weights")?;
                    *_mlp::array_mut(uj, "input values")? = self.vjp(x, u);
                    _mlp::Result::Ok(())
                }

                #(#blocks)*

                #(#jacobian)*
            }

            #scalar_network
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

/// The operations of a method's body, at an input one wide if the width is generic: what
/// decides where it goes ([`Bodies`]).
fn size(p: &Program) -> usize {
    cost::program(p, 1)
}

/// `summary`, then the formula in text and LaTeX (the constant `latex` holds the latter).
fn formula_doc(summary: &str, formula: &Formula, latex: &str) -> Vec<String> {
    let mut lines = vec![
        format!(" {summary}"),
        String::new(),
        " For this architecture it is (0-based, as in the code):".to_owned(),
        String::new(),
        " ```text".to_owned(),
    ];
    lines.extend(formula.text.lines().map(|l| format!(" {l}")));
    lines.push(" ```".to_owned());
    lines.push(String::new());
    lines.push(format!(" and in LaTeX ([`Self::{latex}`]):"));
    lines.push(String::new());
    lines.push(" ```text".to_owned());
    lines.extend(formula.latex.lines().map(|l| format!(" {l}")));
    lines.push(" ```".to_owned());
    lines
}
