//! A reverse sweep's two products by one matrix from one read of it. `hvp`'s adjoint
//! `ā2 = W3ᵀ·δ3` is a statement of its own (both `δ2` and `δ̇2` read it), and its tangent's
//! `W3ᵀ·δ̇3` a sum inside `δ̇2`'s value; with `δ̇3` moved up to be known with `δ3`
//! ([`Lowering::pairs`]), `_mlp::axpys_of_two` computes both, each to the bit its own
//! `_mlp::axpys_of`:
//!
//! ```text
//! let (a2_bar, acc_d2_dot) = _mlp::axpys_of_two(&net.w3, &d3, &d3_dot);
//! …
//! d2_dot[i] = c2[i] * z2_dot[i] * a2_bar[i] + s2[i] * acc_d2_dot[i];
//! ```

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::lanes::top_level_sums;
use super::{Lowering, Order};
use crate::ir::{Expr, Ix, TensorId};

/// A sum `Σ_v W[v,l]·d[v]` that [`Lowering::lanes`] adds up by `_mlp::axpys_of`.
pub(super) struct Transposed {
    /// Its place among its statement's top-level sums.
    pub(super) sum: usize,
    /// The matrix and the vector, borrowed whole (`&net.w3`, `&d3`).
    w: TokenStream,
    d: TokenStream,
    /// The vector's tensor.
    pub(super) vector: TensorId,
}

impl Lowering<'_> {
    /// The sums of statement `n` that [`Lowering::lanes`] would add up by `_mlp::axpys_of`,
    /// each on its own: of a vector's statement in a single call (not a block kernel's, not
    /// written into the caller's memory), none of them in a sum over shared weights.
    fn transposed_sums(&self, n: usize) -> Vec<Transposed> {
        let stmt = &self.p.stmts[n];
        let t = stmt.targets[0];
        let tensor = &self.p.tensors[t];
        let (1, &[lane], true, false, None, false) = (
            stmt.targets.len(),
            tensor.axes.as_slice(),
            self.array[t],
            self.blocks,
            &self.orders,
            tensor.symmetric,
        ) else {
            return Vec::new();
        };
        if self.is_out(t) || self.along_lanes(n, stmt) != Some(lane) {
            return Vec::new();
        }
        let value = &stmt.values[0];
        let sums = top_level_sums(value);
        let orders = vec![Order::Fused; sums.len()];
        let direct = sums.len() == 1 && sums[0] == *value;
        // Scaled as summed, or over weights shared with another of its sums: not alone.
        let scaled = sums.len() == 1 && self.scale(t, value, &sums[0], &[lane]).is_some();
        if scaled || (!direct && self.shared_weights(n, &sums, &orders).is_some()) {
            return Vec::new();
        }
        let mut found = Vec::new();
        for (i, sum) in sums.iter().enumerate() {
            let Expr::Sum(v, term) = sum else { continue };
            let Expr::Mul(factors) = &**term else {
                continue;
            };
            let vector = factors.iter().find_map(|f| match f {
                Expr::Read(t, ixs) if ixs[..] == [Ix::Var(*v)] => Some(*t),
                _ => None,
            });
            let product = self.product_by_rows(n, term, &[]).is_some();
            if let (Some(vector), true, Some((w, d))) =
                (vector, product, self.matrix_vector(term, [*v, lane], *v))
            {
                found.push(Transposed {
                    sum: i,
                    w,
                    d,
                    vector,
                });
            }
        }
        found
    }

    /// Statement `n` if it is one such sum and nothing else (`ā2 = W3ᵀ·δ3`).
    pub(super) fn transposed_of(&self, n: usize) -> Option<Transposed> {
        let stmt = &self.p.stmts[n];
        let [Expr::Sum(..)] = &stmt.values[..] else {
            return None;
        };
        let mut sums = self.transposed_sums(n);
        (sums.len() == 1).then(|| sums.remove(0))
    }

    /// The sum of a later statement `m`, among other terms, that `n`'s matrix multiplies by
    /// another vector (`W3ᵀ·δ̇3` in `δ̇2`).
    pub(super) fn transposed_partner(&self, n: &Transposed, m: usize) -> Option<Transposed> {
        if self.transposed_of(m).is_some() {
            return None;
        }
        let same = |s: &Transposed| {
            s.w.to_string() == n.w.to_string() && s.d.to_string() != n.d.to_string()
        };
        self.transposed_sums(m).into_iter().find(same)
    }

    /// Statement `n` and its partner's sum from one read of the matrix, if [`Lowering::pairs`]
    /// paired them.
    pub(super) fn transposed_pair(&self, n: usize) -> Option<TokenStream> {
        let m = *self.pairs.borrow().get(n)?.first()?;
        let own = self.transposed_of(n)?;
        let partner = self.transposed_partner(&own, m)?;
        let (name, later) = (self.ident(self.p.stmts[n].targets[0]), self.paired_sums(m));
        let (w, d, e) = (&own.w, &own.d, &partner.d);
        Some(quote!(let (#name, #later) = _mlp::axpys_of_two(#w, #d, #e);))
    }

    /// Which of statement `m`'s sums an earlier statement computed with its own, and where
    /// (`acc_d2_dot`).
    pub(super) fn transposed_computed(&self, m: usize) -> Option<(usize, Ident)> {
        let n = self.pairs.borrow().iter().position(|p| p.contains(&m))?;
        let partner = self.transposed_partner(&self.transposed_of(n)?, m)?;
        Some((partner.sum, self.paired_sums(m)))
    }
}
