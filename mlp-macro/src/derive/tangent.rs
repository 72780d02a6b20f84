//! The tangent (forward-mode) rule: each statement's directional derivative.
//!
//! For each statement `t[I] = e`, first to last: `ṫ[I,c] = D(e)`, with
//!
//! ```text
//! D(x[k]) = δ(k,c)      D(W[…]) = 0          D(t[…]) = ṫ[…,c]
//! D(u + v) = D(u) + D(v)                     D(u·v) = D(u)·v + u·D(v)
//! D(Σ_v u) = Σ_v D(u)                        D(f^(n)(u)) = f^(n+1)(u)·D(u)
//! ```
//!
//! so `ż1[j,c] = W1[j,c]`, `ȧ1[j,c] = tanh'(z1[j])·ż1[j,c]`, …: the columns of the Jacobian,
//! all at once along the extra axis `c`. Tangents that are identically zero get no statement.

use std::collections::HashMap;

use crate::ir::{Expr, IndexId, Ix, Mark, Program, Role, Stmt, TensorId};
use crate::passes::simplify::simplify;

/// The direction the input moves in.
#[derive(Clone, Copy, Debug)]
pub enum Direction {
    /// `ẋ[k,c] = δ(k,c)`: every unit direction at once, the columns of the Jacobian.
    Columns(IndexId),
}

/// Appends to `p` the tangent of every statement with respect to `wrt`; returns the map from
/// each tensor to its (nonzero) tangent.
pub fn tangent(
    p: &mut Program,
    wrt: TensorId,
    direction: Direction,
) -> HashMap<TensorId, TensorId> {
    let Direction::Columns(c) = direction;
    let mut tangents = HashMap::new();
    let primal = p.stmts.clone();
    for stmt in &primal {
        for (&t, value) in stmt.targets.iter().zip(&stmt.values) {
            let d = simplify(p, derivative(value, wrt, c, &tangents));
            if d.is(0.0) {
                continue;
            }
            let mut axes = p.tensors[t].axes.clone();
            axes.push(c);
            let name = p.tensors[t].name.marked(Mark::Dot);
            let dot = p.tensor(name, Role::Computed, axes);
            p.stmts.push(Stmt::new(dot, d));
            tangents.insert(t, dot);
        }
    }
    tangents
}

/// `D(e)`, unsimplified.
fn derivative(e: &Expr, wrt: TensorId, c: IndexId, tangents: &HashMap<TensorId, TensorId>) -> Expr {
    let d = |e: &Expr| derivative(e, wrt, c, tangents);
    match e {
        Expr::Num(_) | Expr::Delta(..) => Expr::ZERO,
        /* D(x[k]) = δ(k,c) */
        Expr::Read(t, ixs) if *t == wrt => match ixs.as_slice() {
            [k] => Expr::Delta(*k, Ix::Var(c)),
            _ => Expr::ZERO,
        },
        /* D(t[…]) = ṫ[…,c], or 0 for a parameter or a tensor that does not move */
        Expr::Read(t, ixs) => match tangents.get(t) {
            Some(&dot) => {
                let mut ixs = ixs.clone();
                ixs.push(Ix::Var(c));
                Expr::Read(dot, ixs)
            }
            None => Expr::ZERO,
        },
        /* D(f^(n)(u)) = f^(n+1)(u)·D(u) */
        Expr::Act { layer, order, arg } => {
            Expr::mul(Expr::act(*layer, order + 1, (**arg).clone()), d(arg))
        }
        /* D(u + v) = D(u) + D(v) */
        Expr::Add(terms) => Expr::Add(terms.iter().map(d).collect()),
        /* D(u·v) = D(u)·v + u·D(v) */
        Expr::Mul(factors) => Expr::Add(
            (0..factors.len())
                .map(|i| {
                    let mut product = factors.clone();
                    product[i] = d(&factors[i]);
                    Expr::Mul(product)
                })
                .collect(),
        ),
        /* D(Σ_v u) = Σ_v D(u) */
        Expr::Sum(v, body) => Expr::sum(*v, d(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Direction, tangent};
    use crate::ir::{Expr, Extent, Fixture, Name, Role, Stmt};
    use crate::passes::simplify;

    /// One rule per line: the tangent of `y[j] = value` along every unit direction `c`.
    fn rule(value: impl Fn(usize, usize, usize, usize) -> Expr, want: &str) {
        let Fixture { mut p, x, w, k, j } = Fixture::new();
        let y = p.tensor(Name::plain("y"), Role::Computed, vec![j]);
        p.stmts.push(Stmt::new(y, value(x, w, k, j)));
        let c = p.index("c", Extent::Fixed(3));
        let tangents = tangent(&mut p, x, Direction::Columns(c));
        simplify::program(&mut p);
        let got = tangents
            .get(&y)
            .map_or("0".to_owned(), |&t| p.expr(p.value_of(t).unwrap()));
        assert_eq!(got, want);
    }

    #[test]
    fn rules() {
        let wx = |x, w, k, j| Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k])));
        /* D(W[j,k]) = 0 */
        rule(|_, w, k, j| Expr::read(w, &[j, k]), "0");
        /* D(Σ_k W[j,k]·x[k]) = W[j,c] */
        rule(wx, "W1[j,c]");
        /* D(f(u)) = f'(u)·D(u) */
        rule(
            |x, w, k, j| Expr::act(1, 0, wx(x, w, k, j)),
            "tanh'(Σ_k W1[j,k]·x[k])·W1[j,c]",
        );
        /* D(u·v) = D(u)·v + u·D(v) */
        rule(
            |x, _, k, _| Expr::sum(k, Expr::mul(Expr::read(x, &[k]), Expr::read(x, &[k]))),
            "x[c] + x[c]",
        );
    }
}
