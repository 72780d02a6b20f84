//! Second derivatives from the adjoints of a reverse sweep and the first tangents: no
//! second tangent sweep.
//!
//! Along directions `k` and `c`, each statement `t[I] = e` adds to `∂²y/∂x_k∂x_c` its second
//! derivative at the read `s[J]` it moves with, times that read's two tangents and `t`'s
//! adjoint:
//!
//! ```text
//! H[k,c] = Σ_(t[I] = e) Σ_(I,J) t̄[I] · ∂²e/∂s[J]² · ṡ[J,k]·ṡ[J,c]
//! Δy     = Σ_(t[I] = e) Σ_(I,J) t̄[I] · ∂²e/∂s[J]² · Σ_c ṡ[J,c]·ṡ[J,c]
//! ```
//!
//! That is exact where each statement reads one thing that moves with the input (else the
//! cross terms `∂²e/∂s∂s'` would be missing), as an MLP's statements do; and only an
//! activation's read has a second derivative, so that for an MLP this is
//! `Σ_l Σ_u ā_l[u]·f_l''(z_l[u])·ż_l[u,k]·ż_l[u,c]`: each unit's curvature, weighted by how
//! the output moves with the unit, on the layers' Jacobians. Where the gradient is wanted
//! anyway its reverse sweep gives those weights, and the products of the second tangents
//! by the weight matrices (`Σ_j W2[i,j]·Σä1[j]`, one per layer past the first) are not
//! needed; for a Hessian of few inputs, neither is the tangent of the whole reverse sweep.

use std::collections::HashMap;

use super::reverse::{opened, partial, through};
use crate::ir::{Expr, IndexId, Ix, Program, TensorId};

/// One statement's share of the second derivatives, `Σ_J weight[J]·ṡ[J,k]·ṡ[J,c]`: its
/// adjoint times its second derivative at the read `s[J]` that moves, and that read.
#[derive(Clone, Debug)]
pub struct Curve {
    /// `t̄[I]·∂²e/∂s[J]²`.
    pub weight: Expr,
    /// The indices summed over: the statement's axes and the read's own (`J`).
    pub free: Vec<IndexId>,
    /// The read `s[J]`.
    read: TensorId,
    ixs: Vec<Ix>,
    /// Its tangents along the columns, `ṡ[J,c]`; none for the input itself (`δ(k,c)`).
    tangent: Option<TensorId>,
}

impl Curve {
    /// `ṡ[J,c]`: `δ(k,c)` for the input itself.
    pub fn dot(&self, c: IndexId) -> Expr {
        match self.tangent {
            None => Expr::Delta(self.ixs[0], Ix::Var(c)),
            Some(tangent) => {
                let mut ixs = self.ixs.clone();
                ixs.push(Ix::Var(c));
                Expr::Read(tangent, ixs)
            }
        }
    }

    /// `Σ_J e`, over the indices of [`Self::free`] that `e` mentions.
    pub fn summed(&self, e: Expr) -> Expr {
        self.free.iter().rev().fold(e, |e, &v| match e.mentions(v) {
            true => Expr::sum(v, e),
            false => e,
        })
    }

    /// `Σ_J weight[J]·pair`: this statement's share, for `pair` its read's two tangents
    /// (`ṡ[J,k]·ṡ[J,c]` for a Hessian, `Σ_c ṡ[J,c]·ṡ[J,c]` for a Laplacian).
    pub fn weighted(&self, pair: Expr) -> Expr {
        self.summed(Expr::mul(self.weight.clone(), pair))
    }

    /// The read's tensor `s`.
    pub fn read(&self) -> TensorId {
        self.read
    }
}

/// The curves of the first `statements` statements of `p` (what the reverse sweep was
/// taken of), from their `adjoints` and the first `tangents` along the columns of the input
/// `wrt`: one per statement whose value is curved in the read that moves. `None` where a
/// statement reads two things that move with the input.
pub fn curvature(
    p: &Program,
    statements: usize,
    adjoints: &HashMap<TensorId, TensorId>,
    tangents: &HashMap<TensorId, TensorId>,
    wrt: TensorId,
) -> Option<Vec<Curve>> {
    let moves = |s: TensorId| s == wrt || tangents.contains_key(&s);
    let mut curves = Vec::new();
    for stmt in &p.stmts[..statements] {
        for (&t, value) in stmt.targets.iter().zip(&stmt.values) {
            let mut reads = Vec::new();
            value.visit_reads(&mut |s, ixs, _| reads.push((s, ixs.to_vec())));
            let mut moving = reads.iter().enumerate().filter(|(_, (s, _))| moves(*s));
            let Some((n, (s, ixs))) = moving.next() else {
                continue;
            };
            if moving.next().is_some() {
                return None;
            }
            let Some(&bar) = adjoints.get(&t) else {
                continue;
            };
            let opened = opened(ixs);
            let Some(curvature) = second(value, n, &mut 0, &opened) else {
                continue;
            };
            let axes = &p.tensors[t].axes;
            let mut free = axes.clone();
            free.extend(opened.iter().filter(|v| !axes.contains(v)));
            curves.push(Curve {
                weight: Expr::mul(Expr::read(bar, axes), curvature),
                free,
                read: *s,
                ixs: ixs.clone(),
                tangent: (*s != wrt).then(|| tangents[s]),
            });
        }
    }
    Some(curves)
}

/// The Laplacian `Δy = Σ Σ_J weight[J]·Σ_c ṡ[J,c]·ṡ[J,c]` of `curves`, `c` the columns.
pub fn laplacian(curves: &[Curve], c: IndexId) -> Expr {
    let terms = curves
        .iter()
        .map(|curve| curve.weighted(Expr::sum(c, Expr::mul(curve.dot(c), curve.dot(c)))));
    Expr::Add(terms.collect())
}

/// `∂²e/∂r²` for `r` the `n`-th read of `e` (in [`Expr::visit_reads`] order), as
/// [`partial`] takes the first derivative: sums over the read's own (`opened`) indices
/// dropped. `None` where it is zero: `e` is linear in the read.
fn second(e: &Expr, n: usize, seen: &mut usize, opened: &[IndexId]) -> Option<Expr> {
    match e {
        Expr::Read(..) => {
            *seen += 1;
            None
        }
        Expr::Num(_) | Expr::Delta(..) => None,
        /* (f^(k)(u))'' = f^(k+2)(u)·u'·u' + f^(k+1)(u)·u'' */
        Expr::Act { layer, order, arg } => {
            let start = *seen;
            let first = partial(arg, n, seen, opened)?;
            let again = second(arg, n, &mut start.clone(), opened);
            let curved = Expr::Mul(vec![
                Expr::act(*layer, order + 2, (**arg).clone()),
                first.clone(),
                first,
            ]);
            Some(match again {
                Some(again) => Expr::Add(vec![
                    curved,
                    Expr::mul(Expr::act(*layer, order + 1, (**arg).clone()), again),
                ]),
                None => curved,
            })
        }
        _ => through(e, n, seen, opened, second),
    }
}

#[cfg(test)]
mod tests {
    use super::curvature;
    use crate::derive::{Direction, Seed, reverse_adjoints, tangent};
    use crate::ir::{Expr, Fixture, Name, Role, Stmt};
    use crate::passes::simplify::simplify;

    /// `Δy` of `y = value`, by [`curvature`], simplified; `None` where it does not apply.
    fn laplacian_of(value: impl Fn(usize, usize, usize, usize) -> Expr) -> Option<String> {
        let Fixture { mut p, x, w, k, j } = Fixture::new();
        let y = p.tensor(Name::plain("y"), Role::Computed, vec![]);
        p.stmts.push(Stmt::new(y, value(x, w, k, j)));
        let (_, adjoints) = reverse_adjoints(&mut p, y, x, Seed::One, Name::plain("g"));
        let c = p.index("c", p.extent(k));
        let first = tangent(&mut p, x, Direction::Columns(c));
        let curves = curvature(&p, 1, &adjoints, &first, x)?;
        Some(p.expr(&simplify(&p, super::laplacian(&curves, c))))
    }

    #[test]
    fn each_unit_curves_by_its_adjoint() {
        /* y = Σ_k tanh(x[k]): Δy = Σ_k tanh''(x[k]) */
        let tanh = |x, _, k, _| Expr::sum(k, Expr::act(1, 0, Expr::read(x, &[k])));
        assert_eq!(laplacian_of(tanh).unwrap(), "Σ_k ȳ·tanh''(x[k])");
        /* y = Σ_k tanh(tanh(x[k])): (f(u))'' = f''(u)·u'·u' + f'(u)·u'' */
        let nested =
            |x, _, k, _| Expr::sum(k, Expr::act(1, 0, Expr::act(1, 0, Expr::read(x, &[k]))));
        assert_eq!(
            laplacian_of(nested).unwrap(),
            "Σ_k ȳ·(tanh''(tanh(x[k]))·tanh'(x[k])·tanh'(x[k]) + tanh'(tanh(x[k]))·tanh''(x[k]))"
        );
        /* y = Σ_j W1[j,k]·x[k]: linear, Δy = 0 */
        let linear = |x, w, k, j| {
            Expr::sum(
                j,
                Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k]))),
            )
        };
        assert_eq!(laplacian_of(linear).unwrap(), "0");
        /* y = Σ_k x[k]·x[k]: two reads that move, whose cross terms the trace leaves out */
        let square = |x, _, k, _| Expr::sum(k, Expr::mul(Expr::read(x, &[k]), Expr::read(x, &[k])));
        assert_eq!(laplacian_of(square), None);
    }
}
