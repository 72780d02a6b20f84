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
    /// `ẋ[k] = v[k]`: the argument `v`, for Jacobian- and Hessian-vector products.
    Along(TensorId),
}

/// Appends to `p` the tangent of every statement with respect to `wrt`; returns the map from
/// each tensor to its (nonzero) tangent.
pub fn tangent(
    p: &mut Program,
    wrt: TensorId,
    direction: Direction,
) -> HashMap<TensorId, TensorId> {
    let column = match direction {
        Direction::Columns(c) => Some(c),
        Direction::Along(_) => None,
    };
    let mut tangents: HashMap<TensorId, TensorId> = HashMap::new();
    let primal = p.stmts.clone();
    for stmt in &primal {
        for (&t, value) in stmt.targets.iter().zip(&stmt.values) {
            let read = |r: TensorId, ixs: &[Ix]| {
                if r == wrt {
                    return match direction {
                        /* D(x[k]) = δ(k,c) */
                        Direction::Columns(c) => Expr::Delta(ixs[0], Ix::Var(c)),
                        /* D(x[k]) = v[k] */
                        Direction::Along(v) => Expr::Read(v, ixs.to_vec()),
                    };
                }
                /* D(t[…]) = ṫ[…,c], or 0 for a parameter or a tensor that does not move */
                tangents.get(&r).map_or(Expr::ZERO, |&dot| {
                    let mut ixs = ixs.to_vec();
                    ixs.extend(column.map(Ix::Var));
                    Expr::Read(dot, ixs)
                })
            };
            let d = simplify(p, derivative(value, &read));
            if let Some(dot) = define(p, t, d, column) {
                tangents.insert(t, dot);
            }
        }
    }
    tangents
}

/// Appends to `p` the second tangent, along the same columns `c`, of every first tangent in
/// `first` (as [`tangent`] returned it): `ẍ`, the diagonal `∂²/∂x_c²` of each tensor, all
/// `c` at once. Returns the map from each first tangent to its (nonzero) second tangent.
pub fn tangent_again(
    p: &mut Program,
    wrt: TensorId,
    c: IndexId,
    first: &HashMap<TensorId, TensorId>,
) -> HashMap<TensorId, TensorId> {
    let firsts: Vec<TensorId> = first.values().copied().collect();
    let mut second: HashMap<TensorId, TensorId> = HashMap::new();
    let stmts = p.stmts.clone();
    for stmt in &stmts {
        for (&t, value) in stmt.targets.iter().zip(&stmt.values) {
            if !firsts.contains(&t) {
                continue;
            }
            let read = |r: TensorId, ixs: &[Ix]| {
                if r == wrt {
                    return Expr::Delta(ixs[0], Ix::Var(c));
                }
                /* D(ṫ[…,c]) = ẗ[…,c] */
                if let Some(&ddot) = second.get(&r) {
                    return Expr::Read(ddot, ixs.to_vec());
                }
                /* D(t[…]) = ṫ[…,c] */
                first.get(&r).map_or(Expr::ZERO, |&dot| {
                    let mut ixs = ixs.to_vec();
                    ixs.push(Ix::Var(c));
                    Expr::Read(dot, ixs)
                })
            };
            let d = simplify(p, derivative(value, &read));
            if let Some(ddot) = define(p, t, d, None) {
                second.insert(t, ddot);
            }
        }
    }
    second
}

/// Defines the tangent of `t` as `d` (over `t`'s axes and `column`), unless it is 0.
fn define(p: &mut Program, t: TensorId, d: Expr, column: Option<IndexId>) -> Option<TensorId> {
    if d.is(0.0) {
        return None;
    }
    let mut axes = p.tensors[t].axes.clone();
    axes.extend(column);
    let name = p.tensors[t].name.marked(Mark::Dot);
    let dot = p.tensor(name, Role::Computed, axes);
    p.stmts.push(Stmt::new(dot, d));
    Some(dot)
}

/// `D(e)`, unsimplified, with `read` giving the derivative of each tensor element.
fn derivative(e: &Expr, read: &dyn Fn(TensorId, &[Ix]) -> Expr) -> Expr {
    let d = |e: &Expr| derivative(e, read);
    match e {
        Expr::Num(_) | Expr::Delta(..) => Expr::ZERO,
        Expr::Read(t, ixs) => read(*t, ixs),
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
