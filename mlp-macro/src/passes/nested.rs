//! Nested sums: in a statement without axes (a Laplacian's `Δy`), a sum inside the term of
//! another sum, varying with that sum's index alone, becomes a tensor of its own over that
//! index, computed just before.
//!
//! `Δy = Σ_i W3[0,i]·c2[i]·Σ_c ż2[i,c]·ż2[i,c] + …` becomes `n2[i] = Σ_c ż2[i,c]·ż2[i,c]` and
//! `Δy = Σ_i W3[0,i]·c2[i]·n2[i] + …`: lowered, the inner sums of every `i` go at once
//! (`_mlp::dot_rows`, each to the bit its `_mlp::dot`, the reductions of eight rows side by
//! side), where inside the outer sum's term each would be a dot product ending in its own
//! reduction. [`super::inline`] then keeps the tensor (`nests_sum`). Named `n` and the
//! layer of the inner sum's first read, as the Laplacian's squared tangents are where the
//! reverse sweep gives their weights (`crate::derive::laplacian`).

use crate::ir::{Expr, IndexId, Name, Program, Role, Stmt, TensorId};

/// Sums over fewer terms than this stay where they are: their dot product has no lanes
/// to add up (the first eight terms of `_mlp::dot` go into eight lanes).
const LANES: usize = 8;

/// Moves every such inner sum into a tensor of its own.
pub fn nested(p: &mut Program) {
    let mut n = 0;
    while n < p.stmts.len() {
        let stmt = &p.stmts[n];
        let scalar = stmt.targets.iter().all(|&t| p.tensors[t].axes.is_empty());
        if !scalar {
            n += 1;
            continue;
        }
        let mut new = Vec::new();
        let values = std::mem::take(&mut p.stmts[n].values);
        let values = (values.into_iter())
            .map(|value| extract(p, value, &mut Vec::new(), &mut new))
            .collect();
        p.stmts[n].values = values;
        let added = new.len();
        p.stmts.splice(n..n, new);
        n += added + 1;
    }
}

/// `e` with its inner sums of one free index (bound by `enclosing`) moved into the new
/// statements `new`.
fn extract(p: &mut Program, e: Expr, enclosing: &mut Vec<IndexId>, new: &mut Vec<Stmt>) -> Expr {
    match e {
        Expr::Sum(v, body) => {
            let free: Vec<IndexId> = enclosing
                .iter()
                .copied()
                .filter(|&u| body.mentions(u))
                .collect();
            let long = p.extent(v).or(LANES) >= LANES;
            if let ([outer], true) = (free.as_slice(), long) {
                let sum = Expr::Sum(v, body);
                return match tensor(p, &sum, *outer) {
                    Some(t) => {
                        new.push(Stmt::new(t, sum));
                        Expr::read(t, &[*outer])
                    }
                    None => sum,
                };
            }
            enclosing.push(v);
            let body = extract(p, *body, enclosing, new);
            enclosing.pop();
            Expr::sum(v, body)
        }
        Expr::Add(terms) => Expr::Add(
            terms
                .into_iter()
                .map(|t| extract(p, t, enclosing, new))
                .collect(),
        ),
        Expr::Mul(factors) => Expr::Mul(
            factors
                .into_iter()
                .map(|f| extract(p, f, enclosing, new))
                .collect(),
        ),
        Expr::Act { layer, order, arg } => {
            Expr::act(layer, order, extract(p, *arg, enclosing, new))
        }
        leaf @ (Expr::Num(_) | Expr::Read(..) | Expr::Delta(..)) => leaf,
    }
}

/// A new tensor over `axis` for `sum`: `n` and the layer of its first read, if that name
/// is free (else the sum stays where it is).
fn tensor(p: &mut Program, sum: &Expr, axis: IndexId) -> Option<TensorId> {
    let mut layer = None;
    sum.visit_reads(&mut |t, _, _| layer = layer.or(p.tensors[t].name.layer));
    let name = Name::layer("n", layer?);
    if p.tensors.iter().any(|t| t.name == name) {
        return None;
    }
    Some(p.tensor(name, Role::Computed, vec![axis]))
}
