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

use super::reverse::{partial, through};
use crate::ir::{Expr, IndexId, Ix, Program, TensorId};

/// Which second derivatives [`curvature`] gives.
#[derive(Clone, Copy, Debug)]
pub enum Form {
    /// The Laplacian `Δy`: `Σ_c ṡ[J,c]·ṡ[J,c]`.
    Laplacian,
    /// The Hessian `H[k,c]`, `k` its rows (the input's index): `ṡ[J,k]·ṡ[J,c]`.
    Hessian(IndexId),
}

/// `form`'s second derivatives, from the first `statements` statements of `p` (what the
/// reverse sweep was taken of), their `adjoints`, and the first `tangents` along the
/// columns `c` of the input `wrt`. `None` where a statement reads two things that move
/// with the input, or (for the Hessian) sums over its rows' index.
pub fn curvature(
    p: &Program,
    statements: usize,
    adjoints: &HashMap<TensorId, TensorId>,
    tangents: &HashMap<TensorId, TensorId>,
    wrt: TensorId,
    c: IndexId,
    form: Form,
) -> Option<Expr> {
    let moves = |s: TensorId| s == wrt || tangents.contains_key(&s);
    let mut terms = Vec::new();
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
            let opened: Vec<IndexId> = ixs
                .iter()
                .filter_map(|ix| match ix {
                    Ix::Var(v) => Some(*v),
                    Ix::At(_) => None,
                })
                .collect();
            let Some(curvature) = second(value, n, &mut 0, &opened) else {
                continue;
            };
            /* ṡ[J,c]: δ(k,c) for the input itself */
            let dot = |c: IndexId| {
                if *s == wrt {
                    Expr::Delta(ixs[0], Ix::Var(c))
                } else {
                    let mut ixs = ixs.clone();
                    ixs.push(Ix::Var(c));
                    Expr::Read(tangents[s], ixs)
                }
            };
            let axes = &p.tensors[t].axes;
            let mut free = axes.clone();
            free.extend(opened.iter().filter(|v| !axes.contains(v)));
            let pair = match form {
                Form::Laplacian => Expr::sum(c, Expr::mul(dot(c), dot(c))),
                Form::Hessian(k) if free.contains(&k) => return None,
                Form::Hessian(k) => Expr::mul(dot(k), dot(c)),
            };
            let mut term = Expr::Mul(vec![Expr::read(bar, axes), curvature, pair]);
            /* Σ over t's axes and the read's */
            for &v in free.iter().rev() {
                if term.mentions(v) {
                    term = Expr::sum(v, term);
                }
            }
            terms.push(term);
        }
    }
    Some(Expr::Add(terms))
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
    use super::{Form, curvature};
    use crate::derive::{Direction, Seed, reverse_adjoints, tangent};
    use crate::ir::{Expr, Fixture, Name, Role, Stmt};
    use crate::passes::simplify::simplify;

    /// `Δy` of `y = value`, by [`curvature`], simplified; `None` where it does not apply.
    fn laplacian(value: impl Fn(usize, usize, usize, usize) -> Expr) -> Option<String> {
        let Fixture { mut p, x, w, k, j } = Fixture::new();
        let y = p.tensor(Name::plain("y"), Role::Computed, vec![]);
        p.stmts.push(Stmt::new(y, value(x, w, k, j)));
        let (_, adjoints) = reverse_adjoints(&mut p, y, x, Seed::One, Name::plain("g"));
        let c = p.index("c", p.extent(k));
        let first = tangent(&mut p, x, Direction::Columns(c));
        let e = curvature(&p, 1, &adjoints, &first, x, c, Form::Laplacian)?;
        Some(p.expr(&simplify(&p, e)))
    }

    #[test]
    fn each_unit_curves_by_its_adjoint() {
        /* y = Σ_k tanh(x[k]): Δy = Σ_k tanh''(x[k]) */
        let tanh = |x, _, k, _| Expr::sum(k, Expr::act(1, 0, Expr::read(x, &[k])));
        assert_eq!(laplacian(tanh).unwrap(), "Σ_k ȳ·tanh''(x[k])");
        /* y = Σ_k tanh(tanh(x[k])): (f(u))'' = f''(u)·u'·u' + f'(u)·u'' */
        let nested =
            |x, _, k, _| Expr::sum(k, Expr::act(1, 0, Expr::act(1, 0, Expr::read(x, &[k]))));
        assert_eq!(
            laplacian(nested).unwrap(),
            "Σ_k ȳ·(tanh''(tanh(x[k]))·tanh'(x[k])·tanh'(x[k]) + tanh'(tanh(x[k]))·tanh''(x[k]))"
        );
        /* y = Σ_j W1[j,k]·x[k]: linear, Δy = 0 */
        let linear = |x, w, k, j| {
            Expr::sum(
                j,
                Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k]))),
            )
        };
        assert_eq!(laplacian(linear).unwrap(), "0");
        /* y = Σ_k x[k]·x[k]: two reads that move, whose cross terms the trace leaves out */
        let square = |x, _, k, _| Expr::sum(k, Expr::mul(Expr::read(x, &[k]), Expr::read(x, &[k])));
        assert_eq!(laplacian(square), None);
    }
}
