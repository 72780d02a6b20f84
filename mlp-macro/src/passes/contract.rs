//! Contraction: a sum over an axis of a tensor read in one place is pushed into the
//! tensor's definition, so that the sum is taken before the work it spans, not after.
//!
//! `Δy = Σ_c ÿ[0,c]` with `ÿ[o,c] = Σ_i W3[o,i]·ä2[i,c]` becomes `Δy = Σẏ[0]` with
//! `Σÿ[o] = Σ_i W3[o,i]·Σä2[i]`, and so on down the layers: the Laplacian is then a forward
//! sweep over the layers' Jacobians, never the Hessian. The rules, for `Σ_v e`:
//!
//! ```text
//! Σ_v t[…v…]   = Σt[…]          t read only here: its own sum, defined by these rules
//! Σ_v (a + b)  = Σ_v a + Σ_v b
//! Σ_v (a·b)    = a·Σ_v b        a free of v
//! Σ_v Σ_w e    = Σ_w Σ_v e
//! ```
//!
//! The result is kept only if the program's operation count does not grow.

use std::collections::HashMap;

use crate::cost;
use crate::ir::{Expr, Extent, IndexId, Ix, Mark, Program, Role, Stmt, TensorId};
use crate::passes::dce::dce;
use crate::passes::simplify::simplify;

/// A generic input width is costed as this wide.
const WIDE: usize = 1024;

/// Pushes every sum it can into the definitions of what it sums.
pub fn contract(p: &mut Program) {
    // Reads count only where the outputs need them: the tangent sweeps differentiate every
    // statement after the input, the gradient's reverse sweep too, and a read by what is
    // never used must not keep a sum out (`value_gradient_laplacian`'s `z̈2`, read by
    // `δ̈2` as well as by `ÿ`).
    dce(p);
    let mut reads: HashMap<TensorId, usize> = HashMap::new();
    for stmt in &p.stmts {
        for value in &stmt.values {
            value.visit_reads(&mut |t, _, _| *reads.entry(t).or_default() += 1);
        }
    }
    for &t in &p.outputs {
        *reads.entry(t).or_default() += 1;
    }
    let mut contractor = Contractor {
        p: p.clone(),
        reads,
        reduced: HashMap::new(),
    };
    let targets: Vec<TensorId> = p.stmts.iter().flat_map(|s| s.targets.clone()).collect();
    for t in targets {
        let Some(n) = contractor.p.definition(t) else {
            continue;
        };
        let position = contractor.p.stmts[n].targets.iter().position(|&x| x == t);
        let Some(i) = position else { continue };
        let value = contractor.p.stmts[n].values[i].clone();
        let value = contractor.rewrite(value);
        // Reductions may have inserted statements before this one.
        if let Some(n) = contractor.p.definition(t) {
            contractor.p.stmts[n].values[i] = simplify(&contractor.p, value);
        }
    }
    // What the sums replaced is now dead.
    dce(&mut contractor.p);
    if cost::program(&contractor.p, WIDE) <= cost::program(p, WIDE) {
        *p = contractor.p;
    }
}

struct Contractor {
    p: Program,
    /// How often each tensor is read (outputs count as read).
    reads: HashMap<TensorId, usize>,
    /// `(tensor, axis position)` to the tensor of its sums over that axis.
    reduced: HashMap<(TensorId, usize), TensorId>,
}

impl Contractor {
    /// `e` with each of its sums pushed inward, innermost first.
    fn rewrite(&mut self, e: Expr) -> Expr {
        match e {
            Expr::Sum(v, body) => {
                let body = self.rewrite(*body);
                self.push(v, body)
            }
            Expr::Add(es) => Expr::Add(es.into_iter().map(|e| self.rewrite(e)).collect()),
            Expr::Mul(es) => Expr::Mul(es.into_iter().map(|e| self.rewrite(e)).collect()),
            Expr::Act { layer, order, arg } => Expr::act(layer, order, self.rewrite(*arg)),
            e => e,
        }
    }

    /// An expression equal to `Σ_v e`.
    fn push(&mut self, v: IndexId, e: Expr) -> Expr {
        if !e.mentions(v) {
            /* Σ_{v<n} e = n·e */
            return match self.p.extent(v) {
                Extent::Fixed(n) => Expr::mul(Expr::Num(n as f64), e),
                Extent::Input => Expr::sum(v, e),
            };
        }
        match e {
            /* Σ_v t[…v…] = Σt[…] */
            Expr::Read(t, ixs) => match self.reducible(t, &ixs, v) {
                Some(at) => {
                    let sum = self.reduce(t, at);
                    let mut ixs = ixs;
                    ixs.remove(at);
                    Expr::Read(sum, ixs)
                }
                None => Expr::sum(v, Expr::Read(t, ixs)),
            },
            /* Σ_v (a + b) = Σ_v a + Σ_v b */
            Expr::Add(terms) => Expr::Add(terms.into_iter().map(|t| self.push(v, t)).collect()),
            /* Σ_v (a·b) = a·Σ_v b */
            Expr::Mul(factors) => {
                let (mut free, bound): (Vec<Expr>, Vec<Expr>) =
                    factors.into_iter().partition(|f| !f.mentions(v));
                let inner = match <[Expr; 1]>::try_from(bound) {
                    Ok([one]) => self.push(v, one),
                    Err(many) => Expr::sum(v, Expr::Mul(many)),
                };
                free.push(inner);
                Expr::Mul(free)
            }
            /* Σ_v Σ_w e = Σ_w Σ_v e */
            Expr::Sum(w, body) => {
                let inner = self.push(v, *body);
                Expr::sum(w, inner)
            }
            e => Expr::sum(v, e),
        }
    }

    /// The axis position at which `t[ixs]` is summed over `v`, if `t` is a computed tensor
    /// read only there and `v` indexes that one axis.
    fn reducible(&self, t: TensorId, ixs: &[Ix], v: IndexId) -> Option<usize> {
        let tensor = &self.p.tensors[t];
        let at = ixs.iter().position(|ix| *ix == Ix::Var(v))?;
        let once = ixs.iter().filter(|ix| **ix == Ix::Var(v)).count() == 1;
        let single = self
            .p
            .definition(t)
            .is_some_and(|n| self.p.stmts[n].targets.len() == 1);
        let read_once = self.reads.get(&t) == Some(&1);
        (tensor.role == Role::Computed && once && single && read_once).then_some(at)
    }

    /// The tensor `Σ_{axis at} t`, defined right after `t`.
    fn reduce(&mut self, t: TensorId, at: usize) -> TensorId {
        if let Some(&sum) = self.reduced.get(&(t, at)) {
            return sum;
        }
        let mut axes = self.p.tensors[t].axes.clone();
        let axis = axes.remove(at);
        let value = self.p.value_of(t).cloned().unwrap_or(Expr::ZERO);
        let value = self.push(axis, value);
        let value = simplify(&self.p, value);
        let name = self.p.tensors[t].name.marked(Mark::Sum);
        let sum = self.p.tensor(name, Role::Computed, axes);
        let n = self.p.definition(t).map_or(self.p.stmts.len(), |n| n + 1);
        self.p.stmts.insert(n, Stmt::new(sum, value));
        self.reduced.insert((t, at), sum);
        sum
    }
}
