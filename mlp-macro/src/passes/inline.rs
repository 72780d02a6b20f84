//! Inlining: a tensor read in one place is substituted there when that costs nothing.
//!
//! The derivative rules emit one statement per adjoint or tangent; most are read once, in
//! the next statement, element for element (`δ1[j] = s1[j]·ā1[j]`), and are better written
//! in place. A tensor is inlined where
//! - its value has no tensor reads (a constant, a Kronecker delta): always;
//! - it is read exactly once, and every index variable in scope at the read (the reader's
//!   axes and enclosing sums) indexes the read, so each element is still computed once;
//!   unless it holds a sum and the read is in another sum's term ([`nests_sum`]);
//! - it is a weight scaled element by element (`ȧ1[j,c] = s1[j]·W1[j,c]`), read once, in
//!   a sum's term, by a matrix of few rows: recomputed there, it costs a multiply a term
//!   (the kernels compute it once for a group of rows) where the tensor costs a store an
//!   element, and a load a term either way; the bits stay.
//!
//! [`Inline::All`] inlines everything but the tensors it keeps: the formula shown to the user.

use std::collections::HashSet;

use crate::cost;
use crate::ir::{Expr, IndexId, Ix, Program, Role, TensorId};
use crate::passes::simplify::simplify;

/// Which tensors to inline.
pub enum Inline<'a> {
    /// Those whose inlining costs nothing.
    Free,
    /// All computed tensors but these (and the outputs).
    All(&'a [TensorId]),
    /// Weights scaled element by element ([`scaled_weight`]), once the activations'
    /// derivatives they scale by are tensors of their own.
    ScaledWeights,
}

/// A generic input width is costed as this wide: what grows with it dominates.
const WIDE: usize = 1024;

/// A scaled weight is inlined into a reader that computes it this many times at most. The
/// seed's `laplacian` (10 rows, in groups of four) got 18–20 % faster, its `hessian_to` (10
/// rows, one at a time) 4–5 %; the wide network's Hessian (128 rows) 4 % slower.
const RECOMPUTED: usize = 16;

/// Inlines tensors into their readers until none qualifies.
pub fn inline(p: &mut Program, policy: &Inline<'_>) {
    // Tensors found not worth inlining, until an inlining changes the program.
    let mut tried = HashSet::new();
    while let Some(t) = next(p, policy, &tried) {
        tried.insert(t);
        let inlined = substituted(p, t);
        let free = match policy {
            Inline::All(_) | Inline::ScaledWeights => true,
            Inline::Free => cost::program(&inlined, WIDE) <= cost::program(p, WIDE),
        };
        if free {
            *p = inlined;
            tried.clear();
        }
    }
}

/// `p` with `t` substituted at its reads and its statement dropped.
fn substituted(p: &Program, t: TensorId) -> Program {
    let mut p = p.clone();
    let Some(n) = p.definition(t) else {
        return p;
    };
    let stmt = p.stmts.remove(n);
    let axes = p.tensors[t].axes.clone();
    let value = stmt.values[0].clone();
    p.map_values(|p, e| {
        let e = e.map_reads(&mut |r, ixs| {
            (r == t)
                .then(|| value.substitute(&|v| axes.iter().position(|&a| a == v).map(|i| ixs[i])))
        });
        simplify(p, e)
    });
    p
}

/// The next tensor to try inlining, if any.
fn next(p: &Program, policy: &Inline<'_>, tried: &HashSet<TensorId>) -> Option<TensorId> {
    let outputs: HashSet<TensorId> = p.outputs.iter().copied().collect();
    p.stmts.iter().find_map(|stmt| {
        let &[t] = stmt.targets.as_slice() else {
            return None;
        };
        if tried.contains(&t) || outputs.contains(&t) || !captures_nothing(p, t, &stmt.values[0]) {
            return None;
        }
        let wanted = match policy {
            Inline::All(keep) => !keep.contains(&t),
            Inline::Free => !is_act_argument(p, t) && !nests_sum(p, t),
            Inline::ScaledWeights => scaled_weight(p, t),
        };
        wanted.then_some(t)
    })
}

/// Whether `t` is a weight matrix scaled element by element (a product of reads, one of
/// them a parameter read at `t`'s own indices), read once, in the term of a sum, by a
/// statement that recomputes each element at most [`RECOMPUTED`] times.
fn scaled_weight(p: &Program, t: TensorId) -> bool {
    let Some(Expr::Mul(factors)) = p.value_of(t) else {
        return false;
    };
    let axes: Vec<Ix> = p.tensors[t].axes.iter().map(|&a| Ix::Var(a)).collect();
    let weight = |f: &Expr| match f {
        Expr::Read(r, ixs) => p.tensors[*r].role == Role::Parameter && *ixs == axes,
        _ => false,
    };
    if axes.len() < 2
        || !factors.iter().any(weight)
        || !factors.iter().all(|f| matches!(f, Expr::Read(..)))
    {
        return false;
    }
    // Per read: whether it is in a sum's term, and how many times the reader computes
    // each element (its axes that do not index the read).
    let mut reads = Vec::new();
    visit_reads_of(p, t, |reader, ixs, outer| {
        let times = reader
            .iter()
            .filter(|&&a| !ixs.contains(&Ix::Var(a)))
            .fold(1, |n: usize, &a| n.saturating_mul(p.extent(a).or(WIDE)));
        reads.push((!outer.is_empty(), times));
    });
    matches!(reads[..], [(true, times)] if times <= RECOMPUTED)
}

/// Whether `t` holds a sum and is read in another sum's term: inlined, each term would
/// compute a dot product of its own; kept, its sums go side by side with their
/// neighbours' (`jvp`'s `ż2 = W2·ȧ1` with `z2 = W2·a1`, the matrix read once for both; the
/// Laplacian's `Σz̈2 = W2·Σä1`, read in `Δy`'s sum over `i`, with `z2 = W2·a1`). The
/// 64-128-128-1 network's `jvp` and `jvp_batch` 24 % faster with AVX-512 and 16 % and 3 %
/// on the default target; the seed's unchanged with AVX-512, its `jvp` 17 % slower on the
/// default target (`scripts/ab-min.sh`; docs/performance-log.md, "The twenty-seventh
/// session"). Where the reader has no axes (`Δy`), with AVX-512 the 3-64-64-64-1
/// network's `laplacian` 6–11 % faster, a 20-12-8-1 network's 11–12 %, the seed's 1–5 %;
/// for `x86-64-v3` −11 to +7 % by network (geometric mean +0.5 %), on the default target
/// −3 to +8 % (+1.8 %) ("The thirty-second session").
fn nests_sum(p: &Program, t: TensorId) -> bool {
    if p.value_of(t).is_none_or(|v| v.bound_vars().is_empty()) {
        return false;
    }
    let mut nested = false;
    visit_reads_of(p, t, |_, _, outer| nested |= !outer.is_empty());
    nested
}

/// Whether some activation is applied to `t`.
fn is_act_argument(p: &Program, t: TensorId) -> bool {
    let mut found = false;
    for stmt in &p.stmts {
        for value in &stmt.values {
            value.walk(&mut |e| {
                if let Expr::Act { arg, .. } = e {
                    found |= matches!(**arg, Expr::Read(r, _) if r == t);
                }
            });
        }
    }
    found
}

/// Whether substituting `t`'s value at its reads leaves every sum's index distinct from
/// the variables around it. True for every program the derivative rules make (an index
/// variable is one axis throughout), checked rather than assumed.
fn captures_nothing(p: &Program, t: TensorId, value: &Expr) -> bool {
    let bound = value.bound_vars();
    if bound.is_empty() {
        return true;
    }
    let mut ok = true;
    visit_reads_of(p, t, |axes, ixs, outer| {
        let in_scope =
            |v: &usize| axes.contains(v) || outer.contains(v) || ixs.contains(&Ix::Var(*v));
        ok &= !bound.iter().any(in_scope);
    });
    ok
}

/// Calls `f` at each read of `t` with the reader's axes, the read's indices and the sums'
/// variables around it.
fn visit_reads_of(p: &Program, t: TensorId, mut f: impl FnMut(&[IndexId], &[Ix], &[IndexId])) {
    for stmt in &p.stmts {
        let reader = &p.tensors[stmt.targets[0]].axes;
        for value in &stmt.values {
            value.visit_reads(&mut |r, ixs, outer| {
                if r == t {
                    f(reader, ixs, outer);
                }
            });
        }
    }
}
