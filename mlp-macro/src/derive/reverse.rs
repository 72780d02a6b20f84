//! The reverse (adjoint) rule: backpropagation, in index notation.
//!
//! For each statement `t[I] = e`, last to first, and each read `s[J]` in `e` of a computed
//! tensor or of the input:
//!
//! ```text
//! s̄[J] += Σ_{I∖J} ∂e/∂s[J] · t̄[I]
//! ```
//!
//! where `∂e/∂s[J]` is `e` differentiated at that one read: the other factors of a product,
//! `f^(n+1)` for an activation `f^(n)`, and the sums over `J`'s indices opened (those become
//! `s̄`'s axes). With `z2[i] = Σ_j W2[i,j]·a1[j] + b2[i]` this gives
//! `ā1[j] = Σ_i W2[i,j]·δ2[i]`, and with `a1[j] = tanh(z1[j])`, `δ1[j] = tanh'(z1[j])·ā1[j]`.

use std::collections::HashMap;

use crate::ir::{Expr, IndexId, Ix, Mark, Name, Program, Role, Stmt, TensorId};

/// What the output's adjoint starts as.
#[derive(Clone, Copy, Debug)]
pub enum Seed {
    /// `ȳ = 1`: the gradient of a one-element output.
    One,
    /// `ȳ[r,o] = δ(r,o)`: one sweep per output `r` at once, the rows of the Jacobian.
    Rows(IndexId),
    /// `ȳ[o] = u[o]`: the vector-Jacobian product with the argument `u`.
    Along(TensorId),
}

/// Appends to `p` the reverse sweep of `of` with respect to `wrt`; returns `wrt`'s adjoint,
/// named `name`. Every adjoint gets the seed's row index as its first axis, if it has one.
pub fn reverse(p: &mut Program, of: TensorId, wrt: TensorId, seed: Seed, name: Name) -> TensorId {
    reverse_adjoints(p, of, wrt, seed, name).0
}

/// [`reverse`], and the map from each tensor `of` depends on to its adjoint (`y` to `ȳ`,
/// `a1` to `ā1`, …).
pub fn reverse_adjoints(
    p: &mut Program,
    of: TensorId,
    wrt: TensorId,
    seed: Seed,
    name: Name,
) -> (TensorId, HashMap<TensorId, TensorId>) {
    let mut adjoints = HashMap::new();
    let row: Vec<IndexId> = match seed {
        Seed::Rows(r) => vec![r],
        Seed::One | Seed::Along(_) => Vec::new(),
    };
    let start = match (seed, p.tensors[of].axes.as_slice()) {
        (Seed::Rows(r), &[o]) => Expr::Delta(Ix::Var(r), Ix::Var(o)),
        (Seed::Along(u), axes) => Expr::read(u, axes),
        _ => Expr::ONE,
    };
    let mut pending: HashMap<TensorId, Vec<Expr>> = HashMap::from([(of, vec![start])]);
    let forward = p.stmts.clone();
    for stmt in forward.iter().rev() {
        for (&t, value) in stmt.targets.iter().zip(&stmt.values) {
            let Some(terms) = pending.remove(&t) else {
                continue;
            };
            let axes: Vec<IndexId> = row.iter().chain(&p.tensors[t].axes).copied().collect();
            let bar_name = p.tensors[t].name.marked(Mark::Bar);
            let bar = p.tensor(bar_name, Role::Computed, axes.clone());
            p.stmts.push(Stmt::new(bar, Expr::Add(terms)));
            adjoints.insert(t, bar);
            let bar = Expr::read(bar, &axes);
            for (s, term) in contributions(p, t, value, &bar, wrt) {
                pending.entry(s).or_default().push(term);
            }
        }
    }
    let axes: Vec<IndexId> = row.iter().chain(&p.tensors[wrt].axes).copied().collect();
    let terms = pending.remove(&wrt).unwrap_or_default();
    let adjoint = p.tensor(name, Role::Computed, axes);
    p.stmts.push(Stmt::new(adjoint, Expr::Add(terms)));
    (adjoint, adjoints)
}

/// The terms `t[I] = value` adds to the adjoints of what it reads, given `t̄ = bar`.
fn contributions(
    p: &Program,
    t: TensorId,
    value: &Expr,
    bar: &Expr,
    wrt: TensorId,
) -> Vec<(TensorId, Expr)> {
    let mut reads = Vec::new();
    value.visit_reads(&mut |s, ixs, _| reads.push((s, ixs.to_vec())));
    let mut out = Vec::new();
    for (n, (s, ixs)) in reads.into_iter().enumerate() {
        let differentiable = match p.tensors[s].role {
            Role::Computed => true,
            Role::Argument => s == wrt,
            Role::Parameter => false,
        };
        if !differentiable {
            continue;
        }
        let opened = opened(&ixs);
        let Some(partial) = partial(value, n, &mut 0, &opened) else {
            continue;
        };
        // The read's indices become `s̄`'s axes: variables renamed, fixed positions and
        // repeated variables as Kronecker deltas.
        let s_axes = &p.tensors[s].axes;
        let mut renamed: HashMap<IndexId, IndexId> = HashMap::new();
        let mut factors = vec![partial, bar.clone()];
        for (ix, &axis) in ixs.iter().zip(s_axes) {
            match *ix {
                Ix::Var(v) if !renamed.contains_key(&v) => {
                    renamed.insert(v, axis);
                }
                Ix::Var(v) => factors.push(Expr::Delta(Ix::Var(axis), Ix::Var(renamed[&v]))),
                at @ Ix::At(_) => factors.push(Expr::Delta(Ix::Var(axis), at)),
            }
        }
        let mut term = Expr::Mul(factors).substitute(&|v| renamed.get(&v).map(|&a| Ix::Var(a)));
        /* Σ over t's axes that s̄ does not have */
        for &v in p.tensors[t].axes.iter().rev() {
            if !s_axes.contains(&v) && term.mentions(v) {
                term = Expr::sum(v, term);
            }
        }
        out.push((s, term));
    }
    out
}

/// The index variables a read `s[J]` opens (`J`'s variables, not its fixed positions):
/// differentiated at the read, the sums over them are dropped and they become free.
pub(super) fn opened(ixs: &[Ix]) -> Vec<IndexId> {
    ixs.iter()
        .filter_map(|ix| match ix {
            Ix::Var(v) => Some(*v),
            Ix::At(_) => None,
        })
        .collect()
}

/// `∂e/∂(the n-th read of e)`, counting reads in [`Expr::visit_reads`] order; sums over the
/// `opened` indices (the read's own) are dropped, as their index becomes free. `None` if the
/// read is not inside `e`.
pub(super) fn partial(e: &Expr, n: usize, seen: &mut usize, opened: &[IndexId]) -> Option<Expr> {
    match e {
        Expr::Read(..) => {
            *seen += 1;
            (*seen - 1 == n).then_some(Expr::ONE)
        }
        Expr::Num(_) | Expr::Delta(..) => None,
        /* (f^(k)(u))' = f^(k+1)(u)·u' */
        Expr::Act { layer, order, arg } => partial(arg, n, seen, opened)
            .map(|d| Expr::mul(Expr::act(*layer, order + 1, (**arg).clone()), d)),
        _ => through(e, n, seen, opened, partial),
    }
}

/// The derivative `d` of a sum, a product or a summation `e` at its `n`-th read (as
/// [`partial`] counts and opens them), from `d` of the part holding the read: the rules
/// the first derivative and the second ([`super::curvature()`]) share. `None` where no part
/// holds it, or `e` is none of the three.
pub(super) fn through(
    e: &Expr,
    n: usize,
    seen: &mut usize,
    opened: &[IndexId],
    d: fn(&Expr, usize, &mut usize, &[IndexId]) -> Option<Expr>,
) -> Option<Expr> {
    match e {
        /* d(u + v) = d(u) or d(v), whichever holds the read */
        Expr::Add(terms) => terms.iter().find_map(|t| d(t, n, seen, opened)),
        /* d(u·v) = d(u)·v or u·d(v), whichever holds the read (one factor holds it) */
        Expr::Mul(factors) => factors.iter().enumerate().find_map(|(i, f)| {
            let df = d(f, n, seen, opened)?;
            let mut product = factors.clone();
            product[i] = df;
            Some(Expr::Mul(product))
        }),
        /* d(Σ_v u) = d(u) when v indexes the read, else Σ_v d(u) */
        Expr::Sum(v, body) => d(body, n, seen, opened).map(|du| {
            if opened.contains(v) {
                du
            } else {
                Expr::sum(*v, du)
            }
        }),
        Expr::Read(..) | Expr::Num(_) | Expr::Delta(..) | Expr::Act { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Seed, reverse};
    use crate::ir::{Expr, Fixture, Name, Role, Stmt};
    use crate::passes::optimize;

    /// One rule per line: `y = value` differentiated with respect to `x`, then optimized.
    fn rule(value: impl Fn(usize, usize, usize, usize) -> Expr, want: &str) {
        let Fixture { mut p, x, w, k, j } = Fixture::new();
        let y = p.tensor(Name::plain("y"), Role::Computed, vec![]);
        p.stmts.push(Stmt::new(y, value(x, w, k, j)));
        let g = reverse(&mut p, y, x, Seed::One, Name::plain("g"));
        p.outputs = vec![g];
        optimize(&mut p);
        assert_eq!(p.expr(p.value_of(g).unwrap()), want);
    }

    #[test]
    fn rules() {
        /* y = x[0] */
        rule(
            |x, _, _, _| Expr::Read(x, vec![crate::ir::Ix::At(0)]),
            "δ(k,0)",
        );
        /* y = Σ_k x[k] */
        rule(|x, _, k, _| Expr::sum(k, Expr::read(x, &[k])), "1");
        /* y = Σ_k x[k]·x[k] */
        rule(
            |x, _, k, _| Expr::sum(k, Expr::mul(Expr::read(x, &[k]), Expr::read(x, &[k]))),
            "x[k] + x[k]",
        );
        /* y = Σ_j Σ_k W1[j,k]·x[k] */
        rule(
            |x, w, k, j| {
                Expr::sum(
                    j,
                    Expr::sum(k, Expr::mul(Expr::read(w, &[j, k]), Expr::read(x, &[k]))),
                )
            },
            "Σ_j W1[j,k]",
        );
        /* y = Σ_k tanh(x[k]) */
        rule(
            |x, _, k, _| Expr::sum(k, Expr::act(1, 0, Expr::read(x, &[k]))),
            "tanh'(x[k])",
        );
    }
}
