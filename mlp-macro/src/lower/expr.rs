//! Expressions: the IR's arithmetic as Rust.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::{Lowering, Order};
use crate::ir::{Expr, Extent, IndexId, Ix, Role, TensorId};
use crate::passes::simplify::simplify;

impl Lowering<'_> {
    pub(super) fn expr(&self, n: usize, e: &Expr) -> TokenStream {
        self.expr_prec(n, e).0
    }

    /// `e` in Rust, and how tightly it binds.
    fn expr_prec(&self, n: usize, e: &Expr) -> (TokenStream, Prec) {
        if let Some((_, tokens)) = self.computed.borrow().iter().find(|(c, _)| c == e) {
            return (tokens.clone(), Prec::Atom);
        }
        match e {
            Expr::Num(v) => {
                let lit = Literal::f64_unsuffixed(v.abs());
                if *v < 0.0 {
                    (quote!(-#lit), Prec::Unary)
                } else {
                    (lit.into_token_stream(), Prec::Atom)
                }
            }
            Expr::Read(t, ixs) => (self.read(*t, ixs), Prec::Atom),
            Expr::Delta(a, b) => {
                let (a, b) = (self.ix(*a), self.ix(*b));
                (quote!((if #a == #b { 1.0 } else { 0.0 })), Prec::Atom)
            }
            Expr::Act { layer, order, arg } => {
                if *order == 2
                    && let Some((value, slope)) = self.value_and_slope(n, *layer, arg)
                {
                    let (x, value, slope) = (
                        self.expr(n, arg),
                        self.expr(n, &value),
                        self.expr(n, &slope),
                    );
                    let args = quote!(#x, #value, #slope);
                    return (
                        self.cx.call(*layer, quote!(second_derivative_from), args),
                        Prec::Atom,
                    );
                }
                let method = match order {
                    0 => quote!(value),
                    1 => quote!(derivative),
                    _ => quote!(second_derivative),
                };
                let arg = self.expr(n, arg);
                (self.cx.call(*layer, method, arg), Prec::Atom)
            }
            Expr::Add(terms) if self.sums_in(n, Order::Plain) => {
                // A block kernel's sum after other terms goes on from them, as its single
                // call's sum written out term by term does.
                let scalar = &self.cx.scalar;
                let mut terms = terms.iter();
                let first = terms.next().map(|t| self.expr(n, t));
                let chain = terms.fold(first.unwrap_or_default(), |acc, t| match t {
                    Expr::Sum(v, body) if !self.sum_literal(n, *v) => {
                        let (count, param) = (self.extent(*v), self.param(*v, body));
                        let body = self.expr(n, body);
                        quote!(_mlp::serial_sum_onto::<#scalar, #count>(#acc, |#param| #body))
                    }
                    _ => {
                        let t = self.expr(n, t);
                        quote!(#acc + #t)
                    }
                });
                (chain, Prec::Add)
            }
            Expr::Add(terms) => {
                let terms = terms.iter().map(|t| self.expr(n, t));
                (quote!(#(#terms)+*), Prec::Add)
            }
            Expr::Mul(factors) => {
                let factors = factors.iter().map(|f| {
                    let (tokens, prec) = self.expr_prec(n, f);
                    if prec < Prec::Mul {
                        quote!((#tokens))
                    } else {
                        tokens
                    }
                });
                let product = factors.reduce(|a, b| quote!(#a * #b)).unwrap_or_default();
                (product, Prec::Mul)
            }
            Expr::Sum(v, body) => {
                if let (true, Extent::Fixed(count)) = (self.sum_literal(n, *v), self.p.extent(*v)) {
                    let terms: Vec<Expr> = (0..count)
                        .map(|at| simplify(self.p, body.replace(*v, Ix::At(at))))
                        .filter(|t| !t.is(0.0))
                        .collect();
                    return match terms.len() {
                        0 => (quote!(0.0), Prec::Atom),
                        _ => self.expr_prec(n, &Expr::Add(terms)),
                    };
                }
                (self.looped_sum(n, *v, body), Prec::Atom)
            }
        }
    }

    /// `Σ_v body` as a loop in eight lanes: `_mlp::dot::<N>(|v| (a, b))` for a product (the
    /// last factor against the rest, as multiply-adds), `_mlp::sum::<N>(|v| body)` else.
    fn looped_sum(&self, n: usize, v: IndexId, body: &Expr) -> TokenStream {
        let scalar = &self.cx.scalar;
        let count = self.extent(v);
        let param = self.param(v, body);
        if self.sums_in(n, Order::Plain) {
            let body = self.expr(n, body);
            return quote!(_mlp::serial_sum::<#scalar, #count>(|#param| #body));
        }
        if let Some((a, b)) = self.product(n, body) {
            return quote!(_mlp::dot::<#scalar, #count>(|#param| (#a, #b)));
        }
        let body = self.expr(n, body);
        quote!(_mlp::sum::<#scalar, #count>(|#param| #body))
    }

    /// Reads of the value and slope of layer `layer`'s activation at `arg`, if a statement
    /// before statement `n` computed both (`value_and_derivative`) element for element from
    /// the tensor `arg` reads: a second derivative then needs no activation of its own.
    fn value_and_slope(&self, n: usize, layer: usize, arg: &Expr) -> Option<(Expr, Expr)> {
        let Expr::Read(z, ixs) = arg else {
            return None;
        };
        self.p.stmts[..n].iter().find_map(|stmt| {
            let (
                &[a, s],
                [
                    Expr::Act {
                        layer: l0,
                        order: 0,
                        arg: x0,
                    },
                    Expr::Act {
                        layer: l1,
                        order: 1,
                        arg: x1,
                    },
                ],
            ) = (stmt.targets.as_slice(), stmt.values.as_slice())
            else {
                return None;
            };
            let own = |t: TensorId| {
                Expr::Read(
                    t,
                    self.p.tensors[t].axes.iter().map(|&v| Ix::Var(v)).collect(),
                )
            };
            let same = *l0 == layer && *l1 == layer && **x0 == own(*z) && **x1 == own(*z);
            let aligned = self.p.tensors[a].axes == self.p.tensors[*z].axes;
            (same && aligned && own(a) != own(s))
                .then(|| (Expr::Read(a, ixs.clone()), Expr::Read(s, ixs.clone())))
        })
    }

    /// A product as `(the other factors, the last)`, the operands of a multiply-add.
    pub(super) fn product(&self, n: usize, e: &Expr) -> Option<(TokenStream, TokenStream)> {
        let Expr::Mul(factors) = e else { return None };
        let (last, rest) = factors.split_last()?;
        let rest = match rest {
            [one] => one.clone(),
            many => Expr::Mul(many.to_vec()),
        };
        Some((self.expr(n, &rest), self.expr(n, last)))
    }

    /// A product of a matrix of sums' term as `(the factors that vary with a row, the
    /// others)`, so that the kernel multiplies the others once for all its rows: for an
    /// inlined scaled weight (`W2[i,j]·s1[j]·W1[j,c]`), `(w2[i][j], s1[j] * w1[j][c])`, the
    /// bits of the tensor it replaces. Else as [`Self::product`].
    ///
    /// A block kernel's samples are no such axis: its single call has none, and each
    /// sample's products must be grouped as there to give its bits (a one-input network's
    /// gradient, `Σ_j W1[j,0]·s1[j]·(W2ᵀd2)[j]`, is `(W1·s1)·Σ` in both).
    pub(super) fn product_by_rows(
        &self,
        n: usize,
        e: &Expr,
        rows: &[IndexId],
    ) -> Option<(TokenStream, TokenStream)> {
        let Expr::Mul(factors) = e else { return None };
        let rows = rows.iter().filter(|&&r| self.samples != Some(r));
        let (row, shared): (Vec<Expr>, Vec<Expr>) = factors
            .iter()
            .cloned()
            .partition(|f| rows.clone().any(|&r| f.mentions(r)));
        if factors.len() < 3 || row.is_empty() || shared.is_empty() {
            return self.product(n, e);
        }
        let product = |mut fs: Vec<Expr>| match fs.len() {
            1 => fs.remove(0),
            _ => Expr::Mul(fs),
        };
        Some((self.expr(n, &product(row)), self.expr(n, &product(shared))))
    }

    /// A product of two factors, `W[…, r, c]·v[…, i]`, as the matrix and the vector it reads
    /// whole, `(&self.w1, x)` or `(&a1_dot, &self.w2[i])`: the matrix at `[r, c]` =
    /// `matrix`, the vector at `i` = `vector`, each an array whose last axes have just those
    /// extents, so that `W[…]` is a whole `[[T; C]; R]` and `v[…]` a whole `[T; I]`; what
    /// comes before (`…`) mentions none of the three. Either factor may come first: a
    /// product's bits do not depend on its order.
    ///
    /// For the kernels that take them whole (`_mlp::dot_rows_of`, `_mlp::axpys_of`: the
    /// closure kernels with the closure written for them), which read as the algebra: `W·x`
    /// rather than a closure of elements.
    pub(super) fn matrix_vector(
        &self,
        term: &Expr,
        matrix: [IndexId; 2],
        vector: IndexId,
    ) -> Option<(TokenStream, TokenStream)> {
        let Expr::Mul(factors) = term else {
            return None;
        };
        let [Expr::Read(a, a_ixs), Expr::Read(b, b_ixs)] = &factors[..] else {
            return None;
        };
        // The operand `t[…]` read at `ixs`, if its last indices are `last` and each is one
        // of the array's axes whole.
        let whole = |t: TensorId, ixs: &[Ix], last: &[IndexId]| {
            let tensor = &self.p.tensors[t];
            let (prefix, tail) = ixs.split_at(ixs.len().checked_sub(last.len())?);
            let axes = &tensor.axes[prefix.len()..];
            let fits = self.array[t]
                && !tensor.symmetric
                && tail.iter().zip(last).all(|(ix, v)| *ix == Ix::Var(*v))
                && axes
                    .iter()
                    .zip(last)
                    .all(|(a, v)| self.p.extent(*a) == self.p.extent(*v))
                && prefix.iter().all(|ix| match ix {
                    Ix::At(_) => true,
                    Ix::Var(v) => !matrix.contains(v) && *v != vector,
                });
            fits.then(|| self.operand(t, prefix))
        };
        let operands = |m: (TensorId, &[Ix]), v: (TensorId, &[Ix])| {
            Some((whole(m.0, m.1, &matrix)?, whole(v.0, v.1, &[vector])?))
        };
        operands((*a, a_ixs), (*b, b_ixs)).or_else(|| operands((*b, b_ixs), (*a, a_ixs)))
    }

    /// The array `t[prefix…]` borrowed whole: `&self.w1`, `x`, `&a1`, `&self.w2[i]`.
    fn operand(&self, t: TensorId, prefix: &[Ix]) -> TokenStream {
        if prefix.is_empty() {
            return self.borrow(t, false);
        }
        let row = self.read(t, prefix);
        quote!(&#row)
    }

    /// One element of a tensor: `net.w1[j][k]`, `x[k]`, `z1_3`, `a1[j]`.
    pub(super) fn read(&self, t: TensorId, ixs: &[Ix]) -> TokenStream {
        if !self.array[t] {
            let at: Vec<usize> = ixs
                .iter()
                .map(|ix| match ix {
                    Ix::At(n) => *n,
                    // Unreachable: a scalar-held tensor is read at literal positions only.
                    Ix::Var(_) => 0,
                })
                .collect();
            return self.scalar_ident(t, &at).into_token_stream();
        }
        let name = self.ident(t);
        let base = match self.p.tensors[t].role {
            Role::Parameter => {
                let receiver = &self.cx.receiver;
                quote!(#receiver.#name)
            }
            Role::Argument | Role::Computed => quote!(#name),
        };
        let ixs = ixs.iter().map(|ix| self.ix(*ix));
        quote!(#base #([#ixs])*)
    }
}

/// How tightly a Rust expression binds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Add,
    Mul,
    Unary,
    Atom,
}
