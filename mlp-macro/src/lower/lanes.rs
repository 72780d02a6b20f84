//! Statements computed along their last axis, innermost: every loop over it is an
//! element-wise vector operation, and every sum an accumulation of whole rows (an axpy),
//! which is how a reverse sweep's `Σ_i W[i,j]·δ[i]` and a batch's samples vectorize.
//!
//! ```text
//! let mut d1: [f64; 20] = [0.0; 20];
//! _mlp::scaled_axpys_of(&mut d1, &s1, &self.w2, &d2);
//! ```
//!
//! That is a sum times an array's element (`δ1 = σ'(z1) ⊙ W2ᵀδ2`), scaled as it is summed;
//! any other function of sums has them accumulated first, then a loop over the lanes
//! (`hvp`'s `d1_dot[j] = c1[j] * z1_dot[j] * accs[0][j] + s1[j] * accs[1][j]`). A matrix of
//! such sums, one per row (a Jacobian's; a batch's, a row per sample), is summed all rows at
//! once (`_mlp::sums_rows`, `_mlp::scaled_sums_rows`, `_mlp::lane_scaled_sums_rows`); a
//! symmetric one, a triangle of rows at a time (`_mlp::sums_symmetric`; a sum of such
//! products, each onto the same triangle: `_mlp::sums_lower`, `_mlp::add_sums_lower`).

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use super::{Lowering, Order, split_flat};
use crate::ir::{Expr, Extent, IndexId, Ix, Program, Role, Stmt, TensorId};
use crate::methods::BLOCK;

/// The runtime's `REGISTER_BLOCKED_TERMS`: past this many terms in a row's sum (lanes times
/// terms), `_mlp::axpys` no longer holds the row's lanes in registers while the terms go by
/// (tied by the test below).
const REGISTER_BLOCKED_TERMS: usize = 4096;

/// Rows few enough to be summed side by side whatever else is done with their sums.
const FEW_ROWS: usize = 4;

/// How many values a block's rows summed at once ([`Lowering::block_rows_fit`]) may hold.
const L1_BLOCK_ROWS: usize = 4096;

/// Sums of one statement over the same weights ([`Lowering::shared_weights`]): their
/// positions, the index summed over, the weights' element (`self.w2[i][j]`), and each
/// sum's vector borrowed whole (`&d2`).
pub(super) struct Shared {
    sums: Vec<usize>,
    v: IndexId,
    weights: TokenStream,
    vectors: Vec<TokenStream>,
}

/// The axis to compute `stmt` along, innermost: its last, if every read in a sum's term
/// that moves with it moves along its own last axis (contiguous memory: the kernels load
/// rows of terms), and no Kronecker delta names it. A read outside the sums may stride
/// (`c1[j]·W1[j,c]·ā1[j]` along `j`): it is read once an element, by a plain loop.
pub(super) fn lane_axis(p: &Program, stmt: &Stmt) -> Option<IndexId> {
    let t = stmt.targets[0];
    let &lane = p.tensors[t].axes.last()?;
    let mut contiguous = true;
    for value in &stmt.values {
        value.visit_reads(&mut |_, ixs, sums| {
            let at = ixs.iter().position(|ix| *ix == Ix::Var(lane));
            contiguous &= sums.is_empty() || at.is_none_or(|at| at + 1 == ixs.len());
        });
        value.walk(&mut |e| {
            if let Expr::Delta(a, b) = e {
                contiguous &= *a != Ix::Var(lane) && *b != Ix::Var(lane);
            }
        });
    }
    contiguous.then_some(lane)
}

impl Lowering<'_> {
    /// `stmt` (one target) by loops, `lane` innermost.
    pub(super) fn lanes(&self, n: usize, stmt: &Stmt, lane: IndexId) -> TokenStream {
        let t = stmt.targets[0];
        let axes = self.p.tensors[t].axes.clone();
        let (name, zeros) = (self.ident(t), self.zeros(&axes));
        let outer = &axes[..axes.len() - 1];
        let lane_var = self.var(lane);
        let vars: Vec<Ident> = outer.iter().map(|&a| self.var(a)).collect();
        // A symmetric tensor's row `k` is computed up to its diagonal only.
        let symmetric = self.p.tensors[t].symmetric && outer.len() == 1;
        let range = match (symmetric, vars.first()) {
            (true, Some(row)) => quote!(0..=#row),
            _ => {
                let count = self.extent(lane);
                quote!(0..#count)
            }
        };

        let value = &stmt.values[0];
        let sums = top_level_sums(value);
        let orders: Vec<Order> = match &self.orders {
            Some(orders) => orders[n].clone(),
            None => vec![Order::Fused; sums.len()],
        };
        if let Some(rows) = self.rows(n, stmt, lane, &sums, &orders) {
            return rows;
        }
        if let Some(pair) = self.transposed_pair(n) {
            return pair;
        }
        // Any other block sums by samples and rows (the tangents of many inputs, a row per
        // sample and direction, whose terms `Self::rows` does not take): no kernel.
        // Summed a sample at a time as the single call sums them, they would share no
        // weights across the samples, and a block's tangents fill more than L1 (the seed's
        // Laplacian so took 7 % longer than its calls, `value_gradient_laplacian` 61 %);
        // and the lanes' loops below might group a term's products otherwise than the
        // single call does.
        if self.blocks && axes.len() > 2 && orders.contains(&Order::Fused) {
            self.declined.set(true);
        }
        let mut body = TokenStream::new();
        let into = quote!(#name #([#vars])*);
        // A value that is a matrix's and a vector's sum times an element of an array along
        // the lanes (`δ1 = σ'(z1) ⊙ W2ᵀδ2`; a Jacobian's row of them) is scaled as it is
        // summed: the sums go straight from registers to their products, not through an
        // array of their own and a loop, in the chain of steps a single call waits on.
        if let (false, [Expr::Sum(v, term)], [Order::Fused]) =
            (symmetric, sums.as_slice(), orders.as_slice())
            && let Some(scale) = self.scale(t, value, &sums[0], &[lane])
            && self.product_by_rows(n, term, outer).is_some()
            && let Some((w, d)) = self.matrix_vector(term, [*v, lane], *v)
        {
            let into = match vars.is_empty() {
                true => self.borrow(t, true),
                false => quote!(&mut #into),
            };
            let body = self.outer_loops(
                outer,
                &vars,
                quote! {
                    _mlp::scaled_axpys_of(#into, #scale, #w, #d);
                },
            );
            let declare = self.declare_written(t, &zeros);
            return quote! {
                #declare
                #body
            };
        }
        // A value that is one sum is accumulated in place.
        let direct = sums.len() == 1 && sums[0] == *value && !symmetric;
        let (scalar, lane_count) = (&self.cx.scalar, self.extent(lane));
        // A sum its single call writes out term by term starts from its first term; in a
        // block kernel, from `-0.0`, the identity of `+` (`-0.0 + t` is `t` to the bit;
        // from `0.0`, terms all `-0.0` would add up to `+0.0`).
        let start = if orders.contains(&Order::Plain) {
            quote!(-0.0)
        } else {
            quote!(0.0)
        };
        let mut computed = Vec::new();
        // Sums over the same weights, one read of them for all (`hvp`'s reverse sweep and
        // its tangent: `Σ_i W2[i,j]·δ2[i]` and `Σ_i W2[i,j]·δ̇2[i]`); in a block kernel,
        // for all its samples too where a row's sum is too large for `_mlp::axpys` to hold
        // its lanes in registers. (For the seed's rows of 20 lanes and 10 terms, the
        // samples' rows side by side made its `hvp_batch` 11–14 % slower on the default
        // target than a sample at a time; for the 64-128-128-1 network's, 29 % faster with
        // AVX-512, where a sample at a time had been 27 % slower than single calls on the
        // default target.)
        let block = self.blocks && outer.len() == 1 && self.samples == Some(outer[0]);
        let shared = if (vars.is_empty() || block) && !symmetric && !direct {
            self.shared_weights(n, &sums, &orders)
        } else {
            None
        }
        .filter(|s| {
            let long = matches!(
                (self.p.extent(lane), self.p.extent(s.v)),
                (Extent::Fixed(lanes), Extent::Fixed(terms)) if lanes * terms > REGISTER_BLOCKED_TERMS
            );
            !block || long
        });
        // What goes before the loop over the samples.
        let mut before = TokenStream::new();
        if let (Some(shared), true) = (&shared, block) {
            before = self.shared_block(t, outer[0], lane, shared, &sums, &mut computed);
        } else if let Some(Shared {
            sums: rows,
            v,
            weights,
            vectors,
        }) = &shared
        {
            let (count, v_var) = (self.extent(*v), self.var(*v));
            let len = Literal::usize_unsuffixed(rows.len());
            // Each row's vector by reference: picked once per row, where an array of their
            // elements would be built for every term (the seed's `hvp` 16 % slower so on
            // the default target, whose rows go one after the other).
            body.extend(quote! {
                let mut accs: [[#scalar; #lane_count]; #len] = [[0.0; #lane_count]; #len];
                let vectors = [#(#vectors),*];
                _mlp::sums_rows::<#scalar, #lane_count, #count, #len>(
                    &mut accs, |r, #v_var, #lane_var| (#weights, vectors[r][#v_var]),
                );
            });
            for (row, &i) in rows.iter().enumerate() {
                let row = Literal::usize_unsuffixed(row);
                computed.push((sums[i].clone(), quote!(accs[#row][#lane_var])));
            }
        }
        // A sum an earlier statement computed with its own (`_mlp::axpys_of_two`).
        let earlier = self.transposed_computed(n);
        for (i, (sum, &order)) in sums.iter().zip(&orders).enumerate() {
            let Expr::Sum(v, term) = sum else { continue };
            if shared.as_ref().is_some_and(|s| s.sums.contains(&i)) {
                continue;
            }
            if let Some((_, acc)) = earlier.as_ref().filter(|(at, _)| *at == i) {
                computed.push((sum.clone(), quote!(#acc[#lane_var])));
                continue;
            }
            let suffix = if i == 0 { String::new() } else { i.to_string() };
            let acc = Ident::new(&format!("acc{suffix}"), Span::call_site());
            let count = self.extent(*v);
            let v_var = self.var(*v);
            let (acc, acc_mut) = match (direct, vars.is_empty()) {
                (true, true) => (into.clone(), self.borrow(t, true)),
                (true, false) => (into.clone(), quote!(&mut #into)),
                (false, _) => {
                    body.extend(
                        quote!(let mut #acc: [#scalar; #lane_count] = [#start; #lane_count];),
                    );
                    (quote!(#acc), quote!(&mut #acc))
                }
            };
            let target = quote!(#acc[#lane_var]);
            let update = match (order, self.product_by_rows(n, term, outer)) {
                // The whole sum a row at a time, in vector registers (`_mlp::axpys`; of a
                // whole matrix's rows, `_mlp::axpys_of`).
                (Order::Fused, Some(_))
                    if !symmetric
                        && let Some((w, d)) = self.matrix_vector(term, [*v, lane], *v) =>
                {
                    quote!(_mlp::axpys_of(#acc_mut, #w, #d);)
                }
                (Order::Fused, Some((a, b))) if !symmetric => quote! {
                    _mlp::axpys::<#scalar, #lane_count, #count>(
                        #acc_mut, |#v_var, #lane_var| (#a, #b),
                    );
                },
                // A symmetric tensor's row, up to its diagonal.
                (Order::Fused, Some((a, b))) => {
                    let row = &vars[0];
                    quote! {
                        _mlp::axpys_prefix::<#scalar, #lane_count, #count>(
                            #acc_mut, #row + 1, |#v_var, #lane_var| (#a, #b),
                        );
                    }
                }
                (Order::Plain, Some((a, b))) => quote! {
                    for #v_var in 0..#count {
                        for #lane_var in #range {
                            #target += #a * #b;
                        }
                    }
                },
                _ => {
                    let term = self.expr(n, term);
                    quote! {
                        for #v_var in 0..#count {
                            for #lane_var in #range {
                                #target += #term;
                            }
                        }
                    }
                }
            };
            body.extend(update);
            computed.push((sum.clone(), quote!(#acc[#lane_var])));
        }
        if !direct {
            *self.computed.borrow_mut() = computed;
            let element = self.expr(n, value);
            self.computed.borrow_mut().clear();
            let write = if symmetric {
                let row = &vars[0];
                quote! {
                    #into[#lane_var] = #element;
                    #name[#lane_var][#row] = #into[#lane_var];
                }
            } else {
                quote!(#into[#lane_var] = #element;)
            };
            body.extend(quote! {
                for #lane_var in #range {
                    #write
                }
            });
        }
        let body = self.outer_loops(outer, &vars, body);
        // Accumulated in place from zero (`-0.0` for sums written out), or written element
        // by element.
        let declare = if direct {
            self.declare(t, &self.filled(&axes, start))
        } else {
            self.declare_written(t, &zeros)
        };
        quote! {
            #declare
            #before
            #body
        }
    }

    /// [`Lowering::lanes`]' sums over shared weights in a block kernel: every sample's, a
    /// row per sample and vector, all at once by `_mlp::sums_rows` (row `k·B + b` for
    /// vector `k` and sample `b`), into an array of their own declared with the block's;
    /// `computed` gets each sum's element (`accs_d1_dot[1][b][j]`).
    ///
    /// ```text
    /// let vectors = [&d2, &d2_dot];
    /// _mlp::sums_rows::<f64, 128, 128, 32>(_mlp::flat_mut(&mut accs_d1_dot), |r, i, j| {
    ///     (self.w2[i][j], vectors[r / 16][r % 16][i])
    /// });
    /// ```
    fn shared_block(
        &self,
        t: TensorId,
        samples: IndexId,
        lane: IndexId,
        shared: &Shared,
        sums: &[Expr],
        computed: &mut Vec<(Expr, TokenStream)>,
    ) -> TokenStream {
        let Shared {
            sums: rows,
            v,
            weights,
            vectors,
        } = shared;
        let (scalar, lanes, count) = (&self.cx.scalar, self.extent(lane), self.extent(*v));
        let (block, samples_var, v_var, lane_var) = (
            self.extent(samples),
            self.var(samples),
            self.var(*v),
            self.var(lane),
        );
        let len = Literal::usize_unsuffixed(rows.len());
        let all = Literal::usize_unsuffixed(rows.len() * self.p.extent(samples).or(0));
        let accs = Ident::new(&format!("accs_{}", self.ident(t)), Span::call_site());
        let ty = quote!([[[#scalar; #lanes]; #block]; #len]);
        self.hoist(&accs, &ty, &quote!([[[0.0; #lanes]; #block]; #len]));
        for (row, &i) in rows.iter().enumerate() {
            let row = Literal::usize_unsuffixed(row);
            computed.push((
                sums[i].clone(),
                quote!(#accs[#row][#samples_var][#lane_var]),
            ));
        }
        quote! {
            let vectors = [#(#vectors),*];
            _mlp::sums_rows::<#scalar, #lanes, #count, #all>(
                _mlp::flat_mut(&mut #accs),
                |r, #v_var, #lane_var| (#weights, vectors[r / #block][r % #block][#v_var]),
            );
        }
    }
}

impl Lowering<'_> {
    /// `body` in a loop over each of the `outer` axes (named `vars`), the first outermost.
    pub(super) fn outer_loops(
        &self,
        outer: &[IndexId],
        vars: &[Ident],
        mut body: TokenStream,
    ) -> TokenStream {
        for (&axis, var) in outer.iter().zip(vars).rev() {
            let range = self.range(axis);
            body = quote!(for #var in #range { #body });
        }
        body
    }

    /// The first sums of statement `n`'s `sums` that multiply the same weights (`W[v,l]`,
    /// over the same index `v`) by different vectors (`δ[v]`, each a whole array), as
    /// multiply-adds, if there are two or more.
    pub(super) fn shared_weights(
        &self,
        n: usize,
        sums: &[Expr],
        orders: &[Order],
    ) -> Option<Shared> {
        // The weights as written, the index summed over (its name, which the weights'
        // tokens use, and its extent), and the vector.
        let key = |i: usize| {
            let Expr::Sum(v, term) = &sums[i] else {
                return None;
            };
            let (weights, _) = self.product(n, term)?;
            let vector = self.vector(&sums[i])?;
            let at = (weights.to_string(), self.var(*v), self.p.extent(*v));
            (orders[i] == Order::Fused).then_some((at, *v, weights, vector))
        };
        let keys: Vec<_> = (0..sums.len()).map(key).collect();
        keys.iter().flatten().find_map(|(at, v, weights, _)| {
            let same: Vec<usize> = (0..sums.len())
                .filter(|&i| keys[i].as_ref().is_some_and(|k| k.0 == *at))
                .collect();
            (same.len() >= 2).then(|| Shared {
                vectors: same
                    .iter()
                    .filter_map(|&i| keys[i].as_ref().map(|k| k.3.clone()))
                    .collect(),
                sums: same,
                v: *v,
                weights: weights.clone(),
            })
        })
    }

    /// The vector of a sum `Σ_v W[v,l]·δ[v]`, borrowed whole (`&d2`), if its last factor
    /// reads an array at the summed index alone.
    fn vector(&self, sum: &Expr) -> Option<TokenStream> {
        let Expr::Sum(v, term) = sum else { return None };
        let Expr::Mul(factors) = &**term else {
            return None;
        };
        match factors.last()? {
            Expr::Read(t, ixs) if ixs[..] == [Ix::Var(*v)] && self.array[*t] => {
                Some(self.borrow(*t, false))
            }
            // A block's, each sample's row.
            Expr::Read(t, ixs)
                if self.array[*t]
                    && self
                        .samples
                        .is_some_and(|b| ixs[..] == [Ix::Var(b), Ix::Var(*v)]) =>
            {
                Some(self.borrow(*t, false))
            }
            _ => None,
        }
    }

    /// A matrix whose every row is one sum of products, and whose elements are functions of
    /// it, by `_mlp::sums_rows`: all rows' sums at once, side by side (in a block kernel, a
    /// row per sample).
    ///
    /// ```text
    /// _mlp::scaled_sums_rows::<f64, 20, 10, 16>(&mut d1, &s1, |b, i, j| (self.w2[i][j], d2[b][i]));
    /// ```
    ///
    /// That is a block's `δ1 = σ'(z1) ⊙ W2ᵀδ2`: each element the sum times the element of
    /// an array at the same place, scaled as the sums leave the registers. Likewise where
    /// the array is one vector along the lanes for every row (a Jacobian's, a row per
    /// output):
    ///
    /// ```text
    /// _mlp::lane_scaled_sums_rows::<f64, 32, 32, 6>(&mut d1, &s1, |r, i, j| (self.w2[i][j], d2[r][i]));
    /// ```
    ///
    /// Any other function of the sums has them summed into a matrix of their own first (in a
    /// block kernel `acc_{name}`, declared with the other arrays before the loop over the
    /// blocks), then a loop over its elements.
    ///
    /// In a block kernel, a statement over the samples, rows and lanes likewise (a
    /// Jacobian's reverse sweeps, a row per output: `δ1[b,r,j] = s1[b,j]·Σ_i W2[i,j]·δ2[b,r,i]`)
    /// where [`Lowering::block_rows_fit`]: every sample's rows at once, `B·R` rows of one
    /// `_mlp::sums_rows`, each weight loaded once for several. Each row's sums are those of
    /// the single call's rows to the bit (its `sums_rows`, `lane_scaled_sums_rows` or
    /// `axpys`, all the same multiply-adds in the same order), and a term's factors are
    /// grouped as there (by the row's axis alone).
    ///
    /// ```text
    /// _mlp::sums_rows::<f64, 32, 32, 96>(_mlp::flat_mut(&mut acc_d1), |at, i, j| {
    ///     let (b, r) = (at / 6, at % 6);
    ///     (self.w2[i][j], d2[b][r][i])
    /// });
    /// for b in _mlp::samples::<16>() { … d1[b][r][j] = s1[b][j] * acc_d1[b][r][j]; … }
    /// ```
    fn rows(
        &self,
        n: usize,
        stmt: &Stmt,
        lane: IndexId,
        sums: &[Expr],
        orders: &[Order],
    ) -> Option<TokenStream> {
        let t = stmt.targets[0];
        let tensor = &self.p.tensors[t];
        if tensor.symmetric && sums.len() > 1 {
            return self.symmetric_sums(n, stmt, sums, orders);
        }
        let (&[.., row, _], [Expr::Sum(v, term)], [Order::Fused]) =
            (tensor.axes.as_slice(), sums, orders)
        else {
            return None;
        };
        let (axes, value) = (tensor.axes.as_slice(), &stmt.values[0]);
        let direct = *value == sums[0];
        // A matrix's scales (below), or a block's rows flattened: `samples` rows of `rows`.
        let ((scale, lane_scale), flat) = match axes {
            [_, _] => (self.row_scales(t, value, &sums[0], row, lane, *v)?, None),
            &[samples, _, _]
                if !tensor.symmetric && self.block_rows_fit(term, samples, row, lane) =>
            {
                ((None, None), Some(self.p.extent(row).or(0)))
            }
            _ => return None,
        };
        let (a, b) = self.product_by_rows(n, term, &[row])?;
        let (name, ty, zeros) = (self.ident(t), self.array_type(t), self.zeros(axes));
        let vars: Vec<Ident> = axes.iter().map(|&axis| self.var(axis)).collect();
        let (row_var, v_var, lane_var) = (self.var(row), self.var(*v), self.var(lane));
        let (count, lanes) = (self.extent(*v), self.extent(lane));
        let scalar = &self.cx.scalar;
        let (rows, term) = match flat {
            None => (
                self.extent(row),
                quote!(|#row_var, #v_var, #lane_var| (#a, #b)),
            ),
            Some(per_row) => {
                let all = Literal::usize_unsuffixed(self.p.extent(axes[0]).or(0) * per_row);
                let (samples_var, split) = (&vars[0], split_flat(per_row));
                (
                    all.into_token_stream(),
                    quote! {
                        |at, #v_var, #lane_var| {
                            let (#samples_var, #row_var) = #split;
                            (#a, #b)
                        }
                    },
                )
            }
        };
        let sum = |acc_mut: TokenStream| match tensor.symmetric {
            // A symmetric matrix: its lower triangle, mirrored.
            true => quote! {
                _mlp::sums_symmetric::<#scalar, #lanes, #count>(#acc_mut, #term);
            },
            false => {
                let acc_mut = match flat {
                    Some(_) => quote!(_mlp::flat_mut(#acc_mut)),
                    None => acc_mut,
                };
                quote!(_mlp::sums_rows::<#scalar, #lanes, #count, #rows>(#acc_mut, #term);)
            }
        };
        let declare = self.declare_written(t, &zeros);
        // A value that is the sum itself is summed in place.
        if direct {
            let sum = sum(self.borrow(t, true));
            return Some(quote! {
                #declare
                #sum
            });
        }
        // A value that is the sum times an element of a matrix of the same shape (`δ1 =
        // σ'(z1) ⊙ Σ`) is scaled as it is summed: the sums go straight from registers to
        // their products, not through a matrix of their own and a loop.
        for (kernel, scale) in [
            ("scaled_sums_rows", scale),
            ("lane_scaled_sums_rows", lane_scale),
        ] {
            let (Some(scale), kernel) = (scale, format_ident!("{kernel}")) else {
                continue;
            };
            let into = self.borrow(t, true);
            return Some(quote! {
                #declare
                _mlp::#kernel::<#scalar, #lanes, #count, #rows>(#into, #scale, #term);
            });
        }
        let (acc, declare_acc) = if self.blocks {
            let acc = Ident::new(&format!("acc_{name}"), Span::call_site());
            self.hoist(&acc, &ty, &zeros);
            (acc, TokenStream::new())
        } else {
            let acc = Ident::new("acc", Span::call_site());
            (acc.clone(), quote!(let mut #acc: #ty = #zeros;))
        };
        let sum = sum(quote!(&mut #acc));
        *self.computed.borrow_mut() = vec![(sums[0].clone(), quote!(#acc #([#vars])*))];
        let element = self.expr(n, value);
        self.computed.borrow_mut().clear();
        let each = self.outer_loops(axes, &vars, quote!(#name #([#vars])* = #element;));
        Some(quote! {
            #declare
            #declare_acc
            #sum
            #each
        })
    }

    /// Whether a matrix's rows pay summed side by side ([`Lowering::rows`]), and if so,
    /// its array of scales, if its value is its sum times an element of an array of its
    /// shape (`δ1 = σ'(z1) ⊙ Σ`); or else along the lanes, the same for every row.
    fn row_scales(
        &self,
        t: TensorId,
        value: &Expr,
        sum: &Expr,
        row: IndexId,
        lane: IndexId,
        v: IndexId,
    ) -> Option<(Option<TokenStream>, Option<TokenStream>)> {
        let symmetric = self.p.tensors[t].symmetric;
        // Where each element is a function of its sum (not the sum itself), the sums wait
        // in a matrix of their own. In a single call, for rows longer than a block of
        // samples, that measured slower than a row at a time (the seed's Hessian: 8.7
        // against 6.1 µs; later, within the noise), unless a row's sum is too large for
        // `axpys` to hold its lanes in registers: then each term loads and stores the whole
        // row, where `sums_rows` holds a few rows' lanes over a block of terms (the wide
        // network's Hessian, whose tangent rows are 64 lanes of 128 terms: 312 → 157 µs,
        // min-of-runs A/B on Zen 3).
        let direct = value == sum;
        if symmetric && !direct {
            return None;
        }
        let short = matches!(self.p.extent(lane), Extent::Fixed(lanes) if lanes <= BLOCK);
        let long = matches!(
            (self.p.extent(lane), self.p.extent(v)),
            (Extent::Fixed(lanes), Extent::Fixed(terms)) if lanes * terms > REGISTER_BLOCKED_TERMS
        );
        // Each row's sums times one vector along the lanes, the same for every row (a
        // Jacobian's `δ1[r] = σ'(z1) ⊙ W2ᵀδ2[r]`, a row per output): side by side, and
        // scaled as they leave the registers. Against a row at a time by
        // `_mlp::scaled_axpys_of`, the 12-32-32-6 network's `jacobian` took −9 to −13 %
        // with AVX-512 (two alignments), −12 % with AVX alone and −1 % on the default
        // target, on a Xeon (`scripts/ab-min.sh`; docs/performance-log.md, "The
        // nineteenth session").
        let lane_scale = match self.p.extent(row) {
            Extent::Fixed(rows) if rows >= 2 && !symmetric => self.scale(t, value, sum, &[lane]),
            _ => None,
        };
        // A few rows (a network of three inputs: its Hessian's `W3ᵀ·δ̇3[c]`, a row per
        // direction) side by side, each weight read once for all of them, whatever is
        // done with the sums: against a row at a time, that network's `hessian` took −5 to
        // −6 % with AVX-512 and −9 % with AVX alone (docs/performance-log.md, "The
        // twenty-first session").
        let few =
            matches!(self.p.extent(row), Extent::Fixed(rows) if (2..=FEW_ROWS).contains(&rows));
        if !direct && !short && !long && !few && lane_scale.is_none() && self.samples != Some(row) {
            return None;
        }
        let scale = match symmetric {
            true => None,
            false => self.scale(t, value, sum, &[row, lane]),
        };
        Some((scale, lane_scale))
    }

    /// Whether a block's statement over the samples, rows and lanes
    /// ([`Lowering::rows`]) may have all its rows summed at once: rows that share every
    /// weight, as many as stay in L1 (32 KiB of `f64`) while the weights stream past: a
    /// Jacobian's reverse sweeps, a row per output (16 × 6 × 32 values for a 12-32-32-6
    /// network). Not a Laplacian's tangents, a row per unit and direction, each reading its
    /// unit's own weights (`W2[i,j]`, rows `[b, i]`): summed so, a 45-33-17-1 network's
    /// `laplacian_batch` took 71 % longer than by single calls, a 30-30-30-1 network's 9 %,
    /// and small networks' (whose tangents fit in L1) 27 % less to 38 % more, in a noisy
    /// hour.
    fn block_rows_fit(&self, term: &Expr, samples: IndexId, row: IndexId, lane: IndexId) -> bool {
        let (Extent::Fixed(block), Extent::Fixed(rows), Extent::Fixed(lanes)) = (
            self.p.extent(samples),
            self.p.extent(row),
            self.p.extent(lane),
        ) else {
            return false;
        };
        let mut shared = true;
        term.visit_reads(&mut |t, ixs, _| {
            shared &= self.p.tensors[t].role != Role::Parameter || !ixs.contains(&Ix::Var(row));
        });
        shared
            && self.blocks
            && self.samples == Some(samples)
            && rows >= 2
            && block * rows * lanes <= L1_BLOCK_ROWS
    }

    /// A symmetric matrix that is a sum of sums of products (a Hessian by each unit's
    /// curvature, `H[k,c] = Σ_j q1[j,k]·W1[j,c] + Σ_i q2[i,k]·ż2[i,c]`): its lower triangle
    /// one sum after the other, each taken as `_mlp::sums_symmetric` takes one (a triangle
    /// of rows side by side), the later ones added onto the first, then mirrored.
    ///
    /// ```text
    /// _mlp::sums_lower::<f64, 32, 64>(&mut *hessian, |k, j, c| (q1[j][k], self.w1[j][c]));
    /// _mlp::add_sums_lower::<f64, 32, 64>(&mut *hessian, |k, i, c| (q2[i][k], z2_dot[i][c]));
    /// _mlp::mirror(&mut *hessian);
    /// ```
    ///
    /// Each entry is its sums' terms multiplied and added one at a time in order, where the
    /// IR adds the sums up: the last bits may differ from a form that sums each apart.
    fn symmetric_sums(
        &self,
        n: usize,
        stmt: &Stmt,
        sums: &[Expr],
        orders: &[Order],
    ) -> Option<TokenStream> {
        let t = stmt.targets[0];
        let &[row, lane] = self.p.tensors[t].axes.as_slice() else {
            return None;
        };
        if stmt.values[0] != Expr::Add(sums.to_vec()) || orders.iter().any(|o| *o != Order::Fused) {
            return None;
        }
        let (scalar, lanes) = (&self.cx.scalar, self.extent(lane));
        let (row_var, lane_var) = (self.var(row), self.var(lane));
        let into = self.borrow(t, true);
        let mut body = self.declare_written(t, &self.zeros(&self.p.tensors[t].axes));
        for (i, sum) in sums.iter().enumerate() {
            let Expr::Sum(v, term) = sum else {
                return None;
            };
            let (a, b) = self.product_by_rows(n, term, &[row])?;
            let (v_var, count) = (self.var(*v), self.extent(*v));
            let kernel = match i {
                0 => quote!(sums_lower),
                _ => quote!(add_sums_lower),
            };
            body.extend(quote! {
                _mlp::#kernel::<#scalar, #lanes, #count>(
                    #into, |#row_var, #v_var, #lane_var| (#a, #b),
                );
            });
        }
        body.extend(quote!(_mlp::mirror(#into);));
        Some(body)
    }

    /// The array `s`, borrowed whole (`&s1`), where `target`'s `value` is `s[axes]·sum`: a
    /// product of two factors, one the sum, the other an array read at the statement's own
    /// indices (`[lane]` or `[row, lane]`), whole.
    pub(super) fn scale(
        &self,
        target: TensorId,
        value: &Expr,
        sum: &Expr,
        axes: &[IndexId],
    ) -> Option<TokenStream> {
        let Expr::Mul(factors) = value else {
            return None;
        };
        let [first, second] = factors.as_slice() else {
            return None;
        };
        let other = match (first == sum, second == sum) {
            (true, false) => second,
            (false, true) => first,
            _ => return None,
        };
        let Expr::Read(s, ixs) = other else {
            return None;
        };
        let tensor = &self.p.tensors[*s];
        // Neither the target nor the result written in place: the call borrows those
        // mutably.
        let whole = self.array[*s]
            && *s != target
            && !self.is_out(*s)
            && !tensor.symmetric
            && ixs.len() == axes.len()
            && tensor.axes.len() == axes.len()
            && ixs.iter().zip(axes).all(|(ix, &v)| *ix == Ix::Var(v))
            && tensor
                .axes
                .iter()
                .zip(axes)
                .all(|(&a, &v)| self.p.extent(a) == self.p.extent(v));
        whole.then(|| self.borrow(*s, false))
    }
}

/// The sums in `e` not inside another sum, each once.
pub(super) fn top_level_sums(e: &Expr) -> Vec<Expr> {
    let mut out: Vec<Expr> = Vec::new();
    fn go(e: &Expr, out: &mut Vec<Expr>) {
        match e {
            Expr::Sum(..) => {
                if !out.contains(e) {
                    out.push(e.clone());
                }
            }
            Expr::Act { arg, .. } => go(arg, out),
            Expr::Add(es) | Expr::Mul(es) => es.iter().for_each(|e| go(e, out)),
            Expr::Num(_) | Expr::Read(..) | Expr::Delta(..) => {}
        }
    }
    go(e, &mut out);
    out
}

#[cfg(test)]
mod tests {
    /// The macro's copies of the runtime's constants: the expansion declares its block
    /// arrays by `BLOCK` and picks `_mlp::sums_rows` past `REGISTER_BLOCKED_TERMS` where the
    /// runtime's `axpys` would stop holding lanes in registers; a change on one side only
    /// would still compile.
    #[test]
    fn copies_of_the_runtime_constants_agree() {
        assert_eq!(super::BLOCK, mlp_runtime::BLOCK);
        assert_eq!(
            super::REGISTER_BLOCKED_TERMS,
            mlp_runtime::REGISTER_BLOCKED_TERMS
        );
    }
}
