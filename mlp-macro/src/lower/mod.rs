//! Lowering: a [`Program`] to the Rust statements of a method body.
//!
//! Each statement is lowered one of two ways, chosen by the unroll policy from its
//! operation count:
//! - **unrolled**: straight-line code with literal indices, one `let` per element
//!   (`let z1_0 = self.w1[0][0] * x[0] + … + self.b1[0];`), every sum written out;
//! - **loops**: an array built by fixed-bound loops, along its last axis where memory
//!   allows (`axpys(&mut acc, |i, j| (self.w2[i][j], d2[i]))`: rows of vectors),
//!   else element by element with each sum in eight lanes
//!   (`z1[j] = dot::<f64, 52>(|k| (self.w1[j][k], x[k])) + self.b1[j]`).
//!
//! Indices over a generic input width are always loops. A tensor is kept in scalars when
//! it is written and read only by unrolled code, else in an array. A symmetric tensor (a
//! Hessian) is computed on and below its diagonal and mirrored. Two layer products of one
//! matrix by vectors both known at the first (`hvp`'s `W1·x` and `W1·v`; its `W2·a1` and
//! `W2·ȧ1`, once the statements giving `ȧ1` move up) are computed there together, the
//! matrix read once (`_mlp::dot_rows_of_two`).

mod expr;
mod lanes;
mod stmt;
mod transposed;

use std::cell::{Cell, RefCell};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};

use crate::cost;
use crate::ir::{Expr, Extent, IndexId, Ix, Program, Role, Stmt, TensorId};
use crate::model::Limit;
use crate::passes::simplify::simplify;

/// What lowering needs to know beyond the program.
#[derive(Clone)]
pub struct Context {
    /// The scalar type, `f64` or `f32`.
    pub scalar: Ident,
    /// The generic input width's parameter, if the net has one.
    pub input: Option<Ident>,
    /// The unroll policy.
    pub unroll: Limit,
    /// The activation type of each layer, first to last, as emitted code names it.
    pub acts: Vec<ActType>,
    /// How the code names the network: `self` in a method, `net` in a body compiled
    /// apart from its method.
    pub receiver: TokenStream,
}

/// An activation type, as emitted code names it.
#[derive(Clone)]
pub enum ActType {
    /// A built-in, `_mlp::Tanh`, called as `_mlp::Tanh::value(z)` (the trait is in scope).
    Builtin(TokenStream),
    /// A user type, called as `<Softsign as _mlp::Activation<f64>>::value(z)`: spanned at
    /// the attribute, so that a missing impl is reported there, and qualified, so that an
    /// inherent method of the same name cannot be called instead.
    Custom(TokenStream),
}

impl Context {
    /// `F::method(arg)` for layer `layer`'s activation `F`.
    fn call(&self, layer: usize, method: TokenStream, arg: TokenStream) -> TokenStream {
        let scalar = &self.scalar;
        match &self.acts[layer - 1] {
            ActType::Builtin(ty) => quote!(#ty::#method(#arg)),
            ActType::Custom(ty) => quote!(<#ty as _mlp::Activation<#scalar>>::#method(#arg)),
        }
    }
}

/// What a method returns, in terms of the program's tensors.
#[derive(Clone)]
pub enum Returns {
    /// The whole tensor, as an array.
    Array(TensorId),
    /// The first element of a one-element tensor, as a scalar.
    First(TensorId),
    /// Several values.
    Tuple(Vec<Returns>),
}

impl Returns {
    /// The tensors returned, in order.
    pub fn tensors(&self) -> Vec<TensorId> {
        match self {
            Self::Array(t) | Self::First(t) => vec![*t],
            Self::Tuple(parts) => parts.iter().flat_map(Self::tensors).collect(),
        }
    }

    /// What is left to return once `t` is written in place: nothing, or a tuple without
    /// it (a pair left of three, not a tuple of one).
    fn without(&self, t: TensorId) -> Option<Self> {
        match self {
            Self::Array(u) | Self::First(u) => (*u != t).then(|| self.clone()),
            Self::Tuple(parts) => {
                let mut rest: Vec<Self> = parts.iter().filter_map(|r| r.without(t)).collect();
                match rest.len() {
                    0 => None,
                    1 => rest.pop(),
                    _ => Some(Self::Tuple(rest)),
                }
            }
        }
    }
}

/// The body of a method computing `p` and returning `returns`.
pub fn lower(p: &Program, cx: &Context, returns: &Returns) -> TokenStream {
    Lowering::new(p, cx).body(returns)
}

/// The body of a method computing `p` with one of its results, `out`, written into a
/// parameter `&mut` of that result's name rather than returned, and returning the rest of
/// `returns`: nothing is zeroed that the statements write, and nothing copied out of the
/// method's own array (the seed network's Hessian, 21 KiB). The Jacobian and Hessian
/// methods are so written, the latter's matrices `aligned` ([`Lowering::aligned`]).
pub fn lower_into(
    p: &Program,
    cx: &Context,
    returns: &Returns,
    out: TensorId,
    aligned: bool,
) -> TokenStream {
    let mut lowering = Lowering::new(p, cx);
    lowering.outs = vec![out];
    lowering.aligned = aligned;
    let frame = lowering.frame();
    let stmts = lowering.stmts();
    let name = lowering.ident(out);
    // Held in scalars (an unrolled method), the result is assigned whole at the end.
    let assign = (!lowering.array[out]).then(|| {
        let whole = lowering.whole(out);
        quote!(*#name = #whole;)
    });
    let rest = returns.without(out).map(|r| lowering.returns(&r));
    quote! {
        #frame
        #(#stmts)*
        #assign
        #rest
    }
}

/// The body of a block kernel computing `p`, the program `single` over a block of samples
/// ([`crate::block`]), for each block of `xs` in turn: every statement along the samples,
/// every sum added up in the order `single`'s lowering adds it, so that each sample comes
/// out to the bit as a single call. The arrays are declared once, before the loop over the
/// blocks, and written over by each: zeroed for every block, they took a tenth of the
/// seed's batch gradient.
///
/// Its results go into the caller's memory, each in place, block by block of a parameter
/// `&mut` of its own that [`Kernel::results`] names, with the type of a sample's: nothing
/// copied out of arrays of the kernel's own (a block's gradient so copied cost a tenth of
/// the seed network's batch gradient; the value-and-gradient's results copied into one
/// row a sample, 10–18 % more than the gradient's kernel).
///
/// ```text
/// let mut z1: _mlp::Aligned<[[f64; 20]; 16]> = _mlp::Aligned([[0.0; 20]; 16]);
/// …
/// for ((x, y), g) in xs.iter().zip(ys).zip(gs) {
///     _mlp::dot_block::<f64, 52, 16, 20>(&self.w1, x, |b, j, sum| z1[b][j] = sum + self.b1[j]);
///     …
/// }
/// ```
///
/// `None` if a statement cannot be summed as the single call sums it.
pub fn lower_block(
    single: &Program,
    p: &Program,
    cx: &Context,
    outs: &[TensorId],
) -> Option<Kernel> {
    let shapes = vec![Shape::Loops; p.stmts.len()];
    let mut lowering = Lowering::new(p, cx);
    lowering.array = storage(p, &shapes);
    lowering.shape = shapes;
    lowering.orders = Some(orders(single, cx));
    // The samples' axis: every argument's first.
    let argument = p.tensors.iter().position(|t| t.role == Role::Argument);
    lowering.samples = argument.and_then(|x| p.tensors[x].axes.first().copied());
    lowering.outs = outs.to_vec();
    lowering.blocks = true;
    let stmts: Vec<TokenStream> = p
        .stmts
        .iter()
        .enumerate()
        .map(|(n, s)| lowering.stmt(n, s))
        .collect();
    if lowering.declined.get() {
        return None;
    }
    let declared = lowering.declared.take();
    // The samples, `x` (and `v`, the arguments in order), in blocks of `xs` (`vs`).
    let arguments: Vec<TensorId> = (0..p.tensors.len())
        .filter(|&t| p.tensors[t].role == Role::Argument)
        .collect();
    // Each result's name in a block, with a sample's type: `g`, `[f64; 52]`; `laplacian`,
    // `f64`; a Jacobian's `[[f64; 12]; 6]`.
    let scalar = &cx.scalar;
    let results: Vec<(Ident, TokenStream)> = outs
        .iter()
        .map(|&t| {
            let mut row = quote!(#scalar);
            for &axis in p.tensors[t].axes[1..].iter().rev() {
                let n = lowering.extent(axis);
                row = quote!([#row; #n]);
            }
            (lowering.ident(t), row)
        })
        .collect();
    // `for (x, y) in xs.iter().zip(ys)`; `for ((x, v), y) in xs.iter().zip(vs).zip(ys)`.
    let (mut each, mut blocks, mut plurals) = (TokenStream::new(), TokenStream::new(), Vec::new());
    for (n, &t) in arguments.iter().enumerate() {
        let a = lowering.ident(t);
        let s = plural(&a.to_string());
        (each, blocks) = match n {
            0 => (quote!(#a), quote!(#s.iter())),
            _ => (quote!((#each, #a)), quote!(#blocks.zip(#s))),
        };
        plurals.push((s, lowering.extent(*p.tensors[t].axes.last()?)));
    }
    for (y, _) in &results {
        let ys = plural(&y.to_string());
        (each, blocks) = (quote!((#each, #y)), quote!(#blocks.zip(#ys)));
    }
    let frame = lowering.frame();
    let body = quote! {
        #frame
        #(#declared)*
        for #each in #blocks {
            #(#stmts)*
        }
    };
    let results = results
        .into_iter()
        .map(|(y, row)| (plural(&y.to_string()), row))
        .collect();
    Some(Kernel {
        body,
        arguments: plurals,
        results,
    })
}

/// A block kernel's body, with the names of its parameters and the types of their
/// samples'.
pub struct Kernel {
    pub body: TokenStream,
    /// `xs` (and `vs`): the samples, in blocks, of each argument in turn, with their widths.
    pub arguments: Vec<(Ident, TokenStream)>,
    /// `ys` and `gs`, each result's blocks, with a sample's type: `[f64; 1]`, `[f64; 52]`,
    /// `[f64; IN]`, `f64` or `[[f64; 12]; 6]`.
    pub results: Vec<(Ident, TokenStream)>,
}

/// `xs` for `x`: the name of a run of blocks of `x`.
pub fn plural(name: &str) -> Ident {
    Ident::new(&format!("{name}s"), Span::call_site())
}

/// The order a sum's terms are added in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    /// In eight lanes, as `_mlp::dot` and `_mlp::sum` add them.
    Lanes,
    /// One after the other, as multiply-adds.
    Fused,
    /// One after the other, multiplied then added: written out term by term.
    Plain,
}

/// For each statement of `p`, the order each of its outermost sums is added in.
fn orders(p: &Program, cx: &Context) -> Vec<Vec<Order>> {
    let lowering = Lowering::new(p, cx);
    p.stmts
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let order = match lowering.shape[n] {
                Shape::Unrolled => Order::Plain,
                Shape::Loops if lanes::lane_axis(p, s).is_some() => Order::Fused,
                _ => Order::Lanes,
            };
            vec![order; lanes::top_level_sums(&s.values[0]).len()]
        })
        .collect()
}

/// A flattened row index `at` of `per` rows a sample, as `(sample, row)`: `(at / 3, at %
/// 3)`, or `(at, 0)` for one row (no `% 1`, which Clippy denies in the user's crate).
fn split_flat(per: usize) -> TokenStream {
    match per {
        1 => quote!((at, 0)),
        _ => {
            let per = Literal::usize_unsuffixed(per);
            quote!((at / #per, at % #per))
        }
    }
}

/// How a statement is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Every index written out: one `let` per element, each sum term by term.
    Unrolled,
    /// Loops throughout: along the last axis where memory allows (vectors, axpys), else
    /// element by element with each sum in eight lanes (dot products).
    Loops,
}

/// The shape a statement takes under `unroll`: fully unrolled if that small, else loops.
///
/// Measured (BENCHMARKS.md): loops whose sums run in eight lanes are as fast as unrolled
/// code from a few hundred operations up, and build in a fraction of the time; LLVM's
/// release pipeline spends seconds on every few thousand lines of straight-line code.
fn shape(p: &Program, s: &Stmt, unroll: Limit) -> Shape {
    match unroll.admits(cost::stmt(p, s, 1)) {
        true => Shape::Unrolled,
        false => Shape::Loops,
    }
}

struct Lowering<'a> {
    p: &'a Program,
    cx: &'a Context,
    /// Per statement: how it is written.
    shape: Vec<Shape>,
    /// Per tensor: held in an array (else in one scalar per element)?
    array: Vec<bool>,
    /// Sub-expressions already computed into lane accumulators, and how to read them.
    computed: RefCell<Vec<(Expr, TokenStream)>>,
    /// For a block kernel, the order each statement's outermost sums are added in.
    orders: Option<Vec<Vec<Order>>>,
    /// For a block kernel, the axis over its samples.
    samples: Option<IndexId>,
    /// The tensors written into the caller's memory (each a parameter `&mut` of the same
    /// name) rather than returned: a block kernel's, or a method's made to write in place.
    outs: Vec<TensorId>,
    /// A block kernel: its arrays declared once, before its loop over the blocks.
    blocks: bool,
    /// Its matrices from a cache line's start (`_mlp::Aligned`): a Hessian method's. Its
    /// tangents' and curvatures' rows are read in whole vectors, none then across two
    /// lines (AVX-512: the seed's Hessian −4 to −8 %, the 64-128-128-1 network's −9 to
    /// −14 %). Every method's so measured mixed: the seed's `value_and_gradient` +10 to
    /// +22 % (docs/performance-log.md, "The twenty-fourth session").
    aligned: bool,
    /// A block kernel's statement it cannot take as a sample's call does: no kernel.
    declined: Cell<bool>,
    /// For a block kernel, the declarations of its arrays, made once before its loop over
    /// the blocks.
    declared: RefCell<Vec<TokenStream>>,
    /// Per statement: the later ones whose `W·v` it computes with its own `W·x`
    /// (`_mlp::dot_rows_of_two` or `_pair`, `_three` for two; `_mlp::axpys_of_two` for a
    /// reverse sweep's `Wᵀ·δ`), if any ([`Lowering::pairs`]).
    pairs: RefCell<Vec<Vec<usize>>>,
}

impl<'a> Lowering<'a> {
    fn new(p: &'a Program, cx: &'a Context) -> Self {
        let mut shapes: Vec<Shape> = p.stmts.iter().map(|s| shape(p, s, cx.unroll)).collect();
        // A fused statement held in arrays is written as `for` loops, which in turn makes
        // what it reads arrays: iterate until that settles.
        loop {
            let array = storage(p, &shapes);
            let looped: Vec<usize> = (0..p.stmts.len())
                .filter(|&n| shapes[n] != Shape::Loops && p.stmts[n].targets.len() > 1)
                .filter(|&n| p.stmts[n].targets.iter().any(|&t| array[t]))
                .collect();
            if looped.is_empty() {
                return Self {
                    p,
                    cx,
                    shape: shapes,
                    array,
                    computed: RefCell::new(Vec::new()),
                    orders: None,
                    samples: None,
                    outs: Vec::new(),
                    blocks: false,
                    aligned: false,
                    declined: Cell::new(false),
                    declared: RefCell::new(Vec::new()),
                    pairs: RefCell::new(Vec::new()),
                };
            }
            looped.into_iter().for_each(|n| shapes[n] = Shape::Loops);
        }
    }

    /// The statements, then the result.
    fn body(&self, returns: &Returns) -> TokenStream {
        let frame = self.frame();
        let stmts = self.stmts();
        let result = self.returns(returns);
        quote! {
            #frame
            #(#stmts)*
            #result
        }
    }

    /// The statements, in the order [`Lowering::pairs`] gives them, each product by a matrix
    /// paired where it can be with a later one by the same matrix.
    fn stmts(&self) -> Vec<TokenStream> {
        let (pairs, order) = self.pairs();
        *self.pairs.borrow_mut() = pairs;
        order
            .into_iter()
            .map(|n| self.stmt(n, &self.p.stmts[n]))
            .collect()
    }

    /// `_mlp::align_frame();` where the body holds a computed tensor in an array: its
    /// frame then starts on a cache line, so that no vector it reads from the stack
    /// straddles two, wherever the caller's stack is (a body of scalars has nothing there).
    fn frame(&self) -> Option<TokenStream> {
        let arrays = (0..self.p.tensors.len())
            .any(|t| self.p.tensors[t].role == Role::Computed && self.array[t]);
        arrays.then(|| quote!(_mlp::align_frame();))
    }

    fn extent(&self, index: IndexId) -> TokenStream {
        match self.p.extent(index) {
            Extent::Fixed(n) => Literal::usize_unsuffixed(n).into_token_stream(),
            Extent::Input => {
                let input = &self.cx.input;
                quote!(#input)
            }
        }
    }

    /// Whether the free index `v` of statement `n` is written out rather than looped over.
    fn free_literal(&self, n: usize, v: IndexId) -> bool {
        self.shape[n] != Shape::Loops && self.p.extent(v) != Extent::Input
    }

    /// Whether the sums over `v` in statement `n` are written out term by term.
    fn sum_literal(&self, n: usize, v: IndexId) -> bool {
        self.shape[n] == Shape::Unrolled && self.p.extent(v) != Extent::Input
    }

    /// Whether `t` is written into the caller's memory ([`Lowering::outs`]).
    fn is_out(&self, t: TensorId) -> bool {
        self.outs.contains(&t)
    }

    fn ident(&self, t: TensorId) -> Ident {
        Ident::new(&self.p.tensors[t].name.rust(), Span::call_site())
    }

    /// `let mut z1: [f64; 20] = value;`; for the result written in place, `*g = value;`. In
    /// a block kernel, the `let` goes before the loop over the blocks, and each block sets
    /// `z1 = value;` again.
    fn declare(&self, t: TensorId, value: &TokenStream) -> TokenStream {
        let name = self.ident(t);
        if self.is_out(t) {
            return quote!(*#name = #value;);
        }
        if self.blocks {
            self.hoist(&name, &self.array_type(t), value);
            return quote!(*#name = #value;);
        }
        let ty = self.array_type(t);
        if self.aligned && self.p.tensors[t].axes.len() > 1 {
            return quote!(let mut #name: _mlp::Aligned<#ty> = _mlp::Aligned(#value););
        }
        quote!(let mut #name: #ty = #value;)
    }

    /// [`Self::declare`] for a statement that writes every element of `t`: nothing to do
    /// for the result written in place, nor in a block kernel for each block.
    fn declare_written(&self, t: TensorId, value: &TokenStream) -> TokenStream {
        if self.is_out(t) {
            return TokenStream::new();
        }
        if self.blocks {
            self.hoist(&self.ident(t), &self.array_type(t), value);
            return TokenStream::new();
        }
        self.declare(t, value)
    }

    /// Whether statement `n` is in a block kernel whose single call adds one of its sums
    /// in `order`.
    fn sums_in(&self, n: usize, order: Order) -> bool {
        self.orders
            .as_ref()
            .is_some_and(|orders| orders[n].contains(&order))
    }

    /// `let mut name: _mlp::Aligned<ty> = _mlp::Aligned(value);` among a block kernel's
    /// declarations, before its loop over the blocks: from a cache line's start, as the
    /// kernels' loads of whole vectors want it.
    fn hoist(&self, name: &Ident, ty: &TokenStream, value: &TokenStream) {
        self.declared
            .borrow_mut()
            .push(quote!(let mut #name: _mlp::Aligned<#ty> = _mlp::Aligned(#value);));
    }

    /// A whole tensor borrowed: `&z1` (`&mut z1`), `&net.w1`, an argument as it is (a
    /// reference already), or `&*g` (`&mut *g`) for the result written in place.
    fn borrow(&self, t: TensorId, mutable: bool) -> TokenStream {
        let name = self.ident(t);
        match (self.p.tensors[t].role, self.is_out(t), mutable) {
            (Role::Argument, ..) => quote!(#name),
            (Role::Parameter, ..) => {
                let receiver = &self.cx.receiver;
                quote!(&#receiver.#name)
            }
            (_, true, false) => quote!(&*#name),
            (_, true, true) => quote!(&mut *#name),
            (_, false, false) => quote!(&#name),
            (_, false, true) => quote!(&mut #name),
        }
    }

    /// `z1_3` or `d1_0_3`: the scalar holding one element (of a symmetric tensor, the one
    /// on or below the diagonal).
    fn scalar_ident(&self, t: TensorId, at: &[usize]) -> Ident {
        let mut name = self.p.tensors[t].name.rust();
        let mirrored;
        let at = match at {
            &[row, column] if self.p.tensors[t].symmetric && column > row => {
                mirrored = [column, row];
                &mirrored[..]
            }
            at => at,
        };
        for n in at {
            name.push('_');
            name.push_str(&n.to_string());
        }
        Ident::new(&name, Span::call_site())
    }

    /// `[[f64; 52]; 20]` for a tensor with axes `[j, k]`.
    fn array_type(&self, t: TensorId) -> TokenStream {
        let scalar = &self.cx.scalar;
        let mut ty = quote!(#scalar);
        for &axis in self.p.tensors[t].axes.iter().rev() {
            let n = self.extent(axis);
            ty = quote!([#ty; #n]);
        }
        ty
    }

    /// A zero-filled array over `axes`.
    fn zeros(&self, axes: &[IndexId]) -> TokenStream {
        self.filled(axes, quote!(0.0))
    }

    /// An array over `axes` with every element `element`.
    fn filled(&self, axes: &[IndexId], element: TokenStream) -> TokenStream {
        let mut value = element;
        for &axis in axes.iter().rev() {
            let n = self.extent(axis);
            value = quote!([#value; #n]);
        }
        value
    }

    /// The range of a loop over `axis`: a block's samples through `_mlp::samples`, which
    /// keeps the loop to one sample at a time (the runtime says why).
    fn range(&self, axis: IndexId) -> TokenStream {
        let count = self.extent(axis);
        if self.samples == Some(axis) {
            quote!(_mlp::samples::<#count>())
        } else {
            quote!(0..#count)
        }
    }

    fn var(&self, v: IndexId) -> Ident {
        Ident::new(&self.p.indices[v].name, Span::call_site())
    }

    /// A closure parameter for index `v`: its name, or `_` if `body` does not use it.
    fn param(&self, v: IndexId, body: &Expr) -> TokenStream {
        if body.mentions(v) {
            let var = self.var(v);
            quote!(#var)
        } else {
            quote!(_)
        }
    }

    /// `e` at the literal position `at` of `axes`, simplified (deltas and zeros fold away).
    fn specialize(&self, e: &Expr, axes: &[IndexId], at: &[usize]) -> Expr {
        let ixs: Vec<Ix> = at.iter().map(|&n| Ix::At(n)).collect();
        self.specialize_ixs(e, axes, &ixs)
    }

    fn specialize_ixs(&self, e: &Expr, axes: &[IndexId], ixs: &[Ix]) -> Expr {
        let e = e.substitute(&|v| axes.iter().position(|&a| a == v).map(|i| ixs[i]));
        simplify(self.p, e)
    }

    fn ix(&self, ix: Ix) -> TokenStream {
        match ix {
            Ix::At(n) => Literal::usize_unsuffixed(n).into_token_stream(),
            Ix::Var(v) => self.var(v).into_token_stream(),
        }
    }

    /// The method's result.
    fn returns(&self, returns: &Returns) -> TokenStream {
        match returns {
            Returns::Array(t) => self.whole(*t),
            Returns::First(t) => {
                let zeros = vec![Ix::At(0); self.p.tensors[*t].axes.len()];
                self.read(*t, &zeros)
            }
            Returns::Tuple(parts) => {
                let parts = parts.iter().map(|r| self.returns(r));
                quote!((#(#parts),*))
            }
        }
    }

    /// A whole tensor as an array value.
    fn whole(&self, t: TensorId) -> TokenStream {
        if self.array[t] {
            return self.ident(t).into_token_stream();
        }
        let axes = self.p.tensors[t].axes.clone();
        self.nest(t, &axes, &mut Vec::new())
    }

    fn nest(&self, t: TensorId, axes: &[IndexId], at: &mut Vec<usize>) -> TokenStream {
        let Some(&axis) = axes.get(at.len()) else {
            return self.scalar_ident(t, at).into_token_stream();
        };
        let count = self.p.extent(axis).or(0);
        let elements = (0..count).map(|n| {
            at.push(n);
            let element = self.nest(t, axes, at);
            at.pop();
            element
        });
        quote!([#(#elements),*])
    }
}

/// Per tensor: whether it must be held in an array, given how each statement is written.
/// Arguments and parameters are arrays; a computed tensor is held in scalars only when its
/// statement and every read of it are written out at literal positions.
fn storage(p: &Program, shapes: &[Shape]) -> Vec<bool> {
    let mut array: Vec<bool> = p.tensors.iter().map(|t| t.role != Role::Computed).collect();
    for (n, stmt) in p.stmts.iter().enumerate() {
        let axes = &p.tensors[stmt.targets[0]].axes;
        let fixed = |v: IndexId| p.extent(v) != Extent::Input;
        let literal = shapes[n] != Shape::Loops && axes.iter().all(|&a| fixed(a));
        if !literal {
            stmt.targets.iter().for_each(|&t| array[t] = true);
        }
        for value in &stmt.values {
            value.visit_reads(&mut |t, ixs, bound| {
                // An index is literal if it is the statement's and the statement is written
                // out, or a sum's and the sums are.
                let at_literal = ixs.iter().all(|ix| match *ix {
                    Ix::Var(v) if bound.contains(&v) => shapes[n] == Shape::Unrolled && fixed(v),
                    Ix::Var(v) => shapes[n] != Shape::Loops && fixed(v),
                    Ix::At(_) => true,
                });
                if !at_literal {
                    array[t] = true;
                }
            });
        }
    }
    // The targets of one statement are written together, so held alike.
    for stmt in &p.stmts {
        if stmt.targets.iter().any(|&t| array[t]) {
            stmt.targets.iter().for_each(|&t| array[t] = true);
        }
    }
    array
}

/// Every literal position of `axes` (all fixed), first axis outermost.
fn positions(p: &Program, axes: &[IndexId]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for &axis in axes {
        let count = p.extent(axis).or(0);
        out = out
            .into_iter()
            .flat_map(|prefix| {
                (0..count).map(move |n| {
                    let mut at = prefix.clone();
                    at.push(n);
                    at
                })
            })
            .collect();
    }
    out
}
