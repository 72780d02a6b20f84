//! Statements: each as unrolled `let`s, an array literal (or `from_fn` inside one), or loops.

use proc_macro2::{Delimiter, Group, Ident, Literal, TokenStream, TokenTree};
use quote::quote;

use super::{Lowering, Order, Shape, lanes, positions, split_flat};
use crate::ir::{Expr, Extent, IndexId, Ix, Stmt, TensorId};

impl Lowering<'_> {
    pub(super) fn stmt(&self, n: usize, stmt: &Stmt) -> TokenStream {
        let t = stmt.targets[0];
        let axes = self.p.tensors[t].axes.clone();
        if stmt.targets.len() > 1 {
            return self.fused(n, stmt, &axes);
        }
        // An activation's value or slope of a whole tensor, a row at a time.
        if let Expr::Act {
            layer,
            order: order @ (0 | 1),
            arg,
        } = &stmt.values[0]
        {
            let method = if *order == 0 {
                quote!(value_row)
            } else {
                quote!(derivative_row)
            };
            if let Some(rows) = self.activation_rows(*layer, method, arg, &[t], &axes) {
                return rows;
            }
        }
        let symmetric = self.p.tensors[t].symmetric && axes.len() == 2;
        // A block's symmetric tensor (a Hessian per sample, `[b, k, c]`): each sample's
        // triangle by the single call's sums, mirrored; unless the single call summed it
        // along its lanes (`_mlp::sums_lower`, …), whose order no loop here has.
        if self.blocks && self.p.tensors[t].symmetric {
            if self.sums_in(n, Order::Fused) || !self.array[t] {
                self.declined.set(true);
                return TokenStream::new();
            }
            return self.symmetric_loops(n, stmt, &axes);
        }
        if let Some(block) = self.dot_block(n, stmt) {
            return block;
        }
        if let Some(lane) = self.along_lanes(n, stmt) {
            return self.lanes(n, stmt, lane);
        }
        if symmetric && self.array[t] {
            return self.symmetric_loops(n, stmt, &axes);
        }
        if !self.array[t] {
            // One `let` per element, on and below the diagonal if symmetric.
            let mut out = TokenStream::new();
            for at in positions(self.p, &axes) {
                if symmetric && at[1] > at[0] {
                    continue;
                }
                let name = self.scalar_ident(t, &at);
                let value = self.specialize(&stmt.values[0], &axes, &at);
                let value = self.expr(n, &value);
                out.extend(quote!(let #name = #value;));
            }
            return out;
        }
        if let Some(rows) = self.dot_rows(n, stmt, &axes) {
            return rows;
        }
        let name = self.ident(t);
        if axes.is_empty() && !self.is_out(t) && !self.blocks {
            // A scalar is its value: no zero to assign over.
            let (ty, value) = (self.array_type(t), self.expr(n, &stmt.values[0]));
            return quote!(let #name: #ty = #value;);
        }
        if !axes.iter().any(|&a| self.free_literal(n, a)) {
            // `for` loops rather than `from_fn`, whose closure the compiler may leave a
            // call per element.
            let declare = self.declare_written(t, &self.zeros(&axes));
            let vars: Vec<Ident> = axes.iter().map(|&v| self.var(v)).collect();
            // A sum an earlier statement computed with its own product by the matrix.
            if self.partnered(n)
                && let Some((products, sum)) = self.inner_products(n)
            {
                let (acc, row) = (self.paired_sums(n), self.var(products.row));
                *self.computed.borrow_mut() = vec![(sum, quote!(#acc[#row]))];
            }
            let value = self.expr(n, &stmt.values[0]);
            self.computed.borrow_mut().clear();
            let body = self.looped(&axes, quote!(#name #([#vars])* = #value;));
            return quote! {
                #declare
                #body
            };
        }
        let ty = self.array_type(t);
        let value = self.array(n, &stmt.values[0], &axes, &mut Vec::new());
        quote!(let #name: #ty = #value;)
    }

    /// The axis statement `n` is looped along, innermost ([`Lowering::lanes`]), if it is:
    /// its last, where memory allows; in a block kernel, unless the single call adds up a
    /// sum in lanes (element by element, as it does).
    pub(super) fn along_lanes(&self, n: usize, stmt: &Stmt) -> Option<IndexId> {
        (self.shape[n] == Shape::Loops && !self.sums_in(n, Order::Lanes))
            .then(|| lanes::lane_axis(self.p, stmt))
            .flatten()
    }

    /// Statement `n` as [`Lowering::dot_rows`] writes it with `_mlp::dot_rows_of`: of one
    /// vector, or of a vector per direction (a matrix of products stored a direction to a
    /// row, `ż2[c,i] = Σ_j W2[i,j]·ȧ1[c,j]`).
    fn products_of(&self, n: usize) -> Option<Products> {
        let stmt = &self.p.stmts[n];
        let t = stmt.targets[0];
        let (1, axes, true, false) = (
            stmt.targets.len(),
            self.p.tensors[t].axes.as_slice(),
            self.array[t],
            self.blocks,
        ) else {
            return None;
        };
        let (directions, row) = match *axes {
            [row] => (None, row),
            [c, row] if !self.p.tensors[t].symmetric => match self.p.extent(c) {
                Extent::Fixed(count) if !self.free_literal(n, c) => (Some((c, count)), row),
                _ => return None,
            },
            _ => return None,
        };
        // What `stmt` tries before `dot_rows`: an activation's row, and loops along lanes.
        if matches!(stmt.values[0], Expr::Act { .. }) || self.along_lanes(n, stmt).is_some() {
            return None;
        }
        let [Expr::Sum(v, term)] = &lanes::top_level_sums(&stmt.values[0])[..] else {
            return None;
        };
        if self.free_literal(n, row) || self.sum_literal(n, *v) {
            return None;
        }
        let (w, x) = self.matrix_vector(term, [row, *v], *v)?;
        let Expr::Mul(factors) = &**term else {
            return None;
        };
        let read = directions.map_or(vec![Ix::Var(*v)], |(c, _)| vec![Ix::Var(c), Ix::Var(*v)]);
        let vector = factors.iter().find_map(|f| match f {
            Expr::Read(t, ixs) if *ixs == read => Some(*t),
            _ => None,
        })?;
        let last = match directions {
            Some((c, count)) => {
                let last = Literal::usize_unsuffixed(count.checked_sub(1)?);
                at_index(x.clone(), &self.var(c), &quote!(#last))
            }
            None => x.clone(),
        };
        Some(Products {
            row,
            v: *v,
            directions,
            w,
            x,
            last,
            vector,
        })
    }

    /// A matrix's product by a vector among the other sums of a vector's statement written
    /// element by element (`Σä2[i] = c2[i]·Σ_c ż2[c,i]·ż2[c,i] + s2[i]·Σ_j W2[i,j]·Σä1[j]`),
    /// which an earlier statement's `_mlp::dot_rows_of_pair` or `_three` may compute for it
    /// in place of a dot product per element; and that sum.
    fn inner_products(&self, n: usize) -> Option<(Products, Expr)> {
        let stmt = &self.p.stmts[n];
        let t = stmt.targets[0];
        let tensor = &self.p.tensors[t];
        let (1, &[row], true, false, None) = (
            stmt.targets.len(),
            tensor.axes.as_slice(),
            self.array[t],
            self.blocks,
            &self.orders,
        ) else {
            return None;
        };
        // What `stmt` tries before its loop: an activation's row, loops along lanes, and
        // `dot_rows` (one sum).
        let sums = lanes::top_level_sums(&stmt.values[0]);
        let elsewhere = matches!(stmt.values[0], Expr::Act { .. })
            || self.along_lanes(n, stmt).is_some()
            || self.is_out(t)
            || tensor.symmetric
            || self.free_literal(n, row)
            || sums.len() < 2;
        if elsewhere {
            return None;
        }
        let mut found = sums.into_iter().filter_map(|sum| {
            let Expr::Sum(v, term) = &sum else {
                return None;
            };
            let Expr::Mul(factors) = &**term else {
                return None;
            };
            if self.sum_literal(n, *v) {
                return None;
            }
            let (w, x) = self.matrix_vector(term, [row, *v], *v)?;
            let vector = factors.iter().find_map(|f| match f {
                Expr::Read(t, ixs) if ixs[..] == [Ix::Var(*v)] => Some(*t),
                _ => None,
            })?;
            let products = Products {
                row,
                v: *v,
                directions: None,
                w,
                last: x.clone(),
                x,
                vector,
            };
            Some((products, sum.clone()))
        });
        let one = found.next()?;
        found.next().is_none().then_some(one)
    }

    /// Whether statement `m` takes sums an earlier statement computed ([`Lowering::pairs`]).
    pub(super) fn partnered(&self, m: usize) -> bool {
        self.pairs.borrow().iter().any(|p| p.contains(&m))
    }

    /// The product statement `m` takes from an earlier statement: its whole value's, or
    /// one sum's among others.
    fn partner(&self, m: usize) -> Option<Products> {
        self.products_of(m)
            .or_else(|| self.inner_products(m).map(|(products, _)| products))
    }

    /// For each statement written `_mlp::dot_rows_of(w, x)`, the first later one written
    /// `_mlp::dot_rows_of(w, v)` with the same `w` and a `v` known there: an argument, computed
    /// before, or computed by statements that can move up to just before it (all they read
    /// known there), or a matrix of such products a direction to a row with an odd count of
    /// directions (its last one). The first computes both (`_mlp::dot_rows_of_two`, or
    /// `_mlp::dot_rows_of_pair` for a tangent), reading `w` once:
    /// `hvp`'s `W1·x` and `W1·v`, then `W2·a1` and `W2·ȧ1` once `ȧ1 = s1·W1·v` moves up.
    /// A partner may also be a product among a statement's other sums
    /// ([`Lowering::inner_products`]), and a statement may take two partners
    /// (`_mlp::dot_rows_of_three`: a Laplacian's `W2·a1`, `W2·ȧ1[2]` and `W2·Σä1`).
    /// Likewise for a statement written `_mlp::axpys_of(acc, w, d)` and a later sum `Wᵀ·e`
    /// in another's value ([`super::transposed`]: `hvp`'s `ā2 = W3ᵀ·δ3` and `W3ᵀ·δ̇3`).
    /// Returns the pairs and the order to write the statements in.
    pub(super) fn pairs(&self) -> (Vec<Vec<usize>>, Vec<usize>) {
        let count = self.p.stmts.len();
        // A partner with directions lends its last one, left over from its own pairs.
        let ops: Vec<_> = (0..count)
            .map(|n| {
                self.products_of(n)
                    .filter(|p| p.directions.is_none_or(|(_, count)| count % 2 == 1))
            })
            .collect();
        let inner: Vec<_> = (0..count)
            .map(|n| self.inner_products(n).map(|(products, _)| products))
            .collect();
        let candidate = |m: usize| ops[m].as_ref().or(inner[m].as_ref());
        let transposed: Vec<_> = (0..count).map(|n| self.transposed_of(n)).collect();
        // A tensor's one writer (none for an argument or a weight); a tensor written twice
        // (none is, today) pins its statements where they are.
        let writers = |t: TensorId| {
            self.p
                .stmts
                .iter()
                .filter(|s| s.targets.contains(&t))
                .count()
        };
        let writer = |t: TensorId| self.p.stmts.iter().position(|s| s.targets.contains(&t));
        let reads = |n: usize| {
            let mut reads = Vec::new();
            for value in &self.p.stmts[n].values {
                value.walk(&mut |e| {
                    if let Expr::Read(t, _) = e {
                        reads.push(*t);
                    }
                });
            }
            reads
        };
        let at = |order: &[usize], s: usize| order.iter().position(|&o| o == s);
        let (mut pairs, mut taken) = (vec![Vec::new(); count], vec![false; count]);
        let mut order: Vec<usize> = (0..count).collect();
        let mut n_at = 0;
        while n_at < order.len() {
            let n = order[n_at];
            n_at += 1;
            if taken[n] {
                continue;
            }
            // The statements that must move before `n` for `m`'s vector to be known there:
            // its writer and, in turn, theirs, each after `n` and before `m`.
            let moving = |m: usize, vector: TensorId| {
                let (mut moving, mut wanted) = (Vec::new(), vec![vector]);
                while let Some(t) = wanted.pop() {
                    let Some(d) = writer(t) else { continue };
                    let (d_at, m_at) = (at(&order, d)?, at(&order, m)?);
                    if d == n || d_at >= m_at || writers(t) > 1 {
                        return None;
                    }
                    // Before `n` (at `n_at - 1`) already, or on the list.
                    if d_at + 1 < n_at || moving.contains(&d) {
                        continue;
                    }
                    moving.push(d);
                    wanted.extend(reads(d));
                }
                Some(moving)
            };
            let later = &order[n_at..];
            let partner = match (&ops[n], &transposed[n]) {
                (
                    Some(Products {
                        row,
                        w,
                        last: x,
                        directions: None,
                        ..
                    }),
                    _,
                ) if matches!(self.p.extent(*row), Extent::Fixed(_)) && pairs[n].len() < 2 => {
                    // Its own vector and its partners' so far: each partner brings another.
                    let mut vectors = vec![x.to_string()];
                    vectors.extend(
                        pairs[n]
                            .iter()
                            .filter_map(|&m| candidate(m).map(|partner| partner.last.to_string())),
                    );
                    later.iter().find_map(|&m| {
                        let partner = candidate(m)?;
                        let same = partner.w.to_string() == w.to_string()
                            && !vectors.contains(&partner.last.to_string());
                        (!taken[m] && same)
                            .then(|| moving(m, partner.vector))
                            .flatten()
                            .map(|d| (m, d))
                    })
                }
                // A reverse sweep's product and a later statement's sum by the same matrix.
                (_, Some(own)) if pairs[n].is_empty() => later.iter().find_map(|&m| {
                    let partner = self.transposed_partner(own, m)?;
                    (!taken[m])
                        .then(|| moving(m, partner.vector))
                        .flatten()
                        .map(|d| (m, d))
                }),
                _ => continue,
            };
            let Some((m, mut moving)) = partner else {
                continue;
            };
            // Up, just before `n`, in the order they had.
            moving.sort_by_key(|&d| at(&order, d));
            order.retain(|s| !moving.contains(s));
            let n_now = at(&order, n).unwrap_or(0);
            order.splice(n_now..n_now, moving.iter().copied());
            n_at = n_now + moving.len() + 1;
            pairs[n].push(m);
            taken[m] = true;
            // A product by rows may take a second partner (`_mlp::dot_rows_of_three`).
            if ops[n].is_some() {
                n_at -= 1;
            }
        }
        // Every statement still after the writers of what it reads (checked wherever the
        // macro is built with debug assertions: the tests' expansions).
        debug_assert!(
            order.iter().enumerate().all(|(at, &s)| {
                reads(s)
                    .into_iter()
                    .all(|t| writer(t).is_none_or(|d| d == s || order[..at].contains(&d)))
            }),
            "a statement moved above one it reads"
        );
        (pairs, order)
    }

    /// The sums statement `m` takes from an earlier statement's `_mlp::dot_rows_of_two` (or
    /// `_pair`).
    pub(super) fn paired_sums(&self, m: usize) -> Ident {
        let name = self.ident(self.p.stmts[m].targets[0]);
        Ident::new(&format!("acc_{name}"), name.span())
    }

    /// A layer's pre-activations, `z[j] = Σ_k W[j,k]·a[k] + b[j]` in a loop over `j`: the
    /// sum of every row at once (`_mlp::dot_rows`, each row's bits its `_mlp::dot`'s; of a
    /// whole matrix and vector, `_mlp::dot_rows_of`), then the rest of the value per row.
    /// A matrix of them, `ż2[c,i] = Σ_j W2[i,j]·ȧ1[c,j]` (tangents stored by
    /// [`crate::passes::layout`] a direction to a row), a row at a time.
    fn dot_rows(&self, n: usize, stmt: &Stmt, axes: &[IndexId]) -> Option<TokenStream> {
        let (&[ref outer @ .., row], true) = (axes, self.array[stmt.targets[0]]) else {
            return None;
        };
        let value = &stmt.values[0];
        let [sum @ Expr::Sum(v, term)] = &lanes::top_level_sums(value)[..] else {
            return None;
        };
        if self.free_literal(n, row)
            || self.sum_literal(n, *v)
            || outer.iter().any(|&a| self.free_literal(n, a))
        {
            return None;
        }
        // In a block kernel, only where the single call adds the sums in lanes too.
        let lanes = |orders: &Vec<Vec<Order>>| orders[n] == [Order::Lanes];
        if !self.orders.as_ref().is_none_or(lanes) {
            return None;
        }
        if !outer.is_empty() {
            if let Some(products) = self.products_of(n).filter(|p| p.directions.is_some()) {
                return self.direction_pairs(n, stmt, &products, sum);
            }
            let (w, x) = self.matrix_vector(term, [row, *v], *v)?;
            let (scalar, rows) = (&self.cx.scalar, self.extent(row));
            let sums = quote!(let acc: [#scalar; #rows] = _mlp::dot_rows_of(#w, #x););
            return self.rows_then(n, stmt, outer, row, sum, sums);
        }
        let (scalar, rows) = (&self.cx.scalar, self.extent(row));
        let pairs = self.pairs.borrow();
        let from_earlier = self.partnered(n);
        let sums = match (
            self.matrix_vector(term, [row, *v], *v),
            pairs.get(n).map_or(&[][..], Vec::as_slice),
        ) {
            // Computed with an earlier statement's; where they are the value itself
            // (`jvp`'s `ż2 = W2·ȧ1`), bound, not copied.
            _ if from_earlier && *value == *sum => {
                let (t, sums) = (stmt.targets[0], self.paired_sums(n));
                let name = self.ident(t);
                if self.is_out(t) {
                    return Some(quote!(*#name = #sums;));
                }
                let ty = self.array_type(t);
                return Some(quote!(let #name: #ty = #sums;));
            }
            _ if from_earlier => {
                let sums = self.paired_sums(n);
                quote!(#sums)
            }
            // This one's and two later statements', one read of `w` for all three.
            (Some((w, x)), &[m, m2]) => {
                let (u, v) = (self.partner(m)?.last, self.partner(m2)?.last);
                let (later, later2) = (self.paired_sums(m), self.paired_sums(m2));
                return self.rows_then(
                    n,
                    stmt,
                    &[],
                    row,
                    sum,
                    quote! {
                        let (acc, #later, #later2) = _mlp::dot_rows_of_three(#w, #x, #u, #v);
                    },
                );
            }
            // This one's and a later statement's, one read of `w` for both.
            (Some((w, x)), &[m]) => {
                let partner = self.partner(m)?;
                let v_m = &partner.last;
                // A tangent's product as the other products of its matrix of tangents; a
                // sum among others as well (a product at a time without AVX).
                let kernel = match (partner.directions, self.products_of(m)) {
                    (None, Some(_)) => quote!(dot_rows_of_two),
                    _ => quote!(dot_rows_of_pair),
                };
                let (later, count) = (self.paired_sums(m), self.extent(*v));
                let Extent::Fixed(r) = self.p.extent(row) else {
                    return None;
                };
                let both = Literal::usize_unsuffixed(2 * r);
                return self.rows_then(n, stmt, &[], row, sum, quote! {
                    let (acc, #later) = _mlp::#kernel::<#scalar, #count, #rows, #both>(#w, #x, #v_m);
                });
            }
            (Some((w, x)), _) => quote!(_mlp::dot_rows_of(#w, #x)),
            (None, _) => {
                let ((a, b), count) = (self.product(n, term)?, self.extent(*v));
                let (v_param, row_param) = (self.param(*v, term), self.param(row, term));
                quote!(_mlp::dot_rows::<#scalar, #count, #rows>(|#row_param, #v_param| (#a, #b)))
            }
        };
        self.rows_then(
            n,
            stmt,
            &[],
            row,
            sum,
            quote!(let acc: [#scalar; #rows] = #sums;),
        )
    }

    /// `sums` (which binds `acc`), then statement `n`'s value for each row, `acc[row]` for
    /// its `sum`; inside loops over the `outer` axes, if any.
    fn rows_then(
        &self,
        n: usize,
        stmt: &Stmt,
        outer: &[IndexId],
        row: IndexId,
        sum: &Expr,
        sums: TokenStream,
    ) -> Option<TokenStream> {
        let t = stmt.targets[0];
        let declare = self.declare_written(t, &self.zeros(&self.p.tensors[t].axes));
        let each = self.each_row(n, stmt, outer, row, sum);
        Some(match outer {
            [] => quote! {
                #sums
                #declare
                #each
            },
            _ => {
                let body = self.looped(outer, quote!(#sums #each));
                quote! {
                    #declare
                    #body
                }
            }
        })
    }

    /// `for i in 0..rows { t[…][i] = value; }`: statement `n`'s value for each row, `acc[i]`
    /// for its `sum`, inside whatever binds the `outer` axes.
    fn each_row(
        &self,
        n: usize,
        stmt: &Stmt,
        outer: &[IndexId],
        row: IndexId,
        sum: &Expr,
    ) -> TokenStream {
        let (row_var, rows) = (self.var(row), self.extent(row));
        let name = self.ident(stmt.targets[0]);
        *self.computed.borrow_mut() = vec![(sum.clone(), quote!(acc[#row_var]))];
        let value = self.expr(n, &stmt.values[0]);
        self.computed.borrow_mut().clear();
        let vars: Vec<Ident> = outer.iter().map(|&a| self.var(a)).collect();
        quote! {
            for #row_var in 0..#rows {
                #name #([#vars])* [#row_var] = #value;
            }
        }
    }

    /// A matrix of products by one matrix, a direction to a row (`ż2[c,i] = Σ_j
    /// W2[i,j]·ȧ1[c,j]`), two directions at a time: `_mlp::dot_rows_of_pair`, each row of
    /// `w` loaded once for both where the target has AVX and FMA (each product's bits its
    /// own `_mlp::dot_rows_of`'s). An odd one out comes from an earlier statement's
    /// product by the same matrix where [`Lowering::pairs`] found one (`z2 = W2·a1`), else
    /// alone. A 64 × 64 matrix fills
    /// Zen 4's L1 by itself, and each product read it from L2 anew: the 3-64-64-64-1
    /// network's `value_gradient_laplacian`, its four products by `W2` and four by `W3` two
    /// at a time, 2.50 µs against 2.90 (a scratch copy; docs/performance-log.md, "The
    /// thirty-eighth session").
    ///
    /// ```text
    /// for c in (0..2).step_by(2) {
    ///     let (acc, acc_next) = _mlp::dot_rows_of_pair::<f64, 64, 64, 128>(&self.w2, &a1_dot[c], &a1_dot[c + 1]);
    ///     for i in 0..64 { z2_dot[c][i] = acc[i]; }
    ///     let (c, acc) = (c + 1, acc_next);
    ///     for i in 0..64 { z2_dot[c][i] = acc[i]; }
    /// }
    /// {
    ///     let (c, acc) = (2, acc_z2_dot);
    ///     for i in 0..64 { z2_dot[c][i] = acc[i]; }
    /// }
    /// ```
    fn direction_pairs(
        &self,
        n: usize,
        stmt: &Stmt,
        products: &Products,
        sum: &Expr,
    ) -> Option<TokenStream> {
        let (Some((dir, count)), Extent::Fixed(r)) =
            (products.directions, self.p.extent(products.row))
        else {
            return None;
        };
        let (scalar, rows, len) = (
            &self.cx.scalar,
            self.extent(products.row),
            self.extent(products.v),
        );
        let (c, w) = (self.var(dir), &products.w);
        let t = stmt.targets[0];
        let mut out = self.declare_written(t, &self.zeros(&self.p.tensors[t].axes));
        let each = self.each_row(n, stmt, &[dir], products.row, sum);
        let (x, x_next) = (
            &products.x,
            at_index(products.x.clone(), &c, &quote!(#c + 1)),
        );
        if count >= 2 {
            let (both, paired) = (
                Literal::usize_unsuffixed(2 * r),
                Literal::usize_unsuffixed(count / 2 * 2),
            );
            out.extend(quote! {
                for #c in (0..#paired).step_by(2) {
                    let (acc, acc_next) = _mlp::dot_rows_of_pair::<#scalar, #len, #rows, #both>(#w, #x, #x_next);
                    #each
                    let (#c, acc) = (#c + 1, acc_next);
                    #each
                }
            });
        }
        if count % 2 == 1 {
            let last = Literal::usize_unsuffixed(count - 1);
            let sums = if self.partnered(n) {
                let sums = self.paired_sums(n);
                quote!(#sums)
            } else {
                let x_last = &products.last;
                quote!(_mlp::dot_rows_of(#w, #x_last))
            };
            out.extend(quote! {
                {
                    let (#c, acc) = (#last, #sums);
                    #each
                }
            });
        }
        Some(out)
    }

    /// A layer's pre-activations for a block of samples, `z[b][j] = Σ_k W[j,k]·a[b][k] +
    /// …`, added up as single calls add them: the whole matrix product at once
    /// (`_mlp::dot_block`, which tiles rows and samples where that pays), then the rest of
    /// each element.
    ///
    /// ```text
    /// let mut z2: _mlp::Aligned<[[f64; 128]; 16]> = …; // before the loop over blocks
    /// _mlp::dot_block::<f64, 128, 16, 128>(
    ///     &self.w2, &a1, |b, i, sum| z2[b][i] = sum + self.b2[i],
    /// );
    /// ```
    ///
    /// Likewise a block's tangents, a row per sample and direction (`ż2[b,c,i] = Σ_j
    /// W2[i,j]·ȧ1[b,c,j]`, few inputs: [`crate::passes::layout`]): all rows of all samples
    /// at once, each weight loaded once for several of them, where the single call takes
    /// each direction's row by `_mlp::dot_rows_of`.
    ///
    /// ```text
    /// _mlp::dot_block::<f64, 64, 48, 64>(&self.w2, _mlp::flat(&a1_dot), |at, i, sum| {
    ///     let (b, c) = (at / 3, at % 3);
    ///     z2_dot[b][c][i] = sum;
    /// });
    /// ```
    fn dot_block(&self, n: usize, stmt: &Stmt) -> Option<TokenStream> {
        let t = stmt.targets[0];
        let tensor = &self.p.tensors[t];
        let orders = self.orders.as_ref()?;
        let ([samples, within @ .., row], false, [Order::Lanes]) = (
            tensor.axes.as_slice(),
            tensor.symmetric,
            orders[n].as_slice(),
        ) else {
            return None;
        };
        let [sum @ Expr::Sum(v, term)] = &lanes::top_level_sums(&stmt.values[0])[..] else {
            return None;
        };
        // Both factors whole: a matrix read at `[row, v]`, the samples' rows at `[samples,
        // (direction,) v]`.
        let Expr::Mul(factors) = &**term else {
            return None;
        };
        let [Expr::Read(w, w_ixs), Expr::Read(x, x_ixs)] = factors.as_slice() else {
            return None;
        };
        let whole = |t: TensorId, ixs: &[Ix], axes: &[IndexId]| {
            let declared = &self.p.tensors[t].axes;
            self.array[t]
                && ixs.len() == axes.len()
                && ixs.iter().zip(axes).all(|(ix, &a)| *ix == Ix::Var(a))
                && declared.len() == axes.len()
                && declared
                    .iter()
                    .zip(axes)
                    .all(|(&d, &a)| self.p.extent(d) == self.p.extent(a))
        };
        let x_axes: Vec<IndexId> = [*samples]
            .iter()
            .chain(within)
            .chain([v])
            .copied()
            .collect();
        if self.samples != Some(*samples)
            || !whole(*w, w_ixs, &[*row, *v])
            || !whole(*x, x_ixs, &x_axes)
        {
            return None;
        }
        // With directions, their count and the block's rows, `B·C`.
        let directions = match within {
            [] => None,
            [direction] => match (self.p.extent(*samples), self.p.extent(*direction)) {
                (Extent::Fixed(block), Extent::Fixed(count)) => {
                    Some((*direction, count, block * count))
                }
                _ => return None,
            },
            _ => return None,
        };
        let (w, x) = (self.borrow(*w, false), self.borrow(*x, false));
        let name = self.ident(t);
        let declare = self.declare_written(t, &self.zeros(&tensor.axes));
        let (samples_var, row_var) = (self.var(*samples), self.var(*row));
        let (count, rows) = (self.extent(*v), self.extent(*row));
        let scalar = &self.cx.scalar;
        *self.computed.borrow_mut() = vec![(sum.clone(), quote!(sum))];
        let element = self.expr(n, &stmt.values[0]);
        self.computed.borrow_mut().clear();
        let Some((direction, per, all)) = directions else {
            let block = self.extent(*samples);
            return Some(quote! {
                #declare
                _mlp::dot_block::<#scalar, #count, #block, #rows>(
                    #w, #x, |#samples_var, #row_var, sum| #name[#samples_var][#row_var] = #element,
                );
            });
        };
        // Each sample's directions are rows as well: `x[b][c]` is row `b·C + c`.
        let (split, all) = (split_flat(per), Literal::usize_unsuffixed(all));
        let direction_var = self.var(direction);
        Some(quote! {
            #declare
            _mlp::dot_block::<#scalar, #count, #all, #rows>(#w, _mlp::flat(#x), |at, #row_var, sum| {
                let (#samples_var, #direction_var) = #split;
                #name[#samples_var][#direction_var][#row_var] = #element;
            });
        })
    }

    /// `body` inside a `for` loop over each of `axes`, the first outermost.
    fn looped(&self, axes: &[IndexId], mut body: TokenStream) -> TokenStream {
        for &axis in axes.iter().rev() {
            let (var, range) = (self.var(axis), self.range(axis));
            body = quote!(for #var in #range { #body });
        }
        body
    }

    /// The array literal or `from_fn` filling a tensor over `axes[bound.len()..]`.
    pub(super) fn array(
        &self,
        n: usize,
        value: &Expr,
        axes: &[IndexId],
        bound: &mut Vec<Ix>,
    ) -> TokenStream {
        let Some(&axis) = axes.get(bound.len()) else {
            let value = self.specialize_ixs(value, axes, bound);
            return self.expr(n, &value);
        };
        if let (true, Extent::Fixed(count)) = (self.free_literal(n, axis), self.p.extent(axis)) {
            let elements = (0..count).map(|at| {
                bound.push(Ix::At(at));
                let element = self.array(n, value, axes, bound);
                bound.pop();
                element
            });
            quote!([#(#elements),*])
        } else {
            bound.push(Ix::Var(axis));
            let body = self.array(n, value, axes, bound);
            bound.pop();
            let param = self.param(axis, value);
            quote!(_mlp::from_fn(|#param| #body))
        }
    }

    /// A symmetric tensor in an array: its lower triangle computed, each entry mirrored (in a
    /// block kernel, each sample's: the tensor symmetric in its last two axes).
    pub(super) fn symmetric_loops(&self, n: usize, stmt: &Stmt, axes: &[IndexId]) -> TokenStream {
        let t = stmt.targets[0];
        let (name, declare) = (self.ident(t), self.declare_written(t, &self.zeros(axes)));
        let (outer, square) = axes.split_at(axes.len() - 2);
        let outer_vars: Vec<Ident> = outer.iter().map(|&a| self.var(a)).collect();
        let (row, column) = (self.var(square[0]), self.var(square[1]));
        let count = self.extent(square[0]);
        let value = self.expr(n, &stmt.values[0]);
        let at = quote!(#name #([#outer_vars])*);
        let triangle = quote! {
            for #row in 0..#count {
                for #column in 0..=#row {
                    #at[#row][#column] = #value;
                    #at[#column][#row] = #at[#row][#column];
                }
            }
        };
        let body = self.outer_loops(outer, &outer_vars, triangle);
        quote! {
            #declare
            #body
        }
    }

    /// `targets` = an activation's `method` (`value_row`, …) of a whole tensor `arg`, element
    /// for element, called a row at a time (an activation may compute rows in vectors of its
    /// own): `_mlp::Tanh::value_row(&z1[j], &mut a1[j])`.
    fn activation_rows(
        &self,
        layer: usize,
        method: TokenStream,
        arg: &Expr,
        targets: &[TensorId],
        axes: &[IndexId],
    ) -> Option<TokenStream> {
        let Expr::Read(z, ixs) = arg else { return None };
        let vars: Vec<Ident> = axes.iter().map(|&v| self.var(v)).collect();
        let (_, outer) = vars.split_last()?;
        // In arrays, and element for element (`z1[j][b]` into `a1[j][b]`).
        let whole = self.array[*z]
            && targets.iter().all(|&t| self.array[t])
            && ixs.iter().copied().eq(axes.iter().map(|&v| Ix::Var(v)));
        if !whole {
            return None;
        }
        let zero = self.zeros(axes);
        let mut out = TokenStream::new();
        for &t in targets {
            out.extend(self.declare_written(t, &zero));
        }
        // A matrix of fixed size (a block's layer) at once, as one row: no row's last few
        // values left over from the activation's vectors.
        let extents: Option<Vec<usize>> = axes
            .iter()
            .map(|&a| match self.p.extent(a) {
                Extent::Fixed(n) => Some(n),
                Extent::Input => None,
            })
            .collect();
        if let (Some(extents), [_, _]) = (extents, axes) {
            let len = Literal::usize_unsuffixed(extents.iter().product());
            let z = self.borrow(*z, false);
            let targets = targets.iter().map(|&t| self.borrow(t, true));
            let call = self.cx.call(
                layer,
                quote!(#method::<#len>),
                quote!(_mlp::flat(#z), #(_mlp::flat_mut(#targets)),*),
            );
            out.extend(quote!(#call;));
            return Some(out);
        }
        let mut rows = vec![match outer {
            [] => self.borrow(*z, false),
            _ => {
                let z = self.read(*z, &ixs[..outer.len()]);
                quote!(&#z)
            }
        }];
        for &t in targets {
            let name = self.ident(t);
            rows.push(match outer {
                [] => self.borrow(t, true),
                _ => quote!(&mut #name #([#outer])*),
            });
        }
        let call = self.cx.call(layer, method, quote!(#(#rows),*));
        out.extend(self.looped(&axes[..outer.len()], quote!(#call;)));
        Some(out)
    }

    /// An activation and its derivative together: `value_and_derivative`.
    pub(super) fn fused(&self, n: usize, stmt: &Stmt, axes: &[IndexId]) -> TokenStream {
        let (Some(Expr::Act { layer, arg, .. }), true) =
            (stmt.values.first(), stmt.values.len() == 2)
        else {
            // Only value-and-derivative pairs are fused; anything else is lowered one by one.
            let parts = stmt
                .targets
                .iter()
                .zip(&stmt.values)
                .map(|(&t, v)| self.stmt(n, &Stmt::new(t, v.clone())));
            return quote!(#(#parts)*);
        };
        let call = |arg: TokenStream| self.cx.call(*layer, quote!(value_and_derivative), arg);
        let (a, s) = (stmt.targets[0], stmt.targets[1]);
        if !self.array[a] {
            let mut out = TokenStream::new();
            for at in positions(self.p, axes) {
                let (an, sn) = (self.scalar_ident(a, &at), self.scalar_ident(s, &at));
                let arg = self.expr(n, &self.specialize(arg, axes, &at));
                let call = call(arg);
                out.extend(quote!(let (#an, #sn) = #call;));
            }
            return out;
        }
        if let Some(rows) =
            self.activation_rows(*layer, quote!(value_and_derivative_row), arg, &[a, s], axes)
        {
            return rows;
        }
        let (an, sn) = (self.ident(a), self.ident(s));
        let zero = self.zeros(axes);
        let (declare_a, declare_s) = (
            self.declare_written(a, &zero),
            self.declare_written(s, &zero),
        );
        let vars: Vec<Ident> = axes.iter().map(|&v| self.var(v)).collect();
        let arg = self.expr(n, arg);
        let call = call(arg);
        let body = self.looped(axes, quote!((#an #([#vars])*, #sn #([#vars])*) = #call;));
        quote! {
            #declare_a
            #declare_s
            #body
        }
    }
}

/// A statement's products by one matrix ([`Lowering::products_of`]).
struct Products {
    /// The rows' index, and the sum's.
    row: IndexId,
    v: IndexId,
    /// The directions' index and count, for a matrix of products.
    directions: Option<(IndexId, usize)>,
    /// The matrix and the vector borrowed whole (direction `c`'s, `&a1_dot[c]`), and the
    /// last direction's (`&a1_dot[2]`; the vector again where there are no directions).
    w: TokenStream,
    x: TokenStream,
    last: TokenStream,
    /// The vector's tensor.
    vector: TensorId,
}

/// `tokens` with every index `[c]` made `[at]`: another direction's operand (`&a1_dot[c]`
/// to `&a1_dot[c + 1]` or `&a1_dot[2]`).
fn at_index(tokens: TokenStream, c: &Ident, at: &TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let index = group.delimiter() == Delimiter::Bracket
                    && matches!(&inner[..], [TokenTree::Ident(i)] if i == c);
                let stream = if index {
                    at.clone()
                } else {
                    at_index(group.stream(), c, at)
                };
                let mut new = Group::new(group.delimiter(), stream);
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            other => other,
        })
        .collect()
}
